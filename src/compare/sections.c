/* sections.c — the secondary compare tables (compare.md §5) as flat rows: per-cgroup stats /
 * memory.stat / memory.events / limits / pressure (cgroup axis, rows and merge rules from
 * data/cgroup.def), the --filter pass and the entry point; smaps_rollup is secsmaps.c, host PSI,
 * sched_ext and host context sechost.c. Each row carries both sides; changed_only drops equal rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/filter.h"
#include "internal.h"
#include "secrows.h"
#include "snapshot/schema.h"

struct ctp_srow *ctp_sec_add(struct ctp_sections *s, const char *section, const char *group, size_t glen,
			     const char *name, enum ctp_ladder l)
{
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 32;
		s->v = ctp_xrealloc(s->v, s->alloc * sizeof(*s->v));
	}
	struct ctp_srow *r = &s->v[s->n++];
	memset(r, 0, sizeof(*r));
	r->section = section;
	r->group = ctp_xstrndup(group, glen);
	for (size_t i = 0; i < glen; i++) /* all-axis keys: NUL -> " | " is too long here; use '/' */
		if (!r->group[i])
			r->group[i] = '/';
	r->name = ctp_xstrdup(name);
	r->ladder = l;
	return r;
}

void ctp_sec_set_num(struct ctp_srow *r, int side, bool ok, double v)
{
	if (side) {
		r->live_ok = ok;
		r->live = v;
	} else {
		r->base_ok = ok;
		r->base = v;
	}
}

void ctp_sec_finish(struct ctp_sections *s, bool changed_only)
{
	struct ctp_srow *r = &s->v[s->n - 1];
	if (r->base_text || r->live_text)
		r->changed = !r->base_text || !r->live_text || strcmp(r->base_text, r->live_text);
	else
		r->changed = r->base_ok != r->live_ok || r->base != r->live;
	if (changed_only && !r->changed) {
		free(r->group);
		free(r->name);
		free(r->base_text);
		free(r->live_text);
		s->n--;
	}
}

/* ---- key/field accumulation of the cgroup tables (smaps_rollup: secsmaps.c) ---- */
struct kvacc {
	struct ctp_hmap keys;     /* "key\0field" -> index */
	double *v[2];
	bool *ok[2];
	size_t n, alloc;
};

/* memory.stat gauge keys (merged by max, §5.2); every other key is a counter (summed) */
static bool memstat_gauge(const char *k)
{
	static const char *const g[] = { "anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables",
					 "percpu", "sock", "vmalloc", "shmem", "zswap", "zswapped", "file_mapped",
					 "file_dirty", "file_writeback", "swapcached", "anon_thp", "file_thp",
					 "shmem_thp", "inactive_anon", "active_anon", "inactive_file", "active_file",
					 "unevictable", "slab_reclaimable", "slab_unreclaimable", "slab", "hugetlb" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(g); i++)
		if (!strcmp(k, g[i]))
			return true;
	return false;
}

static void kv_put(struct kvacc *a, int side, const char *key, size_t klen, const char *field, uint64_t val, bool max)
{
	struct ctp_buf k = CTP_BUF_INIT;
	ctp_buf_add(&k, key, klen);
	ctp_buf_addch(&k, 0);
	ctp_buf_adds(&k, field);
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(&a->keys, k.buf, k.len, a->n, &ins);
	if (ins) {
		if (a->n == a->alloc) {
			a->alloc = a->alloc ? a->alloc * 2 : 64;
			for (int s = 0; s < 2; s++) {
				a->v[s] = ctp_xrealloc(a->v[s], a->alloc * sizeof(double));
				a->ok[s] = ctp_xrealloc(a->ok[s], a->alloc * sizeof(bool));
			}
		}
		for (int s = 0; s < 2; s++) {
			a->v[s][a->n] = 0;
			a->ok[s][a->n] = false;
		}
		a->n++;
	}
	if (!max)
		a->v[side][e->val] += (double)val;
	else if (!a->ok[side][e->val] || (double)val > a->v[side][e->val])
		a->v[side][e->val] = (double)val;
	a->ok[side][e->val] = true;
	ctp_buf_release(&k);
}

