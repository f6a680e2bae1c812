/* schema_read.c — the snapshot from JSON, checked against ktstr's schema as the key tables
 * describe it (registry.h for threads, schema.h for the rest): types and ranges, required keys,
 * duplicate struct keys refused, map keys last-wins, unknown keys skipped, older spellings read
 * into their key; an error names the JSON path ("threads[3].nice"). */
#include <stdlib.h>
#include <string.h>

#include "base/jsonr.h"
#include "snapshot/schema.h"
#include "snapshot/snapfile.h"

typedef int (*field_fn)(struct ctp_jsonr *r, size_t idx, void *ctx);

/* reads an object whose known keys are names[0..n); the first nreq may be required (required[i]) */
static int r_struct(struct ctp_jsonr *r, const char *const *names, size_t n, const bool *required, size_t nreq,
		    field_fn fn, void *ctx)
{
	bool seen[CTP_SCHEMA_MAX_KEYS];
	if (ctp_jsonr_struct(r, names, n, seen, fn, ctx) < 0)
		return -1;
	return required ? ctp_jsonr_require(r, names, nreq, seen, required) : 0;
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

/* BTreeMap<usize, String>: CPU number keys; appended, then sorted by cpu (the last of a repeat wins) */
static int r_governors(struct ctp_jsonr *r, struct ctp_governor **g, size_t *n)
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
		if (*n >= alloc) {
			alloc = *n ? *n * 2 : 8;
			*g = ctp_xrealloc(*g, alloc * sizeof(**g));
		}
		(*g)[(*n)++] = (struct ctp_governor){ (uint32_t)cpu, gov };
	}
	if (more == 0)
		ctp_governors_finish(g, n); /* sorted by cpu; a repeated cpu: the last wins */
	return more;
}

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

/* an enum written as one of names[1..n) (names[0] is "unknown") */
static int r_enum(struct ctp_jsonr *r, const char *const *names, size_t n, int *out)
{
	const char *s;
	size_t len;
	if (ctp_jsonr_string(r, &s, &len))
		return -1;
	for (size_t i = 1; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len)) {
			*out = (int)i;
			return 0;
		}
	return ctp_jsonr_fail(r, "unknown variant \"%.*s\"", (int)(len > 40 ? 40 : len), s);
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

static int r_opt_i32(struct ctp_jsonr *r, struct ctp_opt_i32 *o)
{
	o->set = false;
	if (ctp_jsonr_null(r))
		return 0;
	if (ctp_jsonr_i32(r, &o->v))
		return -1;
	o->set = true;
	return 0;
}

static int r_str(struct ctp_jsonr *r, char **out)
{
	char *s;
	if (ctp_jsonr_strdup(r, &s))
		return -1;
	free(*out);
	*out = s;
	return 0;
}

/* a value that needs nothing but its place */
static int r_value(struct ctp_jsonr *r, enum ctp_vkind vk, void *p)
{
	switch (vk) {
	case CTP_V_U64: return ctp_jsonr_u64(r, p);
	case CTP_V_U32: return ctp_jsonr_u32(r, p);
	case CTP_V_I32: return ctp_jsonr_i32(r, p);
	case CTP_V_BOOL: return ctp_jsonr_bool(r, p);
	case CTP_V_CHAR: return r_char(r, p);
	case CTP_V_STR: return r_str(r, p);
	case CTP_V_CPUSET: return r_cpuset(r, p);
	case CTP_V_KVMAP: return r_kvmap(r, p);
	case CTP_V_STRMAP: return r_strmap(r, p);
	case CTP_V_OPT_U64: return r_opt_u64(r, p);
	case CTP_V_OPT_I32: return r_opt_i32(r, p);
	default: return ctp_jsonr_fail(r, "internal: value kind %d needs its key", (int)vk);
	}
}

static int r_object(struct ctp_jsonr *r, const struct ctp_otable *t, void *base);

/* key f of the object at base. OPT and OMIT keys take null as unknown (the value stays as it
 * is: unset in a new object); REQ and EMPTY keys refuse it through their value reader */
static int r_field(struct ctp_jsonr *r, const struct ctp_ofield *f, void *base)
{
	void *p = ctp_ofield_ptr(f, base), *aux = (char *)base + f->aux;
	if ((f->presence == CTP_PRES_OPT || f->presence == CTP_PRES_OMIT) && ctp_jsonr_null(r))
		return 0;
	switch (f->vk) {
	case CTP_V_STRMAP:
		*(bool *)aux = true;
		return r_strmap(r, p);
	case CTP_V_GOVMAP: return r_governors(r, p, aux);
	case CTP_V_ENUM: return r_enum(r, f->names, f->nnames, p);
	case CTP_V_OBJ:
		*(bool *)aux = true;
		return r_object(r, f->sub, p);
	default: return r_value(r, f->vk, p);
	}
}

struct obj_ctx {
	const struct ctp_otable *t;
	void *base;
};

/* an older spelling fills its key unless the key itself was already read */
static int object_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	const struct obj_ctx *o = ctx;
	if (idx >= o->t->n) {
		const struct ctp_ofield *f = &o->t->f[o->t->alias_of[idx - o->t->n]];
		return ctp_ofield_known(f, o->base) ? ctp_jsonr_skip(r) : r_field(r, f, o->base);
	}
	return r_field(r, &o->t->f[idx], o->base);
}

