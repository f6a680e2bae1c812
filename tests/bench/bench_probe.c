/* bench_probe.c — jemalloc probe costs against a 64-thread fake_jemalloc target: full ptrace
 * cycle per thread vs cached-thread-pointer read per thread (goal >= 20x), the cold attach
 * (ELF + DWARF), and the per-sample cost of a ctp_probe context (cold vs steady state). */
#include "probe/probe.h"
#include "../t_probe_util.h"
#include "base/util.h"

#define NT 64

int main(int argc, char **argv)
{
	char path[512], k[8];
	struct target t;
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	snprintf(k, sizeof(k), "%d", NT - 1);
	char *args[] = { path, k, NULL };
	if (target_start(&t, args) < 0) {
		fprintf(stderr, "bench_probe: cannot start %s\n", path);
		return 1;
	}
	uint32_t tids[NT + 8];
	uint64_t starts[NT + 8], a, d, tp[NT + 8];
	size_t n = task_list(t.pid, tids, starts, NT + 8);
	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };

	uint64_t t0 = ctp_now_monotonic_ns();
	if (ctp_probe_attach(NULL, t.pid, &l, &err) != CTP_PT_OK) {
		fprintf(stderr, "bench_probe: attach failed: %s\n", err.msg);
		target_stop(&t);
		return 1;
	}
	double attach_us = (double)(ctp_now_monotonic_ns() - t0) / 1e3;

	uint64_t slow_ns = 0, fast_ns = 0, bad = 0;
	for (int r = 0; r < rounds; r++) {
		t0 = ctp_now_monotonic_ns();
		for (size_t i = 0; i < n; i++)
			bad += ctp_probe_thread_slow(&l, (pid_t)tids[i], &tp[i], &a, &d, &err) != CTP_PT_OK;
		slow_ns += ctp_now_monotonic_ns() - t0;
		t0 = ctp_now_monotonic_ns();
		for (size_t i = 0; i < n; i++)
			bad += ctp_probe_thread_fast(&l, (pid_t)tids[i], tp[i], &a, &d, &err) != CTP_PT_OK;
		fast_ns += ctp_now_monotonic_ns() - t0;
	}
	double slow_us = (double)slow_ns / 1e3 / (double)(rounds * n), fast_us = (double)fast_ns / 1e3 / (double)(rounds * n);

	/* context: cold sample (attach + one stop per thread) then batched steady state */
	struct ctp_probe_thread_result res[NT + 8];
	struct ctp_probe *p = ctp_probe_new(NULL);
	t0 = ctp_now_monotonic_ns();
	ctp_probe_begin_sample(p);
	ctp_probe_process(p, t.pid, tids, starts, n, res);
	double cold_us = (double)(ctp_now_monotonic_ns() - t0) / 1e3;
	int steady = rounds * 50;
	t0 = ctp_now_monotonic_ns();
	for (int r = 0; r < steady; r++) {
		ctp_probe_begin_sample(p);
		ctp_probe_process(p, t.pid, tids, starts, n, res);
	}
	double warm_us = (double)(ctp_now_monotonic_ns() - t0) / 1e3 / steady;
	for (size_t i = 0; i < n; i++)
		bad += !res[i].ok;

	printf("target: %zu threads, %d rounds\n", n, rounds);
	printf("attach (ELF + DWARF, cold):            %10.1f us\n", attach_us);
	printf("full ptrace cycle per thread:          %10.2f us\n", slow_us);
	printf("cached-TP read per thread (1 readv):   %10.2f us\n", fast_us);
	printf("speedup single cached read vs ptrace:  %10.1f x\n", slow_us / fast_us);
	printf("context sample, cold (attach+stops):   %10.1f us (%zu threads)\n", cold_us, n);
	printf("context sample, steady (batched):      %10.2f us (%.3f us/thread)\n", warm_us, warm_us / (double)n);
	double per = warm_us / (double)n;
	printf("speedup steady sample vs ptrace:       %10.1f x per thread (goal >= 20x: %s)\n", slow_us / per,
	       slow_us / per >= 20 ? "met" : "NOT met");
	printf("failed reads: %llu, tasks in tracing stop after: %d\n", (unsigned long long)bad, tasks_traced(t.pid));
	ctp_probe_free(p);
	target_stop(&t);
	return bad ? 1 : 0;
}
