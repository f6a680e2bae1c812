/* window.c — rate vs baseline rate (issue 15): a table comparing the per-second rates of two
 * windows (two snapshots each) group by group. Each window is an ordinary RATE-mode table
 * (per-thread deltas by (tid, start), window values of derived ratios); the two are joined by
 * row key into one CTP_DELTA_WINDOW table, then sorted, filtered and limited. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* capture clocks disagree by the length of a capture and by clock adjustments: boot times
 * (unix time minus time since boot) that close are the same boot */
#define BOOT_SLACK_NS 5000000000ll

static int str_differs(const char *name, const char *a, const char *b, struct ctp_err *err)
{
	if (!a || !b || !strcmp(a, b))
		return 0;
	return ctp_err_set(err, CTP_E_ARG, 0, "", "different hosts: %s %.80s and %.80s", name, a, b);
}

/* the host context's fixed facts (ktstr's files have no hostname): kernel, machine, command line,
 * CPU model, memory size */
static int host_differs(const struct ctp_host *a, const struct ctp_host *b, struct ctp_err *err)
{
	if (!a || !b)
		return 0;
	if (str_differs("kernel_release", a->kernel_release, b->kernel_release, err) < 0 ||
	    str_differs("arch", a->arch, b->arch, err) < 0 ||
	    str_differs("cpu_model", a->cpu_model, b->cpu_model, err) < 0 ||
	    str_differs("kernel_cmdline", a->kernel_cmdline, b->kernel_cmdline, err) < 0)
		return -1;
	if (a->total_memory_kib.set && b->total_memory_kib.set && a->total_memory_kib.v != b->total_memory_kib.v)
		return ctp_err_set(err, CTP_E_ARG, 0, "", "different hosts: total_memory_kib %llu and %llu",
				   (unsigned long long)a->total_memory_kib.v, (unsigned long long)b->total_memory_kib.v);
	return 0;
}

/* unix time of boot, from a snapshot's two clocks; 0 when unknown */
static int64_t boot_unix_ns(const struct ctp_snapshot *s)
{
	if (!s->captured_boottime_ns || !s->captured_at_unix_ns || s->captured_at_unix_ns < s->captured_boottime_ns)
		return 0;
	return (int64_t)(s->captured_at_unix_ns - s->captured_boottime_ns);
}

/* seconds from a to b: the monotonic clock when both have it (live captures), else wall time */
static double span_s(const struct ctp_snapshot *a, const struct ctp_snapshot *b)
{
	if (a->captured_mono_ns && b->captured_mono_ns)
		return ((double)b->captured_mono_ns - (double)a->captured_mono_ns) / 1e9;
	return ((double)b->captured_at_unix_ns - (double)a->captured_at_unix_ns) / 1e9;
}

int ctp_window_check(const struct ctp_snapshot *a, const struct ctp_snapshot *b, struct ctp_err *err)
{
	if (!a || !b)
		return ctp_err_set(err, CTP_E_ARG, 0, "", "a window needs two snapshots");
	if (host_differs(a->host, b->host, err) < 0)
		return -1;
	int64_t ba = boot_unix_ns(a), bb = boot_unix_ns(b);
	if (ba && bb && llabs(bb - ba) > BOOT_SLACK_NS)
		return ctp_err_set(err, CTP_E_ARG, 0, "", "different boots: the second host booted %.0fs %s the first",
				   fabs((double)(bb - ba)) / 1e9, bb > ba ? "after" : "before");
	double s = span_s(a, b);
	if (s < 0)
		return ctp_err_set(err, CTP_E_ARG, 0, "", "out of order: the second was captured %.0fs before the first", -s);
	if (!(s > 0))
		return ctp_err_set(err, CTP_E_ARG, 0, "", "not a window: both were captured at the same time");
	return 0;
}

/* ------------------------------------------------------------- joining ---- */
static void copy_cat(struct ctp_catval *dst, const struct ctp_catval *src)
{
	free(dst->text);
	*dst = *src;
	dst->text = src->text ? ctp_xstrdup(src->text) : NULL;
}

/* one window's side of a joined row: rates (monotonic counters, derived sums) from the window's
 * per-second delta; everything else the value at the window's end (its rate table's live side:
 * window values for derived ratios and means, gauges, categorical metrics) */
static void side_from(struct ctp_row *r, int side, const struct ctp_row *src)
{
	size_t n = ctp_cmetric_count();
	for (size_t m = 0; m < n; m++) {
		const struct ctp_cell *c = &src->cells[m];
		if (ctp_cmetric(m)->monotonic)
			ctp_cell_set_side(&r->cells[m], side, c->delta_ok, c->delta);
		else
			ctp_cell_set_side(&r->cells[m], side, c->live_ok, c->live);
	}
	for (int k = 0; k < CTP_NCAT; k++)
		copy_cat(&r->cats[k][side], &src->cats[k][1]);
}

