/* tidmap.c — the tid-keyed open-addressing table (Knuth's multiplicative hash of the tid). */
#include "base/tidmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void ctp_tidmap_init(struct ctp_tidmap *m, size_t esize)
{
	memset(m, 0, sizeof(*m));
	m->esize = esize;
}

static uint32_t tid_of(const void *e)
{
	uint32_t tid;
	memcpy(&tid, e, sizeof(tid));
	return tid;
}

static size_t slot_of(const struct ctp_tidmap *m, uint32_t tid)
{
	return (size_t)(tid * 2654435761u) & (m->cap - 1);
}

void *ctp_tidmap_find(const struct ctp_tidmap *m, uint32_t tid)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(m, tid);; i = (i + 1) & (m->cap - 1)) {
		void *e = ctp_tidmap_at(m, i);
		uint32_t t = tid_of(e);
		if (t == tid)
			return e;
		if (!t)
			return NULL;
	}
}

/* the first free slot from tid's home (the table has one) */
static void *place(struct ctp_tidmap *m, const void *e)
{
	size_t i = slot_of(m, tid_of(e));
	while (tid_of(ctp_tidmap_at(m, i)))
		i = (i + 1) & (m->cap - 1);
	void *s = ctp_tidmap_at(m, i);
	memcpy(s, e, m->esize);
	m->n++;
	return s;
}

void ctp_tidmap_rebuild(struct ctp_tidmap *m, size_t cap, bool (*keep)(void *e, void *arg), void *arg)
{
	unsigned char *old = m->v;
	size_t oldcap = m->cap;
	m->v = ctp_xcalloc(cap, m->esize);
	m->cap = cap;
	m->n = 0;
	for (size_t i = 0; i < oldcap; i++) {
		void *e = old + i * m->esize;
		if (tid_of(e) && (!keep || keep(e, arg)))
			place(m, e);
	}
	free(old);
}

void *ctp_tidmap_add(struct ctp_tidmap *m, const void *e, size_t min_cap, bool (*keep)(void *e, void *arg),
		     void *arg)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		ctp_tidmap_rebuild(m, m->cap ? m->cap * 2 : min_cap, keep, arg);
	return place(m, e);
}

void ctp_tidmap_release(struct ctp_tidmap *m)
{
	free(m->v);
	ctp_tidmap_init(m, m->esize);
}
