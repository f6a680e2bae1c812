/* sampler.c — the live view's capture thread: waits for the interval on a condition variable,
 * applies the refresh plan (full when asked), runs ctp_capture_run, parks the result in a
 * one-slot mailbox and writes a byte to a self-pipe. Only the UI thread calls curses; this
 * thread never touches the terminal. */
#include "live/sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "live/testhooks.h"

struct ctp_sampler {
	struct ctp_capture *cap;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pipe_rd, pipe_wr;
	/* guarded by mu */
	bool quit, paused, kick, busy, has_result;
	bool want_full; /* the next capture reads everything (ctp_sampler_want_full) */
	uint32_t plan;  /* the refresh plan of the other captures (ctp_sampler_set_plan) */
	double interval_s;
	uint64_t busy_since_ns;
	struct ctp_sample_result result;
};

static void timespec_after(struct timespec *ts, uint64_t ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	uint64_t t = (uint64_t)ts->tv_nsec + ns % 1000000000ull;
	ts->tv_sec += (time_t)(ns / 1000000000ull + t / 1000000000ull);
	ts->tv_nsec = (long)(t % 1000000000ull);
}

/* waits until the interval since `started` elapsed, or a kick / quit (a full capture asked
 * for runs while paused too); *plan gets the plan of this capture. Returns false on quit */
static bool wait_turn(struct ctp_sampler *s, uint64_t started, uint32_t *plan)
{
	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->quit)
			break;
		if (s->kick && (!s->paused || s->want_full)) {
			s->kick = false;
			break;
		}
		uint64_t due = started + (uint64_t)(s->interval_s * 1e9);
		uint64_t now = ctp_now_monotonic_ns();
		if (!s->paused && now >= due)
			break;
		struct timespec ts;
		timespec_after(&ts, s->paused ? 1000000000ull : due - now);
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	}
	bool go = !s->quit;
	if (go) {
		s->busy = true;
		s->busy_since_ns = ctp_now_monotonic_ns();
		*plan = s->want_full ? CTP_PLAN_FULL : s->plan;
		s->want_full = false;
	}
	pthread_mutex_unlock(&s->mu);
	return go;
}

static void publish(struct ctp_sampler *s, struct ctp_sample_result *r)
{
	pthread_mutex_lock(&s->mu);
	if (s->has_result) { /* UI did not take the previous one: drop it */
		ctp_snapshot_free(s->result.snap);
		if (s->result.full && !r->full) /* a save or rebase may wait for a full one */
			s->want_full = true;
	}
	s->result = *r;
	s->has_result = true;
	s->busy = false;
	pthread_mutex_unlock(&s->mu);
	char b = 1;
	ssize_t w = write(s->pipe_wr, &b, 1); /* non-blocking; a full pipe already signals */
	(void)w;
}

static void *sampler_main(void *arg)
{
	struct ctp_sampler *s = arg;
	uint64_t started = 0;
	bool first = true;
	for (;;) {
		uint32_t plan = CTP_PLAN_FULL; /* the first capture reads everything (since start) */
		if (!first && !wait_turn(s, started, &plan))
			break;
		if (first) {
			pthread_mutex_lock(&s->mu);
			s->busy = true;
			s->busy_since_ns = ctp_now_monotonic_ns();
			pthread_mutex_unlock(&s->mu);
			first = false;
		}
		started = ctp_now_monotonic_ns();
		struct ctp_sample_result r;
		memset(&r, 0, sizeof(r));
		r.full = plan == CTP_PLAN_FULL;
		if (ctp_hook_before_capture)
			ctp_hook_before_capture(plan);
		ctp_capture_set_plan(s->cap, plan);
		if (ctp_capture_run(s->cap, &r.snap, &r.err) < 0)
			r.snap = NULL;
		if (ctp_hook_after_capture)
			ctp_hook_after_capture();
		r.status = *ctp_capture_status(s->cap);
		r.capture_ns = ctp_now_monotonic_ns() - started;
		publish(s, &r);
	}
	return NULL;
}

