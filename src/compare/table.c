/* table.c — builds the compare table: groups both snapshots, aggregates each group side,
 * joins them (new/gone rows kept), optional per-thread (tid, start_time) deltas, window values
 * of the derived metrics, uptime, and the per-thread drill-down table (threads of a restarted
 * process paired by name). Order and view: order.c. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "snapshot/tscover.h"

void ctp_compare_opts_init(struct ctp_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->axis = CTP_AXIS_PCOMM;
	o->mode = CTP_DELTA_BASELINE;
}

int ctp_keycmp(const char *a, size_t al, const char *b, size_t bl)
{
	int r = memcmp(a, b, al < bl ? al : bl);
	return r ? r : (al > bl) - (al < bl);
}

void ctp_row_set_key(struct ctp_row *r, const char *key, size_t len, enum ctp_axis axis)
{
	r->key = ctp_xstrndup(key, len);
	r->keylen = len;
	struct ctp_buf lb = CTP_BUF_INIT;
	r->part[0] = r->key;
	r->part[1] = r->part[2] = "";
	if (axis == CTP_AXIS_ALL) {
		const char *p = r->key, *end = r->key + len;
		for (int i = 0; i < 3 && p <= end; i++) {
			r->part[i] = p;
			p += strlen(p) + 1;
		}
	}
	for (size_t i = 0; i < len; i++) {
		if (r->key[i])
			ctp_buf_addch(&lb, r->key[i]);
		else
			ctp_buf_adds(&lb, " | ");
	}
	r->label = ctp_buf_detach(&lb, NULL);
}

void ctp_row_release(struct ctp_row *r)
{
	free(r->key);
	free(r->label);
	free(r->cells);
	free(r->spread);
	if (r->waits) {
		ctp_waits_release(&r->waits[0]);
		ctp_waits_release(&r->waits[1]);
		free(r->waits);
	}
	for (int c = 0; c < CTP_NCAT; c++) {
		free(r->cats[c][0].text);
		free(r->cats[c][1].text);
	}
}

void ctp_table_free(struct ctp_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		ctp_row_release(&t->rows[i]);
	free(t->rows);
	free(t->view);
	for (size_t i = 0; i < t->nfudges; i++)
		ctp_fudge_release(&t->fudges[i]);
	free(t->fudges);
	free(t);
}

/* ------------------------------------------------------------ elapsed time ---- */
static double snapshot_elapsed(const struct ctp_snapshot *b, const struct ctp_snapshot *l)
{
	if (b->captured_mono_ns && l->captured_mono_ns && l->captured_mono_ns > b->captured_mono_ns)
		return (double)(l->captured_mono_ns - b->captured_mono_ns) / 1e9;
	if (l->captured_at_unix_ns > b->captured_at_unix_ns)
		return (double)(l->captured_at_unix_ns - b->captured_at_unix_ns) / 1e9;
	return 0;
}

static int check_opts(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		      const struct ctp_compare_opts *o, enum ctp_delta_mode *mode, double *elapsed,
		      struct ctp_err *err)
{
	if (!live)
		return ctp_err_set(err, CTP_E_ARG, 0, "compare", "no live snapshot");
	if (o->axis >= CTP_AXIS_COUNT)
		return ctp_err_set(err, CTP_E_ARG, 0, "compare", "bad axis %d", (int)o->axis);
	*mode = base ? o->mode : CTP_DELTA_ABSOLUTE;
	*elapsed = o->elapsed_s > 0 ? o->elapsed_s : base ? snapshot_elapsed(base, live) : 0;
	if (*mode == CTP_DELTA_RATE && !(*elapsed > 0))
		return ctp_err_set(err, CTP_E_ARG, 0, "compare", "rate mode needs a positive elapsed time");
	return 0;
}

/* -------------------------------------------------------- per-tid joining ---- */
struct tidkey {
	uint32_t tid;
	uint32_t pad;
	uint64_t start;
};

static void tid_index(const struct ctp_snapshot *s, struct ctp_hmap *m)
{
	for (size_t i = 0; s && i < s->nthreads; i++) {
		struct tidkey k = { s->threads[i].tid, 0, s->threads[i].start_time_clock_ticks };
		ctp_hmap_put(m, (const char *)&k, sizeof(k), i, NULL);
	}
}

