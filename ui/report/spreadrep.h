/* spreadrep.h — batch printers of issue 17: spread within a group (a metric's JSON "spread"
 * object, the text table after a sample's groups) and a group's wait channels (JSON "waits").
 * Internal to ui/report/. */
#ifndef CTP_SPREADREP_H
#define CTP_SPREADREP_H

#include <stdbool.h>
#include <stdio.h>

#include "base/util.h"
#include "compare/compare.h"

/* ,"spread":{"min","p50","p90","max","imbalance" (null at a median of 0),"threads"} when row r
 * has a spread of metric m; numbers in the unit of the metric's cell (ctp_cell_raw_unit) */
void ctp_spread_json(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r, size_t m);
/* "## spread" text table: per row of the first `show` of the view and per column metric that
 * has a spread and moved, group, metric, threads, min, p50, p90, max, imbalance */
void ctp_spread_print(FILE *f, const struct ctp_table *t, const int *cols, size_t ncol, size_t show, bool color);

/* --wchan (issue 17 item 3): ,"waits":{"sleeping", "sleeping_base", "top", "top_share",
 * "top_share_base" (the base side's share of the live top channel), "channels": the live side's
 * first CTP_WAITS_JSON_MAX [{"wchan","threads"}]} when row r has wait channels */
#define CTP_WAITS_JSON_MAX 8
void ctp_waits_json(struct ctp_buf *b, bool *first, const struct ctp_row *r);
/* the text's "top wait" cell of row r at column col, sanitized ("-" when none) */
struct ctp_tgrid;
void ctp_waits_cell(struct ctp_tgrid *g, size_t col, const struct ctp_row *r);

#endif