static int make_pipe(struct ctp_sampler *s, struct ctp_err *err)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return ctp_err_set(err, CTP_E_IO, errno, "pipe", "cannot create the sampler pipe");
	s->pipe_rd = fds[0];
	s->pipe_wr = fds[1];
	return 0;
}

struct ctp_sampler *ctp_sampler_new(const struct ctp_capture_opts *opts, double interval_s, struct ctp_err *err)
{
	struct ctp_sampler *s = ctp_xcalloc(1, sizeof(*s));
	s->interval_s = interval_s;
	s->plan = CTP_PLAN_FULL;
	s->pipe_rd = s->pipe_wr = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	s->cap = ctp_capture_new(opts);
	if (!s->cap) {
		ctp_err_set(err, CTP_E_IO, 0, "capture", "cannot set up the capture");
		goto fail;
	}
	if (make_pipe(s, err) < 0)
		goto fail;
	/* signals go to the UI thread only */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&s->thread, NULL, sampler_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		ctp_err_set(err, CTP_E_IO, rc, "pthread_create", "cannot start the sampler thread");
		goto fail;
	}
	return s;
fail:
	ctp_capture_free(s->cap);
	if (s->pipe_rd >= 0) {
		close(s->pipe_rd);
		close(s->pipe_wr);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
	return NULL;
}

void ctp_sampler_free(struct ctp_sampler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	if (s->has_result)
		ctp_snapshot_free(s->result.snap);
	ctp_capture_free(s->cap);
	close(s->pipe_rd);
	close(s->pipe_wr);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int ctp_sampler_fd(const struct ctp_sampler *s)
{
	if (!s) /* replay: no sampler */
		return -1;
	return s->pipe_rd;
}

bool ctp_sampler_take(struct ctp_sampler *s, struct ctp_sample_result *out)
{
	if (!s) /* replay: no sampler */
		return false;
	char buf[64];
	while (read(s->pipe_rd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&s->mu);
	bool had = s->has_result;
	if (had) {
		*out = s->result;
		s->has_result = false;
	}
	pthread_mutex_unlock(&s->mu);
	return had;
}

void ctp_sampler_set_interval(struct ctp_sampler *s, double interval_s)
{
	if (!s) /* replay: no sampler */
		return;
	pthread_mutex_lock(&s->mu);
	s->interval_s = interval_s;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void ctp_sampler_set_paused(struct ctp_sampler *s, bool paused)
{
	if (!s) /* replay: no sampler */
		return;
	pthread_mutex_lock(&s->mu);
	s->paused = paused;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void ctp_sampler_kick(struct ctp_sampler *s)
{
	if (!s) /* replay: no sampler */
		return;
	pthread_mutex_lock(&s->mu);
	s->kick = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void ctp_sampler_set_plan(struct ctp_sampler *s, uint32_t plan)
{
	if (!s) /* replay: no sampler */
		return;
	pthread_mutex_lock(&s->mu);
	if (plan & ~s->plan) { /* a source to read now: show it at once, not an interval later */
		s->kick = true;
		pthread_cond_signal(&s->cv);
	}
	s->plan = plan;
	pthread_mutex_unlock(&s->mu);
}

void ctp_sampler_want_full(struct ctp_sampler *s)
{
	if (!s) /* replay: no sampler */
		return;
	pthread_mutex_lock(&s->mu);
	s->want_full = true;
	s->kick = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

bool ctp_sampler_busy(struct ctp_sampler *s, uint64_t *elapsed_ns)
{
	if (!s) {
		if (elapsed_ns)
			*elapsed_ns = 0;
		return false;
	}
	pthread_mutex_lock(&s->mu);
	bool b = s->busy;
	if (elapsed_ns)
		*elapsed_ns = b ? ctp_now_monotonic_ns() - s->busy_since_ns : 0;
	pthread_mutex_unlock(&s->mu);
	return b;
}
