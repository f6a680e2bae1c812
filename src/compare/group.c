/* group.c — grouping of threads into join keys (compare.md §1): ktstr's pattern_key name
 * normalizer, cgroup keys (flatten globs, systemd template, pattern layer), singleton revert
 * over the union of both sides, and the byte-keyed hash map the engine uses for joins. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- hash map ---- */
uint64_t ctp_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static void hmap_grow(struct ctp_hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct ctp_hent *nv = ctp_xcalloc(ncap, sizeof(*nv));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->v[i].key)
			continue;
		size_t j = m->v[i].hash & (ncap - 1);
		while (nv[j].key)
			j = (j + 1) & (ncap - 1);
		nv[j] = m->v[i];
	}
	free(m->v);
	m->v = nv;
	m->cap = ncap;
}

static struct ctp_hent *hmap_slot(const struct ctp_hmap *m, const char *key, size_t len, uint64_t h)
{
	size_t j = h & (m->cap - 1);
	while (m->v[j].key) {
		struct ctp_hent *e = &m->v[j];
		if (e->hash == h && e->len == len && !memcmp(e->key, key, len))
			return e;
		j = (j + 1) & (m->cap - 1);
	}
	return &m->v[j];
}

struct ctp_hent *ctp_hmap_put(struct ctp_hmap *m, const char *key, size_t len, size_t ins_val, bool *inserted)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		hmap_grow(m);
	uint64_t h = ctp_hash_bytes(key, len);
	struct ctp_hent *e = hmap_slot(m, key, len, h);
	if (inserted)
		*inserted = !e->key;
	if (!e->key) {
		e->key = ctp_xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = 0;
		e->len = len;
		e->hash = h;
		e->val = ins_val;
		m->n++;
	}
	return e;
}

struct ctp_hent *ctp_hmap_get(const struct ctp_hmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	struct ctp_hent *e = hmap_slot(m, key, len, ctp_hash_bytes(key, len));
	return e->key ? e : NULL;
}

void ctp_hmap_release(struct ctp_hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------- pattern_key ---- */
/* byte length of the separator char at p, 0 if p starts a token char */
static size_t sep_len(const char *p, const char *end)
{
	switch (*p) {
	case '.': case '-': case '_': case '/': case ':': case '@': case '+': case '[': case ']':
		return 1;
	default:
		return ctp_unicode_space_len(p, end);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* appends the classification of token t[0..n) (§1.2 step 2) */
static void classify(const char *t, size_t n, struct ctp_buf *out)
{
	size_t digits = 0, hex = 0, lead_alpha = 0, lead_digit = 0;
	for (size_t i = 0; i < n; i++) {
		digits += is_digit(t[i]);
		hex += is_digit(t[i]) || (t[i] >= 'a' && t[i] <= 'f');
	}
	if (n && digits == n) {
		ctp_buf_adds(out, "{N}");
		return;
	}
	if (n >= 2 && hex == n && digits) {
		ctp_buf_adds(out, "{H}");
		return;
	}
	while (lead_alpha < n && is_alpha(t[lead_alpha]))
		lead_alpha++;
	if (lead_alpha && lead_alpha < n) {
		size_t i = lead_alpha;
		while (i < n && is_digit(t[i]))
			i++;
		if (i == n) {
			ctp_buf_add(out, t, lead_alpha);
			ctp_buf_adds(out, "{N}");
			return;
		}
	}
	while (lead_digit < n && is_digit(t[lead_digit]))
		lead_digit++;
	if (lead_digit && lead_digit < n) {
		size_t i = lead_digit;
		while (i < n && is_alpha(t[i]))
			i++;
		if (i == n) {
			ctp_buf_adds(out, "{N}");
			ctp_buf_add(out, t + lead_digit, n - lead_digit);
			return;
		}
	}
	ctp_buf_add(out, t, n);
}

void ctp_pattern_key(const char *s, size_t n, struct ctp_buf *out)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *q = p;
		size_t k;
		if ((k = sep_len(q, end))) {
			while (q < end && (k = sep_len(q, end)))
				q += k;
			ctp_buf_add(out, p, (size_t)(q - p));
		} else {
			while (q < end && !sep_len(q, end))
				q++;
			classify(p, (size_t)(q - p), out);
		}
		p = q;
	}
}

/* Layer 1: every "<x>@<instance>.service" segment with a plain instance -> "@{I}.service" */
static void systemd_template(const char *s, size_t n, struct ctp_buf *out)
{
	static const char svc[] = ".service";
	const size_t svclen = sizeof(svc) - 1;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *se = slash ? slash : end;
		const char *at = memchr(p, '@', (size_t)(se - p));
		bool done = false;
		if (at && (size_t)(se - at) > svclen + 1 && !memcmp(se - svclen, svc, svclen)) {
			const char *i0 = at + 1, *i1 = se - svclen;
			bool plain = true;
			for (const char *c = i0; c < i1; c++)
				if (*c == '.' || *c == '_' || *c == '-')
					plain = false;
			if (plain) {
				ctp_buf_add(out, p, (size_t)(i0 - p));
				ctp_buf_adds(out, "{I}");
				ctp_buf_add(out, i1, (size_t)(se - i1));
				done = true;
			}
		}
		if (!done)
			ctp_buf_add(out, p, (size_t)(se - p));
		if (slash)
			ctp_buf_addch(out, '/');
		p = slash ? slash + 1 : end;
	}
}

