/* top.c — the live loop of ctprof-top: sets the session up from the options, opens the screen,
 * then polls stdin, the sampler pipe and a baseline load's pipe. Data goes to the session; each
 * key goes to the top view and, when it ignores it, to the global actions; the reaction either
 * returns is carried out here (rebuild, push, pop, redraw, quit). Draws header, body, status
 * and key bar. */
#include "live/top.h"

#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "live/actions.h"
#include "live/baseload.h"
#include "live/header.h"
#include "live/replay.h"
#include "live/sampler.h"
#include "live/screen.h"
#include "live/session.h"
#include "live/view.h"

#define CTP_MAX_VIEWS 8

struct ctp_top {
	struct ctp_session s;
	struct ctp_view *stack[CTP_MAX_VIEWS];
	int depth;
	bool quit;
	bool redraw_all;
};

static void push(struct ctp_top *t, struct ctp_view *v)
{
	if (!v)
		return;
	if (t->depth == CTP_MAX_VIEWS) {
		v->ops->destroy(v);
		return;
	}
	t->stack[t->depth++] = v;
	t->redraw_all = true;
}

/* pops and destroys the top view unless it is the root */
static void pop(struct ctp_top *t)
{
	if (t->depth <= 1)
		return;
	struct ctp_view *v = t->stack[--t->depth];
	v->ops->destroy(v);
	t->redraw_all = true;
}

static void apply(struct ctp_top *t, struct ctp_reaction r)
{
	switch (r.kind) {
	case CTP_REACT_IGNORED: case CTP_REACT_HANDLED: break;
	case CTP_REACT_REBUILD: t->s.gen++; t->redraw_all = true; break;
	case CTP_REACT_REDRAW: t->redraw_all = true; clearok(curscr, TRUE); break;
	case CTP_REACT_POP: pop(t); break;
	case CTP_REACT_PUSH: push(t, r.view); break;
	case CTP_REACT_QUIT: t->quit = true; break;
	}
}

/* the open view's needs enter the refresh plan (after a push or pop, or a view that switched
 * in place, as C and H do) */
static void sync_need(struct ctp_top *t)
{
	const struct ctp_view *v = t->stack[t->depth - 1];
	ctp_session_set_view_need(&t->s, v->ops->need ? v->ops->need(v) : CTP_NEED_TABLE);
}

/* the columns the top view put on screen enter the refresh plan (after each draw: a resize, a
 * scroll, a new column set or new widths move them) */
static void sync_shown(struct ctp_top *t, const struct ctp_view *v)
{
	int ids[128];
	long n = v->ops->shown ? v->ops->shown(v, ids, CTP_ARRAY_SIZE(ids)) : -1;
	if (n >= 0)
		ctp_session_set_shown(&t->s, ids, (size_t)n);
}

static void handle_key(struct ctp_top *t, int ch)
{
	if (ch == KEY_RESIZE) {
		t->redraw_all = true;
		return;
	}
	enum ctp_action a = ctp_keys_lookup(ch);
	struct ctp_view *v = t->stack[t->depth - 1];
	struct ctp_reaction r = v->ops->on_key(v, &t->s, a, ch);
	if (r.kind == CTP_REACT_IGNORED)
		r = ctp_action_run(&t->s, a);
	apply(t, r);
	if (!t->quit)
		sync_need(t);
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
	int y = ctp_header_draw(&t->s, w);
	int body = h - y - 2;
	struct ctp_view *v = t->stack[t->depth - 1];
	if (body > 0) {
		v->ops->draw(v, &t->s, y, body, w);
		sync_shown(t, v);
	}
	char crumb[200] = "";
	v->ops->title(v, &t->s, crumb, sizeof(crumb));
	ctp_header_draw_status(&t->s, crumb, h - 2, w);
	ctp_header_draw_bar(h - 1, w);
	refresh();
}

static void run_loop(struct ctp_top *t)
{
	struct ctp_session *s = &t->s;
	int fd = ctp_sampler_fd(s->sampler), dead = 0;
	while (!t->quit && !ctp_screen_interrupted()) {
		draw_all(t);
		ctp_session_settle(s);
		uint64_t el;
		bool busy = ctp_sampler_busy(s->sampler, &el) || s->loading;
		struct pollfd pf[3] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 },
					{ s->loading ? ctp_baseload_fd(s->loading) : -1, POLLIN, 0 } };
		int n = poll(pf, 3, busy ? 100 : 1000);
		if (ctp_screen_interrupted())
			break;
		if (n > 0 && (pf[1].revents & POLLIN) && ctp_session_take_sample(s))
			s->gen++;
		if (n > 0 && (pf[2].revents & POLLIN) && ctp_session_take_baseline(s))
			s->gen++;
		int ch, keys = 0;
		while (!t->quit && (ch = getch()) != ERR && ++keys)
			handle_key(t, ch);
		/* stdin hung up (a closed pane, SIGHUP not for us) or at EOF: end instead of spinning.
		 * A hangup says so; EOF is stdin readable with no key, over and over (64 times in a
		 * row: a few filtered mouse reports never get there). main refuses to start without
		 * a terminal. */
		if (n > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		dead = n > 0 && (pf[0].revents & POLLIN) && !keys ? dead + 1 : 0;
		if (dead >= 64)
			break;
	}
}

static void top_release(struct ctp_top *t)
{
	while (t->depth > 0) {
		struct ctp_view *v = t->stack[--t->depth];
		v->ops->destroy(v);
	}
	ctp_session_release(&t->s);
}

/* the session from the options: 0, or the exit status after one line on stderr */
static int setup(struct ctp_top *t, const struct ctp_options *o)
{
	struct ctp_err err = { 0 };
	char eb[600];
	if (o->replay && !(t->s.replay = ctp_replay_open(o->replay, &err))) {
		fprintf(stderr, "ctprof-top: cannot replay: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		return 2;
	}
	if (o->baseline && ctp_session_load_baseline(&t->s, o->baseline, &err) < 0) {
		fprintf(stderr, "ctprof-top: cannot load baseline: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		return 2;
	}
	if (ctp_session_init(&t->s, o, &err) < 0) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		return 2;
	}
	if (o->replay) /* no capture: the recording's first sample */
		return ctp_session_replay_start(&t->s) ? 0 : 2;
	if (ctp_session_start(&t->s, &err) < 0) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, eb, sizeof(eb)));
		return 1;
	}
	return 0;
}

int ctp_top_run(const struct ctp_options *o)
{
	struct ctp_top t;
	memset(&t, 0, sizeof(t));
	setlocale(LC_ALL, "");
	int rc = setup(&t, o);
	if (rc) {
		top_release(&t);
		return rc;
	}
	ctp_screen_open(o->no_color);
	push(&t, ctp_view_groups_new());
	sync_need(&t);
	run_loop(&t);
	ctp_screen_close();
	top_release(&t);
	return 0;
}
