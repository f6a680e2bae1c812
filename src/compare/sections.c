/* sections.c — the secondary compare tables (compare.md §5) as flat rows: smaps_rollup per
 * process key, per-cgroup stats / memory.stat / memory.events (cgroup axis), host PSI, sched_ext
 * and host-context strings. Each row carries both sides; changed_only drops equal rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct ctp_srow *add(struct ctp_sections *s, const char *section, const char *group, size_t glen,
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

static void set_num(struct ctp_srow *r, int side, bool ok, double v)
{
	if (side) {
		r->live_ok = ok;
		r->live = v;
	} else {
		r->base_ok = ok;
		r->base = v;
	}
}

static void finish_row(struct ctp_sections *s, bool changed_only)
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

/* ---- smaps_rollup: leader threads, key pattern_key(pcomm) (or pcomm[tgid]), kB summed ---- */
struct kvacc {
	struct ctp_hmap keys;     /* "key\0field" -> index */
	double *v[2];
	bool *ok[2];
	size_t n, alloc;
};

static void kv_put(struct kvacc *a, int side, const char *key, size_t klen, const char *field, uint64_t val, bool max);
static void kv_add(struct kvacc *a, int side, const char *key, size_t klen, const char *field, uint64_t val)
{
	kv_put(a, side, key, klen, field, val, false);
}

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

static void kv_emit(struct kvacc *a, struct ctp_sections *out, const char *section, enum ctp_ladder l, bool changed_only)
{
	struct ctp_hent **ents = ctp_xmalloc((a->n + 1) * sizeof(*ents));
	size_t n = 0;
	for (size_t i = 0; i < a->keys.cap; i++)
		if (a->keys.v[i].key)
			ents[n++] = &a->keys.v[i];
	qsort(ents, n, sizeof(*ents), cmp_hent);
	for (size_t i = 0; i < n; i++) {
		const char *k = ents[i]->key;
		size_t kl = strlen(k), fo = kl + 1;
		/* the key part may itself contain NULs (all axis): the field is after the last NUL */
		for (size_t j = 0; j < ents[i]->len; j++)
			if (!k[j])
				fo = j + 1;
		kl = fo - 1;
		struct ctp_srow *r = add(out, section, k, kl, k + fo, l);
		for (int s = 0; s < 2; s++)
			set_num(r, s, a->ok[s][ents[i]->val], a->v[s][ents[i]->val]);
		finish_row(out, changed_only);
	}
	free(ents);
	ctp_hmap_release(&a->keys);
	for (int s = 0; s < 2; s++) {
		free(a->v[s]);
		free(a->ok[s]);
	}
}

static void smaps(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_sections *out,
		  bool changed_only)
{
	struct kvacc a = { 0 };
	struct ctp_buf key = CTP_BUF_INIT;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
			const struct ctp_thread *t = &side[s]->threads[i];
			if (t->tid != t->tgid || !t->smaps_rollup_kib.n)
				continue;
			ctp_buf_reset(&key);
			if (o->axis == CTP_AXIS_ALL) {
				ctp_cgroup_group_key(t->cgroup, o, &key);
				ctp_buf_addch(&key, 0);
			}
			if (o->no_thread_normalize)
				ctp_buf_addf(&key, "%s[%u]", t->pcomm, t->tgid);
			else
				ctp_pattern_key(t->pcomm, strlen(t->pcomm), &key);
			for (size_t k = 0; k < t->smaps_rollup_kib.n; k++)
				kv_add(&a, s, key.buf, key.len, t->smaps_rollup_kib.v[k].key,
				       ctp_sat_mul(t->smaps_rollup_kib.v[k].val, 1024));
		}
	ctp_buf_release(&key);
	kv_emit(&a, out, "smaps-rollup", CTP_LADDER_BYTES, changed_only);
}

static void cg_limits_psi(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o,
			  struct ctp_sections *out, bool changed_only);

