/* t_probe.c — jemalloc probe: TLS arithmetic vectors (design §3, §7.2), the symbol predicate,
 * exact counters of every thread of the fake_jemalloc helper through the slow and the cached
 * (batched) paths, the summary bookkeeping, and the error paths: non-jemalloc target, vanished
 * pid, our own pid, and an unprivileged prober (ptrace-seize counted). */
#include <elf.h>
#include <sys/fsuid.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "capture/capture.h"
#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static void test_arith(void)
{
	uint64_t v = 0;
	ok(ctp_tls_round_up(0, 0, &v) && v == 0, "round_up(0,0) = 0");
	ok(ctp_tls_round_up(7, 0, &v) && v == 7, "round_up(7,0) = 7");
	ok(ctp_tls_round_up(UINT64_MAX, 1, &v) && v == UINT64_MAX, "round_up(MAX,1) = MAX");
	ok(!ctp_tls_round_up(UINT64_MAX, 2, &v), "round_up(MAX,2) overflows");
	ok(!ctp_tls_round_up(UINT64_MAX, 8, &v), "round_up(MAX,8) overflows");
	ok(ctp_tls_round_up(7, 8, &v) && v == 8, "round_up(7,8) = 8");
	ok(ctp_tls_round_up(8, 8, &v) && v == 8, "round_up(8,8) = 8");
	ok(ctp_tls_round_up(9, 8, &v) && v == 16, "round_up(9,8) = 16");

	struct ctp_jemalloc_layout x = { .e_machine = EM_X86_64, .tls_offset = 0x100, .st_value = 0x10, .off_alloc = 8 };
	ok(ctp_tls_counter_addr(&x, 0x10000, &v) && v == 0xff18, "x86_64 vector 1: 0xff18");
	x = (struct ctp_jemalloc_layout){ .e_machine = EM_X86_64, .tls_offset = 512, .st_value = 0x100, .off_alloc = 264 };
	ok(ctp_tls_counter_addr(&x, 0x7f1234567000ull, &v) && v == 0x7f1234567008ull, "x86_64 vector 2");
	x.tls_offset = 0x7f1234567000ull;
	ok(ctp_tls_counter_addr(&x, 0x7f1234567000ull, &v) && v == 0x100 + 264, "x86_64: fs_base == size -> base 0");
	x.tls_offset = 0x7f1234567001ull;
	ok(!ctp_tls_counter_addr(&x, 0x7f1234567000ull, &v), "x86_64 underflow is an error");

	struct ctp_jemalloc_layout a = { .e_machine = EM_AARCH64, .p_align = 16, .st_value = 0x100, .off_alloc = 264 };
	ok(ctp_tls_counter_addr(&a, 0x7f1234567000ull, &v) && v == 0x7f1234567218ull, "aarch64 vector 1");
	a = (struct ctp_jemalloc_layout){ .e_machine = EM_AARCH64, .p_align = 64 };
	ok(ctp_tls_counter_addr(&a, 0x1000, &v) && v == 0x1040, "aarch64 align 64 -> 0x1040");
	a.p_align = 16;
	ok(ctp_tls_counter_addr(&a, 0x1000, &v) && v == 0x1010, "aarch64 align 16 -> 0x1010");
	a.p_align = 8;
	ok(ctp_tls_counter_addr(&a, 0x1000, &v) && v == 0x1010, "aarch64 align 8 -> 0x1010");
	a.p_align = 0;
	ok(ctp_tls_counter_addr(&a, 0x1000, &v) && v == 0x1010, "aarch64 align 0 -> 0x1010");

	struct ctp_jemalloc_layout d = { .tls_offset = 1009, .p_align = 64, .st_value = 307, .off_alloc = 83 };
	d.e_machine = EM_X86_64;
	ok(ctp_tls_counter_addr(&d, 13000009, &v) && v == 12999390, "dispatch x86_64 -> 12999390");
	d.e_machine = EM_AARCH64;
	ok(ctp_tls_counter_addr(&d, 13000009, &v) && v == 13000463, "dispatch aarch64 -> 13000463");
	d.e_machine = EM_RISCV;
	ok(!ctp_tls_counter_addr(&d, 13000009, &v), "unknown machine rejected");
}

