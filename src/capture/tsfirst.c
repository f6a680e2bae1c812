/* tsfirst.c — a partial refresh's cheapest sources first (issue 14 items 2, 3): taskstats serves
 * the light counters it carries (snapshot/tscover.h), a tid-keyed cache serves the slow facts
 * (start time, policy, nice, priorities, cgroup path, affinity) read when a thread is first seen
 * and every CTP_SLOW_FACTS_EVERY-th refresh; a procfs file is read only for what neither serves. */
#include "capture/tsfirst.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "snapshot/registry.h"
#include "snapshot/tscover.h"

#define SRC(x) (1u << CTP_SOURCE_##x)
#define LOW_MASK ((1u << CTP_PLAN_LIGHT_SHIFT) - 1)
/* a start taken from ac_etime moves by the query's timing only: another start is another thread */
#define START_SLACK_NS (50 * 1000000ULL)
/* the slow facts' sources: the files (or syscall) that give them */
#define SLOW_SOURCES (SRC(STAT) | SRC(CGROUP) | SRC(AFFINITY))

struct slow_entry {
	uint32_t tid; /* first: the tidmap key */
	uint32_t tgid;
	uint32_t gen;      /* capture that last met the thread */
	uint32_t read_gen; /* capture that last re-read every slow fact */
	uint32_t valid;    /* SLOW_SOURCES whose facts are held */
	bool kthread;      /* a kernel thread leading its process (its only thread) */
	char *kname;       /* kthread: its process name, re-read with the slow facts (not kworkers) */
	uint64_t start_ticks, start_mono_ns;
	int32_t nice, priority;
	uint32_t rt_priority;
	char *policy, *cgroup;
	struct ctp_cpuset affinity;
};

static uint32_t ts_sources(void)
{
	uint32_t s = 0;
#define TS_SRC(field, member, when) s |= 1u << ctp_fields[CTP_F_##field].source;
	CTP_TS_COVER_LIST(TS_SRC)
#undef TS_SRC
	return s;
}

static void entry_clear(struct slow_entry *e)
{
	free(e->policy);
	free(e->cgroup);
	ctp_cpuset_release(&e->affinity);
	e->policy = e->cgroup = NULL;
	e->valid = 0;
	e->start_mono_ns = 0;
	e->kthread = false;
	free(e->kname);
	e->kname = NULL;
}

static bool keep_current(void *entry, void *arg)
{
	struct slow_entry *e = entry;
	const uint32_t *gen = arg;
	if (gen && e->gen == *gen)
		return true;
	entry_clear(e);
	return false;
}

void ctp_tsfirst_init(struct ctp_tsfirst *f)
{
	memset(f, 0, sizeof(*f));
	ctp_tidmap_init(&f->slow, sizeof(struct slow_entry));
}

void ctp_tsfirst_release(struct ctp_tsfirst *f)
{
	ctp_tidmap_rebuild(&f->slow, f->slow.cap, keep_current, NULL);
	ctp_tidmap_release(&f->slow);
}

void ctp_tsfirst_begin(struct ctp_tsfirst *f)
{
	f->gen++;
}

void ctp_tsfirst_sweep(struct ctp_tsfirst *f)
{
	if (f->slow.n)
		ctp_tidmap_rebuild(&f->slow, f->slow.cap, keep_current, &f->gen);
}

/* the entry of tid, made afresh when absent or when it holds another thread */
static struct slow_entry *entry_of(struct ctp_tsfirst *f, uint32_t tgid, uint32_t tid,
				   const struct ctp_taskstats_result *r, bool *fresh)
{
	struct slow_entry *e = ctp_tidmap_find(&f->slow, tid);
	*fresh = false;
	if (!e) {
		struct slow_entry ne = { .tid = tid };
		e = ctp_tidmap_add(&f->slow, &ne, 64, NULL, NULL); /* growing keeps every entry */
		*fresh = true;
	} else if (e->tgid != tgid ||
		   (r && r->err == 0 && e->start_mono_ns && r->start_mono_ns &&
		    (r->start_mono_ns > e->start_mono_ns ? r->start_mono_ns - e->start_mono_ns
							 : e->start_mono_ns - r->start_mono_ns) > START_SLACK_NS)) {
		entry_clear(e);
		*fresh = true;
	}
	e->tgid = tgid;
	return e;
}

void ctp_tsfirst_plan(struct ctp_tsfirst *f, uint32_t plan, uint32_t tgid, uint32_t tid,
		      const struct ctp_taskstats_result *r, const struct ctp_acct_flags *flags, bool force_due,
		      struct ctp_tsfirst_thread *d)
{
	bool fresh;
	struct slow_entry *e = entry_of(f, tgid, tid, r, &fresh);
	if (force_due)
		entry_clear(e);
	if (r && r->err == 0)
		e->kthread = tid == tgid && (r->ppid == 2 || tid == 2);
	d->fresh = fresh || force_due;
	d->due = d->fresh || f->gen - e->read_gen >= CTP_SLOW_FACTS_EVERY;
	d->covered = ctp_taskstats_covers(r, tid, flags);
	uint32_t low = plan & LOW_MASK, light = (plan >> CTP_PLAN_LIGHT_SHIFT) & LOW_MASK & ~low;
	uint32_t files = low;
	files |= light & ts_sources() & ~d->covered;
	uint32_t slow = light & SLOW_SOURCES;
	files |= d->due ? slow : slow & ~e->valid;
	d->files = files;
	e->gen = f->gen;
}

