/* screen.c — opens and restores the curses screen of the live view (screen.h) and records the
 * terminating signals in a flag: the handler does nothing else, the loop ends and restores. */
#include "live/screen.h"

#include <curses.h>
#include <signal.h>
#include <string.h>

#include "base/util.h"
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