/* ---- cgroup tables: merged per flattened/normalized key ---- */
static void cgroups(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_sections *out,
		    bool changed_only)
{
	struct kvacc st = { 0 }, mstat = { 0 }, mev = { 0 };
	struct ctp_buf key = CTP_BUF_INIT;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->ncgroups; i++) {
			const struct ctp_cgroup_stats *c = &side[s]->cgroups[i];
			ctp_buf_reset(&key);
			ctp_cgroup_group_key(c->path, o, &key);
			kv_add(&st, s, key.buf, key.len, "cpu_usage_usec", c->cpu.usage_usec);
			kv_add(&st, s, key.buf, key.len, "nr_throttled", c->cpu.nr_throttled);
			kv_add(&st, s, key.buf, key.len, "throttled_usec", c->cpu.throttled_usec);
			kv_put(&st, s, key.buf, key.len, "memory_current", c->memory.current, true);
			for (size_t k = 0; k < c->memory.stat.n; k++)
				kv_put(&mstat, s, key.buf, key.len, c->memory.stat.v[k].key, c->memory.stat.v[k].val,
				       memstat_gauge(c->memory.stat.v[k].key));
			for (size_t k = 0; k < c->memory.events.n; k++)
				kv_add(&mev, s, key.buf, key.len, c->memory.events.v[k].key, c->memory.events.v[k].val);
		}
	ctp_buf_release(&key);
	size_t first = out->n;
	kv_emit(&st, out, "cgroup-stats", CTP_LADDER_UNITLESS, changed_only);
	for (size_t i = first; i < out->n; i++) /* per-field ladders of the CgroupStats table */
		out->v[i].ladder = !strcmp(out->v[i].name, "memory_current") ? CTP_LADDER_BYTES
				   : strstr(out->v[i].name, "usec")              ? CTP_LADDER_US
										 : CTP_LADDER_UNITLESS;
	size_t ms0 = out->n;
	kv_emit(&mstat, out, "memory-stat", CTP_LADDER_UNITLESS, changed_only);
	if (!side[0]) { /* show zero-suppresses memory.stat rows (§6) */
		size_t w = ms0;
		for (size_t i = ms0; i < out->n; i++) {
			if (out->v[i].live_ok && out->v[i].live == 0) {
				free(out->v[i].group);
				free(out->v[i].name);
				continue;
			}
			out->v[w++] = out->v[i];
		}
		out->n = w;
	}
	kv_emit(&mev, out, "memory-events", CTP_LADDER_UNITLESS, changed_only);
	cg_limits_psi(side, o, out, changed_only);
}

static bool psi_zero(const struct ctp_psi_half *h);
static char *centi(uint16_t v);

/* ---- cgroup limits and pressure, merged per key (§5.2): limits max with None poisoning,
 * floors min, period max, pids.current sum, PSI averages max and totals sum ---- */
struct optacc {
	bool seen, none; /* none: some contributor had no limit */
	uint64_t v;
};
struct cgacc {
	bool present;
	struct optacc quota, weight, mem_max, mem_high, pids_max;
	uint64_t period, pids_cur;
	bool pids_cur_set;
	struct ctp_psi psi;
};

