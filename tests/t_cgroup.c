/* t_cgroup.c — cgroup v2 statistics against fixture trees (tests/fixtures/cgroup-a: full
 * values, "max" limits and floors, garbage per Appendix O1, missing files, cpu.max variants,
 * PSI with and without "full" and the irq resource), cgroup2 mount discovery from mountinfo
 * fixtures, and a live cgroup on this host when root and the v2 mount is writable. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture/cgroup.h"
#include "snapshot/model.h"
#include "tap.h"
#include "base/util.h"

static char fixtures[4096];

static void read_cg(const char *root, const char *path, struct ctp_cgroup_stats *c)
{
	ctp_cgroup_stats_init(c, path);
	ctp_cgroup_read_stats(root, c);
}

static uint64_t kv(const struct ctp_kvmap *m, const char *key)
{
	uint64_t v = 12345678;
	return ctp_kvmap_get(m, key, &v) ? v : 12345678;
}

static void check_half(const struct ctp_psi_half *h, unsigned a10, unsigned a60, unsigned a300, uint64_t total)
{
	check_int(h->avg10, ==, a10);
	check_int(h->avg60, ==, a60);
	check_int(h->avg300, ==, a300);
	check_u64(h->total_usec, ==, total);
}

static void test_full(const char *root)
{
	struct ctp_cgroup_stats c;
	read_cg(root, "/full", &c);
	check_u64(c.cpu.usage_usec, ==, 12345);
	check_u64(c.cpu.nr_throttled, ==, 7);
	check_u64(c.cpu.throttled_usec, ==, 890);
	ok(c.cpu.nr_bursts.set && c.cpu.nr_bursts.v == 0, "cpu.stat nr_bursts 0 (extension key)");
	ok(c.cpu.max_quota_us.set && c.cpu.max_quota_us.v == 50000, "cpu.max quota 50000");
	check_u64(c.cpu.max_period_us, ==, 100000);
	ok(c.cpu.weight.set && c.cpu.weight.v == 100, "cpu.weight 100");
	ok(c.cpu.weight_nice.set && c.cpu.weight_nice.v == 0, "cpu.weight.nice 0");
	check_u64(c.memory.current, ==, 9999);
	ok(!c.memory.max.set, "memory.max max -> null");
	ok(c.memory.high.set && c.memory.high.v == 1073741824, "memory.high number");
	ok(c.memory.low.set && c.memory.low.v == 0, "memory.low 0");
	ok(c.memory.min.set && c.memory.min.v == UINT64_MAX, "memory.min max -> u64::MAX");
	check_int(c.memory.stat.n, ==, 3);
	check_u64(kv(&c.memory.stat, "anon"), ==, 101); /* a repeated key: last wins */
	check_u64(kv(&c.memory.stat, "file"), ==, 200);
	check_u64(kv(&c.memory.stat, "kernel_stack"), ==, 16384);
	check_int(c.memory.events.n, ==, 6);
	check_u64(kv(&c.memory.events, "high"), ==, 3);
	check_u64(kv(&c.memory.events, "oom_group_kill"), ==, 0);
	ok(!strcmp(c.memory.events.v[0].key, "high") && !strcmp(c.memory.events.v[5].key, "oom_kill"),
	   "memory.events keys byte-sorted");
	ok(c.pids.current.set && c.pids.current.v == 1, "pids.current 1");
	ok(!c.pids.max.set, "pids.max max -> null");
	check_half(&c.psi.cpu.some, 1859, 2431, 2049, 78097519837ULL);
	check_half(&c.psi.cpu.full, 150, 0, 0, 123);
	check_half(&c.psi.memory.some, 25, 10, 1, 4567);
	check_half(&c.psi.memory.full, 0, 0, 0, 0);
	check_half(&c.psi.io.some, 300, 200, 100, 99);
	check_half(&c.psi.io.full, 200, 100, 50, 55);
	check_half(&c.psi.irq.some, 0, 0, 0, 0);
	check_half(&c.psi.irq.full, 109, 108, 146, 80506377366ULL);
	ctp_cgroup_stats_release(&c);
}

