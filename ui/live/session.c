/* session.c — the live view's state (session.h): snapshot slots and their rotation, the
 * baseline (-B, b on a loader thread, B) and the save (s), both of a full capture, the host
 * check between baseline and live, the settings and what each change says on the status line,
 * the compare options and the refresh plan they make. */
#include "live/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/baseload.h"
#include "live/history.h"
#include "live/replay.h"
#include "live/sampler.h"
#include "live/winbase.h"
#include "snapshot/snapfile.h"

static const double intervals[] = { 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0 };

void ctp_session_msg(struct ctp_session *s, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->msg_err = err;
}

const char *ctp_mode_name(enum ctp_top_mode m)
{
	static const char *const names[] = { "vs baseline", "rates /s", "since start", "absolute", "rate vs base rate" };
	return (unsigned)m < CTP_TOP_NMODES ? names[m] : "?";
}

/* ---- snapshots ---- */

static bool str_differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

/* fills baseline_warn when the baseline's host context does not match the live one */
static void check_host(struct ctp_session *s)
{
	s->baseline_warn[0] = 0;
	if (!s->baseline || !s->live || !s->baseline->host || !s->live->host)
		return;
	const struct ctp_host *b = s->baseline->host, *l = s->live->host;
	const char *what = NULL;
	if (str_differs(b->cpu_model, l->cpu_model))
		what = "cpu model";
	else if (str_differs(b->arch, l->arch))
		what = "arch";
	else if (b->online_cpus.set && l->online_cpus.set && b->online_cpus.v != l->online_cpus.v)
		what = "cpu count";
	else if (b->total_memory_kib.set && l->total_memory_kib.set && b->total_memory_kib.v != l->total_memory_kib.v)
		what = "memory size";
	else if (str_differs(b->kernel_release, l->kernel_release))
		what = "kernel release";
	if (what)
		snprintf(s->baseline_warn, sizeof(s->baseline_warn),
			 "baseline looks like another host (%s differs): deltas compare different machines", what);
}

static void sync_start(struct ctp_session *s);

/* how many of the session's slots hold snap (B makes baseline and live share one snapshot) */
static int slots_holding(const struct ctp_session *s, const struct ctp_snapshot *snap)
{
	const struct ctp_snapshot *slot[] = { s->live, s->prev, s->start, s->baseline, s->win_a, s->win_b, s->newest };
	int n = 0;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(slot); i++)
		n += slot[i] == snap;
	return n;
}

/* frees snap unless a slot still holds it */
void ctp_session_free_slot(struct ctp_session *s, struct ctp_snapshot *snap)
{
	if (snap && !slots_holding(s, snap))
		ctp_snapshot_free(snap);
}
#define free_slot ctp_session_free_slot

static void drop_window(struct ctp_session *s)
{
	struct ctp_snapshot *a = s->win_a, *b = s->win_b;
	s->win_a = s->win_b = NULL;
	free_slot(s, a);
	free_slot(s, b);
	free(s->win_text);
	s->win_text = NULL;
}

/* a single-snapshot baseline (NULL: none); a window baseline leaves */
static void set_baseline(struct ctp_session *s, struct ctp_snapshot *snap, const char *path)
{
	struct ctp_snapshot *old = s->baseline;
	drop_window(s);
	s->baseline = snap;
	free_slot(s, old);
	free(s->baseline_path);
	s->baseline_path = path ? ctp_xstrdup(path) : NULL;
	check_host(s);
}

/* a loaded baseline (winbase.h) into its slots: the single file or the window; lb is emptied */
void ctp_session_use_base(struct ctp_session *s, struct ctp_livebase *lb)
{
	if (lb->snap) {
		set_baseline(s, lb->snap, lb->path);
	} else {
		set_baseline(s, NULL, NULL);
		s->win_a = lb->a;
		s->win_b = lb->b;
		s->win_text = lb->text;
		lb->text = NULL;
	}
	lb->snap = lb->a = lb->b = NULL;
	ctp_livebase_release(lb);
}

