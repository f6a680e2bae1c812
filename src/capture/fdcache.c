/* fdcache.c — the tid-keyed map (base/tidmap) of kept per-thread fds and its fd budget: entries
 * seen in the current capture stay, the others are closed when the map is rebuilt. */
#include "capture/fdcache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/util.h"

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

#define BUDGET_MAX 65536
#define RESERVE 256 /* fds left for everything else */

void ctp_fdcache_size(struct ctp_fdcache *fc)
{
	struct rlimit rl;
	fc->budget = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	rlim_t want = BUDGET_MAX + RESERVE;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit up = { want, rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = want;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= RESERVE)
		return;
	rlim_t b = rl.rlim_cur == RLIM_INFINITY ? BUDGET_MAX : rl.rlim_cur - RESERVE;
	fc->budget = b < BUDGET_MAX ? (size_t)b : BUDGET_MAX;
}

void ctp_fdcache_init(struct ctp_fdcache *fc)
{
	memset(fc, 0, sizeof(*fc));
	ctp_tidmap_init(&fc->map, sizeof(struct ctp_fdcache_entry));
}

void ctp_fdcache_begin(struct ctp_fdcache *fc)
{
	fc->gen++;
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

/* rebuild filter: the entries seen in the current capture stay, the others are closed */
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
	if (fc->nfds + CTP_TFD_MAX > fc->budget)
		return NULL;
	struct ctp_fdcache_entry ne = { .tid = tid, .tgid = tgid, .gen = fc->gen };
	ctp_thread_fds_init(&ne.f);
	return ctp_tidmap_add(&fc->map, &ne, 1024, current, fc);
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
