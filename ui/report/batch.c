/* batch.c — offline --compare / --show and the table printer of -b: the long layout
 * (longlayout.c) or the wide top-like one, orphan groups, fudged cgroup pairs and the secondary
 * sections, as aligned text with optional ANSI colour or JSON Lines (field names in batch.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/batch.h"
#include "report/verdict.h"
#include "base/format.h"
#include "base/jsonw.h"
#include "cli/options.h"
#include "compare/filter.h"
#include "report/jsonl.h"
#include "report/ldisplay.h"
#include "report/smapstext.h"
#include "report/longlayout.h"
#include "report/spreadrep.h"
#include "report/textgrid.h"
#include "report/winreport.h"
#include "snapshot/snapfile.h"

bool ctp_batch_want_color(FILE *f, bool no_color)
{
	return !no_color && isatty(fileno(f));
}

static void print_orphans(FILE *f, const struct ctp_table *t, bool json, enum ctp_row_status st, const char *what,
			  const char *file)
{
	size_t n = 0;
	struct ctp_buf b = CTP_BUF_INIT;
	for (size_t i = 0; i < t->nview; i++)
		n += t->rows[t->view[i]].status == st;
	if (!n)
		return;
	if (!json) { /* ktstr: "N group(s) only in baseline (PATH):", the path escaped for a terminal */
		ctp_buf_addf(&b, "\n%zu group(s) only in %s", n, what);
		if (file) {
			ctp_buf_adds(&b, " (");
			ctp_sanitize_name(file, strlen(file), true, &b);
			ctp_buf_addch(&b, ')');
		}
		ctp_buf_adds(&b, ":\n");
	}
	/* ktstr lists orphans sorted by key bytes */
	size_t *ix = ctp_xmalloc(n * sizeof(*ix)), k = 0;
	for (size_t i = 0; i < t->nview; i++)
		if (t->rows[t->view[i]].status == st)
			ix[k++] = t->view[i];
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const struct ctp_row *a = &t->rows[ix[j - 1]], *c = &t->rows[ix[j]];
			int r = memcmp(a->key, c->key, a->keylen < c->keylen ? a->keylen : c->keylen);
			if (r < 0 || (r == 0 && a->keylen <= c->keylen))
				break;
			size_t tmp = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++) {
		const struct ctp_row *r = &t->rows[ix[i]];
		if (json) {
			bool first = true;
			ctp_buf_addch(&b, '{');
			ctp_jl_str(&b, &first, "table", st == CTP_ROW_GONE ? "only_baseline" : "only_candidate");
			ctp_jl_str(&b, &first, "group", r->label);
			ctp_jl_num(&b, &first, "threads", true, (double)(st == CTP_ROW_GONE ? r->nthreads_base : r->nthreads_live));
			ctp_buf_adds(&b, "}\n");
		} else {
			ctp_buf_adds(&b, "  ");
			ctp_sanitize_name(r->label, strlen(r->label), true, &b);
			ctp_buf_addch(&b, '\n');
		}
	}
	fwrite(b.buf, 1, b.len, f);
	ctp_buf_release(&b);
	free(ix);
}

/* ------------------------------------------------------- wide layout ---- */
/* a column title: the metric's name, "/s" added when its cells are per second (rates mode) */
static void wide_title(const struct ctp_table *t, size_t m, char *buf, size_t len)
{
	const char *u = ctp_cell_raw_unit(t, m);
	size_t ul = strlen(u);
	bool per_s = ul >= 2 && !strcmp(u + ul - 2, "/s");
	snprintf(buf, len, "%s%s", ctp_cmetric(m)->name, per_s ? "/s" : "");
}

/* issue 17: a row of the first `limit` of the view counted threads that exited (exit records) */
static bool wide_exited(const struct ctp_table *t, size_t limit)
{
	for (size_t i = 0; t->exits_on && i < t->nview && (!limit || i < limit); i++)
		if (t->rows[t->view[i]].exited)
			return true;
	return false;
}

