/* session.h — the live view's state, below every view: the snapshots (newest, previous, first,
 * baseline), the sampler thread and a baseline load in flight, the user's settings (mode,
 * interval, pause, grouping, sort, filter, columns), the refresh plan they make and the status
 * message. No curses. Views read it and change settings only through these functions; top.c
 * bumps the generation. */
#ifndef CTP_SESSION_H
#define CTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "cli/colsets.h"
#include "cli/options.h"
#include "compare/compare.h"
#include "compare/filter.h"
#include "snapshot/model.h"
#include "snapshot/snapfile.h"

/* WINDOW: rate vs baseline rate, with a window baseline only (ctp_compare_window of the base
 * window and the live window: the sample `smooth` refreshes back -> the one on screen) */
enum ctp_top_mode { CTP_TOP_VS_BASELINE, CTP_TOP_RATES, CTP_TOP_SINCE_START, CTP_TOP_ABSOLUTE, CTP_TOP_WINDOW,
		    CTP_TOP_NMODES };
/* what the open view reads besides the table's columns on the session's axis (the refresh plan):
 * nothing more (groups, threads, host: the host context is in every capture), the columns on the
 * cgroup axis (cgroup view), or everything (detail view) */
enum ctp_view_need { CTP_NEED_TABLE, CTP_NEED_CGROUPS, CTP_NEED_FULL };
/* a column that left the screen stays in the plan for this many more samples: a column that
 * comes and goes as the other columns' values change width shows values, not '-', and a quick
 * Left/Right does not start a capture each time */
#define CTP_SHOWN_LINGER 10
/* the history ring's packing may take this share of a core (0.02 %): a sample packs in ~0.3 ms
 * at the host's ~80 threads and ~2.5 ms at 2,000 (snapshot/pack.c), so at -d 1 the ring keeps
 * about every 2nd and every 12th sample. At 0.1 % it packed every sample of a small host, a
 * tenth of the whole view's CPU there (~0.27 % of a core, about top's) */
#define CTP_HIST_BUDGET 0.0002

struct ctp_sampler;
struct ctp_baseload;
struct ctp_history;
struct ctp_replay;

struct ctp_session {
	const struct ctp_options *opts;
	struct ctp_sampler *sampler;  /* owned */
	struct ctp_baseload *loading; /* owned; a `b` load still running, NULL = none */
	/* snapshots, all owned: newest sample, the one before (kept in rates mode only), the first
	 * one (expanded in since-start mode only), the baseline (B makes baseline and live one
	 * snapshot until the next sample) */
	struct ctp_snapshot *live, *prev, *start, *baseline;
	/* the first full sample as file bytes (~5x smaller): start is made from it on entering
	 * since-start mode and dropped on leaving it */
	struct ctp_packed start_packed;
	char *baseline_path;          /* owned; NULL = none (or the B sample) */
	/* a window baseline (-B A,B | FILE with its .end partner | DIR[@range], b, replay's [ ]):
	 * two snapshots, owned, or NULL; never with baseline */
	struct ctp_snapshot *win_a, *win_b;
	char *win_text;               /* "A .. B (.end partner found, 1.5s)" for the header; owned */
	int smooth;                   /* live rates (rates and window modes) over the last K
	                               * refreshes: --smooth, w cycles 1, 5, 10 */
	/* the history ring (history.h; NULL with --history 0). Samples are numbered: seq is the
	 * newest's, hseq the one on screen while stepping back (0 = the newest), prev_seq prev's
	 * (the start of the live window: smooth samples before the one on screen) */
	struct ctp_history *hist;
	bool hist_steps;              /* the keys may step through it (false: --history 0, a ring
	                               * kept for smoothing only) */
	uint64_t seq, hseq, prev_seq;
	struct ctp_snapshot *newest;  /* while stepping back: the newest sample (L shows it again) */
	bool newest_full;
	uint64_t mark_a, mark_b;      /* [ and ]: sample numbers, 0 = not marked */
	uint64_t pack_ns;             /* the last packing into the ring took this long */
	uint64_t hist_next_ns;        /* monotonic time before which no sample is packed */
	struct ctp_replay *replay;    /* --replay: samples from a recording, no sampler; owned */
	char baseline_warn[160];      /* non-empty: the baseline looks like another host */
	struct ctp_capture_status status;
	bool have_status;
	uint64_t capture_ns;          /* duration of the last capture */
	char capture_err[256];        /* last capture error, "" if none */
	bool live_full;               /* live was a full capture (every source of every thread) */
	/* s and B want a full capture: when live is not one they wait for the next (the sampler
	 * takes it at once); owned, NULL = no save waiting */
	char *pending_save;
	int pending_rebase;           /* 0 none, 1 B waits, 2 B waits and cancelled a file load */
	/* issue 17: the exit records of every sample after the first full one (liveexits.c), for
	 * since-start mode; at most CTP_START_EXITS_MAX, the rest counted in start_exits_lost */
	struct ctp_thread *start_exits;
	size_t nstart_exits, start_exits_alloc;
	uint64_t start_exits_lost;

