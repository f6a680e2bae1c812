/* taskstats.h — per-thread delay accounting and extended accounting over generic netlink
 * (TASKSTATS family): one socket, pipelined queries, raw errno tally, plus the host-wide
 * delayacct / CONFIG_TASK_XACCT probes that decide which families are "active". */
#ifndef CTP_TASKSTATS_H
#define CTP_TASKSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/model.h"
#include "base/util.h"

/* host-wide accounting state, probed once per capture (snapshot-and-capture.md §3) */
struct ctp_acct_flags {
	enum ctp_delayacct delayacct; /* /proc/sys/kernel/task_delayacct */
	enum ctp_xacct xacct;         /* CONFIG_TASK_XACCT from /boot/config-* or /proc/config.gz */
};
void ctp_acct_flags_read(const char *proc_root, struct ctp_acct_flags *out);
/* same with explicit sources (tests): delayacct from <proc_root>/sys/kernel/task_delayacct;
 * xacct from <boot_dir>/config-<release> (skipped when either is NULL), and when that does not
 * decide, <proc_root>/config.gz. ctp_acct_flags_read uses /boot and uname's release only when
 * proc_root is the live /proc (or NULL). */
void ctp_acct_flags_read_at(const char *proc_root, const char *boot_dir, const char *release,
			    struct ctp_acct_flags *out);

/* one thread's reply; err == 0 on success, else the raw positive errno from NLMSG_ERROR or the
 * socket (EPERM, ESRCH, ...; ETIMEDOUT when no reply came even after one retry), or -1 for a
 * malformed reply / tid mismatch / bare ACK (all classified "other") */
struct ctp_taskstats_result {
	int err;
	uint64_t count[8], total_ns[8], max_ns[8], min_ns[8]; /* cpu blkio swapin freepages thrashing compact wpcopy irq */
	uint64_t hiwater_rss_bytes, hiwater_vm_bytes;
	/* the light fields it carries (snapshot/tscover.h CTP_TS_COVER_LIST order, comm apart) */
	uint64_t cover[8];
	char comm[33];          /* ac_comm, NUL-terminated */
	uint32_t ppid;          /* ac_ppid: 2 (kthreadd) for a kernel thread */
	bool full;              /* the reply reaches nivcsw (struct taskstats v4+) */
	uint64_t start_mono_ns; /* CLOCK_MONOTONIC start: the query's time minus ac_etime */
};

struct ctp_taskstats;
/* NULL when the family cannot be resolved (err says why); caller frees with _close */
struct ctp_taskstats *ctp_taskstats_open(struct ctp_err *err);
void ctp_taskstats_close(struct ctp_taskstats *ts);
/* between uses of a kept handle: the reply buffers' pages (up to 512 KiB) go back to the kernel */
void ctp_taskstats_idle(struct ctp_taskstats *ts);
/* queries n tids, many requests in flight on one socket: batches of up to
 * ctp_taskstats_window() requests go out in one datagram and the replies are matched by sequence
 * number, so pass as many tids per call as you can. fills res[0..n); ts == NULL gives ENOSYS. */
void ctp_taskstats_query(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res);
/* how many requests one batch carries (bounded by the receive buffer, at most 256) */
size_t ctp_taskstats_window(const struct ctp_taskstats *ts);
/* the netlink socket (borrowed; for tests that shrink its receive buffer to force lost replies) */
int ctp_taskstats_fd(const struct ctp_taskstats *ts);
/* parses one netlink reply message (buf holds at least its header) for the request about tid;
 * fills r (err as above) and returns 0 when r->err == 0, else -1. Exposed for tests. */
int ctp_taskstats_parse_reply(const void *buf, size_t len, uint32_t tid, struct ctp_taskstats_result *r);
/* an exit record a listener receives (TASKSTATS_CMD_NEW, capture/exits.c): the thread's final
 * counters as a reply's (r), its tid and tgid (0 before struct taskstats v12), user and system
 * time (µs) and the bytes read and written (extended accounting). 0, or -1 when malformed. */
struct ctp_taskstats_exit {
	uint32_t tid, tgid;
	uint64_t utime_us, stime_us, rchar, wchar;
	struct ctp_taskstats_result r;
};
int ctp_taskstats_parse_exit(const void *buf, size_t len, struct ctp_taskstats_exit *x);
/* writes the 34 fields and the four flags into t when r->err == 0 */
void ctp_taskstats_apply(struct ctp_thread *t, const struct ctp_taskstats_result *r, const struct ctp_acct_flags *flags);
/* the sources (1u << CTP_SOURCE_x) whose light taskstats fields (snapshot/tscover.h) r serves
 * for the thread of tid/tgid: none without a reply; comm not for a kernel thread (its comm file
 * says more); schedstat's three when delay accounting is on or the reply's cpu_count is not 0
 * (a kernel that skips delayacct_add_tsk leaves them 0: the file is read) */
uint32_t ctp_taskstats_covers(const struct ctp_taskstats_result *r, uint32_t tid, const struct ctp_acct_flags *flags);
/* writes the light fields of the sources in `sources` (a subset of ctp_taskstats_covers) into t */
void ctp_taskstats_apply_cover(struct ctp_thread *t, const struct ctp_taskstats_result *r, uint32_t sources);
/* one bump of ok/eperm/esrch/other for a query result */
void ctp_taskstats_tally(struct ctp_taskstats_summary *s, int err);

#endif
