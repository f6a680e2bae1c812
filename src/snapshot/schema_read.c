/* schema_read.c — the snapshot from JSON, checked against ktstr's schema: types and ranges,
 * required keys, duplicate struct keys refused, map keys last-wins, unknown keys skipped; an
 * error names the JSON path ("threads[3].nice"). */
#include <stdlib.h>
#include <string.h>

#include "base/jsonr.h"
#include "snapshot/registry.h"
#include "snapshot/snapfile.h"

typedef int (*field_fn)(struct ctp_jsonr *r, size_t idx, void *ctx);

/* reads an object with known keys; required[i] marks non-Option keys */
static int r_struct(struct ctp_jsonr *r, const char *const *names, const bool *required, size_t n, field_fn fn, void *ctx)
{
	bool seen[CTP_NFIELDS + 8];
	if (ctp_jsonr_struct(r, names, n, seen, fn, ctx) < 0)
		return -1;
	return required ? ctp_jsonr_require(r, names, n, seen, required) : 0;
}

static int r_opt_u64(struct ctp_jsonr *r, struct ctp_opt_u64 *o)
{
	o->set = false;
	if (ctp_jsonr_null(r))
		return 0;
	if (ctp_jsonr_u64(r, &o->v))
		return -1;
	o->set = true;
	return 0;
}

/* Option<String>: null -> NULL */
static int r_opt_str(struct ctp_jsonr *r, char **out)
{
	free(*out);
	*out = NULL;
	if (ctp_jsonr_null(r))
		return 0;
	return ctp_jsonr_strdup(r, out);
}

/* BTreeMap<String,u64>: duplicate keys -> last wins, as serde does for maps */
static int r_kvmap(struct ctp_jsonr *r, struct ctp_kvmap *m)
{
	const char *key;
	size_t keylen;
	int more;
	ctp_kvmap_release(m);
	if (ctp_jsonr_obj_begin(r))
		return -1;
	while ((more = ctp_jsonr_obj_next(r, &key, &keylen)) == 1) {
		uint64_t v;
		if (ctp_jsonr_u64(r, &v))
			return -1;
		ctp_kvmap_push(m, ctp_xstrndup(key, keylen), v);
	}
	if (more == 0)
		ctp_kvmap_finish(m); /* sorted once: keys in any order load in O(n log n) */
	return more;
}

/* ---- thread ---- */

static const char *const thread_names[CTP_NFIELDS] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) #name,
#include "../../data/metrics.def"
#undef M
};

static int r_cpuset(struct ctp_jsonr *r, struct ctp_cpuset *c)
{
	uint32_t stackbuf[256], *cpus = stackbuf;
	size_t n = 0, cap = CTP_ARRAY_SIZE(stackbuf), idx;
	int more, rc = 0;
	if (ctp_jsonr_arr_begin(r))
		return -1;
	while ((more = ctp_jsonr_arr_next(r, &idx)) == 1) {
		if (n == cap) {
			cap *= 2;
			if (cpus == stackbuf) {
				cpus = ctp_xmalloc(cap * sizeof(*cpus));
				memcpy(cpus, stackbuf, sizeof(stackbuf));
			} else {
				cpus = ctp_xrealloc(cpus, cap * sizeof(*cpus));
			}
		}
		if (ctp_jsonr_u32(r, &cpus[n++])) {
			rc = -1;
			break;
		}
	}
	if (more < 0)
		rc = -1;
	if (!rc)
		ctp_cpuset_set(c, cpus, n);
	if (cpus != stackbuf)
		free(cpus);
	return rc;
}

static int r_char(struct ctp_jsonr *r, uint32_t *out)
{
	const char *s;
	size_t n;
	if (ctp_jsonr_string(r, &s, &n))
		return -1;
	uint32_t cp;
	if (n == 0 || ctp_utf8_decode(s, n, &cp) != n)
		return ctp_jsonr_fail(r, "expected a one-character string, got %zu bytes", n);
	*out = cp;
	return 0;
}