/* a row of the window table from a base window row b and a live window row l (either NULL) */
static void join_row(struct ctp_row *r, const struct ctp_row *b, const struct ctp_row *l, enum ctp_axis axis)
{
	const struct ctp_row *id = l ? l : b;
	ctp_row_set_key(r, id->key, id->keylen, axis);
	free(r->label);
	r->label = ctp_xstrdup(id->label);
	r->fudged = id->fudged;
	r->status = b && l ? CTP_ROW_MATCHED : l ? CTP_ROW_NEW : CTP_ROW_GONE;
	r->cells = ctp_xcalloc(ctp_cmetric_count(), sizeof(*r->cells));
	r->nthreads_base = b ? b->nthreads_live : 0;
	r->nthreads_live = l ? l->nthreads_live : 0;
	r->born = l ? l->born : 0;
	r->exited = l ? l->exited : 0;
	r->uptime_ok = b && l && l->uptime_ok;
	r->uptime_pct = r->uptime_ok ? l->uptime_pct : 0;
	if (b)
		side_from(r, 0, b);
	if (l)
		side_from(r, 1, l);
	ctp_row_deltas(r, CTP_DELTA_WINDOW);
}

/* a group has a rate in a window when it has threads at the window's end: a row gone inside
 * the window (its threads exited before b) has none */
static bool has_rate(const struct ctp_row *r)
{
	return r->status != CTP_ROW_GONE;
}

static struct ctp_table *join(const struct ctp_table *tb, const struct ctp_table *tl, const struct ctp_window *base,
			      const struct ctp_window *live, const struct ctp_compare_opts *o)
{
	struct ctp_table *t = ctp_xcalloc(1, sizeof(*t));
	struct ctp_hmap bmap = { 0 };
	bool *used = ctp_xcalloc(tb->nrows + 1, sizeof(*used));
	t->axis = o->axis;
	t->mode = CTP_DELTA_WINDOW;
	t->elapsed_s = tl->elapsed_s;
	t->base_window_s = tb->elapsed_s;
	t->has_base = true;
	t->sort = o->sort;
	t->nbase_threads = base->b->nthreads;
	t->nlive_threads = live->b->nthreads;
	t->rows = ctp_xcalloc(tb->nrows + tl->nrows + 1, sizeof(*t->rows));
	for (size_t i = 0; i < tb->nrows; i++)
		if (has_rate(&tb->rows[i]))
			ctp_hmap_put(&bmap, tb->rows[i].key, tb->rows[i].keylen, i, NULL);
	for (size_t i = 0; i < tl->nrows; i++) {
		const struct ctp_row *l = &tl->rows[i];
		if (!has_rate(l))
			continue;
		struct ctp_hent *e = ctp_hmap_get(&bmap, l->key, l->keylen);
		if (e)
			used[e->val] = true;
		join_row(&t->rows[t->nrows++], e ? &tb->rows[e->val] : NULL, l, o->axis);
	}
	for (size_t i = 0; i < tb->nrows; i++)
		if (has_rate(&tb->rows[i]) && !used[i])
			join_row(&t->rows[t->nrows++], &tb->rows[i], NULL, o->axis);
	ctp_hmap_release(&bmap);
	free(used);
	return t;
}

/* one window as a RATE-mode table: every row, no order */
static struct ctp_table *window_rates(const struct ctp_window *w, const char *which, const struct ctp_compare_opts *o,
				      struct ctp_err *err)
{
	struct ctp_compare_opts ro = *o;
	if (!w || ctp_window_check(w->a, w->b, err) < 0) {
		if (!w)
			ctp_err_set(err, CTP_E_ARG, 0, "", "no window");
		snprintf(err->where, sizeof(err->where), "%s", which);
		return NULL;
	}
	ro.mode = CTP_DELTA_RATE;
	ro.tid_deltas = true;
	ro.window_derived = true;
	ro.elapsed_s = 0; /* each window's own capture times */
	ro.filter = NULL;
	ro.limit = 0;
	memset(&ro.sort, 0, sizeof(ro.sort));
	return ctp_compare(w->a, w->b, &ro, err);
}

struct ctp_table *ctp_compare_window(const struct ctp_window *base, const struct ctp_window *live,
				     const struct ctp_compare_opts *o, struct ctp_err *err)
{
	struct ctp_err local = { 0 };
	if (!err)
		err = &local;
	struct ctp_table *tb = window_rates(base, "base window", o, err);
	struct ctp_table *tl = tb ? window_rates(live, "live window", o, err) : NULL;
	struct ctp_table *t = tl ? join(tb, tl, base, live, o) : NULL;
	ctp_table_free(tb);
	ctp_table_free(tl);
	if (t && ctp_table_resort(t, &o->sort, o->filter, o->limit, err) < 0) {
		ctp_table_free(t);
		return NULL;
	}
	return t;
}
