/* t_probe_exec.c — a probed process that execs (issue 12 item 1): the thread pointer cached
 * for its main thread (same tid, tgid, start time) must not be used with the new image. A
 * hostile second image whose tsd_s puts thread_deallocated 1 MiB after thread_allocated (and
 * maps memory where the stale pointer points) is refused at attach, never read; a benign new
 * image, or the same binary again, is re-probed with exact values. Targets run as nobody. */
#include <elf.h>
#include <sys/stat.h>

#include "capture/capture.h"
#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static int target_uid(void)
{
	return geteuid() == 0 ? 65534 : -1;
}

static void helper_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/tests/helpers/%s", build_dir(), name);
}

/* one sample of t's threads; returns the process tag, fills r, *n */
static enum ctp_probe_tag sample(struct ctp_probe *p, pid_t pid, uint32_t *tids, uint64_t *starts, size_t *n,
				 struct ctp_probe_thread_result *r)
{
	*n = task_list(pid, tids, starts, 16);
	ctp_probe_begin_sample(p);
	return ctp_probe_process(p, pid, tids, starts, *n, r);
}

/* starts evil_exec_span NEXT ARGS..., probes it once (slow path, exact), makes it exec and
 * waits for the new image's READY; false (with a skip) when the target cannot run */
static bool probe_then_exec(struct target *t, struct ctp_probe *p, char *const argv[], uint64_t *start0)
{
	uint32_t tids[16];
	uint64_t starts[16];
	struct ctp_probe_thread_result r[16];
	size_t n;
	if (target_start_as(t, argv, target_uid()) < 0) {
		skip("evil_exec_span did not start");
		return false;
	}
	check_int(sample(p, t->pid, tids, starts, &n, r), ==, CTP_PT_OK);
	check_int(n, ==, 1);
	ok(n == 1 && r[0].ok && r[0].allocated == t->alloc[0] && r[0].deallocated == t->dealloc[0],
	   "first image read exactly (%s)", r[0].error);
	*start0 = starts[0];
	kill(t->pid, SIGUSR1);
	if (target_read_ready(t) < 0) {
		ok(0, "second image became ready");
		return false;
	}
	return true;
}

static void test_span_overflow(void)
{
	char first[512], big[512];
	struct target t;
	uint32_t tids[16];
	uint64_t starts[16], start0 = 0;
	struct ctp_probe_thread_result r[16];
	size_t n;
	helper_path(first, sizeof(first), "evil_exec_span");
	helper_path(big, sizeof(big), "evil_exec_span_big");
	char *argv[] = { first, big, NULL };
	struct ctp_probe *p = ctp_probe_new(NULL);
	if (!probe_then_exec(&t, p, argv, &start0)) {
		ctp_probe_free(p);
		target_stop(&t);
		return;
	}
	diag("second image: %s", t.note);
	ok(!strncmp(t.note, "MAPPED 1", 8), "second image mapped the stale pointer's target");

	/* the attack's precondition: same tid, same start time after the exec */
	enum ctp_probe_tag tag = sample(p, t.pid, tids, starts, &n, r);
	check_int(n, ==, 1);
	ok(n == 1 && tids[0] == (uint32_t)t.pid && starts[0] == start0, "tid and start time survive execve");
	check_str(ctp_probe_tag_name(tag), "dwarf-parse-failure");
	ok(!r[0].ok && r[0].allocated == 0 && r[0].deallocated == 0, "nothing read from the hostile image");
	ok(strstr(ctp_probe_last_error(p), "span") != NULL, "error names the span: %s", ctp_probe_last_error(p));
	ok(strstr(r[0].error, "1048584") != NULL, "thread error carries the span (%s)", r[0].error);
	struct ctp_probe_summary s;
	ctp_capture_probe_summary(ctp_probe_counts(p), &s);
	check_u64(s.failed, ==, 1);
	check_str(s.dominant_failure, "dwarf-parse-failure");
	free(s.dominant_failure);
	/* cached verdict: the second sample is refused the same way, without a new attach */
	uint64_t attaches = ctp_probe_stats(p)->attaches;
	check_str(ctp_probe_tag_name(sample(p, t.pid, tids, starts, &n, r)), "dwarf-parse-failure");
	check_u64(ctp_probe_stats(p)->attaches, ==, attaches);
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "hostile target still running");
	ctp_probe_free(p);
	target_stop(&t);
}