static const struct ctp_thread *twin(const struct ctp_hmap *m, const struct ctp_snapshot *s,
				     const struct ctp_thread *t)
{
	struct tidkey k = { t->tid, 0, t->start_time_clock_ticks };
	struct ctp_hent *e = s ? ctp_hmap_get(m, (const char *)&k, sizeof(k)) : NULL;
	return e ? &s->threads[e->val] : NULL;
}

/* the monotonic (Sum) metrics: cmetric index and u64 field offset, built once */
static struct {
	int cm;
	size_t offset;
} mono[CTP_NPRIMARY];
static size_t nmono;
static pthread_once_t mono_once = PTHREAD_ONCE_INIT;

static void mono_init(void)
{
	for (size_t m = 1; m < CTP_NPRIMARY; m++) {
		const struct ctp_cmetric *c = ctp_cmetric(m);
		if (c->monotonic && ctp_fields[c->field].kind == CTP_KIND_U64) {
			mono[nmono].cm = (int)m;
			mono[nmono++].offset = ctp_fields[c->field].offset;
		}
	}
}

static uint64_t u64_at(const struct ctp_thread *t, size_t off)
{
	return *(const uint64_t *)((const char *)t + off);
}

/* issue 17: Σ over the group's exit records of final - base (0 for a thread born in the
 * interval); exited = the records, born += those born in the interval. A record whose thread
 * is also in live (read, then gone) is left to that thread. */
static void exit_deltas(struct ctp_row *r, const size_t *ex_idx, size_t nex, const struct ctp_snapshot *base,
			const struct ctp_snapshot *live, const struct ctp_hmap *bmap, const struct ctp_hmap *lmap,
			double *sum)
{
	size_t n = 0, born = 0;
	for (size_t i = 0; i < nex; i++) {
		const struct ctp_thread *e = &live->exits[ex_idx[i]], *b = twin(bmap, base, e);
		if (twin(lmap, live, e))
			continue;
		n++;
		born += !b;
		for (size_t k = 0; k < nmono; k++) {
			double v = (double)u64_at(e, mono[k].offset), bv = b ? (double)u64_at(b, mono[k].offset) : 0;
			sum[k] += v > bv ? v - bv : 0;
		}
	}
	r->exited = n;
	r->born += born;
}

/* Σ per-thread deltas of the monotonic metrics of one group (compare.md §7.1) */
static void tid_deltas(struct ctp_row *r, const size_t *live_idx, size_t nlive, const size_t *base_idx,
		       size_t nbase, const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_hmap *bmap, const struct ctp_hmap *lmap, const size_t *ex_idx, size_t nex)
{
	double sum[CTP_NPRIMARY] = { 0 }, exit_sums[CTP_NPRIMARY] = { 0 };
	pthread_once(&mono_once, mono_init);
	r->born = r->exited = 0;
	for (size_t i = 0; i < nlive; i++) {
		const struct ctp_thread *t = &live->threads[live_idx[i]], *b = twin(bmap, base, t);
		r->born += !b;
		for (size_t k = 0; k < nmono; k++)
			sum[k] += (double)u64_at(t, mono[k].offset) - (b ? (double)u64_at(b, mono[k].offset) : 0);
	}
	for (size_t i = 0; i < nbase; i++)
		r->exited += !twin(lmap, live, &base->threads[base_idx[i]]);
	if (live->exits_on)
		exit_deltas(r, ex_idx, nex, base, live, bmap, lmap, exit_sums);
	for (size_t k = 0; k < nmono; k++)
		sum[k] += exit_sums[k];
	for (size_t k = 0; k < nmono; k++) {
		struct ctp_cell *c = &r->cells[mono[k].cm];
		if (!c->live_ok || (r->status != CTP_ROW_NEW && !c->base_ok))
			continue;
		c->delta = sum[k]; /* raw: ctp_row_per_second makes it a rate */
		c->delta_ok = true;
		c->pct_ok = c->base_ok && fabs(c->base) > 0;
		c->pct = c->pct_ok ? sum[k] / c->base : 0;
	}
}

