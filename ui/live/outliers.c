/* outliers.c — the thread view's outlier threads (issue 17 item 1): the median of the sort
 * column's per-thread values over the group's threads, and which threads stand out from it
 * (more than CTP_OUTLIER_FACTOR x the median, or the largest at an imbalance of that much). */
#include <stdlib.h>

#include "base/util.h"
#include "live/outliers.h"

/* the thread's value of metric: its delta (rates, since start, vs baseline), else its live value */
static bool row_value(const struct ctp_row *r, int metric, double *v)
{
	const struct ctp_cell *c = &r->cells[metric];
	if (c->delta_ok)
		*v = c->delta;
	else if (c->live_ok)
		*v = c->live;
	else
		return false;
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bool *ctp_outliers_mark(const struct ctp_table *t, int metric)
{
	if (metric < 0 || (size_t)metric >= ctp_cmetric_count() || !t->nview)
		return NULL;
	double *v = ctp_xcalloc(t->nview, sizeof(double)), max = 0;
	size_t n = 0;
	for (size_t i = 0; i < t->nview; i++)
		if (row_value(&t->rows[t->view[i]], metric, &v[n]))
			n++;
	if (n < 2) {
		free(v);
		return NULL;
	}
	qsort(v, n, sizeof(double), cmp_double);
	double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	max = v[n - 1];
	free(v);
	if (!(median > 0))
		return NULL;
	bool *out = ctp_xcalloc(t->nrows, sizeof(bool)), any = false;
	for (size_t i = 0; i < t->nview; i++) {
		double x;
		if (!row_value(&t->rows[t->view[i]], metric, &x))
			continue;
		if (x > CTP_OUTLIER_FACTOR * median || (x == max && max >= CTP_OUTLIER_FACTOR * median))
			out[t->view[i]] = any = true;
	}
	if (!any) {
		free(out);
		return NULL;
	}
	return out;
}
