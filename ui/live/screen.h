/* screen.h — the terminal of the live view: curses set up and restored (also on an out-of-memory
 * exit), and the terminating signals (INT, TERM, HUP) turned into a flag the loop and the prompt
 * poll, so the terminal is always restored by the normal exit path. */
#ifndef CTP_SCREEN_H
#define CTP_SCREEN_H

#include <stdbool.h>

/* installs the signal handlers (SIGPIPE ignored) and opens the screen with the theme */
void ctp_screen_open(bool no_color);
/* restores the terminal; a no-op when it is not open */
void ctp_screen_close(void);
/* true once SIGINT/SIGTERM/SIGHUP arrived */
bool ctp_screen_interrupted(void);

#endif
