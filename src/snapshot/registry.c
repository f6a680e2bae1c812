/* registry.c — expands data/metrics.def into the descriptor table (with offsetof) and the
 * small accessors that read a field of a thread generically. */
#include "snapshot/registry.h"

#include <string.h>

const struct ctp_metric ctp_fields[CTP_NFIELDS] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help)                    \
	{ #name, CTP_KIND_##kind, CTP_UNIT_##unit, CTP_AGG_##agg, CTP_SECTION_##section,               \
	  CTP_SOURCE_##source, CTP_GATE_##gate, help, offsetof(struct ctp_thread, name) },
#include "../../data/metrics.def"
#undef M
};

const struct ctp_metric *ctp_field_find(const char *name)
{
	for (size_t i = 0; i < CTP_NFIELDS; i++)
		if (!strcmp(ctp_fields[i].name, name))
			return &ctp_fields[i];
	return NULL;
}

static const void *field_ptr(const struct ctp_thread *t, const struct ctp_metric *m)
{
	return (const char *)t + m->offset;
}

uint64_t ctp_field_u64(const struct ctp_thread *t, const struct ctp_metric *m)
{
	const void *p = field_ptr(t, m);
	switch (m->kind) {
	case CTP_KIND_U64: return *(const uint64_t *)p;
	case CTP_KIND_U32: return *(const uint32_t *)p;
	case CTP_KIND_CHAR: return *(const uint32_t *)p;
	case CTP_KIND_I32: return (uint64_t)(int64_t)*(const int32_t *)p;
	case CTP_KIND_BOOL: return *(const bool *)p;
	default: return 0;
	}
}

int64_t ctp_field_i64(const struct ctp_thread *t, const struct ctp_metric *m)
{
	if (m->kind == CTP_KIND_I32)
		return *(const int32_t *)field_ptr(t, m);
	return (int64_t)ctp_field_u64(t, m);
}

bool ctp_gate_measured(const struct ctp_thread *t, enum ctp_gate gate)
{
	switch (gate) {
	case CTP_GATE_CPU_DELAY: return t->taskstats_measured && t->cpu_delay_active;
	case CTP_GATE_BLOCK_DELAY: return t->taskstats_measured && t->delay_block_active;
	case CTP_GATE_XACCT: return t->taskstats_measured && t->xacct_active;
	case CTP_GATE_JEMALLOC: return t->jemalloc_measured;
	case CTP_GATE_SCHEDSTATS: /* host-wide: ctp_snapshot_gates_off */
	case CTP_GATE_ALWAYS: break;
	}
	return true;
}

/* the host context's word on a gate; SCHEDSTATS 0 without the sysctl in sched_tunables means a
 * kernel built without CONFIG_SCHEDSTATS (the capture then decided from /proc/self/sched) */
enum ctp_gate_state ctp_snapshot_gate_state(const struct ctp_snapshot *s, enum ctp_gate g)
{
	const struct ctp_host *h = s ? s->host : NULL;
	if (!h)
		return g == CTP_GATE_ALWAYS ? CTP_GSTATE_ON : CTP_GSTATE_UNKNOWN;
	switch (g) {
	case CTP_GATE_ALWAYS: return CTP_GSTATE_ON;
	case CTP_GATE_SCHEDSTATS:
		if (!h->sched_schedstats.set)
			return CTP_GSTATE_UNKNOWN;
		if (h->sched_schedstats.v)
			return CTP_GSTATE_ON;
		for (size_t i = 0; i < h->sched_tunables.n; i++)
			if (!strcmp(h->sched_tunables.v[i].key, "sched_schedstats"))
				return CTP_GSTATE_OFF;
		return h->has_sched_tunables ? CTP_GSTATE_CONFIG_OFF : CTP_GSTATE_OFF;
	case CTP_GATE_CPU_DELAY:
	case CTP_GATE_BLOCK_DELAY:
		switch (h->task_delayacct) {
		case CTP_DELAYACCT_CONFIG_OFF: return CTP_GSTATE_CONFIG_OFF;
		case CTP_DELAYACCT_RUNTIME_OFF: return g == CTP_GATE_CPU_DELAY ? CTP_GSTATE_ON : CTP_GSTATE_OFF;
		case CTP_DELAYACCT_ON: return CTP_GSTATE_ON;
		default: return CTP_GSTATE_UNKNOWN;
		}
	case CTP_GATE_XACCT:
		return h->config_task_xacct == CTP_XACCT_ON    ? CTP_GSTATE_ON
		       : h->config_task_xacct == CTP_XACCT_OFF ? CTP_GSTATE_CONFIG_OFF
							   : CTP_GSTATE_UNKNOWN;
	case CTP_GATE_JEMALLOC: break; /* a probe, not a kernel switch */
	}
	return CTP_GSTATE_UNKNOWN;
}

