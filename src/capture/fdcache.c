/* fdcache.c — the tid-keyed map of kept per-thread fds and its fd budget: entries seen in the
 * current capture stay, the others are closed when the map is rebuilt at the end of it. */
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

void ctp_fdcache_begin(struct ctp_fdcache *fc)
{
	fc->gen++;
}

static size_t slot_of(const struct ctp_fdcache *fc, uint32_t tid)
{
	return (size_t)(tid * 2654435761u) & (fc->cap - 1);
}

/* puts the entry (tid not present) into a free slot of fc->v; returns it */
static struct ctp_fdcache_entry *place(struct ctp_fdcache *fc, const struct ctp_fdcache_entry *e)
{
	size_t i = slot_of(fc, e->tid);
	while (fc->v[i].tid)
		i = (i + 1) & (fc->cap - 1);
	fc->v[i] = *e;
	return &fc->v[i];
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

/* rebuilds the table with cap slots, keeping the entries seen in the current capture and
 * closing the others */
static void rebuild(struct ctp_fdcache *fc, size_t cap)
{
	struct ctp_fdcache_entry *old = fc->v;
	size_t oldcap = fc->cap;
	fc->v = ctp_xcalloc(cap, sizeof(*fc->v));
	fc->cap = cap;
	fc->n = 0;
	for (size_t i = 0; i < oldcap; i++) {
		struct ctp_fdcache_entry *e = &old[i];
		if (!e->tid)
			continue;
		if (e->gen != fc->gen) {
			ctp_fdcache_drop(fc, e);
			continue;
		}
		place(fc, e);
		fc->n++;
	}
	free(old);
}

struct ctp_fdcache_entry *ctp_fdcache_get(struct ctp_fdcache *fc, uint32_t tgid, uint32_t tid)
{
	if (!fc->budget)
		return NULL;
	for (size_t i = fc->cap ? slot_of(fc, tid) : 0; fc->cap && fc->v[i].tid; i = (i + 1) & (fc->cap - 1)) {
		struct ctp_fdcache_entry *e = &fc->v[i];
		if (e->tid != tid)
			continue;
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
	if ((fc->n + 1) * 2 > fc->cap)
		rebuild(fc, fc->cap ? fc->cap * 2 : 1024);
	struct ctp_fdcache_entry ne = { .tid = tid, .tgid = tgid, .gen = fc->gen };
	ctp_thread_fds_init(&ne.f);
	fc->n++;
	return place(fc, &ne);
}

void ctp_fdcache_sweep(struct ctp_fdcache *fc, bool all)
{
	size_t live = 0;
	if (all)
		fc->gen++; /* no entry is current: all are closed */
	for (size_t i = 0; i < fc->cap; i++)
		live += fc->v[i].tid && fc->v[i].gen == fc->gen;
	if (live != fc->n)
		rebuild(fc, fc->cap);
}

void ctp_fdcache_free(struct ctp_fdcache *fc)
{
	ctp_fdcache_sweep(fc, true);
	free(fc->v);
	memset(fc, 0, sizeof(*fc));
}