static void test_names(void)
{
	static const char *yes[] = { "tsd_tls", "je_tsd_tls", "_rjem_je_tsd_tls", "jemalloc_je_tsd_tls", "custom_tsd_tls" };
	static const char *no[] = { "mytsd_tls", "tsd_tls_v2", "je_tsd_tls_extra", "_tsd_tls", "" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(yes); i++)
		ok(ctp_probe_tsd_name_match(yes[i]), "name accepted: %s", yes[i]);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(no); i++)
		ok(!ctp_probe_tsd_name_match(no[i]), "name rejected: '%s'", no[i]);
	check_str(ctp_probe_tag_name(CTP_PT_PTRACE_SEIZE), "ptrace-seize");
	check_str(ctp_probe_tag_name(CTP_PT_PROCESS_VM_READV), "process-vm-readv");
	check_str(ctp_probe_tag_name(CTP_PT_DWARF_PARSE_FAILURE), "dwarf-parse-failure");
	check_str(ctp_probe_tag_name(CTP_PT_JEMALLOC_IN_DSO), "jemalloc-in-dso");
	ok(ctp_probe_tag_routine(CTP_PT_JEMALLOC_NOT_FOUND) && ctp_probe_tag_routine(CTP_PT_READLINK_FAILURE) &&
		   !ctp_probe_tag_routine(CTP_PT_PID_MISSING),
	   "routine tags: jemalloc-not-found, readlink-failure");
}

/* every reported thread of t probed with the exact values */
static size_t count_exact(const struct target *t, const uint32_t *tids, size_t n,
			  const struct ctp_probe_thread_result *r)
{
	size_t good = 0;
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; j < n; j++)
			if (tids[j] == t->tid[i] && r[j].ok && r[j].allocated == t->alloc[i] &&
			    r[j].deallocated == t->dealloc[i])
				good++;
	return good;
}

static void test_fake(void)
{
	char path[512], k[] = "6";
	struct target t;
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	char *argv[] = { path, k, NULL };
	if (target_start(&t, argv) < 0) {
		skip("fake_jemalloc helper did not start (%s)", path);
		return;
	}
	check_int(t.n, ==, 7);

	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	check_int(ctp_probe_attach(NULL, t.pid, &l, &err), ==, CTP_PT_OK);
	check_u64(l.off_alloc, ==, 40);
	check_u64(l.off_dealloc, ==, 56);
	check_u64(l.st_value, ==, 40);
	check_int(l.e_machine, ==, EM_X86_64);

	uint32_t tids[64];
	uint64_t starts[64];
	struct ctp_probe_thread_result r[64];
	size_t n = task_list(t.pid, tids, starts, 64);
	check_int(n, ==, 7);

	struct ctp_probe *p = ctp_probe_new(NULL);
	struct ctp_probe_summary s;
	ctp_probe_begin_sample(p);
	check_int(ctp_probe_process(p, t.pid, tids, starts, n, r), ==, CTP_PT_OK);
	check_int(count_exact(&t, tids, n, r), ==, 7);
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "target running after the slow path");
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.tgids_walked, ==, 1);
	check_u64(s.jemalloc_detected, ==, 1);
	check_u64(s.probed_ok, ==, 7);
	check_u64(s.failed, ==, 0);
	ok(s.dominant_failure == NULL && !s.privilege_dominant, "no dominant failure");
	free(s.dominant_failure);
	check_u64(ctp_probe_stats(p)->slow_probes, ==, 7);

	/* second sample: cached thread pointers, one batched read, no ptrace */
	ctp_probe_begin_sample(p);
	memset(r, 0, sizeof(r));
	check_int(ctp_probe_process(p, t.pid, tids, starts, n, r), ==, CTP_PT_OK);
	check_int(count_exact(&t, tids, n, r), ==, 7);
	check_u64(ctp_probe_stats(p)->slow_probes, ==, 7);
	check_u64(ctp_probe_stats(p)->fast_probes, ==, 7);
	check_u64(ctp_probe_stats(p)->attach_cache_hits, ==, 1);
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.probed_ok, ==, 7);
	check_u64(s.tgids_walked, ==, 1);
	free(s.dominant_failure);

	/* a changed start time (tid reuse) is a cache miss: slow path again, still exact */
	starts[0]++;
	ctp_probe_begin_sample(p);
	check_int(ctp_probe_process(p, t.pid, tids, starts, n, r), ==, CTP_PT_OK);
	check_int(count_exact(&t, tids, n, r), ==, 7);
	check_u64(ctp_probe_stats(p)->slow_probes, ==, 8);

	/* a thread that is gone: the fast path reports process-vm-readv */
	uint32_t ghost[2] = { tids[1], 999999 };
	uint64_t gst[2] = { starts[1], 0 };
	ctp_probe_begin_sample(p);
	ctp_probe_process(p, t.pid, ghost, gst, 2, r);
	ok(r[0].ok, "live cached thread still read");
	ok(!r[1].ok && r[1].tag == CTP_PT_PTRACE_SEIZE, "unknown tid: ptrace-seize (%s)", r[1].error);
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.failed, ==, 1);
	check_str(s.dominant_failure, "ptrace-seize");
	ok(s.privilege_dominant, "privilege_dominant when seize failures dominate");
	free(s.dominant_failure);
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "target running at the end");
	ctp_probe_free(p);
	target_stop(&t);
}

