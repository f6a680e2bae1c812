/* winreport.h — window baselines in the report printers (issue 15): loading and checking a
 * window (two files), the long layout of a rate-vs-baseline-rate table, and offline
 * `--compare A1,A2 B1,B2`. Internal to ui/report/ (batch.c, batchloop.c). */
#ifndef CTP_WINREPORT_H
#define CTP_WINREPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/batch.h"
#include "snapshot/recording.h"

/* loads files a and b (a captured first) into w (the caller frees w->a and w->b) and checks
 * them with ctp_window_check; a refusal names both files ("A, B: out of order: ..."), a load
 * error the file at fault. 0, or -1 with err set (w empty) */
int ctp_window_load(const char *a, const char *b, struct ctp_window *w, struct ctp_err *err);
void ctp_window_release(struct ctp_window *w);
/* appends "A .. B (10.0s)" or with a note "A .. B (note, 10.0s)": the files sanitized for a
 * terminal, the window's seconds */
void ctp_window_text(const char *a, const char *b, double secs, const char *note, struct ctp_buf *out);

/* a CTP_DELTA_WINDOW table in the long layout: a row per (group, metric) in ktstr's order with
 * the base and live windows' rates, Δ/s, percent and unit (ctp_cell_show texts), or JSON Lines
 * rows (ctp_jl_window_cell fields plus base_text, live_text, delta_text). 0, or -1 */
int ctp_report_window(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st);

/* offline --compare of two windows (both specs have b set); exit status as ctp_batch_compare */
int ctp_batch_compare_windows(const struct ctp_options *o, const struct ctp_basespec *base,
			      const struct ctp_basespec *live);

#endif
