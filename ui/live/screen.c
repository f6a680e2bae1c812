/* screen.c — opens and restores the curses screen of the live view (screen.h) and records the
 * terminating signals in a flag: the handler does nothing else, the loop ends and restores. Fits
 * the bottom lines: the function bar drops whole labels by importance, status text is cut
 * between words. */
#include "live/screen.h"

#include <curses.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/util.h"
#include "live/grid.h"
#include "live/keys.h"
#include "live/theme.h"

static volatile sig_atomic_t got_signal;
static bool screen_open;

static void on_signal(int sig)
{
	got_signal = sig;
}

bool ctp_screen_interrupted(void)
{
	return got_signal != 0;
}

static void oom_hook(void)
{
	ctp_screen_close();
}

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

void ctp_screen_open(bool no_color)
{
	ctp_set_oom_hook(oom_hook);
	install_signals();
	initscr();
	/* ncurses 6.4 flushes its output at every cursor move until the screen has once been
	 * suspended and resumed (its mvcur treats the state after initscr as "not initialized"):
	 * ~40 small writes to the terminal a refresh. One endwin/refresh here, before anything is
	 * drawn, makes a frame one write */
	endwin();
	refresh();
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
	ctp_theme_init(no_color);
}

void ctp_screen_close(void)
{
	if (screen_open) {
		endwin();
		screen_open = false;
	}
}

/* how long a bar label stays as the bar narrows: higher stays longer; actions not listed (a
 * label added to the key table later) leave first */
static int bar_rank(enum ctp_action a)
{
	static const enum ctp_action order[] = { CTP_ACT_PAUSE, CTP_ACT_SAVE, CTP_ACT_DETAIL,
		CTP_ACT_GROUP_CYCLE, CTP_ACT_ENTER, CTP_ACT_MODE, CTP_ACT_SORT_NEXT, CTP_ACT_LOAD_BASELINE,
		CTP_ACT_FILTER };
	if (a == CTP_ACT_HELP || a == CTP_ACT_QUIT)
		return INT_MAX;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(order); i++)
		if (order[i] == a)
			return (int)i + 1;
	return 0;
}

static int bar_item_width(const struct ctp_key *k)
{
	return ctp_text_width(k->name) + ctp_text_width(k->bar) + 1; /* key, label, a space */
}

/* marks in keep[] the bar rows that fit in w, dropping the lowest rank (rightmost on a tie) */
static void bar_fit(const struct ctp_key *k, size_t n, bool *keep, int w)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		if ((keep[i] = k[i].bar != NULL))
			total += bar_item_width(&k[i]);
	while (total - 1 > w) {
		long worst = -1;
		for (size_t i = 0; i < n; i++)
			if (keep[i] && bar_rank(k[i].action) < INT_MAX &&
			    (worst < 0 || bar_rank(k[i].action) <= bar_rank(k[worst].action)))
				worst = (long)i;
		if (worst < 0)
			return;
		keep[worst] = false;
		total -= bar_item_width(&k[worst]);
	}
}

static void put_role(int y, int x, enum ctp_role role, const char *text)
{
	int a = ctp_theme_attr(role);
	attron(a);
	mvaddstr(y, x, text);
	attroff(a);
}

void ctp_screen_draw_bar(int y, int w)
{
	move(y, 0);
	clrtoeol();
	size_t n;
	const struct ctp_key *k = ctp_keys_table(&n);
	bool *keep = ctp_xcalloc(n ? n : 1, sizeof(bool));
	bar_fit(k, n, keep, w);
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		int kw = ctp_text_width(k[i].name), lw = ctp_text_width(k[i].bar);
		if (x + kw + lw > w) /* Help and Quit alone wider than the screen: whole labels only */
			break;
		put_role(y, x, CTP_ROLE_FKEY, k[i].name);
		put_role(y, x + kw, CTP_ROLE_FLABEL, k[i].bar);
		x += kw + lw + 1;
	}
	free(keep);
}

int ctp_screen_put_words(int y, int x, int w, int role, const char *text)
{
	if (x >= w)
		return 0;
	char *safe = ctp_text_sanitize(text);
	struct ctp_buf b = CTP_BUF_INIT;
	int room = w - x, tw = ctp_text_width(safe);
	if (tw <= room) {
		ctp_buf_adds(&b, safe);
	} else { /* the longest prefix ending before a space that leaves a cell for the ellipsis */
		size_t cut = 0, bytes;
		ctp_display_clip(safe, room - 1, &bytes);
		for (size_t i = bytes; i > 0; i--)
			if (safe[i] == ' ') {
				cut = i;
				break;
			}
		while (cut > 0 && safe[cut - 1] == ' ')
			cut--;
		if (cut == 0) /* one word wider than the room: cut inside it */
			cut = bytes;
		ctp_buf_add(&b, safe, cut);
		ctp_buf_adds(&b, ctp_text_ellipsis());
		tw = ctp_text_width(b.buf);
	}
	put_role(y, x, (enum ctp_role)role, b.buf);
	ctp_buf_release(&b);
	free(safe);
	return tw;
}
