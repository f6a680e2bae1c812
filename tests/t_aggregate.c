/* t_aggregate.c — every aggregation rule of compare.md §2.1 with exact numbers: Sum (saturating),
 * Max, Range, Mode (tie -> smallest value), Affinity (uniform / mixed), thread_count, the
 * measured-vs-Absent gates of §2.3 (absent vs genuine zero), a group on one side only, and the
 * host-wide schedstats gate (host.sched_schedstats 0: the [SCHEDSTATS] metrics are absent). */
#include <math.h>

#include "cmp_fixture.h"
#include "tap.h"

static void metric_table(void)
{
	check_int(ctp_cmetric_count(), ==, 106); /* + ktstr's 17 derived and our 2 */
	check_int(ctp_cmetric_primary_count(), ==, 87);
	/* every registry field with agg != NONE appears exactly once */
	size_t seen = 0, tsd = 0;
	for (size_t f = 0; f < CTP_NFIELDS; f++) {
		if (ctp_fields[f].agg == CTP_AGG_NONE)
			continue;
		int n = 0;
		for (size_t i = 0; i < 87; i++)
			n += ctp_cmetric(i)->field == (int)f;
		if (n == 1)
			seen++;
		else
			diag("field %s appears %d times", ctp_fields[f].name, n);
	}
	check_int(seen, ==, 86);
	for (size_t i = 0; i < 87; i++)
		tsd += ctp_cmetric(i)->csection == CTP_CSEC_TASKSTATS_DELAY;
	check_int(tsd, ==, 34);
	check_str(ctp_cmetric(0)->name, "thread_count");
	check_str(ctp_cmetric(1)->name, "policy");
	check_str(ctp_cmetric(9)->name, "nr_threads");
	check_str(ctp_cmetric(86)->name, "hiwater_vm_bytes");
	check_str(ctp_cmetric(87)->name, "affine_success_ratio");
	check_str(ctp_cmetric(103)->name, "total_offcpu_delay_ns");
	check_str(ctp_cmetric((size_t)ctp_cmetric_find("nr_wakeups_affine"))->tags, "[cfs-only] [SCHEDSTATS]");
	check_int(ctp_cmetric_find("no_such"), ==, -1);
	check_int(ctp_cmetric((size_t)ctp_cmetric_find("wait_max"))->ladder, ==, CTP_LADDER_NS);
	check_int(ctp_cmetric((size_t)ctp_cmetric_find("nr_threads"))->ladder, ==, CTP_LADDER_UNITLESS);
	ok(ctp_cmetric((size_t)ctp_cmetric_find("run_time_ns"))->monotonic, "run_time_ns is monotonic");
	ok(!ctp_cmetric(0)->monotonic, "thread_count is not monotonic");
	ok(!ctp_cmetric((size_t)ctp_cmetric_find("state"))->sortable, "state is not sortable");
}

/* host.sched_schedstats: 0 -> every [SCHEDSTATS] metric absent on that side (the file's zeros
 * are not values), nr_migrations and the schedstat-file times still counted; unknown = measured */
static struct ctp_snapshot *sched_side(int schedstats, uint64_t wakeups)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	if (schedstats >= 0) {
		s->host = ctp_xcalloc(1, sizeof(*s->host));
		s->host->sched_schedstats = (struct ctp_opt_u64){ true, (uint64_t)schedstats };
	}
	struct ctp_thread *t = fx_thread(s, 60, 60, "svc", "svc", "/s");
	t->nr_wakeups = wakeups;
	t->wait_sum = wakeups * 1000;
	t->wait_count = wakeups;
	t->nr_migrations = 9;
	t->run_time_ns = 5000;
	return s;
}