static int thread_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	void *p = (char *)ctx + ctp_fields[idx].offset;
	switch (ctp_fields[idx].kind) {
	case CTP_KIND_U64: return ctp_jsonr_u64(r, p);
	case CTP_KIND_U32: return ctp_jsonr_u32(r, p);
	case CTP_KIND_I32: return ctp_jsonr_i32(r, p);
	case CTP_KIND_BOOL: return ctp_jsonr_bool(r, p);
	case CTP_KIND_CHAR: return r_char(r, p);
	case CTP_KIND_STR: {
		char *s;
		if (ctp_jsonr_strdup(r, &s))
			return -1;
		free(*(char **)p);
		*(char **)p = s;
		return 0;
	}
	case CTP_KIND_CPUSET: return r_cpuset(r, p);
	case CTP_KIND_KVMAP: return r_kvmap(r, p);
	}
	return -1;
}

static int r_threads(struct ctp_jsonr *r, struct ctp_snapshot *s)
{
	static bool required[CTP_NFIELDS];
	static bool required_init;
	size_t idx;
	int more;
	if (!required_init) {
		for (size_t i = 0; i < CTP_NFIELDS; i++)
			required[i] = i != CTP_F_state;
		required_init = true;
	}
	if (ctp_jsonr_arr_begin(r))
		return -1;
	/* a thread takes about 2.5 KB of JSON: size the array once for the common case */
	ctp_snapshot_reserve_threads(s, (size_t)(r->end - r->p) / 3072 + 16);
	while ((more = ctp_jsonr_arr_next(r, &idx)) == 1) {
		struct ctp_thread *t = ctp_snapshot_add_thread_blank(s); /* strings are required keys */
		if (r_struct(r, thread_names, required, CTP_NFIELDS, thread_field, t))
			return -1;
	}
	return more;
}

/* ---- PSI ---- */

static int psi_half_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_psi_half *h = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u16(r, &h->avg10);
	case 1: return ctp_jsonr_u16(r, &h->avg60);
	case 2: return ctp_jsonr_u16(r, &h->avg300);
	default: return ctp_jsonr_u64(r, &h->total_usec);
	}
}

static int psi_res_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const names[] = { "avg10", "avg60", "avg300", "total_usec" };
	static const bool req[] = { 1, 1, 1, 1 };
	struct ctp_psi_resource *res = ctx;
	return r_struct(r, names, req, 4, psi_half_field, idx == 0 ? &res->some : &res->full);
}

static int psi_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const names[] = { "some", "full" };
	static const bool req[] = { 1, 1 };
	struct ctp_psi *p = ctx;
	struct ctp_psi_resource *res[] = { &p->cpu, &p->memory, &p->io, &p->irq };
	return r_struct(r, names, req, 2, psi_res_field, res[idx]);
}

static int r_psi(struct ctp_jsonr *r, struct ctp_psi *p)
{
	static const char *const names[] = { "cpu", "memory", "io", "irq" };
	static const bool req[] = { 1, 1, 1, 1 };
	return r_struct(r, names, req, 4, psi_field, p);
}

/* ---- cgroup stats ---- */

static int cg_cpu_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_cgroup_stats *c = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u64(r, &c->cpu.usage_usec);
	case 1: return ctp_jsonr_u64(r, &c->cpu.nr_throttled);
	case 2: return ctp_jsonr_u64(r, &c->cpu.throttled_usec);
	case 3: return r_opt_u64(r, &c->cpu.max_quota_us);
	case 4: return ctp_jsonr_u64(r, &c->cpu.max_period_us);
	case 5: return r_opt_u64(r, &c->cpu.weight);
	default:
		c->cpu.weight_nice.set = false;
		if (ctp_jsonr_null(r))
			return 0;
		c->cpu.weight_nice.set = true;
		return ctp_jsonr_i32(r, &c->cpu.weight_nice.v);
	}
}

static int cg_mem_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_cgroup_stats *c = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u64(r, &c->memory.current);
	case 1: return r_opt_u64(r, &c->memory.max);
	case 2: return r_opt_u64(r, &c->memory.high);
	case 3: return r_opt_u64(r, &c->memory.low);
	case 4: return r_opt_u64(r, &c->memory.min);
	case 5: return r_kvmap(r, &c->memory.stat);
	default: return r_kvmap(r, &c->memory.events);
	}
}

static int cg_pids_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_cgroup_stats *c = ctx;
	return r_opt_u64(r, idx == 0 ? &c->pids.current : &c->pids.max);
}

