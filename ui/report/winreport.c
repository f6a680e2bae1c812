/* winreport.c — window baselines in the report printers (winreport.h): a window's two files
 * loaded and checked (a refusal names both), the long layout of a rate-vs-baseline-rate table
 * (text or JSON Lines) and offline `--compare A1,A2 B1,B2`. */
#include "report/winreport.h"

#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "compare/filter.h"
#include "report/jsonl.h"
#include "report/longlayout.h"
#include "report/textgrid.h"
#include "report/verdict.h"
#include "snapshot/snapfile.h"

int ctp_window_load(const char *a, const char *b, struct ctp_window *w, struct ctp_err *err)
{
	struct ctp_snapshot *sa = NULL, *sb = NULL;
	memset(w, 0, sizeof(*w));
	if (ctp_snapfile_load_pair(a, &sa, b, &sb, err) < 0)
		return -1;
	if (ctp_window_check(sa, sb, err) < 0) {
		snprintf(err->where, sizeof(err->where), "%.120s, %.120s", a, b);
		ctp_snapshot_free(sa);
		ctp_snapshot_free(sb);
		return -1;
	}
	w->a = sa;
	w->b = sb;
	return 0;
}

void ctp_window_release(struct ctp_window *w)
{
	ctp_snapshot_free((struct ctp_snapshot *)w->a);
	ctp_snapshot_free((struct ctp_snapshot *)w->b);
	memset(w, 0, sizeof(*w));
}

void ctp_window_text(const char *a, const char *b, double secs, const char *note, struct ctp_buf *out)
{
	ctp_sanitize_name(a, strlen(a), true, out);
	ctp_buf_adds(out, " .. ");
	ctp_sanitize_name(b, strlen(b), true, out);
	ctp_buf_addf(out, " (%s%s%.1fs)", note ? note : "", note ? ", " : "", secs);
}

/* ------------------------------------------------------- long layout ---- */
static void window_header(struct ctp_tgrid *g, const struct ctp_table *t)
{
	static const char *const h[] = { "threads", "metric", "base/s", "live/s", "delta/s", "%", "unit" };
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, ctp_axis_header(t->axis), 2);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(h); i++)
		ctp_tgrid_set(g, i + 1, h[i], 2);
}

static void window_row(struct ctp_tgrid *g, const struct ctp_table *t, const struct ctp_flat *fl)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	char a[CTP_FMT_MAX];
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, r->label, 0);
	ctp_tgrid_set(g, 1, ctp_row_threads_text(t, r, false, a), 0);
	ctp_tgrid_set(g, 2, ctp_cmetric(fl->metric)->name, 0);
	ctp_tgrid_set(g, 3, ctp_cell_show(t, r, fl->metric, CTP_SHOW_BASE, a), 0);
	ctp_tgrid_set(g, 4, ctp_cell_show(t, r, fl->metric, CTP_SHOW_LIVE, a), 0);
	ctp_tgrid_set(g, 5, ctp_cell_show(t, r, fl->metric, CTP_SHOW_DELTA, a), ctp_tone_of(c, false));
	ctp_tgrid_set(g, 6, ctp_cell_show(t, r, fl->metric, CTP_SHOW_PCT, a), ctp_tone_of(c, true));
	ctp_tgrid_set(g, 7, ctp_cell_unit(t, fl->metric), 0);
}

static void window_json_row(struct ctp_buf *b, const struct ctp_table *t, const struct ctp_flat *fl, const char *table)
{
	const struct ctp_row *r = &t->rows[fl->row];
	char x[CTP_FMT_MAX];
	bool first = true;
	ctp_buf_addch(b, '{');
	ctp_jl_row_head(b, &first, t, r, table);
	ctp_jl_str(b, &first, "metric", ctp_cmetric(fl->metric)->name);
	ctp_jl_window_cell(b, &first, t, r, fl->metric);
	ctp_jl_str(b, &first, "base_text", ctp_cell_show(t, r, fl->metric, CTP_SHOW_BASE, x));
	ctp_jl_str(b, &first, "live_text", ctp_cell_show(t, r, fl->metric, CTP_SHOW_LIVE, x));
	ctp_jl_str(b, &first, "delta_text", ctp_cell_show(t, r, fl->metric, CTP_SHOW_DELTA, x));
	ctp_buf_adds(b, "}\n");
}

