/* screen.h — the terminal of the live view: curses set up and restored (also on an out-of-memory
 * exit), the terminating signals (INT, TERM, HUP) turned into a flag the loop and the prompt
 * poll, so the terminal is always restored by the normal exit path; and the bottom lines' fitting:
 * the function key bar with whole labels, status text cut between words. */
#ifndef CTP_SCREEN_H
#define CTP_SCREEN_H

#include <stdbool.h>

/* installs the signal handlers (SIGPIPE ignored) and opens the screen with the theme */
void ctp_screen_open(bool no_color);
/* restores the terminal; a no-op when it is not open */
void ctp_screen_close(void);
/* true once SIGINT/SIGTERM/SIGHUP arrived */
bool ctp_screen_interrupted(void);

/* the function key bar at row y in w columns, from the key table: whole labels only; when they
 * do not fit the least important leave first (Pause, Save, Detail, Group, Threads, Mode, Sort,
 * Base, Filter; Help and Quit stay), the rest keep the table's order */
void ctp_screen_draw_bar(int y, int w);
/* text (sanitized here) at row y from column x, within w columns: when longer it is cut after
 * its last whole word that fits, ending with the ellipsis; returns the cells drawn. role is an
 * enum ctp_role */
int ctp_screen_put_words(int y, int x, int w, int role, const char *text);

#endif
