/* spreadcols.c — the detail view's spread columns (issue 17 item 1): for every counter of the
 * group, min, p50, p90, max of its threads' deltas over the interval in the cells' units, and
 * the imbalance max / median ('-' at a median of 0), from the engine's ctp_row.spread. */
#include <stdio.h>

#include "live/spreadcols.h"

size_t ctp_spread_cols_add(struct ctp_grid *g, const struct ctp_row *r)
{
	static const char *const titles[] = { "MIN", "P50", "P90", "MAX", "IMB" };
	static const int prio[] = { 3, 2, 3, 2, 2 };
	if (!r->spread)
		return 0;
	for (size_t i = 0; i < 5; i++)
		ctp_grid_add_col(g, titles[i], true, prio[i], 0, -1);
	return 5;
}

void ctp_spread_cols_set(struct ctp_grid_row *gr, size_t col, const struct ctp_table *t, const struct ctp_row *r,
			 size_t m)
{
	const struct ctp_spread *s = r->spread ? &r->spread[m] : NULL;
	char buf[CTP_FMT_MAX];
	if (!s || !s->ok)
		return;
	const double v[4] = { s->min, s->p50, s->p90, s->max };
	for (size_t i = 0; i < 4; i++)
		ctp_grid_set(gr, col + i, ctp_cell_number_text(t, m, v[i], buf), CTP_ROLE_NORMAL);
	if (s->imb_ok)
		snprintf(buf, sizeof(buf), "%.2f", s->imbalance);
	ctp_grid_set(gr, col + 4, s->imb_ok ? buf : "-", s->imb_ok && s->imbalance >= 2 ? CTP_ROLE_DELTA_UP : CTP_ROLE_NORMAL);
}
