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

/* The enums of the registry columns as X-lists, X(ID, name, man): CTP_<ENUM>_ID, the short name
 * (ctp_<enum>_name, help, columns) and the wording of the man pages (man/mangen.c). One list feeds
 * the enum, the names and the pages, so they cannot drift apart. */
#define CTP_KIND_LIST(X)                                                                             \
	X(U64, "u64", "u64") X(U32, "u32", "u32") X(I32, "i32", "i32") X(STR, "string", "string")    \
	X(CHAR, "char", "one-character string") X(BOOL, "bool", "bool")                              \
	X(CPUSET, "cpu list", "array of u32") X(KVMAP, "object", "object: string to u64")
#define CTP_UNIT_LIST(X)                                                                             \
	X(NS, "ns", "ns") X(TICKS, "ticks", "clock ticks") X(BYTES, "bytes", "bytes") X(KIB, "KiB", "KiB") \
	X(COUNT, "count", "count") X(ORDINAL, "ordinal", "ordinal")                                  \
	X(CATEGORICAL, "categorical", "categorical") X(FLAG, "flag", "flag")
#define CTP_AGG_LIST(X)                                                                              \
	X(NONE, "-", "none") X(SUM, "sum", "sum") X(MAX, "max", "max") X(RANGE, "range", "range")    \
	X(MODE, "mode", "mode") X(AFFINITY, "affinity", "affinity")
#define CTP_SECTION_LIST(X)                                                                          \
	X(IDENTITY, "identity", "identity") X(SCHED, "sched", "sched") X(CPU, "cpu", "cpu")          \
	X(MEMORY, "memory", "memory") X(IO, "io", "io") X(DELAY, "delay", "delays")                  \
	X(JEMALLOC, "jemalloc", "jemalloc") X(FLAGS, "flags", "flags")
#define CTP_SOURCE_LIST(X)                                                                           \
	X(PROC_TASK, "/proc task dir", "task directory") X(COMM, "comm", "comm")                    \
	X(CGROUP, "cgroup", "cgroup") X(STAT, "stat", "stat") X(STATUS, "status", "status")          \
	X(SCHED, "sched", "sched") X(SCHEDSTAT, "schedstat", "schedstat") X(IO, "io", "io")          \
	X(SMAPS, "smaps_rollup", "/proc/PID/smaps_rollup, leader only")                              \
	X(AFFINITY, "sched_getaffinity", "sched_getaffinity(2)") X(TASKSTATS, "taskstats", "taskstats netlink") \
	X(PROBE, "jemalloc probe", "jemalloc probe")
/* the kernel gates: what must have measured a thread for its value to count (compare.md §2.3).
 * X(ID, name, man, label, hint, config_hint), the one table headers, hints and man pages read:
 *   name: the thread flag that says so; "" = none (ALWAYS), or a host-wide gate that the
 *         snapshot's host context says (ctp_snapshot_gates_off; SCHEDSTATS: host.sched_schedstats)
 *   man: the man page's words after "counted only when"
 *   label: the name headers give it with a check or cross mark ("" = never named: when it is off
 *          the gate named after it is off too)
 *   hint: what turns it on at run time; config_hint: what it needs when the kernel lacks it */
#define CTP_GATE_LIST(X)                                                                             \
	X(ALWAYS, "", "", "", "", "")                                                                \
	X(CPU_DELAY, "cpu_delay_active", "cpu_delay_active", "", "", "needs CONFIG_TASK_DELAY_ACCT=y") \
	X(BLOCK_DELAY, "delay_block_active", "delay_block_active", "delayacct",                      \
	  "sysctl kernel.task_delayacct=1", "needs CONFIG_TASK_DELAY_ACCT=y")                         \
	X(XACCT, "xacct_active", "xacct_active", "xacct", "", "needs CONFIG_TASK_XACCT=y")           \
	X(JEMALLOC, "jemalloc_measured", "jemalloc_measured", "jemalloc", "", "")                    \
	X(SCHEDSTATS, "", "the kernel collected schedstats (host.sched_schedstats)", "schedstats",   \
	  "sysctl kernel.sched_schedstats=1", "needs CONFIG_SCHEDSTATS=y")

