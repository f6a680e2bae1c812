/* tidmap.h — a table of fixed-size entries keyed by a thread id (open addressing, linear
 * probing, load at most 3/4): each entry starts with its uint32_t tid, 0 marking a free slot.
 * The caches of capture (kept fds) and of the probe (thread pointers) are built on it. */
#ifndef CTP_TIDMAP_H
#define CTP_TIDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctp_tidmap {
	unsigned char *v;
	size_t esize;  /* bytes per entry, set before first use (ctp_tidmap_init) */
	size_t cap, n; /* cap: 0 or a power of two */
};
void ctp_tidmap_init(struct ctp_tidmap *m, size_t esize);
/* slot i (0 <= i < cap): an entry, or a free slot when its tid is 0 */
static inline void *ctp_tidmap_at(const struct ctp_tidmap *m, size_t i)
{
	return m->v + i * m->esize;
}
/* the entry of tid, or NULL */
void *ctp_tidmap_find(const struct ctp_tidmap *m, uint32_t tid);
/* rebuilds the table at cap slots keeping the entries keep(entry, arg) accepts (NULL: all); a
 * rejected entry is the callback's to release before it returns false */
void ctp_tidmap_rebuild(struct ctp_tidmap *m, size_t cap, bool (*keep)(void *e, void *arg), void *arg);
/* adds a copy of e, whose tid (non-zero) is not in the table, and returns where it went. At the
 * load limit the table is first rebuilt at twice its size (min_cap when empty) with keep. */
void *ctp_tidmap_add(struct ctp_tidmap *m, const void *e, size_t min_cap, bool (*keep)(void *e, void *arg),
		     void *arg);
/* frees the slots (the entries need nothing released); the table is empty, esize kept */
void ctp_tidmap_release(struct ctp_tidmap *m);

#endif
