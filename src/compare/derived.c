/* derived.c — the derived metrics (data/derived.def, compare.md §2.4) of one side of a row,
 * computed from that side's group aggregates: ratio a/b, share a/(a+b), signed difference, the
 * total off-CPU delay and per-thread means; any absent input or a zero denominator leaves the
 * value absent. With opts.window_derived the live side of ratios and means is the formula over
 * the window's input deltas instead (Δwait_sum / Δwait_count), the derived sums' delta the
 * formula over them. Also the origin column (EXT: ours). */
#include <float.h>
#include <math.h>

#include "internal.h"

enum { WINDOW = 2 }; /* the "side" of the window: the inputs' raw deltas */

/* an input of one side; the window's inputs are the raw deltas (Σ per-thread deltas with
 * tid_deltas), a new row's counted from 0 (its live values) */
static bool side_val(const struct ctp_row *r, int m, int side, double *v)
{
	if (m < 0)
		return false;
	const struct ctp_cell *c = &r->cells[m];
	if (side == WINDOW) {
		*v = c->delta_ok ? c->delta : c->live;
		return c->delta_ok || (r->status == CTP_ROW_NEW && c->live_ok);
	}
	*v = side ? c->live : c->base;
	return side ? c->live_ok : c->base_ok;
}

static bool field_val(const struct ctp_row *r, int field, int side, double *v)
{
	return side_val(r, ctp_cmetric_of_field(field), side, v);
}

const int ctp_offcpu_fields[8] = { CTP_F_cpu_delay_total_ns,     CTP_F_blkio_delay_total_ns,
				   CTP_F_freepages_delay_total_ns, CTP_F_compact_delay_total_ns,
				   CTP_F_wpcopy_delay_total_ns,   CTP_F_irq_delay_total_ns,
				   CTP_F_swapin_delay_total_ns,   CTP_F_thrashing_delay_total_ns };

/* cpu+blkio+freepages+compact+wpcopy+irq totals + max(swapin, thrashing) */
static bool offcpu(const struct ctp_row *r, int side, double *out)
{
	double total = 0, v, sw, th;
	for (size_t i = 0; i < 6; i++) {
		if (!field_val(r, ctp_offcpu_fields[i], side, &v))
			return false;
		total += v;
	}
	if (!field_val(r, ctp_offcpu_fields[6], side, &sw) || !field_val(r, ctp_offcpu_fields[7], side, &th))
		return false;
	*out = total + (sw > th ? sw : th);
	return true;
}

/* a per thread per second: a / the thread-seconds the side covers; ns per ns of time */
static bool perthr(const struct ctp_dmetric *d, const struct ctp_row *r, int side, const struct ctp_dside *ds,
		   double *out)
{
	double a;
	if (!ds || !ds->ok || !(ds->thread_s > 0) || !side_val(r, d->a, side, &a) || a < 0)
		return false;
	*out = a / ds->thread_s;
	if (ctp_cmetric((size_t)d->a)->ladder == CTP_LADDER_NS)
		*out /= 1e9;
	return true;
}

/* the formula over one side's inputs; the window refuses negative inputs (an aggregate diff
 * whose threads exited) and non-positive denominators */
static bool eval(const struct ctp_dmetric *d, const struct ctp_row *r, int side, const struct ctp_dside *ds,
		 double *out)
{
	double a, b;
	if (d->op == CTP_DOP_OFFCPU)
		return offcpu(r, side, out);
	if (d->op == CTP_DOP_PERTHR)
		return perthr(d, r, side, ds, out);
	if (!side_val(r, d->a, side, &a) || !side_val(r, d->b, side, &b))
		return false;
	if (side == WINDOW && d->op != CTP_DOP_DIFF && (a < 0 || b < 0))
		return false;
	switch (d->op) {
	case CTP_DOP_RATIO:
		if (b == 0)
			return false;
		*out = a / b;
		return true;
	case CTP_DOP_RSUM:
		if (a + b == 0)
			return false;
		*out = a / (a + b);
		return true;
	default:
		*out = a - b;
		return true;
	}
}

void ctp_derived_fill(struct ctp_row *r, int side, const struct ctp_dside *ds)
{
	for (size_t i = 0; i < CTP_NDERIVED; i++) {
		struct ctp_cell *c = &r->cells[CTP_NPRIMARY + i];
		double v = 0;
		bool ok = eval(ctp_dmetric(i), r, side, ds, &v);
		ctp_cell_set_side(c, side, ok, v);
	}
}

/* percent of a window delta: never for unitless ratios */
static void set_pct(struct ctp_cell *c, bool is_ratio)
{
	c->pct_ok = c->delta_ok && !is_ratio && c->base_ok && fabs(c->base) > DBL_EPSILON;
	c->pct = c->pct_ok ? c->delta / c->base : 0;
}

void ctp_derived_window(struct ctp_row *r, const struct ctp_dside *window)
{
	for (size_t i = 0; i < CTP_NDERIVED; i++) {
		const struct ctp_dmetric *d = ctp_dmetric(i);
		const struct ctp_cmetric *m = ctp_cmetric(CTP_NPRIMARY + i);
		struct ctp_cell *c = &r->cells[CTP_NPRIMARY + i];
		double v = 0;
		if (d->op == CTP_DOP_DIFF || d->op == CTP_DOP_OFFCPU) { /* sums: the inputs' delta */
			c->delta_ok = c->base_ok && c->live_ok && eval(d, r, WINDOW, NULL, &v);
			c->delta = c->delta_ok ? v : 0;
			set_pct(c, m->is_ratio);
			continue;
		}
		bool ok = r->status != CTP_ROW_GONE && eval(d, r, WINDOW, window, &v);
		ctp_cell_set_side(c, 1, ok, v);
		c->delta_ok = c->base_ok && c->live_ok;
		c->delta = c->delta_ok ? c->live - c->base : 0;
		set_pct(c, m->is_ratio);
	}
}

/* the origin column of data/derived.def: true for ours (EXT) */
static const bool derived_ext[CTP_NDERIVED] = {
#define KTSTR false
#define EXT true
#define D(name, op, a, b, ladder, is_ratio, csection, group, origin, help) origin,
#include "../../data/derived.def"
#undef D
#undef KTSTR
#undef EXT
};

bool ctp_cmetric_is_ext(size_t i)
{
	const struct ctp_cmetric *m = ctp_cmetric(i);
	return m && m->derived >= 0 && derived_ext[m->derived];
}

bool ctp_cmetric_cpu_share(size_t i)
{
	const struct ctp_cmetric *m = ctp_cmetric(i);
	const struct ctp_dmetric *d = m && m->derived >= 0 ? ctp_dmetric((size_t)m->derived) : NULL;
	return d && d->op == CTP_DOP_PERTHR && d->a >= 0 && ctp_cmetric((size_t)d->a)->ladder == CTP_LADDER_NS;
}
