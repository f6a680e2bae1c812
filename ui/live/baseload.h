/* baseload.h — loads a baseline (a -B spec: a file, or a window of two) for the live view on a thread of its own, so `b` never
 * blocks the keys: the UI polls a self-pipe as it does the sampler's and takes the result
 * when it is ready. One load at a time; an abandoned load cleans up after itself. */
#ifndef CTP_BASELOAD_H
#define CTP_BASELOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "live/winbase.h"
#include "snapshot/model.h"
#include "base/util.h"

struct ctp_baseload;

/* starts loading path (a -B spec, winbase.h); NULL with err filled when the thread cannot start */
struct ctp_baseload *ctp_baseload_start(const char *path, struct ctp_err *err);
/* becomes readable when the load has finished */
int ctp_baseload_fd(const struct ctp_baseload *l);
const char *ctp_baseload_path(const struct ctp_baseload *l);
/* nanoseconds since the load started */
uint64_t ctp_baseload_elapsed_ns(const struct ctp_baseload *l);
/* false while still loading; else true with *lb filled (caller owns it), or empty (lb->path
 * NULL) and err filled */
bool ctp_baseload_take(struct ctp_baseload *l, struct ctp_livebase *lb, struct ctp_err *err);
/* a finished load is joined and freed; a running one is abandoned and frees itself when done
 * (so quitting never waits for a load). NULL is a no-op */
void ctp_baseload_free(struct ctp_baseload *l);

#endif