static int r_object(struct ctp_jsonr *r, const struct ctp_otable *t, void *base)
{
	struct obj_ctx o = { t, base };
	bool seen[CTP_SCHEMA_MAX_KEYS];
	if (ctp_jsonr_struct(r, t->names, t->n + t->nalias, seen, object_field, &o) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (t->f[i].presence == CTP_PRES_REQ && !seen[i])
			return ctp_jsonr_fail(r, "missing field `%s`", t->f[i].name);
	return 0;
}

/* `null` or an object into a freshly allocated *slot (freed by the snapshot) */
static int r_nullable(struct ctp_jsonr *r, void **slot, size_t size, const struct ctp_otable *t)
{
	if (ctp_jsonr_null(r))
		return 0;
	if (!*slot)
		*slot = ctp_xcalloc(1, size);
	return r_object(r, t, *slot);
}

/* ---- threads ---- */

static const char *const thread_names[CTP_NFIELDS] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) #name,
#include "../../data/metrics.def"
#undef M
};
/* every key but the CHAR one (state, "~" when missing) is required */
static const bool thread_required[CTP_NFIELDS] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) CTP_KIND_##kind != CTP_KIND_CHAR,
#include "../../data/metrics.def"
#undef M
};

static int thread_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	return r_value(r, ctp_vkind_of_kind[ctp_fields[idx].kind], (char *)ctx + ctp_fields[idx].offset);
}

static int r_threads(struct ctp_jsonr *r, struct ctp_snapshot *s)
{
	size_t idx;
	int more;
	if (ctp_jsonr_arr_begin(r))
		return -1;
	/* a thread takes about 2.5 KB of JSON: size the array once for the common case */
	ctp_snapshot_reserve_threads(s, (size_t)(r->end - r->p) / 3072 + 16);
	while ((more = ctp_jsonr_arr_next(r, &idx)) == 1) {
		struct ctp_thread *t = ctp_snapshot_add_thread_blank(s); /* strings are required keys */
		if (r_struct(r, thread_names, CTP_NFIELDS, thread_required, CTP_NFIELDS, thread_field, t))
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
	return r_struct(r, names, 4, req, 4, psi_half_field, idx == 0 ? &res->some : &res->full);
}

static int psi_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	static const char *const names[] = { "some", "full" };
	static const bool req[] = { 1, 1 };
	struct ctp_psi *p = ctx;
	struct ctp_psi_resource *res[] = { &p->cpu, &p->memory, &p->io, &p->irq };
	return r_struct(r, names, 2, req, 2, psi_res_field, res[idx]);
}

static int r_psi(struct ctp_jsonr *r, struct ctp_psi *p)
{
	static const char *const names[] = { "cpu", "memory", "io", "irq" };
	static const bool req[] = { 1, 1, 1, 1 };
	return r_struct(r, names, 4, req, 4, psi_field, p);
}

/* ---- cgroup stats: the member objects of data/cgroup.def, then psi ---- */

static const struct ctp_otable *const cg_members[] = { &ctp_cg_cpu_table, &ctp_cg_memory_table, &ctp_cg_pids_table };

static int cg_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_cgroup_stats *c = ctx;
	return idx < CTP_ARRAY_SIZE(cg_members) ? r_object(r, cg_members[idx], c) : r_psi(r, &c->psi);
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
		if (r_struct(r, names, 4, req, 4, cg_field, c))
			return -1;
	}
	if (more == 0)
		ctp_snapshot_finish_cgroups(s); /* sorted by path; a repeated path: the last entry wins */
	return more;
}

/* ---- the snapshot ---- */

static int top_field(struct ctp_jsonr *r, size_t idx, void *ctx)
{
	struct ctp_snapshot *s = ctx;
	switch (idx) {
	case 0: return ctp_jsonr_u64(r, &s->captured_at_unix_ns);
	case 1: return r_nullable(r, (void **)&s->host, sizeof(*s->host), &ctp_host_table);
	case 2: return r_threads(r, s);
	case 3: return r_cgroups(r, s);
	case 4: return r_nullable(r, (void **)&s->probe_summary, sizeof(*s->probe_summary), &ctp_probe_summary_table);
	case 5: return r_nullable(r, (void **)&s->parse_summary, sizeof(*s->parse_summary), &ctp_parse_summary_table);
	case 6:
		return r_nullable(r, (void **)&s->taskstats_summary, sizeof(*s->taskstats_summary),
				  &ctp_taskstats_summary_table);
	case 7: return r_psi(r, &s->psi);
	case 9: return ctp_jsonr_u64(r, &s->captured_boottime_ns);
	default: return r_nullable(r, (void **)&s->sched_ext, sizeof(*s->sched_ext), &ctp_sched_ext_table);
	}
}

int ctp_snapshot_from_json(const char *json, size_t len, struct ctp_snapshot **out, struct ctp_err *err)
{
	static const char *const names[] = { "captured_at_unix_ns", "host", "threads", "cgroup_stats", "probe_summary",
					     "parse_summary", "taskstats_summary", "psi", "sched_ext",
					     "captured_boottime_ns" };
	static const bool req[] = { 1, 0, 1, 1, 0, 0, 0, 1, 0, 0 };
	struct ctp_jsonr r;
	struct ctp_snapshot *s = ctp_snapshot_new();
	ctp_jsonr_init(&r, json, len, err);
	int rc = r_struct(&r, names, CTP_ARRAY_SIZE(names), req, CTP_ARRAY_SIZE(names), top_field, s);
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
