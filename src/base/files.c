/* files.c — the engine's file operations on paths a user may control: ctp_open_regular (the one
 * checked open for reading: no FIFO or device is ever opened, size capped) and the saves (atomic
 * replace of a regular file, FIFOs and devices written through, planted links refused).
 * Declared in util.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

int ctp_open_regular(const char *path, int extra_flags, uint64_t max_size, struct stat *st, struct ctp_err *err)
{
	struct stat tmp;
	char self[40];
	if (!st)
		st = &tmp;
	/* O_PATH first: the type is known before any real open, so a device driver never sees one
	 * (a watchdog would start, a tape rewind) and a FIFO cannot block */
	int fd = open(path, O_PATH | O_CLOEXEC | (extra_flags & O_NOFOLLOW));
	if (fd < 0)
		return ctp_err_set(err, CTP_E_IO, errno, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, st)) {
		int e = errno;
		close(fd);
		return ctp_err_set(err, CTP_E_IO, e, path, "cannot stat: %s", strerror(e));
	}
	if (S_ISLNK(st->st_mode)) { /* O_NOFOLLOW: what open() would have said */
		close(fd);
		return ctp_err_set(err, CTP_E_IO, ELOOP, path, "cannot open: %s", strerror(ELOOP));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return ctp_err_set(err, CTP_E_FORMAT, 0, path, "not a regular file");
	}
	if (max_size && (uint64_t)st->st_size > max_size) {
		close(fd);
		return ctp_err_set(err, CTP_E_FORMAT, 0, path, "file too large (%llu bytes, limit %llu)",
				   (unsigned long long)st->st_size, (unsigned long long)max_size);
	}
	/* then the very inode checked, for reading (needs /proc, as the rest of the tool) */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	int rfd = open(self, O_RDONLY | O_NOCTTY | O_CLOEXEC | (extra_flags & ~O_NOFOLLOW));
	int e = errno;
	close(fd);
	if (rfd < 0)
		return ctp_err_set(err, CTP_E_IO, e, path, "cannot open: %s", strerror(e));
	return rfd;
}

int ctp_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ctp_read_fd(int fd, struct ctp_buf *out, size_t want, size_t cap, const char *name, struct ctp_err *err)
{
	while (out->len < want) {
		ctp_buf_grow(out, 65536);
		ssize_t n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ctp_err_set(err, CTP_E_IO, errno, name, "cannot read: %s", strerror(errno));
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = 0;
		if (out->len > cap)
			return ctp_err_set(err, CTP_E_FORMAT, EFBIG, name, "larger than %zu bytes", cap);
	}
	return 0;
}

/* write(2) of all of data with SIGPIPE blocked in this thread: a reader that goes away is an
 * EPIPE error, not the death of the process (whose terminal would stay in curses mode) */
static int stream_out(int fd, const char *label, const void *data, size_t len, struct ctp_err *err)
{
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	int rc = ctp_write_all(fd, data, len), e = errno;
	if (rc && e == EPIPE && !sigismember(&old, SIGPIPE)) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_set, NULL, &zero); /* the SIGPIPE this write raised */
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc ? ctp_err_set(err, CTP_E_IO, e, label, "write failed: %s", strerror(e)) : 0;
}

/* descriptor N when path names one already open: /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N; -1 otherwise */
static int fd_path(const char *path)
{
	static const char *const prefix[] = { "/dev/fd/", "/proc/self/fd/" };
	uint32_t n;
	if (!strcmp(path, "/dev/stdout"))
		return 1;
	if (!strcmp(path, "/dev/stderr"))
		return 2;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(prefix); i++) {
		size_t k = strlen(prefix[i]);
		if (!strncmp(path, prefix[i], k) && ctp_parse_u32(path + k, strlen(path + k), &n) && n <= INT32_MAX)
			return (int)n;
	}
	return -1;
}

/* a FIFO or character device (fifo: which), at name or behind its symlinks (follow): opened
 * for writing without blocking, checked to still be one, then written in blocking mode */
static int write_through(int dirfd, const char *name, const char *label, bool follow, bool fifo, const void *data,
			 size_t len, struct ctp_err *err)
{
	int fd = openat(dirfd, name, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0 && errno == ENXIO && fifo)
		return ctp_err_set(err, CTP_E_IO, ENXIO, label, "no process is reading the fifo; not written");
	if (fd < 0)
		return ctp_err_set(err, CTP_E_IO, errno, label, "cannot open for writing: %s", strerror(errno));
	struct stat st;
	int rc;
	if (fstat(fd, &st) || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		rc = ctp_err_set(err, CTP_E_IO, EAGAIN, label, "changed while being opened; not written");
	} else {
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		rc = stream_out(fd, label, data, len, err);
	}
	close(fd);
	return rc;
}

