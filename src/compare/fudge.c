/* fudge.c — ktstr's "fudging" on the all axis (compare.md §1.6): orphan cgroup prefixes on the
 * two sides (e.g. pods whose ids changed) are paired when their thread-type sets overlap (≥10
 * shared types, Jaccard ≥0.90); candidate groups with the same pcomm/comm suffix, directly or
 * under the cascade roots, are merged N:1 into the baseline group by moving their threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define FUDGE_MIN_TYPES 10
#define FUDGE_MIN_JACCARD 0.90

struct prefix {
	char *cg;
	size_t *groups, n, alloc;
	struct ctp_hmap types; /* "pk(pcomm)\0pk(comm)" set */
};

struct side {
	struct ctp_hmap idx; /* cg -> prefix index */
	struct prefix *p;
	size_t n, alloc;
	size_t *order; /* prefix indexes in byte order of cg */
};

static size_t cg_len(const struct ctp_group *g)
{
	return strnlen(g->key, g->keylen);
}

/* type of a group: pattern_key of its pcomm and comm parts (always normalized, O5) */
static void group_type(const struct ctp_group *g, struct ctp_buf *out)
{
	const char *p = g->key + cg_len(g) + 1, *end = g->key + g->keylen;
	const char *c = p + strnlen(p, (size_t)(end - p)) + 1;
	ctp_buf_reset(out);
	ctp_pattern_key(p, strlen(p), out);
	ctp_buf_addch(out, 0);
	if (c <= end)
		ctp_pattern_key(c, (size_t)(end - c), out);
}

static void side_add(struct side *s, const struct ctp_group *g, size_t gi, struct ctp_buf *tmp)
{
	bool ins;
	size_t cl = cg_len(g);
	struct ctp_hent *e = ctp_hmap_put(&s->idx, g->key, cl, s->n, &ins);
	if (ins) {
		if (s->n == s->alloc) {
			s->alloc = s->alloc ? s->alloc * 2 : 16;
			s->p = ctp_xrealloc(s->p, s->alloc * sizeof(*s->p));
		}
		memset(&s->p[s->n], 0, sizeof(s->p[s->n]));
		s->p[s->n].cg = ctp_xstrndup(g->key, cl);
		s->n++;
	}
	struct prefix *p = &s->p[e->val];
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 8;
		p->groups = ctp_xrealloc(p->groups, p->alloc * sizeof(*p->groups));
	}
	p->groups[p->n++] = gi;
	group_type(g, tmp);
	ctp_hmap_put(&p->types, tmp->buf, tmp->len, 0, NULL);
}

static int cmp_prefix(const void *a, const void *b, void *arg)
{
	const struct side *s = arg;
	return strcmp(s->p[*(const size_t *)a].cg, s->p[*(const size_t *)b].cg);
}

static void side_sort(struct side *s)
{
	s->order = ctp_xmalloc((s->n + 1) * sizeof(*s->order));
	for (size_t i = 0; i < s->n; i++)
		s->order[i] = i;
	qsort_r(s->order, s->n, sizeof(*s->order), cmp_prefix, s);
}

static void side_release(struct side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->p[i].cg);
		free(s->p[i].groups);
		ctp_hmap_release(&s->p[i].types);
	}
	free(s->p);
	free(s->order);
	ctp_hmap_release(&s->idx);
}

static size_t intersect(const struct ctp_hmap *a, const struct ctp_hmap *b)
{
	size_t n = 0;
	for (size_t i = 0; i < a->cap; i++)
		if (a->v[i].key && ctp_hmap_get(b, a->v[i].key, a->v[i].len))
			n++;
	return n;
}

