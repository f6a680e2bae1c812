/* t_save_safety.c — a failed or interrupted ctp_snapfile_save never harms the file it replaces:
 * ENOSPC on a 64 KiB tmpfs (root: private mount namespace), a read-only directory (root: as
 * nobody), a write cut short by RLIMIT_FSIZE, a missing directory, and SIGKILL at random points of a save loop. After each, the old
 * file's bytes are unchanged (or, after a kill, the file is one complete snapshot) and no
 * temporary file is left behind by a failure that save could handle. And what sits at the
 * target decides how it is written: a character device, FIFO or /dev/stdout-like path is
 * written through and stays what it was; a symlink, directory or socket is refused; names up to
 * NAME_MAX save; root's snapshots are 0600 unless a mode is given. */
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
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "snapshot/registry.h"
#include "snapshot/snapfile.h"
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

/* ---- the target decides: write through, replace atomically, or refuse (issue 12 item 4) ---- */

static struct ctp_snapshot *small; /* 3 threads: a few KiB, fits in a pipe buffer */
static struct ctp_buf small_bytes; /* its file bytes, as a regular save writes them */

/* everything readable from a non-blocking fd whose writer has gone */
static void drain(int fd, struct ctp_buf *out)
{
	char tmp[65536];
	ssize_t n;
	ctp_buf_reset(out);
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		ctp_buf_add(out, tmp, (size_t)n);
}

static bool same_bytes(const struct ctp_buf *a, const struct ctp_buf *b)
{
	return a->len == b->len && a->len && !memcmp(a->buf, b->buf, a->len);
}

static mode_t ltype(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? 0 : st.st_mode & S_IFMT;
}

/* save of small to path: rc, and the one-line error in msg */
static int save_small(const char *path, char *msg, size_t msglen)
{
	struct ctp_err err = { 0 };
	int rc = ctp_snapfile_save(path, small, NULL, &err);
	ctp_err_str(&err, msg, msglen);
	return rc;
}

static void test_char_device(const char *dir)
{
	char path[4096], msg[600];
	snprintf(path, sizeof(path), "%s/null", dir);
	if (geteuid() == 0) {
		/* a private 1:3 (the /dev/null device): the system's own is never put at risk */
		if (mknod(path, S_IFCHR | 0666, makedev(1, 3))) {
			skip("mknod 1:3: %s", strerror(errno));
			return;
		}
	} else {
		snprintf(path, sizeof(path), "/dev/null"); /* rename into /dev fails for non-root anyway */
	}
	int rc = save_small(path, msg, sizeof(msg));
	struct stat st = { 0 };
	lstat(path, &st);
	ok(rc == 0, "save to a character device (%s) succeeds: %s", path, rc ? msg : "ok");
	ok(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3), "%s is still character device 1:3 (mode %o)", path,
	   (unsigned)st.st_mode);
	if (geteuid() == 0) {
		/* a symlink to it is written through too */
		char link[4096];
		snprintf(link, sizeof(link), "%s/null-link", dir);
		symlink(path, link);
		rc = save_small(link, msg, sizeof(msg));
		ok(rc == 0 && ltype(link) == S_IFLNK && ltype(path) == S_IFCHR,
		   "a symlink to a character device is written through, both stay: %s", rc ? msg : "ok");
		/* ... but not one that another user planted (a /tmp trap aimed at root) */
		if (lchown(link, 65534, 65534) == 0) {
			rc = save_small(link, msg, sizeof(msg));
			ok(rc == -1 && strstr(msg, "owned by uid 65534") && ltype(link) == S_IFLNK && ltype(path) == S_IFCHR,
			   "a symlink owned by another user is not followed: %s", rc ? msg : "written");
		} else {
			skip("lchown: %s", strerror(errno));
		}
		unlink(link);
		unlink(path);
	}
}

