/* hmap.c — byte-keyed open-addressing hash map (FNV-1a, linear probing, load <= 3/4). */
#include "compare/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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
		e->key = ctp_xstrndup(key, len);
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