int ctp_session_load_baseline(struct ctp_session *s, const char *path, struct ctp_err *err)
{
	struct ctp_livebase lb;
	if (ctp_livebase_load(path, &lb, err) < 0)
		return -1;
	ctp_session_use_base(s, &lb);
	return 0;
}

bool ctp_session_take_baseline(struct ctp_session *s)
{
	struct ctp_livebase lb;
	struct ctp_err err = { 0 };
	if (!s->loading || !ctp_baseload_take(s->loading, &lb, &err))
		return false;
	char *path = ctp_xstrdup(ctp_baseload_path(s->loading));
	ctp_baseload_free(s->loading);
	s->loading = NULL;
	bool changed = lb.path != NULL;
	if (!changed) {
		char eb[600];
		ctp_session_msg(s, true, "cannot load baseline: %s", ctp_err_str(&err, eb, sizeof(eb)));
	} else {
		bool window = !lb.snap;
		size_t n = window ? lb.b->nthreads : lb.snap->nthreads;
		ctp_session_use_base(s, &lb);
		s->mode = window ? CTP_TOP_WINDOW : CTP_TOP_VS_BASELINE;
		sync_start(s);
		ctp_session_sync_prev(s);
		if (window)
			ctp_session_msg(s, false, "window baseline %s loaded", s->win_text);
		else
			ctp_session_msg(s, false, "baseline %s loaded (%zu threads)", path, n);
	}
	free(path);
	return changed;
}

