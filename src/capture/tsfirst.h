/* tsfirst.h — a partial refresh's cheapest sources first (issue 14 items 2, 3): which procfs
 * files a thread still needs once taskstats serves the light counters it carries and a per-thread
 * cache serves the slow facts (snapshot/tscover.h), and the filling of both into the thread. */
#ifndef CTP_TSFIRST_H
#define CTP_TSFIRST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/tidmap.h"
#include "capture/taskstats.h"
#include "snapshot/model.h"

/* the slow facts of the threads seen (tid-keyed), across the captures of one context */
struct ctp_tsfirst {
	struct ctp_tidmap slow;
	uint32_t gen; /* capture count: an entry not met by the last capture goes */
};

/* one thread's decision for this capture */
struct ctp_tsfirst_thread {
	uint32_t files;   /* the plan the thread's procfs reads follow (low source bits only) */
	uint32_t covered; /* sources whose light fields taskstats serves (ctp_taskstats_covers) */
	bool due;         /* slow facts read now: first seen, another thread under the tid, or every
			   * CTP_SLOW_FACTS_EVERY-th refresh */
	bool fresh;       /* first seen (or another thread): its next re-read is spread by tid */
};

void ctp_tsfirst_init(struct ctp_tsfirst *f);
void ctp_tsfirst_release(struct ctp_tsfirst *f);
/* start of a capture */
void ctp_tsfirst_begin(struct ctp_tsfirst *f);
/* the files plan for thread tid of tgid under plan (a partial one, CTP_PLAN_LIGHT bits) given its
 * taskstats reply r (NULL: none); force_due re-reads its slow facts whatever the cache says */
void ctp_tsfirst_plan(struct ctp_tsfirst *f, uint32_t plan, uint32_t tgid, uint32_t tid,
		      const struct ctp_taskstats_result *r, const struct ctp_acct_flags *flags, bool force_due,
		      struct ctp_tsfirst_thread *d);
/* after the thread's files were read into t: the taskstats fields of the covered sources whose
 * file was not read, and the slow facts from the cache (or into it, when read). Returns false
 * when stat was read and names another start than the cache: the caller reads the thread again
 * with force_due (another thread under the tid). */
bool ctp_tsfirst_fill(struct ctp_tsfirst *f, uint32_t plan, struct ctp_thread *t, const struct ctp_tsfirst_thread *d,
		      const struct ctp_taskstats_result *r);
/* the light plan bits (CTP_PLAN_LIGHT) of the sources taskstats may serve */
uint32_t ctp_tsfirst_ts_light(void);
/* the files a capture under plan reads every refresh, which kept fds serve: a partial plan's
 * light files only when taskstats cannot serve them (ts false); else a slow fact's file or a
 * fallback's is opened afresh when needed */
uint32_t ctp_tsfirst_kept(uint32_t plan, bool ts);
/* a partial plan's taskstats for one process's tids, asked before its threads are read so that
 * their files are read only for what the replies lack; once every query of a process was refused
 * (*refused set), no more asking: the results read EPERM */
void ctp_tsfirst_query(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res,
		       bool *refused);
/* true when tgid was a kernel thread when last met (this capture or the one before, by its
 * taskstats reply): its process has that one thread, so its task dir need not be listed */
bool ctp_tsfirst_kthread(const struct ctp_tsfirst *f, uint32_t tgid);
/* a kernel thread's process name as last read (NULL: none kept, or its slow facts are due: read
 * it); set_kname keeps one read from /proc/PID/comm (never a kworker's, which changes with its
 * work) */
const char *ctp_tsfirst_kname(const struct ctp_tsfirst *f, uint32_t tgid);
void ctp_tsfirst_set_kname(struct ctp_tsfirst *f, uint32_t tgid, const char *name);
/* end of a capture: drops the entries of threads it did not see */
void ctp_tsfirst_sweep(struct ctp_tsfirst *f);

#endif