/* one JSON line of the wide layout: the row head and every chosen column (no grid limit) */
static void wide_json_row(struct ctp_buf *jb, const struct ctp_table *t, const struct ctp_row *r,
			  const struct ctp_batch_style *st)
{
	bool first = true;
	ctp_buf_addch(jb, '{');
	ctp_jl_row_head(jb, &first, t, r, "groups");
	ctp_waits_json(jb, &first, r); /* --wchan */
	for (size_t c = 0; c < st->ncolumns; c++) {
		size_t m = (size_t)st->columns[c];
		struct ctp_cell cl;
		bool f2 = true;
		ctp_json_key(jb, &first, ctp_cmetric(m)->name);
		ctp_buf_addch(jb, '{');
		if (t->mode == CTP_DELTA_WINDOW) { /* base_rate, live_rate, delta_rate, window_s */
			ctp_jl_window_cell(jb, &f2, t, r, m);
			ctp_buf_addch(jb, '}');
			continue;
		}
		ctp_cell_reported(t, r, m, &cl); /* rates mode: a ratio's delta null; no percent */
		ctp_jl_cell(jb, &f2, &cl);       /* u64 counters exactly */
		ctp_jl_str(jb, &f2, "unit", ctp_cell_raw_unit(t, m));
		ctp_spread_json(jb, &f2, t, r, m); /* --spread */
		const char *flip = ctp_cell_gate_flip(t, r, m, false);
		if (flip) /* a kernel switch between the sides */
			ctp_jl_str(jb, &f2, "gate", flip);
		ctp_buf_addch(jb, '}');
	}
	ctp_buf_adds(jb, "}\n");
}

/* one text row of the wide layout, columns [c0, c1) of st: the name with " new" / " gone"
 * after a row of one side only, THR "0→5" / "5→0", the cells of the live view (ctp_cell_show:
 * a delta, a rate, a window pair "0.87→0.60", a one-sided row's present side) */
static void wide_text_row(struct ctp_tgrid *g, const struct ctp_table *t, const struct ctp_row *r,
			  const struct ctp_batch_style *st, size_t x0, size_t c0, size_t c1)
{
	char a[CTP_FMT_MAX];
	struct ctp_buf nm = CTP_BUF_INIT;
	ctp_buf_adds(&nm, t->threads ? r->key : r->label);
	if (t->has_base && r->status != CTP_ROW_MATCHED)
		ctp_buf_adds(&nm, r->status == CTP_ROW_NEW ? " new" : " gone");
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, nm.buf, 0);
	ctp_buf_release(&nm);
	ctp_tgrid_set(g, 1, ctp_row_threads_text(t, r, false, a), 0);
	if (x0 > 2) {
		snprintf(a, sizeof(a), "%zu", r->exited);
		ctp_tgrid_set(g, 2, r->exited ? a : "", 0);
	}
	for (size_t c = c0; c < c1; c++) {
		size_t m = (size_t)st->columns[c];
		ctp_cell_show(t, r, m, CTP_SHOW_CELL, a);
		bool signed_delta = r->status == CTP_ROW_MATCHED && (a[0] == '+' || a[0] == '-') && a[1];
		ctp_tgrid_set(g, c - c0 + x0, a, signed_delta ? ctp_tone_of(&r->cells[m], false) : 0);
	}
}

/* the text of the wide layout: as many tables as the columns need (each repeats the group and
 * thread columns; a grid holds CTP_TGRID_MAXCOLS), never a column dropped */
static void wide_text(FILE *f, const struct ctp_table *t, const struct ctp_batch_style *st, size_t show)
{
	size_t x0 = 2 + wide_exited(t, st->limit); /* an "exited" column when a row has one */
	bool waits = t->nrows && t->rows[0].waits; /* --wchan: a last "top wait" column */
	size_t room = CTP_TGRID_MAXCOLS - x0 - waits, c0 = 0;
	do {
		size_t c1 = st->ncolumns - c0 > room ? c0 + room : st->ncolumns;
		bool last = c1 == st->ncolumns;
		struct ctp_tgrid g = { 0 };
		char title[128];
		ctp_tgrid_row(&g);
		ctp_tgrid_set(&g, 0, ctp_axis_header(t->axis), 2);
		ctp_tgrid_set(&g, 1, "threads", 2);
		if (x0 > 2)
			ctp_tgrid_set(&g, 2, "exited", 2);
		for (size_t c = c0; c < c1; c++) {
			wide_title(t, (size_t)st->columns[c], title, sizeof(title));
			ctp_tgrid_set(&g, c - c0 + x0, title, 2);
		}
		if (waits && last)
			ctp_tgrid_set(&g, c1 - c0 + x0, "top wait", 2);
		for (size_t i = 0; i < show; i++) {
			const struct ctp_row *r = &t->rows[t->view[i]];
			wide_text_row(&g, t, r, st, x0, c0, c1);
			if (waits && last) /* --wchan */
				ctp_waits_cell(&g, c1 - c0 + x0, r);
		}
		if (c0)
			fprintf(f, "\n(columns %zu-%zu of %zu)\n", c0 + 1, c1, st->ncolumns);
		for (size_t r = 0; r < g.nrows; r++)
			ctp_tgrid_print_row(f, &g, r, st->color);
		ctp_tgrid_release(&g);
		c0 = c1;
	} while (c0 < st->ncolumns);
}