static void test_garbage(const char *root)
{
	struct ctp_cgroup_stats c;
	read_cg(root, "/garbage", &c);
	check_u64(c.cpu.usage_usec, ==, 0);
	check_u64(c.cpu.nr_throttled, ==, 5);
	ok(!c.cpu.nr_bursts.set, "cpu.stat without nr_bursts: omitted");
	ok(!c.cpu.max_quota_us.set, "cpu.max 'max' -> null quota");
	check_u64(c.cpu.max_period_us, ==, 100000);
	ok(!c.cpu.weight.set, "cpu.weight -1 -> null");
	ok(c.cpu.weight_nice.set && c.cpu.weight_nice.v == -1, "cpu.weight.nice -1 is an i32");
	check_u64(c.memory.current, ==, 0); /* "12abc" */
	ok(!c.memory.max.set, "memory.max empty -> null");
	ok(!c.memory.high.set, "memory.high -5 -> null");
	ok(!c.memory.low.set, "memory.low garbage -> null");
	ok(c.memory.min.set && c.memory.min.v == 7, "memory.min +7 -> 7 (Rust accepts '+')");
	ok(c.pids.current.set && c.pids.current.v == 42, "pids.current trimmed");
	ok(!c.pids.max.set, "pids.max 12abc -> null");
	check_int(c.memory.stat.n, ==, 0);
	check_half(&c.psi.cpu.some, 0, 0, 0, 0);
	ctp_cgroup_stats_release(&c);
}

static void test_defaults(const char *root, const char *path)
{
	struct ctp_cgroup_stats c;
	read_cg(root, path, &c);
	ok(c.cpu.usage_usec == 0 && c.cpu.nr_throttled == 0 && c.cpu.throttled_usec == 0, "%s: cpu.stat zeros", path);
	ok(!c.cpu.max_quota_us.set && c.cpu.max_period_us == 100000, "%s: cpu.max (null, 100000)", path);
	ok(!c.cpu.weight.set && !c.cpu.weight_nice.set, "%s: weights null", path);
	ok(c.memory.current == 0 && !c.memory.max.set && !c.memory.high.set && !c.memory.low.set && !c.memory.min.set,
	   "%s: memory zeros and nulls", path);
	ok(c.memory.stat.n == 0 && c.memory.events.n == 0, "%s: empty maps", path);
	ok(!c.pids.current.set && !c.pids.max.set, "%s: pids null", path);
	ok(!c.cpu.nr_bursts.set, "%s: nr_bursts omitted", path);
	check_str(c.path, path);
	ctp_cgroup_stats_release(&c);
}

/* nr_bursts (cpu.max.burst in use) is kept; not a number -> unknown, never 0 */
static void test_bursts(const char *root)
{
	struct ctp_cgroup_stats c;
	read_cg(root, "/bursts", &c);
	ok(c.cpu.nr_bursts.set && c.cpu.nr_bursts.v == 4, "cpu.stat nr_bursts 4");
	check_u64(c.cpu.nr_throttled, ==, 1);
	ctp_cgroup_stats_release(&c);
	read_cg(root, "/badburst", &c);
	ok(!c.cpu.nr_bursts.set, "cpu.stat nr_bursts 4x: omitted");
	check_u64(c.cpu.usage_usec, ==, 6);
	ctp_cgroup_stats_release(&c);
}

static void test_cpu_max(const char *root)
{
	static const struct {
		const char *path;
		bool quota_set;
		uint64_t quota, period;
	} cases[] = {
		{ "/cpumax1", true, 50000, 100000 },
		{ "/cpumax2", true, 50000, 100000 },
		{ "/cpumax3", false, 0, 200000 },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		struct ctp_cgroup_stats c;
		read_cg(root, cases[i].path, &c);
		ok(c.cpu.max_quota_us.set == cases[i].quota_set && c.cpu.max_quota_us.v == cases[i].quota &&
			   c.cpu.max_period_us == cases[i].period,
		   "cpu.max %s -> (%s%" PRIu64 ", %" PRIu64 ")", cases[i].path, cases[i].quota_set ? "" : "null/",
		   cases[i].quota, cases[i].period);
		ctp_cgroup_stats_release(&c);
	}
	struct ctp_cgroup_stats c;
	read_cg(root, "/", &c);
	check_u64(c.cpu.usage_usec, ==, 1); /* "/" is the mount root itself */
	ok(!c.cpu.nr_bursts.set, "the root's cpu.stat has no nr_bursts: omitted");
	ctp_cgroup_stats_release(&c);
}