static void opt_max(struct optacc *a, const struct ctp_opt_u64 *o)
{
	if (!o->set)
		a->none = true;
	else if (!a->seen || o->v > a->v)
		a->v = o->v;
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
	opt_max(&a->quota, &c->cpu.max_quota_us);
	opt_max(&a->weight, &c->cpu.weight);
	opt_max(&a->mem_max, &c->memory.max);
	opt_max(&a->mem_high, &c->memory.high);
	opt_max(&a->pids_max, &c->pids.max);
	if (c->cpu.max_period_us > a->period)
		a->period = c->cpu.max_period_us;
	if (c->pids.current.set) {
		a->pids_cur = ctp_sat_add(a->pids_cur, c->pids.current.v);
		a->pids_cur_set = true;
	}
	for (int r = 0; r < 4; r++) {
		const struct ctp_psi_resource *src = r == 0 ? &c->psi.cpu : r == 1 ? &c->psi.memory : r == 2 ? &c->psi.io : &c->psi.irq;
		struct ctp_psi_resource *dst = r == 0 ? &a->psi.cpu : r == 1 ? &a->psi.memory : r == 2 ? &a->psi.io : &a->psi.irq;
		psi_half_merge(&dst->some, &src->some);
		psi_half_merge(&dst->full, &src->full);
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
	struct ctp_srow *r = add(out, "cgroup-limits", key, klen, name, CTP_LADDER_NONE);
	r->base_text = t0;
	r->live_text = t1;
	finish_row(out, changed_only);
}

static char *cpumax_text(const struct cgacc *a)
{
	char q[CTP_FMT_MAX], p[CTP_FMT_MAX], b[2 * CTP_FMT_MAX + 2];
	if (!a->present || (!a->quota.seen && !a->period))
		return NULL;
	snprintf(b, sizeof(b), "%s/%s", a->quota.none || !a->quota.seen ? "max" : ctp_fmt_value(q, (double)a->quota.v, CTP_LADDER_US),
		 ctp_fmt_value(p, (double)a->period, CTP_LADDER_US));
	return ctp_xstrdup(b);
}

static void cg_limits_psi(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o,
			  struct ctp_sections *out, bool changed_only)
{
	struct ctp_hmap idx = { 0 };
	struct cgacc(*acc)[2] = NULL;
	size_t n = 0, alloc = 0;
	struct ctp_buf key = CTP_BUF_INIT;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->ncgroups; i++) {
			ctp_buf_reset(&key);
			ctp_cgroup_group_key(side[s]->cgroups[i].path, o, &key);
			bool ins;
			struct ctp_hent *e = ctp_hmap_put(&idx, key.buf, key.len, n, &ins);
			if (ins) {
				if (n == alloc) {
					alloc = alloc ? alloc * 2 : 16;
					acc = ctp_xrealloc(acc, alloc * sizeof(*acc));
				}
				memset(acc[n], 0, sizeof(acc[n]));
				n++;
			}
			cg_merge(&acc[e->val][s], &side[s]->cgroups[i]);
		}
	ctp_buf_release(&key);
	struct ctp_hent **ents = ctp_xmalloc((n + 1) * sizeof(*ents));
	size_t ne = 0;
	for (size_t i = 0; i < idx.cap; i++)
		if (idx.v[i].key)
			ents[ne++] = &idx.v[i];
	qsort(ents, ne, sizeof(*ents), cmp_hent);
	static const char *const res[4] = { "cpu", "memory", "io", "irq" };
	for (size_t i = 0; i < ne; i++) {
		const char *k = ents[i]->key;
		size_t kl = ents[i]->len;
		struct cgacc *a = acc[ents[i]->val];
		limit_row(out, k, kl, "cpu.max", cpumax_text(&a[0]), cpumax_text(&a[1]), changed_only);
		limit_row(out, k, kl, "cpu.weight", limit_text(&a[0].weight, CTP_LADDER_NONE),
			  limit_text(&a[1].weight, CTP_LADDER_NONE), changed_only);
		limit_row(out, k, kl, "memory.max", limit_text(&a[0].mem_max, CTP_LADDER_BYTES),
			  limit_text(&a[1].mem_max, CTP_LADDER_BYTES), changed_only);
		limit_row(out, k, kl, "memory.high", limit_text(&a[0].mem_high, CTP_LADDER_BYTES),
			  limit_text(&a[1].mem_high, CTP_LADDER_BYTES), changed_only);
		limit_row(out, k, kl, "pids.max", limit_text(&a[0].pids_max, CTP_LADDER_NONE),
			  limit_text(&a[1].pids_max, CTP_LADDER_NONE), changed_only);
		if (a[0].pids_cur_set || a[1].pids_cur_set) {
			struct ctp_srow *r = add(out, "cgroup-limits", k, kl, "pids.current", CTP_LADDER_UNITLESS);
			set_num(r, 0, a[0].pids_cur_set, (double)a[0].pids_cur);
			set_num(r, 1, a[1].pids_cur_set, (double)a[1].pids_cur);
			finish_row(out, changed_only);
		}
		for (int rs = 0; rs < 4; rs++)
			for (int full = 0; full < 2; full++) {
				const struct ctp_psi_half *h[2];
				for (int s = 0; s < 2; s++) {
					const struct ctp_psi *p = &a[s].psi;
					const struct ctp_psi_resource *pr = rs == 0 ? &p->cpu : rs == 1 ? &p->memory : rs == 2 ? &p->io : &p->irq;
					h[s] = full ? &pr->full : &pr->some;
				}
				if (psi_zero(h[0]) && psi_zero(h[1]))
					continue;
				char nm[32];
				static const char *const names[3] = { "avg10", "avg60", "avg300" };
				for (int f = 0; f < 3; f++) {
					snprintf(nm, sizeof(nm), "%s %s %s", res[rs], full ? "full" : "some", names[f]);
					struct ctp_srow *r = add(out, "pressure", k, kl, nm, CTP_LADDER_NONE);
					for (int s = 0; s < 2; s++)
						if (a[s].present) {
							uint16_t v = f == 0 ? h[s]->avg10 : f == 1 ? h[s]->avg60 : h[s]->avg300;
							set_num(r, s, true, v / 100.0);
							*(s ? &r->live_text : &r->base_text) = centi(v);
						}
					finish_row(out, changed_only);
				}
				snprintf(nm, sizeof(nm), "%s %s total", res[rs], full ? "full" : "some");
				struct ctp_srow *r = add(out, "pressure", k, kl, nm, CTP_LADDER_US);
				for (int s = 0; s < 2; s++)
					set_num(r, s, a[s].present, (double)h[s]->total_usec);
				finish_row(out, changed_only);
			}
	}
	free(ents);
	free(acc);
	ctp_hmap_release(&idx);
}

/* ---- host PSI: centi-percent averages (as "1.23%") and total µs ---- */
static const struct ctp_psi_resource *psi_res(const struct ctp_psi *p, int r)
{
	return r == 0 ? &p->cpu : r == 1 ? &p->memory : r == 2 ? &p->io : &p->irq;
}

static bool psi_zero(const struct ctp_psi_half *h)
{
	return !h->avg10 && !h->avg60 && !h->avg300 && !h->total_usec;
}

