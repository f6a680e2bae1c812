/* fdcache.h — the live loop's per-thread fds: each thread's task dir and files kept open across
 * captures in a tid-keyed map, re-read through readfile.h's slots, under a budget of fds sized
 * from RLIMIT_NOFILE. An entry remembers (tgid, start_time) so a reused tid starts afresh. */
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

/* tid -> kept fds; ctp_fdcache_init makes it empty, with no budget */
struct ctp_fdcache {
	struct ctp_tidmap map; /* of struct ctp_fdcache_entry */
	size_t nfds, budget;   /* fds held; most to hold */
	uint32_t gen;
};
void ctp_fdcache_init(struct ctp_fdcache *fc);

/* raises the soft RLIMIT_NOFILE toward the hard limit (best effort) and sizes the budget from it */
void ctp_fdcache_size(struct ctp_fdcache *fc);
/* start of a capture: the entries ctp_fdcache_get does not hand out again are closed at the sweep */
void ctp_fdcache_begin(struct ctp_fdcache *fc);
/* the entry of tid for this capture (emptied first when it held another tgid's thread), or NULL
 * when the budget cannot hold one more thread */
struct ctp_fdcache_entry *ctp_fdcache_get(struct ctp_fdcache *fc, uint32_t tgid, uint32_t tid);
/* after fds of e were opened or closed: brings the cache's total up to date */
void ctp_fdcache_recount(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e);
/* closes every fd of e (the entry stays, empty) */
void ctp_fdcache_drop(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e);
/* end of a capture: closes the fds of threads it did not get; all = true closes every fd */
void ctp_fdcache_sweep(struct ctp_fdcache *fc, bool all);
void ctp_fdcache_free(struct ctp_fdcache *fc);

#endif
