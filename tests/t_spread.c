/* t_spread.c — spread within a group (issue 17 item 1) on hand-built snapshots: min, p50, p90,
 * max and imbalance of per-thread deltas (per second in rate mode), a thread born in the
 * interval counted from 0, imbalance absent when the median is 0, nothing computed unless
 * asked or without per-thread deltas. */
#include <math.h>
#include <string.h>

#include "cmp_fixture.h"
#include "tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* group "w": main thread idle, 7 cold threads +1 ms, one hot +8 ms over 2 s; a second group
 * "idle" whose threads did not run */
static void eight(struct ctp_snapshot *b, struct ctp_snapshot *l)
{
	for (uint32_t tid = 100; tid <= 108; tid++) {
		uint64_t d = tid == 100 ? 0 : tid == 108 ? 8000000 : 1000000;
		fx_thread(b, tid, 100, "w", "w", "/")->run_time_ns = 5000000;
		fx_thread(l, tid, 100, "w", "w", "/")->run_time_ns = 5000000 + d;
	}
	for (uint32_t tid = 200; tid <= 202; tid++) {
		fx_thread(b, tid, 200, "idle", "idle", "/")->run_time_ns = 7;
		fx_thread(l, tid, 200, "idle", "idle", "/")->run_time_ns = tid == 202 ? 9 : 7;
	}
	b->captured_at_unix_ns = 1000000000ull;
	l->captured_at_unix_ns = 3000000000ull;
}

static struct ctp_table *run(const struct ctp_snapshot *b, const struct ctp_snapshot *l, enum ctp_delta_mode mode,
			     bool tid, bool spread)
{
	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.mode = mode;
	o.tid_deltas = tid;
	o.spread = spread;
	return ctp_compare(b, l, &o, &err);
}

static const struct ctp_spread *sp(const struct ctp_table *t, const char *key, const char *metric)
{
	const struct ctp_row *r = fx_row(t, key);
	int m = ctp_cmetric_find(metric);
	return r && r->spread && m >= 0 ? &r->spread[m] : NULL;
}

static void rates(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	eight(b, l);
	struct ctp_table *t = run(b, l, CTP_DELTA_RATE, true, true);
	const struct ctp_spread *s = sp(t, "w", "run_time_ns");
	ok(s && s->ok && s->n == 9, "run_time_ns spread over the 9 live threads");
	if (s) {
		ok(near(s->min, 0), "min 0 (the idle main thread), got %g", s->min);
		ok(near(s->p50, 500000), "p50 = a cold thread's 0.5 ms/s, got %g", s->p50);
		ok(near(s->p90, 1200000), "p90 interpolated 1.2 ms/s, got %g", s->p90);
		ok(near(s->max, 4000000), "max = the hot thread's 4 ms/s, got %g", s->max);
		ok(s->imb_ok && near(s->imbalance, 8), "imbalance max/median 8, got %g", s->imbalance);
	}
	s = sp(t, "idle", "run_time_ns");
	ok(s && s->ok && near(s->max, 1) && !s->imb_ok, "a median of 0: max 1 ns/s, imbalance absent");
	ok(sp(t, "w", "thread_count") && !sp(t, "w", "thread_count")->ok, "thread_count has no spread");
	ok(sp(t, "w", "policy") && !sp(t, "w", "policy")->ok, "a categorical metric has no spread");
	ctp_table_free(t);
	t = run(b, l, CTP_DELTA_RATE, true, false);
	ok(fx_row(t, "w") && !fx_row(t, "w")->spread, "not asked: no spread");
	ctp_table_free(t);
	t = run(b, l, CTP_DELTA_BASELINE, false, true);
	ok(fx_row(t, "w") && !fx_row(t, "w")->spread, "no per-thread deltas: no spread");
	ctp_table_free(t);
	t = run(b, l, CTP_DELTA_BASELINE, true, true);
	s = sp(t, "w", "run_time_ns");
	ok(s && near(s->max, 8000000) && near(s->p50, 1000000), "baseline mode: raw deltas (max 8 ms, p50 1 ms)");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void born(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	eight(b, l);
	fx_thread(l, 109, 100, "w", "w", "/")->run_time_ns = 6000000; /* born in the interval */
	struct ctp_table *t = run(b, l, CTP_DELTA_RATE, true, true);
	const struct ctp_spread *s = sp(t, "w", "run_time_ns");
	ok(s && s->n == 10 && near(s->max, 4000000) && near(s->p90, 3000000 + 0.1 * 1000000),
	   "a born thread counts from 0 (6 ms -> 3 ms/s is p90's upper rank), got p90 %g", s ? s->p90 : -1);
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void of(void)
{
	double v[] = { 3, 1, 2 };
	struct ctp_spread s;
	ctp_spread_of(v, 3, &s);
	ok(s.ok && s.min == 1 && s.p50 == 2 && near(s.p90, 2.8) && s.max == 3 && near(s.imbalance, 1.5),
	   "ctp_spread_of {3,1,2}: 1 2 2.8 3, imbalance 1.5");
	ctp_spread_of(v, 0, &s);
	ok(!s.ok, "no values: not ok");
}

int main(void)
{
	rates();
	born();
	of();
	return test_done();
}