bool ctp_session_start_load(struct ctp_session *s, const char *path)
{
	if (s->loading) {
		ctp_session_msg(s, true, "still loading baseline %s (B cancels it)", ctp_baseload_path(s->loading));
		return false;
	}
	struct ctp_err err = { 0 };
	s->loading = ctp_baseload_start(path, &err);
	if (!s->loading) {
		char eb[600];
		ctp_session_msg(s, true, "cannot load baseline: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return false;
	}
	s->pending_rebase = 0; /* the file asked for last wins over a B still waiting */
	ctp_session_msg(s, false, "loading baseline %s...", path);
	return true;
}

/* the live sample (a full capture) becomes the baseline */
static void rebase_now(struct ctp_session *s, bool cancelled)
{
	s->pending_rebase = 0;
	set_baseline(s, s->live, NULL); /* shared with live until the next sample replaces it */
	s->baseline_warn[0] = 0;
	s->mode = CTP_TOP_VS_BASELINE;
	sync_start(s);
	ctp_session_msg(s, false, "current sample is now the baseline%s", cancelled ? " (file load cancelled)" : "");
}

bool ctp_session_rebase(struct ctp_session *s)
{
	if (!s->live) {
		ctp_session_msg(s, true, "no sample yet");
		return false;
	}
	bool cancelled = s->loading != NULL;
	ctp_baseload_free(s->loading); /* the sample wins over a file still loading */
	s->loading = NULL;
	if (s->live_full || s->hseq) { /* a past sample: as it was kept */
		rebase_now(s, cancelled);
		return true;
	}
	/* the refreshes read only their plan: a baseline reads everything */
	s->pending_rebase = s->pending_rebase == 2 || cancelled ? 2 : 1;
	ctp_sampler_want_full(s->sampler);
	ctp_session_msg(s, false, "rebasing: taking a full sample...%s", cancelled ? " (file load cancelled)" : "");
	return false;
}

static void save_now(struct ctp_session *s, const char *path, const struct ctp_snapshot *snap)
{
	struct ctp_err err = { 0 };
	size_t size = 0;
	if (ctp_snapfile_save_mode(path, snap, s->opts->save_mode, &size, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "save failed: %s", ctp_err_str(&err, eb, sizeof(eb)));
	} else {
		ctp_session_msg(s, false, "saved %s (%zu bytes, %zu threads)", path, size, snap->nthreads);
	}
}

void ctp_session_save(struct ctp_session *s, const char *path)
{
	if (!s->live) {
		ctp_session_msg(s, true, "no sample yet");
	} else if (s->pending_save) {
		ctp_session_msg(s, true, "still saving %s", s->pending_save);
	} else if (s->live_full) {
		save_now(s, path, s->live);
	} else { /* the refreshes read only their plan: a saved file has every field */
		s->pending_save = ctp_xstrdup(path);
		ctp_sampler_want_full(s->sampler);
		ctp_session_msg(s, false, "saving %s: taking a full sample...", path);
	}
}

/* a full capture asked for by s or B: the save is written; a rebase is left to the caller */
static void serve_pending(struct ctp_session *s, const struct ctp_snapshot *snap, const struct ctp_err *err)
{
	char eb[600];
	if (s->pending_save && snap)
		save_now(s, s->pending_save, snap);
	else if (s->pending_save)
		ctp_session_msg(s, true, "save failed: capture: %s", ctp_err_str(err, eb, sizeof(eb)));
	if (s->pending_rebase && !snap) {
		ctp_session_msg(s, true, "baseline unchanged: capture: %s", ctp_err_str(err, eb, sizeof(eb)));
		s->pending_rebase = 0;
	}
	free(s->pending_save);
	s->pending_save = NULL;
}

/* ---- sampling ---- */

/* once, after the first capture: what the missing sources need (unless a message is showing) */
static void hints_once(struct ctp_session *s)
{
	const struct ctp_capture_status *st = &s->status;
	struct ctp_buf b = CTP_BUF_INIT;
	const char *hint; /* the kernel gates: name and hint from registry.h's CTP_GATE_LIST */
	if (!st->procfs_io)
		ctp_buf_adds(&b, " io: run as root;");
	if (!st->schedstats)
		ctp_buf_adds(&b, " sched: needs CONFIG_SCHED_DEBUG;");
	else if ((hint = ctp_snapshot_gate_off(s->live, CTP_GATE_SCHEDSTATS)))
		ctp_buf_addf(&b, " %s: %s;", ctp_gate_label(CTP_GATE_SCHEDSTATS), hint);
	if (!st->taskstats && !s->opts->no_taskstats)
		ctp_buf_adds(&b, " taskstats: needs CAP_NET_ADMIN (root);");
	if (st->taskstats && (hint = ctp_snapshot_gate_off(s->live, CTP_GATE_BLOCK_DELAY)))
		ctp_buf_addf(&b, " %s: %s;", ctp_gate_label(CTP_GATE_BLOCK_DELAY), hint);
	if (!st->psi)
		ctp_buf_adds(&b, " PSI: boot with psi=1;");
	if (!st->cgroup_v2)
		ctp_buf_adds(&b, " cgroup: mount cgroup2;");
	if (b.len && !s->msg[0]) {
		b.buf[b.len - 1] = 0;
		ctp_session_msg(s, false, "missing sources:%s", b.buf);
	}
	ctp_buf_release(&b);
}

/* the sample numbered and, with a history ring, packed into it */
/* packing costs ~2 us a thread (snapshot/pack.c): a sample enters the ring only while
 * the packing stays within CTP_HIST_BUDGET of a core, the others are skipped (the ring then
 * spans more time in the same memory); while smoothing (--smooth, w) every sample enters, as
 * the live window starts K samples back */
static void keep_history(struct ctp_session *s, const struct ctp_snapshot *snap, bool full)
{
	s->seq++;
	uint64_t t0 = ctp_now_monotonic_ns();
	if (!s->hist || (t0 < s->hist_next_ns && s->smooth <= 1)) /* a live window needs every sample */
		return;
	struct ctp_err err = { 0 };
	if (ctp_history_push(s->hist, s->seq, snap, full, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "cannot keep the sample in the history: %s", ctp_err_str(&err, eb, sizeof(eb)));
	}
	s->pack_ns = ctp_now_monotonic_ns() - t0;
	s->hist_next_ns = t0 + (uint64_t)((double)s->pack_ns / CTP_HIST_BUDGET);
}

/* the first full sample (live) packed; expanded as start only while since-start mode shows it */
static void keep_start(struct ctp_session *s)
{
	struct ctp_err err = { 0 };
	if (ctp_snapshot_pack(s->live, &s->start_packed, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "cannot keep the first sample: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return;
	}
	if (s->mode == CTP_TOP_SINCE_START)
		s->start = s->live;
}

/* start exists in since-start mode only: made from the packed first sample on entering it,
 * freed on leaving it */
static void sync_start(struct ctp_session *s)
{
	if (s->mode != CTP_TOP_SINCE_START) {
		struct ctp_snapshot *old = s->start;
		s->start = NULL;
		free_slot(s, old);
	} else if (!s->start && s->start_packed.z.len) {
		struct ctp_err err = { 0 };
		if (ctp_snapshot_unpack(&s->start_packed, &s->start, &err) < 0) {
			char eb[600];
			ctp_session_msg(s, true, "cannot restore the first sample: %s", ctp_err_str(&err, eb, sizeof(eb)));
		}
	}
}

bool ctp_session_take_sample(struct ctp_session *s)
{
	struct ctp_sample_result r;
	if (!ctp_sampler_take(s->sampler, &r))
		return false;
	bool first_status = !s->have_status;
	s->status = r.status;
	s->have_status = true;
	s->capture_ns = r.capture_ns;
	if (r.full)
		serve_pending(s, r.snap, &r.err);
	if (!r.snap) {
		ctp_err_str(&r.err, s->capture_err, sizeof(s->capture_err));
		return false;
	}
	s->capture_err[0] = 0;
	s->nsamples++; /* columns off screen for CTP_SHOWN_LINGER samples leave the plan */
	int rebase = r.full ? s->pending_rebase : 0; /* B asked for it: it shows even while paused */
	if (s->paused && !rebase) { /* a capture that was running when the user paused: keep the frozen view */
		ctp_snapshot_free(r.snap);
		return false;
	}
	keep_history(s, r.snap, r.full);
	if (s->hseq && !rebase) { /* stepping back: the capture goes on into the ring, the screen stays */
		struct ctp_snapshot *old = s->newest;
		s->newest = r.snap;
		s->newest_full = r.full;
		free_slot(s, old);
		return false;
	}
	if (s->hseq) /* B waited for this full capture: it shows */
		ctp_session_step(s, 0);
	struct ctp_snapshot *old_prev = s->prev, *old_live = s->live;
	bool rates = (s->mode == CTP_TOP_RATES || s->mode == CTP_TOP_WINDOW) && s->smooth <= 1;
	s->prev = rates ? old_live : NULL; /* ~750 bytes a thread: only when shown */
	s->prev_seq = rates && old_live ? s->seq - 1 : 0;
	s->live = r.snap;
	s->live_full = r.full;
	free_slot(s, old_prev);
	free_slot(s, old_live);
	if (s->start_packed.z.len) /* since start: the exit records after the first sample (issue 17) */
		ctp_liveexits_add(s, s->live);
	if (!s->start_packed.z.len && r.full) /* since start: base values for any column shown later */
		keep_start(s);
	if (rebase)
		rebase_now(s, rebase == 2);
	if (s->baseline && !s->baseline_warn[0])
		check_host(s);
	ctp_session_sync_prev(s); /* smoothing: the start of the live window from the ring */
	if (first_status)
		hints_once(s);
	return true;
}

const struct ctp_snapshot *ctp_session_base(const struct ctp_session *s, double *per_s)
{
	*per_s = 0;
	switch (s->mode) {
	case CTP_TOP_VS_BASELINE: return s->baseline;
	case CTP_TOP_SINCE_START: return s->start != s->live ? s->start : NULL;
	case CTP_TOP_RATES: case CTP_TOP_WINDOW:
		if (!s->prev || !s->live)
			return NULL;
		if (s->live->captured_mono_ns > s->prev->captured_mono_ns)
			*per_s = (double)(s->live->captured_mono_ns - s->prev->captured_mono_ns) / 1e9;
		else if (s->live->captured_at_unix_ns > s->prev->captured_at_unix_ns)
			*per_s = (double)(s->live->captured_at_unix_ns - s->prev->captured_at_unix_ns) / 1e9;
		return s->prev;
	default: return NULL;
	}
}

void ctp_session_settle(struct ctp_session *s)
{
	if (s->prev && slots_holding(s, s->prev) == 1) /* only while no other slot shares it */
		ctp_snapshot_slim(s->prev);
}

const struct ctp_snapshot *ctp_session_copts(const struct ctp_session *s, struct ctp_compare_opts *o)
{
	*o = s->user;
	o->axis = s->axis;
	o->filter = s->filter ? ctp_filter_pattern(s->filter) : NULL;
	double per_s;
	const struct ctp_snapshot *base = ctp_session_base(s, &per_s);
	if (base && base == s->prev)
		ctp_snapshot_fatten(s->prev);
	o->elapsed_s = 0;
	o->tid_deltas = false;
	if (!base) {
		o->mode = CTP_DELTA_ABSOLUTE;
	} else if (s->mode == CTP_TOP_RATES || s->mode == CTP_TOP_WINDOW) { /* window: its live side */
		o->mode = CTP_DELTA_RATE;
		o->elapsed_s = per_s;
		o->tid_deltas = true;
	} else {
		o->mode = CTP_DELTA_BASELINE;
		o->tid_deltas = s->mode == CTP_TOP_SINCE_START;
	}
	o->window_derived = true;
	memset(&o->sort, 0, sizeof(o->sort));
	bool desc;
	int sort = ctp_session_sort_metric(s, &desc);
	if (sort >= 0) {
		o->sort.n = 1;
		o->sort.k[0].metric = sort;
		o->sort.k[0].asc = !desc;
	}
	int cols[128];
	size_t n = ctp_session_columns(s, cols, CTP_ARRAY_SIZE(cols));
	for (size_t i = 0; i < n; i++) /* categorical columns have no change to rank by */
		if (cols[i] >= 0 && cols[i] < 128 && ctp_cmetric((size_t)cols[i])->sortable)
			o->sort.score_mask[cols[i] / 64] |= (uint64_t)1 << (cols[i] % 64);
	return base;
}

int ctp_session_sort_metric(const struct ctp_session *s, bool *desc)
{
	*desc = s->sort_desc;
	if (s->sort_col >= 0)
		return s->sort_col;
	*desc = true;
	double per_s;
	if (s->mode != CTP_TOP_RATES && ctp_session_base(s, &per_s))
		return -1;
	int cols[128];
	size_t n = ctp_columns_list(&s->cols, cols, CTP_ARRAY_SIZE(cols));
	for (size_t i = 0; i < n; i++)
		if (ctp_cmetric((size_t)cols[i])->sortable)
			return cols[i];
	return -1;
}

size_t ctp_session_columns(const struct ctp_session *s, int *out, size_t max)
{
	if (!max)
		return 0;
	size_t lead = s->sort_col >= 0 && !ctp_columns_has(&s->cols, (size_t)s->sort_col);
	if (lead)
		out[0] = s->sort_col;
	return lead + ctp_columns_list(&s->cols, out + lead, max - lead);
}

bool ctp_session_filter_match(const struct ctp_session *s, const char *name)
{
	return ctp_filter_match(s->filter, name);
}

/* the columns the plan reads: those on screen that are still columns (a column set just picked
 * shows its own at the next draw); every column before a table said, or when the default order
 * ranks the rows by the changes of them all */
static size_t plan_columns(const struct ctp_session *s, int sort, int *out, size_t max)
{
	int all[128];
	size_t na = ctp_session_columns(s, all, CTP_ARRAY_SIZE(all)), n = 0;
	bool every = !s->shown_said || sort < 0;
	for (size_t j = 0; j < na && n < max; j++)
		if (every || (all[j] >= 0 && (size_t)all[j] < CTP_ARRAY_SIZE(s->shown_until) &&
			      s->shown_until[all[j]] > s->nsamples))
			out[n++] = all[j];
	return n;
}

uint32_t ctp_session_plan(const struct ctp_session *s)
{
	if (s->need == CTP_NEED_FULL)
		return CTP_PLAN_FULL;
	bool desc;
	int sort = ctp_session_sort_metric(s, &desc); /* pinned on screen: said anyway */
	int cols[129];
	size_t n = plan_columns(s, sort, cols, CTP_ARRAY_SIZE(cols) - 1);
	if (sort >= 0)
		cols[n++] = sort;
	return ctp_plan_sources(cols, n, s->need == CTP_NEED_CGROUPS ? CTP_AXIS_CGROUP : s->axis);
}

/* hands the plan to the sampler when it changed (a source added starts a capture now) */
static void plan_changed(struct ctp_session *s)
{
	uint32_t plan = ctp_session_plan(s);
	if (s->sampler && plan != s->plan) {
		ctp_sampler_set_plan(s->sampler, plan);
		s->plan = plan;
	}
}

void ctp_session_set_shown(struct ctp_session *s, const int *metrics, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (metrics[i] >= 0 && (size_t)metrics[i] < CTP_ARRAY_SIZE(s->shown_until))
			s->shown_until[metrics[i]] = s->nsamples + CTP_SHOWN_LINGER;
	s->shown_said = true;
	plan_changed(s);
}

void ctp_session_set_view_need(struct ctp_session *s, enum ctp_view_need need)
{
	s->need = need;
	plan_changed(s);
}

/* ---- settings ---- */

int ctp_session_set_filter(struct ctp_session *s, const char *pattern)
{
	struct ctp_filter *f;
	struct ctp_err err = { 0 };
	if (ctp_filter_new(pattern, &f, &err) < 0) {
		char eb[600];
		ctp_session_msg(s, true, "%s; filter unchanged", ctp_err_str(&err, eb, sizeof(eb)));
		return -1;
	}
	ctp_filter_free(s->filter);
	s->filter = f;
	s->msg[0] = 0;
	return 0;
}

void ctp_session_set_sort(struct ctp_session *s, int metric, bool desc)
{
	s->sort_col = metric;
	s->sort_desc = desc;
	plan_changed(s);
}

void ctp_session_cycle_axis(struct ctp_session *s)
{
	s->axis = (s->axis + 1) % CTP_AXIS_COUNT;
	plan_changed(s);
	ctp_session_msg(s, false, "group by %s", ctp_axis_name(s->axis));
}

void ctp_session_cycle_mode(struct ctp_session *s)
{
	do
		s->mode = (s->mode + 1) % CTP_TOP_NMODES;
	while ((s->mode == CTP_TOP_VS_BASELINE && !s->baseline) || (s->mode == CTP_TOP_WINDOW && !s->win_a));
	sync_start(s);
	ctp_session_sync_prev(s);
	ctp_session_msg(s, false, "mode: %s%s", ctp_mode_name(s->mode),
			(s->mode == CTP_TOP_RATES || s->mode == CTP_TOP_WINDOW) && !s->prev ? " (from the next sample)" : "");
}

void ctp_session_select_colset(struct ctp_session *s, int set)
{
	ctp_columns_select(&s->cols, set);
	plan_changed(s);
	ctp_session_msg(s, false, "columns: %s", ctp_colset_name(s->cols.set));
}

void ctp_session_toggle_column(struct ctp_session *s, size_t metric)
{
	ctp_columns_toggle(&s->cols, metric);
	plan_changed(s);
}

void ctp_session_toggle_idle(struct ctp_session *s)
{
	s->show_idle = !s->show_idle;
	ctp_session_msg(s, false, s->show_idle ? "idle groups shown (z hides them)" : "idle groups hidden (z shows them)");
}

void ctp_session_toggle_pause(struct ctp_session *s)
{
	s->paused = !s->paused;
	ctp_sampler_set_paused(s->sampler, s->paused);
	ctp_session_msg(s, false, s->paused ? "paused (Space resumes)" : "resumed");
}

void ctp_session_step_interval(struct ctp_session *s, int dir)
{
	size_t n = CTP_ARRAY_SIZE(intervals), i = 0;
	while (i < n && intervals[i] < s->interval_s - 1e-9)
		i++;
	if (dir > 0) {
		if (i < n && intervals[i] <= s->interval_s + 1e-9)
			i++;
		if (i >= n)
			i = n - 1;
	} else {
		i = i ? i - 1 : 0;
	}
	s->interval_s = intervals[i];
	ctp_sampler_set_interval(s->sampler, s->interval_s);
	ctp_session_msg(s, false, "refresh every %.2gs", s->interval_s);
}

/* ---- life cycle ---- */

int ctp_session_init(struct ctp_session *s, const struct ctp_options *o, struct ctp_err *err)
{
	s->opts = o;
	ctp_columns_init(&s->cols);
	if (ctp_options_compare_opts(o, &s->user, err) < 0)
		return -1;
	s->mode = s->win_a ? CTP_TOP_WINDOW : s->baseline ? CTP_TOP_VS_BASELINE : CTP_TOP_RATES;
	s->smooth = o->smooth > 1 ? (int)o->smooth : 1;
	long keep = o->history > 0 ? o->history : o->history < 0 ? 0 : 60;
	if (keep || s->smooth > 1) /* smoothing needs its samples even without a history */
		s->hist = ctp_history_new(keep > s->smooth + 1 ? (size_t)keep : (size_t)s->smooth + 1);
	s->hist_steps = keep > 0;
	s->interval_s = o->interval_s > 0 ? o->interval_s : 1.0;
	s->axis = s->user.axis;
	s->sort_col = -1; /* the default order */
	s->sort_desc = true;
	s->show_idle = o->show_idle;
	if (o->sort_by) { /* the live view sorts by the first key */
		s->sort_col = s->user.sort.n ? s->user.sort.k[0].metric : -1;
		s->sort_desc = s->user.sort.n ? !s->user.sort.k[0].asc : true;
	}
	if (ctp_filter_new(o->filter, &s->filter, err) < 0)
		return -1;
	char msg[160];
	if (o->columns) /* checked when the config file was read: a bad spec keeps the default */
		ctp_columns_parse(&s->cols, o->columns, msg, sizeof(msg));
	return 0;
}

int ctp_session_start(struct ctp_session *s, struct ctp_err *err)
{
	struct ctp_capture_opts co;
	ctp_options_capture_opts(s->opts, &co);
	co.exits = !s->opts->no_exits; /* issue 17: the threads gone between samples count */
	s->sampler = ctp_sampler_new(&co, s->interval_s, err);
	if (!s->sampler)
		return -1;
	plan_changed(s); /* for the captures after the first, which reads everything */
	return 0;
}

void ctp_session_release(struct ctp_session *s)
{
	ctp_sampler_free(s->sampler);
	s->sampler = NULL;
	ctp_baseload_free(s->loading); /* a load still running is abandoned, not waited for */
	s->loading = NULL;
	ctp_replay_free(s->replay);
	s->replay = NULL;
	struct ctp_snapshot *all[] = { s->live, s->prev, s->start, s->baseline, s->win_a, s->win_b, s->newest };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(all); i++) {
		if (!all[i])
			continue;
		for (size_t j = i + 1; j < CTP_ARRAY_SIZE(all); j++)
			if (all[j] == all[i])
				all[j] = NULL;
		ctp_snapshot_free(all[i]);
	}
	s->live = s->prev = s->start = s->baseline = s->win_a = s->win_b = s->newest = NULL;
	free(s->win_text);
	s->win_text = NULL;
	ctp_history_free(s->hist);
	s->hist = NULL;
	ctp_liveexits_free(s);
	ctp_packed_release(&s->start_packed);
	ctp_filter_free(s->filter);
	s->filter = NULL;
	free(s->baseline_path);
	s->baseline_path = NULL;
	free(s->pending_save);
	s->pending_save = NULL;
	ctp_columns_release(&s->cols);
}