static int cg_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const cpu[] = { "usage_usec", "nr_throttled", "throttled_usec", "max_quota_us",
					   "max_period_us", "weight", "weight_nice" };
	static const bool cpu_req[] = { 1, 1, 1, 0, 1, 0, 0 };
	static const char *const mem[] = { "current", "max", "high", "low", "min", "stat", "events" };
	static const bool mem_req[] = { 1, 0, 0, 0, 0, 1, 1 };
	static const char *const pids[] = { "current", "max" };
	struct ctp_cgroup_stats *c = ctx;
	switch (idx) {
	case 0: return r_struct(r, cpu, cpu_req, 7, cg_cpu_field, c);
	case 1: return r_struct(r, mem, mem_req, 7, cg_mem_field, c);
	case 2: return r_struct(r, pids, NULL, 2, cg_pids_field, c);
	default: return r_psi(r, &c->psi);
	}
}

static int r_cgroups(struct ctp_jsonr *r, struct ctp_snapshot *s)
{
	static const char *const names[] = { "cpu", "memory", "pids", "psi" };
	static const bool req[] = { 1, 1, 1, 1 };
	const char *key;
	size_t keylen;
	int more;
	if (ctp_jsonr_obj_begin(r))
		return -1;
	while ((more = ctp_jsonr_obj_next(r, &key, &keylen)) == 1) {
		struct ctp_cgroup_stats *c = ctp_snapshot_push_cgroup(s, ctp_xstrndup(key, keylen));
		if (r_struct(r, names, req, 4, cg_field, c))
			return -1;
	}
	if (more == 0)
		ctp_snapshot_finish_cgroups(s); /* sorted by path; a repeated path: the last entry wins */
	return more;
}

/* ---- host context ---- */

enum host_key {
	H_cpu_model, H_cpu_vendor, H_total_memory_kib, H_hugepages_total, H_hugepages_free, H_hugepages_size_kib,
	H_thp_enabled, H_thp_defrag, H_sched_tunables, H_online_cpus, H_numa_nodes, H_cpufreq_governor,
	H_kernel_name, H_kernel_release, H_arch, H_kernel_cmdline, H_task_delayacct, H_config_task_xacct,
	H_heap_state, H_total_memory_kb, H_hugepages_size_kb, H_COUNT
};
static const char *const host_names[H_COUNT] = {
	"cpu_model", "cpu_vendor", "total_memory_kib", "hugepages_total", "hugepages_free", "hugepages_size_kib",
	"thp_enabled", "thp_defrag", "sched_tunables", "online_cpus", "numa_nodes", "cpufreq_governor",
	"kernel_name", "kernel_release", "arch", "kernel_cmdline", "task_delayacct", "config_task_xacct",
	"heap_state", "total_memory_kb", "hugepages_size_kb",
};

static int r_strmap(struct ctp_jsonr *r, struct ctp_strmap *m)
{
	const char *key;
	size_t keylen;
	int more;
	ctp_strmap_release(m);
	if (ctp_jsonr_obj_begin(r))
		return -1;
	while ((more = ctp_jsonr_obj_next(r, &key, &keylen)) == 1) {
		char *v;
		if (ctp_jsonr_strdup(r, &v))
			return -1;
		ctp_strmap_push(m, ctp_xstrndup(key, keylen), v);
	}
	if (more == 0)
		ctp_strmap_finish(m);
	return more;
}

static int r_governors(struct ctp_jsonr *r, struct ctp_host *h)
{
	const char *key;
	size_t keylen, alloc = 0;
	int more;
	if (ctp_jsonr_obj_begin(r))
		return -1;
	while ((more = ctp_jsonr_obj_next(r, &key, &keylen)) == 1) {
		uint64_t cpu;
		if (!ctp_parse_u64(key, keylen, &cpu) || cpu > UINT32_MAX || (keylen && key[0] == '+'))
			return ctp_jsonr_fail(r, "cpufreq_governor key is not a CPU number");
		char *gov;
		if (ctp_jsonr_strdup(r, &gov))
			return -1;
		if (h->n_cpufreq_governor >= alloc) {
			alloc = h->n_cpufreq_governor ? h->n_cpufreq_governor * 2 : 8;
			h->cpufreq_governor = ctp_xrealloc(h->cpufreq_governor, alloc * sizeof(*h->cpufreq_governor));
		}
		h->cpufreq_governor[h->n_cpufreq_governor++] = (struct ctp_governor){ (uint32_t)cpu, gov };
	}
	if (more == 0)
		ctp_host_finish_governors(h); /* sorted by cpu; a repeated cpu: the last wins */
	return more;
}

