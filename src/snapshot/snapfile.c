/* snapfile.c — reads and writes .ctprof.zst snapshots: ktstr-exact compact JSON (key order,
 * null-vs-omitted), schema-checked decoding with JSON-path errors, zstd framing with the
 * 256 MiB bomb guard, and atomic saves (temp file in the same directory, fsync, rename). */
#include "snapshot/snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_stableOutBuffer */
#include <zstd.h>
#include <zstd_errors.h>

#include "base/jsonr.h"
#include "base/jsonw.h"
#include "snapshot/registry.h"

/* ======================================================================= writing */

#define KEY(b, first, k) ctp_json_key(b, first, k)

static void w_opt_u64(struct ctp_buf *b, bool *first, const char *k, struct ctp_opt_u64 v)
{
	KEY(b, first, k);
	if (v.set)
		ctp_json_u64(b, v.v);
	else
		ctp_buf_adds(b, "null");
}

static void w_u64(struct ctp_buf *b, bool *first, const char *k, uint64_t v)
{
	KEY(b, first, k);
	ctp_json_u64(b, v);
}

static void w_bool(struct ctp_buf *b, bool *first, const char *k, bool v)
{
	KEY(b, first, k);
	ctp_buf_adds(b, v ? "true" : "false");
}

static void w_opt_str(struct ctp_buf *b, bool *first, const char *k, const char *s)
{
	KEY(b, first, k);
	if (s)
		ctp_json_str(b, s);
	else
		ctp_buf_adds(b, "null");
}

static void w_kvmap(struct ctp_buf *b, const struct ctp_kvmap *m)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < m->n; i++)
		w_u64(b, &first, m->v[i].key, m->v[i].val);
	ctp_buf_addch(b, '}');
}

static void w_thread_field(struct ctp_buf *b, const struct ctp_thread *t, const struct ctp_metric *m)
{
	const void *p = (const char *)t + m->offset;
	switch (m->kind) {
	case CTP_KIND_U64: ctp_json_u64(b, *(const uint64_t *)p); break;
	case CTP_KIND_U32: ctp_json_u64(b, *(const uint32_t *)p); break;
	case CTP_KIND_I32: ctp_json_i64(b, *(const int32_t *)p); break;
	case CTP_KIND_STR: ctp_json_str(b, *(char *const *)p); break;
	case CTP_KIND_BOOL: ctp_buf_adds(b, *(const bool *)p ? "true" : "false"); break;
	case CTP_KIND_CHAR: {
		char u[4];
		uint32_t cp = *(const uint32_t *)p;
		ctp_json_strn(b, u, ctp_utf8_encode(cp && cp <= 0x10ffff ? cp : '~', u));
		break;
	}
	case CTP_KIND_CPUSET: {
		const struct ctp_cpuset *c = p;
		ctp_buf_addch(b, '[');
		for (size_t i = 0; i < c->n; i++) {
			if (i)
				ctp_buf_addch(b, ',');
			ctp_json_u64(b, c->cpus[i]);
		}
		ctp_buf_addch(b, ']');
		break;
	}
	case CTP_KIND_KVMAP: w_kvmap(b, p); break;
	}
}

static void w_thread(struct ctp_buf *b, const struct ctp_thread *t)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < CTP_NFIELDS; i++) {
		KEY(b, &first, ctp_fields[i].name);
		w_thread_field(b, t, &ctp_fields[i]);
	}
	ctp_buf_addch(b, '}');
}

static void w_psi_half(struct ctp_buf *b, const struct ctp_psi_half *h)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	w_u64(b, &first, "avg10", h->avg10);
	w_u64(b, &first, "avg60", h->avg60);
	w_u64(b, &first, "avg300", h->avg300);
	w_u64(b, &first, "total_usec", h->total_usec);
	ctp_buf_addch(b, '}');
}

static void w_psi(struct ctp_buf *b, const struct ctp_psi *p)
{
	const struct ctp_psi_resource *res[] = { &p->cpu, &p->memory, &p->io, &p->irq };
	static const char *const names[] = { "cpu", "memory", "io", "irq" };
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < 4; i++) {
		bool f2 = true;
		KEY(b, &first, names[i]);
		ctp_buf_addch(b, '{');
		KEY(b, &f2, "some");
		w_psi_half(b, &res[i]->some);
		KEY(b, &f2, "full");
		w_psi_half(b, &res[i]->full);
		ctp_buf_addch(b, '}');
	}
	ctp_buf_addch(b, '}');
}