void ctp_cgroup_key(const char *path, size_t n, struct ctp_buf *out)
{
	struct ctp_buf l1 = CTP_BUF_INIT;
	systemd_template(path, n, &l1);
	ctp_pattern_key(l1.buf, l1.len, out);
	ctp_buf_release(&l1);
}

void ctp_cgroup_group_key(const char *path, const struct ctp_compare_opts *o, struct ctp_buf *out)
{
	for (const char *const *g = o->flatten; g && *g; g++)
		if (!fnmatch(*g, path, 0)) {
			path = *g;
			break;
		}
	if (o->no_cg_normalize)
		ctp_buf_adds(out, path);
	else
		ctp_cgroup_key(path, strlen(path), out);
}

/* ---------------------------------------------------------------- grouping ---- */
/* memo of a per-name transform: name -> index into an array of output strings */
struct memo {
	struct ctp_hmap idx;
	struct ctp_buf *outs;
	size_t n, alloc;
};

static size_t memo_get(struct memo *m, const char *name, size_t len, const struct ctp_compare_opts *o, int kind)
{
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(&m->idx, name, len, m->n, &ins);
	if (!ins)
		return e->val;
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 64;
		m->outs = ctp_xrealloc(m->outs, m->alloc * sizeof(*m->outs));
	}
	struct ctp_buf *b = &m->outs[m->n];
	ctp_buf_init(b, len + 8);
	if (kind == 1)
		ctp_cgroup_group_key(name, o, b);
	else if (o->no_thread_normalize)
		ctp_buf_add(b, name, len);
	else
		ctp_pattern_key(name, len, b);
	return m->n++;
}

static void memo_release(struct memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		ctp_buf_release(&m->outs[i]);
	free(m->outs);
	ctp_hmap_release(&m->idx);
}

static const char *name_of(const struct ctp_thread *t, enum ctp_axis a)
{
	return a == CTP_AXIS_PCOMM ? t->pcomm : t->comm;
}

static size_t group_index(struct ctp_grouping *gr, struct ctp_hmap *gmap, const char *key, size_t len)
{
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(gmap, key, len, gr->n, &ins);
	if (ins) {
		if (gr->n == gr->alloc) {
			gr->alloc = gr->alloc ? gr->alloc * 2 : 64;
			gr->g = ctp_xrealloc(gr->g, gr->alloc * sizeof(*gr->g));
		}
		gr->g[gr->n].key = e->key; /* owned by gmap until detached below */
		gr->g[gr->n].keylen = len;
		gr->n++;
	}
	return e->val;
}

