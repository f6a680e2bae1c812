/* spreadrep.c — the batch printers of issue 17: spread within a group (--spread: the "spread"
 * object of a metric in a wide JSON row, the text table "## spread" after a sample's groups)
 * and what a group's threads wait on (--wchan: the row's JSON "waits" object). */
#include <stdio.h>
#include <string.h>

#include "report/jsonl.h"
#include "report/spreadrep.h"
#include "report/textgrid.h"
#include "base/jsonw.h"

void ctp_spread_json(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r, size_t m)
{
	const struct ctp_spread *s = r->spread ? &r->spread[m] : NULL;
	if (!s || !s->ok)
		return;
	bool f = true;
	ctp_json_key(b, first, "spread");
	ctp_buf_addch(b, '{');
	ctp_jl_num(b, &f, "min", true, s->min);
	ctp_jl_num(b, &f, "p50", true, s->p50);
	ctp_jl_num(b, &f, "p90", true, s->p90);
	ctp_jl_num(b, &f, "max", true, s->max);
	ctp_jl_num(b, &f, "imbalance", s->imb_ok, s->imbalance);
	ctp_jl_num(b, &f, "threads", true, (double)s->n);
	ctp_buf_addch(b, '}');
}

static void header(struct ctp_tgrid *g, const struct ctp_table *t)
{
	static const char *const h[] = { "metric", "threads", "min", "p50", "p90", "max", "imbalance" };
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, ctp_axis_header(t->axis), 2);
	for (size_t i = 0; i < sizeof(h) / sizeof(*h); i++)
		ctp_tgrid_set(g, i + 1, h[i], 2);
}

static void row(struct ctp_tgrid *g, const struct ctp_table *t, const struct ctp_row *r, size_t m)
{
	const struct ctp_spread *s = &r->spread[m];
	char a[CTP_FMT_MAX];
	const double v[4] = { s->min, s->p50, s->p90, s->max };
	ctp_tgrid_row(g);
	ctp_tgrid_set(g, 0, t->threads ? r->key : r->label, 0);
	ctp_tgrid_set(g, 1, ctp_cmetric(m)->name, 0);
	snprintf(a, sizeof(a), "%zu", s->n);
	ctp_tgrid_set(g, 2, a, 0);
	for (int i = 0; i < 4; i++)
		ctp_tgrid_set(g, (size_t)i + 3, ctp_cell_number_text(t, m, v[i], a), 0);
	if (s->imb_ok)
		snprintf(a, sizeof(a), "%.2f", s->imbalance);
	ctp_tgrid_set(g, 7, s->imb_ok ? a : "-", 0);
}

void ctp_spread_print(FILE *f, const struct ctp_table *t, const int *cols, size_t ncol, size_t show, bool color)
{
	struct ctp_tgrid g = { 0 };
	header(&g, t);
	for (size_t i = 0; i < show && i < t->nview; i++) {
		const struct ctp_row *r = &t->rows[t->view[i]];
		for (size_t c = 0; r->spread && c < ncol; c++)
			if (r->spread[cols[c]].ok && r->spread[cols[c]].max != 0) /* a counter nobody moved: no line */
				row(&g, t, r, (size_t)cols[c]);
	}
	if (g.nrows > 1) {
		fputs("\n## spread (per-thread deltas in the interval)\n", f);
		for (size_t r = 0; r < g.nrows; r++)
			ctp_tgrid_print_row(f, &g, r, color);
	}
	ctp_tgrid_release(&g);
}

/* ,"waits":{"sleeping","top","top_share","top_share_base","channels":[{"wchan","threads"}..]} */
void ctp_waits_json(struct ctp_buf *b, bool *first, const struct ctp_row *r)
{
	if (!r->waits)
		return;
	const struct ctp_waits *l = &r->waits[1], *bs = &r->waits[0];
	bool f = true;
	ctp_json_key(b, first, "waits");
	ctp_buf_addch(b, '{');
	ctp_jl_num(b, &f, "sleeping", l->ok, (double)l->sleeping);
	ctp_jl_num(b, &f, "sleeping_base", bs->ok, (double)bs->sleeping);
	ctp_jl_str(b, &f, "top", l->n ? l->v[0].name : NULL);
	double share = l->n ? ctp_waits_share(l, l->v[0].name) : -1, sb = l->n ? ctp_waits_share(bs, l->v[0].name) : -1;
	ctp_jl_num(b, &f, "top_share", share >= 0, share);
	ctp_jl_num(b, &f, "top_share_base", sb >= 0, sb);
	ctp_json_key(b, &f, "channels");
	ctp_buf_addch(b, '[');
	for (size_t i = 0; i < l->n && i < CTP_WAITS_JSON_MAX; i++) {
		bool f2 = true;
		ctp_buf_adds(b, i ? ",{" : "{");
		ctp_jl_str(b, &f2, "wchan", l->v[i].name);
		ctp_jl_num(b, &f2, "threads", true, (double)l->v[i].threads);
		ctp_buf_addch(b, '}');
	}
	ctp_buf_adds(b, "]}");
}

void ctp_waits_cell(struct ctp_tgrid *g, size_t col, const struct ctp_row *r)
{
	char wt[256];
	struct ctp_buf sb = CTP_BUF_INIT;
	ctp_waits_top_text(r, wt, sizeof(wt));
	ctp_sanitize_name(wt, strlen(wt), true, &sb);
	ctp_tgrid_set(g, col, sb.buf ? sb.buf : "-", 0);
	ctp_buf_release(&sb);
}
