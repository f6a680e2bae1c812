/* procfs.h — whole-file readers and pure parsers for the per-thread /proc files (stat,
 * schedstat, io, status, sched, cgroup, smaps_rollup) and the cpulist format. Parsers take a
 * text buffer and fill a struct ctp_thread plus a per-thread pending tally; readers take a
 * proc_root so tests can point them at a fixture tree (snapshot-and-capture.md §2). */
#ifndef CTP_PROCFS_H
#define CTP_PROCFS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/model.h"
#include "base/util.h"

/* the seven tallied files, in read order; ctp_tally_token() gives the wire token */
enum ctp_tally_file {
	CTP_TF_CGROUP,
	CTP_TF_STAT,
	CTP_TF_SCHEDSTAT,
	CTP_TF_IO,
	CTP_TF_STATUS,
	CTP_TF_SCHED,
	CTP_TF_SMAPS_ROLLUP,
	CTP_TF_COUNT
};
const char *ctp_tally_token(enum ctp_tally_file f);

/* per-thread bumps, committed to the parse summary only if the thread survives the ghost filter */
struct ctp_pending {
	uint64_t fail[CTP_TF_COUNT];
	uint64_t negative_dotted;
	bool vanished; /* the task dir, its comm or its stat is gone (ENOENT/ESRCH): a ghost */
};

/* ---- reading ----
 * Reads <dirfd>/<name> whole into b (reset first; b stays allocated for reuse: no malloc once
 * it is big enough). One read() when the file fits; on a full buffer, grows and rereads from
 * offset 0. Returns 0, or -1 with errno set. dirfd may be AT_FDCWD with an absolute name. */
int ctp_read_file_at(int dirfd, const char *name, struct ctp_buf *b);
/* the numeric entries (i32 > 0: pids, tids) of the directory open as dirfd, read from its
 * current offset with getdents64 into the caller's scratch, sorted ascending into *v (grown,
 * *alloc entries). Returns the count. */
size_t ctp_list_numeric(int dirfd, char *dents, size_t dents_size, uint32_t **v, size_t *alloc);
/* as above, but also fails (errno EILSEQ) on invalid UTF-8: Rust read_to_string semantics */
int ctp_read_text_at(int dirfd, const char *name, struct ctp_buf *b);
/* true for the errno of an open that failed for want of file descriptors (EMFILE, ENFILE) */
static inline bool ctp_errno_fd_limit(int e)
{
	return e == EMFILE || e == ENFILE;
}

/* ---- parsers: each takes [s, s+n) (need not be NUL-terminated) ---- */

/* result of a dotted-ns value ("12345.678" ms.ns-remainder, or raw ns) */
enum ctp_dotted { CTP_DOTTED_OK, CTP_DOTTED_NEGATIVE, CTP_DOTTED_MALFORMED };
enum ctp_dotted ctp_parse_dotted_ns(const char *s, size_t n, uint64_t *out);

/* stat: minflt majflt utime stime priority nice start_time processor rt_priority policy.
 * Every one of these is written: absent or malformed -> 0, policy "" (E8). The fields follow
 * the LAST ')' of the whole text, up to the end of that line: a thread name may hold ')', '\n'
 * and bytes that are not UTF-8, which the kernel prints raw. */
void ctp_parse_stat(const char *s, size_t n, struct ctp_thread *t);
/* schedstat: run_time_ns wait_time_ns timeslices */
void ctp_parse_schedstat(const char *s, size_t n, struct ctp_thread *t);
/* io: rchar wchar syscr syscw read_bytes write_bytes cancelled_write_bytes */
void ctp_parse_io(const char *s, size_t n, struct ctp_thread *t);
/* status: state, ctxt switches, Threads (only when t->tid == t->tgid). If cpus is non-NULL it
 * receives the trimmed Cpus_allowed_list value (pointing into s; *cpus_len 0 when absent) for
 * ctp_parse_cpulist — kept as text so the live path parses it only when affinity fails. */
void ctp_parse_status(const char *s, size_t n, struct ctp_thread *t, const char **cpus, size_t *cpus_len);
/* sched: the schedstat counters, dotted ns values, ext.enabled, se.slice, voluntary_sleep_ns;
 * NEGATIVE dotted values bump p->negative_dotted once per field occurrence. The header (the
 * raw thread name, which may hold '\n' and "key: value" text, then " (pid, #threads: n)") is
 * skipped up to the kernel's line of dashes, which is longer than any name; text without such
 * a line is parsed whole. */
