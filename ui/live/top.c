/* top.c — the live loop of ctprof-top: opens the screen, starts the sampler thread, and then
 * polls stdin and the sampler pipe; each finished snapshot rotates live/prev, each key goes to
 * the top view and then to the global actions here. Draws header, body, status and key bar. */
#include "live/top.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <locale.h>

#include "live/baseload.h"
#include "live/grid.h"
#include "cli/config.h"
#include "live/keys.h"
#include "live/sampler.h"
#include "snapshot/snapfile.h"
#include "live/theme.h"
#include "live/view.h"

static volatile sig_atomic_t got_signal;
static bool screen_open;

static void on_signal(int sig)
{
	got_signal = sig;
}

bool ctp_top_interrupted(void)
{
	return got_signal != 0;
}

static void oom_hook(void)
{
	if (screen_open)
		endwin();
	screen_open = false;
}

static const double intervals[] = { 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0 };

const char *ctp_top_mode_name(enum ctp_top_mode m)
{
	static const char *const names[] = { "vs baseline", "rates /s", "since start", "absolute" };
	return (unsigned)m < CTP_TOP_NMODES ? names[m] : "?";
}

void ctp_top_msg(struct ctp_top *t, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_err = err;
}

void ctp_top_touch(struct ctp_top *t)
{
	t->gen++;
}

void ctp_top_push(struct ctp_top *t, struct ctp_view *v)
{
	if (t->depth == CTP_MAX_VIEWS) {
		v->ops->destroy(v);
		return;
	}
	t->stack[t->depth++] = v;
	t->redraw_all = true;
}

void ctp_top_pop(struct ctp_top *t)
{
	if (t->depth <= 1)
		return;
	struct ctp_view *v = t->stack[--t->depth];
	v->ops->destroy(v);
	t->redraw_all = true;
}

bool ctp_top_filter_match(const struct ctp_top *t, const char *name)
{
	if (!t->filter)
		return true;
	if (t->filter_is_re)
		return regexec(&t->filter_re, name ? name : "", 0, NULL, 0) == 0;
	return name && strcasestr(name, t->filter) != NULL;
}

const struct ctp_snapshot *ctp_top_base(const struct ctp_top *t, double *per_s)
{
	*per_s = 0;
	switch (t->mode) {
	case CTP_TOP_VS_BASELINE: return t->baseline;
	case CTP_TOP_SINCE_START: return t->start != t->live ? t->start : NULL;
	case CTP_TOP_RATES:
		if (!t->prev || !t->live)
			return NULL;
		if (t->live->captured_mono_ns > t->prev->captured_mono_ns)
			*per_s = (double)(t->live->captured_mono_ns - t->prev->captured_mono_ns) / 1e9;
		else if (t->live->captured_at_unix_ns > t->prev->captured_at_unix_ns)
			*per_s = (double)(t->live->captured_at_unix_ns - t->prev->captured_at_unix_ns) / 1e9;
		return t->prev;
	default: return NULL;
	}
}

/* ---- filter ---- */

static void set_filter(struct ctp_top *t, const char *f)
{
	if (t->filter_is_re)
		regfree(&t->filter_re);
	free(t->filter);
	t->filter = NULL;
	t->filter_is_re = false;
	if (!f || !*f)
		return;
	t->filter = ctp_xstrdup(f);
	if (strpbrk(f, "^$.[]()*+?{}|\\")) {
		int rc = regcomp(&t->filter_re, f, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc == 0) {
			t->filter_is_re = true;
		} else {
			char eb[128];
			regerror(rc, &t->filter_re, eb, sizeof(eb));
			ctp_top_msg(t, true, "bad regex '%s': %s; matching it as a substring", f, eb);
		}
	}
}

/* ---- baseline ---- */

static bool str_differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

/* fills t->baseline_warn when the baseline's host context does not match the live one */
static void check_host(struct ctp_top *t)
{
	t->baseline_warn[0] = 0;
	if (!t->baseline || !t->live || !t->baseline->host || !t->live->host)
		return;
	const struct ctp_host *b = t->baseline->host, *l = t->live->host;
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
		snprintf(t->baseline_warn, sizeof(t->baseline_warn),
			 "baseline looks like another host (%s differs): deltas compare different machines", what);
}

