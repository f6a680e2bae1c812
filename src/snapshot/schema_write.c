/* schema_write.c — the snapshot as compact JSON in ktstr's exact byte layout, driven by the key
 * tables (registry.h for threads, schema.h for the rest): keys in wire order, null for an unknown
 * OPT value, OMIT/EMPTY keys left out when unknown or empty. */
#include <stdio.h>

#include "base/jsonw.h"
#include "snapshot/schema.h"
#include "snapshot/snapfile.h"

static void w_null(struct ctp_buf *b)
{
	ctp_buf_adds(b, "null");
}

static void w_kvmap(struct ctp_buf *b, const struct ctp_kvmap *m)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < m->n; i++) {
		ctp_json_key(b, &first, m->v[i].key);
		ctp_json_u64(b, m->v[i].val);
	}
	ctp_buf_addch(b, '}');
}

static void w_strmap(struct ctp_buf *b, const struct ctp_strmap *m)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < m->n; i++) {
		ctp_json_key(b, &first, m->v[i].key);
		ctp_json_str(b, m->v[i].val);
	}
	ctp_buf_addch(b, '}');
}

/* BTreeMap<usize, String>: CPU numbers as string keys, in numeric order (the array is sorted) */
static void w_govmap(struct ctp_buf *b, const struct ctp_governor *g, size_t n)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < n; i++) {
		char k[16];
		snprintf(k, sizeof(k), "%u", g[i].cpu);
		ctp_json_key(b, &first, k);
		ctp_json_str(b, g[i].governor);
	}
	ctp_buf_addch(b, '}');
}

static void w_cpuset(struct ctp_buf *b, const struct ctp_cpuset *c)
{
	ctp_buf_addch(b, '[');
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			ctp_buf_addch(b, ',');
		ctp_json_u64(b, c->cpus[i]);
	}
	ctp_buf_addch(b, ']');
}

/* a value that needs nothing but itself */
static void w_value(struct ctp_buf *b, enum ctp_vkind vk, const void *p)
{
	switch (vk) {
	case CTP_V_U64: ctp_json_u64(b, *(const uint64_t *)p); break;
	case CTP_V_U32: ctp_json_u64(b, *(const uint32_t *)p); break;
	case CTP_V_I32: ctp_json_i64(b, *(const int32_t *)p); break;
	case CTP_V_STR: ctp_json_str(b, *(char *const *)p ? *(char *const *)p : ""); break;
	case CTP_V_BOOL: ctp_buf_adds(b, *(const bool *)p ? "true" : "false"); break;
	case CTP_V_CHAR: {
		char u[4];
		uint32_t cp = *(const uint32_t *)p;
		ctp_json_strn(b, u, ctp_utf8_encode(cp && cp <= 0x10ffff ? cp : '~', u));
		break;
	}
	case CTP_V_CPUSET: w_cpuset(b, p); break;
	case CTP_V_KVMAP: w_kvmap(b, p); break;
	case CTP_V_STRMAP: w_strmap(b, p); break;
	case CTP_V_OPT_U64: {
		const struct ctp_opt_u64 *o = p;
		if (o->set)
			ctp_json_u64(b, o->v);
		else
			w_null(b);
		break;
	}
	case CTP_V_OPT_I32: {
		const struct ctp_opt_i32 *o = p;
		if (o->set)
			ctp_json_i64(b, o->v);
		else
			w_null(b);
		break;
	}
	default: w_null(b); break; /* GOVMAP, ENUM, OBJ: w_field */
	}
}

static void w_object(struct ctp_buf *b, const struct ctp_otable *t, const void *base);

/* the value of key f of the object at base */
static void w_field(struct ctp_buf *b, const struct ctp_ofield *f, const void *base)
{
	const void *p = ctp_ofield_ptr(f, base);
	if (f->presence == CTP_PRES_OPT && !ctp_ofield_known(f, base)) {
		w_null(b);
		return;
	}
	switch (f->vk) {
	case CTP_V_GOVMAP:
		w_govmap(b, *(struct ctp_governor *const *)p, *(const size_t *)((const char *)base + f->aux));
		break;
	case CTP_V_ENUM: ctp_json_str(b, f->names[*(const int *)p]); break; /* known: in range */
	case CTP_V_OBJ: w_object(b, f->sub, p); break;
	default: w_value(b, f->vk, p); break;
	}
}