static int print_wide(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	size_t show = st->limit && t->nview > st->limit ? st->limit : t->nview;
	if (!json) {
		wide_text(f, t, st, show);
		ctp_spread_print(f, t, st->columns, st->ncolumns, show, st->color); /* --spread */
		return 0;
	}
	struct ctp_buf jb = CTP_BUF_INIT;
	for (size_t i = 0; i < show; i++)
		wide_json_row(&jb, t, &t->rows[t->view[i]], st);
	fwrite(jb.buf, 1, jb.len, f);
	ctp_buf_release(&jb);
	return 0;
}

/* §5.6: the fudged cgroup pairs of the all axis */
static void print_fudges(FILE *f, const struct ctp_table *t, bool json, bool color, const struct ctp_filter *filter)
{
	struct ctp_buf b = CTP_BUF_INIT;
	size_t n = 0;
	bool *shown = ctp_xcalloc(t->nfudges + 1, sizeof(*shown));
	for (size_t i = 0; i < t->nfudges; i++) /* --filter: the pairs with a matching side */
		n += shown[i] = !filter || ctp_filter_match(filter, t->fudges[i].base_prefix) ||
				ctp_filter_match(filter, t->fudges[i].cand_prefix);
	if (n && !json)
		ctp_buf_addf(&b, "\n%s## Fudged cgroup matches (%zu pair(s))%s\n", color ? C_BOLD C_UP : "", n,
			     color ? C_RESET : "");
	for (size_t i = 0; i < t->nfudges; i++) {
		const struct ctp_fudge *x = &t->fudges[i];
		if (!shown[i])
			continue;
		if (json) {
			bool first = true;
			ctp_buf_addch(&b, '{');
			ctp_jl_str(&b, &first, "table", "fudged");
			ctp_jl_str(&b, &first, "base_prefix", x->base_prefix);
			ctp_jl_str(&b, &first, "cand_prefix", x->cand_prefix);
			ctp_jl_str(&b, &first, "base_root", x->base_root);
			ctp_jl_str(&b, &first, "cand_root", x->cand_root);
			ctp_jl_num(&b, &first, "overlap", true, (double)x->overlap);
			ctp_jl_num(&b, &first, "jaccard", true, x->jaccard);
			ctp_jl_num(&b, &first, "cascaded", true, (double)x->cascaded);
			ctp_jl_num(&b, &first, "joined", true, (double)x->joined);
			ctp_jl_str(&b, &first, "residual_base", x->resid_base);
			ctp_jl_str(&b, &first, "residual_cand", x->resid_cand);
			ctp_buf_adds(&b, "}\n");
			continue;
		}
		ctp_buf_adds(&b, "  baseline:  ");
		ctp_sanitize_name(x->base_prefix, strlen(x->base_prefix), true, &b);
		ctp_buf_adds(&b, "\n  candidate: ");
		ctp_sanitize_name(x->cand_prefix, strlen(x->cand_prefix), true, &b);
		ctp_buf_addch(&b, '\n');
		if (x->cascaded) {
			ctp_buf_adds(&b, "  cascade roots: baseline=");
			ctp_sanitize_name(x->base_root, strlen(x->base_root), true, &b);
			ctp_buf_adds(&b, " candidate=");
			ctp_sanitize_name(x->cand_root, strlen(x->cand_root), true, &b);
			ctp_buf_addch(&b, '\n');
		}
		ctp_buf_addf(&b, "  overlap: %zu thread types, Jaccard: %.1f%%, cascaded children: %zu\n", x->overlap,
			     x->jaccard * 100.0, x->cascaded);
		if (*x->resid_base) {
			ctp_buf_adds(&b, "  residual (baseline only): ");
			ctp_sanitize_name(x->resid_base, strlen(x->resid_base), true, &b);
			ctp_buf_addch(&b, '\n');
		}
		if (*x->resid_cand) {
			ctp_buf_adds(&b, "  residual (candidate only): ");
			ctp_sanitize_name(x->resid_cand, strlen(x->resid_cand), true, &b);
			ctp_buf_addch(&b, '\n');
		}
	}
	fwrite(b.buf, 1, b.len, f);
	ctp_buf_release(&b);
	free(shown);
}