static int cmp_hent(const void *pa, const void *pb)
{
	const struct ctp_hent *a = *(const struct ctp_hent *const *)pa, *b = *(const struct ctp_hent *const *)pb;
	return ctp_keycmp(a->key, a->len, b->key, b->len);
}

/* the entries of m (at most max) in key order; *n gets their number; free the array */
static struct ctp_hent **sorted_ents(const struct ctp_hmap *m, size_t max, size_t *n)
{
	struct ctp_hent **ents = ctp_xmalloc((max + 1) * sizeof(*ents));
	*n = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key)
			ents[(*n)++] = &m->v[i];
	qsort(ents, *n, sizeof(*ents), cmp_hent);
	return ents;
}

static void kv_emit(struct kvacc *a, struct ctp_sections *out, const char *section, enum ctp_ladder l, bool changed_only)
{
	size_t n;
	struct ctp_hent **ents = sorted_ents(&a->keys, a->n, &n);
	for (size_t i = 0; i < n; i++) {
		const char *k = ents[i]->key;
		size_t kl = strlen(k), fo = kl + 1;
		/* the key part may itself contain NULs (all axis): the field is after the last NUL */
		for (size_t j = 0; j < ents[i]->len; j++)
			if (!k[j])
				fo = j + 1;
		kl = fo - 1;
		struct ctp_srow *r = ctp_sec_add(out, section, k, kl, k + fo, l);
		for (int s = 0; s < 2; s++)
			ctp_sec_set_num(r, s, a->ok[s][ents[i]->val], a->v[s][ents[i]->val]);
		ctp_sec_finish(out, changed_only);
	}
	free(ents);
	ctp_hmap_release(&a->keys);
	for (int s = 0; s < 2; s++) {
		free(a->v[s]);
		free(a->ok[s]);
	}
}

/* ---- the cgroup keys compare shows: data/cgroup.def cmp, cmp_as and ladder ---- */
enum cg_cmp { CG_NONE, CG_SUM, CG_MAX, CG_LIMIT, CG_QUOTA, CG_PERIOD, CG_COUNT, CG_MEMSTAT, CG_EVENTS };
static const struct cgkey {
	size_t off;            /* in struct ctp_cgroup_stats */
	enum ctp_vkind vk;
	enum cg_cmp cmp;
	const char *as;        /* the row; the section of MEMSTAT and EVENTS */
	enum ctp_ladder ladder;
} cgkeys[] = {
#define CG(member, name, kind, pres, orig, init, cmp, as, ladder, help)                               \
	{ offsetof(struct ctp_cgroup_stats, member.name), CTP_VK(kind, pres), CG_##cmp, as, CTP_LADDER_##ladder },
#define CG_CPU(...) CG(cpu, __VA_ARGS__)
#define CG_MEMORY(...) CG(memory, __VA_ARGS__)
#define CG_PIDS(...) CG(pids, __VA_ARGS__)
#include "../../data/cgroup.def"
#undef CG_CPU
#undef CG_MEMORY
#undef CG_PIDS
#undef CG
};
#define NCGKEYS CTP_ARRAY_SIZE(cgkeys)
/* the map rules take a map, the others a u64 (known or not) */
#define CG_BAD(name, kind, pres, orig, init, cmp, ...)                                                \
	+(CG_##cmp != CG_NONE && (CG_##cmp >= CG_MEMSTAT ? CTP_VK(kind, pres) != CTP_V_KVMAP                \
						   : CTP_VK(kind, pres) != CTP_V_U64 &&                 \
							     CTP_VK(kind, pres) != CTP_V_OPT_U64))
_Static_assert(0
#define CG_CPU CG_BAD
#define CG_MEMORY CG_BAD
#define CG_PIDS CG_BAD
#include "../../data/cgroup.def"
#undef CG_CPU
#undef CG_MEMORY
#undef CG_PIDS
		       == 0, "cgroup.def: cmp does not fit the key's kind");
#undef CG_BAD