static void w_object(struct ctp_buf *b, const struct ctp_otable *t, const void *base)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < t->n; i++) {
		const struct ctp_ofield *f = &t->f[i];
		if ((f->presence == CTP_PRES_OMIT || f->presence == CTP_PRES_EMPTY) && !ctp_ofield_known(f, base))
			continue;
		ctp_json_key(b, &first, f->name);
		w_field(b, f, base);
	}
	ctp_buf_addch(b, '}');
}

/* key: the object, or null when obj is NULL */
static void w_nullable(struct ctp_buf *b, bool *first, const char *key, const struct ctp_otable *t, const void *obj)
{
	ctp_json_key(b, first, key);
	if (obj)
		w_object(b, t, obj);
	else
		w_null(b);
}

static void w_thread(struct ctp_buf *b, const struct ctp_thread *t)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < CTP_NFIELDS; i++) {
		ctp_json_key(b, &first, ctp_fields[i].name);
		w_value(b, ctp_vkind_of_kind[ctp_fields[i].kind], (const char *)t + ctp_fields[i].offset);
	}
	ctp_buf_addch(b, '}');
}

static void w_psi_half(struct ctp_buf *b, const struct ctp_psi_half *h)
{
	static const char *const names[] = { "avg10", "avg60", "avg300" };
	const uint16_t avg[] = { h->avg10, h->avg60, h->avg300 };
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < 3; i++) {
		ctp_json_key(b, &first, names[i]);
		ctp_json_u64(b, avg[i]);
	}
	ctp_json_key(b, &first, "total_usec");
	ctp_json_u64(b, h->total_usec);
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
		ctp_json_key(b, &first, names[i]);
		ctp_buf_addch(b, '{');
		ctp_json_key(b, &f2, "some");
		w_psi_half(b, &res[i]->some);
		ctp_json_key(b, &f2, "full");
		w_psi_half(b, &res[i]->full);
		ctp_buf_addch(b, '}');
	}
	ctp_buf_addch(b, '}');
}

/* CgroupStats: the member objects of data/cgroup.def, then psi */
static void w_cgroup(struct ctp_buf *b, const struct ctp_cgroup_stats *c)
{
	static const struct {
		const char *key;
		const struct ctp_otable *t;
	} members[] = { { "cpu", &ctp_cg_cpu_table }, { "memory", &ctp_cg_memory_table }, { "pids", &ctp_cg_pids_table } };
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < CTP_ARRAY_SIZE(members); i++) {
		ctp_json_key(b, &first, members[i].key);
		w_object(b, members[i].t, c);
	}
	ctp_json_key(b, &first, "psi");
	w_psi(b, &c->psi);
	ctp_buf_addch(b, '}');
}

static void w_threads(struct ctp_buf *b, const struct ctp_snapshot *s)
{
	ctp_buf_addch(b, '[');
	for (size_t i = 0; i < s->nthreads; i++) {
		if (i)
			ctp_buf_addch(b, ',');
		w_thread(b, &s->threads[i]);
	}
	ctp_buf_addch(b, ']');
}

static void w_cgroups(struct ctp_buf *b, const struct ctp_snapshot *s)
{
	bool first = true;
	ctp_buf_addch(b, '{');
	for (size_t i = 0; i < s->ncgroups; i++) {
		ctp_json_key(b, &first, s->cgroups[i].path);
		w_cgroup(b, &s->cgroups[i]);
	}
	ctp_buf_addch(b, '}');
}

void ctp_snapshot_to_json(const struct ctp_snapshot *s, struct ctp_buf *b)
{
	bool first = true;
	ctp_buf_grow(b, 2048 + s->nthreads * 3072);
	ctp_buf_addch(b, '{');
	ctp_json_key(b, &first, "captured_at_unix_ns");
	ctp_json_u64(b, s->captured_at_unix_ns);
	w_nullable(b, &first, "host", &ctp_host_table, s->host);
	ctp_json_key(b, &first, "threads");
	w_threads(b, s);
	ctp_json_key(b, &first, "cgroup_stats");
	w_cgroups(b, s);
	w_nullable(b, &first, "probe_summary", &ctp_probe_summary_table, s->probe_summary);
	w_nullable(b, &first, "parse_summary", &ctp_parse_summary_table, s->parse_summary);
	w_nullable(b, &first, "taskstats_summary", &ctp_taskstats_summary_table, s->taskstats_summary);
	ctp_json_key(b, &first, "psi");
	w_psi(b, &s->psi);
	w_nullable(b, &first, "sched_ext", &ctp_sched_ext_table, s->sched_ext);
	if (s->captured_boottime_ns) {
		ctp_json_key(b, &first, "captured_boottime_ns");
		ctp_json_u64(b, s->captured_boottime_ns);
	}
	ctp_buf_addch(b, '}');
}
