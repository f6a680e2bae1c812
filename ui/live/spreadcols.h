/* spreadcols.h — the detail view's spread columns (issue 17 item 1): MIN P50 P90 MAX IMB of
 * each counter's per-thread deltas when the row carries a spread (ctp_compare_opts.spread). */
#ifndef CTP_SPREADCOLS_H
#define CTP_SPREADCOLS_H

#include "compare/compare.h"
#include "live/grid.h"

/* adds the five columns when r has a spread; returns how many (0 or 5) */
size_t ctp_spread_cols_add(struct ctp_grid *g, const struct ctp_row *r);
/* fills them from col on for metric m (empty when m has no spread) */
void ctp_spread_cols_set(struct ctp_grid_row *gr, size_t col, const struct ctp_table *t, const struct ctp_row *r,
			 size_t m);

#endif
