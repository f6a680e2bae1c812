/* outliers.h — the thread view's outlier threads (issue 17 item 1): a thread whose value of the
 * sort column (its delta, else its live value) is more than 4x the group's median, or the
 * largest when the imbalance (max / median) is 4 or more. */
#ifndef CTP_LIVE_OUTLIERS_H
#define CTP_LIVE_OUTLIERS_H

#include <stdbool.h>

#include "compare/compare.h"

#define CTP_OUTLIER_FACTOR 4.0
/* per row of t (t->nrows entries, malloc'd; the caller frees) true for an outlier of metric
 * over the rows of t's view; NULL when none is (metric < 0, no values, a median of 0) */
bool *ctp_outliers_mark(const struct ctp_table *t, int metric);

#endif