/* opts.spread: each live thread of a group with its base twin (NULL when born) */
static void row_spread(struct ctp_row *r, const size_t *live_idx, size_t nlive, const struct ctp_snapshot *base,
		       const struct ctp_snapshot *live, const struct ctp_hmap *bmap, double per_s)
{
	const struct ctp_thread **lt = ctp_xmalloc((nlive + 1) * sizeof(*lt)), **bt = ctp_xmalloc((nlive + 1) * sizeof(*bt));
	for (size_t i = 0; i < nlive; i++) {
		lt[i] = &live->threads[live_idx[i]];
		bt[i] = twin(bmap, base, lt[i]);
	}
	ctp_spread_fill(r, lt, bt, nlive, per_s);
	free(lt);
	free(bt);
}

/* ------------------------------------------------------------- building ---- */
/* CSR lists of thread indexes per group for one side */
struct members {
	size_t *off, *idx;
};

static void members_of(const size_t *of, size_t n, size_t ngroups, struct members *mb)
{
	mb->off = ctp_xcalloc(ngroups + 2, sizeof(size_t));
	mb->idx = ctp_xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		if (of[i] != SIZE_MAX)
			mb->off[of[i] + 2]++;
	for (size_t g = 0; g < ngroups; g++)
		mb->off[g + 2] += mb->off[g + 1];
	for (size_t i = 0; i < n; i++)
		if (of[i] != SIZE_MAX)
			mb->idx[mb->off[of[i] + 1]++] = i;
}

/* side s, or the live side's exit records (s == 2) */
static void members_build(const struct ctp_grouping *gr, int s, struct members *mb)
{
	if (s == 2)
		members_of(gr->of_exit, gr->nexit, gr->n, mb);
	else
		members_of(gr->of[s], gr->nthr[s], gr->n, mb);
}

static void members_release(struct members *mb)
{
	free(mb->off);
	free(mb->idx);
}

/* the thread-seconds a snapshot side covers: Σ thread ages at capture. Needs the capture time
 * since boot (captured_boottime_ns, the clock of start times; ctprof-top writes it to its files,
 * ktstr's files lack it: that side is then absent) */
static struct ctp_dside thread_ages(const struct ctp_snapshot *s, const struct ctp_gside *gs)
{
	struct ctp_dside ds = { 0, false };
	long hz = ctp_clk_tck();
	if (!s || !s->captured_boottime_ns || !gs->nthreads)
		return ds;
	ds.thread_s = (double)gs->nthreads * ((double)s->captured_boottime_ns / 1e9) - (double)gs->start_sum / (double)hz;
	ds.ok = ds.thread_s > 0;
	return ds;
}

static void side_finish(struct ctp_row *r, int side, const struct ctp_snapshot *s, const size_t *idx, size_t n,
			struct ctp_gside *scratch, uint64_t *start_sum)
{
	ctp_gside_release(scratch);
	scratch->gates_off = s ? ctp_snapshot_gates_off(s) : 0;
	scratch->sources_off = s ? ~s->sources_read : 0; /* a live refresh's plan: the rest is absent */
	for (size_t i = 0; i < n; i++)
		ctp_gside_add(scratch, &s->threads[idx[i]]);
	ctp_gside_finish(scratch, side, r);
	struct ctp_dside ages = thread_ages(s, scratch);
	ages.ok = ages.ok && !ctp_source_off(scratch->sources_off, CTP_SOURCE_STAT, true); /* no start times */
	ctp_derived_fill(r, side, &ages);
	if (start_sum)
		*start_sum = scratch->start_sum;
}

/* uptime (§1.7, E4): now = newest live start; lifetime = now - floor(mean start) of live threads */
static void fill_uptime(struct ctp_table *t, const struct ctp_snapshot *live, const uint64_t *start_sums)
{
	uint64_t now = 0, maxlt = 1;
	for (size_t i = 0; i < live->nthreads; i++)
		if (live->threads[i].start_time_clock_ticks > now)
			now = live->threads[i].start_time_clock_ticks;
	uint64_t *lt = ctp_xcalloc(t->nrows + 1, sizeof(*lt));
	for (size_t i = 0; i < t->nrows; i++) {
		struct ctp_row *r = &t->rows[i];
		if (r->status != CTP_ROW_MATCHED || !r->nthreads_live)
			continue;
		uint64_t avg = start_sums[i] / r->nthreads_live;
		lt[i] = now > avg ? now - avg : 0;
		if (lt[i] > maxlt)
			maxlt = lt[i];
	}
	for (size_t i = 0; i < t->nrows; i++) {
		struct ctp_row *r = &t->rows[i];
		r->uptime_ok = r->status == CTP_ROW_MATCHED && r->nthreads_live;
		r->uptime_pct = r->uptime_ok ? (double)lt[i] / (double)maxlt * 100.0 : 0;
	}
	free(lt);
}

