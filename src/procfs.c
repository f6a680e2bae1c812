/* procfs.c — whole-file reads of /proc text files into a reused buffer, and pure parsers of the
 * per-thread files (stat, schedstat, io, status, sched, cgroup, smaps_rollup) and cpulists
 * into a struct ctp_thread, following ktstr's parse.rs rules (snapshot-and-capture.md §2). */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int ctp_read_file_at(int dirfd, const char *name, struct ctp_buf *b)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	ctp_buf_reset(b);
	if (b->alloc < 4096)
		ctp_buf_grow(b, 4096);
	for (;;) {
		size_t cap = b->alloc - 1;
		ssize_t r = read(fd, b->buf, cap);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			ctp_buf_reset(b);
			errno = e;
			return -1;
		}
		if ((size_t)r < cap) {
			b->len = (size_t)r;
			b->buf[r] = '\0';
			break;
		}
		/* full buffer: grow and reread from the start */
		b->len = 0;
		ctp_buf_grow(b, b->alloc * 2);
		if (lseek(fd, 0, SEEK_SET) < 0) {
			int e = errno;
			close(fd);
			ctp_buf_reset(b);
			errno = e;
			return -1;
		}
	}
	close(fd);
	return 0;
}

int ctp_read_text_at(int dirfd, const char *name, struct ctp_buf *b)
{
	if (ctp_read_file_at(dirfd, name, b) < 0)
		return -1;
	if (!ctp_utf8_valid(b->buf, b->len)) {
		ctp_buf_reset(b);
		errno = EILSEQ;
		return -1;
	}
	return 0;
}