/* frees s unless another slot still holds it (B makes baseline and live share one snapshot) */
static void free_snap_slot(struct ctp_top *t, struct ctp_snapshot *s)
{
	if (s && s != t->live && s != t->prev && s != t->start && s != t->baseline)
		ctp_snapshot_free(s);
}

static void set_baseline(struct ctp_top *t, struct ctp_snapshot *s, const char *path)
{
	struct ctp_snapshot *old = t->baseline;
	t->baseline = s;
	free_snap_slot(t, old);
	free(t->baseline_path);
	t->baseline_path = ctp_xstrdup(path);
	check_host(t);
}

/* -B at start-up, before the screen opens */
static int load_baseline(struct ctp_top *t, const char *path, struct ctp_err *err)
{
	struct ctp_snapshot *s = NULL;
	if (ctp_snapfile_load(path, &s, err) < 0)
		return -1;
	set_baseline(t, s, path);
	return 0;
}

/* the loader thread of `b` finished: its snapshot becomes the baseline, or its error is shown */
static void take_baseline(struct ctp_top *t)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (!t->loading || !ctp_baseload_take(t->loading, &s, &err))
		return;
	char *path = ctp_xstrdup(ctp_baseload_path(t->loading));
	ctp_baseload_free(t->loading);
	t->loading = NULL;
	if (!s) {
		char eb[600];
		ctp_top_msg(t, true, "cannot load baseline: %s", ctp_err_str(&err, eb, sizeof(eb)));
	} else {
		set_baseline(t, s, path);
		t->mode = CTP_TOP_VS_BASELINE;
		ctp_top_msg(t, false, "baseline %s loaded (%zu threads)", path, s->nthreads);
		ctp_top_touch(t);
	}
	free(path);
}

/* ---- sampling ---- */

static void hints_once(struct ctp_top *t)
{
	const struct ctp_capture_status *st = &t->status;
	struct ctp_buf b = CTP_BUF_INIT;
	if (!st->procfs_io)
		ctp_buf_adds(&b, " io: run as root;");
	if (!st->schedstats)
		ctp_buf_adds(&b, " sched: needs CONFIG_SCHED_DEBUG + sysctl kernel.sched_schedstats=1;");
	if (!st->taskstats && !t->opts->no_taskstats)
		ctp_buf_adds(&b, " taskstats: needs CAP_NET_ADMIN (root);");
	if (st->taskstats && !st->delayacct)
		ctp_buf_adds(&b, " delays: sysctl kernel.task_delayacct=1;");
	if (!st->psi)
		ctp_buf_adds(&b, " PSI: boot with psi=1;");
	if (!st->cgroup_v2)
		ctp_buf_adds(&b, " cgroup: mount cgroup2;");
	if (b.len && !t->msg[0]) {
		b.buf[b.len - 1] = 0;
		ctp_top_msg(t, false, "missing sources:%s", b.buf);
	}
	ctp_buf_release(&b);
}

static void take_sample(struct ctp_top *t)
{
	struct ctp_sample_result r;
	if (!ctp_sampler_take(t->sampler, &r))
		return;
	bool first_status = !t->have_status;
	t->status = r.status;
	t->have_status = true;
	t->capture_ns = r.capture_ns;
	if (!r.snap) {
		ctp_err_str(&r.err, t->capture_err, sizeof(t->capture_err));
		return;
	}
	t->capture_err[0] = 0;
	if (t->paused) { /* a capture that was running when the user paused: keep the frozen view */
		ctp_snapshot_free(r.snap);
		return;
	}
	struct ctp_snapshot *old = t->prev;
	t->prev = t->live;
	t->live = r.snap;
	free_snap_slot(t, old);
	if (!t->start)
		t->start = t->live;
	if (t->baseline && !t->baseline_warn[0])
		check_host(t);
	if (first_status)
		hints_once(t);
	ctp_top_touch(t);
}

/* ---- drawing ---- */

