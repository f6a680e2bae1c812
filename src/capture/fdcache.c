/* fdcache.c — the tid-keyed map (base/tidmap) of kept per-thread fds and its fd budget: the
 * first threads met hold entries while they live; the sweep at the end of a capture closes the
 * entries of threads it did not meet (fdcache.h says why this is not an LRU). */
#include "capture/fdcache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/util.h"
#include "snapshot/registry.h"

void ctp_thread_fds_init(struct ctp_thread_fds *f)
{
	f->dir = -1;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(f->fd); i++)
		f->fd[i] = -1;
}

void ctp_thread_fds_close(struct ctp_thread_fds *f)
{
	if (f->dir >= 0)
		close(f->dir);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(f->fd); i++)
		if (f->fd[i] >= 0)
			close(f->fd[i]);
	ctp_thread_fds_init(f);
}

int ctp_thread_fds_count(const struct ctp_thread_fds *f)
{
	int n = f->dir >= 0;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(f->fd); i++)
		n += f->fd[i] >= 0;
	return n;
}

void ctp_fdcache_set_cap(struct ctp_fdcache *fc, long max_kept_fds)
{
	if (max_kept_fds < 0)
		fc->cap = 0;
	else if (max_kept_fds == 0)
		fc->cap = CTP_FDCACHE_CAP_DEFAULT;
	else
		fc->cap = max_kept_fds < CTP_FDCACHE_CAP_MAX ? (size_t)max_kept_fds : CTP_FDCACHE_CAP_MAX;
}

void ctp_fdcache_size(struct ctp_fdcache *fc)
{
	struct rlimit rl;
	fc->budget = 0;
	if (!fc->cap || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= CTP_FDCACHE_RESERVE)
		return;
	rlim_t room = rl.rlim_cur == RLIM_INFINITY ? (rlim_t)fc->cap : rl.rlim_cur - CTP_FDCACHE_RESERVE;
	fc->budget = room < (rlim_t)fc->cap ? (size_t)room : fc->cap;
}

void ctp_fdcache_init(struct ctp_fdcache *fc)
{
	memset(fc, 0, sizeof(*fc));
	ctp_tidmap_init(&fc->map, sizeof(struct ctp_fdcache_entry));
	fc->cap = CTP_FDCACHE_CAP_DEFAULT;
}

/* fds one entry opens under plan: its task dir, comm and each planned tallied file */
static size_t plan_width(uint32_t plan)
{
	size_t w = 1 + !!(plan & (1u << CTP_SOURCE_COMM));
	for (int f = 0; f < CTP_TF_COUNT; f++)
		w += !!(plan & ctp_tally_source((enum ctp_tally_file)f));
	return w;
}

/* what e may hold by the end of this capture: its fds now, or the width once it is read */
static size_t entry_bound(const struct ctp_fdcache *fc, const struct ctp_fdcache_entry *e)
{
	return e->held > fc->width ? e->held : fc->width;
}

/* eviction filter of ctp_fdcache_begin: keeps entries while their bounds fit the budget */
static bool fits(void *entry, void *cache)
{
	struct ctp_fdcache *fc = cache;
	struct ctp_fdcache_entry *e = entry;
	size_t b = entry_bound(fc, e);
	if (fc->reserved + b <= fc->budget) {
		fc->reserved += b;
		return true;
	}
	ctp_fdcache_drop(fc, e);
	return false;
}

void ctp_fdcache_begin(struct ctp_fdcache *fc, uint32_t plan)
{
	fc->gen++;
	fc->width = plan_width(plan);
	fc->reserved = 0;
	for (size_t i = 0; i < fc->map.cap; i++) {
		const struct ctp_fdcache_entry *e = ctp_tidmap_at(&fc->map, i);
		if (e->tid)
			fc->reserved += entry_bound(fc, e);
	}
	if (fc->reserved > fc->budget) { /* a wider plan: keep what fits */
		fc->reserved = 0;
		ctp_tidmap_rebuild(&fc->map, fc->map.cap, fits, fc);
	}
}

void ctp_fdcache_drop(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e)
{
	ctp_thread_fds_close(&e->f);
	fc->nfds -= e->held;
	e->held = 0;
}

void ctp_fdcache_recount(struct ctp_fdcache *fc, struct ctp_fdcache_entry *e)
{
	size_t now = (size_t)ctp_thread_fds_count(&e->f);
	fc->nfds = fc->nfds + now - e->held;
	e->held = now;
}

/* sweep filter: the entries seen in the current capture stay, the others are closed. Only the
 * sweep uses it: growing the map mid-capture keeps every entry (those not met yet this capture
 * may still be) */
static bool current(void *entry, void *cache)
{
	struct ctp_fdcache *fc = cache;
	struct ctp_fdcache_entry *e = entry;
	if (e->gen == fc->gen)
		return true;
	ctp_fdcache_drop(fc, e);
	return false;
}

struct ctp_fdcache_entry *ctp_fdcache_get(struct ctp_fdcache *fc, uint32_t tgid, uint32_t tid)
{
	if (!fc->budget)
		return NULL;
	struct ctp_fdcache_entry *e = ctp_tidmap_find(&fc->map, tid);
	if (e) {
		if (e->tgid != tgid) {
			ctp_fdcache_drop(fc, e);
			e->tgid = tgid;
			e->known = false;
		}
		e->gen = fc->gen;
		return e;
	}
	/* reserved bounds what the entries hold by the end of the capture: nfds <= budget */
	if (fc->reserved + fc->width > fc->budget)
		return NULL;
	fc->reserved += fc->width;
	struct ctp_fdcache_entry ne = { .tid = tid, .tgid = tgid, .gen = fc->gen };
	ctp_thread_fds_init(&ne.f);
	return ctp_tidmap_add(&fc->map, &ne, 64, NULL, NULL);
}

void ctp_fdcache_sweep(struct ctp_fdcache *fc, bool all)
{
	size_t live = 0;
	if (all)
		fc->gen++; /* no entry is current: all are closed */
	for (size_t i = 0; i < fc->map.cap; i++) {
		const struct ctp_fdcache_entry *e = ctp_tidmap_at(&fc->map, i);
		live += e->tid && e->gen == fc->gen;
	}
	if (live != fc->map.n)
		ctp_tidmap_rebuild(&fc->map, fc->map.cap, current, fc);
}

void ctp_fdcache_free(struct ctp_fdcache *fc)
{
	ctp_fdcache_sweep(fc, true);
	ctp_tidmap_release(&fc->map);
	fc->nfds = fc->budget = 0;
}
