/* sampler.h — the capture thread of the live view. It owns the ctp_capture context, samples
 * every interval with the refresh plan the UI set (the first capture, and one asked for, read
 * everything) and hands each finished snapshot to the UI thread through a mutex-guarded slot
 * plus a self-pipe the UI polls, so keys stay responsive while a capture is slow. A NULL
 * sampler (replay) is accepted by every call below: no fd (-1), never busy, no result. */
#ifndef CTP_SAMPLER_H
#define CTP_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "snapshot/model.h"
#include "base/util.h"

struct ctp_sampler;

/* starts the thread; the first capture begins at once. NULL with err filled on failure */
struct ctp_sampler *ctp_sampler_new(const struct ctp_capture_opts *opts, double interval_s, struct ctp_err *err);
/* stops and joins the thread, frees any pending snapshot; NULL is a no-op */
void ctp_sampler_free(struct ctp_sampler *s);
/* fd that becomes readable when a snapshot (or error) is ready; poll it with stdin */
int ctp_sampler_fd(const struct ctp_sampler *s);

struct ctp_sample_result {
	struct ctp_snapshot *snap;  /* caller frees; NULL when the capture failed */
	struct ctp_err err;         /* set when snap == NULL */
	struct ctp_capture_status status;
	uint64_t capture_ns;        /* how long the capture took */
	bool full;                  /* captured with CTP_PLAN_FULL: every source of every thread */
};
/* takes the finished result, if any (drains the pipe). Returns false when none is pending */
bool ctp_sampler_take(struct ctp_sampler *s, struct ctp_sample_result *out);
void ctp_sampler_set_interval(struct ctp_sampler *s, double interval_s);
void ctp_sampler_set_paused(struct ctp_sampler *s, bool paused);
/* ask for a capture now (skips the rest of the wait) */
void ctp_sampler_kick(struct ctp_sampler *s);
/* the plan of the next captures (capture.h: ctp_capture_set_plan); CTP_PLAN_FULL until set.
 * A plan that reads a source the last one did not starts a capture now */
void ctp_sampler_set_plan(struct ctp_sampler *s, uint32_t plan);
/* ask for one full capture now, even while paused (a save or a rebase waits for it); a full
 * result the UI had not taken when the next one replaced it is asked for again */
void ctp_sampler_want_full(struct ctp_sampler *s);
/* true while a capture runs; *elapsed_ns gets how long it has been running */
bool ctp_sampler_busy(struct ctp_sampler *s, uint64_t *elapsed_ns);

#endif