static void put(int y, int x, int w, enum ctp_role role, const char *s)
{
	if (x >= w)
		return;
	char *safe = ctp_text_sanitize(s);
	int a = ctp_theme_attr(role);
	attron(a);
	mvaddnstr(y, x, safe, -1);
	attroff(a);
	free(safe);
}

static void fmt_age(char *buf, size_t len, uint64_t then_ns)
{
	uint64_t now = ctp_now_realtime_ns();
	uint64_t s = now > then_ns ? (now - then_ns) / 1000000000ull : 0;
	if (s < 120)
		snprintf(buf, len, "%llus ago", (unsigned long long)s);
	else if (s < 7200)
		snprintf(buf, len, "%llum ago", (unsigned long long)(s / 60));
	else if (s < 172800)
		snprintf(buf, len, "%lluh ago", (unsigned long long)(s / 3600));
	else
		snprintf(buf, len, "%llud ago", (unsigned long long)(s / 86400));
}

static void draw_title(struct ctp_top *t, int w)
{
	struct ctp_buf b = CTP_BUF_INIT;
	struct utsname u;
	const char *bar = ctp_glyph_vbar();
	/* most important first: narrow terminals clip the end of the line */
	ctp_buf_addf(&b, "ctprof-top %s %s mode: %s %s %.2gs", CTP_VERSION, bar, ctp_top_mode_name(t->mode), bar, t->interval_s);
	if (t->paused)
		ctp_buf_adds(&b, " [PAUSED]");
	if (t->baseline_path) {
		const char *slash = strrchr(t->baseline_path, '/');
		char age[32];
		fmt_age(age, sizeof(age), t->baseline->captured_at_unix_ns);
		ctp_buf_addf(&b, " %s baseline: %s (%s)", bar, slash ? slash + 1 : t->baseline_path, age);
	} else if (t->baseline) {
		char age[32];
		fmt_age(age, sizeof(age), t->baseline->captured_at_unix_ns);
		ctp_buf_addf(&b, " %s baseline: sample (%s)", bar, age);
	}
	ctp_buf_addf(&b, " %s", bar);
	if (uname(&u) == 0)
		ctp_buf_addf(&b, " host %s  kernel %s", u.nodename, u.release);
	if (t->live && t->live->host && t->live->host->online_cpus.set)
		ctp_buf_addf(&b, "  %llu cpus", (unsigned long long)t->live->host->online_cpus.v);
	uint64_t el;
	static const char spin[] = "|/-\\";
	if (ctp_sampler_busy(t->sampler, &el) && el > 300000000ull)
		ctp_buf_addf(&b, " %c capturing %.1fs", spin[(el / 100000000ull) % 4], (double)el / 1e9);
	if (t->loading) {
		el = ctp_baseload_elapsed_ns(t->loading);
		ctp_buf_addf(&b, " %c loading baseline %.1fs", spin[(el / 100000000ull) % 4], (double)el / 1e9);
	}
	move(0, 0);
	clrtoeol();
	put(0, 0, w, CTP_ROLE_TITLE, b.buf);
	ctp_buf_release(&b);
}

static void src_item(int y, int *x, int w, const char *name, bool ok)
{
	put(y, *x, w, CTP_ROLE_NORMAL, name);
	*x += ctp_text_width(name);
	put(y, *x, w, ok ? CTP_ROLE_OK : CTP_ROLE_MISSING, ok ? ctp_glyph_ok() : ctp_glyph_missing());
	*x += 2; /* glyph and a space */
}

