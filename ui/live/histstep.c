/* histstep.c — stepping through samples (session.h): the history ring of the live view or a
 * recording in replay. The sample on screen (hseq) becomes live, the start of the live window
 * (smooth samples before it) prev, both unpacked from the ring or loaded from the recording;
 * the position line. */
#include <stdio.h>
#include <time.h>

#include "live/history.h"
#include "live/replay.h"
#include "live/session.h"
#include "live/winbase.h"

/* the samples to step through by rank (0 = the oldest): the ring's, or replay's files */
static size_t src_count(const struct ctp_session *s)
{
	return s->replay ? (size_t)ctp_replay_last(s->replay) : ctp_history_count(s->hist);
}

static uint64_t src_seq(const struct ctp_session *s, size_t rank)
{
	return s->replay ? (rank < src_count(s) ? rank + 1 : 0) : ctp_history_seq_at(s->hist, rank);
}

/* the rank of the newest sample numbered seq or less, -1 when none */
static long src_rank(const struct ctp_session *s, uint64_t seq)
{
	if (s->replay)
		return seq > src_count(s) ? (long)src_count(s) - 1 : (long)seq - 1;
	return ctp_history_rank(s->hist, seq);
}

static uint64_t src_first(const struct ctp_session *s)
{
	return src_seq(s, 0);
}

static uint64_t src_last(const struct ctp_session *s)
{
	size_t n = src_count(s);
	return n ? src_seq(s, n - 1) : 0;
}

static int src_get(struct ctp_session *s, uint64_t seq, struct ctp_snapshot **out, bool *full, struct ctp_err *err)
{
	*full = false;
	if (s->replay)
		return ctp_replay_get(s->replay, seq, out, full, err);
	ctp_history_info(s->hist, seq, NULL, full);
	return ctp_history_get(s->hist, seq, out, err);
}

static uint64_t src_time(const struct ctp_session *s, uint64_t seq)
{
	uint64_t t = 0;
	if (s->replay)
		return ctp_replay_time(s->replay, seq);
	ctp_history_info(s->hist, seq, &t, NULL);
	return t;
}

static void set_prev(struct ctp_session *s, struct ctp_snapshot *snap, uint64_t seq)
{
	struct ctp_snapshot *old = s->prev;
	s->prev = snap;
	s->prev_seq = snap ? seq : 0;
	ctp_session_free_slot(s, old);
}

/* the sample the live window starts at (smooth samples before the one on screen, or the
 * closest older one held), 0 = none; *keep when prev already is it */
static uint64_t prev_target(const struct ctp_session *s, bool *keep)
{
	uint64_t end = s->hseq ? s->hseq : s->seq, k = s->smooth > 1 ? (uint64_t)s->smooth : 1;
	uint64_t want = end > k ? end - k : 0;
	*keep = false;
	if ((s->mode != CTP_TOP_RATES && s->mode != CTP_TOP_WINDOW) || !end || !s->live)
		return 0;
	long r = src_rank(s, want); /* the ring may skip samples (packing within its budget) */
	uint64_t held = r >= 0 ? src_seq(s, (size_t)r) : src_first(s);
	if (s->prev && s->prev_seq && s->prev_seq <= want && (r < 0 || s->prev_seq >= held)) {
		*keep = true; /* the rotation's sample, as close as any the ring holds */
		return s->prev_seq;
	}
	return held && held < end ? held : 0;
}

/* prev := sample seq (0: none): spare when it is that sample, else unpacked or loaded */
static void fetch_prev(struct ctp_session *s, uint64_t seq, struct ctp_snapshot *spare, uint64_t spare_seq)
{
	struct ctp_snapshot *snap = NULL;
	struct ctp_err err = { 0 };
	bool full;
	if (!seq) {
		set_prev(s, NULL, 0);
	} else if (spare && spare_seq == seq) {
		set_prev(s, spare, seq);
	} else if (src_get(s, seq, &snap, &full, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "cannot restore sample %llu: %s", (unsigned long long)seq,
				ctp_err_str(&err, eb, sizeof(eb)));
		set_prev(s, NULL, 0);
	} else {
		set_prev(s, snap, seq);
	}
}

void ctp_session_sync_prev(struct ctp_session *s)
{
	bool keep;
	uint64_t seq = prev_target(s, &keep);
	if (!keep)
		fetch_prev(s, seq, NULL, 0);
}