static void test_find_root(void)
{
	static const struct {
		const char *dir, *want;
	} cases[] = {
		{ "cgroup-mountinfo-hybrid", "/sys/fs/cgroup/unified" },
		{ "cgroup-mountinfo-v2", "/sys/fs/cgroup" },
		{ "cgroup-mountinfo-none", "/sys/fs/cgroup" },
		{ "cgroup-mountinfo-escaped", "/mnt/my cg\\x" },
		{ "cgroup-mountinfo-both", "/sys/fs/cgroup" },
		{ "no-such-dir", "/sys/fs/cgroup" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		char root[4200], buf[256];
		snprintf(root, sizeof(root), "%s/%s", fixtures, cases[i].dir);
		check_str(ctp_cgroup_find_root(root, buf, sizeof(buf)), cases[i].want);
	}
}

/* ---- live ---- */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	int e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static bool has_controller(const char *dir, const char *name)
{
	char path[4200], buf[512] = "";
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/* forked worker: waits for "go" on a pipe, then spins ~100 ms touching 32 MiB, then sleeps */
static pid_t start_worker(int *go_fd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		size_t sz = 32u << 20;
		volatile char *mem = malloc(sz);
		for (size_t i = 0; mem && i < sz; i += 4096)
			mem[i] = 1;
		struct timespec t0, t;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 100000000L);
		for (;;)
			pause();
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

static void test_live(void)
{
	char rootbuf[256], dir[512], rel[128], procs[600];
	const char *root = ctp_cgroup_find_root("/proc", rootbuf, sizeof(rootbuf));
	if (geteuid() != 0) {
		skip("live cgroup: not root");
		return;
	}
	snprintf(rel, sizeof(rel), "/ctp-test-%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s%s", root, rel);
	if (mkdir(dir, 0755) < 0) {
		skip("live cgroup: cannot create %s: %s", dir, strerror(errno));
		return;
	}
	bool mem = has_controller(dir, "memory"), pids = has_controller(dir, "pids");
	int go = -1;
	pid_t w = start_worker(&go);
	char pidstr[32];
	snprintf(pidstr, sizeof(pidstr), "%d", (int)w);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	if (w < 0 || write_str(procs, pidstr) < 0) {
		skip("live cgroup: cannot move worker into %s: %s", dir, strerror(errno));
	} else {
		struct ctp_cgroup_stats before, after;
		read_cg(root, rel, &before);
		if (write(go, "g", 1) != 1)
			diag("cannot start worker");
		usleep(300000);
		read_cg(root, rel, &after);
		diag("live %s: usage_usec %" PRIu64 " -> %" PRIu64 ", memory.current %" PRIu64 ", pids.current %s%" PRIu64,
		     dir, before.cpu.usage_usec, after.cpu.usage_usec, after.memory.current,
		     after.pids.current.set ? "" : "null/", after.pids.current.v);
		check_u64(after.cpu.usage_usec, >=, before.cpu.usage_usec + 50000);
		if (mem)
			check_u64(after.memory.current, >=, 32u << 20);
		else
			skip("live cgroup: memory controller not available in %s (bound to cgroup v1 here)", root);
		if (pids)
			ok(after.pids.current.set && after.pids.current.v == 1, "pids.current is the one worker");
		else
			skip("live cgroup: pids controller not available in %s (bound to cgroup v1 here)", root);
		ctp_cgroup_stats_release(&before);
		ctp_cgroup_stats_release(&after);
	}
	if (w > 0) {
		kill(w, SIGKILL);
		waitpid(w, NULL, 0);
	}
	if (go >= 0)
		close(go);
	/* the dead worker leaves the cgroup asynchronously: retry rmdir briefly */
	for (int i = 0; i < 100 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(10000);
	struct stat st;
	ok(stat(dir, &st) < 0, "live cgroup %s removed", dir);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	char root[4200];
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures", src ? src : ".");
	snprintf(root, sizeof(root), "%s/cgroup-a", fixtures);
	test_full(root);
	test_garbage(root);
	test_defaults(root, "/missing");
	test_defaults(root, "/gone (deleted)");
	test_cpu_max(root);
	test_bursts(root);
	test_find_root();
	test_live();
	return test_done();
}