static void w_cgroup(struct ctp_buf *b, const struct ctp_cgroup_stats *c)
{
	bool first = true, f;
	ctp_buf_addch(b, '{');
	KEY(b, &first, "cpu");
	f = true;
	ctp_buf_addch(b, '{');
	w_u64(b, &f, "usage_usec", c->cpu.usage_usec);
	w_u64(b, &f, "nr_throttled", c->cpu.nr_throttled);
	w_u64(b, &f, "throttled_usec", c->cpu.throttled_usec);
	w_opt_u64(b, &f, "max_quota_us", c->cpu.max_quota_us);
	w_u64(b, &f, "max_period_us", c->cpu.max_period_us);
	w_opt_u64(b, &f, "weight", c->cpu.weight);
	KEY(b, &f, "weight_nice");
	if (c->cpu.weight_nice.set)
		ctp_json_i64(b, c->cpu.weight_nice.v);
	else
		ctp_buf_adds(b, "null");
	ctp_buf_addch(b, '}');
	KEY(b, &first, "memory");
	f = true;
	ctp_buf_addch(b, '{');
	w_u64(b, &f, "current", c->memory.current);
	w_opt_u64(b, &f, "max", c->memory.max);
	w_opt_u64(b, &f, "high", c->memory.high);
	w_opt_u64(b, &f, "low", c->memory.low);
	w_opt_u64(b, &f, "min", c->memory.min);
	KEY(b, &f, "stat");
	w_kvmap(b, &c->memory.stat);
	KEY(b, &f, "events");
	w_kvmap(b, &c->memory.events);
	ctp_buf_addch(b, '}');
	KEY(b, &first, "pids");
	f = true;
	ctp_buf_addch(b, '{');
	w_opt_u64(b, &f, "current", c->pids.current);
	w_opt_u64(b, &f, "max", c->pids.max);
	ctp_buf_addch(b, '}');
	KEY(b, &first, "psi");
	w_psi(b, &c->psi);
	ctp_buf_addch(b, '}');
}

