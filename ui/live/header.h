/* header.h — the fixed lines of the live view around the body: two header lines (title,
 * sources) plus warnings, the status line and the function key bar. Drawn from the session. */
#ifndef CTP_HEADER_H
#define CTP_HEADER_H

#include "live/session.h"

/* title, sources and the warning lines under them from row 0; returns the first body row */
int ctp_header_draw(const struct ctp_session *s, int w);
/* issue 17 (gatenote.c): "note: delayacct off in the baseline, on now: its columns read
 * off→on, not a change" when a kernel switch differs between the table's sides; false if none */
bool ctp_header_gate_note(const struct ctp_session *s, char *buf, size_t len);
/* the status line at row y: the top view's breadcrumb crumb, the filter, the message */
void ctp_header_draw_status(const struct ctp_session *s, const char *crumb, int y, int w);
/* the function key bar at row y, from the key table */
void ctp_header_draw_bar(int y, int w);

#endif
