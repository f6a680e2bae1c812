/* delta.c — per-cell delta and percent (compare.md §3.1): delta = live - base when both sides are
 * numeric; pct = delta / base (signed base) when |base| > DBL_EPSILON and the metric is not a
 * ratio; RATE mode then turns monotonic deltas (counters, derived sums) into per-second values,
 * percent staying that of the raw delta. Also the sort score (§3.2). */
#include <float.h>
#include <math.h>

#include "internal.h"

void ctp_row_deltas(struct ctp_row *r, enum ctp_delta_mode mode)
{
	size_t n = ctp_cmetric_count();
	for (size_t i = 0; i < n; i++) {
		struct ctp_cell *c = &r->cells[i];
		c->delta_ok = c->pct_ok = false;
		c->delta = c->pct = 0;
		if (mode == CTP_DELTA_ABSOLUTE || !c->base_ok || !c->live_ok)
			continue;
		double d = c->live - c->base;
		c->delta = d;
		c->delta_ok = true;
		if (!ctp_cmetric(i)->is_ratio && fabs(c->base) > DBL_EPSILON) {
			c->pct = d / c->base;
			c->pct_ok = true;
		}
	}
}

void ctp_row_per_second(struct ctp_row *r, double elapsed_s)
{
	size_t n = ctp_cmetric_count();
	for (size_t i = 0; elapsed_s > 0 && i < n; i++)
		if (ctp_cmetric(i)->monotonic && r->cells[i].delta_ok)
			r->cells[i].delta /= elapsed_s;
}

double ctp_cell_score(const struct ctp_cell *c)
{
	if (c->pct_ok)
		return fabs(c->pct);
	if (c->delta_ok)
		return fabs(c->delta) * 1e9;
	return -INFINITY;
}