/* HostContext: every key omitted when unknown */
static void w_host(struct ctp_buf *b, const struct ctp_host *h)
{
	bool first = true;
	ctp_buf_addch(b, '{');
#define OSTR(k)                                  \
	if (h->k) {                              \
		KEY(b, &first, #k);              \
		ctp_json_str(b, h->k);           \
	}
#define OU64(k)                                  \
	if (h->k.set)                            \
		w_u64(b, &first, #k, h->k.v);
	OSTR(cpu_model);
	OSTR(cpu_vendor);
	OU64(total_memory_kib);
	OU64(hugepages_total);
	OU64(hugepages_free);
	OU64(hugepages_size_kib);
	OSTR(thp_enabled);
	OSTR(thp_defrag);
	if (h->has_sched_tunables) {
		bool f = true;
		KEY(b, &first, "sched_tunables");
		ctp_buf_addch(b, '{');
		for (size_t i = 0; i < h->sched_tunables.n; i++) {
			KEY(b, &f, h->sched_tunables.v[i].key);
			ctp_json_str(b, h->sched_tunables.v[i].val);
		}
		ctp_buf_addch(b, '}');
	}
	OU64(online_cpus);
	OU64(numa_nodes);
	if (h->n_cpufreq_governor) {
		bool f = true;
		KEY(b, &first, "cpufreq_governor");
		ctp_buf_addch(b, '{');
		for (size_t i = 0; i < h->n_cpufreq_governor; i++) {
			char k[16];
			snprintf(k, sizeof(k), "%u", h->cpufreq_governor[i].cpu);
			KEY(b, &f, k);
			ctp_json_str(b, h->cpufreq_governor[i].governor);
		}
		ctp_buf_addch(b, '}');
	}
	OSTR(kernel_name);
	OSTR(kernel_release);
	OSTR(arch);
	OSTR(kernel_cmdline);
	if (ctp_delayacct_name(h->task_delayacct)) {
		KEY(b, &first, "task_delayacct");
		ctp_json_str(b, ctp_delayacct_name(h->task_delayacct));
	}
	if (ctp_xacct_name(h->config_task_xacct)) {
		KEY(b, &first, "config_task_xacct");
		ctp_json_str(b, ctp_xacct_name(h->config_task_xacct));
	}
	if (h->heap_state.set) {
		const struct ctp_heap_state *hs = &h->heap_state;
		bool f = true;
		KEY(b, &first, "heap_state");
		ctp_buf_addch(b, '{');
		if (hs->active_bytes.set) w_u64(b, &f, "active_bytes", hs->active_bytes.v);
		if (hs->allocated_bytes.set) w_u64(b, &f, "allocated_bytes", hs->allocated_bytes.v);
		if (hs->resident_bytes.set) w_u64(b, &f, "resident_bytes", hs->resident_bytes.v);
		if (hs->mapped_bytes.set) w_u64(b, &f, "mapped_bytes", hs->mapped_bytes.v);
		if (hs->narenas.set) w_u64(b, &f, "narenas", hs->narenas.v);
		ctp_buf_addch(b, '}');
	}
#undef OSTR
#undef OU64
	ctp_buf_addch(b, '}');
}

void ctp_snapshot_to_json(const struct ctp_snapshot *s, struct ctp_buf *b)
{
	bool first = true, f;
	ctp_buf_grow(b, 2048 + s->nthreads * 3072);
	ctp_buf_addch(b, '{');
	w_u64(b, &first, "captured_at_unix_ns", s->captured_at_unix_ns);
	KEY(b, &first, "host");
	if (s->host)
		w_host(b, s->host);
	else
		ctp_buf_adds(b, "null");
	KEY(b, &first, "threads");
	ctp_buf_addch(b, '[');
	for (size_t i = 0; i < s->nthreads; i++) {
		if (i)
			ctp_buf_addch(b, ',');
		w_thread(b, &s->threads[i]);
	}
	ctp_buf_addch(b, ']');
	KEY(b, &first, "cgroup_stats");
	ctp_buf_addch(b, '{');
	f = true;
	for (size_t i = 0; i < s->ncgroups; i++) {
		KEY(b, &f, s->cgroups[i].path);
		w_cgroup(b, &s->cgroups[i]);
	}
	ctp_buf_addch(b, '}');
	KEY(b, &first, "probe_summary");
	if (s->probe_summary) {
		const struct ctp_probe_summary *p = s->probe_summary;
		f = true;
		ctp_buf_addch(b, '{');
		w_u64(b, &f, "tgids_walked", p->tgids_walked);
		w_u64(b, &f, "jemalloc_detected", p->jemalloc_detected);
		w_u64(b, &f, "probed_ok", p->probed_ok);
		w_u64(b, &f, "failed", p->failed);
		w_opt_str(b, &f, "dominant_failure", p->dominant_failure);
		w_bool(b, &f, "privilege_dominant", p->privilege_dominant);
		ctp_buf_addch(b, '}');
	} else {
		ctp_buf_adds(b, "null");
	}
	KEY(b, &first, "parse_summary");
	if (s->parse_summary) {
		const struct ctp_parse_summary *p = s->parse_summary;
		f = true;
		ctp_buf_addch(b, '{');
		w_u64(b, &f, "tids_walked", p->tids_walked);
		w_u64(b, &f, "read_failures", p->read_failures);
		KEY(b, &f, "read_failures_by_file");
		w_kvmap(b, &p->read_failures_by_file);
		w_opt_str(b, &f, "dominant_read_failure", p->dominant_read_failure);
		w_bool(b, &f, "kernel_config_dominant", p->kernel_config_dominant);
		w_u64(b, &f, "negative_dotted_values", p->negative_dotted_values);
		ctp_buf_addch(b, '}');
	} else {
		ctp_buf_adds(b, "null");
	}
	KEY(b, &first, "taskstats_summary");
	if (s->taskstats_summary) {
		const struct ctp_taskstats_summary *t = s->taskstats_summary;
		f = true;
		ctp_buf_addch(b, '{');
		w_u64(b, &f, "ok_count", t->ok_count);
		w_u64(b, &f, "eperm_count", t->eperm_count);
		w_u64(b, &f, "esrch_count", t->esrch_count);
		w_u64(b, &f, "other_err_count", t->other_err_count);
		ctp_buf_addch(b, '}');
	} else {
		ctp_buf_adds(b, "null");
	}
	KEY(b, &first, "psi");
	w_psi(b, &s->psi);
	KEY(b, &first, "sched_ext");
	if (s->sched_ext) {
		const struct ctp_sched_ext *x = s->sched_ext;
		f = true;
		ctp_buf_addch(b, '{');
		KEY(b, &f, "state");
		ctp_json_str(b, x->state ? x->state : "");
		w_u64(b, &f, "switch_all", x->switch_all);
		w_u64(b, &f, "nr_rejected", x->nr_rejected);
		w_u64(b, &f, "hotplug_seq", x->hotplug_seq);
		w_u64(b, &f, "enable_seq", x->enable_seq);
		ctp_buf_addch(b, '}');
	} else {
		ctp_buf_adds(b, "null");
	}
	ctp_buf_addch(b, '}');
}

/* ======================================================================= reading */

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

/* ======================================================================= files */

/* a zstd frame, or a skippable frame, starts here */
static bool zstd_magic(const void *p, size_t len)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	const unsigned char *s = p;
	return len >= 4 && (!memcmp(s, magic, 4) || ((s[0] & 0xf0) == 0x50 && s[1] == 0x2a && s[2] == 0x4d && s[3] == 0x18));
}

/* the whole of fd, at most cap bytes; the zstd magic is checked as soon as 4 bytes are in, so
 * an endless or huge non-snapshot stream fails at once */
static int read_all_fd(int fd, struct ctp_buf *out, size_t cap, const char *name, struct ctp_err *err)
{
	for (bool checked = false;;) {
		ctp_buf_grow(out, 65536);
		ssize_t n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ctp_err_set(err, CTP_E_IO, errno, name, "read failed: %s", strerror(errno));
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = 0;
		if (!checked && out->len >= 4) {
			if (!zstd_magic(out->buf, out->len))
				return ctp_err_set(err, CTP_E_FORMAT, 0, name, "not a zstd-compressed snapshot (bad magic)");
			checked = true;
		}
		if (out->len > cap)
			return ctp_err_set(err, CTP_E_FORMAT, 0, name, "file larger than %zu bytes", cap);
	}
	return 0;
}

/* the decompressed JSON: an address-space reservation of cap+1 bytes that is never moved or
 * copied (pages are touched only as zstd writes them), so the decoder writes in place */
struct json_area {
	char *p;
	size_t len, maplen;
};

static void json_area_release(struct json_area *a)
{
	if (a->p)
		munmap(a->p, a->maplen);
	a->p = NULL;
}

/* decompresses every frame of src with the inclusive CTP_SNAPFILE_MAX_JSON cap */
static int decompress(const char *name, const void *src, size_t len, struct json_area *out, struct ctp_err *err)
{
	if (!zstd_magic(src, len))
		return ctp_err_set(err, CTP_E_FORMAT, 0, name, "not a zstd-compressed snapshot (bad magic)");
	out->maplen = (size_t)CTP_SNAPFILE_MAX_JSON + 2; /* cap + 1 to detect overflow, + NUL */
	out->p = mmap(NULL, out->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (out->p == MAP_FAILED) {
		out->p = NULL;
		return ctp_err_set(err, CTP_E_FORMAT, errno, name, "cannot reserve memory: %s", strerror(errno));
	}
	madvise(out->p, out->maplen, MADV_HUGEPAGE); /* a 20 MB document faults in 10 pages, not 5000 */
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds)
		return ctp_err_set(err, CTP_E_FORMAT, ENOMEM, name, "cannot create zstd stream");
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, 27);
	ZSTD_DCtx_setParameter(ds, ZSTD_d_stableOutBuffer, 1); /* optional: saves a copy when supported */
	ZSTD_inBuffer in = { src, len, 0 };
	ZSTD_outBuffer ob = { out->p, (size_t)CTP_SNAPFILE_MAX_JSON + 1, 0 };
	size_t ret = 0;
	int rc = 0;
	while (in.pos < in.size || ret != 0) {
		size_t before_in = in.pos, before_out = ob.pos;
		ret = ZSTD_decompressStream(ds, &ob, &in);
		/* the stable output buffer ends at cap + 1: "too small" means more JSON than the cap */
		if (ZSTD_isError(ret) && ZSTD_getErrorCode(ret) != ZSTD_error_dstSize_tooSmall) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "corrupt zstd data: %s", ZSTD_getErrorName(ret));
			break;
		}
		if (ZSTD_isError(ret) || ob.pos > CTP_SNAPFILE_MAX_JSON) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "decompression-bomb guard: more than %u bytes of JSON",
					 CTP_SNAPFILE_MAX_JSON);
			break;
		}
		if (ret != 0 && in.pos == in.size && before_in == in.pos && before_out == ob.pos) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "truncated zstd frame");
			break;
		}
	}
	ZSTD_freeDStream(ds);
	out->len = ob.pos;
	out->p[out->len] = 0;
	return rc;
}