static void draw_sources(struct ctp_top *t, int y, int w)
{
	move(y, 0);
	clrtoeol();
	char buf[160];
	int x = 0;
	if (t->live) {
		const struct ctp_psi *p = &t->live->psi;
		snprintf(buf, sizeof(buf), "PSI cpu %.1f%% io %.1f%% mem %.1f%% ", p->cpu.some.avg10 / 100.0,
			 p->io.some.avg10 / 100.0, p->memory.some.avg10 / 100.0);
		put(y, x, w, CTP_ROLE_LABEL, buf);
		x += ctp_text_width(buf);
		put(y, x, w, CTP_ROLE_DIM, ctp_glyph_vbar());
		x += 2;
	}
	if (!t->have_status) {
		put(y, x, w, CTP_ROLE_DIM, "first capture running...");
		return;
	}
	const struct ctp_capture_status *s = &t->status;
	src_item(y, &x, w, "procfs", true);
	src_item(y, &x, w, "io", s->procfs_io);
	src_item(y, &x, w, "sched", s->schedstats);
	src_item(y, &x, w, "taskstats", s->taskstats);
	src_item(y, &x, w, "delayacct", s->delayacct);
	src_item(y, &x, w, "cgroup", s->cgroup_v2);
	src_item(y, &x, w, "psi", s->psi);
	if (t->live && t->live->probe_summary && s->probe) {
		snprintf(buf, sizeof(buf), "jemalloc %llu/%llu ",
			 (unsigned long long)t->live->probe_summary->probed_ok,
			 (unsigned long long)t->live->probe_summary->jemalloc_detected);
		put(y, x, w, CTP_ROLE_NORMAL, buf);
		x += ctp_text_width(buf);
	} else {
		src_item(y, &x, w, "jemalloc", false);
	}
	const char *scx = t->live && t->live->sched_ext && t->live->sched_ext->state ? t->live->sched_ext->state : "off";
	snprintf(buf, sizeof(buf), "sched_ext %s ", s->sched_ext ? scx : "off");
	put(y, x, w, CTP_ROLE_NORMAL, buf);
	x += ctp_text_width(buf);
	if (t->live) {
		snprintf(buf, sizeof(buf), "%s %zu thr %.0fms/capture", ctp_glyph_vbar(), t->live->nthreads,
			 (double)t->capture_ns / 1e6);
		put(y, x, w, CTP_ROLE_DIM, buf);
	}
}

static int draw_header(struct ctp_top *t, int w)
{
	draw_title(t, w);
	draw_sources(t, 1, w);
	int y = 2;
	if (t->baseline_warn[0] && t->mode == CTP_TOP_VS_BASELINE) {
		move(y, 0);
		clrtoeol();
		put(y++, 0, w, CTP_ROLE_WARN, t->baseline_warn);
	}
	if (t->capture_err[0]) {
		move(y, 0);
		clrtoeol();
		char buf[300];
		snprintf(buf, sizeof(buf), "capture failed: %s", t->capture_err);
		put(y++, 0, w, CTP_ROLE_ERROR, buf);
	}
	return y;
}

static void draw_status(struct ctp_top *t, int y, int w)
{
	move(y, 0);
	clrtoeol();
	char crumb[200] = "";
	struct ctp_view *v = t->stack[t->depth - 1];
	v->ops->title(v, t, crumb, sizeof(crumb));
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_adds(&b, crumb);
	if (t->filter)
		ctp_buf_addf(&b, " [filter%s: %s]", t->filter_is_re ? " re" : "", t->filter);
	put(y, 0, w, CTP_ROLE_DIM, b.buf);
	int x = ctp_text_width(b.buf) + 1;
	ctp_buf_release(&b);
	if (t->msg[0])
		put(y, x, w, t->msg_err ? CTP_ROLE_ERROR : CTP_ROLE_STATUS, t->msg);
}

static void draw_bar(int y, int w)
{
	move(y, 0);
	clrtoeol();
	size_t n;
	const struct ctp_key *k = ctp_keys_table(&n);
	int x = 0;
	for (size_t i = 0; i < n && x < w; i++) {
		if (!k[i].bar)
			continue;
		put(y, x, w, CTP_ROLE_FKEY, k[i].name);
		x += ctp_text_width(k[i].name);
		if (x >= w)
			break;
		put(y, x, w, CTP_ROLE_FLABEL, k[i].bar);
		x += ctp_text_width(k[i].bar) + 1;
	}
}

static void draw_all(struct ctp_top *t)
{
	int h = LINES, w = COLS;
	if (t->redraw_all) {
		erase();
		t->redraw_all = false;
	}
	if (h < 5 || w < 20) {
		erase();
		mvaddnstr(0, 0, "terminal too small", w);
		refresh();
		return;
	}
	int y = draw_header(t, w);
	int body = h - y - 2;
	struct ctp_view *v = t->stack[t->depth - 1];
	if (body > 0)
		v->ops->draw(v, t, y, body, w);
	draw_status(t, h - 2, w);
	draw_bar(h - 1, w);
	refresh();
}