static void schedstats_gate(void)
{
	struct ctp_snapshot *off = sched_side(0, 3), *on = sched_side(1, 12), *unk = sched_side(-1, 0);
	check_int(ctp_snapshot_gates_off(off), ==, 1u << CTP_GATE_SCHEDSTATS);
	check_int(ctp_snapshot_gates_off(on), ==, 0);
	check_int(ctp_snapshot_gates_off(unk), ==, 0); /* no host context: unknown, measured */
	unk->host = ctp_xcalloc(1, sizeof(*unk->host));
	check_int(ctp_snapshot_gates_off(unk), ==, 0); /* a host without the key (ktstr): measured */
	check_int(ctp_snapshot_gate_state(off, CTP_GATE_SCHEDSTATS), ==, CTP_GSTATE_OFF);
	check_int(ctp_snapshot_gate_state(on, CTP_GATE_SCHEDSTATS), ==, CTP_GSTATE_ON);
	check_int(ctp_snapshot_gate_state(unk, CTP_GATE_SCHEDSTATS), ==, CTP_GSTATE_UNKNOWN);
	check_str(ctp_gate_label(CTP_GATE_SCHEDSTATS), "schedstats");
	check_str(ctp_gate_hint(CTP_GATE_SCHEDSTATS, CTP_GSTATE_OFF), "sysctl kernel.sched_schedstats=1");
	check_str(ctp_gate_hint(CTP_GATE_SCHEDSTATS, CTP_GSTATE_CONFIG_OFF), "needs CONFIG_SCHEDSTATS=y");
	check_str(ctp_gate_hint(CTP_GATE_BLOCK_DELAY, CTP_GSTATE_OFF), "sysctl kernel.task_delayacct=1");
	check_str(ctp_gate_hint(CTP_GATE_SCHEDSTATS, CTP_GSTATE_ON), "");
	/* every [SCHEDSTATS]-tagged metric carries the gate, and only those */
	size_t gated = 0;
	for (size_t f = 0; f < CTP_NFIELDS; f++) {
		int m = ctp_cmetric_find(ctp_fields[f].name);
		bool tagged = m >= 0 && strstr(ctp_cmetric((size_t)m)->tags, "[SCHEDSTATS]");
		if (tagged != (ctp_fields[f].gate == CTP_GATE_SCHEDSTATS))
			diag("%s: tag and gate disagree", ctp_fields[f].name);
		else
			gated += tagged;
	}
	check_int(gated, ==, 23);

	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	struct ctp_table *tb = ctp_compare(off, on, &o, &err);
	const struct ctp_row *r = fx_row(tb, "svc");
	check_str(fx_val(r, "nr_wakeups", 0), "-");
	check_str(fx_val(r, "nr_wakeups", 1), "12");
	check_str(fx_delta(r, "nr_wakeups"), "-");
	ok(!fx_cell(r, "wait_sum")->base_ok && fx_cell(r, "wait_sum")->live_ok, "wait_sum absent on the off side only");
	check_str(fx_val(r, "avg_wait_ns", 0), "-"); /* derived from absent inputs (file: 3000/3) */
	check_str(fx_val(r, "avg_wait_ns", 1), "1.000µs");
	check_str(fx_val(r, "nr_migrations", 0), "9"); /* se.nr_migrations: printed without schedstats */
	check_str(fx_val(r, "run_time_ns", 0), "5.000µs");
	ctp_table_free(tb);
	tb = ctp_compare(NULL, unk, &o, &err);
	check_str(fx_val(fx_row(tb, "svc"), "nr_wakeups", 1), "0"); /* unknown: ktstr's 0 */
	ctp_table_free(tb);
	ctp_snapshot_free(off);
	ctp_snapshot_free(on);
	ctp_snapshot_free(unk);
}

