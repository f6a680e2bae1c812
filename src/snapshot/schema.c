/* schema.c — expands data/host.def, cgroup.def and summary.def into key tables (struct
 * ctp_otable) and walks them generically: is a value known, free or copy what an object owns,
 * set the initial numbers of a new object. */
#include "snapshot/schema.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* what else a kind needs, as designated initializers (T: the struct, n: the key) */
#define MORE_U64(T, n)
#define MORE_I32(T, n)
#define MORE_BOOL(T, n)
#define MORE_STR(T, n)
#define MORE_KVMAP(T, n)
#define MORE_STRMAP(T, n) .aux = offsetof(T, has_##n),
#define MORE_GOVMAP(T, n) .aux = offsetof(T, n_##n),
#define MORE_DELAYACCT(T, n) .names = ctp_delayacct_names, .nnames = CTP_DELAYACCT_COUNT,
#define MORE_XACCT(T, n) .names = ctp_xacct_names, .nnames = CTP_XACCT_COUNT,
#define MORE_HEAP(T, n) .aux = offsetof(T, n.set), .sub = &ctp_heap_table,

/* one key of struct T at member (member may be nested: cpu.usage_usec) */
#define OFIELD(T, member, key, kind, pres, orig, initv, hlp)                                         \
	{ .name = #key, .vk = CTP_VK(kind, pres), .presence = CTP_PRES_##pres,                       \
	  .origin = CTP_ORIGIN_##orig, .off = offsetof(T, member), .init = initv, .help = hlp,         \
	  MORE_##kind(T, key) },
/* an extension must stay invisible to ktstr: omitted when unknown, optional on read */
#define BAD_EXT(pres, orig) +(CTP_ORIGIN_##orig == CTP_ORIGIN_EXT && CTP_PRES_##pres != CTP_PRES_OMIT)
#define TABLE(var, fields, names, alias, nalias)                                                \
	const struct ctp_otable var = { fields, CTP_ARRAY_SIZE(fields), names, alias, nalias };       \
	_Static_assert(CTP_ARRAY_SIZE(names) == CTP_ARRAY_SIZE(fields) + (nalias) &&                  \
			       CTP_ARRAY_SIZE(names) <= CTP_SCHEMA_MAX_KEYS,                           \
		       #var ": names do not match the keys");

_Static_assert(CTP_NFIELDS <= CTP_SCHEMA_MAX_KEYS, "CTP_SCHEMA_MAX_KEYS below the thread keys");
_Static_assert(sizeof(enum ctp_delayacct) == sizeof(int) && sizeof(enum ctp_xacct) == sizeof(int),
	       "ENUM values are read and written as int");

#define X_NAME(id, name) name,
const char *const ctp_delayacct_names[CTP_DELAYACCT_COUNT] = { NULL, CTP_DELAYACCT_LIST(X_NAME) };
const char *const ctp_xacct_names[CTP_XACCT_COUNT] = { NULL, CTP_XACCT_LIST(X_NAME) };
#undef X_NAME

#define X_KIND(id, name, man) [CTP_KIND_##id] = CTP_V_##id,
const enum ctp_vkind ctp_vkind_of_kind[] = { CTP_KIND_LIST(X_KIND) };
#undef X_KIND

/* ---- host context ---- */
static const struct ctp_ofield heap_fields[] = {
#define HEAP(name, kind, pres, help) OFIELD(struct ctp_heap_state, name, name, kind, pres, KTSTR, 0, help)
#include "../../data/host.def"
#undef HEAP
};
static const char *const heap_names[] = {
#define HEAP(name, ...) #name,
#include "../../data/host.def"
#undef HEAP
};
TABLE(ctp_heap_table, heap_fields, heap_names, NULL, 0)

enum {
#define H(name, ...) HOST_##name,
#include "../../data/host.def"
#undef H
};
static const struct ctp_ofield host_fields[] = {
#define H(name, kind, pres, orig, cmp, help) OFIELD(struct ctp_host, name, name, kind, pres, orig, 0, help)
#include "../../data/host.def"
#undef H
};
static const char *const host_names[] = {
#define H(name, ...) #name,
#define HOST_ALIAS(old, name) #old,
#include "../../data/host.def"
#undef H
#undef HOST_ALIAS
};
static const size_t host_alias[] = {
#define HOST_ALIAS(old, name) HOST_##name,
#include "../../data/host.def"
#undef HOST_ALIAS
};
TABLE(ctp_host_table, host_fields, host_names, host_alias, CTP_ARRAY_SIZE(host_alias))
_Static_assert(0
#define H(name, kind, pres, orig, ...) BAD_EXT(pres, orig)
#include "../../data/host.def"
#undef H
		       == 0, "host.def: an EXT key must be OMIT");

/* ---- cgroup members: offsets from struct ctp_cgroup_stats ---- */
#define CG(member, name, kind, pres, orig, init, cmp, as, ladder, help)                             \
	OFIELD(struct ctp_cgroup_stats, member.name, name, kind, pres, orig, init, help)

static const struct ctp_ofield cg_cpu_fields[] = {
#define CG_CPU(...) CG(cpu, __VA_ARGS__)
#include "../../data/cgroup.def"
#undef CG_CPU
};
static const struct ctp_ofield cg_memory_fields[] = {
#define CG_MEMORY(...) CG(memory, __VA_ARGS__)
#include "../../data/cgroup.def"
#undef CG_MEMORY
};
static const struct ctp_ofield cg_pids_fields[] = {
#define CG_PIDS(...) CG(pids, __VA_ARGS__)
#include "../../data/cgroup.def"
#undef CG_PIDS
};
#undef CG
#define CG_NAME(name, ...) #name,
static const char *const cg_cpu_names[] = {
#define CG_CPU CG_NAME
#include "../../data/cgroup.def"
#undef CG_CPU
};
static const char *const cg_memory_names[] = {
#define CG_MEMORY CG_NAME
#include "../../data/cgroup.def"
#undef CG_MEMORY
};
static const char *const cg_pids_names[] = {
#define CG_PIDS CG_NAME
#include "../../data/cgroup.def"
#undef CG_PIDS
};
#undef CG_NAME
TABLE(ctp_cg_cpu_table, cg_cpu_fields, cg_cpu_names, NULL, 0)
TABLE(ctp_cg_memory_table, cg_memory_fields, cg_memory_names, NULL, 0)
TABLE(ctp_cg_pids_table, cg_pids_fields, cg_pids_names, NULL, 0)
_Static_assert(0
#define CG_CPU(name, kind, pres, orig, ...) BAD_EXT(pres, orig)
#define CG_MEMORY(name, kind, pres, orig, ...) BAD_EXT(pres, orig)
#define CG_PIDS(name, kind, pres, orig, ...) BAD_EXT(pres, orig)
#include "../../data/cgroup.def"
#undef CG_CPU
#undef CG_MEMORY
#undef CG_PIDS
		       == 0, "cgroup.def: an EXT key must be OMIT");

/* ---- summaries and sched_ext ---- */
#define SUMMARY(T, name, kind, pres, orig, help) OFIELD(T, name, name, kind, pres, orig, 0, help)
#define S_NAME(name, ...) #name,
static const struct ctp_ofield probe_fields[] = {
#define PROBE_SUMMARY(...) SUMMARY(struct ctp_probe_summary, __VA_ARGS__)
#include "../../data/summary.def"
#undef PROBE_SUMMARY
};
static const char *const probe_names[] = {
#define PROBE_SUMMARY S_NAME
#include "../../data/summary.def"
#undef PROBE_SUMMARY
};
static const struct ctp_ofield parse_fields[] = {
#define PARSE_SUMMARY(...) SUMMARY(struct ctp_parse_summary, __VA_ARGS__)
#include "../../data/summary.def"
#undef PARSE_SUMMARY
};
static const char *const parse_names[] = {
#define PARSE_SUMMARY S_NAME
#include "../../data/summary.def"
#undef PARSE_SUMMARY
};
static const struct ctp_ofield taskstats_fields[] = {
#define TASKSTATS_SUMMARY(...) SUMMARY(struct ctp_taskstats_summary, __VA_ARGS__)
#include "../../data/summary.def"
#undef TASKSTATS_SUMMARY
};
static const char *const taskstats_names[] = {
#define TASKSTATS_SUMMARY S_NAME
#include "../../data/summary.def"
#undef TASKSTATS_SUMMARY
};
static const struct ctp_ofield schedext_fields[] = {
#define SCHED_EXT(...) SUMMARY(struct ctp_sched_ext, __VA_ARGS__)
#include "../../data/summary.def"
#undef SCHED_EXT
};
static const char *const schedext_names[] = {
#define SCHED_EXT S_NAME
#include "../../data/summary.def"
#undef SCHED_EXT
};
#undef SUMMARY
#undef S_NAME
TABLE(ctp_probe_summary_table, probe_fields, probe_names, NULL, 0)
TABLE(ctp_parse_summary_table, parse_fields, parse_names, NULL, 0)
TABLE(ctp_taskstats_summary_table, taskstats_fields, taskstats_names, NULL, 0)
TABLE(ctp_sched_ext_table, schedext_fields, schedext_names, NULL, 0)
_Static_assert(0
#define PROBE_SUMMARY(name, kind, pres, orig, help) BAD_EXT(pres, orig)
#define PARSE_SUMMARY(name, kind, pres, orig, help) BAD_EXT(pres, orig)
#define TASKSTATS_SUMMARY(name, kind, pres, orig, help) BAD_EXT(pres, orig)
#define SCHED_EXT(name, kind, pres, orig, help) BAD_EXT(pres, orig)
#include "../../data/summary.def"
#undef PROBE_SUMMARY
#undef PARSE_SUMMARY
#undef TASKSTATS_SUMMARY
#undef SCHED_EXT
		       == 0, "summary.def: an EXT key must be OMIT");

/* ---- walkers ---- */
static const void *aux_ptr(const struct ctp_ofield *f, const void *base)
{
	return (const char *)base + f->aux;
}

bool ctp_ofield_known(const struct ctp_ofield *f, const void *base)
{
	const void *p = ctp_ofield_ptr(f, base);
	switch (f->vk) {
	case CTP_V_STR: return *(char *const *)p != NULL;
	case CTP_V_OPT_U64: return ((const struct ctp_opt_u64 *)p)->set;
	case CTP_V_OPT_I32: return ((const struct ctp_opt_i32 *)p)->set;
	case CTP_V_STRMAP:
	case CTP_V_OBJ: return *(const bool *)aux_ptr(f, base);
	case CTP_V_GOVMAP: return *(const size_t *)aux_ptr(f, base) != 0;
	case CTP_V_ENUM: return *(const int *)p > 0 && (size_t) * (const int *)p < f->nnames;
	default: return true;
	}
}

void ctp_otable_release(const struct ctp_otable *t, void *base)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ctp_ofield *f = &t->f[i];
		void *p = ctp_ofield_ptr(f, base);
		switch (f->vk) {
		case CTP_V_STR: free(*(char **)p); *(char **)p = NULL; break;
		case CTP_V_KVMAP: ctp_kvmap_release(p); break;
		case CTP_V_STRMAP: ctp_strmap_release(p); break;
		case CTP_V_GOVMAP: {
			struct ctp_governor **g = p;
			size_t *n = (size_t *)((char *)base + f->aux);
			for (size_t k = 0; k < *n; k++)
				free((*g)[k].governor);
			free(*g);
			*g = NULL;
			*n = 0;
			break;
		}
		case CTP_V_OBJ: ctp_otable_release(f->sub, p); break;
		default: break;
		}
	}
}

