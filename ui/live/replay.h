/* replay.h — the samples of the live view over a recording (--replay DIR[@START..END]): the
 * recording's files in time order, numbered 1..n, loaded on demand; a file that does not load
 * is marked bad (the stepping skips it with a notice); a thread prefetches the neighbours of
 * the position. No curses. */
#ifndef CTP_REPLAY_H
#define CTP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "snapshot/model.h"

struct ctp_replay;

/* DIR or DIR@START..END (recording.h ctp_recording_range): NULL with err naming DIR when it
 * cannot be read, holds no recording file, or the range selects none */
struct ctp_replay *ctp_replay_open(const char *spec, struct ctp_err *err);
void ctp_replay_free(struct ctp_replay *r); /* NULL is a no-op */
uint64_t ctp_replay_first(const struct ctp_replay *r); /* 1 */
uint64_t ctp_replay_last(const struct ctp_replay *r);  /* the count */
/* capture time from the file name (UTC, ms); 0 when seq is out of range */
uint64_t ctp_replay_time(const struct ctp_replay *r, uint64_t seq);
const char *ctp_replay_path(const struct ctp_replay *r, uint64_t seq);
/* loads sample seq (caller frees *out; every file is a full capture): 0, or -1 with err, and
 * the file marked bad */
int ctp_replay_get(struct ctp_replay *r, uint64_t seq, struct ctp_snapshot **out, bool *full, struct ctp_err *err);
/* the samples the next steps will want (at most CTP_REPLAY_PREFETCH): a thread loads them into
 * a cache that ctp_replay_get takes from; the others cached are dropped */
#define CTP_REPLAY_PREFETCH 4
void ctp_replay_prefetch(struct ctp_replay *r, const uint64_t *seqs, size_t n);

#endif