/* the number of key k in c; false when unknown */
static bool cg_num(const struct cgkey *k, const struct ctp_cgroup_stats *c, uint64_t *v)
{
	const void *p = (const char *)c + k->off;
	if (k->vk == CTP_V_U64) {
		*v = *(const uint64_t *)p;
		return true;
	}
	*v = ((const struct ctp_opt_u64 *)p)->v;
	return ((const struct ctp_opt_u64 *)p)->set;
}

/* the SUM/MAX keys into "cgroup-stats", the map keys into maps[key index] */
static void cg_stats_add(struct kvacc *st, struct kvacc *maps, int s, const struct ctp_buf *key,
			 const struct ctp_cgroup_stats *c)
{
	for (size_t i = 0; i < NCGKEYS; i++) {
		const struct cgkey *k = &cgkeys[i];
		uint64_t v;
		if ((k->cmp == CG_SUM || k->cmp == CG_MAX) && cg_num(k, c, &v)) {
			kv_put(st, s, key->buf, key->len, k->as, v, k->cmp == CG_MAX);
		} else if (k->cmp == CG_MEMSTAT || k->cmp == CG_EVENTS) {
			const struct ctp_kvmap *m = (const void *)((const char *)c + k->off);
			for (size_t j = 0; j < m->n; j++)
				kv_put(&maps[i], s, key->buf, key->len, m->v[j].key, m->v[j].val,
				       k->cmp == CG_MEMSTAT && memstat_gauge(m->v[j].key));
		}
	}
}

/* the ladder of a "cgroup-stats" row */
static enum ctp_ladder stat_ladder(const char *name)
{
	for (size_t i = 0; i < NCGKEYS; i++)
		if ((cgkeys[i].cmp == CG_SUM || cgkeys[i].cmp == CG_MAX) && !strcmp(cgkeys[i].as, name))
			return cgkeys[i].ladder;
	return CTP_LADDER_UNITLESS;
}

/* show (no base) leaves out the memory.stat rows that are zero (§6) */
static void drop_zero_rows(struct ctp_sections *out, size_t first)
{
	size_t w = first;
	for (size_t i = first; i < out->n; i++) {
		if (out->v[i].live_ok && out->v[i].live == 0) {
			free(out->v[i].group);
			free(out->v[i].name);
			continue;
		}
		out->v[w++] = out->v[i];
	}
	out->n = w;
}

static void cg_limits_psi(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o,
			  struct ctp_sections *out, bool changed_only);

/* ---- cgroup tables: merged per flattened/normalized key ---- */
static void cgroups(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_sections *out,
		    bool changed_only)
{
	struct kvacc st = { 0 }, maps[NCGKEYS];
	struct ctp_buf key = CTP_BUF_INIT;
	memset(maps, 0, sizeof(maps));
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->ncgroups; i++) {
			ctp_buf_reset(&key);
			ctp_cgroup_group_key(side[s]->cgroups[i].path, o, &key);
			cg_stats_add(&st, maps, s, &key, &side[s]->cgroups[i]);
		}
	ctp_buf_release(&key);
	size_t first = out->n;
	kv_emit(&st, out, "cgroup-stats", CTP_LADDER_UNITLESS, changed_only);
	for (size_t i = first; i < out->n; i++)
		out->v[i].ladder = stat_ladder(out->v[i].name);
	for (size_t i = 0; i < NCGKEYS; i++) {
		if (cgkeys[i].cmp != CG_MEMSTAT && cgkeys[i].cmp != CG_EVENTS)
			continue;
		first = out->n;
		kv_emit(&maps[i], out, cgkeys[i].as, cgkeys[i].ladder, changed_only);
		if (cgkeys[i].cmp == CG_MEMSTAT && !side[0])
			drop_zero_rows(out, first);
	}
	cg_limits_psi(side, o, out, changed_only);
}

/* ---- cgroup limits and pressure, merged per key (§5.2): limits max with None poisoning,
 * quota max, period max, counts summed, PSI averages max and totals sum ---- */
struct optacc {
	bool seen, none; /* none: some contributor had no limit */
	uint64_t v;
};
struct cgacc {
	bool present;
	struct optacc k[NCGKEYS]; /* per cgroup key */
	struct ctp_psi psi;
};