int ctp_snapfile_load_mem(const char *name, const void *data, size_t len, struct ctp_snapshot **out, struct ctp_err *err)
{
	struct json_area json = { 0 };
	*out = NULL;
	int rc = decompress(name, data, len, &json, err);
	if (!rc) {
		rc = ctp_snapshot_from_json(json.p, json.len, out, err);
		if (rc && err) {
			char where[sizeof(err->where)];
			snprintf(where, sizeof(where), "%s%s%s", name, err->where[0] ? ": " : "", err->where);
			memcpy(err->where, where, sizeof(where));
		}
	}
	json_area_release(&json);
	return rc;
}

int ctp_snapfile_load(const char *path, struct ctp_snapshot **out, struct ctp_err *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	*out = NULL;
	struct stat st = { 0 };
	/* a FIFO without a writer or a device (/dev/zero) is refused before any read; stdin is
	 * whatever the caller gave us, checked by its magic */
	int fd = is_stdin ? 0 : ctp_open_regular(path, 0, CTP_SNAPFILE_MAX_JSON, &st, err);
	if (fd < 0)
		return -1;
	struct ctp_buf raw = CTP_BUF_INIT;
	if (!is_stdin && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= CTP_SNAPFILE_MAX_JSON)
		ctp_buf_grow(&raw, (size_t)st.st_size + 1);
	/* a compressed file can never usefully be larger than the JSON cap */
	int rc = read_all_fd(fd, &raw, CTP_SNAPFILE_MAX_JSON, name, err);
	if (!is_stdin)
		close(fd);
	if (!rc && raw.len == 0)
		rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "empty file");
	if (!rc)
		rc = ctp_snapfile_load_mem(name, raw.buf, raw.len, out, err);
	ctp_buf_release(&raw);
	return rc;
}

