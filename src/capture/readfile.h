/* readfile.h — reading kernel files (procfs, sysfs, cgroupfs) into a reused ctp_buf: whole-file
 * reads at a directory fd, read as bytes or checked as UTF-8 (Rust read_to_string), kept-fd
 * slots re-read with pread at offset 0, and the numeric entries (pids, tids) of a directory.
 * The one owner of open/openat/pread on those files; parsers live in procfs.c and beside. */
#ifndef CTP_READFILE_H
#define CTP_READFILE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Reads <dirfd>/<name> whole into b (reset first; b stays allocated for reuse: no malloc once
 * it is big enough). One read() when the file fits; on a full buffer, grows and rereads from
 * offset 0. Returns 0, or -1 with errno set. dirfd may be AT_FDCWD with an absolute name. */
int ctp_read_file_at(int dirfd, const char *name, struct ctp_buf *b);
/* as above, but also fails (errno EILSEQ) on invalid UTF-8: Rust read_to_string semantics */
int ctp_read_text_at(int dirfd, const char *name, struct ctp_buf *b);

/* Kept fds (live loop): reads <dirfd>/<name> into b through the fd *slot (-1: not open) with
 * pread(fd, buf, n, 0), since seq_file regenerates its text at offset 0. A closed slot, or a
 * re-read that fails or comes back empty (thread gone, mm replaced by exec), opens the file
 * afresh and keeps that fd in *slot. Same results and errno as ctp_read_file_at, which is what
 * a NULL slot does. */
int ctp_read_file_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b);
/* ctp_read_file_slot, then failing (EILSEQ) on invalid UTF-8 as ctp_read_text_at does */
int ctp_read_text_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b);

/* the numeric entries (i32 > 0: pids, tids) of the directory open as dirfd, read from its
 * current offset with getdents64 into the caller's scratch, sorted ascending into out (its
 * entries replaced; none when dirfd < 0) */
void ctp_list_numeric(int dirfd, char *dents, size_t dents_size, struct ctp_u32vec *out);
/* the same for the directory <dirfd>/<name>, opened and closed here; -1 (errno set) when it
 * cannot be opened */
int ctp_list_numeric_at(int dirfd, const char *name, char *dents, size_t dents_size, struct ctp_u32vec *out);

/* true for the errno of an open that failed for want of file descriptors (EMFILE, ENFILE) */
static inline bool ctp_errno_fd_limit(int e)
{
	return e == EMFILE || e == ENFILE;
}

#endif