static void opt_max(struct optacc *a, bool known, uint64_t v)
{
	if (!known)
		a->none = true;
	else if (!a->seen || v > a->v)
		a->v = v;
	a->seen = true;
}

static void psi_half_merge(struct ctp_psi_half *d, const struct ctp_psi_half *s)
{
	d->avg10 = s->avg10 > d->avg10 ? s->avg10 : d->avg10;
	d->avg60 = s->avg60 > d->avg60 ? s->avg60 : d->avg60;
	d->avg300 = s->avg300 > d->avg300 ? s->avg300 : d->avg300;
	d->total_usec = ctp_sat_add(d->total_usec, s->total_usec);
}

static void cg_merge(struct cgacc *a, const struct ctp_cgroup_stats *c)
{
	a->present = true;
	for (size_t i = 0; i < NCGKEYS; i++) {
		struct optacc *x = &a->k[i];
		uint64_t v = 0;
		bool known = cgkeys[i].cmp != CG_NONE && cgkeys[i].cmp < CG_MEMSTAT && cg_num(&cgkeys[i], c, &v);
		switch (cgkeys[i].cmp) {
		case CG_LIMIT:
		case CG_QUOTA: opt_max(x, known, v); break;
		case CG_PERIOD:
			if (known && v > x->v)
				x->v = v;
			break;
		case CG_COUNT:
			if (known) {
				x->v = ctp_sat_add(x->v, v);
				x->seen = true;
			}
			break;
		default: break;
		}
	}
	for (int r = 0; r < 4; r++) {
		struct ctp_psi_resource *dst = (struct ctp_psi_resource *)ctp_sec_psi_res(&a->psi, r);
		psi_half_merge(&dst->some, &ctp_sec_psi_res(&c->psi, r)->some);
		psi_half_merge(&dst->full, &ctp_sec_psi_res(&c->psi, r)->full);
	}
}

/* limit text: "max" when unlimited, else the value on its ladder; NULL when no data */
static char *limit_text(const struct optacc *a, enum ctp_ladder l)
{
	char b[CTP_FMT_MAX];
	if (!a->seen)
		return NULL;
	if (a->none)
		return ctp_xstrdup("max");
	return ctp_xstrdup(l == CTP_LADDER_NONE ? (snprintf(b, sizeof(b), "%llu", (unsigned long long)a->v), b)
						: ctp_fmt_value(b, (double)a->v, l));
}

static void limit_row(struct ctp_sections *out, const char *key, size_t klen, const char *name, char *t0, char *t1,
		      bool changed_only)
{
	if (!t0 && !t1)
		return;
	struct ctp_srow *r = ctp_sec_add(out, "cgroup-limits", key, klen, name, CTP_LADDER_NONE);
	r->base_text = t0;
	r->live_text = t1;
	ctp_sec_finish(out, changed_only);
}

/* "quota/period" of a side; q and p index the QUOTA and PERIOD keys (p may be NCGKEYS: none) */
static char *cpumax_text(const struct cgacc *a, size_t q, size_t p, enum ctp_ladder l)
{
	char qt[CTP_FMT_MAX], pt[CTP_FMT_MAX], b[2 * CTP_FMT_MAX + 2];
	const struct optacc *quota = &a->k[q];
	uint64_t period = p < NCGKEYS ? a->k[p].v : 0;
	if (!a->present || (!quota->seen && !period))
		return NULL;
	snprintf(b, sizeof(b), "%s/%s", quota->none || !quota->seen ? "max" : ctp_fmt_value(qt, (double)quota->v, l),
		 ctp_fmt_value(pt, (double)period, l));
	return ctp_xstrdup(b);
}

/* ktstr: a side has caps when it has a cpu.max quota, a weight, a memory.max/high, a pids.max
 * (a number, not "max") or a pids.current */
static bool cg_has_caps(const struct cgacc *a)
{
	for (size_t i = 0; a->present && i < NCGKEYS; i++)
		if (((cgkeys[i].cmp == CG_LIMIT || cgkeys[i].cmp == CG_QUOTA) && a->k[i].seen && !a->k[i].none) ||
		    (cgkeys[i].cmp == CG_COUNT && a->k[i].seen))
			return true;
	return false;
}