	/* settings */
	enum ctp_top_mode mode;
	double interval_s;
	bool paused;
	enum ctp_axis axis;           /* grouping axis of the groups view */
	int sort_col;                 /* ctp_cmetric index sorted by (-s, >, <, a click), -1 = the
	                               * default order (ctp_session_sort_metric) */
	bool sort_desc;
	bool show_idle;               /* list groups whose visible cells are all 0 or '-' (z) */
	struct ctp_filter *filter;    /* owned, NULL = none */
	struct ctp_columns cols;
	struct ctp_compare_opts user; /* the options' compare settings (ctp_options_compare_opts) */
	enum ctp_view_need need;      /* of the open view (top.c says, ctp_session_set_view_need) */
	/* the metric columns on screen (top.c says after each draw of a table, ctp_session_set_shown):
	 * per metric, the sample count until which the plan keeps reading it (CTP_SHOWN_LINGER after
	 * it was last on screen); shown_said false: not said yet, the plan reads every column */
	uint64_t shown_until[128];
	bool shown_said;
	uint64_t nsamples;            /* samples taken so far */
	uint32_t plan;                /* the plan last handed to the sampler, 0 = none yet */

	char msg[512];                /* status line */
	bool msg_err;
	uint64_t gen;                 /* bumped (by top.c) when data or settings change: views rebuild */
};

/* issue 17 (liveexits.c): keeps snap's exit records for since-start mode (call with each
 * sample after the first full one); frees them; the live snapshot with them for the compare
 * (*tmp filled, returned) in since-start mode, else s->live */
#define CTP_START_EXITS_MAX 20000 /* ~17 MB */
void ctp_liveexits_add(struct ctp_session *s, const struct ctp_snapshot *snap);
void ctp_liveexits_free(struct ctp_session *s);
const struct ctp_snapshot *ctp_liveexits_live(const struct ctp_session *s, struct ctp_snapshot *tmp);

/* -B SPEC at start-up (FILE, A,B, FILE with its .end partner, DIR[@range]): 0, or -1 with err
 * filled (a window that is not one names both files). Call before ctp_session_init. */
int ctp_session_load_baseline(struct ctp_session *s, const char *path, struct ctp_err *err);
/* settings from the options (the config file is already in them): 0, or -1 with err filled on a
 * bad axis, sort or filter */
int ctp_session_init(struct ctp_session *s, const struct ctp_options *o, struct ctp_err *err);
/* starts the sampler thread: 0, or -1 with err filled */
int ctp_session_start(struct ctp_session *s, struct ctp_err *err);
/* stops the sampler, abandons a load still running, frees everything; s may be half set up */
void ctp_session_release(struct ctp_session *s);

