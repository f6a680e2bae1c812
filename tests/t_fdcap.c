/* t_fdcap.c — issue 14 item 4, the bounded kept fds: the fdcache's first-come policy and its
 * sweep under a cap (fake fds on /dev/null), RLIMIT_NOFILE left as it was by captures, and the
 * cap holding in the live loop's shape (capture, capture, capture) of 5,000 idle threads
 * (tests/helpers/idle_threads), with the default cap, a small one and none. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_util.h"
#include "tap.h"
#include "capture/capture.h"
#include "capture/fdcache.h"
#include "snapshot/registry.h"



static int devnull(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* one fake capture under plan over tids lo..hi: each entry handed out holds fds on /dev/null
 * as the capture would (its dir and `width - 1` files, the others closed). Returns how many
 * tids got an entry; dirs[tid] = the entry's dir fd (-1: none) */
static int fake_plan_capture(struct ctp_fdcache *fc, uint32_t plan, uint32_t lo, uint32_t hi, int *dirs)
{
	int got = 0;
	ctp_fdcache_begin(fc, plan);
	for (uint32_t tid = lo; tid <= hi; tid++) {
		struct ctp_fdcache_entry *e = ctp_fdcache_get(fc, 1, tid);
		dirs[tid] = -1;
		if (!e)
			continue;
		if (e->f.dir < 0)
			e->f.dir = devnull();
		for (size_t i = 0; i < CTP_ARRAY_SIZE(e->f.fd); i++) {
			bool want = i + 2 <= fc->width;
			if (want && e->f.fd[i] < 0)
				e->f.fd[i] = devnull();
			if (!want && e->f.fd[i] >= 0) {
				close(e->f.fd[i]);
				e->f.fd[i] = -1;
			}
		}
		ctp_fdcache_recount(fc, e);
		dirs[tid] = e->f.dir;
		got++;
	}
	ctp_fdcache_sweep(fc, false);
	return got;
}

static int fake_capture(struct ctp_fdcache *fc, uint32_t lo, uint32_t hi, int *dirs)
{
	return fake_plan_capture(fc, CTP_PLAN_FULL, lo, hi, dirs);
}

/* the plan sets an entry's width: a narrow plan (dir, comm, stat: 3 fds) fits 3x the threads of
 * the full one (9); when the plan widens again, entries are evicted at the start of the capture
 * so that the fds held never pass the budget, not even before the sweep */
static void test_plan_width(void)
{
	static int d[200];
	uint32_t narrow = 1u << CTP_SOURCE_COMM | 1u << CTP_SOURCE_STAT;
	struct ctp_fdcache fc;
	ctp_fdcache_init(&fc);
	ctp_fdcache_set_cap(&fc, 90);
	ctp_fdcache_size(&fc);
	check_int(fake_plan_capture(&fc, narrow, 1, 100, d), ==, 30);
	check_int((int)fc.nfds, ==, 90);
	ctp_fdcache_begin(&fc, CTP_PLAN_FULL);
	ok(fc.map.n == 10 && fc.nfds == 30 && fc.reserved == 90, "a wider plan evicts down to 10 entries before any read");
	check_int(fake_capture(&fc, 1, 100, d), ==, 10);
	check_int((int)fc.nfds, ==, 90);
	check_int(fake_plan_capture(&fc, narrow, 1, 100, d), ==, 10); /* still 9 each until read */
	check_int(fake_plan_capture(&fc, narrow, 1, 100, d), ==, 30);
	check_int((int)fc.nfds, ==, 90);
	ctp_fdcache_free(&fc);
}

/* a cap of 10 entries: the first 10 tids keep theirs, the 11th on get none; a thread that left
 * frees its entry at the sweep of the capture that missed it, for the next newcomer */
