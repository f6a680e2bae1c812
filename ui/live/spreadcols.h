/* spreadcols.h — the detail view's pieces of issue 17: spread columns (MIN P50 P90 MAX IMB of
 * each counter's per-thread deltas, ctp_compare_opts.spread) and wait channel rows (--wchan). */
#ifndef CTP_SPREADCOLS_H
#define CTP_SPREADCOLS_H

#include "compare/compare.h"
#include "live/grid.h"

/* adds the five columns when r has a spread; returns how many (0 or 5) */
size_t ctp_spread_cols_add(struct ctp_grid *g, const struct ctp_row *r);
/* fills them from col on for metric m (empty when m has no spread) */
void ctp_spread_cols_set(struct ctp_grid_row *gr, size_t col, const struct ctp_table *t, const struct ctp_row *r,
			 size_t m);

/* --wchan (issue 17 item 3): a row "wait CHANNEL" per wait channel of r's live side, most
 * threads first (at most CTP_WAIT_ROWS): the baseline's share in column 1 when it has channels,
 * the live share and thread count ("86% (6)") in column 2 */
#define CTP_WAIT_ROWS 8
void ctp_waits_rows_add(struct ctp_grid *g, const struct ctp_row *r);

#endif
