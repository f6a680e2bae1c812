/* tscover.h — issue 14's "cheapest source first" table: the per-thread fields a partial refresh
 * may serve without reading their procfs file every refresh ("light" fields) — the counters
 * taskstats carries (the very kernel counter the file prints) and the slow facts kept per thread
 * (read when first seen, re-read every CTP_SLOW_FACTS_EVERY refreshes) — and the plan bits. */
#ifndef CTP_TSCOVER_H
#define CTP_TSCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/registry.h"

/* X(field, struct taskstats member, when): the ONE mapping of registry fields to taskstats.
 * Kernel semantics (kernel/taskstats.c fill_stats, kernel/tsacct.c bacct_add_tsk,
 * kernel/delayacct.c delayacct_add_tsk; fs/proc/array.c, fs/proc/base.c):
 *   comm            ac_comm = tsk->comm, as /proc/TID/comm prints it, except for kernel threads
 *                   (proc_task_name: a kworker's workqueue, a kthread's full name): read there
 *   minflt/majflt   ac_minflt/ac_majflt = tsk->min_flt/maj_flt, as stat (one thread) prints them
 *   *_csw           nvcsw/nivcsw = tsk->nvcsw/nivcsw, status's ctxt_switches lines
 *   run_time_ns     cpu_run_virtual_total = se.sum_exec_runtime  } /proc/TID/schedstat's three
 *   wait_time_ns    cpu_delay_total = sched_info.run_delay        } fields (DELAYACCT): kernels
 *   timeslices      cpu_count = sched_info.pcount                 } that skip delayacct_add_tsk
 *                   while task_delayacct is 0 leave them 0, so they count when delay accounting
 *                   is on or cpu_count is not 0 (6.x fills them whatever the sysctl says)
 * Not mapped, on purpose: utime/stime (stat prints task_cputime_adjusted, scaled to
 * sum_exec_runtime; ac_utime/ac_stime are the raw tick samples), the io counters (xacct_add_tsk
 * masks every one with KB_MASK: multiples of 1,024), cpu_run_real_total (utime + stime, raw). */
#define CTP_TS_COVER_LIST(X)                                                                         \
	X(comm, ac_comm, ALWAYS)                                                                     \
	X(minflt, ac_minflt, ALWAYS)                                                                 \
	X(majflt, ac_majflt, ALWAYS)                                                                 \
	X(voluntary_csw, nvcsw, ALWAYS)                                                              \
	X(nonvoluntary_csw, nivcsw, ALWAYS)                                                          \
	X(run_time_ns, cpu_run_virtual_total, DELAYACCT)                                             \
	X(wait_time_ns, cpu_delay_total, DELAYACCT)                                                  \
	X(timeslices, cpu_count, DELAYACCT)

/* the slow facts: X(field), kept per thread (capture.h, CTP_SLOW_FACTS_EVERY); pcomm is read per
 * process every refresh (one small file per process) and counts as light too */
#define CTP_SLOW_FACT_LIST(X)                                                                        \
	X(cgroup) X(start_time_clock_ticks) X(policy) X(nice) X(priority) X(rt_priority) X(cpu_affinity)

/* plan and sources_read bits: 1u << CTP_SOURCE_x = every field of the source (its file read, or
 * what a full capture gives); CTP_PLAN_LIGHT(x) = only its light fields, which a partial capture
 * takes from taskstats or the slow-fact cache and reads the file only when those cannot serve */
#define CTP_PLAN_LIGHT_SHIFT 16
#define CTP_PLAN_LIGHT(src) (1u << (CTP_PLAN_LIGHT_SHIFT + (unsigned)(src)))

static inline bool ctp_field_taskstats(size_t f)
{
	switch (f) {
#define CTP_X_TSCASE(field, member, when) case CTP_F_##field:
		CTP_TS_COVER_LIST(CTP_X_TSCASE)
#undef CTP_X_TSCASE
		return true;
	default:
		return false;
	}
}

static inline bool ctp_field_slow(size_t f)
{
	switch (f) {
#define CTP_X_SLOWCASE(field) case CTP_F_##field:
		CTP_SLOW_FACT_LIST(CTP_X_SLOWCASE)
#undef CTP_X_SLOWCASE
	case CTP_F_pcomm:
		return true;
	default:
		return false;
	}
}

static inline bool ctp_field_light(size_t f)
{
	return ctp_field_taskstats(f) || ctp_field_slow(f);
}

/* the plan bit a field needs: its source's, or the light one */
static inline uint32_t ctp_field_plan_bit(size_t f)
{
	enum ctp_source s = ctp_fields[f].source;
	return ctp_field_light(f) ? CTP_PLAN_LIGHT(s) : 1u << s;
}

/* whether a side whose capture did not read sources_off (~sources_read) lacks a field of source
 * src (light: ctp_field_light) */
static inline bool ctp_source_off(uint32_t sources_off, enum ctp_source src, bool light)
{
	return (sources_off & (1u << src)) && !(light && !(sources_off & CTP_PLAN_LIGHT(src)));
}

#endif