static void test_policy(void)
{
	static int d1[64], d2[64], d3[64];
	struct ctp_fdcache fc;
	ctp_fdcache_init(&fc);
	ctp_fdcache_set_cap(&fc, 10 * CTP_TFD_MAX);
	ctp_fdcache_size(&fc);
	check_int((int)fc.budget, ==, 10 * CTP_TFD_MAX);
	check_int(fake_capture(&fc, 1, 20, d1), ==, 10);
	ok(d1[10] >= 0 && d1[11] < 0, "the first 10 tids met hold entries, the 11th none");
	/* tids 1..5 left, 21..25 came: the stale entries count until this capture's sweep */
	check_int(fake_capture(&fc, 6, 25, d2), ==, 5);
	bool same = true;
	for (int t = 6; t <= 10; t++)
		same = same && d2[t] == d1[t];
	ok(same, "entries of threads still there keep their fds (no reopen)");
	check_int((int)fc.nfds, ==, 5 * CTP_TFD_MAX);
	ok(fcntl(d1[1], F_GETFD) < 0 && fcntl(d1[5], F_GETFD) < 0 && d2[21] < 0, "the sweep closed the fds of tids that left");
	check_int(fake_capture(&fc, 6, 25, d3), ==, 10);
	ok(d3[10] == d2[10] && d3[11] >= 0 && d3[15] >= 0 && d3[16] < 0, "freed room goes to the next tids met (11..15)");
	check_int((int)fc.nfds, ==, 10 * CTP_TFD_MAX);
	ctp_fdcache_free(&fc);
	check_int((int)fc.nfds, ==, 0);

	ctp_fdcache_init(&fc);
	ctp_fdcache_set_cap(&fc, -1);
	ctp_fdcache_size(&fc);
	check_int(fake_capture(&fc, 1, 20, d1), ==, 0);
	ctp_fdcache_set_cap(&fc, 0);
	check_int((int)fc.cap, ==, CTP_FDCACHE_CAP_DEFAULT);
	ctp_fdcache_free(&fc);
}

/* the map grows in the middle of a capture that has not met the old threads yet: their entries
 * and fds stay (before: the growth dropped every entry not yet met, which then reopened) */
static void test_growth(void)
{
	static int d1[1200], d2[1200];
	struct rlimit old, rl;
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	if (rl.rlim_cur < 8192 && (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 8192))
		rl.rlim_cur = 8192;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < 8192 || fx_count_fds() > 100) {
		skip("needs a soft fd limit of 8192");
		return;
	}
	struct ctp_fdcache fc;
	ctp_fdcache_init(&fc);
	ctp_fdcache_set_cap(&fc, 600 * CTP_TFD_MAX);
	ctp_fdcache_size(&fc);
	check_int(fake_capture(&fc, 100, 599, d1), ==, 500);
	/* 40 newcomers first (tids 1..40), then the 500: the map grows past 512 entries */
	ctp_fdcache_begin(&fc, CTP_PLAN_FULL);
	for (uint32_t tid = 1; tid <= 40; tid++) {
		struct ctp_fdcache_entry *e = ctp_fdcache_get(&fc, 1, tid);
		if (e && e->f.dir < 0)
			e->f.dir = devnull();
		if (e)
			ctp_fdcache_recount(&fc, e);
	}
	bool same = true;
	for (uint32_t tid = 100; tid <= 599; tid++) {
		struct ctp_fdcache_entry *e = ctp_fdcache_get(&fc, 1, tid);
		d2[tid] = e ? e->f.dir : -1;
		same = same && d2[tid] == d1[tid] && fcntl(d2[tid], F_GETFD) >= 0;
	}
	ctp_fdcache_sweep(&fc, false);
	ok(same, "growth mid-capture keeps the entries not met yet (500 fds unchanged)");
	check_int((int)fc.nfds, ==, 500 * CTP_TFD_MAX + 40);
	ctp_fdcache_free(&fc);
	setrlimit(RLIMIT_NOFILE, &old);
}

