/* bench_deeper_cost.c — issue 17's cost figures, run by tests/bench/bench_deeper.sh (which
 * starts 2,000 idle threads and a churn of exiting ones first): three capture contexts of the
 * whole host — plain, with the taskstats exit listener (item 2), with wait channels (item 3) —
 * captured in turn K times (the machine's drift hits all three alike); the median CPU time of
 * one capture each (CLOCK_PROCESS_CPUTIME_ID), the two additions and their share of a plain
 * refresh. Taskstats on, probe off. Alone (no BENCH_DEEPER_CHILD) it says so and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/capture.h"
#include "snapshot/model.h"
#include "base/util.h"

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	int k = getenv("BENCH_DEEPER_RUNS") ? atoi(getenv("BENCH_DEEPER_RUNS")) : 15;
	if (!getenv("BENCH_DEEPER_CHILD")) {
		printf("bench_deeper_cost: run by tests/bench/bench_deeper.sh (it starts the threads)\n");
		return 0;
	}
	struct ctp_capture_opts o[3];
	struct ctp_capture *c[3];
	double *ms[3];
	size_t threads = 0, exits = 0, waits = 0;
	for (int v = 0; v < 3; v++) {
		memset(&o[v], 0, sizeof(o[v]));
		o[v].no_probe = true;
		o[v].exits = v == 1;
		o[v].wchan = v == 2;
		c[v] = ctp_capture_new(&o[v]);
		ms[v] = calloc((size_t)k + 1, sizeof(double));
	}
	if (!ctp_capture_status(c[1])->exits)
		printf("bench_deeper_cost: no exit listener (errno %d): its figure is a plain capture's\n",
		       ctp_capture_status(c[1])->exits_errno);
	for (int i = -1; i < k; i++) /* one warm-up round */
		for (int v = 0; v < 3; v++) {
			struct ctp_snapshot *s = NULL;
			struct ctp_err err = { 0 };
			double t0 = cpu_ms();
			if (ctp_capture_run(c[v], &s, &err) < 0) {
				fprintf(stderr, "bench_deeper_cost: capture failed: %s\n", err.msg);
				return 1;
			}
			double t1 = cpu_ms();
			if (i >= 0) {
				ms[v][i] = t1 - t0;
				threads += v == 0 ? s->nthreads : 0;
				exits += s->nexits;
				for (size_t j = 0; v == 2 && s->wchan && j < s->nthreads; j++)
					waits += s->wchan[j] != NULL;
			}
			ctp_snapshot_free(s);
			struct timespec gap = { 0, 100000000 }; /* 0.1 s: records arrive in between */
			nanosleep(&gap, NULL);
		}
	double med[3];
	for (int v = 0; v < 3; v++) {
		qsort(ms[v], (size_t)k, sizeof(double), cmp_d);
		med[v] = ms[v][k / 2];
	}
	printf("capture of %zu threads (median of %d): plain %.2f ms CPU\n", threads / (size_t)k, k, med[0]);
	printf("  exit listener (item 2, %zu records a capture): %+.2f ms, %+.1f %% of a refresh\n", exits / (size_t)k,
	       med[1] - med[0], 100 * (med[1] - med[0]) / med[0]);
	printf("  wait channels (item 3, %zu sleeping threads read a capture): %+.2f ms, %+.1f %% of a refresh\n",
	       waits / (size_t)k, med[2] - med[0], 100 * (med[2] - med[0]) / med[0]);
	for (int v = 0; v < 3; v++) {
		ctp_capture_free(c[v]);
		free(ms[v]);
	}
	return 0;
}