/* ---- actions ---- */

static void save_sample(struct ctp_top *t)
{
	if (!t->live) {
		ctp_top_msg(t, true, "no sample yet");
		return;
	}
	char def[64], path[1024];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(def, sizeof(def), "ctprof-%Y%m%d-%H%M%S.ctprof.zst", &tm);
	if (!ctp_prompt(t, "save to: ", def, path, sizeof(path)) || !path[0]) {
		ctp_top_msg(t, false, "save cancelled");
		return;
	}
	struct ctp_err err = { 0 };
	size_t size = 0;
	if (ctp_snapfile_save_mode(path, t->live, t->opts->save_mode, &size, &err) < 0) {
		char eb[600];
		ctp_top_msg(t, true, "save failed: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return;
	}
	ctp_top_msg(t, false, "saved %s (%zu bytes, %zu threads)", path, size, t->live->nthreads);
}

/* b: the file loads on its own thread (take_baseline gets the result); one load at a time */
static void ask_baseline(struct ctp_top *t)
{
	char path[1024];
	if (t->loading) {
		ctp_top_msg(t, true, "still loading baseline %s (B cancels it)", ctp_baseload_path(t->loading));
		return;
	}
	if (!ctp_prompt(t, "baseline file: ", t->baseline_path ? t->baseline_path : "", path, sizeof(path)) || !path[0]) {
		ctp_top_msg(t, false, "baseline unchanged");
		return;
	}
	struct ctp_err err = { 0 };
	t->loading = ctp_baseload_start(path, &err);
	if (!t->loading) {
		char eb[600];
		ctp_top_msg(t, true, "cannot load baseline: %s", ctp_err_str(&err, eb, sizeof(eb)));
		return;
	}
	ctp_top_msg(t, false, "loading baseline %s...", path);
}

static void rebase(struct ctp_top *t)
{
	if (!t->live) {
		ctp_top_msg(t, true, "no sample yet");
		return;
	}
	bool cancelled = t->loading != NULL;
	ctp_baseload_free(t->loading); /* the sample wins over a file still loading */
	t->loading = NULL;
	struct ctp_snapshot *old = t->baseline;
	t->baseline = t->live;
	free_snap_slot(t, old);
	/* live and baseline share one snapshot until the next sample replaces live */
	free(t->baseline_path);
	t->baseline_path = NULL;
	t->baseline_warn[0] = 0;
	t->mode = CTP_TOP_VS_BASELINE;
	ctp_top_msg(t, false, "current sample is now the baseline%s", cancelled ? " (file load cancelled)" : "");
	ctp_top_touch(t);
}

static void change_interval(struct ctp_top *t, int dir)
{
	size_t n = CTP_ARRAY_SIZE(intervals), i = 0;
	while (i < n && intervals[i] < t->interval_s - 1e-9)
		i++;
	if (dir > 0) {
		if (i < n && intervals[i] <= t->interval_s + 1e-9)
			i++;
		if (i >= n)
			i = n - 1;
	} else {
		i = i ? i - 1 : 0;
	}
	t->interval_s = intervals[i];
	ctp_sampler_set_interval(t->sampler, t->interval_s);
	ctp_top_msg(t, false, "refresh every %.2gs", t->interval_s);
}

static void filter_prompt(struct ctp_top *t)
{
	char f[256];
	if (!ctp_prompt(t, "filter (substring or regex): ", t->filter ? t->filter : "", f, sizeof(f)))
		return;
	t->msg[0] = 0;
	set_filter(t, f);
	ctp_top_touch(t);
}

/* the current column set as the config file spells it: a set name, or a metric list */
static void columns_spec(const struct ctp_top *t, char *out, size_t outlen)
{
	if (t->colset >= 0 || !t->custom_cols) {
		snprintf(out, outlen, "%s", ctp_colset_title(t->colset >= 0 ? t->colset : 0));
		return;
	}
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < ctp_cmetric_count() && n < outlen; i++)
		if (t->custom_cols[i])
			n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? "," : "", ctp_cmetric(i)->name);
}

