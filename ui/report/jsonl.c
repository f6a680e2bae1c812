/* jsonl.c — the JSON Lines field writers of the report printers (jsonl.h). */
#include "report/jsonl.h"

#include <math.h>
#include <string.h>

#include "base/jsonw.h"

void ctp_jl_num(struct ctp_buf *b, bool *first, const char *key, bool ok, double v)
{
	ctp_json_key(b, first, key);
	if (!ok || !isfinite(v))
		ctp_buf_adds(b, "null");
	else if (v == floor(v) && fabs(v) < 9.007199254740992e15)
		ctp_buf_addf(b, "%.0f", v);
	else
		ctp_buf_addf(b, "%.17g", v);
}

void ctp_jl_cell(struct ctp_buf *b, bool *first, const struct ctp_cell *c)
{
	if (c->base_x) {
		ctp_json_key(b, first, "base");
		ctp_json_u64(b, c->base_u);
	} else
		ctp_jl_num(b, first, "base", c->base_ok, c->base);
	if (c->live_x) {
		ctp_json_key(b, first, "live");
		ctp_json_u64(b, c->live_u);
	} else
		ctp_jl_num(b, first, "live", c->live_ok, c->live);
	bool up = c->live_u >= c->base_u;
	uint64_t d = up ? c->live_u - c->base_u : c->base_u - c->live_u;
	if (c->base_x && c->live_x && c->delta_ok && c->delta == c->live - c->base) {
		ctp_json_key(b, first, "delta"); /* the plain difference (not a rate): exactly */
		if (!up)
			ctp_buf_addch(b, '-');
		ctp_json_u64(b, d);
	} else
		ctp_jl_num(b, first, "delta", c->delta_ok, c->delta);
	ctp_jl_num(b, first, "pct", c->pct_ok, c->pct);
}

void ctp_jl_str(struct ctp_buf *b, bool *first, const char *key, const char *s)
{
	ctp_json_key(b, first, key);
	if (s)
		ctp_json_str(b, s);
	else
		ctp_buf_adds(b, "null");
}

const char *ctp_jl_status(enum ctp_row_status s)
{
	return s == CTP_ROW_NEW ? "new" : s == CTP_ROW_GONE ? "gone" : "matched";
}

void ctp_jl_row_head(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r,
			  const char *table)
{
	ctp_jl_str(b, first, "table", table);
	ctp_jl_str(b, first, "group", t->threads ? r->key : r->label);
	ctp_jl_str(b, first, "status", ctp_jl_status(r->status));
	ctp_jl_num(b, first, "threads_base", t->has_base, (double)r->nthreads_base);
	ctp_jl_num(b, first, "threads_live", true, (double)r->nthreads_live);
	if (t->exits_on && r->exited) /* exit records (issue 17): threads gone in the interval */
		ctp_jl_num(b, first, "exited", true, (double)r->exited);
}

bool ctp_jl_per_second(const struct ctp_table *t, size_t m)
{
	const char *u = ctp_cell_raw_unit(t, m);
	size_t ul = strlen(u);
	return ul >= 2 && !strcmp(u + ul - 2, "/s");
}

void ctp_jl_window_cell(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r, size_t m)
{
	const struct ctp_cell *c = &r->cells[m];
	bool rate = ctp_jl_per_second(t, m);
	ctp_jl_num(b, first, rate ? "base_rate" : "base", c->base_ok, c->base);
	ctp_jl_num(b, first, rate ? "live_rate" : "live", c->live_ok, c->live);
	ctp_jl_num(b, first, rate ? "delta_rate" : "delta", c->delta_ok, c->delta);
	ctp_jl_num(b, first, "pct", c->pct_ok, c->pct);
	ctp_jl_num(b, first, "window_s", true, t->elapsed_s);
	ctp_jl_num(b, first, "base_window_s", true, t->base_window_s);
	ctp_jl_str(b, first, "unit", ctp_cell_raw_unit(t, m));
}