static void test_not_jemalloc(void)
{
	pid_t c = fork();
	if (c == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	usleep(100000);
	struct ctp_probe *p = ctp_probe_new(NULL);
	struct ctp_probe_summary s;
	struct ctp_probe_thread_result r[1];
	uint32_t tid = (uint32_t)c;
	ctp_probe_begin_sample(p);
	check_int(ctp_probe_process(p, c, &tid, NULL, 1, r), ==, CTP_PT_JEMALLOC_NOT_FOUND);
	ok(!r[0].ok && r[0].tag == CTP_PT_JEMALLOC_NOT_FOUND, "thread result carries jemalloc-not-found");
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.tgids_walked, ==, 1);
	check_u64(s.jemalloc_detected, ==, 0);
	check_u64(s.failed, ==, 0);
	check_u64(ctp_probe_tag_count(p, CTP_PT_JEMALLOC_NOT_FOUND), ==, 1);
	ok(s.dominant_failure == NULL, "routine tag is not dominant");
	/* the cached negative result is re-counted on every hit */
	check_int(ctp_probe_process(p, c, &tid, NULL, 1, r), ==, CTP_PT_JEMALLOC_NOT_FOUND);
	check_u64(ctp_probe_tag_count(p, CTP_PT_JEMALLOC_NOT_FOUND), ==, 2);
	check_u64(ctp_probe_stats(p)->attach_cache_hits, ==, 1);

	/* our own pid: rejected, nothing counted */
	tid = (uint32_t)getpid();
	check_int(ctp_probe_process(p, getpid(), &tid, NULL, 1, r), ==, CTP_PT_SELF_PROBE_REJECTED);
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.tgids_walked, ==, 2);
	free(s.dominant_failure);

	/* a pid that is gone */
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	ctp_probe_begin_sample(p);
	tid = (uint32_t)c;
	check_int(ctp_probe_process(p, c, &tid, NULL, 1, r), ==, CTP_PT_PID_MISSING);
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.tgids_walked, ==, 1);
	check_u64(s.failed, ==, 1);
	check_str(s.dominant_failure, "pid-missing");
	ok(!s.privilege_dominant, "pid-missing is not a privilege failure");
	free(s.dominant_failure);
	ctp_probe_free(p);
}

/* target runs as uid 65533; the prober has real uid 65534 (nobody) but fsuid 65533, so it
 * can read /proc/PID/exe and maps (FSCREDS checks) yet PTRACE_SEIZE (REALCREDS) is refused */
