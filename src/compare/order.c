/* order.c — the order and view of a compare table: sort keys (§3.3; a new or gone row by its
 * present side), the default order (ktstr's best |pct| row first, or under a score mask the new
 * and gone groups, then the largest relative change), the regex filter and limit, ktstr's long
 * (row, metric) order, row lookup and the hide-idle rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/filter.h"
#include "internal.h"

/* --------------------------------------------------------------- sorting ---- */
/* the side a new (live) or gone (base) row has, as its cell shows it: in RATE mode a new row's
 * rate is its delta per second (counted from 0, or from its threads' values under the name they
 * had before: a process that renamed itself, a kworker whose name follows its work), never its
 * lifetime over the interval; a gone row has none there (the interval it would be a rate over
 * is after its end). */
static bool present_side(const struct ctp_table *t, const struct ctp_row *r, size_t m, double *v)
{
	const struct ctp_cell *c = &r->cells[m];
	bool gone = r->status == CTP_ROW_GONE, ok = gone ? c->base_ok : c->live_ok;
	if (gone && t->mode == CTP_DELTA_RATE)
		return false;
	if (t->mode == CTP_DELTA_RATE && ctp_cell_kind(t, m) == CTP_CELL_RATE && c->delta_ok) {
		*v = c->delta;
		return true;
	}
	*v = gone ? c->base : c->live;
	if (ok && t->mode == CTP_DELTA_RATE && ctp_cmetric(m)->monotonic && t->elapsed_s > 0)
		*v /= t->elapsed_s;
	return ok;
}

static bool sort_value(const struct ctp_table *t, const struct ctp_row *r, int m, enum ctp_sort_on on, double *v)
{
	const struct ctp_cell *c = &r->cells[m];
	if (on == CTP_SORT_ON_AUTO)
		on = t->has_base ? CTP_SORT_ON_DELTA : CTP_SORT_ON_LIVE;
	switch (on) {
	case CTP_SORT_ON_LIVE: *v = c->live; return c->live_ok;
	case CTP_SORT_ON_BASE: *v = c->base; return c->base_ok;
	case CTP_SORT_ON_PCT: *v = c->pct; return c->pct_ok;
	default:
		if (t->has_base && r->status != CTP_ROW_MATCHED) /* no delta: never sinks */
			return present_side(t, r, (size_t)m, v);
		*v = c->delta;
		return c->delta_ok;
	}
}

/* default order (sort.n == 0), per row: cls 0 = new/gone first (score-mask order only), then
 * score (desc), then tie (desc), then key bytes */
struct rank {
	int cls;
	double score, tie;
};

struct sortctx {
	const struct ctp_table *t;
	const struct ctp_sort *s;
	const struct rank *rank;
};

static int cmp_keys(const struct sortctx *x, const struct ctp_row *a, const struct ctp_row *b)
{
	for (size_t k = 0; k < x->s->n; k++) {
		double va, vb;
		bool oka = sort_value(x->t, a, x->s->k[k].metric, x->s->on, &va);
		bool okb = sort_value(x->t, b, x->s->k[k].metric, x->s->on, &vb);
		if (oka != okb)
			return oka ? -1 : 1; /* none sinks in both directions */
		if (oka && va != vb)
			return (va < vb) == x->s->k[k].asc ? -1 : 1;
	}
	return 0;
}

static int cmp_rank(const struct rank *a, const struct rank *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->tie != b->tie)
		return a->tie > b->tie ? -1 : 1;
	return 0;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct sortctx *x = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct ctp_row *a = &x->t->rows[ia], *b = &x->t->rows[ib];
	int r = 0;
	if (x->s->n)
		r = cmp_keys(x, a, b);
	else if (x->rank)
		r = cmp_rank(&x->rank[ia], &x->rank[ib]);
	else if (x->t->threads && (a->tid != b->tid || a->start_time_clock_ticks != b->start_time_clock_ticks)) {
		if (a->tid != b->tid)
			return a->tid < b->tid ? -1 : 1;
		return a->start_time_clock_ticks < b->start_time_clock_ticks ? -1 : 1;
	}
	return r ? r : ctp_keycmp(a->key, a->keylen, b->key, b->keylen);
}

static bool masked(const struct ctp_sort *s, size_t m)
{
	return m < 128 && (s->score_mask[m / 64] >> (m % 64) & 1);
}

/* relative change of one cell for the score-mask order: |pct|; a change from a zero base
 * |delta| x 1e9 (ktstr's rule: above every percent); ratios (no percent) do not count */
static double rel_score(const struct ctp_cell *c, const struct ctp_cmetric *m)
{
	if (m->is_ratio)
		return -INFINITY;
	return ctp_cell_score(c);
}

/* ktstr: the best ctp_cell_score over every primary metric. Score mask: new/gone rows first by
 * their present side of the lowest-index masked metric, then the best relative change over the
 * masked metrics, tie |delta| of the lowest-index masked metric */
static void rank_row(const struct ctp_table *t, const struct ctp_row *r, struct rank *rk)
{
	const struct ctp_sort *s = &t->sort;
	bool mask = s->score_mask[0] || s->score_mask[1];
	size_t nm = mask ? ctp_cmetric_count() : ctp_cmetric_primary_count(), first = SIZE_MAX;
	*rk = (struct rank){ 1, -INFINITY, -INFINITY };
	for (size_t m = 0; m < nm; m++) {
		if (mask && !masked(s, m))
			continue;
		if (first == SIZE_MAX)
			first = m;
		double sc = mask ? rel_score(&r->cells[m], ctp_cmetric(m)) : ctp_cell_score(&r->cells[m]);
		if (sc > rk->score)
			rk->score = sc;
	}
	if (!mask || first == SIZE_MAX)
		return;
	const struct ctp_cell *c = &r->cells[first];
	if (r->status != CTP_ROW_MATCHED) {
		double v;
		rk->cls = 0;
		rk->score = present_side(t, r, first, &v) ? v : -INFINITY;
	} else if (c->delta_ok) {
		rk->tie = fabs(c->delta);
	}
}