/* "p:c, p:c" of the types in a that are in none of the sets bs[0..nb) */
static char *residual(const struct ctp_hmap *a, const struct ctp_hmap *const *bs, size_t nb)
{
	char **v = ctp_xmalloc((a->n + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < a->cap; i++) {
		const struct ctp_hent *e = &a->v[i];
		bool found = false;
		for (size_t k = 0; e->key && k < nb && !found; k++)
			found = ctp_hmap_get(bs[k], e->key, e->len) != NULL;
		if (e->key && !found) {
			struct ctp_buf b = CTP_BUF_INIT;
			ctp_buf_adds(&b, e->key);
			ctp_buf_addch(&b, ':');
			ctp_buf_adds(&b, e->key + strlen(e->key) + 1);
			v[n++] = ctp_buf_detach(&b, NULL);
		}
	}
	for (size_t i = 1; i < n; i++) /* insertion sort: byte order */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	struct ctp_buf out = CTP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ctp_buf_adds(&out, ", ");
		ctp_buf_adds(&out, v[i]);
		free(v[i]);
	}
	free(v);
	return ctp_buf_detach(&out, NULL);
}

/* strips the longest common run of trailing '/' segments; roots left in *ra, *rb (lengths) */
static void roots(const char *a, const char *b, size_t *ra, size_t *rb)
{
	size_t la = strlen(a), lb = strlen(b);
	*ra = la, *rb = lb;
	for (;;) {
		const char *sa = memrchr(a, '/', *ra), *sb = memrchr(b, '/', *rb);
		if (!sa || !sb)
			return;
		size_t na = (size_t)(a + *ra - sa), nb = (size_t)(b + *rb - sb);
		if (na != nb || memcmp(sa, sb, na) || sa == a || sb == b)
			return;
		*ra = (size_t)(sa - a);
		*rb = (size_t)(sb - b);
	}
}

struct fctx {
	struct ctp_grouping *gr;
	struct ctp_hmap keys;   /* group key -> index */
	size_t *nb, *nl;        /* thread counts per group */
	size_t *remap;          /* candidate group -> baseline group, SIZE_MAX = none */
};

/* joins candidate group ci into baseline orphan group key bk; returns true on success */
static bool join(struct fctx *x, size_t ci, const char *bk, size_t bklen)
{
	struct ctp_hent *e = ctp_hmap_get(&x->keys, bk, bklen);
	if (!e || !x->nb[e->val] || x->nl[e->val] || x->remap[ci] != SIZE_MAX)
		return false;
	x->remap[ci] = e->val;
	if (!x->gr->fudge_label[e->val]) {
		const struct ctp_group *g = &x->gr->g[e->val];
		size_t cl = cg_len(g);
		const char *seg = memrchr(g->key, '/', cl);
		seg = seg ? seg + 1 : g->key;
		struct ctp_buf b = CTP_BUF_INIT;
		if (seg < g->key + cl)
			ctp_buf_addf(&b, "[fudged: %.*s] ", (int)(g->key + cl - seg), seg);
		else
			ctp_buf_adds(&b, "[fudged] ");
		x->gr->fudge_label[e->val] = ctp_buf_detach(&b, NULL);
	}
	return true;
}

static void pair(struct fctx *x, struct side *sb, struct side *sc, size_t bpi, size_t cpi, size_t overlap, double jac)
{
	struct ctp_grouping *gr = x->gr;
	const struct prefix *bp = &sb->p[bpi], *cp = &sc->p[cpi];
	struct ctp_fudge f = { 0 };
	struct ctp_buf k = CTP_BUF_INIT;
	f.base_prefix = ctp_xstrdup(bp->cg);
	f.cand_prefix = ctp_xstrdup(cp->cg);
	f.overlap = overlap;
	f.jaccard = jac;
	/* direct remap: same pcomm\0comm suffix */
	for (size_t i = 0; i < cp->n; i++) {
		const struct ctp_group *g = &gr->g[cp->groups[i]];
		size_t cl = cg_len(g);
		ctp_buf_reset(&k);
		ctp_buf_adds(&k, bp->cg);
		ctp_buf_add(&k, g->key + cl, g->keylen - cl);
		f.joined += join(x, cp->groups[i], k.buf, k.len);
	}
	/* cascade: orphans under the candidate root join the same relative path under the baseline root */
	size_t rb, rc;
	roots(bp->cg, cp->cg, &rb, &rc);
	f.base_root = ctp_xstrndup(bp->cg, rb);
	f.cand_root = ctp_xstrndup(cp->cg, rc);
	for (size_t p = 0; rc && rb && p < sc->n; p++) {
		const struct prefix *q = &sc->p[p];
		if (p == cpi || strncmp(q->cg, cp->cg, rc) || (q->cg[rc] && q->cg[rc] != '/'))
			continue;
		for (size_t i = 0; i < q->n; i++) {
			const struct ctp_group *g = &gr->g[q->groups[i]];
			ctp_buf_reset(&k);
			ctp_buf_add(&k, bp->cg, rb);
			ctp_buf_add(&k, g->key + rc, g->keylen - rc);
			if (join(x, q->groups[i], k.buf, k.len)) {
				f.joined++;
				f.cascaded++;
			}
		}
	}
	ctp_buf_release(&k);
	const struct ctp_hmap *cb = &cp->types, *bb = &bp->types;
	f.resid_base = residual(&bp->types, &cb, 1);
	f.resid_cand = residual(&cp->types, &bb, 1);
	gr->fudges = ctp_xrealloc(gr->fudges, (gr->nfudges + 1) * sizeof(*gr->fudges));
	gr->fudges[gr->nfudges++] = f;
}