int ctp_report_window(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct ctp_buf jb = CTP_BUF_INIT;
	for (int k = 0; k < 2; k++) {
		struct ctp_flat *fl;
		size_t n = ctp_table_flat(t, k ? CTP_CSEC_DERIVED : CTP_CSEC_PRIMARY, &fl), w = 0;
		for (size_t i = 0; i < n; i++)
			if (json || !st->hide_unchanged || !ctp_report_cell_empty(t, &fl[i])) /* as the plain compare */
				fl[w++] = fl[i];
		size_t show = st->limit && w > st->limit ? st->limit : w;
		struct ctp_tgrid g = { 0 };
		if (!json)
			window_header(&g, t);
		for (size_t i = 0; i < show; i++) {
			if (json)
				window_json_row(&jb, t, &fl[i], k ? "derived" : "primary");
			else
				window_row(&g, t, &fl[i]);
		}
		if (!json && w) {
			fprintf(f, "%s%s\n", k ? "\n" : "", k ? "## Derived metrics" : "## Primary metrics");
			for (size_t r = 0; r < g.nrows; r++)
				ctp_tgrid_print_row(f, &g, r, st->color);
			if (w > show)
				fprintf(f, "... %zu more lines truncated (use --limit 0 for unlimited)\n", w - show);
		}
		ctp_tgrid_release(&g);
		free(fl);
	}
	fwrite(jb.buf, 1, jb.len, f);
	ctp_buf_release(&jb);
	return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------ offline compare ---- */
static void window_intro(FILE *f, const struct ctp_table *t, const struct ctp_basespec *base,
			 const struct ctp_basespec *live, bool json)
{
	struct ctp_buf b = CTP_BUF_INIT;
	if (json) {
		bool first = true;
		ctp_buf_addch(&b, '{');
		ctp_jl_str(&b, &first, "table", "window");
		ctp_jl_str(&b, &first, "base_a", base->a);
		ctp_jl_str(&b, &first, "base_b", base->b);
		ctp_jl_str(&b, &first, "live_a", live->a);
		ctp_jl_str(&b, &first, "live_b", live->b);
		ctp_jl_num(&b, &first, "base_window_s", true, t->base_window_s);
		ctp_jl_num(&b, &first, "window_s", true, t->elapsed_s);
		ctp_buf_adds(&b, "}\n");
	} else {
		ctp_buf_adds(&b, "rate vs baseline rate: window ");
		ctp_window_text(base->a, base->b, t->base_window_s, NULL, &b);
		ctp_buf_adds(&b, " vs window ");
		ctp_window_text(live->a, live->b, t->elapsed_s, NULL, &b);
		ctp_buf_adds(&b, "\n\n");
	}
	fwrite(b.buf, 1, b.len, f);
	ctp_buf_release(&b);
}

int ctp_batch_compare_windows(const struct ctp_options *o, const struct ctp_basespec *base,
			      const struct ctp_basespec *live)
{
	struct ctp_compare_opts co;
	struct ctp_err err = { 0 };
	struct ctp_window bw = { 0 }, lw = { 0 };
	struct ctp_table *t = NULL;
	struct ctp_filter *filter = NULL;
	struct ctp_failgate gate = { 0 };
	char msg[600];
	int rc = 2;
	if (ctp_options_compare_opts(o, &co, &err) < 0) {
		fprintf(stderr, "%s\n", ctp_err_str(&err, msg, sizeof(msg)));
		return 2;
	}
	if (ctp_failgate_open(o, co.axis, &gate)) /* --fail-if: rules on Δ/s and percent */
		return 2;
	if (ctp_window_load(base->a, base->b, &bw, &err) < 0 ||
	    ctp_window_load(live->a, live->b, &lw, &err) < 0 || !(t = ctp_compare_window(&bw, &lw, &co, &err)))
		goto out;
	ctp_filter_new(o->filter, &filter, &err); /* checked by ctp_options_compare_opts */
	struct ctp_batch_style st = { .color = !o->json && ctp_batch_want_color(stdout, o->no_color),
				      .limit = o->limit > 0 ? (size_t)o->limit : 0,
				      .hide_unchanged = o->hide_unchanged, .filter = filter };
	window_intro(stdout, t, base, live, o->json);
	rc = ctp_batch_print_table(stdout, t, o->json, &st) < 0 ? 1 : 0;
	if (!rc)
		rc = ctp_failgate_report(stdout, &gate, t, o->json); /* 3 when a rule trips */
	if (fflush(stdout))
		rc = 1;
	ctp_filter_free(filter);
out:
	if (rc == 2)
		fprintf(stderr, "%s\n", ctp_err_str(&err, msg, sizeof(msg))); /* as ctp_batch_compare */
	ctp_failgate_close(&gate);
	ctp_table_free(t);
	ctp_window_release(&bw);
	ctp_window_release(&lw);
	return rc;
}