/* GOVMAP value at p (count at cnt) copied from src's */
static void govmap_copy(struct ctp_governor **p, size_t *cnt, struct ctp_governor *const *src, size_t n)
{
	*p = n ? ctp_xcalloc(n, sizeof(**p)) : NULL;
	*cnt = n;
	for (size_t k = 0; k < n; k++) {
		(*p)[k].cpu = (*src)[k].cpu;
		(*p)[k].governor = (*src)[k].governor ? ctp_xstrdup((*src)[k].governor) : NULL;
	}
}

void ctp_otable_copy(const struct ctp_otable *t, void *dst, const void *src, size_t size)
{
	memcpy(dst, src, size);
	for (size_t i = 0; i < t->n; i++) {
		const struct ctp_ofield *f = &t->f[i];
		void *p = ctp_ofield_ptr(f, dst);
		const void *q = ctp_ofield_ptr(f, src);
		switch (f->vk) {
		case CTP_V_STR: {
			const char *str = *(char *const *)q;
			*(char **)p = str ? ctp_xstrdup(str) : NULL;
			break;
		}
		case CTP_V_KVMAP:
			memset(p, 0, sizeof(struct ctp_kvmap)); /* src's until now */
			ctp_kvmap_assign(p, q);
			break;
		case CTP_V_STRMAP: {
			const struct ctp_strmap *m = q;
			memset(p, 0, sizeof(*m));
			for (size_t k = 0; k < m->n; k++)
				ctp_strmap_set(p, m->v[k].key, m->v[k].val);
			break;
		}
		case CTP_V_GOVMAP:
			govmap_copy(p, (size_t *)((char *)dst + f->aux), q, *(const size_t *)((const char *)src + f->aux));
			break;
		case CTP_V_OBJ: ctp_otable_copy(f->sub, p, q, 0); break;
		default: break;
		}
	}
}

void ctp_otable_init(const struct ctp_otable *t, void *base)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->f[i].vk == CTP_V_U64)
			*(uint64_t *)ctp_ofield_ptr(&t->f[i], base) = t->f[i].init;
}