void ctp_fudge_groups(struct ctp_grouping *gr)
{
	struct fctx x = { .gr = gr };
	struct side sb = { 0 }, sc = { 0 };
	struct ctp_hmap matched = { 0 };
	struct ctp_buf tmp = CTP_BUF_INIT;
	gr->fudge_label = ctp_xcalloc(gr->n + 1, sizeof(char *));
	x.nb = ctp_xcalloc(gr->n + 1, sizeof(size_t));
	x.nl = ctp_xcalloc(gr->n + 1, sizeof(size_t));
	x.remap = ctp_xmalloc((gr->n + 1) * sizeof(size_t));
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < gr->nthr[s]; i++)
			if (gr->of[s][i] != SIZE_MAX)
				(s ? x.nl : x.nb)[gr->of[s][i]]++;
	for (size_t g = 0; g < gr->n; g++) {
		x.remap[g] = SIZE_MAX;
		ctp_hmap_put(&x.keys, gr->g[g].key, gr->g[g].keylen, g, NULL);
		if (x.nb[g] && x.nl[g])
			ctp_hmap_put(&matched, gr->g[g].key, cg_len(&gr->g[g]), 0, NULL);
	}
	for (size_t g = 0; g < gr->n; g++) {
		bool ob = x.nb[g] && !x.nl[g], oc = x.nl[g] && !x.nb[g];
		if ((ob || oc) && !ctp_hmap_get(&matched, gr->g[g].key, cg_len(&gr->g[g])))
			side_add(ob ? &sb : &sc, &gr->g[g], g, &tmp);
	}
	side_sort(&sb);
	side_sort(&sc);
	for (size_t ci = 0; sb.n && ci < sc.n; ci++) {
		size_t c = sc.order[ci], best = SIZE_MAX, best_ov = 0;
		double best_j = -1;
		if (sc.p[c].types.n < FUDGE_MIN_TYPES)
			continue;
		for (size_t bi = 0; bi < sb.n; bi++) {
			size_t b = sb.order[bi], ov = intersect(&sc.p[c].types, &sb.p[b].types);
			double j = (double)ov / (double)(sc.p[c].types.n + sb.p[b].types.n - ov);
			if (ov >= FUDGE_MIN_TYPES && j >= FUDGE_MIN_JACCARD && j > best_j) {
				best = b;
				best_j = j;
				best_ov = ov;
			}
		}
		if (best != SIZE_MAX)
			pair(&x, &sb, &sc, best, c, best_ov, best_j);
	}
	for (size_t i = 0; i < gr->nthr[1]; i++)
		if (gr->of[1][i] != SIZE_MAX && x.remap[gr->of[1][i]] != SIZE_MAX)
			gr->of[1][i] = x.remap[gr->of[1][i]];
	free(x.nb);
	free(x.nl);
	free(x.remap);
	ctp_hmap_release(&x.keys);
	ctp_hmap_release(&matched);
	ctp_buf_release(&tmp);
	side_release(&sb);
	side_release(&sc);
}

void ctp_fudge_release(struct ctp_fudge *f)
{
	free(f->base_prefix);
	free(f->cand_prefix);
	free(f->base_root);
	free(f->cand_root);
	free(f->resid_base);
	free(f->resid_cand);
}