/* replay: the files one step forward or back will want loaded by the prefetch thread (the
 * sample on screen and the live window's start are reused when they fit) */
static void prefetch(struct ctp_session *s)
{
	uint64_t q = s->hseq, k = s->smooth > 1 ? (uint64_t)s->smooth : 1, v[CTP_REPLAY_PREFETCH] = { 0 };
	size_t n = 0;
	bool win = s->mode == CTP_TOP_RATES || s->mode == CTP_TOP_WINDOW;
	if (!s->replay || !q)
		return;
	v[n++] = q + 1;
	if (!win || k > 1)
		v[n++] = q - 1;
	if (win && q > k + 1)
		v[n++] = q - 1 - k;
	if (win && k > 1 && q + 1 > k)
		v[n++] = q + 1 - k;
	ctp_replay_prefetch(s->replay, v, n);
}

/* the sample seq on screen: 0, or -1 with the message. Leaving the newest sample keeps it; a
 * step of one reuses the sample on screen or the window's start (one load per step) */
static int show(struct ctp_session *s, uint64_t seq)
{
	struct ctp_snapshot *snap = NULL;
	struct ctp_err err = { 0 };
	bool full = true, keep;
	uint64_t old_seq = s->hseq ? s->hseq : s->seq;
	if (s->prev && s->prev_seq == seq) {
		snap = s->prev;
		if (!s->replay)
			ctp_history_info(s->hist, seq, NULL, &full);
	} else if (src_get(s, seq, &snap, &full, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "cannot show sample %llu: %s", (unsigned long long)seq, ctp_err_str(&err, eb, sizeof(eb)));
		return -1;
	}
	if (!s->hseq && !s->replay && !s->newest) {
		s->newest = s->live;
		s->newest_full = s->live_full;
	}
	struct ctp_snapshot *old = s->live, *old_prev = s->prev;
	s->live = snap;
	s->live_full = full;
	s->hseq = seq;
	s->prev = NULL; /* made again for this position */
	s->prev_seq = 0;
	fetch_prev(s, prev_target(s, &keep), old, old_seq);
	ctp_session_free_slot(s, old);
	ctp_session_free_slot(s, old_prev);
	prefetch(s);
	return 0;
}

/* L: the newest sample on screen again */
static void to_newest(struct ctp_session *s)
{
	struct ctp_snapshot *old = s->live, *old_prev = s->prev;
	s->live = s->newest;
	s->live_full = s->newest_full;
	s->newest = NULL;
	s->hseq = 0;
	s->prev = NULL;
	s->prev_seq = 0;
	ctp_session_free_slot(s, old);
	ctp_session_free_slot(s, old_prev);
	ctp_session_sync_prev(s);
}

/* shows to, or in replay the next file in direction dir (toward the end when dir is 0 ... the
 * first) that loads: a corrupt one is skipped with a notice. 0, or -1 with the message */
static int show_skipping(struct ctp_session *s, uint64_t to, long dir)
{
	uint64_t first = src_first(s), last = src_last(s);
	int skipped = 0;
	char notice[400] = "";
	while (show(s, to) < 0) { /* replay numbers its files 1..n: the next is to +- 1 */
		if (!s->replay)
			return -1;
		if (!skipped++) /* the first one's error names the file */
			snprintf(notice, sizeof(notice), "%s", s->msg);
		if ((dir < 0 && to <= first) || (dir >= 0 && to >= last))
			return -1;
		to = dir < 0 ? to - 1 : to + 1;
	}
	if (skipped)
		ctp_session_msg(s, true, "skipped %d corrupt file%s: %s", skipped, skipped > 1 ? "s" : "", notice);
	return 0;
}

bool ctp_session_step(struct ctp_session *s, long dir)
{
	size_t n = src_count(s);
	if (!s->replay && !s->hist_steps) {
		ctp_session_msg(s, true, "no history kept (--history 0)");
		return false;
	}
	if (!n || !s->live) {
		ctp_session_msg(s, true, "no sample yet");
		return false;
	}
	/* positions: the ring's ranks, then the newest sample (live) unless the ring's last is it */
	long top = s->replay || src_last(s) == s->seq ? (long)n - 1 : (long)n;
	long cur = s->hseq ? src_rank(s, s->hseq) : top, to = top;
	if (dir)
		to = cur + dir < 0 ? 0 : cur + dir > top ? top : cur + dir;
	if (to == cur && !(dir >= 0 && s->hseq && s->newest)) { /* a jump may have shown the newest from the ring */
		ctp_session_msg(s, false, dir < 0 ? "the oldest sample kept" : "the newest sample");
		return false;
	}
	s->msg[0] = 0;
	if (!s->replay && to == top && s->newest) {
		to_newest(s);
		ctp_session_msg(s, false, "back to the newest sample");
		return true;
	}
	if (show_skipping(s, src_seq(s, (size_t)to), dir ? dir : -1) < 0)
		return false;
	return true;
}

