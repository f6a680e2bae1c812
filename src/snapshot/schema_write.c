/* schema_write.c — the snapshot as compact JSON in ktstr's exact byte layout: key order of the
 * reference's structs, null for an unknown Option, omitted host-context keys. */
#include <stdio.h>

#include "base/jsonw.h"
#include "snapshot/registry.h"
#include "snapshot/snapfile.h"

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

