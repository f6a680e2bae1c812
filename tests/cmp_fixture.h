/* cmp_fixture.h — helpers for the compare tests: hand-built threads in a snapshot (model.h API)
 * and row/cell lookups by group key and metric name. Header-only, static functions. */
#ifndef CTP_CMP_FIXTURE_H
#define CTP_CMP_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"

static inline void fx_setstr(char **p, const char *v)
{
	free(*p);
	*p = ctp_xstrdup(v);
}

/* a thread with identity set, SCHED_OTHER, state S, nice 0, affinity {0,1} */
static inline struct ctp_thread *fx_thread(struct ctp_snapshot *s, uint32_t tid, uint32_t tgid, const char *pcomm,
					   const char *comm, const char *cgroup)
{
	struct ctp_thread *t = ctp_snapshot_add_thread(s);
	static const uint32_t cpus[2] = { 0, 1 };
	t->tid = tid;
	t->tgid = tgid;
	fx_setstr(&t->pcomm, pcomm);
	fx_setstr(&t->comm, comm);
	fx_setstr(&t->cgroup, cgroup);
	fx_setstr(&t->policy, "SCHED_OTHER");
	t->state = 'S';
	t->start_time_clock_ticks = 1000 + tid;
	ctp_cpuset_set(&t->cpu_affinity, cpus, 2);
	return t;
}

static inline const struct ctp_row *fx_row(const struct ctp_table *t, const char *key)
{
	return ctp_table_find(t, key, strlen(key));
}

static inline const struct ctp_cell *fx_cell(const struct ctp_row *r, const char *metric)
{
	int m = ctp_cmetric_find(metric);
	return r && m >= 0 ? &r->cells[m] : NULL;
}

static inline const char *fx_val(const struct ctp_row *r, const char *metric, int side)
{
	static char buf[4][CTP_FMT_MAX];
	static int k;
	int m = ctp_cmetric_find(metric);
	if (!r || m < 0)
		return "(no row)";
	k = (k + 1) % 4;
	return ctp_cell_value_text(r, (size_t)m, side, buf[k]);
}

static inline const char *fx_delta(const struct ctp_row *r, const char *metric)
{
	static char buf[4][CTP_FMT_MAX];
	static int k;
	int m = ctp_cmetric_find(metric);
	if (!r || m < 0)
		return "(no row)";
	k = (k + 1) % 4;
	return ctp_cell_delta_text(r, (size_t)m, buf[k]);
}

static inline const char *fx_pct(const struct ctp_row *r, const char *metric)
{
	static char buf[4][CTP_FMT_MAX];
	static int k;
	int m = ctp_cmetric_find(metric);
	if (!r || m < 0)
		return "(no row)";
	k = (k + 1) % 4;
	return ctp_cell_pct_text(r, (size_t)m, buf[k]);
}

#endif