/* the limit rows of one key in table order, then its counts: every row of a cgroup with caps on
 * either side, unchanged ones too (ktstr lists the cgroup); none for a cgroup without caps */
static void cg_limit_rows(struct ctp_sections *out, const char *k, size_t kl, const struct cgacc a[2], bool changed_only)
{
	if (!cg_has_caps(&a[0]) && !cg_has_caps(&a[1]))
		return;
	changed_only = false;
	size_t period = 0;
	while (period < NCGKEYS && cgkeys[period].cmp != CG_PERIOD)
		period++;
	for (size_t i = 0; i < NCGKEYS; i++) {
		const struct cgkey *ck = &cgkeys[i];
		if (ck->cmp == CG_LIMIT)
			limit_row(out, k, kl, ck->as, limit_text(&a[0].k[i], ck->ladder), limit_text(&a[1].k[i], ck->ladder),
				  changed_only);
		else if (ck->cmp == CG_QUOTA)
			limit_row(out, k, kl, ck->as, cpumax_text(&a[0], i, period, ck->ladder),
				  cpumax_text(&a[1], i, period, ck->ladder), changed_only);
	}
	for (size_t i = 0; i < NCGKEYS; i++) {
		if (cgkeys[i].cmp != CG_COUNT || (!a[0].k[i].seen && !a[1].k[i].seen))
			continue;
		struct ctp_srow *r = ctp_sec_add(out, "cgroup-limits", k, kl, cgkeys[i].as, cgkeys[i].ladder);
		for (int s = 0; s < 2; s++)
			ctp_sec_set_num(r, s, a[s].k[i].seen, (double)a[s].k[i].v);
		ctp_sec_finish(out, changed_only);
	}
}

/* the "pressure" rows of one key: per resource and some/full, skipped when zero on both sides */
static void cg_psi_rows(struct ctp_sections *out, const char *k, size_t kl, const struct cgacc a[2], bool changed_only)
{
	static const char *const res[4] = { "cpu", "memory", "io", "irq" };
	static const char *const names[3] = { "avg10", "avg60", "avg300" };
	for (int rs = 0; rs < 4; rs++)
		for (int full = 0; full < 2; full++) {
			const struct ctp_psi_half *h[2];
			for (int s = 0; s < 2; s++)
				h[s] = full ? &ctp_sec_psi_res(&a[s].psi, rs)->full : &ctp_sec_psi_res(&a[s].psi, rs)->some;
			if (ctp_sec_psi_zero(h[0]) && ctp_sec_psi_zero(h[1]))
				continue;
			char nm[32];
			for (int f = 0; f < 3; f++) {
				snprintf(nm, sizeof(nm), "%s %s %s", res[rs], full ? "full" : "some", names[f]);
				struct ctp_srow *r = ctp_sec_add(out, "pressure", k, kl, nm, CTP_LADDER_NONE);
				for (int s = 0; s < 2; s++)
					if (a[s].present) {
						uint16_t v = f == 0 ? h[s]->avg10 : f == 1 ? h[s]->avg60 : h[s]->avg300;
						ctp_sec_set_num(r, s, true, v / 100.0);
						*(s ? &r->live_text : &r->base_text) = ctp_sec_centi(v);
					}
				ctp_sec_finish(out, changed_only);
			}
			snprintf(nm, sizeof(nm), "%s %s total", res[rs], full ? "full" : "some");
			struct ctp_srow *r = ctp_sec_add(out, "pressure", k, kl, nm, CTP_LADDER_US);
			for (int s = 0; s < 2; s++)
				ctp_sec_set_num(r, s, a[s].present, (double)h[s]->total_usec);
			ctp_sec_finish(out, changed_only);
		}
}

