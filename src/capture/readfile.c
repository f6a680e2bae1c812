/* readfile.c — whole-file reads of kernel text files into a reused buffer: fresh (openat +
 * read) or through a kept fd (pread at offset 0), as bytes or UTF-8 checked, and the sorted
 * numeric entries of a /proc directory (getdents64). */
#include "capture/readfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* reads fd whole into b from offset 0: read() on a fresh fd (works on pipes too), pread() at
 * 0 on a kept one (seq_file regenerates its text). A full buffer grows and rereads from 0. */
static int read_whole(int fd, struct ctp_buf *b, bool kept)
{
	bool first = !kept;
	ctp_buf_reset(b);
	if (b->alloc < 4096)
		ctp_buf_grow(b, 4096);
	for (;;) {
		size_t cap = b->alloc - 1;
		ssize_t r = first ? read(fd, b->buf, cap) : pread(fd, b->buf, cap, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			ctp_buf_reset(b);
			errno = e;
			return -1;
		}
		if ((size_t)r < cap) {
			b->len = (size_t)r;
			b->buf[r] = '\0';
			return 0;
		}
		/* full buffer: grow and reread from the start */
		b->len = 0;
		ctp_buf_grow(b, b->alloc * 2);
		first = false;
	}
}

/* opens <dirfd>/<name> and reads it whole; the fd is returned in *keep (else closed) */
static int read_fresh(int dirfd, const char *name, struct ctp_buf *b, int *keep)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	int r = read_whole(fd, b, false), e = errno;
	if (r == 0 && keep) {
		*keep = fd;
		return 0;
	}
	close(fd);
	errno = e;
	return r;
}

int ctp_read_file_at(int dirfd, const char *name, struct ctp_buf *b)
{
	return read_fresh(dirfd, name, b, NULL);
}

/* Rust read_to_string: invalid UTF-8 fails with EILSEQ */
static int text_check(struct ctp_buf *b)
{
	if (!ctp_utf8_valid(b->buf, b->len)) {
		ctp_buf_reset(b);
		errno = EILSEQ;
		return -1;
	}
	return 0;
}

int ctp_read_text_at(int dirfd, const char *name, struct ctp_buf *b)
{
	if (ctp_read_file_at(dirfd, name, b) < 0)
		return -1;
	return text_check(b);
}

int ctp_read_file_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b)
{
	if (slot && *slot >= 0) {
		if (read_whole(*slot, b, true) == 0 && b->len)
			return 0;
		close(*slot);
		*slot = -1;
	}
	return read_fresh(dirfd, name, b, slot);
}

int ctp_read_text_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b)
{
	if (ctp_read_file_slot(dirfd, name, slot, b) < 0)
		return -1;
	return text_check(b);
}

void ctp_list_numeric(int dirfd, char *dents, size_t dents_size, struct ctp_u32vec *out)
{
	out->n = 0;
	if (dirfd < 0)
		return;
	for (;;) {
		long nread = syscall(SYS_getdents64, dirfd, dents, dents_size);
		if (nread <= 0)
			break;
		for (long off = 0; off < nread;) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);
			int32_t x;
			off += d->d_reclen;
			if (d->d_name[0] >= '0' && d->d_name[0] <= '9' && ctp_parse_i32(d->d_name, strlen(d->d_name), &x) && x > 0)
				ctp_u32vec_push(out, (uint32_t)x);
		}
	}
	for (size_t i = 1; i < out->n; i++)
		if (out->v[i - 1] > out->v[i]) {
			qsort(out->v, out->n, sizeof(*out->v), ctp_u32_cmp);
			break;
		}
}

int ctp_list_numeric_at(int dirfd, const char *name, char *dents, size_t dents_size, struct ctp_u32vec *out)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ctp_list_numeric(fd, dents, dents_size, out);
	close(fd);
	return 0;
}
