/* t_window_base.c — issue 15's window baselines on hand-built snapshots: ctp_compare_window's
 * per-second rates of two windows (exact values), a thread born or gone inside a window, a
 * process restarted between the windows (a rate comparison, never a negative delta), derived
 * ratios from each window's deltas, gauges at each window's end, new/gone groups, the display
 * texts of CTP_DELTA_WINDOW, and ctp_window_check's refusals (different hosts, wrong order). */
#include <math.h>
#include <string.h>

#include "cmp_fixture.h"
#include "tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

#define SEC 1000000000ull

/* a snapshot captured at unix second at_s, booted at unix second 1000, host kernel "6.1.0" */
static struct ctp_snapshot *snap(uint64_t at_s)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	s->captured_at_unix_ns = at_s * SEC;
	s->captured_boottime_ns = (at_s - 1000) * SEC;
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	s->host->kernel_release = ctp_xstrdup("6.1.0");
	return s;
}

static struct ctp_thread *thr(struct ctp_snapshot *s, uint32_t tid, uint32_t tgid, const char *pcomm, uint64_t run,
			      uint64_t wait)
{
	struct ctp_thread *t = fx_thread(s, tid, tgid, pcomm, pcomm, "/");
	t->run_time_ns = run;
	t->wait_time_ns = wait;
	t->taskstats_measured = t->xacct_active = true; /* the hiwater_* peaks were measured */
	return t;
}

static const char *show(const struct ctp_table *t, const struct ctp_row *r, const char *metric, enum ctp_show what)
{
	static char buf[4][CTP_FMT_MAX];
	static int k;
	int m = ctp_cmetric_find(metric);
	if (!r || m < 0)
		return "(no row)";
	k = (k + 1) % 4;
	return ctp_cell_show(t, r, (size_t)m, what, buf[k]);
}

static struct ctp_table *window_table(struct ctp_snapshot *const s[4], const struct ctp_compare_opts *o)
{
	struct ctp_window bw = { s[0], s[1] }, lw = { s[2], s[3] };
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare_window(&bw, &lw, o, &err);
	if (!t)
		diag("ctp_compare_window: %s", err.msg);
	return t;
}

static void free4(struct ctp_snapshot *s[4])
{
	for (int i = 0; i < 4; i++)
		ctp_snapshot_free(s[i]);
}

