/* derived.c — the 17 derived metrics (data/derived.def, compare.md §2.4) of one side of a row,
 * computed from that side's group aggregates: ratio a/b, share a/(a+b), signed difference and
 * the total off-CPU delay. Any absent input or a zero denominator leaves the value absent.
 * Rate mode also evaluates them over the window's input deltas (Δwait_sum / Δwait_count). */
#include "internal.h"

static bool side_val(const struct ctp_row *r, int m, int side, double *v)
{
	if (m < 0)
		return false;
	const struct ctp_cell *c = &r->cells[m];
	if (side == 2) { /* the window: input deltas */
		*v = c->delta;
		return c->delta_ok;
	}
	*v = side ? c->live : c->base;
	return side ? c->live_ok : c->base_ok;
}

static bool field_val(const struct ctp_row *r, int field, int side, double *v)
{
	return side_val(r, ctp_cmetric_of_field(field), side, v);
}

/* cpu+blkio+freepages+compact+wpcopy+irq totals + max(swapin, thrashing) */
static bool offcpu(const struct ctp_row *r, int side, double *out)
{
	static const int sum_fields[] = { CTP_F_cpu_delay_total_ns,     CTP_F_blkio_delay_total_ns,
					  CTP_F_freepages_delay_total_ns, CTP_F_compact_delay_total_ns,
					  CTP_F_wpcopy_delay_total_ns,   CTP_F_irq_delay_total_ns };
	double total = 0, v, sw, th;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(sum_fields); i++) {
		if (!field_val(r, sum_fields[i], side, &v))
			return false;
		total += v;
	}
	if (!field_val(r, CTP_F_swapin_delay_total_ns, side, &sw) ||
	    !field_val(r, CTP_F_thrashing_delay_total_ns, side, &th))
		return false;
	*out = total + (sw > th ? sw : th);
	return true;
}

static bool eval(const struct ctp_dmetric *d, const struct ctp_row *r, int side, double *out)
{
	double a, b;
	if (d->op == CTP_DOP_OFFCPU)
		return offcpu(r, side, out);
	if (!side_val(r, d->a, side, &a) || !side_val(r, d->b, side, &b))
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

void ctp_derived_fill(struct ctp_row *r, int side)
{
	for (size_t i = 0; i < CTP_NDERIVED; i++) {
		struct ctp_cell *c = &r->cells[CTP_NPRIMARY + i];
		double v = 0;
		bool ok = eval(ctp_dmetric(i), r, side, &v);
		ctp_cell_set_side(c, side, ok, v);
	}
}

void ctp_derived_window(struct ctp_row *r)
{
	for (size_t i = 0; i < CTP_NDERIVED; i++) {
		struct ctp_cell *c = &r->cells[CTP_NPRIMARY + i];
		double v = 0;
		c->delta_ok = eval(ctp_dmetric(i), r, 2, &v);
		c->delta = c->delta_ok ? v : 0;
		c->pct_ok = false;
		c->pct = 0;
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