struct load_job {
	const char *path;
	struct ctp_snapshot *out;
	struct ctp_err err;
	int rc;
};

static void *load_job_run(void *arg)
{
	struct load_job *j = arg;
	j->rc = ctp_snapfile_load(j->path, &j->out, &j->err);
	return NULL;
}

int ctp_snapfile_load_pair(const char *path_a, struct ctp_snapshot **a, const char *path_b, struct ctp_snapshot **b,
			   struct ctp_err *err)
{
	struct load_job ja = { .path = path_a }, jb = { .path = path_b };
	pthread_t th;
	bool threaded = path_a && strcmp(path_a, "-") && strcmp(path_b, "-") &&
			pthread_create(&th, NULL, load_job_run, &jb) == 0;
	if (path_a)
		load_job_run(&ja);
	if (threaded)
		pthread_join(th, NULL);
	else
		load_job_run(&jb);
	*a = ja.out;
	*b = jb.out;
	if (!ja.rc && !jb.rc)
		return 0;
	if (err)
		*err = ja.rc ? ja.err : jb.err;
	ctp_snapshot_free(*a);
	ctp_snapshot_free(*b);
	*a = *b = NULL;
	return -1;
}

static int compress_snapshot(const struct ctp_snapshot *s, struct ctp_buf *out, const char *name, struct ctp_err *err)
{
	struct ctp_buf json = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &json);
	size_t bound = ZSTD_compressBound(json.len);
	ctp_buf_grow(out, bound);
	/* level 3 like ktstr; a content checksum makes bit rot a clear error (the reference decoder verifies it) */
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t n = cc ? ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 3) : (size_t)-1;
	if (cc && !ZSTD_isError(n))
		n = ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	if (cc && !ZSTD_isError(n))
		n = ZSTD_compress2(cc, out->buf, bound, json.buf, json.len);
	ZSTD_freeCCtx(cc);
	ctp_buf_release(&json);
	if (ZSTD_isError(n))
		return ctp_err_set(err, CTP_E_FORMAT, 0, name, "zstd compression failed: %s", ZSTD_getErrorName(n));
	out->len = n;
	return 0;
}

int ctp_snapfile_save(const char *path, const struct ctp_snapshot *s, size_t *size_out, struct ctp_err *err)
{
	return ctp_snapfile_save_mode(path, s, CTP_FILE_MODE_DEFAULT, size_out, err);
}

int ctp_snapfile_save_mode(const char *path, const struct ctp_snapshot *s, int mode, size_t *size_out,
			   struct ctp_err *err)
{
	struct ctp_buf z = CTP_BUF_INIT;
	int rc = compress_snapshot(s, &z, path, err);
	if (!rc) {
		if (!strcmp(path, "-")) {
			rc = ctp_write_all(1, z.buf, z.len);
			if (rc)
				ctp_err_set(err, CTP_E_IO, errno, "<stdout>", "write failed: %s", strerror(errno));
		} else {
			rc = ctp_save_file(path, z.buf, z.len, mode, err);
		}
	}
	if (!rc && size_out)
		*size_out = z.len;
	ctp_buf_release(&z);
	return rc;
}
