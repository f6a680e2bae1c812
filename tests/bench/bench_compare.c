/* bench_compare.c — generates two 10k-thread snapshots  (500 processes x 20 threads, 1000 pcomm groups, pool names
 * that normalize, 40 cgroups), saves them, then times load both + group + aggregate +
 * compare (pcomm axis) and the other axes. Goal: load+compare <= 50 ms. Prints the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/compare.h"
#include "snapshot/snapfile.h"

static struct ctp_snapshot *gen(int side)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	static const uint32_t cpus[] = { 0, 1 };
	for (uint32_t p = 0; p < 500; p++)
		for (uint32_t k = 0; k < 20; k++) {
			struct ctp_thread *t = ctp_snapshot_add_thread(s);
			char name[32], cg[64];
			t->tid = 1000 + p * 20 + k + (side && k == 19 ? 100000 : 0); /* churn: one new thread */
			t->tgid = 1000 + p * 20;
			snprintf(name, sizeof(name), "svc-%c%c%c", 'g' + p % 20, 'g' + p / 20 % 20, 'g' + k % 2);
			free(t->pcomm);
			t->pcomm = strdup(name);
			snprintf(name, sizeof(name), k ? "worker-%u" : "main", k);
			free(t->comm);
			t->comm = strdup(name);
			snprintf(cg, sizeof(cg), "/system.slice/app-%c%c.service", 'g' + p % 8, 'g' + p / 8 % 5);
			free(t->cgroup);
			t->cgroup = strdup(cg);
			free(t->policy);
			t->policy = strdup("SCHED_OTHER");
			t->state = 'S';
			t->start_time_clock_ticks = 5000 + p;
			ctp_cpuset_set(&t->cpu_affinity, cpus, 2);
			uint64_t f = side ? 3 : 1;
			t->run_time_ns = f * 1000000 * (k + 1);
			t->wait_time_ns = f * 100000 * (k + 1);
			t->timeslices = f * 100;
			t->voluntary_csw = f * 50;
			t->nonvoluntary_csw = f * 5;
			t->wait_sum = t->wait_time_ns;
			t->wait_count = t->timeslices;
			t->rchar = f << 20;
			t->taskstats_measured = t->cpu_delay_active = t->delay_block_active = true;
			t->cpu_delay_count = f * 4;
			t->cpu_delay_total_ns = f * 4000;
		}
	s->captured_at_unix_ns = side ? 2000000000ull : 1000000000ull;
	return s;
}

static double now_ms(void)
{
	return (double)ctp_now_monotonic_ns() / 1e6;
}

int main(void)
{
	char pa[] = "/tmp/ctp-bench-aXXXXXX", pb[] = "/tmp/ctp-bench-bXXXXXX";
	int fa = mkstemp(pa), fb = mkstemp(pb);
	close(fa);
	close(fb);
	struct ctp_err err = { 0 };
	struct ctp_snapshot *a = gen(0), *b = gen(1);
	if (ctp_snapfile_save(pa, a, NULL, &err) < 0 || ctp_snapfile_save(pb, b, NULL, &err) < 0) {
		char m[600];
		fprintf(stderr, "bench_compare: save failed: %s\n", ctp_err_str(&err, m, sizeof(m)));
		return 1;
	}
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
	double best = 1e9, best_load = 1e9, best_cmp = 1e9;
	size_t groups = 0;
	for (int it = 0; it < 5; it++) {
		double t0 = now_ms();
		struct ctp_snapshot *x = NULL, *y = NULL;
		if (ctp_snapfile_load_pair(pa, &x, pb, &y, &err) < 0)
			return 1;
		double t1 = now_ms();
		struct ctp_compare_opts o;
		ctp_compare_opts_init(&o);
		struct ctp_table *t = ctp_compare(x, y, &o, &err);
		double t2 = now_ms();
		groups = t ? t->nrows : 0;
		if (t2 - t0 < best)
			best = t2 - t0;
		if (t1 - t0 < best_load)
			best_load = t1 - t0;
		if (t2 - t1 < best_cmp)
			best_cmp = t2 - t1;
		ctp_table_free(t);
		if (it == 4) {
			static const enum ctp_axis axes[] = { CTP_AXIS_CGROUP, CTP_AXIS_COMM, CTP_AXIS_COMM_EXACT, CTP_AXIS_ALL };
			static const char *const names[] = { "cgroup", "comm", "comm-exact", "all" };
			for (size_t i = 0; i < 4; i++) {
				o.axis = axes[i];
				double s0 = now_ms();
				t = ctp_compare(x, y, &o, &err);
				printf("bench_compare: axis %-10s %5zu groups  %.1f ms\n", names[i], t ? t->nrows : 0, now_ms() - s0);
				ctp_table_free(t);
			}
			o.axis = CTP_AXIS_PCOMM;
			o.tid_deltas = true;
			double s0 = now_ms();
			t = ctp_compare(x, y, &o, &err);
			printf("bench_compare: pcomm + tid_deltas          %.1f ms\n", now_ms() - s0);
			ctp_table_free(t);
		}
		ctp_snapshot_free(x);
		ctp_snapshot_free(y);
	}
	printf("bench_compare: 2 x 10000 threads, pcomm axis, %zu groups\n", groups);
	printf("bench_compare: load both %.1f ms + group/aggregate/compare %.1f ms = %.1f ms (goal <= 50 ms)\n",
	       best_load, best_cmp, best);
	if (getenv("CTP_BENCH_KEEP"))
		printf("bench_compare: kept %s %s\n", pa, pb);
	else
		unlink(pa), unlink(pb);
	return 0;
}