/* exec into another jemalloc-looking image (fake_jemalloc: other tsd_s offsets), or into the
 * same binary again: the first sample after the exec re-probes and reads exact values */
static void test_exec_into(const char *what, const char *next_name, const char *next_arg)
{
	char first[512], next[512], arg[64];
	struct target t;
	uint32_t tids[16];
	uint64_t starts[16], start0 = 0;
	struct ctp_probe_thread_result r[16];
	size_t n;
	helper_path(first, sizeof(first), "evil_exec_span");
	helper_path(next, sizeof(next), next_name);
	snprintf(arg, sizeof(arg), "%s", next_arg ? next_arg : "");
	char *argv[] = { first, next, next_arg ? arg : NULL, NULL };
	struct ctp_probe *p = ctp_probe_new(NULL);
	if (!probe_then_exec(&t, p, argv, &start0)) {
		ctp_probe_free(p);
		target_stop(&t);
		return;
	}
	uint64_t slow = ctp_probe_stats(p)->slow_probes;
	check_int(sample(p, t.pid, tids, starts, &n, r), ==, CTP_PT_OK);
	ok(n == 1 && t.n == 1 && tids[0] == t.tid[0] && starts[0] == start0, "%s: same tid and start time", what);
	ok(n == 1 && t.n == 1 && r[0].ok && r[0].allocated == t.alloc[0] && r[0].deallocated == t.dealloc[0],
	   "%s: exact values right after the exec (%llu/%llu, want %llu/%llu; %s)", what,
	   (unsigned long long)r[0].allocated, (unsigned long long)r[0].deallocated,
	   (unsigned long long)t.alloc[0], (unsigned long long)t.dealloc[0], r[0].error);
	check_u64(ctp_probe_stats(p)->slow_probes, ==, slow + 1);
	/* and cached again afterwards */
	check_int(sample(p, t.pid, tids, starts, &n, r), ==, CTP_PT_OK);
	ok(n == 1 && r[0].ok && r[0].allocated == t.alloc[0], "%s: fast path after the re-probe", what);
	check_u64(ctp_probe_stats(p)->slow_probes, ==, slow + 1);
	check_int(tasks_traced(t.pid), ==, 0);
	ctp_probe_free(p);
	target_stop(&t);
}

/* the bound itself: negative, empty and oversized spans are refused */
static void test_layout_check(void)
{
	struct ctp_jemalloc_layout l = { .e_machine = EM_X86_64, .off_alloc = 40, .off_dealloc = 56 };
	struct ctp_err err = { 0 };
	ok(ctp_probe_layout_check(&l, &err), "span 24 accepted");
	l.off_dealloc = l.off_alloc + CTP_PROBE_SPAN_MAX - 8;
	ok(ctp_probe_layout_check(&l, &err), "span %d accepted", CTP_PROBE_SPAN_MAX);
	l.off_dealloc++;
	ok(!ctp_probe_layout_check(&l, &err), "span %d refused: %s", CTP_PROBE_SPAN_MAX + 1, err.msg);
	l.off_dealloc = l.off_alloc + (1u << 20);
	ok(!ctp_probe_layout_check(&l, &err) && strstr(err.msg, "1048584"), "1 MiB span refused: %s", err.msg);
	l.off_dealloc = l.off_alloc;
	ok(!ctp_probe_layout_check(&l, &err), "deallocated at allocated refused");
	l.off_dealloc = l.off_alloc - 8;
	ok(!ctp_probe_layout_check(&l, &err), "negative span refused");
	l.off_dealloc = l.off_alloc + 4;
	ok(!ctp_probe_layout_check(&l, &err), "overlapping counters refused");
	l.off_alloc = 0, l.off_dealloc = UINT64_MAX - 3;
	ok(!ctp_probe_layout_check(&l, &err) && strstr(err.msg, "18446744073709551615"),
	   "span arithmetic saturates: %s", err.msg);
}

int main(void)
{
	test_layout_check();
	test_span_overflow();
	test_exec_into("other image", "fake_jemalloc", "0");
	test_exec_into("same binary", "evil_exec_span", NULL);
	return test_done();
}