/* base window 1 s: one thread at 100 % of a CPU; live window 2 s: two threads at 100 % each */
static void exact_rates(void)
{
	struct ctp_snapshot *s[4] = { snap(2000), snap(2001), snap(3000), snap(3002) };
	thr(s[0], 10, 10, "spin", 5 * SEC, 100)->voluntary_csw = 10;
	thr(s[1], 10, 10, "spin", 6 * SEC, 100)->voluntary_csw = 30;
	thr(s[0], 11, 10, "spin", 0, 0)->hiwater_rss_bytes = 4096; /* idle in the base window */
	thr(s[1], 11, 10, "spin", 0, 0)->hiwater_rss_bytes = 8192;
	thr(s[2], 10, 10, "spin", 9 * SEC, 100)->voluntary_csw = 100;
	thr(s[3], 10, 10, "spin", 11 * SEC, 100)->voluntary_csw = 200;
	thr(s[2], 11, 10, "spin", 1 * SEC, 0)->hiwater_rss_bytes = 16384;
	thr(s[3], 11, 10, "spin", 3 * SEC, 0)->hiwater_rss_bytes = 32768;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.mode = CTP_DELTA_BASELINE; /* ignored */
	struct ctp_table *t = window_table(s, &o);
	ok(t != NULL, "window table built");
	if (!t) {
		free4(s);
		return;
	}
	ok(t->mode == CTP_DELTA_WINDOW && t->has_base, "mode CTP_DELTA_WINDOW with a base");
	ok(near(t->elapsed_s, 2) && near(t->base_window_s, 1), "elapsed_s 2 (live window), base_window_s 1");
	check_int(t->nbase_threads, ==, 2);
	check_int(t->nlive_threads, ==, 2);
	const struct ctp_row *r = fx_row(t, "spin");
	ok(r && r->status == CTP_ROW_MATCHED, "group spin matched");
	const struct ctp_cell *c = fx_cell(r, "run_time_ns");
	ok(c && c->base_ok && near(c->base, 1e9), "run_time_ns base 1.0 s/s");
	ok(c && c->live_ok && near(c->live, 2e9), "run_time_ns live 2.0 s/s");
	ok(c && c->delta_ok && near(c->delta, 1e9), "run_time_ns delta +1.0 s/s");
	ok(c && c->pct_ok && near(c->pct, 1.0), "run_time_ns pct +100%%");
	c = fx_cell(r, "voluntary_csw");
	ok(c && near(c->base, 20) && near(c->live, 50) && near(c->delta, 30) && near(c->pct, 1.5),
	   "voluntary_csw 20/s -> 50/s, +150%%");
	c = fx_cell(r, "hiwater_rss_bytes");
	ok(c && near(c->base, 8192) && near(c->live, 32768) && near(c->delta, 24576),
	   "gauge hiwater_rss_bytes: the value at each window's end");
	c = fx_cell(r, "thread_count");
	ok(c && near(c->base, 2) && near(c->live, 2), "thread_count at each window's end");
	c = fx_cell(r, "thread_cpu_share");
	ok(c && near(c->base, 0.5) && near(c->live, 1.0), "thread_cpu_share 0.5 -> 1.0 (window values)");
	/* display texts */
	check_str(show(t, r, "run_time_ns", CTP_SHOW_BASE), "100%");
	check_str(show(t, r, "run_time_ns", CTP_SHOW_LIVE), "200%");
	check_str(show(t, r, "run_time_ns", CTP_SHOW_DELTA), "+100%");
	check_str(show(t, r, "run_time_ns", CTP_SHOW_PCT), "+100.0%");
	check_str(show(t, r, "run_time_ns", CTP_SHOW_CELL), "+100%");
	check_str(show(t, r, "voluntary_csw", CTP_SHOW_BASE), "20");
	check_str(show(t, r, "voluntary_csw", CTP_SHOW_CELL), "+30");
	check_str(show(t, r, "hiwater_rss_bytes", CTP_SHOW_CELL), "32KiB");
	check_str(show(t, r, "thread_cpu_share", CTP_SHOW_CELL), "50.0%\u2192100%");
	int m = ctp_cmetric_find("run_time_ns");
	ok(ctp_cell_kind(t, (size_t)m) == CTP_CELL_DELTA, "run_time_ns cell kind: a signed change");
	check_str(ctp_cell_unit(t, (size_t)m), "%cpu");
	check_str(ctp_cell_raw_unit(t, (size_t)m), "ns/s");
	m = ctp_cmetric_find("voluntary_csw");
	check_str(ctp_cell_unit(t, (size_t)m), "/s");
	check_str(ctp_cell_raw_unit(t, (size_t)m), "/s");
	m = ctp_cmetric_find("hiwater_rss_bytes");
	ok(ctp_cell_kind(t, (size_t)m) == CTP_CELL_LIVE, "gauge cell kind: live value");
	check_str(ctp_cell_raw_unit(t, (size_t)m), "B");
	int run = ctp_cmetric_find("run_time_ns");
	ok(!ctp_row_idle(t, r, &run, 1), "a running group is not idle");
	ctp_table_free(t);
	free4(s);
}

/* thread 2 exits inside the base window, thread 3 is born in it: Σ per-thread deltas */
static void born_gone(void)
{
	struct ctp_snapshot *s[4] = { snap(2000), snap(2002), snap(3000), snap(3001) };
	thr(s[0], 1, 1, "w", 0, 0);
	thr(s[0], 2, 1, "w", 50 * SEC, 0); /* gone before the end: drops out */
	thr(s[1], 1, 1, "w", 1 * SEC, 0);
	thr(s[1], 3, 1, "w", 2 * SEC, 0); /* born: counts from 0 */
	thr(s[2], 1, 1, "w", 10 * SEC, 0);
	thr(s[3], 1, 1, "w", 10 * SEC + SEC / 2, 0);
	thr(s[2], 7, 7, "old", SEC, 0); /* only in the live window's start: no row */
	thr(s[1], 8, 8, "gone", SEC, 0); /* only in the base window: gone */
	thr(s[0], 8, 8, "gone", 0, 0);
	thr(s[3], 9, 9, "fresh", SEC, 0); /* born inside the live window: new */
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_table *t = window_table(s, &o);
	const struct ctp_row *r = t ? fx_row(t, "w") : NULL;
	const struct ctp_cell *c = fx_cell(r, "run_time_ns");
	ok(c && near(c->base, 1.5e9), "base window: (1 s + 2 s born) / 2 s = 1.5 s/s; the exited thread drops out");
	ok(c && near(c->live, 0.5e9) && near(c->pct, -2.0 / 3), "live window 0.5 s/s, -66.7%%");
	ok(r && r->nthreads_base == 2 && r->nthreads_live == 1, "threads 2 -> 1 at the windows' ends");
	r = t ? fx_row(t, "gone") : NULL;
	ok(r && r->status == CTP_ROW_GONE && near(fx_cell(r, "run_time_ns")->base, 0.5e9), "group only in the base window: gone, 0.5 s/s");
	r = t ? fx_row(t, "fresh") : NULL;
	ok(r && r->status == CTP_ROW_NEW && near(fx_cell(r, "run_time_ns")->live, 1e9), "group born in the live window: new, 1 s/s");
	ok(t && !fx_row(t, "old"), "a group gone inside the live window has no rate: no row");
	ctp_table_free(t);
	free4(s);
}