int ctp_table_sort_rows(struct ctp_table *t)
{
	size_t n = t->nrows;
	size_t *perm = ctp_xmalloc((n + 1) * sizeof(*perm));
	struct rank *rank = NULL;
	bool mask = t->sort.score_mask[0] || t->sort.score_mask[1];
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	if (!t->sort.n && t->has_base && (!t->threads || mask)) {
		rank = ctp_xmalloc((n + 1) * sizeof(*rank));
		for (size_t i = 0; i < n; i++)
			rank_row(t, &t->rows[i], &rank[i]);
	}
	struct sortctx x = { t, &t->sort, rank };
	qsort_r(perm, n, sizeof(*perm), cmp_rows, &x);
	struct ctp_row *nr = ctp_xmalloc((n + 1) * sizeof(*nr));
	for (size_t i = 0; i < n; i++)
		nr[i] = t->rows[perm[i]];
	free(t->rows);
	t->rows = nr;
	free(perm);
	free(rank);
	return 0;
}

int ctp_table_build_view(struct ctp_table *t, const char *filter, size_t limit, struct ctp_err *err)
{
	struct ctp_filter *re;
	if (ctp_filter_new(filter, &re, err) < 0)
		return -1;
	free(t->view);
	t->view = ctp_xmalloc((t->nrows + 1) * sizeof(*t->view));
	t->nview = 0;
	for (size_t i = 0; i < t->nrows && (!limit || t->nview < limit); i++)
		if (ctp_filter_match(re, t->rows[i].label))
			t->view[t->nview++] = i;
	ctp_filter_free(re);
	return 0;
}

int ctp_table_resort(struct ctp_table *t, const struct ctp_sort *s, const char *filter, size_t limit,
		     struct ctp_err *err)
{
	if (s)
		t->sort = *s;
	ctp_table_sort_rows(t);
	return ctp_table_build_view(t, filter, limit, err);
}

const struct ctp_row *ctp_table_find(const struct ctp_table *t, const char *key, size_t keylen)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].keylen == keylen && !memcmp(t->rows[i].key, key, keylen))
			return &t->rows[i];
	return NULL;
}

/* ------------------------------------------------------------ long format ---- */
struct flatctx {
	const struct ctp_table *t;
};

static int cmp_flat(const void *pa, const void *pb, void *arg)
{
	const struct flatctx *x = arg;
	const struct ctp_flat *a = pa, *b = pb;
	double sa = ctp_cell_score(&x->t->rows[a->row].cells[a->metric]);
	double sb = ctp_cell_score(&x->t->rows[b->row].cells[b->metric]);
	if (sa != sb)
		return sa > sb ? -1 : 1;
	const struct ctp_row *ra = &x->t->rows[a->row], *rb = &x->t->rows[b->row];
	int r = ctp_keycmp(ra->key, ra->keylen, rb->key, rb->keylen);
	if (r)
		return r;
	return (a->metric > b->metric) - (a->metric < b->metric);
}

size_t ctp_table_flat(const struct ctp_table *t, enum ctp_csection which, struct ctp_flat **out)
{
	size_t nm = ctp_cmetric_count(), n = 0;
	struct ctp_flat *v = ctp_xmalloc((t->nview * nm + 1) * sizeof(*v));
	for (size_t i = 0; i < t->nview; i++) {
		const struct ctp_row *r = &t->rows[t->view[i]];
		if (t->has_base && r->status != CTP_ROW_MATCHED)
			continue;
		for (size_t m = 0; m < nm; m++) {
			bool derived = ctp_cmetric(m)->rule == CTP_CR_DERIVED;
			if (derived == (which == CTP_CSEC_DERIVED) && !ctp_cmetric_is_ext(m))
				v[n++] = (struct ctp_flat){ t->view[i], m };
		}
	}
	if (!t->sort.n && t->has_base && !t->threads) {
		struct flatctx x = { t };
		qsort_r(v, n, sizeof(*v), cmp_flat, &x);
	}
	*out = v;
	return n;
}

/* the number a cell's idleness is judged by: without a base the live value; a new/gone row its
 * present side; a window pair its live (window) side, since its delta compares the window with
 * the baseline's lifetime; otherwise the change. Categorical cells always show a value and never
 * make a row busy. */
static bool shown_value(const struct ctp_table *t, const struct ctp_row *r, size_t m, double *v)
{
	const struct ctp_cell *c = &r->cells[m];
	if (!t->has_base) {
		*v = c->live;
		return c->live_ok;
	}
	if (ctp_cmetric(m)->cat >= 0)
		return false;
	if (r->status != CTP_ROW_MATCHED)
		return present_side(t, r, m, v);
	enum ctp_cell_kind k = ctp_cell_kind(t, m); /* a ratio or mean shows its window value */
	if (k == CTP_CELL_PAIR || (k == CTP_CELL_LIVE && ctp_cmetric(m)->rule == CTP_CR_DERIVED) ||
	    (t->mode == CTP_DELTA_WINDOW && c->live_ok && c->live != 0)) {
		*v = c->live; /* WINDOW: a steady rate (Δ/s 0) is not idle */
		return c->live_ok;
	}
	*v = c->delta;
	return c->delta_ok;
}

bool ctp_row_idle(const struct ctp_table *t, const struct ctp_row *r, const int *metrics, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double v;
		if (shown_value(t, r, (size_t)metrics[i], &v) && v != 0)
			return false;
	}
	return true;
}