static void test_unprivileged(void)
{
	char path[512], k[] = "3";
	struct target t;
	if (geteuid() != 0) {
		skip("unprivileged-probe test needs root to drop privileges");
		return;
	}
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	char *argv[] = { path, k, NULL };
	if (target_start_as(&t, argv, 65533) < 0) {
		skip("fake_jemalloc helper did not start as uid 65533");
		return;
	}
	int fds[2];
	if (pipe(fds) < 0)
		return;
	pid_t c = fork();
	if (c == 0) {
		uint32_t tids[16];
		uint64_t starts[16];
		struct ctp_probe_thread_result r[16];
		struct ctp_probe_summary s;
		size_t n = task_list(t.pid, tids, starts, 16);
		if (setresgid(65534, 65534, 65533) || setresuid(65534, 65534, 65533))
			_exit(2);
		setfsuid(65533);
		setfsgid(65533);
		struct ctp_probe *p = ctp_probe_new(NULL);
		ctp_probe_begin_sample(p);
		int tag = ctp_probe_process(p, t.pid, tids, starts, n, r);
		ctp_capture_probe_summary(ctp_probe_counts(p), &s);
		dprintf(fds[1], "%d %zu %llu %llu %llu %s %d %s\n", tag, n, (unsigned long long)s.failed,
			(unsigned long long)s.probed_ok, (unsigned long long)ctp_probe_tag_count(p, CTP_PT_PTRACE_SEIZE),
			s.dominant_failure ? s.dominant_failure : "null", s.privilege_dominant, n ? r[0].error : "");
		_exit(0);
	}
	close(fds[1]);
	char line[512] = "";
	ssize_t got = read(fds[0], line, sizeof(line) - 1);
	close(fds[0]);
	waitpid(c, NULL, 0);
	line[got > 0 ? got : 0] = '\0';
	int tag = -1, priv = -1;
	size_t n = 0;
	unsigned long long failed = 0, okc = 9, seize = 0;
	char dom[64] = "";
	sscanf(line, "%d %zu %llu %llu %llu %63s %d", &tag, &n, &failed, &okc, &seize, dom, &priv);
	diag("unprivileged child: %s", line);
	check_int(tag, ==, CTP_PT_OK);
	check_int(n, ==, 4);
	check_u64(failed, ==, 4);
	check_u64(okc, ==, 0);
	check_u64(seize, ==, 4);
	check_str(dom, "ptrace-seize");
	check_int(priv, ==, 1);
	ok(strstr(line, "PTRACE_SEIZE") && strstr(line, "Operation not permitted"), "error names the call and errno");
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "target running");
	target_stop(&t);
}

/* a queued signal racing the slow path must be delivered exactly once (design §4.5-1):
 * the signal-delivery-stop is detached with the signal re-injected */
static void test_signal_reinject(void)
{
	char path[512], k[] = "2", line[64];
	struct target t;
	const int K = 200;
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	char *argv[] = { path, k, NULL };
	if (target_start(&t, argv) < 0) {
		skip("fake_jemalloc helper did not start");
		return;
	}
	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	uint64_t tp, a, d;
	int okc = 0;
	if (ctp_probe_attach(NULL, t.pid, &l, &err) != CTP_PT_OK) {
		ok(0, "attach for the signal test (%s)", err.msg);
		target_stop(&t);
		return;
	}
	for (int i = 0; i < K; i++) {
		uint32_t tid = t.tid[(size_t)i % t.n];
		syscall(SYS_tgkill, t.pid, (pid_t)tid, SIGRTMIN);
		okc += ctp_probe_thread_slow(&l, (pid_t)tid, &tp, &a, &d, &err) == CTP_PT_OK && a == t.alloc[(size_t)i % t.n];
	}
	check_int(okc, ==, K);
	/* re-injected signals may still be queued on a busy (sanitized) target: ask until all
	 * arrived or 3 s passed; a lost signal never arrives */
	int got = -1;
	for (int tries = 0; tries < 30 && got != K; tries++) {
		usleep(100000);
		kill(t.pid, SIGUSR2);
		got = -1;
		while (fgets(line, sizeof(line), t.out))
			if (sscanf(line, "SIGS %d", &got) == 1)
				break;
	}
	check_int(got, ==, K);
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "target running after the signal race");
	target_stop(&t);
}

int main(void)
{
	test_arith();
	test_names();
	test_fake();
	test_not_jemalloc();
	test_unprivileged();
	test_signal_reinject();
	return test_done();
}
