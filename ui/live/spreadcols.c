/* spreadcols.c — the detail view's pieces of issue 17: spread columns (for every counter of the
 * group, min, p50, p90, max of its threads' deltas over the interval in the cells' units, and
 * the imbalance max / median, '-' at a median of 0) and, with --wchan, a row per wait channel. */
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

void ctp_waits_rows_add(struct ctp_grid *g, const struct ctp_row *r)
{
	const struct ctp_waits *l = r->waits ? &r->waits[1] : NULL, *b = r->waits ? &r->waits[0] : NULL;
	char name[160], buf[48];
	for (size_t i = 0; l && i < l->n && i < CTP_WAIT_ROWS; i++) {
		snprintf(name, sizeof(name), "wait %s", l->v[i].name);
		struct ctp_grid_row *gr = ctp_grid_add_row(g, name);
		ctp_grid_set(gr, 0, name, CTP_ROLE_NORMAL);
		double bs = ctp_waits_share(b, l->v[i].name);
		if (bs >= 0) {
			snprintf(buf, sizeof(buf), "%.0f%%", 100 * bs);
			ctp_grid_set(gr, 1, buf, CTP_ROLE_NORMAL);
		}
		snprintf(buf, sizeof(buf), "%.0f%% (%zu)", 100 * ctp_waits_share(l, l->v[i].name), l->v[i].threads);
		ctp_grid_set(gr, 2, buf, CTP_ROLE_NORMAL);
	}
}