/* status line message (printf style); err selects the error role */
void ctp_session_msg(struct ctp_session *s, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *ctp_mode_name(enum ctp_top_mode m);

/* the base snapshot of the current mode (NULL in absolute mode or when not yet available) and
 * the seconds to divide by (0 = no division) */
const struct ctp_snapshot *ctp_session_base(const struct ctp_session *s, double *per_s);
/* compare options for the current mode, axis, sort and filter; returns the base snapshot. The
 * live view's compare: derived ratios and means as window values (window_derived); the default
 * order scores the visible columns (sort.score_mask) */
const struct ctp_snapshot *ctp_session_copts(const struct ctp_session *s, struct ctp_compare_opts *o);
/* after a draw: the previous sample (rates and window modes) is kept slim until a compare asks
 * for it again (ctp_session_copts expands it): ~750 -> ~250 bytes a thread between refreshes */
void ctp_session_settle(struct ctp_session *s);
/* the order in effect: the metric sorted by (desc set), or -1 = the largest relative change over
 * the visible columns (no sort picked, and a base in vs baseline / since start mode). With no
 * sort picked in rates or absolute mode: the column set's first sortable column, descending */
int ctp_session_sort_metric(const struct ctp_session *s, bool *desc);
/* the metric columns the tables show: the sort metric first when the column set lacks it (never
 * hidden), then the set's; returns the count (at most max) */
size_t ctp_session_columns(const struct ctp_session *s, int *out, size_t max);
/* true when name passes the filter (compare/filter.h: the same rule as --filter in batch) */
bool ctp_session_filter_match(const struct ctp_session *s, const char *name);
/* the refresh plan (capture.h): ctp_plan_sources of the columns on screen and the sort metric on
 * the axis, plus what the open view needs (CTP_PLAN_FULL for the detail view). The default order
 * (largest change, sort metric -1) ranks by every column: it reads them all. The engine computes
 * it from the metric table; the settings below hand it to the sampler whenever it may have
 * changed (one that adds a source starts a capture at once) */
uint32_t ctp_session_plan(const struct ctp_session *s);
/* the open view changed (top.c, after each key): its needs enter the plan */
void ctp_session_set_view_need(struct ctp_session *s, enum ctp_view_need need);
/* the metric columns a table put on screen (top.c, after each draw; ids are metric indexes):
 * the plan reads those of the columns (and those on screen in the last CTP_SHOWN_LINGER
 * samples) and no more */
void ctp_session_set_shown(struct ctp_session *s, const int *metrics, size_t n);

/* the table of the current mode (views: groups when key is NULL, a group's threads with
 * threads set, else the group key's row): ctp_compare with base (ctp_session_copts), in window
 * mode ctp_compare_window of the window baseline and the live window (base -> live) for groups;
 * threads there show the live window's rates. NULL with err filled */
struct ctp_table *ctp_session_table(const struct ctp_session *s, const struct ctp_snapshot *base,
				    const struct ctp_compare_opts *o, const char *key, size_t keylen, bool threads,
				    struct ctp_err *err);
/* w: the live window over 1, 5, 10 refreshes (the history ring keeps the older samples) */
void ctp_session_cycle_smooth(struct ctp_session *s);
/* seconds of the live window on screen (rates and window modes), 0 when none yet; *k gets the
 * refreshes it spans */
double ctp_session_live_window(const struct ctp_session *s, int *k);

/* ---- the history ring and replay: stepping through samples (histstep.c) ---- */
/* , . ( ): dir samples back (< 0) or forward; L (dir 0): back to the newest */
bool ctp_session_step(struct ctp_session *s, long dir);
/* replay: the first sample that loads on screen; false (one line on stderr) when none does */
bool ctp_session_replay_start(struct ctp_session *s);
/* @: to the sample captured at or just before unix_ns */
bool ctp_session_jump(struct ctp_session *s, uint64_t unix_ns);
/* [ (end false) and ]: the sample on screen as the window baseline's start / end; with both
 * marked the window (checked as -B A,B is) becomes the baseline, mode rate vs base rate */
bool ctp_session_mark(struct ctp_session *s, bool end);
/* a loaded baseline (winbase.h) into the slots: a single file or a window (lb emptied) */
struct ctp_livebase;
void ctp_session_use_base(struct ctp_session *s, struct ctp_livebase *lb);
/* the position line: "HISTORY 12:03:10 · 57/60" while stepping back, replay's "12:03:10 ·
 * 57/360"; "" at the newest sample of a live view */
void ctp_session_position(const struct ctp_session *s, char *buf, size_t len);
/* prev made the start of the live window of the current mode, smooth and position (from the
 * history ring when it is not the sample before); internal to live/ */
void ctp_session_sync_prev(struct ctp_session *s);
/* frees snap unless a slot of s still holds it; internal to live/ */
void ctp_session_free_slot(struct ctp_session *s, struct ctp_snapshot *snap);

/* ---- data arriving (top.c polls the fds): true when the views must rebuild ---- */
/* a finished capture rotates live/prev (or is dropped while paused) */
bool ctp_session_take_sample(struct ctp_session *s);
/* a finished `b` load becomes the baseline, or its error the message */
bool ctp_session_take_baseline(struct ctp_session *s);

/* ---- settings: each says what it did on the status line; none bumps the generation ---- */
/* "" or NULL clears; a bad regex is an error message and leaves the filter as it was (-1) */
int ctp_session_set_filter(struct ctp_session *s, const char *pattern);
void ctp_session_set_sort(struct ctp_session *s, int metric, bool desc);
void ctp_session_cycle_axis(struct ctp_session *s);
void ctp_session_cycle_mode(struct ctp_session *s);
void ctp_session_select_colset(struct ctp_session *s, int set);
void ctp_session_toggle_column(struct ctp_session *s, size_t metric);
void ctp_session_toggle_pause(struct ctp_session *s);
/* z: hide / show the idle groups */
void ctp_session_toggle_idle(struct ctp_session *s);
/* dir < 0 shorter, > 0 longer, along the fixed ladder of intervals */
void ctp_session_step_interval(struct ctp_session *s, int dir);
/* B: the current sample becomes the baseline (a file still loading is abandoned) when it is a
 * full capture; otherwise the next capture, a full one asked for now, does when it lands (the
 * view keeps running). True when the baseline changed now; false when there is no sample yet or
 * the rebase waits */
bool ctp_session_rebase(struct ctp_session *s);
/* s: writes a full capture to path (snapfile.h, the options' save mode): the current sample when
 * it is one, otherwise the next capture, asked for now (the status line says saving... until it
 * lands, then saved or the error). One save at a time: while one waits, or with no sample yet,
 * only the message (path may then be NULL) */
void ctp_session_save(struct ctp_session *s, const char *path);
/* b: starts loading path on a thread of its own; false (with the message) when one is running
 * (path is then not read and may be NULL) or the thread cannot start */
bool ctp_session_start_load(struct ctp_session *s, const char *path);

#endif
