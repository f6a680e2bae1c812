/* t_capture_live.c — captures this machine's /proc and checks the test's own threads (two named
 * workers that burn CPU then block) against independent sources: getrusage(RUSAGE_THREAD) for
 * utime/stime, /proc/self/task/TID/status for context switches, sched_getaffinity; then another
 * process whose threads try to hide behind hostile names (run as nobody when root). */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "snapshot/model.h"
#include "capture/readfile.h"
#include "tap.h"
#include "base/util.h"

struct worker {
	const char *name;
	pthread_t th;
	pid_t tid;
	int release[2]; /* worker blocks reading this pipe until the capture is done */
	int ready[2];
	struct rusage ru; /* taken by the worker itself after burning */
};

static volatile uint64_t sink;

static void burn_ms(long ms)
{
	struct timespec a, b;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	for (;;) {
		for (int i = 0; i < 100000; i++)
			sink += (uint64_t)i * 7;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		if ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 >= ms)
			break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	prctl(PR_SET_NAME, w->name, 0, 0, 0);
	w->tid = (pid_t)syscall(SYS_gettid);
	burn_ms(60);
	for (int i = 0; i < 5; i++) {
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
	burn_ms(20);
	getrusage(RUSAGE_THREAD, &w->ru);
	char c = 1;
	if (write(w->ready[1], &c, 1) != 1)
		return NULL;
	if (read(w->release[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static uint64_t tv_ticks(struct timeval tv, long hz)
{
	return ((uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec) * (uint64_t)hz / 1000000;
}

static bool status_u64(pid_t tid, const char *key, uint64_t *out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	struct ctp_buf b = CTP_BUF_INIT;
	bool found = false;
	if (ctp_read_file_at(AT_FDCWD, path, &b) == 0) {
		const char *p = strstr(b.buf, key);
		if (p) {
			p += strlen(key);
			while (*p == ':' || *p == '\t' || *p == ' ')
				p++;
			size_t n = strspn(p, "0123456789");
			found = ctp_parse_u64(p, n, out);
		}
	}
	ctp_buf_release(&b);
	return found;
}

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

static void check_worker(const struct ctp_snapshot *s, const struct worker *w, uint64_t csw_before, long hz)
{
	const struct ctp_thread *t = find(s, (uint32_t)w->tid);
	if (!ok(t != NULL, "worker %s (tid %d) captured", w->name, (int)w->tid))
		return;
	check_str(t->comm, w->name);
	check_int(t->tgid, ==, getpid());
	check_str(t->pcomm, "t_capture_live");
	check_u64(t->nr_threads, ==, 0);
	check_str(t->policy, "SCHED_OTHER");
	ok(t->start_time_clock_ticks > 0, "%s: start time > 0", w->name);
	check_int(t->state, ==, 'S');
	int64_t ut = (int64_t)tv_ticks(w->ru.ru_utime, hz), st = (int64_t)tv_ticks(w->ru.ru_stime, hz);
	int64_t cu = (int64_t)t->utime_clock_ticks, cs = (int64_t)t->stime_clock_ticks;
	if (!ok(llabs(cu - ut) <= 2, "%s: utime %lld ticks ~ rusage %lld (+-2)", w->name, (long long)cu, (long long)ut))
		diag("stime %lld vs %lld", (long long)cs, (long long)st);
	ok(llabs(cs - st) <= 2, "%s: stime %lld ticks ~ rusage %lld (+-2)", w->name, (long long)cs, (long long)st);
	ok(cu + cs >= 5, "%s: burned CPU is visible (%lld ticks)", w->name, (long long)(cu + cs));
	uint64_t csw_after = 0;
	status_u64(w->tid, "\nvoluntary_ctxt_switches", &csw_after);
	ok(t->voluntary_csw >= csw_before && t->voluntary_csw <= csw_after,
	   "%s: voluntary_csw %llu within [%llu, %llu]", w->name, (unsigned long long)t->voluntary_csw,
	   (unsigned long long)csw_before, (unsigned long long)csw_after);
	ok(t->voluntary_csw >= 5, "%s: the sleeps were counted", w->name);
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(w->tid, sizeof(set), &set) == 0) {
		bool same = (int)t->cpu_affinity.n == CPU_COUNT(&set);
		for (size_t i = 0; same && i < t->cpu_affinity.n; i++)
			same = CPU_ISSET(t->cpu_affinity.cpus[i], &set);
		ok(same, "%s: affinity matches sched_getaffinity (%zu cpus)", w->name, t->cpu_affinity.n);
	} else {
		skip("sched_getaffinity failed");
	}
	ok(t->run_time_ns > 0 || t->timeslices == 0, "%s: schedstat run time consistent", w->name);
}

/* starts helper NAME with ARGS (if try_nobody, as nobody via setpriv when root and setpriv
 * exists), its stdin and stdout on pipes; reads its "ready <pid>" line. Returns the pid (0:
 * skipped or failed), *in_w the write end of its stdin (closing it ends the helper). */
static pid_t start_helper(const char *name, char *const args[], bool try_nobody, int *in_w, bool *as_nobody)
{
	const char *bd = getenv("CTP_BUILD");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/helpers/%s", bd ? bd : "build", name);
	if (access(path, X_OK) != 0) {
		skip("helper %s not built", path);
		return 0;
	}
	*as_nobody = try_nobody && getuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0;
	char *argv[16];
	int k = 0;
	if (*as_nobody) {
		argv[k++] = "setpriv";
		argv[k++] = "--reuid=65534";
		argv[k++] = "--regid=65534";
		argv[k++] = "--clear-groups";
	}
	argv[k++] = path;
	for (int i = 0; args[i] && k < 15; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	int in[2], out[2];
	if (pipe(in) || pipe(out)) {
		skip("pipe failed");
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execv(*as_nobody ? "/usr/bin/setpriv" : path, argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	char line[128] = { 0 };
	ssize_t r = read(out[0], line, sizeof(line) - 1);
	close(out[0]);
	*in_w = in[1];
	if (!ok(r > 0 && !strncmp(line, "ready ", 6) && atoi(line + 6) == pid, "%s ready: %.*s", name,
		(int)(r > 0 ? r - 1 : 0), line)) {
		close(in[1]);
		waitpid(pid, NULL, 0);
		return 0;
	}
	return pid;
}

/* another process: the idle_threads helper with 50 named threads, captured by pid */
static void test_helper(void)
{
	char *args[] = { "50", "30", NULL };
	int in_w;
	bool nobody;
	pid_t pid = start_helper("idle_threads", args, false, &in_w, &nobody);
	if (!pid)
		return;
	struct ctp_capture_opts o = { .pid = pid, .no_probe = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	struct ctp_snapshot *s = NULL;
	check_int(ctp_capture_run(c, &s, NULL), ==, 0);
	if (s) {
		check_int(s->nthreads, ==, 51);
		bool names = s->nthreads == 51;
		for (size_t i = 1; names && i < s->nthreads; i++) {
			char want[16];
			snprintf(want, sizeof(want), "idle-%zu", i - 1);
			names = !strcmp(s->threads[i].comm, want) && !strcmp(s->threads[i].pcomm, "idle_threads") &&
				s->threads[i].tgid == (uint32_t)pid && s->threads[i].state == 'S';
		}
		ok(names, "helper threads idle-0..idle-49 in tid order, pcomm idle_threads, sleeping");
		if (s->nthreads)
			check_u64(s->threads[0].nr_threads, ==, 51);
		check_u64(s->parse_summary->tids_walked, ==, 51);
	}
	ctp_snapshot_free(s);
	ctp_capture_free(c);
	close(in_w); /* EOF: the helper exits */
	waitpid(pid, NULL, 0);
}

/* tests/helpers/evil_names: threads named "\xffx", "spin\n", "a) (b" and a UTF-8 name the
 * kernel cut inside a character; each has burned 80 ms of CPU. Every one is captured with its
 * CPU time and start time, its name decoded lossily (before: the first, the last and the
 * process itself vanished, "spin" read utime 0) */
static void test_evil_names(void)
{
	char *args[] = { "30", "80", "0", NULL };
	int in_w;
	bool nobody;
	pid_t pid = start_helper("evil_names", args, true, &in_w, &nobody);
	if (!pid)
		return;
	static const char *const want[] = { "evil\xef\xbf\xbd", "\xef\xbf\xbdx", "spin", "a) (b",
					    "ab\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xef\xbf\xbd" };
	struct ctp_capture_opts o = { .pid = pid, .no_probe = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	for (int round = 0; round < 2; round++) { /* fresh fds, then kept fds */
		struct ctp_snapshot *s = NULL;
		check_int(ctp_capture_run(c, &s, NULL), ==, 0);
		if (!s)
			break;
		check_int(s->nthreads, ==, 5);
		for (size_t i = 0; i < CTP_ARRAY_SIZE(want); i++) {
			const struct ctp_thread *t = NULL;
			for (size_t k = 0; k < s->nthreads && !t; k++)
				if (!strcmp(s->threads[k].comm, want[i]))
					t = &s->threads[k];
			if (!ok(t != NULL, "capture %d%s: thread named %zu listed", round + 1, nobody ? " (helper as nobody)" : "",
				i))
				continue;
			uint64_t ticks = t->utime_clock_ticks + t->stime_clock_ticks;
			if (i)
				ok(ticks >= 2, "thread %zu: its CPU time is read (%llu ticks)", i, (unsigned long long)ticks);
			ok(t->start_time_clock_ticks > 0 && !strcmp(t->policy, "SCHED_OTHER") && t->state != '~',
			   "thread %zu: start time %llu, policy %s, state %c", i, (unsigned long long)t->start_time_clock_ticks,
			   t->policy, (char)t->state);
			check_str(t->pcomm, "evil\xef\xbf\xbd");
		}
		const struct ctp_parse_summary *ps = s->parse_summary;
		check_u64(ps->tids_walked, ==, 5);
		uint64_t stat_fail = 0;
		for (size_t k = 0; k < ps->read_failures_by_file.n; k++)
			if (!strcmp(ps->read_failures_by_file.v[k].key, "stat") ||
			    !strcmp(ps->read_failures_by_file.v[k].key, "status"))
				stat_fail += ps->read_failures_by_file.v[k].val;
		check_u64(stat_fail, ==, 0);
		ctp_snapshot_free(s);
	}
	ctp_capture_free(c);
	close(in_w);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	if (access("/proc/self/task", R_OK) != 0)
		skip_all("/proc not mounted");
	prctl(PR_SET_NAME, "t_capture_live", 0, 0, 0);
	long hz = sysconf(_SC_CLK_TCK);
	struct worker w[2] = { { .name = "ctp-burn-a" }, { .name = "ctp-burn-b" } };
	for (int i = 0; i < 2; i++) {
		if (pipe(w[i].release) || pipe(w[i].ready))
			skip_all("pipe failed");
		pthread_create(&w[i].th, NULL, worker_main, &w[i]);
	}
	char c;
	for (int i = 0; i < 2; i++)
		if (read(w[i].ready[0], &c, 1) != 1)
			skip_all("worker did not start");
	/* let both workers reach the blocking read */
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL);
	uint64_t csw_before[2] = { 0, 0 };
	for (int i = 0; i < 2; i++)
		status_u64(w[i].tid, "\nvoluntary_ctxt_switches", &csw_before[i]);

	struct ctp_capture_opts o = { .no_probe = true };
	struct ctp_capture *cap = ctp_capture_new(&o);
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	check_int(ctp_capture_run(cap, &s, &err), ==, 0);
	if (s) {
		ok(s->nthreads > 3, "host capture has %zu threads", s->nthreads);
		ok(s->host != NULL, "host context present");
		const struct ctp_thread *lead = find(s, (uint32_t)getpid());
		if (ok(lead != NULL, "own leader captured")) {
			check_str(lead->comm, "t_capture_live");
			check_u64(lead->nr_threads, ==, 3);
			ok(lead->smaps_rollup_kib.n > 0 || !ctp_capture_status(cap)->procfs_io,
			   "leader smaps_rollup read (%zu keys)", lead->smaps_rollup_kib.n);
		}
		for (int i = 0; i < 2; i++)
			check_worker(s, &w[i], csw_before[i], hz);
		bool sorted = true;
		for (size_t i = 1; i < s->nthreads; i++)
			if (s->threads[i - 1].tgid > s->threads[i].tgid ||
			    (s->threads[i - 1].tgid == s->threads[i].tgid && s->threads[i - 1].tid >= s->threads[i].tid))
				sorted = false;
		ok(sorted, "threads sorted by (tgid, tid)");
		ok(s->parse_summary && s->parse_summary->tids_walked >= s->nthreads, "tids_walked >= emitted threads");
		const struct ctp_taskstats_summary *tss = s->taskstats_summary;
		if (ok(tss != NULL, "taskstats summary present")) {
			uint64_t q = tss->ok_count + tss->eperm_count + tss->esrch_count + tss->other_err_count;
			if (ctp_capture_status(cap)->taskstats || q)
				check_u64(q, ==, s->parse_summary->tids_walked); /* one query per walked tid */
			else
				skip("taskstats unavailable (errno %d)", ctp_capture_status(cap)->taskstats_errno);
			diag("taskstats ok %llu eperm %llu esrch %llu other %llu", (unsigned long long)tss->ok_count,
			     (unsigned long long)tss->eperm_count, (unsigned long long)tss->esrch_count,
			     (unsigned long long)tss->other_err_count);
		}
	}
	ctp_snapshot_free(s);

	/* pid mode: just this process */
	ctp_capture_free(cap);
	o.pid = getpid();
	cap = ctp_capture_new(&o);
	check_int(ctp_capture_run(cap, &s, &err), ==, 0);
	if (s) {
		check_int(s->nthreads, ==, 3);
		check_u64(s->probe_summary ? s->probe_summary->tgids_walked : 0, ==, 0); /* self is never probed */
	}
	ctp_snapshot_free(s);
	ctp_capture_free(cap);

	for (int i = 0; i < 2; i++) {
		if (write(w[i].release[1], &c, 1) != 1)
			diag("release write failed");
		pthread_join(w[i].th, NULL);
	}
	test_helper();
	test_evil_names();
	return test_done();
}