int ctp_batch_print_table(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct ctp_batch_style def = { 0 };
	if (!st)
		st = &def;
	int rc = st->columns ? print_wide(f, t, json, st)
		 : t->mode == CTP_DELTA_WINDOW ? ctp_report_window(f, t, json, st)
					       : ctp_report_long(f, t, json, st);
	if (!st->columns && t->has_base) {
		print_fudges(f, t, json, st->color, st->filter);
		print_orphans(f, t, json, CTP_ROW_GONE, "baseline", st->base_path);
		print_orphans(f, t, json, CTP_ROW_NEW, "candidate", st->cand_path);
	}
	return rc < 0 || ferror(f) ? -1 : 0;
}

/* --hide-unchanged: a section row that reads "0 → 0" or "- → -" (show: "0" or "-") */
static bool srow_empty(const struct ctp_srow *r, bool has_base)
{
	bool live_none = !r->live_ok && !r->live_text, live_zero = r->live_ok && r->live == 0;
	bool base_none = !r->base_ok && !r->base_text, base_zero = r->base_ok && r->base == 0;
	if (!has_base)
		return live_none || live_zero;
	return (base_none && live_none) || (base_zero && live_zero);
}

static void srow_json(struct ctp_buf *jb, const struct ctp_srow *r)
{
	bool first = true;
	ctp_buf_addch(jb, '{');
	ctp_jl_str(jb, &first, "table", "section");
	ctp_jl_str(jb, &first, "section", r->section);
	ctp_jl_str(jb, &first, "group", r->group);
	ctp_jl_str(jb, &first, "name", r->name);
	for (int side = 0; side < 2; side++) { /* u64 sums (smaps-rollup) exactly, never through a double */
		bool ok = side ? r->live_ok : r->base_ok;
		if (r->exact && ok) {
			ctp_json_key(jb, &first, side ? "live" : "base");
			ctp_json_u64(jb, side ? r->live_u : r->base_u);
		} else
			ctp_jl_num(jb, &first, side ? "live" : "base", ok, side ? r->live : r->base);
	}
	ctp_jl_str(jb, &first, "base_text", r->base_text);
	ctp_jl_str(jb, &first, "live_text", r->live_text);
	ctp_buf_adds(jb, "}\n");
}

/* the delta text of a section row: PSI averages in percent points, else on its ladder; "-" */
static const char *srow_delta(const struct ctp_srow *r, char *buf)
{
	if (!r->base_ok || !r->live_ok)
		return "-";
	if (r->base_text && r->live_text) /* PSI averages: percent points */
		snprintf(buf, CTP_FMT_MAX, "%+.2f%%", r->live - r->base);
	else
		ctp_fmt_delta(buf, r->live - r->base, r->ladder);
	return buf;
}

/* onecell (the arrow format, ktstr's cgroup_cell): value = "10µs → 50µs (+40µs)", "max → 1.000GiB",
 * sched_ext's state once when both sides agree; else value and delta columns */