#define CTP_X_GATE_ROW(id, name, man, label, hint, config_hint) { name, label, hint, config_hint },
static const struct {
	const char *flag, *label, *hint, *config_hint;
} gate_rows[CTP_NGATES] = { CTP_GATE_LIST(CTP_X_GATE_ROW) };
#undef CTP_X_GATE_ROW

/* the gates without a thread flag are host-wide: the host context alone says they were off */
unsigned ctp_snapshot_gates_off(const struct ctp_snapshot *s)
{
	unsigned off = 0;
	for (int g = 1; g < CTP_NGATES; g++) {
		enum ctp_gate_state st = gate_rows[g].flag[0] ? CTP_GSTATE_UNKNOWN : ctp_snapshot_gate_state(s, g);
		if (st == CTP_GSTATE_OFF || st == CTP_GSTATE_CONFIG_OFF)
			off |= 1u << g;
	}
	return off;
}

const char *ctp_gate_label(enum ctp_gate g)
{
	return (unsigned)g < CTP_NGATES ? gate_rows[g].label : "";
}

const char *ctp_gate_hint(enum ctp_gate g, enum ctp_gate_state st)
{
	if ((unsigned)g >= CTP_NGATES)
		return "";
	return st == CTP_GSTATE_OFF ? gate_rows[g].hint : st == CTP_GSTATE_CONFIG_OFF ? gate_rows[g].config_hint : "";
}

const char *ctp_snapshot_gate_off(const struct ctp_snapshot *s, enum ctp_gate g)
{
	enum ctp_gate_state st = ctp_snapshot_gate_state(s, g);
	if (!*ctp_gate_label(g) || (st != CTP_GSTATE_OFF && st != CTP_GSTATE_CONFIG_OFF))
		return NULL;
	return ctp_gate_hint(g, st);
}

#define CTP_X_NAME(id, name, man) name,
#define NAME_OF(list, v)                                                                           \
	do {                                                                                       \
		static const char *const names[] = { list(CTP_X_NAME) };                           \
		return (size_t)(v) < CTP_ARRAY_SIZE(names) ? names[v] : "?";                       \
	} while (0)

const char *ctp_unit_name(enum ctp_unit u)
{
	NAME_OF(CTP_UNIT_LIST, u);
}

const char *ctp_agg_name(enum ctp_agg a)
{
	NAME_OF(CTP_AGG_LIST, a);
}

const char *ctp_section_name(enum ctp_section s)
{
	NAME_OF(CTP_SECTION_LIST, s);
}

const char *ctp_source_name(enum ctp_source s)
{
	NAME_OF(CTP_SOURCE_LIST, s);
}

const char *ctp_kind_name(enum ctp_kind k)
{
	NAME_OF(CTP_KIND_LIST, k);
}
#undef NAME_OF
#undef CTP_X_NAME

enum ctp_ladder ctp_unit_ladder(enum ctp_unit u)
{
	switch (u) {
	case CTP_UNIT_NS: return CTP_LADDER_NS;
	case CTP_UNIT_TICKS: return CTP_LADDER_TICKS;
	case CTP_UNIT_BYTES:
	case CTP_UNIT_KIB: return CTP_LADDER_BYTES;
	case CTP_UNIT_COUNT: return CTP_LADDER_UNITLESS;
	default: return CTP_LADDER_NONE;
	}
}