/* merges every cgroup of both sides into (*acc)[key index][side]; returns the number of keys */
static size_t cg_accumulate(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_hmap *idx,
			    struct cgacc (**acc)[2])
{
	size_t n = 0, alloc = 0;
	struct ctp_buf key = CTP_BUF_INIT;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->ncgroups; i++) {
			ctp_buf_reset(&key);
			ctp_cgroup_group_key(side[s]->cgroups[i].path, o, &key);
			bool ins;
			struct ctp_hent *e = ctp_hmap_put(idx, key.buf, key.len, n, &ins);
			if (ins) {
				if (n == alloc) {
					alloc = alloc ? alloc * 2 : 16;
					*acc = ctp_xrealloc(*acc, alloc * sizeof(**acc));
				}
				memset((*acc)[n], 0, sizeof((*acc)[n]));
				n++;
			}
			cg_merge(&(*acc)[e->val][s], &side[s]->cgroups[i]);
		}
	ctp_buf_release(&key);
	return n;
}

static void cg_limits_psi(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o,
			  struct ctp_sections *out, bool changed_only)
{
	struct ctp_hmap idx = { 0 };
	struct cgacc(*acc)[2] = NULL;
	size_t ne, n = cg_accumulate(side, o, &idx, &acc);
	struct ctp_hent **ents = sorted_ents(&idx, n, &ne);
	for (size_t i = 0; i < ne; i++) {
		cg_limit_rows(out, ents[i]->key, ents[i]->len, acc[ents[i]->val], changed_only);
		cg_psi_rows(out, ents[i]->key, ents[i]->len, acc[ents[i]->val], changed_only);
	}
	free(ents);
	free(acc);
	ctp_hmap_release(&idx);
}

/* ---- PSI: centi-percent averages (as "1.23%") and total µs ---- */
const struct ctp_psi_resource *ctp_sec_psi_res(const struct ctp_psi *p, int r)
{
	return r == 0 ? &p->cpu : r == 1 ? &p->memory : r == 2 ? &p->io : &p->irq;
}

bool ctp_sec_psi_zero(const struct ctp_psi_half *h)
{
	return !h->avg10 && !h->avg60 && !h->avg300 && !h->total_usec;
}

char *ctp_sec_centi(uint16_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%u.%02u%%", v / 100, v % 100);
	return ctp_xstrdup(b);
}

/* --filter: sections with groups keep the groups it matches (as printed); the host-wide ones
 * (host-pressure, sched-ext, host) have no group and stay. 0, or -1 with err (bad pattern) */
static int filter_rows(struct ctp_sections *out, const char *pattern, struct ctp_err *err)
{
	struct ctp_filter *f;
	if (ctp_filter_new(pattern, &f, err) < 0)
		return -1;
	size_t w = 0;
	for (size_t i = 0; i < out->n; i++) {
		struct ctp_srow *r = &out->v[i];
		if (f && strcmp(r->section, "host-pressure") && strcmp(r->section, "sched-ext") &&
		    strcmp(r->section, "host") && !ctp_filter_match(f, r->group)) {
			free(r->group);
			free(r->name);
			free(r->base_text);
			free(r->live_text);
			continue;
		}
		out->v[w++] = *r;
	}
	out->n = w;
	ctp_filter_free(f);
	return 0;
}

int ctp_sections_build(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_compare_opts *o, bool changed_only, struct ctp_sections *out,
		       struct ctp_err *err)
{
	const struct ctp_snapshot *side[2] = { base, live };
	memset(out, 0, sizeof(*out));
	out->has_base = base != NULL;
	if (!live)
		return ctp_err_set(err, CTP_E_ARG, 0, "sections", "no live snapshot");
	/* show (no base) prints every row; compare only what changed */
	bool co = base ? changed_only : false;
	ctp_sec_smaps(side, o, out, co);
	if (o->axis == CTP_AXIS_CGROUP)
		cgroups(side, o, out, co);
	ctp_sec_host_psi(side, out, co);
	ctp_sec_sched_ext(side, out, co);
	if (base)
		ctp_sec_host(side, out, co);
	return filter_rows(out, o->filter, err);
}

void ctp_sections_release(struct ctp_sections *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].group);
		free(s->v[i].name);
		free(s->v[i].base_text);
		free(s->v[i].live_text);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}
