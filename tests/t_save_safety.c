/* t_save_safety.c — a failed or interrupted ctp_snapfile_save never harms the file it replaces:
 * ENOSPC on a 64 KiB tmpfs (root: private mount namespace), a read-only directory (root: as
 * nobody), a write cut short by RLIMIT_FSIZE, a missing directory, and SIGKILL at random points of a save loop. After each, the old
 * file's bytes are unchanged (or, after a kill, the file is one complete snapshot) and no
 * temporary file is left behind by a failure that save could handle. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"
#include "snapfile.h"
#include "tap.h"

/* n threads of pseudo-random counters: compresses badly, so n=600 is ~ 400 KiB on disk */
static struct ctp_snapshot *make_snapshot(size_t n, uint64_t seed)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	s->captured_at_unix_ns = seed;
	for (size_t i = 0; i < n; i++) {
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		t->tid = t->tgid = (uint32_t)(100 + i);
		for (size_t k = 0; k < CTP_NFIELDS; k++) {
			if (ctp_fields[k].kind != CTP_KIND_U64)
				continue;
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			*(uint64_t *)((char *)t + ctp_fields[k].offset) = seed >> 11;
		}
	}
	return s;
}

static int read_bytes(const char *path, struct ctp_buf *out)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	char tmp[65536];
	ssize_t n;
	ctp_buf_reset(out);
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		ctp_buf_add(out, tmp, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* entries of dir other than keep (". files" included) */
static int stray_files(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, keep)) {
			printf("# stray file %s/%s\n", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/* writes the old file, calls lock(dir) if given, runs the failing save (in a child after
 * setup() when setup is given), checks; 5 test points */
static void failing_save(const char *what, const char *dir, int (*setup)(void), int want_errno, void (*lock)(const char *))
{
	char path[4096];
	struct ctp_buf before = CTP_BUF_INIT, after = CTP_BUF_INIT;
	struct ctp_err err = { 0 };
	snprintf(path, sizeof(path), "%s/old.ctprof.zst", dir);
	struct ctp_snapshot *old = make_snapshot(3, 1), *big = make_snapshot(600, 2);
	if (ctp_snapfile_save(path, old, NULL, &err)) {
		ok(0, "%s: writing the old file: %s", what, err.msg);
		goto out;
	}
	read_bytes(path, &before);
	if (lock)
		lock(dir);
	int rc, eno = 0;
	char msg[600] = "";
	if (setup) {
		int pfd[2];
		if (pipe(pfd)) {
			ok(0, "pipe");
			goto out;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			if (setup())
				_exit(99);
			int r = ctp_snapfile_save(path, big, NULL, &err);
			char line[600];
			dprintf(pfd[1], "%d %d %s", r, err.sys_errno, ctp_err_str(&err, line, sizeof(line)));
			_exit(0);
		}
		close(pfd[1]);
		char buf[700] = "";
		ssize_t n = read(pfd[0], buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		close(pfd[0]);
		waitpid(pid, NULL, 0);
		int used = 0;
		if (sscanf(buf, "%d %d %n", &rc, &eno, &used) < 2)
			rc = 1;
		snprintf(msg, sizeof(msg), "%s", buf + used);
	} else {
		rc = ctp_snapfile_save(path, big, NULL, &err);
		eno = err.sys_errno;
		ctp_err_str(&err, msg, sizeof(msg));
	}
	ok(rc == -1 && eno == want_errno, "%s: save fails with %s (%s)", what, strerror(want_errno), msg);
	ok(strstr(msg, path) != NULL, "%s: the error names the file", what);
	ok(read_bytes(path, &after) == 0 && after.len == before.len && !memcmp(after.buf, before.buf, before.len),
	   "%s: old file unchanged (%zu bytes)", what, before.len);
	struct ctp_snapshot *l = NULL;
	ok(ctp_snapfile_load(path, &l, &err) == 0 && l && l->nthreads == 3, "%s: old file still loads", what);
	ctp_snapshot_free(l);
	check_int(stray_files(dir, "old.ctprof.zst"), ==, 0);
out:
	unlink(path);
	ctp_snapshot_free(old);
	ctp_snapshot_free(big);
	ctp_buf_release(&before);
	ctp_buf_release(&after);
}

static void test_enospc(void)
{
	if (geteuid() != 0) {
		skip("ENOSPC on a 64 KiB tmpfs needs root (mount)");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* private mount namespace: the tmpfs vanishes with this child */
		char dir[] = "/tmp/t_save_enospc.XXXXXX";
		if (!mkdtemp(dir) || unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0755")) {
			printf("ok %d # skip cannot mount a 64 KiB tmpfs: %s\n", tap_count + 1, strerror(errno));
			fflush(stdout);
			if (dir[0])
				rmdir(dir);
			_exit(3);
		}
		failing_save("ENOSPC (64 KiB tmpfs)", dir, NULL, ENOSPC, NULL);
		umount(dir);
		rmdir(dir);
		fflush(stdout);
		_exit(tap_failed ? 1 : 0);
	}
	int st;
	waitpid(pid, &st, 0);
	/* the child printed its own TAP lines with our numbering: account for them */
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
	tap_count += code == 3 ? 1 : 5;
	if (code == 1 || code == 2)
		tap_failed++;
}

static int become_nobody(void)
{
	return setgroups(0, NULL) || setgid(65534) || setuid(65534);
}

/* the write stops after 16 KiB (EFBIG): a save cut off half-way through the data */
static int small_fsize(void)
{
	struct rlimit rl = { 16384, 16384 };
	signal(SIGXFSZ, SIG_IGN);
	return setrlimit(RLIMIT_FSIZE, &rl);
}

static void test_cut_write(void)
{
	char dir[] = "/tmp/t_save_cut.XXXXXX";
	if (!mkdtemp(dir)) {
		skip("mkdtemp: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	failing_save("write cut at 16 KiB (RLIMIT_FSIZE)", dir, small_fsize, EFBIG, NULL);
	rmdir(dir);
}

static void make_readonly(const char *dir)
{
	chmod(dir, 0555);
}

static void test_readonly_dir(void)
{
	char dir[] = "/tmp/t_save_ro.XXXXXX";
	if (!mkdtemp(dir)) {
		skip("mkdtemp: %s", strerror(errno));
		return;
	}
	chmod(dir, 0755);
	if (geteuid() == 0) {
		/* root ignores mode bits: the failing save runs as nobody in a root-owned 0755 dir */
		fflush(stdout);
		failing_save("read-only directory (as nobody)", dir, become_nobody, EACCES, NULL);
	} else {
		failing_save("read-only directory", dir, NULL, EACCES, make_readonly);
		chmod(dir, 0755);
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/old.ctprof.zst", dir);
	unlink(path);
	rmdir(dir);
}

static void test_missing_dir(void)
{
	struct ctp_snapshot *s = make_snapshot(1, 1);
	struct ctp_err err = { 0 };
	char line[600];
	int rc = ctp_snapfile_save("/nonexistent-dir-ctp/x.ctprof.zst", s, NULL, &err);
	ok(rc == -1 && err.sys_errno == ENOENT, "missing directory: %s", ctp_err_str(&err, line, sizeof(line)));
	ctp_snapshot_free(s);
}

/* SIGKILL a saving child at random moments: the target is always one complete snapshot */
static void test_kill_mid_save(void)
{
	char dir[] = "/tmp/t_save_kill.XXXXXX", path[4096];
	if (!mkdtemp(dir)) {
		skip("mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/snap.ctprof.zst", dir);
	struct ctp_snapshot *s = make_snapshot(2000, 7);
	struct ctp_err err = { 0 };
	ctp_snapfile_save(path, s, NULL, &err);
	int good = 0, rounds = 20;
	srand((unsigned)time(NULL));
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			for (;;)
				ctp_snapfile_save(path, s, NULL, NULL);
		}
		struct timespec ts = { 0, 1000000L + (rand() % 40) * 1000000L };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		struct ctp_snapshot *l = NULL;
		if (ctp_snapfile_load(path, &l, &err) == 0 && l->nthreads == 2000)
			good++;
		else
			printf("# round %d: %s\n", i, err.msg);
		ctp_snapshot_free(l);
	}
	check_int(good, ==, rounds);
	/* a killed save may leave its temporary file (nobody can clean up after SIGKILL) */
	DIR *d = opendir(dir);
	struct dirent *e;
	int tmp = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp-")) {
			tmp++;
			char p[4400];
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	diag("%d SIGKILLed saves left %d temporary file(s) named .snap.ctprof.zst.tmp-*", rounds, tmp);
	unlink(path);
	rmdir(dir);
	ctp_snapshot_free(s);
}

int main(void)
{
	test_enospc();
	test_readonly_dir();
	test_cut_write();
	test_missing_dir();
	test_kill_mid_save();
	return test_done();
}