/* the same service, restarted between the windows: other tids, younger counters */
static void restarted(void)
{
	struct ctp_snapshot *s[4] = { snap(2000), snap(2001), snap(9000), snap(9002) };
	thr(s[0], 100, 100, "db", 5000 * SEC, 0);
	thr(s[1], 100, 100, "db", 5000 * SEC + SEC / 2, 0);
	thr(s[2], 200, 200, "db", 3 * SEC, 0)->start_time_clock_ticks = 800000;
	thr(s[3], 200, 200, "db", 4 * SEC, 0)->start_time_clock_ticks = 800000;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_table *t = window_table(s, &o);
	const struct ctp_row *r = t ? fx_row(t, "db") : NULL;
	const struct ctp_cell *c = fx_cell(r, "run_time_ns");
	ok(r && r->status == CTP_ROW_MATCHED, "restarted db: one matched group");
	ok(c && near(c->base, 0.5e9) && near(c->live, 0.5e9) && near(c->delta, 0) && near(c->pct, 0),
	   "restarted db: 0.5 s/s in both windows, delta 0 (not -4996 s)");
	int run = ctp_cmetric_find("run_time_ns");
	ok(r && !ctp_row_idle(t, r, &run, 1), "a steady rate (delta 0) is not idle");
	ctp_table_free(t);
	/* what a plain baseline says about the same files: the lifetime difference */
	struct ctp_compare_opts b;
	ctp_compare_opts_init(&b);
	struct ctp_err err = { 0 };
	t = ctp_compare(s[1], s[3], &b, &err);
	c = fx_cell(t ? fx_row(t, "db") : NULL, "run_time_ns");
	ok(c && c->delta < -4990e9, "plain baseline: a large negative delta");
	ctp_table_free(t);
	free4(s);
}