void ctp_group_threads(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_compare_opts *o, struct ctp_grouping *gr)
{
	const struct ctp_snapshot *side[2] = { base, live };
	struct memo names = { 0 }, cgs = { 0 }, pcs = { 0 };
	struct ctp_hmap gmap = { 0 }, counts = { 0 };
	struct ctp_buf key = CTP_BUF_INIT;
	enum ctp_axis a = o->axis;
	memset(gr, 0, sizeof(*gr));
	/* singleton revert: thread count per pattern over the union of both sides */
	bool revert = (a == CTP_AXIS_PCOMM || a == CTP_AXIS_COMM) && !o->no_thread_normalize;
	size_t *cnt = NULL;
	if (revert) {
		for (int s = 0; s < 2; s++)
			for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
				const char *nm = name_of(&side[s]->threads[i], a);
				memo_get(&names, nm, strlen(nm), o, 0);
			}
		cnt = ctp_xcalloc(names.n + 1, sizeof(*cnt));
		size_t *pidx = ctp_xcalloc(names.n + 1, sizeof(*pidx));
		for (size_t i = 0; i < names.n; i++)
			pidx[i] = ctp_hmap_put(&counts, names.outs[i].buf, names.outs[i].len, i, NULL)->val;
		for (int s = 0; s < 2; s++)
			for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
				const char *nm = name_of(&side[s]->threads[i], a);
				cnt[pidx[ctp_hmap_get(&names.idx, nm, strlen(nm))->val]]++;
			}
		for (size_t i = 0; i < names.n; i++)
			cnt[i] = cnt[pidx[i]];
		free(pidx);
	}
	for (int s = 0; s < 2; s++) {
		gr->nthr[s] = side[s] ? side[s]->nthreads : 0;
		gr->of[s] = ctp_xmalloc((gr->nthr[s] + 1) * sizeof(size_t));
		for (size_t i = 0; i < gr->nthr[s]; i++) {
			const struct ctp_thread *t = &side[s]->threads[i];
			ctp_buf_reset(&key);
			switch (a) {
			case CTP_AXIS_PCOMM:
			case CTP_AXIS_COMM: {
				const char *nm = name_of(t, a);
				size_t nl = strlen(nm), k = memo_get(&names, nm, nl, o, 0);
				if (!revert || cnt[k] >= 2)
					ctp_buf_add(&key, names.outs[k].buf, names.outs[k].len);
				else
					ctp_buf_add(&key, nm, nl);
				break;
			}
			case CTP_AXIS_COMM_EXACT:
				ctp_buf_adds(&key, t->comm);
				break;
			case CTP_AXIS_CGROUP: {
				size_t k = memo_get(&cgs, t->cgroup, strlen(t->cgroup), o, 1);
				ctp_buf_add(&key, cgs.outs[k].buf, cgs.outs[k].len);
				break;
			}
			default: {
				size_t k = memo_get(&cgs, t->cgroup, strlen(t->cgroup), o, 1);
				ctp_buf_add(&key, cgs.outs[k].buf, cgs.outs[k].len);
				ctp_buf_addch(&key, 0);
				k = memo_get(&pcs, t->pcomm, strlen(t->pcomm), o, 0);
				ctp_buf_add(&key, pcs.outs[k].buf, pcs.outs[k].len);
				ctp_buf_addch(&key, 0);
				k = memo_get(&pcs, t->comm, strlen(t->comm), o, 0);
				ctp_buf_add(&key, pcs.outs[k].buf, pcs.outs[k].len);
				break;
			}
			}
			gr->of[s][i] = group_index(gr, &gmap, key.buf, key.len);
		}
	}
	/* detach the keys from gmap: the grouping owns them */
	for (size_t i = 0; i < gr->n; i++) {
		char *k = ctp_xmalloc(gr->g[i].keylen + 1);
		memcpy(k, gr->g[i].key, gr->g[i].keylen + 1);
		gr->g[i].key = k;
	}
	free(cnt);
	ctp_buf_release(&key);
	ctp_hmap_release(&gmap);
	ctp_hmap_release(&counts);
	memo_release(&names);
	memo_release(&cgs);
	memo_release(&pcs);
}

void ctp_grouping_release(struct ctp_grouping *gr)
{
	for (size_t i = 0; i < gr->n; i++) {
		free(gr->g[i].key);
		if (gr->fudge_label)
			free(gr->fudge_label[i]);
	}
	free(gr->fudge_label);
	for (size_t i = 0; i < gr->nfudges; i++)
		ctp_fudge_release(&gr->fudges[i]);
	free(gr->fudges);
	free(gr->g);
	free(gr->of[0]);
	free(gr->of[1]);
	memset(gr, 0, sizeof(*gr));
}