static void fudge_label(struct ctp_row *r, const char *prefix)
{
	char *lb = ctp_xmalloc(strlen(prefix) + strlen(r->label) + 1);
	strcpy(stpcpy(lb, prefix), r->label);
	free(r->label);
	r->label = lb;
	r->fudged = true;
}

/* after the raw deltas: window values of the derived metrics (opts.window_derived: the window
 * covers elapsed x live threads for the per-thread means), then RATE mode's per-second deltas */
static void row_window(struct ctp_row *r, bool window_derived, enum ctp_delta_mode mode, double elapsed)
{
	if (mode != CTP_DELTA_ABSOLUTE && window_derived) {
		struct ctp_dside win = { elapsed * (double)r->nthreads_live, elapsed > 0 && r->nthreads_live };
		ctp_derived_window(r, &win);
	}
	if (mode == CTP_DELTA_RATE)
		ctp_row_per_second(r, elapsed);
}

/* a drill-down row: identity of its live thread (else the base one); base_tid when the base
 * thread it was paired with by name has another tid */
static void thread_row(struct ctp_row *r, const struct ctp_thread *lt, const struct ctp_thread *bt)
{
	const struct ctp_thread *th = lt ? lt : bt;
	r->tid = th->tid;
	r->tgid = th->tgid;
	r->base_tid = lt && bt && bt->tid != lt->tid ? bt->tid : 0;
	r->start_time_clock_ticks = th->start_time_clock_ticks;
	free(r->label);
	r->label = ctp_xstrdup(th->comm);
	r->born = r->status == CTP_ROW_NEW;
	r->exited = r->status == CTP_ROW_GONE;
}

static struct ctp_table *build(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
			       struct ctp_grouping *gr, const struct ctp_compare_opts *o,
			       enum ctp_delta_mode mode, double elapsed, bool threads, struct ctp_err *err)
{
	struct ctp_table *t = ctp_xcalloc(1, sizeof(*t));
	struct members mb[3];
	struct ctp_gside *scratch = ctp_xcalloc(1, sizeof(*scratch));
	struct ctp_hmap bmap = { 0 }, lmap = { 0 };
	uint64_t *start_sums = ctp_xcalloc(gr->n + 1, sizeof(*start_sums));
	/* per-thread deltas: asked for, and always in a drill-down, where a live thread paired by
	 * name with another (tid, start) was born after the base (else the base would hold it): it
	 * counts from 0, as a new thread does, and never as its new counters minus the old ones */
	bool do_tid = base && (threads || o->tid_deltas) && mode != CTP_DELTA_ABSOLUTE;
	t->axis = o->axis;
	t->mode = mode;
	t->elapsed_s = elapsed;
	t->has_base = base != NULL;
	t->threads = threads;
	t->sort = o->sort;
	t->nbase_threads = base ? base->nthreads : 0;
	t->nlive_threads = live->nthreads;
	members_build(gr, 0, &mb[0]);
	members_build(gr, 1, &mb[1]);
	members_build(gr, 2, &mb[2]);
	t->exits_on = do_tid && !threads && live->exits_on;
	t->exits_lost = live->exits_lost;
	ctp_table_gate_flips(t, base, live);
	if (do_tid) {
		tid_index(base, &bmap);
		tid_index(live, &lmap);
	}
	t->rows = ctp_xcalloc(gr->n + 1, sizeof(*t->rows));
	for (size_t g = 0; g < gr->n; g++) {
		size_t nb = mb[0].off[g + 1] - mb[0].off[g], nl = mb[1].off[g + 1] - mb[1].off[g];
		const size_t *ib = mb[0].idx + mb[0].off[g], *il = mb[1].idx + mb[1].off[g];
		if (!nb && !nl) /* a candidate group fudged into a baseline group */
			continue;
		struct ctp_row *r = &t->rows[t->nrows];
		ctp_row_set_key(r, gr->g[g].key, gr->g[g].keylen, threads ? CTP_AXIS_COMM_EXACT : o->axis);
		if (gr->fudge_label && gr->fudge_label[g])
			fudge_label(r, gr->fudge_label[g]);
		r->cells = ctp_xcalloc(ctp_cmetric_count(), sizeof(*r->cells));
		r->status = !base || (nb && nl) ? CTP_ROW_MATCHED : nl ? CTP_ROW_NEW : CTP_ROW_GONE;
		side_finish(r, 0, base, ib, nb, scratch, NULL);
		side_finish(r, 1, live, il, nl, scratch, &start_sums[t->nrows++]);
		ctp_row_deltas(r, mode);
		if (do_tid)
			tid_deltas(r, il, nl, ib, nb, base, live, &bmap, &lmap, mb[2].idx + mb[2].off[g],
				   mb[2].off[g + 1] - mb[2].off[g]);
		if (o->waits) {
			ctp_waits_fill(r, 0, base, ib, nb);
			ctp_waits_fill(r, 1, live, il, nl);
		}
		if (do_tid && o->spread)
			row_spread(r, il, nl, base, live, &bmap, mode == CTP_DELTA_RATE ? elapsed : 0);
		row_window(r, o->window_derived, mode, elapsed);
		if (threads)
			thread_row(r, nl ? &live->threads[il[0]] : NULL, nb ? &base->threads[ib[0]] : NULL);
	}
	fill_uptime(t, live, start_sums);
	t->fudges = gr->fudges; /* ownership moves to the table */
	t->nfudges = gr->nfudges;
	gr->fudges = NULL;
	gr->nfudges = 0;
	ctp_gside_release(scratch);
	free(scratch);
	free(start_sums);
	members_release(&mb[0]);
	members_release(&mb[1]);
	members_release(&mb[2]);
	ctp_hmap_release(&bmap);
	ctp_hmap_release(&lmap);
	if (ctp_table_resort(t, &o->sort, o->filter, o->limit, err) < 0) {
		ctp_table_free(t);
		return NULL;
	}
	return t;
}

