/* history.c — the live view's history ring (history.h): packed samples in a circular array
 * indexed by sequence number, the oldest overwritten when full. */
#include "live/history.h"

#include <stdlib.h>

#include "snapshot/snapfile.h"

struct hsample {
	struct ctp_packed p;
	uint64_t seq, unix_ns;
	bool full;
};

struct ctp_history {
	struct hsample *v;
	size_t cap, n, head; /* head: index of the oldest */
};

struct ctp_history *ctp_history_new(size_t cap)
{
	struct ctp_history *h = ctp_xcalloc(1, sizeof(*h));
	h->cap = cap ? cap : 1;
	h->v = ctp_xcalloc(h->cap, sizeof(*h->v));
	return h;
}

void ctp_history_free(struct ctp_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->cap; i++)
		ctp_packed_release(&h->v[i].p);
	free(h->v);
	free(h);
}

static struct hsample *at(const struct ctp_history *h, size_t i)
{
	return &h->v[(h->head + i) % h->cap];
}

int ctp_history_push(struct ctp_history *h, uint64_t seq, const struct ctp_snapshot *snap, bool full,
		     struct ctp_err *err)
{
	struct ctp_packed p = CTP_PACKED_INIT;
	if (ctp_snapshot_pack(snap, &p, err) < 0)
		return -1;
	struct hsample *slot;
	if (h->n == h->cap) { /* the oldest leaves */
		slot = at(h, 0);
		h->head = (h->head + 1) % h->cap;
		h->n--;
	} else {
		slot = at(h, h->n);
	}
	ctp_packed_release(&slot->p);
	slot->p = p;
	slot->seq = seq;
	slot->unix_ns = snap->captured_at_unix_ns;
	slot->full = full;
	h->n++;
	return 0;
}

size_t ctp_history_count(const struct ctp_history *h)
{
	return h ? h->n : 0;
}

size_t ctp_history_cap(const struct ctp_history *h)
{
	return h ? h->cap : 0;
}

uint64_t ctp_history_first(const struct ctp_history *h)
{
	return h && h->n ? at(h, 0)->seq : 0;
}

uint64_t ctp_history_last(const struct ctp_history *h)
{
	return h && h->n ? at(h, h->n - 1)->seq : 0;
}

uint64_t ctp_history_seq_at(const struct ctp_history *h, size_t i)
{
	return h && i < h->n ? at(h, i)->seq : 0;
}

long ctp_history_rank(const struct ctp_history *h, uint64_t seq)
{
	size_t lo = 0, hi = h ? h->n : 0; /* binary search: pushes may skip numbers */
	while (lo < hi) { /* the first rank whose seq is larger */
		size_t mid = (lo + hi) / 2;
		if (at(h, mid)->seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* the slot of seq, NULL when not held */
static const struct hsample *find(const struct ctp_history *h, uint64_t seq)
{
	long r = ctp_history_rank(h, seq);
	return r >= 0 && at(h, (size_t)r)->seq == seq ? at(h, (size_t)r) : NULL;
}

bool ctp_history_info(const struct ctp_history *h, uint64_t seq, uint64_t *unix_ns, bool *full)
{
	const struct hsample *e = find(h, seq);
	if (e && unix_ns)
		*unix_ns = e->unix_ns;
	if (e && full)
		*full = e->full;
	return e != NULL;
}

int ctp_history_get(const struct ctp_history *h, uint64_t seq, struct ctp_snapshot **out, struct ctp_err *err)
{
	const struct hsample *e = find(h, seq);
	*out = NULL;
	if (!e)
		return ctp_err_set(err, CTP_E_ARG, 0, "history", "sample %llu is no longer kept", (unsigned long long)seq);
	return ctp_snapshot_unpack(&e->p, out, err);
}

size_t ctp_history_bytes(const struct ctp_history *h)
{
	size_t n = 0;
	for (size_t i = 0; h && i < h->n; i++)
		n += at(h, i)->p.z.len;
	return n;
}