static void srow_text(struct ctp_tgrid *g, const struct ctp_srow *r, bool has_base, bool onecell)
{
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX], d[CTP_FMT_MAX], v[3 * CTP_FMT_MAX + 16];
	const char *bt = r->base_text ? r->base_text : r->base_ok ? ctp_fmt_value(a, r->base, r->ladder) : "-";
	const char *lt = r->live_text ? r->live_text : r->live_ok ? ctp_fmt_value(b, r->live, r->ladder) : "-";
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, r->group, 0);
	ctp_tgrid_set(g, 1, r->name, 0);
	if (!has_base) {
		ctp_tgrid_set(g, 2, lt, 0);
		return;
	}
	struct ctp_cell c = { .delta = r->live - r->base, .delta_ok = r->base_ok && r->live_ok };
	const char *dt = srow_delta(r, d);
	if (onecell) {
		bool text = (r->base_text || r->live_text) && !(r->base_text && r->live_text && r->base_ok && r->live_ok);
		if (text && !strcmp(r->section, "sched-ext") && r->base_text && r->live_text &&
		    !strcmp(r->base_text, r->live_text)) /* ktstr: one state when both agree */
			snprintf(v, sizeof(v), "%s", lt);
		else if (text || !c.delta_ok)
			snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", bt, lt);
		else
			snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s (%s)", bt, lt, dt);
		ctp_tgrid_set(g, 2, v, text ? 0 : ctp_tone_of(&c, false));
		return;
	}
	snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", bt, lt);
	ctp_tgrid_set(g, 2, v, 0);
	ctp_tgrid_set(g, 3, dt, ctp_tone_of(&c, false));
}

