/* capture.h — one capture of every thread on the host (or one process): enumerate tgids and
 * tids, read each per-thread source, ghost-filter, and fill the summaries, cgroup stats, PSI,
 * sched_ext and host context. A ctp_capture context persists across samples (live loop). */
#ifndef CTP_CAPTURE_H
#define CTP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snapshot/model.h"
#include "base/util.h"

struct ctp_capture_opts {
	const char *proc_root;   /* default "/proc" */
	const char *sys_root;    /* default "/sys" */
	const char *cgroup_root; /* default: cgroup2 mount from mountinfo */
	pid_t pid;               /* 0: every process; else that tgid only */
	const uint32_t *pids;    /* with npids > 0: only these tgids (copied by ctp_capture_new) */
	size_t npids;
	bool no_probe;           /* skip the jemalloc probe */
	bool no_taskstats;       /* skip taskstats queries */
	bool no_host;            /* host = null (synthetic/test mode) */
	long max_kept_fds;       /* cap on the live loop's kept fds (fdcache.h): 0 = default 1,024, < 0 = none */
	bool exits;              /* listen for taskstats exit records (exits.h): snapshot.exits */
	bool wchan;              /* read the wait channels of S/D threads (wchan.h): snapshot.wchan */
};

/* which sources worked in the last capture, for the UI's one-line hints */
struct ctp_capture_status {
	bool procfs_io;     /* /proc/TID/io readable (needs root / same user) */
	bool schedstats;    /* /proc/TID/sched present (CONFIG_SCHED_DEBUG) */
	bool taskstats;     /* netlink family resolved and queries allowed */
	int taskstats_errno;
	bool delayacct;     /* task_delayacct on */
	bool probe;         /* jemalloc probe enabled */
	bool cgroup_v2;     /* cgroup2 mount found */
	bool psi;           /* /proc/pressure readable */
	bool sched_ext;     /* /sys/kernel/sched_ext present */
	bool exits;         /* the exit listener runs (capture opts.exits) */
	int exits_errno;    /* why it does not, when asked */
};

struct ctp_capture;
struct ctp_capture *ctp_capture_new(const struct ctp_capture_opts *opts);
void ctp_capture_free(struct ctp_capture *c);
/* the refresh plan (issue 14): a mask of 1u << CTP_SOURCE_x (snapshot/registry.h) the next
 * captures read; CTP_PLAN_FULL (the default) reads everything. A capture records what it read in
 * snapshot.sources_read; metrics of sources it did not read are "not measured" ('-'). */
#define CTP_PLAN_FULL 0xffffffffu
/* A partial plan reads only the per-thread files, taskstats, affinity and probe of its sources
 * (the process names always; cgroup stats only with CGROUP), and the summaries name no failure
 * of what it did not read. smaps_rollup takes the target's mmap lock: a partial plan re-reads it
 * at most every CTP_SMAPS_REFRESH_NS (N = 10 s) per process (the leader's start time keyed) and
 * gives the kept value in between; a full plan (every save, -o, record) reads everything fresh. */
#define CTP_SMAPS_REFRESH_NS (10 * 1000000000ULL)
/* Cheapest sources first (issue 14 items 2, 3; snapshot/tscover.h): a partial plan's
 * CTP_PLAN_LIGHT(x) bits ask only for source x's light fields. When taskstats answers (root or
 * CAP_NET_ADMIN) it serves the counters it carries (comm, minflt/majflt, the csw counts, and
 * schedstat's run/wait/timeslices while delay accounting is on); the slow facts (start time,
 * policy, nice, priority, rt_priority, cgroup path, affinity) are read when a thread is first
 * seen (or its tid names another thread: another start) and every CTP_SLOW_FACTS_EVERY-th refresh
 * after (the first re-read comes sooner by tid % 10 refreshes, so threads seen together are not
 * re-read together), else copied from a per-thread cache. A file is read only for what neither
 * serves. */
#define CTP_SLOW_FACTS_EVERY 10
void ctp_capture_set_plan(struct ctp_capture *c, uint32_t sources);
/* takes a snapshot; caller frees *out with ctp_snapshot_free. Returns 0 or -1 (err filled) */
int ctp_capture_run(struct ctp_capture *c, struct ctp_snapshot **out, struct ctp_err *err);
const struct ctp_capture_status *ctp_capture_status(const struct ctp_capture *c);

/* the snapshot's probe summary from the jemalloc probe's counters (probe/probe.h): the counts,
 * the dominant failure (the most frequent tag that is not routine, ties by name; a fresh string
 * or NULL) and whether ptrace refusals make up at least half of the failures */
struct ctp_probe_counts;
void ctp_capture_probe_summary(const struct ctp_probe_counts *k, struct ctp_probe_summary *out);

#endif
