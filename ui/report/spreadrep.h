/* spreadrep.h — batch printers of spread within a group (issue 17): a metric's JSON "spread"
 * object and the text table after a sample's groups. Internal to ui/report/. */
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

#endif