static void test_fifo(const char *dir)
{
	char path[4096], msg[600];
	snprintf(path, sizeof(path), "%s/fifo", dir);
	if (mkfifo(path, 0600)) {
		skip("mkfifo: %s", strerror(errno));
		return;
	}
	/* no reader: a clear error at once, the FIFO stays */
	int rc = save_small(path, msg, sizeof(msg));
	ok(rc == -1 && strstr(msg, "no process is reading") && strstr(msg, path),
	   "FIFO without a reader: refused at once (%s)", msg);
	ok(ltype(path) == S_IFIFO, "the FIFO is still a FIFO");
	/* with a reader: it receives exactly the file's bytes */
	int rfd = open(path, O_RDONLY | O_NONBLOCK);
	rc = save_small(path, msg, sizeof(msg));
	struct ctp_buf got = CTP_BUF_INIT;
	drain(rfd, &got);
	close(rfd);
	ok(rc == 0 && same_bytes(&got, &small_bytes), "FIFO with a reader receives the snapshot (%zu of %zu bytes): %s",
	   got.len, small_bytes.len, rc ? msg : "ok");
	ok(ltype(path) == S_IFIFO, "the FIFO is still a FIFO after the write");
	/* a symlink to a FIFO is written through */
	char link[4096];
	snprintf(link, sizeof(link), "%s/fifo-link", dir);
	symlink(path, link);
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	rc = save_small(link, msg, sizeof(msg));
	drain(rfd, &got);
	close(rfd);
	ok(rc == 0 && same_bytes(&got, &small_bytes) && ltype(link) == S_IFLNK, "a symlink to a FIFO is written through: %s",
	   rc ? msg : "ok");
	unlink(link);
	/* the reader leaves mid-write: EPIPE, not death by SIGPIPE */
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	int pfd[2];
	if (pipe(pfd)) {
		ok(0, "pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(rfd); /* the parent's copy is the only reader */
		close(pfd[0]);
		struct ctp_snapshot *big = make_snapshot(600, 2);
		struct ctp_err err = { 0 };
		int r = ctp_snapfile_save(path, big, NULL, &err);
		dprintf(pfd[1], "%d %d", r, err.sys_errno);
		_exit(0);
	}
	close(pfd[1]);
	/* the writer fills the 64 KiB pipe and blocks; then the reader goes away */
	char one[4096];
	for (int i = 0; i < 2000; i++) {
		if (read(rfd, one, 1) == 1)
			break;
		usleep(10000);
	}
	close(rfd);
	char buf[64] = "";
	ssize_t n = read(pfd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	close(pfd[0]);
	int st = 0, r = 0, eno = 0;
	waitpid(pid, &st, 0);
	sscanf(buf, "%d %d", &r, &eno);
	ok(WIFEXITED(st) && r == -1 && eno == EPIPE, "reader gone mid-write: save returns EPIPE, no SIGPIPE (status %#x, '%s')",
	   st, buf);
	unlink(path);
	ctp_buf_release(&got);
}

/* "/dev/stdout" in a child whose stdout is a pipe: root runs it in a private mount namespace
 * over a scratch /dev, so the system's /dev/stdout link is never at stake */
static void test_dev_stdout(void)
{
	int pfd[2];
	if (pipe(pfd)) {
		ok(0, "pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (geteuid() == 0 && (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
				       mount("tmpfs", "/dev", "tmpfs", 0, "size=64k,mode=0755") ||
				       symlink("/proc/self/fd/1", "/dev/stdout")))
			_exit(3);
		if (dup2(pfd[1], 1) < 0)
			_exit(4);
		close(pfd[1]);
		char msg[600];
		int rc = save_small("/dev/stdout", msg, sizeof(msg));
		if (rc)
			dprintf(2, "# /dev/stdout: %s\n", msg);
		_exit(rc ? 1 : ltype("/dev/stdout") == S_IFLNK ? 0 : 2);
	}
	close(pfd[1]);
	struct ctp_buf got = CTP_BUF_INIT;
	char tmp[65536];
	ssize_t n;
	while ((n = read(pfd[0], tmp, sizeof(tmp))) > 0)
		ctp_buf_add(&got, tmp, (size_t)n);
	close(pfd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 99;
	if (code == 3) {
		skip("cannot set up a private /dev (unshare/mount)");
	} else {
		ok(code == 0 && same_bytes(&got, &small_bytes), "-o /dev/stdout streams to fd 1 (%zu bytes, exit %d)", got.len, code);
		ok(code != 2, "/dev/stdout is still a symlink afterwards");
	}
	ctp_buf_release(&got);
}

/* /dev/fd/N and /proc/self/fd/N: written to descriptor N, never created or renamed */
static void test_fd_paths(void)
{
	static const char *const fmts[] = { "/dev/fd/%d", "/proc/self/fd/%d" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(fmts); i++) {
		int pfd[2];
		char path[64], msg[600];
		if (pipe(pfd)) {
			ok(0, "pipe");
			return;
		}
		fcntl(pfd[0], F_SETFL, O_NONBLOCK);
		snprintf(path, sizeof(path), fmts[i], pfd[1]);
		int rc = save_small(path, msg, sizeof(msg));
		close(pfd[1]);
		struct ctp_buf got = CTP_BUF_INIT;
		drain(pfd[0], &got);
		close(pfd[0]);
		ok(rc == 0 && same_bytes(&got, &small_bytes), "%s streams to the descriptor (%zu bytes): %s", path, got.len,
		   rc ? msg : "ok");
		ctp_buf_release(&got);
	}
	char msg[600];
	int rc = save_small("/dev/fd/0", msg, sizeof(msg));
	ok(rc == -1 || fcntl(0, F_GETFL) < 0 || (fcntl(0, F_GETFL) & O_ACCMODE) != O_RDONLY,
	   "a descriptor open only for reading is refused (%s)", rc ? msg : "written");
}

/* symlinks (to a regular file, dangling), directories and sockets are refused, nothing changes */
static void test_refused(const char *dir)
{
	char target[4096], link[4096], dangling[4096], sub[4096], sock[4096], msg[600];
	snprintf(target, sizeof(target), "%s/target.ctprof.zst", dir);
	snprintf(link, sizeof(link), "%s/link.ctprof.zst", dir);
	snprintf(dangling, sizeof(dangling), "%s/dangling.ctprof.zst", dir);
	snprintf(sub, sizeof(sub), "%s/subdir", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		ctp_write_all(fd, "precious", 8);
		close(fd);
	}
	symlink(target, link);
	symlink("nowhere/x", dangling);
	mkdir(sub, 0755);
	int sfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (sfd < 0 || bind(sfd, (struct sockaddr *)&sa, sizeof(sa)))
		diag("cannot bind a unix socket at %s: %s", sock, strerror(errno));

	struct ctp_buf before = CTP_BUF_INIT;
	int rc = save_small(link, msg, sizeof(msg));
	read_bytes(target, &before);
	ok(rc == -1 && strstr(msg, "symbolic link") && strstr(msg, link), "symlink to a regular file: refused (%s)", msg);
	ok(ltype(link) == S_IFLNK && before.len == 8 && !memcmp(before.buf, "precious", 8),
	   "the link and its target are untouched");
	rc = save_small(dangling, msg, sizeof(msg));
	ok(rc == -1 && ltype(dangling) == S_IFLNK, "dangling symlink: refused, still a link (%s)", msg);
	rc = save_small(sub, msg, sizeof(msg));
	ok(rc == -1 && strstr(msg, "is a directory") && ltype(sub) == S_IFDIR, "directory: refused (%s)", msg);
	if (sfd >= 0) {
		rc = save_small(sock, msg, sizeof(msg));
		ok(rc == -1 && strstr(msg, "socket") && ltype(sock) == S_IFSOCK, "socket: refused (%s)", msg);
		close(sfd);
	}
	int entries = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	check_int(entries, ==, sfd >= 0 ? 5 : 4); /* target, link, dangling, subdir, sock: nothing else */
	unlink(target);
	unlink(link);
	unlink(dangling);
	unlink(sock);
	rmdir(sub);
	ctp_buf_release(&before);
}

/* a save name of 250 and 255 (NAME_MAX) bytes: the temporary name must fit as well */
static void test_long_name(const char *dir)
{
	static const size_t lens[] = { 250, 255 };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(lens); i++) {
		char name[256], path[4400], msg[600];
		memset(name, 'n', lens[i]);
		name[lens[i]] = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		int rc = save_small(path, msg, sizeof(msg));
		struct ctp_buf got = CTP_BUF_INIT;
		read_bytes(path, &got);
		ok(rc == 0 && same_bytes(&got, &small_bytes), "a %zu-byte file name saves: %s", lens[i], rc ? msg : "ok");
		check_int(stray_files(dir, name), ==, 0);
		unlink(path);
		ctp_buf_release(&got);
	}
}

/* root's snapshots are private (0600) unless a mode is given; others keep 0666 & ~umask */
static void test_modes(const char *dir)
{
	char path[4096];
	struct ctp_err err = { 0 };
	struct stat st = { 0 };
	snprintf(path, sizeof(path), "%s/mode.ctprof.zst", dir);
	mode_t old = umask(022);
	int rc = ctp_snapfile_save(path, small, NULL, &err);
	stat(path, &st);
	unsigned want = geteuid() == 0 ? 0600 : 0644;
	ok(rc == 0 && (st.st_mode & 07777) == want, "default mode %o (want %o as %s)", (unsigned)(st.st_mode & 07777), want,
	   geteuid() == 0 ? "root" : "non-root");
	static const unsigned modes[] = { 0644, 0640, 0600 };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(modes); i++) {
		rc = ctp_snapfile_save_mode(path, small, (int)modes[i], NULL, &err);
		stat(path, &st);
		ok(rc == 0 && (st.st_mode & 07777) == modes[i], "explicit mode %o gives %o", modes[i],
		   (unsigned)(st.st_mode & 07777));
	}
	umask(old);
	unlink(path);
}

static void test_targets(void)
{
	char dir[] = "/tmp/t_save_target.XXXXXX", path[4096];
	struct ctp_err err = { 0 };
	if (!mkdtemp(dir)) {
		skip("mkdtemp: %s", strerror(errno));
		return;
	}
	small = make_snapshot(3, 1);
	snprintf(path, sizeof(path), "%s/ref.ctprof.zst", dir);
	if (ctp_snapfile_save(path, small, NULL, &err) || read_bytes(path, &small_bytes)) {
		ok(0, "reference save: %s", err.msg);
		return;
	}
	unlink(path);
	signal(SIGPIPE, SIG_DFL);
	test_char_device(dir);
	test_fifo(dir);
	test_dev_stdout();
	test_fd_paths();
	test_refused(dir);
	test_long_name(dir);
	test_modes(dir);
	rmdir(dir);
	ctp_snapshot_free(small);
	ctp_buf_release(&small_bytes);
}

int main(void)
{
	test_enospc();
	test_readonly_dir();
	test_cut_write();
	test_missing_dir();
	test_kill_mid_save();
	test_targets();
	return test_done();
}
