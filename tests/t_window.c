/* t_window.c — issue 20's engine rules on hand-built snapshots: derived ratios and means as
 * window values (opts.window_derived) in baseline and rate mode, per-thread means
 * (thread_cpu_share, thread_vcsw_rate), new/gone rows sorted by their present side, the
 * default order under a score mask, ctp_row_idle on new/gone rows, and the drill-down that
 * pairs a restarted process's threads by name. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "snapshot/snapfile.h"
#include "cmp_fixture.h"
#include "tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

static void delays(struct ctp_thread *t, uint64_t total, uint64_t count)
{
	t->taskstats_measured = t->cpu_delay_active = t->delay_block_active = true;
	t->cpu_delay_total_ns = total;
	t->cpu_delay_count = count;
}

/* one thread: run/wait 870/130 at the base, 1470/530 live; CPU delay mean 132µs lifetime at
 * the base, 295µs over the window */
static void one_thread(struct ctp_snapshot *b, struct ctp_snapshot *l)
{
	struct ctp_thread *t = fx_thread(b, 1, 1, "w", "w", "/");
	t->run_time_ns = 870, t->wait_time_ns = 130;
	delays(t, 1320000, 10);
	t = fx_thread(l, 1, 1, "w", "w", "/");
	t->run_time_ns = 1470, t->wait_time_ns = 530;
	delays(t, 1320000 + 5900000, 30);
	b->captured_at_unix_ns = 1000000000ull;
	l->captured_at_unix_ns = 3000000000ull; /* 2 s */
}