int main(void)
{
	metric_table();
	schedstats_gate();
	struct ctp_snapshot *s = ctp_snapshot_new();
	struct ctp_thread *t;
	static const uint32_t c0123[] = { 0, 1, 2, 3 }, c02[] = { 0, 2 }, c013[] = { 0, 1, 4, 5, 7 };
	/* group "app": three threads */
	t = fx_thread(s, 10, 10, "app", "app", "/a");
	t->run_time_ns = 100;
	t->wait_max = 70;
	t->nice = -5;
	t->priority = 15;
	t->processor = 9;
	t->rt_priority = 0;
	t->nr_threads = 3;
	t->minflt = UINT64_MAX - 1;
	t->ext_enabled = true;
	t->state = 'R';
	ctp_cpuset_set(&t->cpu_affinity, c0123, 4);
	t->cpu_delay_total_ns = 500; /* not measured: does not make the group measured */
	t->jemalloc_measured = true;
	t->allocated_bytes = 4096;
	t = fx_thread(s, 11, 10, "app", "app-w", "/a");
	t->run_time_ns = 200;
	t->wait_max = 900;
	t->nice = 10;
	t->priority = 30;
	t->processor = 43;
	t->minflt = 5;
	t->state = 'S';
	fx_setstr(&t->policy, "SCHED_FIFO");
	ctp_cpuset_set(&t->cpu_affinity, c0123, 4);
	t->allocated_bytes = 1000; /* unmeasured thread still contributes (normal aggregate) */
	t = fx_thread(s, 12, 10, "app", "app-w", "/a");
	t->run_time_ns = 300;
	t->nice = 0;
	t->priority = 20;
	t->processor = 20;
	t->state = '~';
	ctp_cpuset_set(&t->cpu_affinity, c0123, 4);
	/* group "mix": affinity differs; delay accounting measured on one thread with zero values */
	t = fx_thread(s, 20, 20, "mix", "mix", "/b");
	ctp_cpuset_set(&t->cpu_affinity, c02, 2);
	t->taskstats_measured = true;
	t->cpu_delay_active = true;
	t->delay_block_active = false;
	t->xacct_active = true;
	t->hiwater_rss_bytes = 8192;
	t = fx_thread(s, 21, 20, "mix", "mix", "/b");
	ctp_cpuset_set(&t->cpu_affinity, c013, 5);
	t->hiwater_rss_bytes = 4096;
	t = fx_thread(s, 22, 20, "mix", "mix", "/b");
	ctp_cpuset_set(&t->cpu_affinity, c02, 2);
	fx_setstr(&t->policy, "SCHED_BATCH");
	/* group "same": equal-count but different sets */
	t = fx_thread(s, 30, 30, "same", "same", "/c");
	ctp_cpuset_set(&t->cpu_affinity, c02, 2);
	t = fx_thread(s, 31, 30, "same", "same", "/c");
	fx_setstr(&t->policy, "SCHED_BATCH");
	/* a literal group with the full 0-1,4-5,7 list */
	t = fx_thread(s, 40, 40, "lone", "lone", "/d");
	ctp_cpuset_set(&t->cpu_affinity, c013, 5);

	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	struct ctp_table *tb = ctp_compare(NULL, s, &o, &err);
	ok(tb != NULL, "absolute table built");
	check_int(tb->nrows, ==, 4);
	check_int(tb->mode, ==, CTP_DELTA_ABSOLUTE);
	const struct ctp_row *app = fx_row(tb, "app"), *mix = fx_row(tb, "mix"), *same = fx_row(tb, "same"),
			     *lone = fx_row(tb, "lone");
	ok(app && mix && same && lone, "all four groups present");
	/* rows sorted by key in absolute mode */
	check_str(tb->rows[0].key, "app");
	check_str(tb->rows[3].key, "same");
	/* Sum / Max / thread_count */
	check_str(fx_val(app, "thread_count", 1), "3");
	check_str(fx_val(app, "run_time_ns", 1), "600ns");
	check_str(fx_val(app, "wait_max", 1), "900ns");
	check_str(fx_val(app, "nr_threads", 1), "3");
	ok(fx_cell(app, "minflt")->live == (double)UINT64_MAX, "Sum saturates at u64 max");
	/* Range: min..max, midpoint numeric */
	check_str(fx_val(app, "nice", 1), "-5..10");
	ok(fx_cell(app, "nice")->live == 2.5, "nice midpoint 2.5");
	check_str(fx_val(app, "priority", 1), "15..30");
	check_str(fx_val(app, "processor", 1), "9..43");
	check_str(fx_val(app, "rt_priority", 1), "0");
	ok(fx_cell(app, "processor")->live == 26, "processor midpoint 26");
	/* Mode */
	check_str(fx_val(app, "policy", 1), "SCHED_OTHER (2/3)");
	ok(!fx_cell(app, "policy")->live_ok, "Mode has no numeric projection");
	check_str(fx_val(app, "state", 1), "R (1/3)"); /* 1:1:1 tie -> smallest byte; '~' loses */
	check_str(fx_val(app, "ext_enabled", 1), "false (2/3)");
	check_str(fx_val(same, "policy", 1), "SCHED_BATCH (1/2)"); /* tie -> byte-wise smallest */
	check_str(fx_val(same, "ext_enabled", 1), "false");
	/* Affinity */
	check_str(fx_val(app, "cpu_affinity", 1), "4 cpus (0-3)");
	check_str(fx_val(mix, "cpu_affinity", 1), "2-5 cpus (mixed)");
	ok(fx_cell(mix, "cpu_affinity")->live == 3.5, "affinity midpoint of counts");
	check_str(fx_val(same, "cpu_affinity", 1), "2 cpus (mixed)");
	check_str(fx_val(lone, "cpu_affinity", 1), "5 cpus (0-1,4-5,7)");
	/* measured vs Absent */
	check_str(fx_val(app, "cpu_delay_total_ns", 1), "-");
	ok(!fx_cell(app, "cpu_delay_total_ns")->live_ok, "cpu delay absent when nobody measured");
	check_str(fx_val(mix, "cpu_delay_total_ns", 1), "0ns"); /* measured, genuinely zero */
	check_str(fx_val(mix, "blkio_delay_total_ns", 1), "-");  /* delay_block_active off */
	check_str(fx_val(mix, "hiwater_rss_bytes", 1), "8.000KiB");
	check_str(fx_val(app, "hiwater_rss_bytes", 1), "-");
	check_str(fx_val(app, "allocated_bytes", 1), "4.977KiB");
	check_str(fx_val(mix, "allocated_bytes", 1), "-");
	check_str(fx_val(app, "run_time_ns", 0), "-"); /* no baseline side */
	ctp_table_free(tb);

	/* a group on one side only: app gone, "new" appears */
	struct ctp_snapshot *l = ctp_snapshot_new();
	t = fx_thread(l, 20, 20, "mix", "mix", "/b");
	t->taskstats_measured = t->cpu_delay_active = true;
	t->cpu_delay_total_ns = 40;
	t->state = 'R';
	t = fx_thread(l, 50, 50, "new", "new", "/e");
	t->run_time_ns = 7;
	tb = ctp_compare(s, l, &o, &err);
	const struct ctp_row *gone = fx_row(tb, "app"), *nw = fx_row(tb, "new");
	mix = fx_row(tb, "mix");
	check_int(gone->status, ==, CTP_ROW_GONE);
	check_int(nw->status, ==, CTP_ROW_NEW);
	check_int(mix->status, ==, CTP_ROW_MATCHED);
	check_str(fx_val(gone, "run_time_ns", 0), "600ns");
	check_str(fx_val(gone, "run_time_ns", 1), "-");
	check_str(fx_delta(gone, "run_time_ns"), "-");
	check_str(fx_val(nw, "run_time_ns", 1), "7ns");
	check_str(fx_delta(nw, "run_time_ns"), "-");
	check_str(fx_val(nw, "policy", 0), "-");
	check_str(fx_delta(nw, "policy"), "-");
	check_int(nw->nthreads_base, ==, 0);
	check_int(nw->nthreads_live, ==, 1);
	check_str(fx_delta(mix, "cpu_delay_total_ns"), "+40ns");
	check_str(fx_pct(mix, "cpu_delay_total_ns"), "-"); /* zero baseline: no percent */
	check_str(fx_delta(mix, "thread_count"), "-2");
	check_str(fx_pct(mix, "thread_count"), "-66.7%");
	check_str(fx_delta(mix, "policy"), "same"); /* mode values compared, not tallies */
	check_str(fx_delta(mix, "state"), "differs");
	check_str(fx_delta(mix, "cpu_affinity"), "-1.500");
	check_str(fx_delta(mix, "hiwater_rss_bytes"), "-"); /* live side unmeasured */
	ctp_table_free(tb);
	ctp_snapshot_free(l);
	ctp_snapshot_free(s);
	return test_done();
}
