/* secsmaps.c — the smaps_rollup compare table (ktstr's smaps.rs): leader threads keyed by
 * pattern_key(pcomm) (pcomm[tgid] with no_thread_normalize; cgroup NUL pcomm on the all axis,
 * a fudged candidate under its baseline cgroup), kB -> bytes summed in u64 (saturating),
 * processes by |ΔRss| desc, larger Rss, key bytes (the all axis: key bytes), fields by name. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "secrows.h"

struct sfield {
	const char *name; /* borrowed from a snapshot */
	uint64_t v[2];
	bool ok[2];
};
struct sproc {
	char *key;
	size_t klen;
	struct sfield *f;
	size_t nf;
};
struct sprocs {
	struct ctp_hmap idx;
	struct sproc *v;
	size_t n;
};

static struct sproc *proc_get(struct sprocs *ps, const char *key, size_t klen)
{
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(&ps->idx, key, klen, ps->n, &ins);
	if (ins) {
		ps->v = ctp_xrealloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
		ps->v[ps->n] = (struct sproc){ ctp_xmalloc(klen + 1), klen, NULL, 0 };
		memcpy(ps->v[ps->n].key, key, klen);
		ps->v[ps->n].key[klen] = 0;
		ps->n++;
	}
	return &ps->v[e->val];
}

static void field_add(struct sproc *p, int side, const char *name, uint64_t bytes)
{
	size_t i = 0;
	while (i < p->nf && strcmp(p->f[i].name, name))
		i++;
	if (i == p->nf) {
		p->f = ctp_xrealloc(p->f, (p->nf + 1) * sizeof(*p->f));
		p->f[p->nf++] = (struct sfield){ .name = name };
	}
	p->f[i].v[side] = ctp_sat_add(p->f[i].v[side], bytes);
	p->f[i].ok[side] = true;
}

static uint64_t rss(const struct sproc *p, int side)
{
	for (size_t i = 0; i < p->nf; i++)
		if (!strcmp(p->f[i].name, "Rss"))
			return p->f[i].ok[side] ? p->f[i].v[side] : 0;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct sproc *x = a, *y = b;
	return ctp_keycmp(x->key, x->klen, y->key, y->klen);
}

/* ktstr: |ΔRss| descending, then the larger Rss of the two sides descending, then key bytes */
static int cmp_rss(const void *a, const void *b)
{
	const struct sproc *x = a, *y = b;
	uint64_t x0 = rss(x, 0), x1 = rss(x, 1), y0 = rss(y, 0), y1 = rss(y, 1);
	uint64_t dx = x1 > x0 ? x1 - x0 : x0 - x1, dy = y1 > y0 ? y1 - y0 : y0 - y1;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	uint64_t mx = x0 > x1 ? x0 : x1, my = y0 > y1 ? y0 : y1;
	if (mx != my)
		return mx > my ? -1 : 1;
	return cmp_key(a, b);
}

static int cmp_field(const void *a, const void *b)
{
	return strcmp(((const struct sfield *)a)->name, ((const struct sfield *)b)->name);
}

/* the process key of leader t of side s into key (reset first) */
static void proc_key(const struct ctp_thread *t, int s, size_t i, const struct ctp_compare_opts *o,
		     const struct ctp_grouping *gr, struct ctp_buf *key)
{
	ctp_buf_reset(key);
	if (o->axis == CTP_AXIS_ALL) {
		size_t g = gr && gr->of[s] ? gr->of[s][i] : SIZE_MAX;
		if (g != SIZE_MAX) /* the group's cgroup part: a fudged candidate has the baseline's */
			ctp_buf_adds(key, gr->g[g].key);
		else
			ctp_cgroup_group_key(t->cgroup, o, key);
		ctp_buf_addch(key, 0);
	}
	if (o->no_thread_normalize)
		ctp_buf_addf(key, "%s[%u]", t->pcomm, t->tgid);
	else
		ctp_pattern_key(t->pcomm, strlen(t->pcomm), key);
}

static void emit(struct sprocs *ps, const struct ctp_compare_opts *o, struct ctp_sections *out, bool changed_only)
{
	if (ps->n) /* qsort of a NULL array is undefined even for 0 entries */
		qsort(ps->v, ps->n, sizeof(*ps->v), o->axis == CTP_AXIS_ALL ? cmp_key : cmp_rss);
	for (size_t i = 0; i < ps->n; i++) {
		struct sproc *p = &ps->v[i];
		if (p->nf)
			qsort(p->f, p->nf, sizeof(*p->f), cmp_field);
		for (size_t k = 0; k < p->nf; k++) {
			struct ctp_srow *r = ctp_sec_add(out, "smaps-rollup", p->key, p->klen, p->f[k].name,
							 CTP_LADDER_BYTES);
			r->exact = true;
			if (strlen(p->key) < p->klen) /* cgroup NUL process */
				r->cg_len = strlen(p->key);
			r->base_u = p->f[k].v[0];
			r->live_u = p->f[k].v[1];
			for (int s = 0; s < 2; s++)
				ctp_sec_set_num(r, s, p->f[k].ok[s], (double)p->f[k].v[s]);
			ctp_sec_finish(out, changed_only);
		}
		free(p->key);
		free(p->f);
	}
	free(ps->v);
	ctp_hmap_release(&ps->idx);
}

void ctp_sec_smaps(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_sections *out,
		   bool changed_only)
{
	struct sprocs ps = { 0 };
	struct ctp_buf key = CTP_BUF_INIT;
	struct ctp_grouping gr = { 0 };
	bool fudge = o->axis == CTP_AXIS_ALL && side[0] && !o->no_fudge;
	if (fudge) { /* a renamed cgroup joined by the fudge keeps the baseline's name here too */
		ctp_group_threads(side[0], side[1], o, &gr);
		ctp_fudge_groups(&gr);
	}
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
			const struct ctp_thread *t = &side[s]->threads[i];
			if (t->tid != t->tgid || !t->smaps_rollup_kib.n)
				continue;
			proc_key(t, s, i, o, fudge ? &gr : NULL, &key);
			struct sproc *p = proc_get(&ps, key.buf, key.len);
			for (size_t k = 0; k < t->smaps_rollup_kib.n; k++)
				field_add(p, s, t->smaps_rollup_kib.v[k].key, ctp_sat_mul(t->smaps_rollup_kib.v[k].val, 1024));
		}
	emit(&ps, o, out, changed_only);
	ctp_buf_release(&key);
	if (fudge)
		ctp_grouping_release(&gr);
}
