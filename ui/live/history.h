/* history.h — the live view's history ring: the last N samples, each packed (snapfile.h
 * ctp_snapshot_pack: the sample as zstd JSON, ~5x smaller than in memory) under a sequence
 * number that only grows, so a position survives the ring dropping its oldest. No curses. */
#ifndef CTP_HISTORY_H
#define CTP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "snapshot/model.h"

struct ctp_history;

/* a ring of cap samples (cap >= 1) */
struct ctp_history *ctp_history_new(size_t cap);
void ctp_history_free(struct ctp_history *h); /* NULL is a no-op */
/* packs snap as sample seq (larger than the last one pushed); the oldest leaves when full.
 * -1 with err when packing fails (the ring is unchanged) */
int ctp_history_push(struct ctp_history *h, uint64_t seq, const struct ctp_snapshot *snap, bool full,
		     struct ctp_err *err);
size_t ctp_history_count(const struct ctp_history *h);
size_t ctp_history_cap(const struct ctp_history *h);
/* sequence numbers of the oldest and newest samples held; 0 when empty */
uint64_t ctp_history_first(const struct ctp_history *h);
uint64_t ctp_history_last(const struct ctp_history *h);
/* the sequence number of the sample of rank i (0 = the oldest held); 0 when out of range */
uint64_t ctp_history_seq_at(const struct ctp_history *h, size_t i);
/* the rank of the newest sample numbered seq or less; -1 when every held one is newer */
long ctp_history_rank(const struct ctp_history *h, uint64_t seq);
/* true when seq is held; *unix_ns its capture time, *full whether it read everything */
bool ctp_history_info(const struct ctp_history *h, uint64_t seq, uint64_t *unix_ns, bool *full);
/* the sample seq unpacked into *out (caller frees): 0, or -1 with err (not held, or corrupt) */
int ctp_history_get(const struct ctp_history *h, uint64_t seq, struct ctp_snapshot **out, struct ctp_err *err);
/* bytes the packed samples take */
size_t ctp_history_bytes(const struct ctp_history *h);

#endif
