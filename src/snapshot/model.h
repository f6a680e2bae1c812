/* model.h — the in-memory snapshot: every thread (fields generated from data/metrics.def),
 * cgroup stats, PSI, sched_ext, host context and the three summaries, mirroring ktstr's
 * CtprofSnapshot. Plain structs; ownership: a snapshot owns every string and array in it. */
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

/* one thread: 98 fields in wire order, generated from the registry */
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

struct ctp_cgroup_stats {
	char *path; /* map key, e.g. "/user.slice/x.service" */
	struct {
		uint64_t usage_usec, nr_throttled, throttled_usec;
		struct ctp_opt_u64 max_quota_us;
		uint64_t max_period_us;
		struct ctp_opt_u64 weight;
		struct ctp_opt_i32 weight_nice;
	} cpu;
	struct {
		uint64_t current;
		struct ctp_opt_u64 max, high, low, min;
		struct ctp_kvmap stat, events;
	} memory;
	struct {
		struct ctp_opt_u64 current, max;
	} pids;
	struct ctp_psi psi;
};

struct ctp_sched_ext {
	char *state;
	uint64_t switch_all, nr_rejected, hotplug_seq, enable_seq;
};

enum ctp_delayacct { CTP_DELAYACCT_UNSET = 0, CTP_DELAYACCT_CONFIG_OFF, CTP_DELAYACCT_RUNTIME_OFF, CTP_DELAYACCT_ON };
enum ctp_xacct { CTP_XACCT_UNSET = 0, CTP_XACCT_ON, CTP_XACCT_OFF, CTP_XACCT_UNKNOWN };

struct ctp_governor {
	uint32_t cpu;
	char *governor;
};

struct ctp_heap_state {
	bool set;
	struct ctp_opt_u64 active_bytes, allocated_bytes, resident_bytes, mapped_bytes, narenas;
};

/* HostContext: every member optional; NULL / !set means the key is omitted */
struct ctp_host {
	char *cpu_model, *cpu_vendor;
	struct ctp_opt_u64 total_memory_kib, hugepages_total, hugepages_free, hugepages_size_kib;
	char *thp_enabled, *thp_defrag;
	bool has_sched_tunables;
	struct ctp_strmap sched_tunables;
	struct ctp_opt_u64 online_cpus, numa_nodes;
	struct ctp_governor *cpufreq_governor; /* sorted by cpu; omitted when n == 0 */
	size_t n_cpufreq_governor;
	char *kernel_name, *kernel_release, *arch, *kernel_cmdline;
	enum ctp_delayacct task_delayacct;
	enum ctp_xacct config_task_xacct;
	struct ctp_heap_state heap_state;
};

struct ctp_probe_summary {
	uint64_t tgids_walked, jemalloc_detected, probed_ok, failed;
	char *dominant_failure; /* NULL = null */
	bool privilege_dominant;
};

struct ctp_parse_summary {
	uint64_t tids_walked, read_failures;
	struct ctp_kvmap read_failures_by_file; /* non-zero entries only */
	char *dominant_read_failure;            /* NULL = null */
	bool kernel_config_dominant;
	uint64_t negative_dotted_values;
};

struct ctp_taskstats_summary {
	uint64_t ok_count, eperm_count, esrch_count, other_err_count;
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
void ctp_thread_copy(struct ctp_thread *dst, const struct ctp_thread *src);
void ctp_host_free(struct ctp_host *h);
void ctp_cgroup_stats_init(struct ctp_cgroup_stats *c, const char *path);
void ctp_cgroup_stats_release(struct ctp_cgroup_stats *c);

/* maps: set replaces an existing key (cheap when keys come in ascending order, O(n) moves
 * otherwise); get returns false when absent */
void ctp_kvmap_set(struct ctp_kvmap *m, const char *key, uint64_t val);
bool ctp_kvmap_get(const struct ctp_kvmap *m, const char *key, uint64_t *val);
void ctp_kvmap_release(struct ctp_kvmap *m);
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
/* sorts h->cpufreq_governor by cpu, last of a repeated cpu wins (the array is appended to by the
 * loader) */
void ctp_host_finish_governors(struct ctp_host *h);

/* takes a copy of cpus, sorts and dedups */
void ctp_cpuset_set(struct ctp_cpuset *c, const uint32_t *cpus, size_t n);
void ctp_cpuset_release(struct ctp_cpuset *c);

/* policy number -> "SCHED_OTHER" etc.; unknown -> "SCHED_UNKNOWN(n)" written into buf */
const char *ctp_policy_name(int policy, char *buf, size_t buflen);

const char *ctp_delayacct_name(enum ctp_delayacct d); /* NULL for UNSET */
const char *ctp_xacct_name(enum ctp_xacct x);

#endif
