/* header.c — the live view's fixed lines (header.h): title (version, mode, interval, pause,
 * baseline and its age, host, cpus, a capture or load in progress), sources with host PSI (the
 * kernel gates named with their hint when off: "schedstats✗ sysctl ..."; when narrow the hints
 * and the fine sources drop before a gate's label would, the rest ends with "…"), the baseline and
 * capture warnings, the status line and the function key bar from the key table.
 * Every text is sanitized before it reaches the terminal. */
#include "live/header.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "live/baseload.h"
#include "live/grid.h"
#include "live/keys.h"
#include "live/replay.h"
#include "live/sampler.h"
#include "live/screen.h"
#include "live/theme.h"

#ifndef CTP_VERSION
#define CTP_VERSION "0.0.0"
#endif

static void put(int y, int x, int w, enum ctp_role role, const char *text)
{
	if (x >= w)
		return;
	char *safe = ctp_text_sanitize(text);
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

static void draw_title(const struct ctp_session *s, int w)
{
	struct ctp_buf b = CTP_BUF_INIT;
	struct utsname u;
	const char *bar = ctp_glyph_vbar();
	/* most important first: narrow terminals clip the end of the line */
	char pos[96];
	ctp_session_position(s, pos, sizeof(pos));
	if (s->replay) /* no interval: the position instead */
		ctp_buf_addf(&b, "ctprof-top %s %s mode: %s %s replay %s", CTP_VERSION, bar, ctp_mode_name(s->mode), bar, pos);
	else
		ctp_buf_addf(&b, "ctprof-top %s %s mode: %s %s %.2gs", CTP_VERSION, bar, ctp_mode_name(s->mode), bar, s->interval_s);
	if (pos[0] && !s->replay)
		ctp_buf_addf(&b, " [%s]", pos);
	if (s->paused)
		ctp_buf_adds(&b, " [PAUSED]");
	if (s->baseline_path) {
		const char *slash = strrchr(s->baseline_path, '/');
		char age[32];
		fmt_age(age, sizeof(age), s->baseline->captured_at_unix_ns);
		ctp_buf_addf(&b, " %s baseline: %s (%s)", bar, slash ? slash + 1 : s->baseline_path, age);
	} else if (s->win_a) {
		ctp_buf_addf(&b, " %s window baseline", bar);
	} else if (s->baseline) {
		char age[32];
		fmt_age(age, sizeof(age), s->baseline->captured_at_unix_ns);
		ctp_buf_addf(&b, " %s baseline: sample (%s)", bar, age);
	}
	ctp_buf_addf(&b, " %s", bar);
	if (uname(&u) == 0)
		ctp_buf_addf(&b, " host %s  kernel %s", u.nodename, u.release);
	if (s->live && s->live->host && s->live->host->online_cpus.set)
		ctp_buf_addf(&b, "  %llu cpus", (unsigned long long)s->live->host->online_cpus.v);
	uint64_t el;
	static const char spin[] = "|/-\\";
	if (ctp_sampler_busy(s->sampler, &el) && el > 300000000ull)
		ctp_buf_addf(&b, " %c capturing %.1fs", spin[(el / 100000000ull) % 4], (double)el / 1e9);
	if (s->loading) {
		el = ctp_baseload_elapsed_ns(s->loading);
		ctp_buf_addf(&b, " %c loading baseline %.1fs", spin[(el / 100000000ull) % 4], (double)el / 1e9);
	}
	move(0, 0);
	clrtoeol();
	put(0, 0, w, CTP_ROLE_TITLE, b.buf);
	ctp_buf_release(&b);
}

/* the sources line as items (a text and a mark after it, then a space) that drop whole when the
 * line is too wide for the gates' labels: first the hints before the last gate (the later one
 * first), then the sources that are fine ("procfs✓", the earlier first); what still does not fit
 * after the labels is left out at an item's end with the ellipsis, never cut mid-word */
enum { KEEP, HINT, FINE };

struct item {
	char text[128];
	enum ctp_role role;
	const char *mark;   /* a check or cross glyph right after the text, or NULL */
	enum ctp_role mrole;
	int drop;           /* KEEP, HINT, FINE */
	bool gate, off;     /* a kernel gate's label; dropped */
};

struct items {
	struct item v[24];
	size_t n;
};

static void add(struct items *it, enum ctp_role role, int drop, const char *text)
{
	if (it->n == CTP_ARRAY_SIZE(it->v))
		return;
	struct item *i = &it->v[it->n++];
	*i = (struct item){ .role = role, .drop = drop };
	snprintf(i->text, sizeof(i->text), "%s", text);
}

static void src_item(struct items *it, const char *name, bool ok)
{
	add(it, CTP_ROLE_NORMAL, ok ? FINE : KEEP, name);
	it->v[it->n - 1].mark = ok ? ctp_glyph_ok() : ctp_glyph_missing();
	it->v[it->n - 1].mrole = ok ? CTP_ROLE_OK : CTP_ROLE_MISSING;
}

/* a kernel gate (registry.h CTP_GATE_LIST) as the live snapshot's host context states it:
 * "label✓", or "label✗ hint" when it is off (its metrics' cells are '-'); when the host context
 * does not say, fall back to name with the capture's own mark */
static void gate_item(struct items *it, const struct ctp_session *s, enum ctp_gate g, const char *name, bool ok)
{
	enum ctp_gate_state st = ctp_snapshot_gate_state(s->live, g);
	if (st == CTP_GSTATE_UNKNOWN) {
		src_item(it, name, ok);
		return;
	}
	src_item(it, ctp_gate_label(g), st == CTP_GSTATE_ON);
	it->v[it->n - 1].drop = KEEP;
	it->v[it->n - 1].gate = true;
	const char *hint = ctp_gate_hint(g, st);
	if (*hint)
		add(it, CTP_ROLE_DIM, HINT, hint);
}

static int item_w(const struct item *i)
{
	return ctp_text_width(i->text) + (i->mark ? ctp_text_width(i->mark) : 0);
}

/* end of the line (no trailing space) and of the last gate's label, the items left out skipped */
static int line_end(const struct items *it, int *gate_end, size_t *last_gate)
{
	int x = 0, end = 0;
	*gate_end = 0;
	for (size_t i = 0; i < it->n; i++) {
		if (it->v[i].off)
			continue;
		end = x + item_w(&it->v[i]);
		if (it->v[i].gate) {
			*gate_end = end;
			*last_gate = i;
		}
		x = end + 1;
	}
	return end;
}

/* drops the hints, then the fine sources, before the last gate's label until it fits with room
 * for " …" (or the whole line fits) */
static void fit_items(struct items *it, int w)
{
	for (int pass = HINT; pass <= FINE; pass++)
		for (;;) {
			int gate_end;
			size_t last = 0, pick = SIZE_MAX;
			if (line_end(it, &gate_end, &last) <= w || gate_end + 2 <= w)
				return;
			for (size_t i = 0; i < last; i++)
				if (!it->v[i].off && it->v[i].drop == pass && (pass == HINT || pick == SIZE_MAX))
					pick = i;
			if (pick == SIZE_MAX)
				break;
			it->v[pick].off = true;
		}
}

static void draw_items(struct items *it, int y, int w)
{
	int gate_end;
	size_t last = 0;
	bool cut = line_end(it, &gate_end, &last) > w;
	int x = 0;
	for (size_t i = 0; i < it->n; i++) {
		const struct item *e = &it->v[i];
		if (e->off)
			continue;
		if (cut && x + item_w(e) + 2 > w) { /* the item, a space and the ellipsis */
			put(y, x < w ? x : w - 1, w, CTP_ROLE_DIM, ctp_text_ellipsis());
			return;
		}
		put(y, x, w, e->role, e->text);
		x += ctp_text_width(e->text);
		if (e->mark) {
			put(y, x, w, e->mrole, e->mark);
			x += ctp_text_width(e->mark);
		}
		x++;
	}
}

static void probe_items(struct items *it, const struct ctp_session *s)
{
	const struct ctp_capture_status *st = &s->status;
	char buf[160];
	if (s->live && s->live->probe_summary && st->probe) {
		snprintf(buf, sizeof(buf), "jemalloc %llu/%llu", (unsigned long long)s->live->probe_summary->probed_ok,
			 (unsigned long long)s->live->probe_summary->jemalloc_detected);
		add(it, CTP_ROLE_NORMAL, KEEP, buf);
	} else {
		src_item(it, "jemalloc", false);
	}
	const char *scx = s->live && s->live->sched_ext && s->live->sched_ext->state ? s->live->sched_ext->state : "off";
	snprintf(buf, sizeof(buf), "sched_ext %s", st->sched_ext ? scx : "off");
	add(it, CTP_ROLE_NORMAL, KEEP, buf);
	if (s->live) {
		snprintf(buf, sizeof(buf), "%s %zu thr %.0fms/capture", ctp_glyph_vbar(), s->live->nthreads,
			 (double)s->capture_ns / 1e6);
		add(it, CTP_ROLE_DIM, KEEP, buf);
	}
}

static void draw_sources(const struct ctp_session *s, int y, int w)
{
	move(y, 0);
	clrtoeol();
	char buf[160];
	struct items it = { .n = 0 };
	if (s->live) {
		const struct ctp_psi *p = &s->live->psi;
		snprintf(buf, sizeof(buf), "PSI cpu %.1f%% io %.1f%% mem %.1f%%", p->cpu.some.avg10 / 100.0,
			 p->io.some.avg10 / 100.0, p->memory.some.avg10 / 100.0);
		add(&it, CTP_ROLE_LABEL, KEEP, buf);
		add(&it, CTP_ROLE_DIM, KEEP, ctp_glyph_vbar());
	}
	if (s->replay) { /* no capture: the file on screen */
		const char *slash = strrchr(ctp_replay_path(s->replay, s->hseq), '/');
		snprintf(buf, sizeof(buf), "replay of a recording: %s%s", slash ? slash + 1 : "", s->live ? "" : " (loading)");
		add(&it, CTP_ROLE_DIM, KEEP, buf);
	} else if (!s->have_status) {
		add(&it, CTP_ROLE_DIM, KEEP, "first capture running...");
	} else {
		const struct ctp_capture_status *st = &s->status;
		src_item(&it, "procfs", true);
		src_item(&it, "io", st->procfs_io);
		if (st->schedstats) /* /proc/TID/sched read: does its schedstats block count? */
			gate_item(&it, s, CTP_GATE_SCHEDSTATS, "sched", true);
		else
			src_item(&it, "sched", false);
		src_item(&it, "taskstats", st->taskstats);
		gate_item(&it, s, CTP_GATE_BLOCK_DELAY, "delayacct", st->delayacct);
		if (ctp_snapshot_gate_off(s->live, CTP_GATE_XACCT)) /* named only when off */
			gate_item(&it, s, CTP_GATE_XACCT, "xacct", false);
		src_item(&it, "cgroup", st->cgroup_v2);
		src_item(&it, "psi", st->psi);
		probe_items(&it, s);
	}
	fit_items(&it, w);
	draw_items(&it, y, w);
}

/* "window baseline A .. B (1.5s) vs live rate over the last 1.0s (1 refresh)" */
static void draw_window(const struct ctp_session *s, int y, int w)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_addf(&b, "window baseline %s", s->win_text ? s->win_text : "");
	int k;
	double secs = ctp_session_live_window(s, &k);
	if (s->mode != CTP_TOP_WINDOW)
		ctp_buf_adds(&b, " (m: rate vs base rate)");
	else if (secs > 0)
		ctp_buf_addf(&b, " vs live rate over the last %.1fs (%d refresh%s)", secs, k, k == 1 ? "" : "es");
	else
		ctp_buf_adds(&b, " vs live rate from the next sample");
	move(y, 0);
	clrtoeol();
	put(y, 0, w, CTP_ROLE_LABEL, b.buf);
	ctp_buf_release(&b);
}

