/* top.h — entry point of the live curses view (ctprof-top without a batch mode). */
#ifndef CTP_TOP_H
#define CTP_TOP_H

#include "cli/options.h"

/* runs the full-screen live view until the user quits; returns the process exit status:
 * 0 on a normal quit, 2 when the baseline file is missing or corrupt (one line on stderr,
 * before the screen opens), 1 on other start-up failures */
int ctp_top_run(const struct ctp_options *o);

#endif