/* the slow facts of the sources in `src` from t into e */
static void store(struct slow_entry *e, const struct ctp_thread *t, uint32_t src)
{
	if (src & SRC(STAT)) {
		e->start_ticks = t->start_time_clock_ticks;
		e->nice = t->nice;
		e->priority = t->priority;
		e->rt_priority = t->rt_priority;
		free(e->policy);
		e->policy = t->policy ? ctp_xstrdup(t->policy) : NULL;
	}
	if (src & SRC(CGROUP)) {
		free(e->cgroup);
		e->cgroup = t->cgroup ? ctp_xstrdup(t->cgroup) : NULL;
	}
	if (src & SRC(AFFINITY))
		ctp_cpuset_set(&e->affinity, t->cpu_affinity.cpus, t->cpu_affinity.n);
	e->valid |= src;
}

/* the slow facts of the sources in `src` from e into t */
static void load(const struct slow_entry *e, struct ctp_thread *t, uint32_t src)
{
	if (src & SRC(STAT)) {
		t->start_time_clock_ticks = e->start_ticks;
		t->nice = e->nice;
		t->priority = e->priority;
		t->rt_priority = e->rt_priority;
		free(t->policy);
		t->policy = e->policy ? ctp_xstrdup(e->policy) : NULL;
	}
	if ((src & SRC(CGROUP)) && e->cgroup) {
		free(t->cgroup);
		t->cgroup = ctp_xstrdup(e->cgroup);
	}
	if (src & SRC(AFFINITY))
		ctp_cpuset_set(&t->cpu_affinity, e->affinity.cpus, e->affinity.n);
}

bool ctp_tsfirst_fill(struct ctp_tsfirst *f, uint32_t plan, struct ctp_thread *t, const struct ctp_tsfirst_thread *d,
		      const struct ctp_taskstats_result *r)
{
	struct slow_entry *e = ctp_tidmap_find(&f->slow, t->tid);
	if (!e)
		return true;
	uint32_t read = d->files & SLOW_SOURCES;
	if ((read & SRC(STAT)) && (e->valid & SRC(STAT)) && !d->due && t->start_time_clock_ticks != e->start_ticks)
		return false; /* another thread under this tid */
	uint32_t light = (plan >> CTP_PLAN_LIGHT_SHIFT) & LOW_MASK;
	ctp_taskstats_apply_cover(t, r, d->covered & light & ~d->files);
	if (d->due) { /* threads first seen together are re-read on different refreshes */
		e->valid = 0;
		e->read_gen = f->gen - (d->fresh ? t->tid % CTP_SLOW_FACTS_EVERY : 0);
	}
	store(e, t, read);
	load(e, t, light & SLOW_SOURCES & ~read & e->valid);
	if (r && r->err == 0 && r->start_mono_ns)
		e->start_mono_ns = r->start_mono_ns;
	return true;
}

uint32_t ctp_tsfirst_ts_light(void)
{
	uint32_t s = 0;
#define TS_LIGHT(field, member, when) s |= CTP_PLAN_LIGHT(ctp_fields[CTP_F_##field].source);
	CTP_TS_COVER_LIST(TS_LIGHT)
#undef TS_LIGHT
	return s;
}

uint32_t ctp_tsfirst_kept(uint32_t plan, bool ts)
{
	if (plan == CTP_PLAN_FULL)
		return plan;
	uint32_t low = plan & LOW_MASK;
	return ts ? low : low | ((plan & ctp_tsfirst_ts_light()) >> CTP_PLAN_LIGHT_SHIFT);
}

void ctp_tsfirst_query(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res,
		       bool *refused)
{
	if (*refused) {
		memset(res, 0, n * sizeof(*res));
		for (size_t i = 0; i < n; i++)
			res[i].err = EPERM;
		return;
	}
	ctp_taskstats_query(ts, tids, n, res);
	size_t eperm = 0;
	for (size_t i = 0; i < n; i++)
		eperm += res[i].err == EPERM;
	*refused = n && eperm == n;
}

bool ctp_tsfirst_kthread(const struct ctp_tsfirst *f, uint32_t tgid)
{
	const struct slow_entry *e = ctp_tidmap_find(&f->slow, tgid);
	return e && e->kthread && e->tgid == tgid && e->gen + 1 >= f->gen;
}

/* a kworker's name says which work it runs last: never kept */
static bool fixed_name(const char *name)
{
	return strncmp(name, "kworker", 7) != 0;
}

const char *ctp_tsfirst_kname(const struct ctp_tsfirst *f, uint32_t tgid)
{
	const struct slow_entry *e = ctp_tidmap_find(&f->slow, tgid);
	if (!e || !e->kthread || !e->kname || e->tgid != tgid || f->gen - e->read_gen >= CTP_SLOW_FACTS_EVERY)
		return NULL;
	return e->kname;
}

void ctp_tsfirst_set_kname(struct ctp_tsfirst *f, uint32_t tgid, const char *name)
{
	struct slow_entry *e = ctp_tidmap_find(&f->slow, tgid);
	if (!e || !e->kthread || e->tgid != tgid || !name[0] || !fixed_name(name))
		return;
	free(e->kname);
	e->kname = ctp_xstrdup(name);
}