/* S: interval, grouping, sort, columns and colour go to the config file (comments kept) */
static void save_settings(struct ctp_top *t)
{
	struct ctp_config c;
	struct ctp_err err = { 0 };
	struct ctp_buf path = CTP_BUF_INIT;
	char eb[600];
	ctp_config_init(&c);
	c.interval_s = t->interval_s;
	snprintf(c.group_by, sizeof(c.group_by), "%s", ctp_axis_name(t->axis));
	if (t->sort_col >= 0)
		snprintf(c.sort_by, sizeof(c.sort_by), "%s:%s", ctp_cmetric((size_t)t->sort_col)->name,
			 t->sort_desc ? "desc" : "asc");
	columns_spec(t, c.columns, sizeof(c.columns));
	c.color = !t->opts->no_color;
	c.set = CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR;
	if (ctp_config_save(&c, &err) < 0)
		ctp_top_msg(t, true, "cannot save settings: %s", ctp_err_str(&err, eb, sizeof(eb)));
	else if (ctp_config_path(&path) == 0)
		ctp_top_msg(t, false, "settings saved to %s", path.buf);
	ctp_buf_release(&path);
}

/* config "columns": a set name (sched, cpu, ...) or a comma list of metric names */
static void apply_columns(struct ctp_top *t, const char *spec)
{
	for (int i = 0; i < CTP_COLSETS; i++)
		if (!strcmp(spec, ctp_colset_title(i))) {
			t->colset = i;
			return;
		}
	bool *cols = ctp_xcalloc(ctp_cmetric_count(), sizeof(bool));
	size_t any = 0;
	char *dup = ctp_xstrdup(spec), *save = NULL;
	for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int m = ctp_cmetric_find(tok);
		if (m >= 0 && (size_t)m < ctp_cmetric_count())
			any += cols[m] = true;
	}
	free(dup);
	if (!any) {
		free(cols);
		return;
	}
	free(t->custom_cols);
	t->custom_cols = cols;
	t->colset = -1;
}

static void global_action(struct ctp_top *t, enum ctp_action a)
{
	switch (a) {
	case CTP_ACT_QUIT: t->quit = true; break;
	case CTP_ACT_HELP: ctp_top_push(t, ctp_view_help_new()); break;
	case CTP_ACT_FILTER: filter_prompt(t); break;
	case CTP_ACT_FILTER_CLEAR:
		set_filter(t, NULL);
		ctp_top_msg(t, false, "filter cleared");
		ctp_top_touch(t);
		break;
	case CTP_ACT_MODE:
		do
			t->mode = (t->mode + 1) % CTP_TOP_NMODES;
		while (t->mode == CTP_TOP_VS_BASELINE && !t->baseline);
		ctp_top_msg(t, false, "mode: %s", ctp_top_mode_name(t->mode));
		ctp_top_touch(t);
		break;
	case CTP_ACT_PAUSE:
		t->paused = !t->paused;
		ctp_sampler_set_paused(t->sampler, t->paused);
		ctp_top_msg(t, false, t->paused ? "paused (Space resumes)" : "resumed");
		break;
	case CTP_ACT_FASTER: change_interval(t, -1); break;
	case CTP_ACT_SLOWER: change_interval(t, +1); break;
	case CTP_ACT_CGROUPS: ctp_top_push(t, ctp_view_cgroups_new()); break;
	case CTP_ACT_HOST: ctp_top_push(t, ctp_view_host_new()); break;
	case CTP_ACT_COLUMNS: ctp_top_push(t, ctp_view_columns_new()); break;
	case CTP_ACT_REDRAW: t->redraw_all = true; clearok(curscr, TRUE); break;
	case CTP_ACT_SAVE: save_sample(t); break;
	case CTP_ACT_SAVE_SETTINGS: save_settings(t); break;
	case CTP_ACT_LOAD_BASELINE: ask_baseline(t); break;
	case CTP_ACT_REBASE: rebase(t); break;
	case CTP_ACT_BACK: ctp_top_pop(t); break;
	default: break;
	}
}