/* ".<base>.tmp-XXXXXX" with a random suffix, base cut at a UTF-8 boundary to fit NAME_MAX */
static void temp_name(const char *base, struct ctp_buf *out)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned counter;
	size_t n = strlen(base), room = NAME_MAX - strlen("..tmp-XXXXXX");
	if (n > room) {
		n = room;
		while (n && ((unsigned char)base[n] & 0xc0) == 0x80)
			n--;
	}
	unsigned char rnd[6];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		uint64_t x = (ctp_now_monotonic_ns() ^ ((uint64_t)getpid() << 40)) + 0x9e3779b97f4a7c15ull * ++counter;
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(x >> (8 * i));
	}
	ctp_buf_addf(out, ".%.*s.tmp-", (int)n, base);
	for (size_t i = 0; i < sizeof(rnd); i++)
		ctp_buf_addch(out, set[rnd[i] % (sizeof(set) - 1)]);
}

/* a new temporary file next to name, written, fsynced and renamed over name */
static int replace_atomic(int dirfd, const char *name, const char *label, const void *data, size_t len, int mode,
			  struct ctp_err *err)
{
	bool root = geteuid() == 0;
	/* permission bits: umask applied by open(2) (0666), or set exactly by fchmod */
	bool by_umask = mode == CTP_FILE_MODE_UMASK || (mode == CTP_FILE_MODE_DEFAULT && !root);
	mode_t exact = mode > 0 ? (mode_t)mode & 07777 : 0600;
	struct ctp_buf tmp = CTP_BUF_INIT;
	int fd = -1, rc = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		ctp_buf_reset(&tmp);
		temp_name(name, &tmp);
		fd = openat(dirfd, tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, by_umask ? 0666 : 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		ctp_err_set(err, CTP_E_IO, errno, label, "cannot create a temporary file next to it: %s", strerror(errno));
		goto out;
	}
	if ((!by_umask && fchmod(fd, exact)) || ctp_write_all(fd, data, len) || fsync(fd)) {
		ctp_err_set(err, CTP_E_IO, errno, label, "write failed: %s", strerror(errno));
		close(fd);
		unlinkat(dirfd, tmp.buf, 0);
		goto out;
	}
	if (close(fd)) {
		ctp_err_set(err, CTP_E_IO, errno, label, "write failed: %s", strerror(errno));
		unlinkat(dirfd, tmp.buf, 0);
		goto out;
	}
	if (renameat(dirfd, tmp.buf, dirfd, name)) {
		ctp_err_set(err, CTP_E_IO, errno, label, "cannot rename into place: %s", strerror(errno));
		unlinkat(dirfd, tmp.buf, 0);
		goto out;
	}
	fsync(dirfd);
	rc = 0;
out:
	ctp_buf_release(&tmp);
	return rc;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "directory" : S_ISSOCK(m) ? "socket" : S_ISBLK(m) ? "block device" : "special file";
}

int ctp_save_file_at(int dirfd, const char *name, const char *label, const void *data, size_t len, int mode,
		     struct ctp_err *err)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno != ENOENT)
			return ctp_err_set(err, CTP_E_IO, errno, label, "cannot stat: %s", strerror(errno));
		return replace_atomic(dirfd, name, label, data, len, mode, err);
	}
	if (S_ISREG(st.st_mode))
		return replace_atomic(dirfd, name, label, data, len, mode, err);
	bool link = S_ISLNK(st.st_mode);
	/* a link another user planted (e.g. in /tmp) is never followed into a device or FIFO */
	if (link && st.st_uid != geteuid() && st.st_uid != 0)
		return ctp_err_set(err, CTP_E_PERM, EPERM, label, "is a symbolic link owned by uid %u; not followed",
				   (unsigned)st.st_uid);
	if (link && fstatat(dirfd, name, &st, 0))
		return ctp_err_set(err, CTP_E_ARG, ELOOP, label, "is a dangling symbolic link; not replaced");
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return write_through(dirfd, name, label, link, S_ISFIFO(st.st_mode), data, len, err);
	if (link && S_ISREG(st.st_mode))
		return ctp_err_set(err, CTP_E_ARG, ELOOP, label,
				   "is a symbolic link; not replaced (save to the file it points to)");
	return ctp_err_set(err, CTP_E_ARG, S_ISDIR(st.st_mode) ? EISDIR : 0, label, "is a %s%s; not written",
			   link ? "symbolic link to a " : "", file_kind(st.st_mode));
}

int ctp_save_file(const char *path, const void *data, size_t len, int mode, struct ctp_err *err)
{
	int fd = fd_path(path);
	if (fd >= 0) {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
			return ctp_err_set(err, CTP_E_IO, fl < 0 ? errno : EBADF, path, "descriptor %d is not open for writing", fd);
		return stream_out(fd, path, data, len, err);
	}
	size_t n = strlen(path);
	if (n == 0 || path[n - 1] == '/')
		return ctp_err_set(err, CTP_E_ARG, n ? EISDIR : ENOENT, path, n ? "is a directory; not written" : "empty file name");
	char *dup = ctp_xstrdup(path), *slash = strrchr(dup, '/');
	const char *dir = ".", *base = dup;
	if (slash) {
		*slash = 0;
		dir = slash == dup ? "/" : dup;
		base = slash + 1;
	}
	int rc, dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = ctp_err_set(err, CTP_E_IO, errno, path, "cannot open its directory: %s", strerror(errno));
	} else {
		rc = ctp_save_file_at(dfd, base, path, data, len, mode, err);
		close(dfd);
	}
	free(dup);
	return rc;
}

