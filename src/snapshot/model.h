/* model.h — the in-memory snapshot: every thread (data/metrics.def), cgroup stats
 * (data/cgroup.def), PSI, sched_ext, host context (data/host.def) and the three summaries
 * (data/summary.def), mirroring ktstr's CtprofSnapshot. Plain structs generated from the tables;
 * ownership: a snapshot owns every string and array in it. */
#ifndef CTP_MODEL_H
#define CTP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sorted ascending, deduplicated CPU ids */
struct ctp_cpuset {
	uint32_t *cpus;
	size_t n;
};

/* string -> u64 map kept sorted by key in byte order (BTreeMap<String,u64>) */
struct ctp_kv {
	char *key;
	uint64_t val;
};
struct ctp_kvmap {
	struct ctp_kv *v;
	size_t n, alloc;
};

/* string -> string map, sorted by key (sched_tunables) */
struct ctp_skv {
	char *key;
	char *val;
};
struct ctp_strmap {
	struct ctp_skv *v;
	size_t n, alloc;
};

/* one thread: the fields of data/metrics.def in wire order */
struct ctp_thread {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) ctype name;
#include "../../data/metrics.def"
#undef M
};

struct ctp_opt_u64 {
	bool set;
	uint64_t v;
};
struct ctp_opt_i32 {
	bool set;
	int32_t v;
};

struct ctp_psi_half {
	uint16_t avg10, avg60, avg300; /* centi-percent */
	uint64_t total_usec;
};
struct ctp_psi_resource {
	struct ctp_psi_half some, full;
};
struct ctp_psi {
	struct ctp_psi_resource cpu, memory, io, irq;
};

/* The structs below are generated from data/host.def, cgroup.def and summary.def:
 * CTP_DECL(kind, presence, name) is the C member that holds one JSON key. A kind/presence pair
 * without a CTP_DECL_ line is not supported (the build fails on it). */
#define CTP_DECL(kind, presence, name) CTP_DECL_##kind##_##presence(name)
#define CTP_DECL_U64_REQ(n) uint64_t n;
#define CTP_DECL_U64_OPT(n) struct ctp_opt_u64 n;  /* .set false = null */
#define CTP_DECL_U64_OMIT(n) struct ctp_opt_u64 n; /* .set false = omitted */
#define CTP_DECL_I32_OPT(n) struct ctp_opt_i32 n;
#define CTP_DECL_BOOL_REQ(n) bool n;
#define CTP_DECL_STR_REQ(n) char *n; /* NULL written as "" */
#define CTP_DECL_STR_OPT(n) char *n; /* NULL = null */
#define CTP_DECL_STR_OMIT(n) char *n; /* NULL = omitted */
#define CTP_DECL_KVMAP_REQ(n) struct ctp_kvmap n;
#define CTP_DECL_STRMAP_OMIT(n) bool has_##n; struct ctp_strmap n;
#define CTP_DECL_GOVMAP_EMPTY(n) struct ctp_governor *n; size_t n_##n; /* sorted by cpu */
#define CTP_DECL_DELAYACCT_OMIT(n) enum ctp_delayacct n; /* UNSET = omitted */
#define CTP_DECL_XACCT_OMIT(n) enum ctp_xacct n;
#define CTP_DECL_HEAP_OMIT(n) struct ctp_heap_state n;

/* CgroupStats; path is the map key, e.g. "/user.slice/x.service" */
struct ctp_cgroup_stats {
	char *path;
	struct {
#define CG_CPU(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/cgroup.def"
#undef CG_CPU
	} cpu;
	struct {
#define CG_MEMORY(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/cgroup.def"
#undef CG_MEMORY
	} memory;
	struct {
#define CG_PIDS(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/cgroup.def"
#undef CG_PIDS
	} pids;
	struct ctp_psi psi;
};

struct ctp_sched_ext {
#define SCHED_EXT(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/summary.def"
#undef SCHED_EXT
};

/* the accounting states of the host context, X(ID, JSON value); 0 is UNSET (key omitted).
 * ctp_delayacct_names / ctp_xacct_names index them by value, [0] = NULL */
