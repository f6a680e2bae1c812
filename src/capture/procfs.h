/* procfs.h — pure parsers for the per-thread /proc files (stat, schedstat, io, status, sched,
 * cgroup, smaps_rollup) and the cpulist format, and the reading of one thread's files into a
 * struct ctp_thread plus a per-thread pending tally (files read through readfile.h; a proc_root
 * lets tests point the reader at a fixture tree, snapshot-and-capture.md §2). */
#ifndef CTP_PROCFS_H
#define CTP_PROCFS_H

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
/* the capture source (1u << CTP_SOURCE_x, snapshot/registry.h) a tallied file belongs to */
uint32_t ctp_tally_source(enum ctp_tally_file f);

/* the parse summary of a capture's committed tallies (fail[CTP_TF_COUNT]): total and per-file
 * failures, the dominant file (ties: byte order of the tokens), kernel_config_dominant */
struct ctp_parse_summary *ctp_procfs_parse_summary(const uint64_t *fail, uint64_t tids_walked, uint64_t negative_dotted);

/* per-thread bumps, committed to the parse summary only if the thread survives the ghost filter */
struct ctp_pending {
	uint64_t fail[CTP_TF_COUNT];
	uint64_t negative_dotted;
	bool vanished; /* the task dir, its comm or its stat is gone (ENOENT/ESRCH): a ghost */
};

/* ---- parsers: each takes [s, s+n) (need not be NUL-terminated) ---- */

/* result of a dotted-ns value ("12345.678" ms.ns-remainder, or raw ns) */
enum ctp_dotted { CTP_DOTTED_OK, CTP_DOTTED_NEGATIVE, CTP_DOTTED_MALFORMED };
enum ctp_dotted ctp_parse_dotted_ns(const char *s, size_t n, uint64_t *out);

/* the fields of a stat text after the thread name, at most max: tok[0] is field 3 (state),
 * tok[k] field k + 3 of proc(5). The name ends at the LAST ')' of the whole text (it may hold
 * ')', '\n' and bytes that are not UTF-8, which the kernel prints raw); the fields run to the
 * end of that line. Returns how many were found. */
size_t ctp_stat_fields(const char *s, size_t n, const char **tok, size_t *tl, size_t max);
/* stat: minflt majflt utime stime priority nice start_time processor rt_priority policy.
 * Every one of these is written: absent or malformed -> 0, policy "" (E8). The fields are
 * ctp_stat_fields'. */
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
	struct ctp_u32vec cpus; /* scratch for affinity bits */
	bool live_affinity; /* true: sched_getaffinity first (proc_root is "/proc") */
	bool saw_sched;     /* some thread's sched file was readable */
	bool saw_io;        /* some thread's io file was readable */
	/* the refresh plan: sources (1u << CTP_SOURCE_x) ctp_procfs_read_thread reads; all after
	 * ctx_init. Affinity without the live syscall (a fixture tree) reads status for its list. */
	uint32_t plan;
	/* first open in this capture that failed for want of fds (ctp_errno_fd_limit): its errno
	 * and file name ("" for the task dir); each capture resets fd_errno and fails on it */
	int fd_errno;
	const char *fd_file;
};
void ctp_procfs_ctx_init(struct ctp_procfs_ctx *x, const char *proc_root);
void ctp_procfs_ctx_release(struct ctp_procfs_ctx *x);

/* reads cgroup, stat, schedstat, io, status, sched and affinity of the thread whose task dir is
 * open as taskfd, each only when x->plan holds its source; t->tid and t->tgid must be set. With
 * slots non-NULL each file is read through the kept fd slots[its enum ctp_tally_file] (readfile.h's
 * ctp_read_file_slot), else opened afresh; the kept fd of a file out of the plan is closed (slot
 * -1), so kept fds follow the plan. Read failures go to p. comm/pcomm and smaps_rollup are not
 * read here (ctp_procfs_read_comm, ctp_procfs_read_smaps).
 * stat, status and sched embed the raw thread name, so they are read as bytes (not UTF-8
 * checked): a name can never make them fail. */
void ctp_procfs_read_thread(struct ctp_procfs_ctx *x, int taskfd, int *slots, struct ctp_thread *t,
			    struct ctp_pending *p);
/* reads the thread's comm (through the kept fd *slot when slot is non-NULL) into *comm with
 * ctp_comm_dup; on failure *comm is untouched and the error is noted (ctp_procfs_note_error) */
void ctp_procfs_read_comm(struct ctp_procfs_ctx *x, int taskfd, int *slot, char **comm, struct ctp_pending *p);
/* reads smaps_rollup (the process's: call it for the leader) into t->smaps_rollup_kib whatever
 * the plan, through the kept fd slots[CTP_TF_SMAPS_ROLLUP] when slots is non-NULL; a failure
 * goes to p */
void ctp_procfs_read_smaps(struct ctp_procfs_ctx *x, int taskfd, int *slots, struct ctp_thread *t,
			   struct ctp_pending *p);
/* records why an open or read of a thread's file failed with errno e: ENOENT/ESRCH on the task
 * dir (name ""), its comm or its stat marks p->vanished; EMFILE/ENFILE goes to x->fd_errno and
 * x->fd_file (the first one). name must outlive the capture (a literal). */
void ctp_procfs_note_error(struct ctp_procfs_ctx *x, struct ctp_pending *p, const char *name, int e);

/* sched_getaffinity(tid) with a mask growing from 8192 to 262144 bits; false = none */
bool ctp_procfs_affinity(struct ctp_procfs_ctx *x, uint32_t tid, struct ctp_cpuset *out);

#endif