void ctp_parse_sched(const char *s, size_t n, struct ctp_thread *t, struct ctp_pending *p);
/* cgroup: first non-empty "0::" path, trimmed. Returns false (and *path untouched) if none. */
bool ctp_parse_cgroup(const char *s, size_t n, const char **path, size_t *pathlen);
/* smaps_rollup: "Key:   123 kB" lines into the map (kB) */
void ctp_parse_smaps_rollup(const char *s, size_t n, struct ctp_kvmap *out);
/* cpulist "0-3,8,10-11": sorted, deduplicated into out (caller releases). false = none.
 * Returns true with an empty set for a list made only of commas (E4). */
bool ctp_parse_cpulist(const char *s, size_t n, struct ctp_cpuset *out);
/* comm / pcomm file contents: decoded lossily (invalid UTF-8 -> U+FFFD, ctp_utf8_lossy), then
 * trimmed (Unicode); caller frees */
char *ctp_comm_dup(const char *s, size_t n);

/* ---- readers of one thread ---- */

/* per-capture reusable state: one read buffer and the affinity mask */
struct ctp_procfs_ctx {
	struct ctp_buf buf;
	struct ctp_buf cpulist; /* Cpus_allowed_list text of the current thread */
	unsigned long *mask;
	size_t mask_bits;
	uint32_t *cpus; /* scratch for affinity bits */
	size_t cpus_alloc;
	bool live_affinity; /* true: sched_getaffinity first (proc_root is "/proc") */
	bool saw_sched;     /* some thread's sched file was readable */
	bool saw_io;        /* some thread's io file was readable */
	/* first open in this capture that failed for want of fds (ctp_errno_fd_limit): its errno
	 * and file name ("" for the task dir); each capture resets fd_errno and fails on it */
	int fd_errno;
	const char *fd_file;
};
void ctp_procfs_ctx_init(struct ctp_procfs_ctx *x, const char *proc_root);
void ctp_procfs_ctx_release(struct ctp_procfs_ctx *x);

/* reads cgroup, stat, schedstat, io, status, sched, smaps_rollup (leader only) and affinity of
 * the thread whose task dir is open as taskfd; t->tid and t->tgid must be set. Read failures go
 * to p. comm/pcomm are not read here. stat, status and sched embed the raw thread name, so they
 * are read as bytes (not UTF-8 checked): a name can never make them fail. */
void ctp_procfs_read_thread(struct ctp_procfs_ctx *x, int taskfd, struct ctp_thread *t, struct ctp_pending *p);
/* reads the thread's comm (through *slot when non-NULL, as ctp_read_file_slot) into *comm with
 * ctp_comm_dup; on failure *comm is untouched and the error is noted (ctp_procfs_note_error) */
void ctp_procfs_read_comm(struct ctp_procfs_ctx *x, int taskfd, int *slot, char **comm, struct ctp_pending *p);
/* records why an open or read of a thread's file failed with errno e: ENOENT/ESRCH on the task
 * dir (name ""), its comm or its stat marks p->vanished; EMFILE/ENFILE goes to x->fd_errno and
 * x->fd_file (the first one). name must outlive the capture (a literal). */
void ctp_procfs_note_error(struct ctp_procfs_ctx *x, struct ctp_pending *p, const char *name, int e);

/* ---- persistent per-thread fds (live loop) ----
 * A thread's task dir and files kept open across captures (-1: not open) and re-read with
 * pread(fd, buf, n, 0): seq_file regenerates its text at offset 0. Index CTP_TFD_COMM is the
 * comm file; the rest follow enum ctp_tally_file. */
#define CTP_TFD_COMM CTP_TF_COUNT
#define CTP_TFD_MAX (CTP_TF_COUNT + 2) /* most fds one thread can hold: files + comm + dir */
struct ctp_thread_fds {
	int dir;
	int fd[CTP_TF_COUNT + 1];
};
void ctp_thread_fds_init(struct ctp_thread_fds *f);
void ctp_thread_fds_close(struct ctp_thread_fds *f);
int ctp_thread_fds_count(const struct ctp_thread_fds *f);
/* reads file name of the task dir f->dir into b, through the kept fd *slot when it is open and
 * its pread succeeds with data; otherwise (kept fd closed) opens it afresh, reads, and keeps
 * that fd in *slot. Same results and errno as ctp_read_file_at(f->dir, name, b). */
int ctp_read_file_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b);
/* ctp_read_file_slot, then failing (EILSEQ) on invalid UTF-8 as ctp_read_text_at does */
int ctp_read_text_slot(int dirfd, const char *name, int *slot, struct ctp_buf *b);
/* ctp_procfs_read_thread through the kept fds of f (f->dir is the task dir, must be open) */
void ctp_procfs_read_thread_fds(struct ctp_procfs_ctx *x, struct ctp_thread_fds *f, struct ctp_thread *t,
				struct ctp_pending *p);

/* sched_getaffinity(tid) with a mask growing from 8192 to 262144 bits; false = none */
bool ctp_procfs_affinity(struct ctp_procfs_ctx *x, uint32_t tid, struct ctp_cpuset *out);

#endif
