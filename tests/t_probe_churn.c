/* t_probe_churn.c — the probe against a target that creates and joins threads without pause
 * (fake_jemalloc --churn): ~3 s of back-to-back samples must show only thread-gone failures,
 * exact values for the parked threads, no task ever left in tracing stop, target alive. */
#include <unistd.h>

#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static bool gone_tag(enum ctp_probe_tag t)
{
	return t == CTP_PT_PTRACE_SEIZE || t == CTP_PT_PTRACE_INTERRUPT || t == CTP_PT_WAITPID ||
	       t == CTP_PT_GET_REGSET || t == CTP_PT_PROCESS_VM_READV;
}

int main(void)
{
	char path[512], k[] = "3", churn[] = "--churn";
	struct target t;
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	char *argv[] = { path, churn, k, NULL };
	if (target_start(&t, argv) < 0)
		skip_all("fake_jemalloc helper did not start");

	struct ctp_probe *p = ctp_probe_new(NULL);
	uint32_t tids[512];
	uint64_t starts[512];
	struct ctp_probe_thread_result r[512];
	uint64_t t0 = ctp_now_monotonic_ns(), samples = 0, oks = 0, fails = 0, bad = 0, wrong = 0, traced = 0;
	uint64_t seen_short = 0, parked_exact = 0;
	while (ctp_now_monotonic_ns() - t0 < 3000000000ull) {
		size_t n = task_list(t.pid, tids, starts, 512);
		ctp_probe_begin_sample(p);
		ctp_probe_process(p, t.pid, tids, starts, n, r);
		for (size_t i = 0; i < n; i++) {
			bool parked = false;
			for (size_t j = 0; j < t.n; j++)
				if (t.tid[j] == tids[i]) {
					parked = true;
					parked_exact += r[i].ok && r[i].allocated == t.alloc[j] && r[i].deallocated == t.dealloc[j];
				}
			if (r[i].ok) {
				oks++;
				uint64_t a = (uint64_t)tids[i] * 1000003 + 17;
				/* a short-lived thread may be read before it set its counters */
				if (!(r[i].allocated == a && r[i].deallocated == (uint64_t)tids[i] * 7 + 5) &&
				    !(r[i].allocated == 0 && r[i].deallocated == 0))
					wrong++;
				seen_short += !parked;
			} else {
				fails++;
				if (!gone_tag(r[i].tag) || parked) {
					bad++;
					diag("unexpected failure tid %u [%s]: %s", tids[i], ctp_probe_tag_name(r[i].tag),
					     r[i].error);
				}
			}
		}
		/* left in tracing stop = still there a moment later: on a loaded host a detached
		 * thread may show 't' until it next runs */
		if (tasks_traced(t.pid) > 0 && (usleep(200000), tasks_traced(t.pid) > 0))
			traced++;
		samples++;
	}
	diag("samples %llu, thread reads ok %llu, thread-gone failures %llu, short-lived seen %llu, "
	     "slow probes %llu, fast probes %llu",
	     (unsigned long long)samples, (unsigned long long)oks, (unsigned long long)fails,
	     (unsigned long long)seen_short, (unsigned long long)ctp_probe_stats(p)->slow_probes,
	     (unsigned long long)ctp_probe_stats(p)->fast_probes);
	ok(samples > 10, "took many samples");
	check_u64(bad, ==, 0);
	check_u64(wrong, ==, 0);
	check_u64(traced, ==, 0);
	check_u64(parked_exact, ==, samples * 4);
	ok(target_running(t.pid), "churn target still running");
	/* the target keeps creating threads after we stop: none may be stuck traced */
	usleep(100000);
	check_int(tasks_traced(t.pid), ==, 0);
	ctp_probe_free(p);
	ok(target_running(t.pid), "still running after ctp_probe_free");
	target_stop(&t);
	return test_done();
}
