/* prompt.c — a one-line input editor on the status line (save path, baseline path, filter):
 * printable bytes insert (UTF-8 passes through), Backspace / ^U / ^W edit, Enter accepts, Esc or
 * a terminating signal cancels. Polls every 100 ms so resizes and signals are noticed. */
#include "live/prompt.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/grid.h"
#include "live/screen.h"
#include "live/theme.h"

#define CTRL(c) ((c) & 0x1f)

static void draw_line(const char *label, const char *text)
{
	int y = LINES - 2;
	move(y, 0);
	clrtoeol();
	attron(ctp_theme_attr(CTP_ROLE_LABEL));
	mvaddnstr(y, 0, label, COLS - 1);
	attroff(ctp_theme_attr(CTP_ROLE_LABEL));
	int x = ctp_text_width(label);
	char *safe = ctp_text_sanitize(text);
	int w = ctp_text_width(safe), room = COLS - x - 1;
	const char *shown = safe;
	while (w > room && *shown) { /* keep the end of a long line visible */
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
		w = ctp_text_width(shown);
	}
	if (room > 0)
		mvaddstr(y, x, shown);
	free(safe);
	refresh();
}

static void backspace(char *out)
{
	size_t n = strlen(out);
	while (n > 0 && (out[n - 1] & 0xc0) == 0x80) /* continuation bytes of one character */
		n--;
	if (n > 0)
		n--;
	out[n] = 0;
}

static void delete_word(char *out)
{
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	while (n > 0 && out[n - 1] != ' ' && out[n - 1] != '/')
		n--;
	out[n] = 0;
}

enum ctp_prompt_rc ctp_prompt(const char *label, const char *initial, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", initial ? initial : "");
	nodelay(stdscr, FALSE);
	timeout(100);
	curs_set(1);
	enum ctp_prompt_rc rc = CTP_PROMPT_CANCEL;
	bool done = false;
	while (!done) {
		draw_line(label, out);
		int ch = getch();
		if (ctp_screen_interrupted()) {
			rc = CTP_PROMPT_INTERRUPTED;
			break;
		}
		switch (ch) {
		case ERR: case KEY_RESIZE: break;
		case '\n': case '\r': case KEY_ENTER: rc = CTP_PROMPT_OK; done = true; break;
		case 27: done = true; break;
		case KEY_BACKSPACE: case 127: case CTRL('h'): backspace(out); break;
		case CTRL('u'): out[0] = 0; break;
		case CTRL('w'): delete_word(out); break;
		default:
			if (ch >= 0x20 && ch <= 0xff && ch != 0x7f) {
				size_t n = strlen(out);
				if (n + 1 < outlen) {
					out[n] = (char)ch;
					out[n + 1] = 0;
				}
			}
		}
	}
	curs_set(0);
	timeout(-1);
	nodelay(stdscr, TRUE);
	return rc;
}