/* ktstr's headings of the secondary tables (ours: host) */
static const char *section_heading(const char *sec)
{
	static const char *const map[][2] = {
		{ "smaps-rollup", "smaps_rollup" },   { "cgroup-stats", "CgroupStats" },
		{ "cgroup-limits", "Cgroup limits / knobs" }, { "memory-stat", "memory.stat" },
		{ "memory-events", "memory.events" }, { "pressure", "Pressure" },
		{ "host-pressure", "Host pressure" }, { "sched-ext", "sched_ext" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(map); i++)
		if (!strcmp(sec, map[i][0]))
			return map[i][1];
	return sec;
}

int ctp_batch_print_sections(FILE *f, const struct ctp_sections *s, bool json, const struct ctp_batch_style *st)
{
	struct ctp_buf jb = CTP_BUF_INIT;
	bool hide = !json && st && st->hide_unchanged;
	for (size_t i = 0; i < s->n;) {
		const char *sec = s->v[i].section;
		size_t j = i;
		while (j < s->n && !strcmp(s->v[j].section, sec))
			j++;
		struct ctp_tgrid g = { 0 };
		/* the arrow format (default) and not smaps_rollup: ktstr's one-cell form */
		bool onecell = (!st || !st->disp || st->disp->format == CTP_DF_ARROW) && strcmp(sec, "smaps-rollup");
		/* compare smaps_rollup: the long layout's cells (ktstr smaps.rs) */
		struct ctp_ldisplay sdef;
		const struct ctp_ldisplay *sd = st && st->disp ? st->disp : (ctp_ldisplay_default(&sdef, true), &sdef);
		bool smaps = s->has_base && !strcmp(sec, "smaps-rollup");
		char *last_cg = NULL; /* smaps_rollup tree (all axis) */
		if (!json && smaps)
			ctp_smaps_header(&g, sd);
		else if (!json) {
			ctp_tgrid_row(&g);
			ctp_tgrid_set(&g, 0, "group", 2);
			ctp_tgrid_set(&g, 1, "name", 2);
			ctp_tgrid_set(&g, 2, "value", 2);
			if (s->has_base && !onecell)
				ctp_tgrid_set(&g, 3, "delta", 2);
		}
		bool on = ctp_ldisplay_section_on(st ? st->disp : NULL, sec); /* --sections */
		for (size_t k = i, shown = 0; on && k < j; k++) {
			if (hide && srow_empty(&s->v[k], s->has_base))
				continue;
			if (st && st->limit && shown++ >= st->limit)
				break;
			if (json)
				srow_json(&jb, &s->v[k]);
			else if (smaps)
				ctp_smaps_row(&g, &s->v[k], sd, &last_cg);
			else
				srow_text(&g, &s->v[k], s->has_base, onecell);
		}
		if (g.nrows > 1) { /* a section left empty by --hide-unchanged is not printed */
			fprintf(f, "\n## %s\n", section_heading(sec));
			for (size_t r = 0; r < g.nrows; r++)
				ctp_tgrid_print_row(f, &g, r, st && st->color);
		}
		ctp_tgrid_release(&g);
		free(last_cg);
		i = j;
	}
	fwrite(jb.buf, 1, jb.len, f);
	ctp_buf_release(&jb);
	return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------ entry points ---- */
static int bad(const struct ctp_err *err)
{
	char msg[2400];
	fprintf(stderr, "%s\n", ctp_err_str(err, msg, sizeof(msg)));
	return 2;
}

static int run(const struct ctp_options *o, const char *fa, const char *fb)
{
	struct ctp_compare_opts co;
	struct ctp_err err = { 0 };
	struct ctp_snapshot *a = NULL, *b = NULL;
	struct ctp_table *t = NULL;
	struct ctp_sections sec = { 0 };
	struct ctp_failgate gate;
	int rc = 2;
	if (ctp_options_compare_opts(o, &co, &err) < 0) /* option errors surface before I/O */
		return bad(&err);
	if (!o->group_by) /* ktstr: compare groups by all, show by pcomm */
		co.axis = fa ? CTP_AXIS_ALL : CTP_AXIS_PCOMM;
	else if (!fa && co.axis == CTP_AXIS_ALL)
		return bad(&(struct ctp_err){ .code = CTP_E_ARG, .where = "--show",
					      .msg = "-g all joins two snapshots and needs --compare A B; "
						     "use -g pcomm, cgroup, comm or comm-exact" });
	struct ctp_ldisplay disp; /* --display-format, --columns, --sections, --metrics, --wrap */
	if (ctp_ldisplay_parse(o, fa != NULL, co.axis, &disp, stderr, &err) < 0)
		return bad(&err);
	if (ctp_failgate_open(o, co.axis, &gate)) /* --fail-if rules too */
		return 2;
	if (ctp_snapfile_load_pair(fa, &a, fb, &b, &err) < 0)
		goto out;
	ctp_flatten_notices(stderr, o->cgroup_flatten, a, b);
	if (!(t = ctp_compare(a, b, &co, &err)) || ctp_sections_build(a, b, &co, true, &sec, &err) < 0)
		goto out;
	struct ctp_filter *filter = NULL;
	ctp_filter_new(o->filter, &filter, &err); /* checked by ctp_options_compare_opts */
	struct ctp_batch_style st = { .color = !o->json && ctp_batch_want_color(stdout, o->no_color),
				      .limit = o->limit < 0 ? CTP_OFFLINE_LIMIT : (size_t)o->limit,
				      .hide_unchanged = o->hide_unchanged, .filter = filter,
				      .base_path = fa, .cand_path = fb, .disp = &disp };
	rc = ctp_batch_print_table(stdout, t, o->json, &st) < 0 ? 1 : 0;
	if (!rc && ctp_batch_print_sections(stdout, &sec, o->json, &st) < 0)
		rc = 1;
	if (!rc)
		rc = ctp_failgate_report(stdout, &gate, t, o->json); /* 3 when a rule trips */
	if (fflush(stdout))
		rc = 1;
	ctp_filter_free(filter);
out:
	if (rc == 2)
		bad(&err);
	ctp_failgate_close(&gate);
	ctp_sections_release(&sec);
	ctp_table_free(t);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
	return rc;
}

/* --compare SIDE: a comma makes it a window A1,A2 (ctp_basespec_resolve: an existing file whose
 * name holds a comma stays a file); a plain FILE never looks for its .end partner (ktstr) */
static int compare_side(const char *arg, struct ctp_basespec *spec, struct ctp_err *err)
{
	memset(spec, 0, sizeof(*spec));
	if (!strchr(arg, ','))
		return 0;
	if (ctp_basespec_resolve(arg, spec, err) < 0)
		return -1;
	if (!spec->b || spec->b_found || spec->from_dir)
		ctp_basespec_release(spec);
	return 0;
}

int ctp_batch_compare(const struct ctp_options *o)
{
	struct ctp_basespec a, b;
	struct ctp_err err = { 0 };
	int rc;
	if (compare_side(o->compare_a, &a, &err) < 0 || compare_side(o->compare_b, &b, &err) < 0)
		rc = bad(&err);
	else if (!a.b && !b.b)
		rc = run(o, o->compare_a, o->compare_b);
	else if (!a.b || !b.b)
		rc = bad(&(struct ctp_err){ .code = CTP_E_ARG, .where = "--compare",
					    .msg = "a window (A1,A2) compares with a window only: give A1,A2 B1,B2" });
	else
		rc = ctp_batch_compare_windows(o, &a, &b);
	ctp_basespec_release(&a);
	ctp_basespec_release(&b);
	return rc;
}

int ctp_batch_show(const struct ctp_options *o)
{
	return run(o, NULL, o->show);
}
