/* spread.c — spread within a group (issue 17 item 1): for every monotonic counter, min, p50,
 * p90, max and imbalance (max / median) over the per-thread deltas of a group's live threads
 * in the interval. Computed by table.c when ctp_compare_opts.spread asks for it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* linear interpolation between the closest ranks of sorted v */
static double percentile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

void ctp_spread_of(double *v, size_t n, struct ctp_spread *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	out->n = n;
	out->ok = true;
	out->min = v[0];
	out->max = v[n - 1];
	out->p50 = percentile(v, n, 0.5);
	out->p90 = percentile(v, n, 0.9);
	out->imb_ok = out->p50 > 0;
	out->imbalance = out->imb_ok ? out->max / out->p50 : 0;
}

void ctp_spread_fill(struct ctp_row *r, const struct ctp_thread *const *live, const struct ctp_thread *const *base,
		     size_t n, double per_s)
{
	size_t nm = ctp_cmetric_count();
	double *v = ctp_xmalloc((n + 1) * sizeof(*v));
	free(r->spread);
	r->spread = ctp_xcalloc(nm, sizeof(*r->spread));
	for (size_t m = 1; m < ctp_cmetric_primary_count(); m++) {
		const struct ctp_cmetric *c = ctp_cmetric(m);
		if (!c->monotonic || c->field < 0 || ctp_fields[c->field].kind != CTP_KIND_U64 || !r->cells[m].delta_ok)
			continue;
		size_t off = ctp_fields[c->field].offset;
		for (size_t i = 0; i < n; i++) {
			double d = (double)*(const uint64_t *)((const char *)live[i] + off);
			if (base[i])
				d -= (double)*(const uint64_t *)((const char *)base[i] + off);
			v[i] = per_s > 0 ? d / per_s : d;
		}
		ctp_spread_of(v, n, &r->spread[m]);
	}
	free(v);
}
