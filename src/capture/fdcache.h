/* fdcache.h — the live loop's per-thread fds: each thread's task dir and files kept open across
 * captures in a tid-keyed map, re-read through readfile.h's slots, under a budget of fds: the
 * cap (config key max_kept_fds, --max-kept-fds; default 1,024, 0 = none) and the soft
 * RLIMIT_NOFILE minus a reserve, which is never raised. An entry remembers (tgid, start_time)
 * so a reused tid starts afresh.
 *
 * Policy: first come, kept while alive. The threads met first (enumeration order) get entries
 * until the budget is full; an entry is dropped only when its thread was not met in a capture
 * (the sweep at the end of it: the thread left) or its tid now names another thread. An LRU
 * would be wrong here: every thread is read every refresh, so the least recently used entry is
 * always the one needed next, and each refresh would close and reopen every fd above the cap.
 * The budget is counted per entry: each may hold the task dir, comm and the files of the
 * capture's plan (its width), or what it still holds from a wider plan until it is read again;
 * so the fds held never exceed the budget, even while the plan changes (a plan that grows
 * evicts entries, in table order, at the start of the capture). Threads beyond it are read by open/read/close. */
#ifndef CTP_FDCACHE_H
#define CTP_FDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/tidmap.h"
#include "capture/procfs.h"

/* one thread's kept fds (-1: not open): its task dir, then one slot per tallied file (enum
 * ctp_tally_file order, as ctp_procfs_read_thread_slots takes them) and the comm file */
#define CTP_TFD_COMM CTP_TF_COUNT
#define CTP_TFD_MAX (CTP_TF_COUNT + 2) /* most fds one thread can hold: files + comm + dir */
struct ctp_thread_fds {
	int dir;
	int fd[CTP_TF_COUNT + 1];
};
void ctp_thread_fds_init(struct ctp_thread_fds *f);
void ctp_thread_fds_close(struct ctp_thread_fds *f);
int ctp_thread_fds_count(const struct ctp_thread_fds *f);

struct ctp_fdcache_entry {
	uint32_t tid; /* first: the tidmap key (0: free slot) */
	uint32_t tgid;
	uint32_t gen; /* capture that last saw the tid */
	bool known;   /* start_time was read through these fds */
	uint64_t start_time;
	size_t held; /* fds of f counted in the cache's total (ctp_fdcache_recount) */
	struct ctp_thread_fds f;
};

#define CTP_FDCACHE_CAP_DEFAULT 1024 /* kept fds when the user sets no max_kept_fds */
#define CTP_FDCACHE_CAP_MAX 1048576  /* largest max_kept_fds accepted */
#define CTP_FDCACHE_RESERVE 256      /* fds below the soft RLIMIT_NOFILE left for everything else */

/* tid -> kept fds; ctp_fdcache_init makes it empty, with no budget and the default cap */
struct ctp_fdcache {
	struct ctp_tidmap map; /* of struct ctp_fdcache_entry */
	size_t nfds, budget;   /* fds held; most to hold (ctp_fdcache_size) */
	size_t cap;            /* most kept fds the user allows (ctp_fdcache_set_cap) */
	size_t width;          /* most fds one entry opens under this capture's plan */
	size_t reserved;       /* bound on the fds the entries may hold by the end of this capture */
	uint32_t gen;
};
void ctp_fdcache_init(struct ctp_fdcache *fc);

/* the user's cap as struct ctp_capture_opts.max_kept_fds gives it: 0 = the default
 * (CTP_FDCACHE_CAP_DEFAULT), < 0 = keep no fds, else that many (at most CTP_FDCACHE_CAP_MAX) */
void ctp_fdcache_set_cap(struct ctp_fdcache *fc, long max_kept_fds);
/* sizes the budget: min(cap, soft RLIMIT_NOFILE - CTP_FDCACHE_RESERVE), 0 when the limit leaves
 * no more than the reserve. The limit is only read, never raised. */
void ctp_fdcache_size(struct ctp_fdcache *fc);
/* start of a capture reading plan (1u << CTP_SOURCE_x): sizes the entries' width from it and
 * evicts entries while they could outgrow the budget; the entries ctp_fdcache_get does not hand
 * out again are closed at the sweep */
void ctp_fdcache_begin(struct ctp_fdcache *fc, uint32_t plan);
/* the entry of tid for this capture (emptied first when it held another tgid's thread), or NULL
 * when the budget cannot hold one more entry (entries of threads gone since the last capture
 * still count until its sweep) */
struct ctp_fdcache_entry *ctp_fdcache_get(struct ctp_fdcache *fc, uint32_t tgid, uint32_t tid);
/* after fds of e were opened or closed: brings the cache's total up to date */
void ctp_fdcache_recount(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e);
/* closes every fd of e (the entry stays, empty) */
void ctp_fdcache_drop(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e);
/* end of a capture: closes the fds of threads it did not get; all = true closes every fd */
void ctp_fdcache_sweep(struct ctp_fdcache *fc, bool all);
void ctp_fdcache_free(struct ctp_fdcache *fc);

#endif