static void handle_key(struct ctp_top *t, int ch)
{
	if (ch == KEY_RESIZE) {
		t->redraw_all = true;
		return;
	}
	enum ctp_action a = ctp_keys_lookup(ch);
	struct ctp_view *v = t->stack[t->depth - 1];
	if (v->ops->on_key(v, t, a, ch))
		return;
	global_action(t, a);
}

/* ---- setup / teardown ---- */

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void open_screen(const struct ctp_options *o)
{
	initscr();
	screen_open = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	ctp_theme_init(o->no_color);
}

static void close_screen(void)
{
	if (screen_open) {
		endwin();
		screen_open = false;
	}
}

static void top_release(struct ctp_top *t)
{
	while (t->depth > 0) {
		struct ctp_view *v = t->stack[--t->depth];
		v->ops->destroy(v);
	}
	ctp_sampler_free(t->sampler);
	ctp_baseload_free(t->loading); /* a load still running is abandoned, not waited for */
	t->loading = NULL;
	struct ctp_snapshot *all[] = { t->live, t->prev, t->start, t->baseline };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(all); i++) {
		if (!all[i])
			continue;
		for (size_t j = i + 1; j < CTP_ARRAY_SIZE(all); j++)
			if (all[j] == all[i])
				all[j] = NULL;
		ctp_snapshot_free(all[i]);
	}
	set_filter(t, NULL);
	free(t->baseline_path);
	free(t->custom_cols);
}

static void run_loop(struct ctp_top *t)
{
	int fd = ctp_sampler_fd(t->sampler);
	while (!t->quit && !got_signal) {
		draw_all(t);
		uint64_t el;
		bool busy = ctp_sampler_busy(t->sampler, &el) || t->loading;
		struct pollfd pf[3] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 },
					{ t->loading ? ctp_baseload_fd(t->loading) : -1, POLLIN, 0 } };
		int n = poll(pf, 3, busy ? 100 : 1000);
		if (got_signal)
			break;
		if (n > 0 && (pf[1].revents & POLLIN))
			take_sample(t);
		if (n > 0 && (pf[2].revents & POLLIN))
			take_baseline(t);
		int ch;
		while (!t->quit && (ch = getch()) != ERR)
			handle_key(t, ch);
	}
}

int ctp_top_run(const struct ctp_options *o)
{
	struct ctp_top t;
	memset(&t, 0, sizeof(t));
	t.opts = o;
	setlocale(LC_ALL, "");
	struct ctp_err err = { 0 };
	char eb[600];
	if (o->baseline && load_baseline(&t, o->baseline, &err) < 0) {
		fprintf(stderr, "ctprof-top: cannot load baseline: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		return 2;
	}
	t.mode = t.baseline ? CTP_TOP_VS_BASELINE : CTP_TOP_RATES;
	t.interval_s = o->interval_s > 0 ? o->interval_s : 1.0;
	t.sort_desc = true;
	t.colset = 0;
	t.axis = CTP_AXIS_PCOMM;
	if (o->group_by && ctp_axis_parse(o->group_by, &t.axis, &err) < 0) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		top_release(&t);
		return 2;
	}
	t.sort_col = ctp_cmetric_find("run_time_ns");
	if (o->sort_by) {
		struct ctp_sort so;
		if (ctp_sort_parse(o->sort_by, &so, &err) < 0) {
			fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
			top_release(&t);
			return 2;
		}
		t.sort_col = so.n ? so.k[0].metric : -1;
		t.sort_desc = so.n ? !so.k[0].asc : true;
	}
	if (o->filter)
		set_filter(&t, o->filter);
	if (o->columns)
		apply_columns(&t, o->columns);
	struct ctp_capture_opts co;
	ctp_options_capture_opts(o, &co);
	t.sampler = ctp_sampler_new(&co, t.interval_s, &err);
	if (!t.sampler) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		top_release(&t);
		return 1;
	}
	ctp_set_oom_hook(oom_hook);
	install_signals();
	open_screen(o);
	ctp_top_push(&t, ctp_view_groups_new());
	run_loop(&t);
	close_screen();
	top_release(&t);
	return 0;
}