/* starts tests/helpers/idle_threads N; returns its pid (0: skipped), *in_w its stdin */
static pid_t start_idle(const char *n, int *in_w, long *got)
{
	const char *bd = getenv("CTP_BUILD");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/helpers/idle_threads", bd ? bd : "build");
	int in[2], out[2];
	if (access(path, X_OK) != 0 || pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		skip("helper %s not built", path);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(path, path, n, "120", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	char line[128] = { 0 };
	ssize_t r = read(out[0], line, sizeof(line) - 1);
	close(out[0]);
	*in_w = in[1];
	int rp = 0;
	if (r <= 0 || sscanf(line, "ready %d %ld", &rp, got) != 2 || rp != pid) {
		skip("idle_threads did not start");
		close(in[1]);
		waitpid(pid, NULL, 0);
		return 0;
	}
	return pid;
}

/* three captures of the helper as the live loop makes them: the fds held after each (above the
 * test's own) stay within the cap; every capture is complete */
static void cap_holds(pid_t pid, long nthreads, long cap, int limit, const char *what)
{
	struct ctp_capture_opts o = { .pid = pid, .no_probe = true, .no_taskstats = true, .no_host = true,
				      .max_kept_fds = cap };
	int base = fx_count_fds(), most = 0;
	bool complete = true;
	struct ctp_capture *c = ctp_capture_new(&o);
	for (int i = 0; i < 3; i++) {
		struct ctp_snapshot *s = NULL;
		complete = complete && ctp_capture_run(c, &s, NULL) == 0 && s && s->nthreads == (size_t)nthreads + 1;
		ctp_snapshot_free(s);
		int held = fx_count_fds() - base;
		most = held > most ? held : most;
	}
	ctp_capture_free(c);
	ok(complete, "%s: 3 captures of %ld threads complete", what, nthreads + 1);
	ok(most <= limit && (limit == 0 || most > limit / 2), "%s: kept fds %d (limit %d)", what, most, limit);
	check_int(fx_count_fds(), ==, base);
}

static void test_cap_5000(void)
{
	int in_w;
	long got = 0;
	pid_t pid = start_idle("5000", &in_w, &got);
	if (!pid)
		return;
	if (got < 5000)
		diag("idle_threads made %ld of 5000 threads", got);
	/* slack: the capture's own fds during a run (proc root, task dir) are closed after it */
	cap_holds(pid, got, 0, CTP_FDCACHE_CAP_DEFAULT + 8, "default cap 1024");
	cap_holds(pid, got, 100, 100, "--max-kept-fds 100");
	cap_holds(pid, got, -1, 0, "--max-kept-fds 0");
	close(in_w);
	waitpid(pid, NULL, 0);
}

/* the capture reads RLIMIT_NOFILE and never raises it: a lowered soft limit (and the hard one)
 * are what they were after captures, and the budget fits under the soft one */
static void test_rlimit(void)
{
	struct rlimit old, low, now;
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	if (low.rlim_cur == RLIM_INFINITY || low.rlim_cur > 600)
		low.rlim_cur = 600;
	if (setrlimit(RLIMIT_NOFILE, &low) < 0 || fx_count_fds() > 100) {
		skip("cannot lower the soft fd limit");
		return;
	}
	struct ctp_capture_opts o = { .pid = getpid(), .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	int rc = 0;
	for (int i = 0; i < 3; i++) {
		struct ctp_snapshot *s = NULL;
		rc |= ctp_capture_run(c, &s, NULL);
		ctp_snapshot_free(s);
	}
	getrlimit(RLIMIT_NOFILE, &now);
	ctp_capture_free(c);
	check_int(rc, ==, 0);
	ok(now.rlim_cur == low.rlim_cur && now.rlim_max == low.rlim_max,
	   "RLIMIT_NOFILE unchanged by captures (soft %llu, hard %llu)", (unsigned long long)now.rlim_cur,
	   (unsigned long long)now.rlim_max);
	struct ctp_fdcache fc;
	ctp_fdcache_init(&fc);
	ctp_fdcache_size(&fc);
	check_int((int)fc.budget, ==, 600 - CTP_FDCACHE_RESERVE);
	ctp_fdcache_free(&fc);
	setrlimit(RLIMIT_NOFILE, &old);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_policy();
	test_plan_width();
	test_growth();
	test_rlimit();
	test_cap_5000();
	return test_done();
}
