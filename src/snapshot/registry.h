/* registry.h — descriptors for every per-thread metric, generated from data/metrics.def:
 * name, JSON kind, unit, aggregation rule, section, source, measured-gate, help and the
 * field's offset in struct ctp_thread. JSON I/O, compare, help and the man table loop over it. */
#ifndef CTP_REGISTRY_H
#define CTP_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/format.h"
#include "snapshot/model.h"

enum ctp_kind { CTP_KIND_U64, CTP_KIND_U32, CTP_KIND_I32, CTP_KIND_STR, CTP_KIND_CHAR, CTP_KIND_BOOL, CTP_KIND_CPUSET, CTP_KIND_KVMAP };
enum ctp_unit { CTP_UNIT_NS, CTP_UNIT_TICKS, CTP_UNIT_BYTES, CTP_UNIT_KIB, CTP_UNIT_COUNT, CTP_UNIT_ORDINAL, CTP_UNIT_CATEGORICAL, CTP_UNIT_FLAG };
enum ctp_agg { CTP_AGG_NONE, CTP_AGG_SUM, CTP_AGG_MAX, CTP_AGG_RANGE, CTP_AGG_MODE, CTP_AGG_AFFINITY };
enum ctp_section { CTP_SECTION_IDENTITY, CTP_SECTION_SCHED, CTP_SECTION_CPU, CTP_SECTION_MEMORY, CTP_SECTION_IO, CTP_SECTION_DELAY, CTP_SECTION_JEMALLOC, CTP_SECTION_FLAGS };
enum ctp_source { CTP_SOURCE_PROC_TASK, CTP_SOURCE_COMM, CTP_SOURCE_CGROUP, CTP_SOURCE_STAT, CTP_SOURCE_STATUS, CTP_SOURCE_SCHED, CTP_SOURCE_SCHEDSTAT, CTP_SOURCE_IO, CTP_SOURCE_SMAPS, CTP_SOURCE_AFFINITY, CTP_SOURCE_TASKSTATS, CTP_SOURCE_PROBE };
/* which capture family must have measured a thread for its value to count (compare.md §2.3) */
enum ctp_gate { CTP_GATE_ALWAYS, CTP_GATE_CPU_DELAY, CTP_GATE_BLOCK_DELAY, CTP_GATE_XACCT, CTP_GATE_JEMALLOC };

/* field ids in wire order: CTP_F_tid ... CTP_F_jemalloc_measured */
enum ctp_field_id {
#define M(name, ctype, kind, unit, agg, section, source, gate, help) CTP_F_##name,
#include "../../data/metrics.def"
#undef M
	CTP_NFIELDS
};

struct ctp_metric {
	const char *name;
	enum ctp_kind kind;
	enum ctp_unit unit;
	enum ctp_agg agg;
	enum ctp_section section;
	enum ctp_source source;
	enum ctp_gate gate;
	const char *help;
	size_t offset;
};

extern const struct ctp_metric ctp_fields[CTP_NFIELDS];

/* lookup by JSON key; NULL when unknown */
const struct ctp_metric *ctp_field_find(const char *name);
/* numeric value of a U64/U32/I32/BOOL/CHAR field widened to signed 128-free form:
 * returns false for STR/CPUSET/KVMAP. u64 values are returned through *u, i32 through *i. */
uint64_t ctp_field_u64(const struct ctp_thread *t, const struct ctp_metric *m);
int64_t ctp_field_i64(const struct ctp_thread *t, const struct ctp_metric *m);
/* true when the thread's capture family for gate measured it */
bool ctp_gate_measured(const struct ctp_thread *t, enum ctp_gate gate);

const char *ctp_unit_name(enum ctp_unit u);
const char *ctp_agg_name(enum ctp_agg a);
const char *ctp_section_name(enum ctp_section s);
const char *ctp_source_name(enum ctp_source s);
const char *ctp_kind_name(enum ctp_kind k);

/* the ladder of a registry unit (NS, TICKS, BYTES, COUNT; KIB counts as BYTES after x1024
 * by the caller; ORDINAL/CATEGORICAL/FLAG -> NONE) */
enum ctp_ladder ctp_unit_ladder(enum ctp_unit u);

#endif