#define CTP_DELAYACCT_LIST(X) X(CONFIG_OFF, "config_off") X(RUNTIME_OFF, "runtime_off") X(ON, "on")
#define CTP_XACCT_LIST(X) X(ON, "on") X(OFF, "off") X(UNKNOWN, "unknown")
#define CTP_X_DELAYACCT(id, name) CTP_DELAYACCT_##id,
#define CTP_X_XACCT(id, name) CTP_XACCT_##id,
enum ctp_delayacct { CTP_DELAYACCT_UNSET = 0, CTP_DELAYACCT_LIST(CTP_X_DELAYACCT) CTP_DELAYACCT_COUNT };
enum ctp_xacct { CTP_XACCT_UNSET = 0, CTP_XACCT_LIST(CTP_X_XACCT) CTP_XACCT_COUNT };
#undef CTP_X_DELAYACCT
#undef CTP_X_XACCT
extern const char *const ctp_delayacct_names[CTP_DELAYACCT_COUNT];
extern const char *const ctp_xacct_names[CTP_XACCT_COUNT];

struct ctp_governor {
	uint32_t cpu;
	char *governor;
};

struct ctp_heap_state {
	bool set;
#define HEAP(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/host.def"
#undef HEAP
};

/* HostContext: every member optional; NULL / !set / UNSET means the key is omitted */
struct ctp_host {
#define H(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/host.def"
#undef H
};

struct ctp_probe_summary {
#define PROBE_SUMMARY(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/summary.def"
#undef PROBE_SUMMARY
};

struct ctp_parse_summary { /* read_failures_by_file: non-zero entries only */
#define PARSE_SUMMARY(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/summary.def"
#undef PARSE_SUMMARY
};

struct ctp_taskstats_summary {
#define TASKSTATS_SUMMARY(name, kind, presence, ...) CTP_DECL(kind, presence, name)
#include "../../data/summary.def"
#undef TASKSTATS_SUMMARY
};

/* a snapshot's threads as raw columns while slim (snapfile.h ctp_snapshot_slim) */
struct ctp_slim {
	char *raw;
	size_t len, nthreads;
};

struct ctp_snapshot {
	uint64_t captured_at_unix_ns;
	struct ctp_host *host; /* NULL = null */
	struct ctp_thread *threads;
	size_t nthreads, threads_alloc;
	struct ctp_cgroup_stats *cgroups; /* sorted by path (byte order) */
	size_t ncgroups, cgroups_alloc;
	struct ctp_probe_summary *probe_summary;         /* NULL = null */
	struct ctp_parse_summary *parse_summary;         /* NULL = null */
	struct ctp_taskstats_summary *taskstats_summary; /* NULL = null */
	struct ctp_psi psi;
	struct ctp_sched_ext *sched_ext; /* NULL = null */
	/* not serialized: monotonic clock at capture (0 for loaded files), for rate modes */
	uint64_t captured_mono_ns;
	/* our extension key "captured_boottime_ns" (ktstr ignores it; written only when known):
	 * CLOCK_BOOTTIME when the per-thread reads ended, the clock of start_time_clock_ticks, for
	 * thread ages; 0 = unknown */
	uint64_t captured_boottime_ns;
	/* not serialized: the sources (1u << CTP_SOURCE_x) this capture read; CTP_PLAN_FULL for a
	 * full capture and for every loaded file */
	uint32_t sources_read;
	/* not serialized (issue 17): the threads that exited since the previous capture, from the
	 * taskstats exit listener (capture/exits.c): identity (tid, tgid, pcomm, comm, cgroup;
	 * start_time_clock_ticks when the previous capture saw the thread, else 0) and final
	 * counters; exits_on when the listener ran, exits_lost the records the kernel dropped
	 * (ENOBUFS) or that no group could take since the previous capture */
	struct ctp_thread *exits;
	size_t nexits;
	uint64_t exits_lost;
	bool exits_on;
	/* not serialized (issue 17): per thread (threads order) its wait channel when the capture
	 * was asked (capture/wchan.c) and it slept (S/D): "futex_wait_queue", "io_schedule (D,
	 * syscall 0)"; NULL array when not asked, NULL entries for the rest */
	char **wchan;
	/* not serialized: while ctp_snapshot_slim keeps the threads as raw columns (threads NULL,
	 * nthreads 0) until ctp_snapshot_fatten (snapfile.h); NULL otherwise */
	struct ctp_slim *slim;
};