/* groups both sides on o->axis; on the all axis, orphan groups are fudged (compare.md §1.6) */
static void group_sides(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
			const struct ctp_compare_opts *o, struct ctp_grouping *gr)
{
	ctp_group_threads(base, live, o, gr);
	if (o->axis == CTP_AXIS_ALL && base && !o->no_fudge)
		ctp_fudge_groups(gr);
}

struct ctp_table *ctp_compare(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
			      const struct ctp_compare_opts *o, struct ctp_err *err)
{
	enum ctp_delta_mode mode;
	double elapsed;
	struct ctp_grouping gr;
	if (check_opts(base, live, o, &mode, &elapsed, err) < 0)
		return NULL;
	group_sides(base, live, o, &gr);
	struct ctp_table *t = build(base, live, &gr, o, mode, elapsed, false, err);
	ctp_grouping_release(&gr);
	return t;
}

/* a thread of one side whose (tid, start) has no twin on the other side */
struct orphan {
	size_t g, idx; /* its drill-down group, its thread index */
	const struct ctp_thread *t;
	char *pkey;    /* pattern_key of comm */
	bool paired;
};

static int cmp_orphan(const void *pa, const void *pb)
{
	const struct ctp_thread *a = ((const struct orphan *)pa)->t, *b = ((const struct orphan *)pb)->t;
	if (a->start_time_clock_ticks != b->start_time_clock_ticks)
		return a->start_time_clock_ticks < b->start_time_clock_ticks ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

/* the orphans of one side (mine/other: per group the thread index on each side or SIZE_MAX),
 * in (start time, tid) order */
static size_t orphans(const struct ctp_snapshot *s, const size_t *mine, const size_t *other, size_t ng,
		      struct orphan **out)
{
	struct orphan *v = ctp_xcalloc(ng + 1, sizeof(*v));
	size_t n = 0;
	for (size_t g = 0; g < ng; g++) {
		if (mine[g] == SIZE_MAX || other[g] != SIZE_MAX)
			continue;
		const struct ctp_thread *t = &s->threads[mine[g]];
		struct ctp_buf b = CTP_BUF_INIT;
		ctp_pattern_key(t->comm, strlen(t->comm), &b);
		v[n++] = (struct orphan){ g, mine[g], t, ctp_buf_detach(&b, NULL), false };
	}
	qsort(v, n, sizeof(*v), cmp_orphan);
	*out = v;
	return n;
}

/* a restarted process: threads without a (tid, start) twin pair one-to-one by exact comm, then
 * by pattern_key of comm, each side in (start time, tid) order; the base thread joins the live
 * thread's group (its own group is left empty and makes no row) */
static void pair_by_name(const struct ctp_snapshot *base, const struct ctp_snapshot *live, struct ctp_grouping *gr)
{
	size_t *thr[2];
	for (int s = 0; s < 2; s++) {
		thr[s] = ctp_xmalloc((gr->n + 1) * sizeof(size_t));
		for (size_t g = 0; g < gr->n; g++)
			thr[s][g] = SIZE_MAX;
		for (size_t i = 0; i < gr->nthr[s]; i++)
			if (gr->of[s][i] != SIZE_MAX)
				thr[s][gr->of[s][i]] = i;
	}
	struct orphan *ob, *ol;
	size_t nb = orphans(base, thr[0], thr[1], gr->n, &ob), nl = orphans(live, thr[1], thr[0], gr->n, &ol);
	for (int pattern = 0; pattern < 2; pattern++)
		for (size_t i = 0; i < nl; i++)
			for (size_t j = 0; !ol[i].paired && j < nb; j++) {
				if (ob[j].paired || strcmp(pattern ? ol[i].pkey : ol[i].t->comm, pattern ? ob[j].pkey : ob[j].t->comm))
					continue;
				gr->of[0][ob[j].idx] = ol[i].g;
				ol[i].paired = ob[j].paired = true;
			}
	for (size_t i = 0; i < nb; i++)
		free(ob[i].pkey);
	for (size_t i = 0; i < nl; i++)
		free(ol[i].pkey);
	free(ob);
	free(ol);
	free(thr[0]);
	free(thr[1]);
}

/* per-thread grouping of the threads in group_key: (tid, start) pairs joined across sides, the
 * rest paired by name (pair_by_name) */
static void thread_grouping(const struct ctp_snapshot *base, const struct ctp_snapshot *live, const char *key,
			    size_t keylen, const struct ctp_grouping *all, struct ctp_grouping *out)
{
	const struct ctp_snapshot *side[2] = { base, live };
	struct ctp_hmap gmap = { 0 };
	size_t gsel = SIZE_MAX;
	memset(out, 0, sizeof(*out));
	for (size_t g = 0; g < all->n; g++)
		if (all->g[g].keylen == keylen && !memcmp(all->g[g].key, key, keylen))
			gsel = g;
	for (int s = 1; s >= 0; s--) { /* live first: row order follows the live side */
		out->nthr[s] = all->nthr[s];
		out->of[s] = ctp_xmalloc((out->nthr[s] + 1) * sizeof(size_t));
		for (size_t i = 0; i < out->nthr[s]; i++) {
			out->of[s][i] = SIZE_MAX;
			if (gsel == SIZE_MAX || all->of[s][i] != gsel) /* no such group; -p: a thread left out */
				continue;
			const struct ctp_thread *t = &side[s]->threads[i];
			struct tidkey k = { t->tid, 0, t->start_time_clock_ticks };
			bool ins;
			struct ctp_hent *e = ctp_hmap_put(&gmap, (const char *)&k, sizeof(k), out->n, &ins);
			if (ins) {
				if (out->n == out->alloc) {
					out->alloc = out->alloc ? out->alloc * 2 : 16;
					out->g = ctp_xrealloc(out->g, out->alloc * sizeof(*out->g));
				}
				char num[24];
				int nl = snprintf(num, sizeof(num), "%u", t->tid);
				out->g[out->n].key = ctp_xstrndup(num, (size_t)nl);
				out->g[out->n].keylen = (size_t)nl;
				out->n++;
			}
			out->of[s][i] = e->val;
		}
	}
	ctp_hmap_release(&gmap);
	if (base)
		pair_by_name(base, live, out);
}

struct ctp_table *ctp_compare_threads(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
				      const char *group_key, size_t keylen, const struct ctp_compare_opts *o,
				      struct ctp_err *err)
{
	enum ctp_delta_mode mode;
	double elapsed;
	struct ctp_grouping all, thr;
	if (check_opts(base, live, o, &mode, &elapsed, err) < 0)
		return NULL;
	group_sides(base, live, o, &all);
	thread_grouping(base, live, group_key, keylen, &all, &thr);
	struct ctp_table *t = build(base, live, &thr, o, mode, elapsed, true, err);
	ctp_grouping_release(&thr);
	ctp_grouping_release(&all);
	return t;
}