int ctp_header_draw(const struct ctp_session *s, int w)
{
	draw_title(s, w);
	draw_sources(s, 1, w);
	int y = 2;
	if (s->win_a)
		draw_window(s, y++, w);
	if (s->baseline_warn[0] && s->mode == CTP_TOP_VS_BASELINE) {
		move(y, 0);
		clrtoeol();
		put(y++, 0, w, CTP_ROLE_WARN, s->baseline_warn);
	}
	char note[300];
	if (ctp_header_gate_note(s, note, sizeof(note))) { /* issue 17: a kernel switch flipped */
		move(y, 0);
		clrtoeol();
		put(y++, 0, w, CTP_ROLE_WARN, note);
	}
	if (s->capture_err[0]) {
		move(y, 0);
		clrtoeol();
		char buf[300];
		snprintf(buf, sizeof(buf), "capture failed: %s", s->capture_err);
		put(y++, 0, w, CTP_ROLE_ERROR, buf);
	}
	return y;
}

void ctp_header_draw_status(const struct ctp_session *s, const char *crumb, int y, int w)
{
	move(y, 0);
	clrtoeol();
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_adds(&b, crumb);
	if (s->filter)
		ctp_buf_addf(&b, " [filter: %s]", ctp_filter_pattern(s->filter));
	int x = ctp_screen_put_words(y, 0, w, CTP_ROLE_DIM, b.buf) + 1; /* cut between words */
	ctp_buf_release(&b);
	if (s->msg[0])
		ctp_screen_put_words(y, x, w, s->msg_err ? CTP_ROLE_ERROR : CTP_ROLE_STATUS, s->msg);
}

void ctp_header_draw_bar(int y, int w)
{
	ctp_screen_draw_bar(y, w); /* whole labels, by importance (screen.c) */
}