#define CTP_ENUM_ID(pfx, id) CTP_##pfx##_##id,
#define CTP_X_KIND(id, name, man) CTP_ENUM_ID(KIND, id)
#define CTP_X_UNIT(id, name, man) CTP_ENUM_ID(UNIT, id)
#define CTP_X_AGG(id, name, man) CTP_ENUM_ID(AGG, id)
#define CTP_X_SECTION(id, name, man) CTP_ENUM_ID(SECTION, id)
#define CTP_X_SOURCE(id, name, man) CTP_ENUM_ID(SOURCE, id)
#define CTP_X_GATE(id, name, man, label, hint, config_hint) CTP_ENUM_ID(GATE, id)
enum ctp_kind { CTP_KIND_LIST(CTP_X_KIND) };
enum ctp_unit { CTP_UNIT_LIST(CTP_X_UNIT) };
enum ctp_agg { CTP_AGG_LIST(CTP_X_AGG) };
enum ctp_section { CTP_SECTION_LIST(CTP_X_SECTION) };
enum ctp_source { CTP_SOURCE_LIST(CTP_X_SOURCE) };
enum ctp_gate { CTP_GATE_LIST(CTP_X_GATE) };
#define CTP_X_GATE_COUNT(...) +1
enum { CTP_NGATES = 0 CTP_GATE_LIST(CTP_X_GATE_COUNT) };
#undef CTP_X_GATE_COUNT
#undef CTP_X_KIND
#undef CTP_X_UNIT
#undef CTP_X_AGG
#undef CTP_X_SECTION
#undef CTP_X_SOURCE
#undef CTP_X_GATE

/* field ids in wire order: CTP_F_tid ... CTP_F_jemalloc_measured */
enum ctp_field_id {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) CTP_F_##name,
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
/* host-wide gates the snapshot's kernel had off (bit 1u << CTP_GATE_x): their metrics were not
 * measured on any thread, whatever the file's zeros say. A host context without the gate's key
 * (a ktstr file, an unreadable source) is unknown: measured, ktstr's behaviour. */
unsigned ctp_snapshot_gates_off(const struct ctp_snapshot *s);

/* a gate's state on the snapshot's kernel, from its host context */
enum ctp_gate_state {
	CTP_GSTATE_UNKNOWN,    /* no host context or key: nothing said */
	CTP_GSTATE_ON,
	CTP_GSTATE_OFF,        /* off at run time */
	CTP_GSTATE_CONFIG_OFF, /* the kernel was built without it */
};
enum ctp_gate_state ctp_snapshot_gate_state(const struct ctp_snapshot *s, enum ctp_gate g);
/* the gate's label of CTP_GATE_LIST ("" for gates never named) */
const char *ctp_gate_label(enum ctp_gate g);
/* what to do about a gate in state st: the run-time hint for OFF, the config hint for
 * CONFIG_OFF; "" when there is none */
const char *ctp_gate_hint(enum ctp_gate g, enum ctp_gate_state st);
/* for the headers that name what is off: the hint ("" when none) when the snapshot's kernel had
 * named gate g off or compiled out; NULL when it was on, unknown or the gate has no label */
const char *ctp_snapshot_gate_off(const struct ctp_snapshot *s, enum ctp_gate g);

const char *ctp_unit_name(enum ctp_unit u);
const char *ctp_agg_name(enum ctp_agg a);
const char *ctp_section_name(enum ctp_section s);
const char *ctp_source_name(enum ctp_source s);
const char *ctp_kind_name(enum ctp_kind k);

/* the ladder of a registry unit (NS, TICKS, BYTES, COUNT; KIB counts as BYTES after x1024
 * by the caller; ORDINAL/CATEGORICAL/FLAG -> NONE) */
enum ctp_ladder ctp_unit_ladder(enum ctp_unit u);

#endif