static int r_enum(struct ctp_jsonr *r, const char *const *values, size_t n, int *out)
{
	const char *s;
	size_t len;
	if (ctp_jsonr_string(r, &s, &len))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strlen(values[i]) == len && !memcmp(values[i], s, len)) {
			*out = (int)i + 1;
			return 0;
		}
	return ctp_jsonr_fail(r, "unknown variant \"%.*s\"", (int)(len > 40 ? 40 : len), s);
}

static int heap_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_heap_state *hs = ctx;
	struct ctp_opt_u64 *f[] = { &hs->active_bytes, &hs->allocated_bytes, &hs->resident_bytes, &hs->mapped_bytes, &hs->narenas };
	return r_opt_u64(r, f[idx]);
}

static int host_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const delay[] = { "config_off", "runtime_off", "on" };
	static const char *const xacct[] = { "on", "off", "unknown" };
	static const char *const heap[] = { "active_bytes", "allocated_bytes", "resident_bytes", "mapped_bytes", "narenas" };
	struct ctp_host *h = ctx;
	if (idx != H_cpufreq_governor && ctp_jsonr_null(r))
		return 0; /* Option: null == omitted (left unset) */
	switch ((enum host_key)idx) {
	case H_cpu_model: return r_opt_str(r, &h->cpu_model);
	case H_cpu_vendor: return r_opt_str(r, &h->cpu_vendor);
	case H_total_memory_kib: return r_opt_u64(r, &h->total_memory_kib);
	case H_hugepages_total: return r_opt_u64(r, &h->hugepages_total);
	case H_hugepages_free: return r_opt_u64(r, &h->hugepages_free);
	case H_hugepages_size_kib: return r_opt_u64(r, &h->hugepages_size_kib);
	case H_thp_enabled: return r_opt_str(r, &h->thp_enabled);
	case H_thp_defrag: return r_opt_str(r, &h->thp_defrag);
	case H_sched_tunables: h->has_sched_tunables = true; return r_strmap(r, &h->sched_tunables);
	case H_online_cpus: return r_opt_u64(r, &h->online_cpus);
	case H_numa_nodes: return r_opt_u64(r, &h->numa_nodes);
	case H_cpufreq_governor: return r_governors(r, h);
	case H_kernel_name: return r_opt_str(r, &h->kernel_name);
	case H_kernel_release: return r_opt_str(r, &h->kernel_release);
	case H_arch: return r_opt_str(r, &h->arch);
	case H_kernel_cmdline: return r_opt_str(r, &h->kernel_cmdline);
	case H_task_delayacct: return r_enum(r, delay, 3, (int *)&h->task_delayacct);
	case H_config_task_xacct: return r_enum(r, xacct, 3, (int *)&h->config_task_xacct);
	case H_heap_state: h->heap_state.set = true; return r_struct(r, heap, NULL, 5, heap_field, &h->heap_state);
	case H_total_memory_kb: /* older spelling, same unit; the new key wins when both exist */
		return h->total_memory_kib.set ? ctp_jsonr_skip(r) : r_opt_u64(r, &h->total_memory_kib);
	case H_hugepages_size_kb:
		return h->hugepages_size_kib.set ? ctp_jsonr_skip(r) : r_opt_u64(r, &h->hugepages_size_kib);
	case H_COUNT: break;
	}
	return ctp_jsonr_skip(r);
}

static int r_host(struct ctp_jsonr *r, struct ctp_snapshot *s)
{
	ctp_host_free(s->host);
	s->host = NULL;
	if (ctp_jsonr_null(r))
		return 0;
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	return r_struct(r, host_names, NULL, H_COUNT, host_field, s->host);
}

/* ---- summaries and sched_ext ---- */

static int probe_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_probe_summary *p = ctx;
	uint64_t *u[] = { &p->tgids_walked, &p->jemalloc_detected, &p->probed_ok, &p->failed };
	if (idx < 4)
		return ctp_jsonr_u64(r, u[idx]);
	if (idx == 4)
		return r_opt_str(r, &p->dominant_failure);
	return ctp_jsonr_bool(r, &p->privilege_dominant);
}