/* snapshot lifetime; ctp_snapshot_free(NULL) is a no-op */
struct ctp_snapshot *ctp_snapshot_new(void);
void ctp_snapshot_free(struct ctp_snapshot *s);
/* appends a zeroed thread with wire defaults (strings "", state '~'); pointer valid until next add */
struct ctp_thread *ctp_snapshot_add_thread(struct ctp_snapshot *s);
/* like ctp_snapshot_add_thread but the four strings are left NULL: for a loader that sets
 * every required field (ctp_thread_release copes with NULL) */
struct ctp_thread *ctp_snapshot_add_thread_blank(struct ctp_snapshot *s);
/* makes room for n more threads without reallocating */
void ctp_snapshot_reserve_threads(struct ctp_snapshot *s, size_t n);
/* finds or inserts (keeping order) the cgroup entry for path; new entries get wire defaults.
 * Inserting in ascending path order costs no move; loaders use ctp_snapshot_push_cgroup */
struct ctp_cgroup_stats *ctp_snapshot_cgroup(struct ctp_snapshot *s, const char *path);
const struct ctp_cgroup_stats *ctp_snapshot_find_cgroup(const struct ctp_snapshot *s, const char *path);
/* sorts threads by (tgid, tid) */
void ctp_snapshot_sort_threads(struct ctp_snapshot *s);

void ctp_thread_init(struct ctp_thread *t);
void ctp_thread_release(struct ctp_thread *t);
/* frees n threads (what their fields own) and the array v itself */
void ctp_threads_free(struct ctp_thread *v, size_t n);
/* frees every thread of s (ctp_threads_free): threads NULL, nthreads 0 */
void ctp_snapshot_drop_threads(struct ctp_snapshot *s);
void ctp_thread_copy(struct ctp_thread *dst, const struct ctp_thread *src);
void ctp_host_free(struct ctp_host *h);
void ctp_cgroup_stats_init(struct ctp_cgroup_stats *c, const char *path);
void ctp_cgroup_stats_release(struct ctp_cgroup_stats *c);

/* maps: set replaces an existing key (cheap when keys come in ascending order, O(n) moves
 * otherwise); get returns false when absent */
void ctp_kvmap_set(struct ctp_kvmap *m, const char *key, uint64_t val);
bool ctp_kvmap_get(const struct ctp_kvmap *m, const char *key, uint64_t *val);
void ctp_kvmap_release(struct ctp_kvmap *m);
/* dst = a copy of src (what dst held is released first; a zeroed dst holds nothing) */
void ctp_kvmap_assign(struct ctp_kvmap *dst, const struct ctp_kvmap *src);
void ctp_strmap_set(struct ctp_strmap *m, const char *key, const char *val);
void ctp_strmap_release(struct ctp_strmap *m);
/* Loading: push appends in any order, taking ownership of the strings (O(1) amortized); the
 * matching finish then sorts once by key, stably, and keeps the last of a repeated key (serde's
 * rule for maps), freeing the others. Between push and finish the container is unsorted: no
 * get, set or find on it. A file in key order costs finish one pass. */
void ctp_kvmap_push(struct ctp_kvmap *m, char *key, uint64_t val);
void ctp_kvmap_finish(struct ctp_kvmap *m);
void ctp_strmap_push(struct ctp_strmap *m, char *key, char *val);
void ctp_strmap_finish(struct ctp_strmap *m);
/* a new entry with wire defaults for path */
struct ctp_cgroup_stats *ctp_snapshot_push_cgroup(struct ctp_snapshot *s, char *path);
void ctp_snapshot_finish_cgroups(struct ctp_snapshot *s);
/* a cgroup entry (wire defaults) for every distinct non-empty thread cgroup, in O(n log n) */
void ctp_snapshot_cgroups_of_threads(struct ctp_snapshot *s);
/* sorts the n governors at *g by cpu, last of a repeated cpu wins (the loader appends to the
 * array) */
void ctp_governors_finish(struct ctp_governor **g, size_t *n);

/* takes a copy of cpus, sorts and dedups */
void ctp_cpuset_set(struct ctp_cpuset *c, const uint32_t *cpus, size_t n);
void ctp_cpuset_release(struct ctp_cpuset *c);

/* policy number -> "SCHED_OTHER" etc.; unknown -> "SCHED_UNKNOWN(n)" written into buf */
const char *ctp_policy_name(int policy, char *buf, size_t buflen);

const char *ctp_delayacct_name(enum ctp_delayacct d); /* NULL for UNSET */
const char *ctp_xacct_name(enum ctp_xacct x);

#endif
