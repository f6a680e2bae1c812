/* plan.c — the refresh plan of the live view: which capture sources (snapshot/registry.h) the
 * shown metrics need — a registry metric its own source, a derived one its inputs' — plus what
 * grouping and joining need on the axis. */
#include "internal.h"
#include "snapshot/tscover.h"

/* the task dir (tids), comm (thread and process names: pcomm and comm axes, drill-down pairing by
 * name) and stat's start time (thread identity, thread ages of the per-thread means, uptime): the
 * names and the start time are light (snapshot/tscover.h: taskstats, the slow-fact cache) */
#define PLAN_ALWAYS ((1u << CTP_SOURCE_PROC_TASK) | CTP_PLAN_LIGHT(CTP_SOURCE_COMM) | CTP_PLAN_LIGHT(CTP_SOURCE_STAT))

static uint32_t cmetric_sources(int cm);

/* a field's plan bit: its source, or only the source's light fields (snapshot/tscover.h) */
static uint32_t field_sources(int f)
{
	return ctp_field_plan_bit((size_t)f);
}

/* the sources of a derived metric: its inputs' (total_offcpu_delay_ns: every delay total) */
static uint32_t derived_sources(int derived)
{
	const struct ctp_dmetric *d = ctp_dmetric((size_t)derived);
	uint32_t src = 0;
	if (!d)
		return 0;
	if (d->op == CTP_DOP_OFFCPU) {
		for (size_t i = 0; i < CTP_ARRAY_SIZE(ctp_offcpu_fields); i++)
			src |= field_sources(ctp_offcpu_fields[i]);
		return src;
	}
	return cmetric_sources(d->a) | cmetric_sources(d->b); /* PERTHR: b = -1; ages come from stat */
}

static uint32_t cmetric_sources(int cm)
{
	const struct ctp_cmetric *m = cm >= 0 ? ctp_cmetric((size_t)cm) : NULL;
	if (!m)
		return 0;
	if (m->field >= 0)
		return field_sources(m->field);
	return m->derived >= 0 ? derived_sources(m->derived) : 0; /* thread_count: the task dir */
}

uint32_t ctp_plan_sources(const int *metrics, size_t n, enum ctp_axis axis)
{
	uint32_t src = PLAN_ALWAYS;
	if (axis == CTP_AXIS_CGROUP || axis == CTP_AXIS_ALL)
		src |= CTP_PLAN_LIGHT(CTP_SOURCE_CGROUP);
	for (size_t i = 0; metrics && i < n; i++)
		src |= cmetric_sources(metrics[i]);
	return src;
}