static int parse_sum_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_parse_summary *p = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u64(r, &p->tids_walked);
	case 1: return ctp_jsonr_u64(r, &p->read_failures);
	case 2: return r_kvmap(r, &p->read_failures_by_file);
	case 3: return r_opt_str(r, &p->dominant_read_failure);
	case 4: return ctp_jsonr_bool(r, &p->kernel_config_dominant);
	default: return ctp_jsonr_u64(r, &p->negative_dotted_values);
	}
}

static int taskstats_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_taskstats_summary *t = ctx;
	uint64_t *u[] = { &t->ok_count, &t->eperm_count, &t->esrch_count, &t->other_err_count };
	return ctp_jsonr_u64(r, u[idx]);
}

static int schedext_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_sched_ext *x = ctx;
	uint64_t *u[] = { &x->switch_all, &x->nr_rejected, &x->hotplug_seq, &x->enable_seq };
	if (idx == 0) {
		free(x->state);
		x->state = NULL;
		return ctp_jsonr_strdup(r, &x->state);
	}
	return ctp_jsonr_u64(r, u[idx - 1]);
}

/* reads `null` or an object into a freshly allocated *slot (freed by the snapshot) */
static int r_nullable(struct ctp_jsonr *r, void **slot, size_t size, const char *const *names,
		      const bool *req, size_t n, field_fn fn)
{
	if (ctp_jsonr_null(r))
		return 0;
	if (!*slot)
		*slot = ctp_xcalloc(1, size);
	return r_struct(r, names, req, n, fn, *slot);
}

static int top_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const probe[] = { "tgids_walked", "jemalloc_detected", "probed_ok", "failed", "dominant_failure", "privilege_dominant" };
	static const bool probe_req[] = { 1, 1, 1, 1, 0, 1 };
	static const char *const parse[] = { "tids_walked", "read_failures", "read_failures_by_file", "dominant_read_failure", "kernel_config_dominant", "negative_dotted_values" };
	static const bool parse_req[] = { 1, 1, 1, 0, 1, 1 };
	static const char *const ts[] = { "ok_count", "eperm_count", "esrch_count", "other_err_count" };
	static const bool ts_req[] = { 1, 1, 1, 1 };
	static const char *const scx[] = { "state", "switch_all", "nr_rejected", "hotplug_seq", "enable_seq" };
	static const bool scx_req[] = { 1, 1, 1, 1, 1 };
	struct ctp_snapshot *s = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u64(r, &s->captured_at_unix_ns);
	case 1: return r_host(r, s);
	case 2: return r_threads(r, s);
	case 3: return r_cgroups(r, s);
	case 4: return r_nullable(r, (void **)&s->probe_summary, sizeof(*s->probe_summary), probe, probe_req, 6, probe_field);
	case 5: return r_nullable(r, (void **)&s->parse_summary, sizeof(*s->parse_summary), parse, parse_req, 6, parse_sum_field);
	case 6: return r_nullable(r, (void **)&s->taskstats_summary, sizeof(*s->taskstats_summary), ts, ts_req, 4, taskstats_field);
	case 7: return r_psi(r, &s->psi);
	default: return r_nullable(r, (void **)&s->sched_ext, sizeof(*s->sched_ext), scx, scx_req, 5, schedext_field);
	}
}

int ctp_snapshot_from_json(const char *json, size_t len, struct ctp_snapshot **out, struct ctp_err *err)
{
	static const char *const names[] = { "captured_at_unix_ns", "host", "threads", "cgroup_stats", "probe_summary",
					     "parse_summary", "taskstats_summary", "psi", "sched_ext" };
	static const bool req[] = { 1, 0, 1, 1, 0, 0, 0, 1, 0 };
	struct ctp_jsonr r;
	struct ctp_snapshot *s = ctp_snapshot_new();
	ctp_jsonr_init(&r, json, len, err);
	int rc = r_struct(&r, names, req, CTP_ARRAY_SIZE(names), top_field, s);
	if (!rc)
		rc = ctp_jsonr_finish(&r);
	ctp_jsonr_release(&r);
	if (rc) {
		ctp_snapshot_free(s);
		*out = NULL;
		return -1;
	}
	*out = s;
	return 0;
}