bool ctp_session_replay_start(struct ctp_session *s)
{
	if (show_skipping(s, src_first(s), 1) == 0)
		return true;
	fprintf(stderr, "ctprof-top: cannot replay: no file of the recording loads (%s)\n", s->msg);
	return false;
}

bool ctp_session_jump(struct ctp_session *s, uint64_t unix_ns)
{
	uint64_t to = 0;
	size_t n = src_count(s);
	if (!n || (!s->replay && !s->hist_steps)) {
		ctp_session_msg(s, true, "no samples to jump through");
		return false;
	}
	for (size_t i = 0; i < n; i++) { /* the last at or before the time */
		uint64_t q = src_seq(s, i), t = src_time(s, q);
		if (t && t <= unix_ns)
			to = q;
	}
	if (!to) {
		ctp_session_msg(s, true, "no sample at or before that time");
		return false;
	}
	if (!s->replay && to == s->seq) /* the newest: live again */
		return s->hseq ? ctp_session_step(s, 0) : false;
	return show(s, to) == 0;
}

void ctp_session_position(const struct ctp_session *s, char *buf, size_t len)
{
	buf[0] = 0;
	if (!s->hseq)
		return;
	time_t t = (time_t)(src_time(s, s->hseq) / 1000000000ull);
	struct tm tm;
	char when[16] = "?";
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	snprintf(buf, len, "%s%s \xc2\xb7 %llu/%llu", s->replay ? "" : "HISTORY ", when,
		 (unsigned long long)(src_rank(s, s->hseq) + 1), (unsigned long long)src_count(s));
}

/* both marks set: the window of the two samples becomes the baseline */
static bool use_marks(struct ctp_session *s)
{
	struct ctp_snapshot *a = NULL, *b = NULL;
	struct ctp_err err = { 0 };
	char eb[600], na[64], nb[64];
	bool full;
	if (src_get(s, s->mark_a, &a, &full, &err) < 0 || src_get(s, s->mark_b, &b, &full, &err) < 0) {
		ctp_snapshot_free(a);
		ctp_session_msg(s, true, "cannot mark the window: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return false;
	}
	snprintf(na, sizeof(na), "sample %ld", src_rank(s, s->mark_a) + 1);
	snprintf(nb, sizeof(nb), "sample %ld", src_rank(s, s->mark_b) + 1);
	const char *pa = s->replay ? ctp_replay_path(s->replay, s->mark_a) : na;
	const char *pb = s->replay ? ctp_replay_path(s->replay, s->mark_b) : nb;
	struct ctp_livebase lb;
	if (ctp_livebase_window(a, pa, b, pb, &lb, &err) < 0) {
		ctp_snapshot_free(a);
		ctp_snapshot_free(b);
		ctp_session_msg(s, true, "not a window: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return false;
	}
	ctp_session_use_base(s, &lb);
	s->mode = CTP_TOP_WINDOW;
	ctp_session_sync_prev(s);
	ctp_session_msg(s, false, "window baseline %s: rate vs base rate", s->win_text);
	return true;
}

bool ctp_session_mark(struct ctp_session *s, bool end)
{
	uint64_t cur = s->hseq ? s->hseq : src_last(s);
	if (!cur || (!s->replay && !s->hist_steps)) {
		ctp_session_msg(s, true, !cur ? "no sample yet" : "no history kept (--history 0)");
		return false;
	}
	if (end)
		s->mark_b = cur;
	else
		s->mark_a = cur;
	if (s->mark_a && s->mark_b && s->mark_a < s->mark_b && src_time(s, s->mark_a))
		return use_marks(s);
	ctp_session_msg(s, false, "window %s marked at sample %llu; %s", end ? "end" : "start",
			(unsigned long long)(src_rank(s, cur) + 1),
			s->mark_a && s->mark_b ? "the start must come before the end" : end ? "[ marks the start" : "] marks the end");
	return false;
}