/* cpu_efficiency = Δrun / (Δrun + Δwait) of each window; avg_wait_ns from the window deltas */
static void derived_ratios(void)
{
	struct ctp_snapshot *s[4] = { snap(2000), snap(2001), snap(3000), snap(3001) };
	thr(s[0], 1, 1, "r", 870, 130);
	thr(s[1], 1, 1, "r", 1470, 530); /* window: 600 / 1000 */
	thr(s[2], 1, 1, "r", 5000, 5000);
	thr(s[3], 1, 1, "r", 5900, 5100); /* window: 900 / 1000 */
	s[0]->threads[0].wait_sum = 1000, s[0]->threads[0].wait_count = 1;
	s[1]->threads[0].wait_sum = 3000, s[1]->threads[0].wait_count = 3; /* 2000 / 2 */
	s[2]->threads[0].wait_sum = 3000, s[2]->threads[0].wait_count = 3;
	s[3]->threads[0].wait_sum = 9000, s[3]->threads[0].wait_count = 5; /* 6000 / 2 */
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_table *t = window_table(s, &o);
	const struct ctp_row *r = t ? fx_row(t, "r") : NULL;
	const struct ctp_cell *c = fx_cell(r, "cpu_efficiency");
	ok(c && c->base_ok && c->live_ok && near(c->base, 0.6) && near(c->live, 0.9), "cpu_efficiency 0.60 -> 0.90 (window deltas)");
	ok(c && c->delta_ok && near(c->delta, 0.3) && !c->pct_ok, "cpu_efficiency +0.30, no percent (unitless)");
	check_str(show(t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.60\u21920.90");
	check_str(show(t, r, "cpu_efficiency", CTP_SHOW_CELL | CTP_SHOW_ASCII), "0.60->0.90");
	c = fx_cell(r, "avg_wait_ns");
	ok(c && near(c->base, 1000) && near(c->live, 3000) && near(c->pct, 2.0), "avg_wait_ns 1000 -> 3000 ns, +200%%");
	ctp_table_free(t);
	free4(s);
}

/* sort, filter and limit apply to the joined table */
static void view(void)
{
	struct ctp_snapshot *s[4] = { snap(2000), snap(2001), snap(3000), snap(3001) };
	const char *names[3] = { "a", "b", "c" };
	for (uint32_t i = 0; i < 3; i++) {
		thr(s[0], i + 1, i + 1, names[i], 0, 0);
		thr(s[1], i + 1, i + 1, names[i], SEC / 10, 0);
		thr(s[2], i + 1, i + 1, names[i], 0, 0);
		thr(s[3], i + 1, i + 1, names[i], (i + 1) * SEC / 10, 0);
	}
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.sort.k[0].metric = ctp_cmetric_find("run_time_ns");
	o.sort.n = 1;
	struct ctp_table *t = window_table(s, &o);
	ok(t && t->nview == 3 && !strcmp(t->rows[t->view[0]].key, "c") && !strcmp(t->rows[t->view[2]].key, "a"),
	   "sorted by the rate's change: c, b, a");
	ctp_table_free(t);
	o.limit = 1;
	o.filter = "^[ab]$";
	t = window_table(s, &o);
	ok(t && t->nview == 1 && !strcmp(t->rows[t->view[0]].key, "b"), "filter and limit: b");
	ctp_table_free(t);
	free4(s);
}

static void refusals(void)
{
	struct ctp_err err = { 0 };
	struct ctp_snapshot *a = snap(2000), *b = snap(2010);
	ok(ctp_window_check(a, b, &err) == 0, "a then b: a window");
	ok(ctp_window_check(b, a, &err) < 0, "b then a refused");
	check_str(err.msg, "out of order: the second was captured 10s before the first");
	ok(strstr(err.msg, ".ctprof") == NULL && !err.where[0], "no file names in the error");
	memset(&err, 0, sizeof(err));
	ok(ctp_window_check(a, a, &err) < 0, "the same capture twice refused");
	check_str(err.msg, "not a window: both were captured at the same time");
	fx_setstr(&b->host->kernel_release, "6.5.0");
	ok(ctp_window_check(a, b, &err) < 0, "different kernels refused");
	check_str(err.msg, "different hosts: kernel_release 6.1.0 and 6.5.0");
	fx_setstr(&b->host->kernel_release, "6.1.0");
	b->captured_boottime_ns -= 600 * SEC; /* booted ten minutes later */
	ok(ctp_window_check(a, b, &err) < 0, "a reboot inside the window refused");
	check_str(err.msg, "different boots: the second host booted 600s after the first");
	b->captured_boottime_ns += 600 * SEC - SEC / 2; /* clock noise under 2 s is the same boot */
	ok(ctp_window_check(a, b, &err) == 0, "half a second of boot-time noise: the same boot");
	/* ktstr's files: no host context, no boot time: only the order is checked */
	ctp_host_free(a->host);
	a->host = NULL;
	a->captured_boottime_ns = 0;
	ok(ctp_window_check(a, b, &err) == 0, "without host context: accepted when in order");
	/* ctp_compare_window refuses a bad window */
	struct ctp_window bw = { b, a }, lw = { a, b };
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	memset(&err, 0, sizeof(err));
	ok(ctp_compare_window(&bw, &lw, &o, &err) == NULL && strstr(err.msg, "out of order"), "compare_window refuses b then a");
	memset(&err, 0, sizeof(err));
	ok(ctp_compare_window(&lw, &bw, &o, &err) == NULL && strstr(err.msg, "out of order"), "... in the live window too");
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

int main(void)
{
	exact_rates();
	born_gone();
	restarted();
	derived_ratios();
	view();
	refusals();
	return test_done();
}