static char *centi(uint16_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%u.%02u%%", v / 100, v % 100);
	return ctp_xstrdup(b);
}

static void host_psi(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	static const char *const res[4] = { "cpu", "memory", "io", "irq" };
	for (int r = 0; r < 4; r++)
		for (int full = 0; full < 2; full++) {
			const struct ctp_psi_half *h[2] = { NULL, NULL };
			bool nonzero = false;
			for (int s = 0; s < 2; s++)
				if (side[s]) {
					const struct ctp_psi_resource *pr = psi_res(&side[s]->psi, r);
					h[s] = full ? &pr->full : &pr->some;
					nonzero |= !psi_zero(h[s]);
				}
			if (!nonzero)
				continue;
			char grp[32];
			snprintf(grp, sizeof(grp), "%s %s", res[r], full ? "full" : "some");
			static const char *const names[3] = { "avg10", "avg60", "avg300" };
			for (int k = 0; k < 3; k++) {
				struct ctp_srow *row = add(out, "host-pressure", grp, strlen(grp), names[k], CTP_LADDER_NONE);
				for (int s = 0; s < 2; s++)
					if (h[s]) {
						uint16_t v = k == 0 ? h[s]->avg10 : k == 1 ? h[s]->avg60 : h[s]->avg300;
						set_num(row, s, true, v / 100.0);
						*(s ? &row->live_text : &row->base_text) = centi(v);
					}
				finish_row(out, changed_only);
			}
			struct ctp_srow *row = add(out, "host-pressure", grp, strlen(grp), "total", CTP_LADDER_US);
			for (int s = 0; s < 2; s++)
				if (h[s])
					set_num(row, s, true, (double)h[s]->total_usec);
			finish_row(out, changed_only);
		}
}

/* ---- sched_ext ---- */
static void sched_ext(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	const struct ctp_sched_ext *x[2] = { side[0] ? side[0]->sched_ext : NULL, side[1] ? side[1]->sched_ext : NULL };
	if (!x[0] && !x[1])
		return;
	struct ctp_srow *r = add(out, "sched-ext", "", 0, "state", CTP_LADDER_NONE);
	for (int s = 0; s < 2; s++)
		if (x[s])
			*(s ? &r->live_text : &r->base_text) = ctp_xstrdup(x[s]->state ? x[s]->state : "");
	finish_row(out, changed_only);
	static const char *const names[4] = { "switch_all", "nr_rejected", "hotplug_seq", "enable_seq" };
	for (int k = 0; k < 4; k++) {
		r = add(out, "sched-ext", "", 0, names[k], CTP_LADDER_UNITLESS);
		for (int s = 0; s < 2; s++)
			if (x[s])
				set_num(r, s, true,
					(double)(k == 0 ? x[s]->switch_all : k == 1 ? x[s]->nr_rejected
								 : k == 2 ? x[s]->hotplug_seq : x[s]->enable_seq));
		finish_row(out, changed_only);
	}
}

/* ---- host context strings ---- */
static void host_str(struct ctp_sections *out, const char *name, const char *b, const char *l, bool changed_only)
{
	struct ctp_srow *r = add(out, "host", "", 0, name, CTP_LADDER_NONE);
	r->base_text = ctp_xstrdup(b ? b : "(unknown)");
	r->live_text = ctp_xstrdup(l ? l : "(unknown)");
	finish_row(out, changed_only);
}

static char *optu(const struct ctp_opt_u64 *v, char *buf)
{
	if (!v->set)
		return NULL;
	snprintf(buf, 32, "%llu", (unsigned long long)v->v);
	return buf;
}

static void host(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	const struct ctp_host *h[2] = { side[0] ? side[0]->host : NULL, side[1] ? side[1]->host : NULL };
	if (!h[1] || (!h[0] && side[0]))
		return;
	static const struct ctp_host empty;
	const struct ctp_host *b = h[0] ? h[0] : &empty, *l = h[1];
	char x[32], y[32];
#define HS(f) host_str(out, #f, b->f, l->f, changed_only)
#define HU(f) host_str(out, #f, optu(&b->f, x), optu(&l->f, y), changed_only)
	HS(kernel_name);
	HS(kernel_release);
	HS(arch);
	HS(cpu_model);
	HS(cpu_vendor);
	HU(online_cpus);
	HU(numa_nodes);
	HU(total_memory_kib);
	HU(hugepages_total);
	HU(hugepages_free);
	HU(hugepages_size_kib);
	HS(thp_enabled);
	HS(thp_defrag);
	HS(kernel_cmdline);
#undef HS
#undef HU
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
	smaps(side, o, out, co);
	if (o->axis == CTP_AXIS_CGROUP)
		cgroups(side, o, out, co);
	host_psi(side, out, co);
	sched_ext(side, out, co);
	if (base)
		host(side, out, co);
	return 0;
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
