/* jsonl.h — field writers of the report printers' JSON Lines (the stable names are listed in
 * batch.h): numbers (null when absent or not finite), strings, and a row's common head.
 * Internal to ui/report/. */
#ifndef CTP_JSONL_H
#define CTP_JSONL_H

#include <stdbool.h>

#include "base/util.h"
#include "compare/compare.h"

/* "key":v, or "key":null when !ok or v is not finite; integers print without a fraction */
void ctp_jl_num(struct ctp_buf *b, bool *first, const char *key, bool ok, double v);
/* "base","live","delta","pct" of cell c: sides held exactly (u64 counters, ctp_cell.base_x)
 * print as integers, the delta too when it is their plain difference; the rest as ctp_jl_num */
void ctp_jl_cell(struct ctp_buf *b, bool *first, const struct ctp_cell *c);
/* "key":"s" escaped, or "key":null for NULL */
void ctp_jl_str(struct ctp_buf *b, bool *first, const char *key, const char *s);
/* "matched", "new" or "gone" */
const char *ctp_jl_status(enum ctp_row_status s);
/* table, group, status, threads_base, threads_live of row r */
void ctp_jl_row_head(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r,
		     const char *table);

/* true when metric m's cells are per-second rates in t (its raw unit ends in "/s") */
bool ctp_jl_per_second(const struct ctp_table *t, size_t m);
/* the fields of metric m of row r in a window table (CTP_DELTA_WINDOW): rates "base_rate",
 * "live_rate", "delta_rate" (per second), other metrics (gauges at each window's end, derived
 * ratios and means) "base", "live", "delta"; then "pct", "window_s" (the live window's seconds),
 * "base_window_s" and "unit" (ctp_cell_raw_unit) */
void ctp_jl_window_cell(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r, size_t m);

#endif