static void window_ratios(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	one_thread(b, l);
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	/* ktstr: each side's lifetime value */
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	const struct ctp_row *r = fx_row(t, "w");
	check_str(fx_val(r, "cpu_efficiency", 0), "0.870");
	check_str(fx_val(r, "cpu_efficiency", 1), "0.735");
	check_str(fx_delta(r, "cpu_efficiency"), "-0.135");
	ok(near(fx_cell(r, "avg_cpu_delay_ns")->live, 7220000.0 / 30), "lifetime avg_cpu_delay without window");
	ctp_table_free(t);
	/* window values */
	o.window_derived = true;
	t = ctp_compare(b, l, &o, &err);
	r = fx_row(t, "w");
	const struct ctp_cell *c = fx_cell(r, "cpu_efficiency");
	ok(c->base_ok && c->base == 0.87, "cpu_efficiency base 0.870 (the base snapshot's own)");
	ok(c->live_ok && c->live == 0.6, "cpu_efficiency live 0.600 (Δrun 600 / (600 + Δwait 400))");
	ok(c->delta_ok && near(c->delta, -0.27), "cpu_efficiency delta -0.270");
	ok(!c->pct_ok, "no percent for a unitless ratio");
	check_str(fx_val(r, "cpu_efficiency", 0), "0.870");
	check_str(fx_val(r, "cpu_efficiency", 1), "0.600");
	check_str(fx_delta(r, "cpu_efficiency"), "-0.270");
	c = fx_cell(r, "avg_cpu_delay_ns");
	ok(c->base == 132000 && c->live == 295000, "avg_cpu_delay_ns 132µs -> 295µs (window mean)");
	check_str(fx_pct(r, "avg_cpu_delay_ns"), "+123.5%");
	/* DIFF/OFFCPU are sums: ordinary delta */
	c = fx_cell(r, "total_offcpu_delay_ns");
	ok(c->live == 7220000 && c->delta == 5900000, "total_offcpu_delay_ns: lifetime sides, ordinary delta");
	ctp_table_free(t);
	/* rate mode: the same window ratio, sums per second */
	o.mode = CTP_DELTA_RATE;
	t = ctp_compare(b, l, &o, &err);
	r = fx_row(t, "w");
	c = fx_cell(r, "cpu_efficiency");
	ok(c->live == 0.6 && c->base == 0.87 && near(c->delta, -0.27), "rate mode: cpu_efficiency 0.870 -> 0.600");
	c = fx_cell(r, "avg_cpu_delay_ns");
	ok(c->live == 295000 && c->delta == 163000, "rate mode: avg_cpu_delay_ns window mean, delta not per second");
	check_str(fx_pct(r, "avg_cpu_delay_ns"), "+123.5%");
	ok(fx_cell(r, "total_offcpu_delay_ns")->delta == 2950000, "rate mode: total_offcpu_delay_ns per second");
	ok(fx_cell(r, "run_time_ns")->delta == 300, "rate mode: run_time_ns per second");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

/* Σ per-thread deltas feed the window; an aggregate diff with a negative input is absent */
static void window_tid(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	struct ctp_thread *t = fx_thread(b, 1, 1, "w", "w", "/");
	t->run_time_ns = 870, t->wait_time_ns = 130;
	fx_thread(b, 2, 1, "w", "w", "/")->run_time_ns = 5000; /* exits */
	t = fx_thread(l, 1, 1, "w", "w", "/");
	t->run_time_ns = 1470, t->wait_time_ns = 530;
	fx_thread(l, 3, 1, "w", "w", "/")->run_time_ns = 200; /* born */
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.window_derived = true;
	struct ctp_err err = { 0 };
	struct ctp_table *t1 = ctp_compare(b, l, &o, &err);
	const struct ctp_cell *c = fx_cell(fx_row(t1, "w"), "cpu_efficiency");
	ok(c->base_ok && !c->live_ok && !c->delta_ok, "aggregate diff: Δrun -4200 < 0, window side absent");
	ctp_table_free(t1);
	o.tid_deltas = true;
	t1 = ctp_compare(b, l, &o, &err);
	c = fx_cell(fx_row(t1, "w"), "cpu_efficiency");
	ok(c->live_ok && near(c->live, 800.0 / 1200), "tid deltas: (600 + 200) / (800 + 400)");
	ok(near(c->base, 5870.0 / 6000), "base side: the base snapshot's own value");
	ctp_table_free(t1);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

/* two threads started 10 s and 30 s after boot; base captured at 100 s, live at 102 s */
static void per_thread_means(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	uint64_t hz = (uint64_t)sysconf(_SC_CLK_TCK);
	for (int s = 0; s < 2; s++) {
		struct ctp_snapshot *x = s ? l : b;
		struct ctp_thread *t = fx_thread(x, 1, 1, "p", "p", "/");
		t->start_time_clock_ticks = 10 * hz;
		t->run_time_ns = s ? 41200000000ull : 40000000000ull;
		t->voluntary_csw = s ? 840 : 800;
		t = fx_thread(x, 2, 1, "p", "p", "/");
		t->start_time_clock_ticks = 30 * hz;
		t->run_time_ns = s ? 40600000000ull : 40000000000ull;
		t->voluntary_csw = s ? 820 : 800;
	}
	b->captured_mono_ns = b->captured_boottime_ns = 100000000000ull;
	l->captured_mono_ns = l->captured_boottime_ns = 102000000000ull;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	/* lifetime sides: Σrun / Σ ages = 80 s / (90 + 70) s; live 81.8 / (92 + 72) */
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	const struct ctp_row *r = fx_row(t, "p");
	const struct ctp_cell *c = fx_cell(r, "thread_cpu_share");
	ok(c && c->base_ok && near(c->base, 0.5), "thread_cpu_share base 0.5 of a CPU");
	ok(c && c->live_ok && near(c->live, 81.8 / 164), "thread_cpu_share live lifetime 81.8/164");
	c = fx_cell(r, "thread_vcsw_rate");
	ok(c && c->base_ok && near(c->base, 10), "thread_vcsw_rate base 1600 / 160 s = 10/s");
	ctp_table_free(t);
	/* window: Σ Δrun 1.8 s / 2 s / 2 threads = 0.45; Σ Δvcsw 60 / 2 s / 2 = 15/s */
	o.window_derived = true;
	for (int rate = 0; rate < 2; rate++) {
		o.mode = rate ? CTP_DELTA_RATE : CTP_DELTA_BASELINE;
		t = ctp_compare(b, l, &o, &err);
		r = fx_row(t, "p");
		c = fx_cell(r, "thread_cpu_share");
		ok(c && near(c->base, 0.5) && near(c->live, 0.45) && near(c->delta, -0.05) && !c->pct_ok,
		   "thread_cpu_share 0.50 -> 0.45 (%s)", rate ? "rate" : "baseline");
		c = fx_cell(r, "thread_vcsw_rate");
		ok(c && near(c->base, 10) && near(c->live, 15) && near(c->delta, 5) && c->pct_ok && near(c->pct, 0.5),
		   "thread_vcsw_rate 10/s -> 15/s, +50%% (%s)", rate ? "rate" : "baseline");
		ctp_table_free(t);
	}
	/* the capture time since boot travels in our files (captured_boottime_ns) */
	struct ctp_buf jb = CTP_BUF_INIT;
	struct ctp_snapshot *rb = NULL;
	ctp_snapshot_to_json(b, &jb);
	ok(ctp_snapshot_from_json(jb.buf, jb.len, &rb, &err) == 0 && rb->captured_boottime_ns == 100000000000ull,
	   "captured_boottime_ns survives a file round trip");
	ctp_snapshot_free(rb);
	ctp_buf_release(&jb);
	/* a file without it (ktstr's) has no thread ages: the lifetime side is absent */
	b->captured_mono_ns = b->captured_boottime_ns = 0;
	b->captured_at_unix_ns = 1000000000ull;
	l->captured_at_unix_ns = 3000000000ull;
	o.mode = CTP_DELTA_BASELINE;
	t = ctp_compare(b, l, &o, &err);
	c = fx_cell(fx_row(t, "p"), "thread_cpu_share");
	ok(c && !c->base_ok && c->live_ok && near(c->live, 0.45), "base side absent without ages; window live 0.45");
	ctp_table_free(t);
	/* EXT metrics stay out of ktstr's long report, are sortable and named */
	int m = ctp_cmetric_find("thread_cpu_share");
	ok(m >= 0 && ctp_cmetric_is_ext((size_t)m) && ctp_cmetric((size_t)m)->sortable, "thread_cpu_share: EXT, sortable");
	ok(m >= 0 && ctp_cmetric_cpu_share((size_t)m), "thread_cpu_share is a share of one CPU");
	ok(!ctp_cmetric_is_ext((size_t)ctp_cmetric_find("total_offcpu_delay_ns")), "ktstr's metrics are not EXT");
	struct ctp_sort s = { .n = 0 };
	ok(ctp_sort_parse("thread_vcsw_rate:asc", &s, &err) == 0 && s.n == 1, "-s accepts thread_vcsw_rate");
	t = ctp_compare(b, l, &o, &err);
	struct ctp_flat *fl;
	size_t n = ctp_table_flat(t, CTP_CSEC_DERIVED, &fl);
	check_int(n, ==, 17);
	free(fl);
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static const char *order(const struct ctp_table *t)
{
	static char buf[256];
	buf[0] = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		strcat(buf, t->rows[i].key);
		strcat(buf, i + 1 < t->nrows ? " " : "");
	}
	return buf;
}

static void group(struct ctp_snapshot *b, struct ctp_snapshot *l, uint32_t tid, const char *name, int64_t run_b,
		  int64_t run_l, uint64_t wait_b, uint64_t wait_l)
{
	if (run_b >= 0) {
		struct ctp_thread *t = fx_thread(b, tid, tid, name, name, "/");
		t->run_time_ns = (uint64_t)run_b, t->wait_time_ns = wait_b, t->voluntary_csw = 1;
	}
	if (run_l >= 0) {
		struct ctp_thread *t = fx_thread(l, tid, tid, name, name, "/");
		t->run_time_ns = (uint64_t)run_l, t->wait_time_ns = wait_l, t->voluntary_csw = 1;
	}
}

static void new_gone_sort(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	group(b, l, 1, "a", 100, 150, 0, 0);
	group(b, l, 2, "n", -1, 1000, 0, 0);
	group(b, l, 3, "g", 500, -1, 0, 0);
	group(b, l, 4, "z", -1, 0, 0, 0); /* new and idle */
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	ctp_sort_parse("run_time_ns", &o.sort, &err);
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	check_str(order(t), "n g a z");
	ctp_sort_parse("run_time_ns:asc", &o.sort, &err);
	ctp_table_resort(t, &o.sort, NULL, 0, &err);
	check_str(order(t), "z a g n");
	int m = ctp_cmetric_find("run_time_ns");
	ok(!ctp_row_idle(t, fx_row(t, "n"), &m, 1), "a new row with live run time is not idle");
	ok(!ctp_row_idle(t, fx_row(t, "g"), &m, 1), "a gone row with base run time is not idle");
	ok(ctp_row_idle(t, fx_row(t, "z"), &m, 1), "a new row with 0 run time is idle");
	ctp_table_free(t);
	/* rates mode: a gone group has no rate (its interval is after its end): '-', last, idle */
	o.mode = CTP_DELTA_RATE;
	o.elapsed_s = 1;
	o.tid_deltas = true;
	ctp_sort_parse("run_time_ns", &o.sort, &err);
	t = ctp_compare(b, l, &o, &err);
	check_str(order(t), "n a z g");
	ok(ctp_row_idle(t, fx_row(t, "g"), &m, 1), "rates mode: a gone row is idle");
	ok(!ctp_row_idle(t, fx_row(t, "n"), &m, 1), "rates mode: a new row with run time is busy");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void score_mask(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	group(b, l, 1, "a", 100, 200, 100, 110);  /* max(+100%, +10%) */
	group(b, l, 2, "b", 100, 110, 100, 400);  /* +300% */
	group(b, l, 3, "c", 100, 150, 0, 0);      /* +50%, csw +99900% not scored */
	l->threads[l->nthreads - 1].voluntary_csw = 1000;
	group(b, l, 4, "d", 100, 200, 100, 100);  /* +100%, |Δrun| 100 */
	group(b, l, 5, "e", 1000, 2000, 10, 10);  /* +100%, |Δrun| 1000 */
	group(b, l, 6, "f", 100, 200, 100, 100);  /* as d: key order */
	group(b, l, 7, "n", -1, 5, 0, 9000);      /* new: present run 5 */
	group(b, l, 8, "g", 50, -1, 0, 0);        /* gone: present run 50 */
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	check_str(order(t), "c b a d e f g n"); /* ktstr: every primary metric, new/gone sink */
	int rt = ctp_cmetric_find("run_time_ns"), wt = ctp_cmetric_find("wait_time_ns");
	o.sort.score_mask[rt / 64] |= 1ull << (rt % 64);
	o.sort.score_mask[wt / 64] |= 1ull << (wt % 64);
	ctp_table_resort(t, &o.sort, NULL, 0, &err);
	check_str(order(t), "g n b e a d f c");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

/* a restarted service: no (tid, start) matches; threads pair by comm, then by pattern */
static void drill_restart(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	static const struct {
		uint32_t tid;
		const char *comm;
		uint64_t run;
		int side;
	} th[] = {
		{ 19017, "svc-worker-0", 5000000000ull, 0 }, { 19018, "svc-worker-1", 4000000000ull, 0 },
		{ 19019, "svc-worker-5", 1000000000ull, 0 }, { 24701, "svc-worker-0", 1000000000ull, 1 },
		{ 24702, "svc-worker-1", 3000000000ull, 1 }, { 24703, "svc-worker-2", 2000000000ull, 1 },
		{ 24704, "svc-worker-3", 500000000ull, 1 },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(th); i++)
		fx_thread(th[i].side ? l : b, th[i].tid, th[i].side ? 24700 : 19016, "svc", th[i].comm, "/")->run_time_ns =
			th[i].run;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.axis = CTP_AXIS_COMM;
	struct ctp_err err = { 0 };
	ctp_sort_parse("run_time_ns", &o.sort, &err);
	struct ctp_table *t = ctp_compare_threads(b, l, "svc-worker-{N}", 14, &o, &err);
	ok(t != NULL, "thread table");
	if (!t)
		return;
	/* threads paired by name were born after the base: each counts from 0 (its whole run
	 * time), never as its counters minus its predecessor's: 3 s, 2 s, 1 s, then 24704 new 0.5 s */
	check_str(order(t), "24702 24703 24701 24704");
	check_int(t->nrows, ==, 4);
	const struct ctp_row *r = fx_row(t, "24701");
	ok(r && r->status == CTP_ROW_MATCHED && r->base_tid == 19017, "svc-worker-0: 24701 paired with 19017");
	check_str(fx_delta(r, "run_time_ns"), "+1.000s");
	check_str(r ? r->label : "", "svc-worker-0");
	r = fx_row(t, "24703");
	ok(r && r->status == CTP_ROW_MATCHED && r->base_tid == 19019, "svc-worker-2 pairs with svc-worker-5 by pattern");
	r = fx_row(t, "24704");
	ok(r && r->status == CTP_ROW_NEW && r->base_tid == 0, "svc-worker-3 is new");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

int main(void)
{
	window_ratios();
	window_tid();
	per_thread_means();
	new_gone_sort();
	score_mask();
	drill_restart();
	return test_done();
}
