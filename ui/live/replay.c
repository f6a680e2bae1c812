/* replay.c — a recording as the live view's samples (replay.h): the directory listed once
 * (recording.h), a range applied, each file loaded when the position needs it (snapfile.h);
 * one that fails is remembered as bad. A prefetch thread loads the neighbours the next step
 * will want into a small cache, so a step usually finds its file loaded. */
#include "live/replay.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "snapshot/recording.h"
#include "snapshot/snapfile.h"

#define CACHE_N CTP_REPLAY_PREFETCH

struct ctp_replay {
	struct ctp_recording rec;
	size_t first, n; /* the range: rec.v[first .. first + n) */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* guarded by mu */
	bool *bad;
	bool stop;
	uint64_t want[CACHE_N];  /* the prefetch wishes, 0 = none */
	uint64_t loading;        /* the file being prefetched, 0 = none */
	struct { uint64_t seq; struct ctp_snapshot *snap; } cache[CACHE_N];
};

static bool wanted(const struct ctp_replay *r, uint64_t seq)
{
	for (size_t i = 0; seq && i < CACHE_N; i++)
		if (r->want[i] == seq)
			return true;
	return false;
}

static long cached(const struct ctp_replay *r, uint64_t seq)
{
	for (size_t i = 0; seq && i < CACHE_N; i++)
		if (r->cache[i].snap && r->cache[i].seq == seq)
			return (long)i;
	return -1;
}

/* the next wish neither cached nor known bad, 0 when none (under mu) */
static uint64_t next_wish(const struct ctp_replay *r)
{
	for (size_t i = 0; i < CACHE_N; i++)
		if (r->want[i] && cached(r, r->want[i]) < 0 && !r->bad[r->want[i] - 1])
			return r->want[i];
	return 0;
}

/* keeps a prefetched sample in a free slot (or one no longer wanted); frees it otherwise */
static void store(struct ctp_replay *r, uint64_t seq, struct ctp_snapshot *snap)
{
	for (size_t i = 0; snap && wanted(r, seq) && i < CACHE_N; i++) {
		if (r->cache[i].snap && wanted(r, r->cache[i].seq))
			continue;
		ctp_snapshot_free(r->cache[i].snap);
		r->cache[i].seq = seq;
		r->cache[i].snap = snap;
		return;
	}
	ctp_snapshot_free(snap);
}

static void *prefetch_main(void *arg)
{
	struct ctp_replay *r = arg;
	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		uint64_t seq = next_wish(r);
		if (!seq) {
			pthread_cond_wait(&r->cv, &r->mu);
			continue;
		}
		r->loading = seq;
		const char *path = r->rec.v[r->first + seq - 1].path;
		pthread_mutex_unlock(&r->mu);
		struct ctp_snapshot *snap = NULL;
		struct ctp_err err = { 0 };
		int rc = ctp_snapfile_load(path, &snap, &err);
		pthread_mutex_lock(&r->mu);
		r->loading = 0;
		if (rc < 0)
			r->bad[seq - 1] = true;
		else
			store(r, seq, snap);
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static void start_thread(struct ctp_replay *r)
{
	sigset_t all, old;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	sigfillset(&all); /* signals go to the UI thread only */
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r->started = pthread_create(&r->thread, NULL, prefetch_main, r) == 0; /* none: loads on demand */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

struct ctp_replay *ctp_replay_open(const char *spec, struct ctp_err *err)
{
	struct ctp_replay *r = ctp_xcalloc(1, sizeof(*r));
	const char *at = strrchr(spec, '@');
	char *dir = at && !is_dir(spec) ? ctp_xstrndup(spec, (size_t)(at - spec)) : ctp_xstrdup(spec);
	int rc = ctp_recording_list(dir, &r->rec, err);
	size_t first = 0, last = r->rec.n ? r->rec.n - 1 : 0;
	if (rc == 0 && at && !is_dir(spec))
		rc = ctp_recording_range(&r->rec, at + 1, &first, &last, err);
	free(dir);
	if (rc < 0) {
		ctp_replay_free(r);
		return NULL;
	}
	r->first = first;
	r->n = last - first + 1;
	r->bad = ctp_xcalloc(r->n, sizeof(*r->bad));
	start_thread(r);
	return r;
}

void ctp_replay_free(struct ctp_replay *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->stop = true;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL); /* after the file it is loading, if any */
	}
	if (r->bad) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
	}
	for (size_t i = 0; i < CACHE_N; i++)
		ctp_snapshot_free(r->cache[i].snap);
	ctp_recording_release(&r->rec);
	free(r->bad);
	free(r);
}

uint64_t ctp_replay_first(const struct ctp_replay *r)
{
	return r && r->n ? 1 : 0;
}

uint64_t ctp_replay_last(const struct ctp_replay *r)
{
	return r ? r->n : 0;
}

static const struct ctp_rec_entry *entry(const struct ctp_replay *r, uint64_t seq)
{
	return r && seq >= 1 && seq <= r->n ? &r->rec.v[r->first + seq - 1] : NULL;
}

uint64_t ctp_replay_time(const struct ctp_replay *r, uint64_t seq)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	return e ? e->unix_ns : 0;
}

const char *ctp_replay_path(const struct ctp_replay *r, uint64_t seq)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	return e ? e->path : "";
}

void ctp_replay_prefetch(struct ctp_replay *r, const uint64_t *seqs, size_t n)
{
	if (!r || !r->started)
		return;
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < CACHE_N; i++)
		r->want[i] = i < n && entry(r, seqs[i]) ? seqs[i] : 0;
	for (size_t i = 0; i < CACHE_N; i++) /* what is no longer wanted leaves */
		if (r->cache[i].snap && !wanted(r, r->cache[i].seq)) {
			ctp_snapshot_free(r->cache[i].snap);
			r->cache[i].snap = NULL;
		}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

/* the prefetched sample seq, waiting for it when it is being loaded; NULL when not there */
static struct ctp_snapshot *take_cached(struct ctp_replay *r, uint64_t seq)
{
	if (!r->started)
		return NULL;
	pthread_mutex_lock(&r->mu);
	while (r->loading == seq)
		pthread_cond_wait(&r->cv, &r->mu);
	long i = cached(r, seq);
	struct ctp_snapshot *snap = i >= 0 ? r->cache[i].snap : NULL;
	if (i >= 0)
		r->cache[i].snap = NULL;
	pthread_mutex_unlock(&r->mu);
	return snap;
}

int ctp_replay_get(struct ctp_replay *r, uint64_t seq, struct ctp_snapshot **out, bool *full, struct ctp_err *err)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	*out = NULL;
	*full = true;
	if (!e)
		return ctp_err_set(err, CTP_E_ARG, 0, "replay", "no sample %llu", (unsigned long long)seq);
	if ((*out = take_cached(r, seq)))
		return 0;
	if (ctp_snapfile_load(e->path, out, err) < 0) { /* a bad one is loaded again: its error shows */
		if (r->started)
			pthread_mutex_lock(&r->mu);
		r->bad[seq - 1] = true;
		if (r->started)
			pthread_mutex_unlock(&r->mu);
		return -1;
	}
	return 0;
}
