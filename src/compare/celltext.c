/* celltext.c — the text of one compare cell: in ktstr's formats for the offline report (a side's
 * value "1.500ms", "-5..10", "SCHED_OTHER (3/5)", "4 cpus (0-3)", the delta "+50ns" or
 * "same"/"differs", the percent), and the compact display texts of the live view and batch
 * (ctp_cell_show: "80.2%" of a CPU, "0.87→0.60", "≫"); "-" for what was not measured or does
 * not exist. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

char *ctp_cell_value_text(const struct ctp_row *r, size_t metric, int side, char *buf)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	const struct ctp_cell *c = &r->cells[metric];
	bool ok = side ? c->live_ok : c->base_ok;
	double v = side ? c->live : c->base;
	if (m && m->cat >= 0) {
		const struct ctp_catval *cv = &r->cats[m->cat][side ? 1 : 0];
		switch (cv->kind) {
		case CTP_CAT_RANGE:
			if (cv->lo == cv->hi)
				snprintf(buf, CTP_FMT_MAX, "%lld", (long long)cv->lo);
			else
				snprintf(buf, CTP_FMT_MAX, "%lld..%lld", (long long)cv->lo, (long long)cv->hi);
			return buf;
		case CTP_CAT_MODE:
			if (cv->count == cv->total)
				snprintf(buf, CTP_FMT_MAX, "%.*s", CTP_FMT_MAX - 1, cv->text);
			else
				snprintf(buf, CTP_FMT_MAX, "%.40s (%llu/%llu)", cv->text, (unsigned long long)cv->count,
					 (unsigned long long)cv->total);
			return buf;
		case CTP_CAT_AFFINITY:
			if (cv->text)
				snprintf(buf, CTP_FMT_MAX, "%lld cpus (%.40s)", (long long)cv->lo, cv->text);
			else if (cv->lo == cv->hi)
				snprintf(buf, CTP_FMT_MAX, "%lld cpus (mixed)", (long long)cv->lo);
			else
				snprintf(buf, CTP_FMT_MAX, "%lld-%lld cpus (mixed)", (long long)cv->lo, (long long)cv->hi);
			return buf;
		default:
			return strcpy(buf, CTP_FMT_ABSENT);
		}
	}
	if (!m || !ok)
		return strcpy(buf, CTP_FMT_ABSENT);
	if (m->rule == CTP_CR_DERIVED)
		return ctp_fmt_derived(buf, v, m->ladder, m->is_ratio, false);
	return ctp_fmt_value(buf, v, m->ladder);
}

char *ctp_cell_delta_text(const struct ctp_row *r, size_t metric, char *buf)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	const struct ctp_cell *c = &r->cells[metric];
	if (m && m->rule == CTP_CR_MODE) {
		const struct ctp_catval *a = &r->cats[m->cat][0], *b = &r->cats[m->cat][1];
		if (a->kind != CTP_CAT_MODE || b->kind != CTP_CAT_MODE)
			return strcpy(buf, CTP_FMT_ABSENT);
		return strcpy(buf, strcmp(a->text, b->text) ? "differs" : "same");
	}
	if (!m || !c->delta_ok)
		return strcpy(buf, CTP_FMT_ABSENT);
	if (m->rule == CTP_CR_DERIVED)
		return ctp_fmt_derived(buf, c->delta, m->ladder, m->is_ratio, true);
	return ctp_fmt_delta(buf, c->delta, m->ladder);
}

char *ctp_cell_pct_text(const struct ctp_row *r, size_t metric, char *buf)
{
	const struct ctp_cell *c = &r->cells[metric];
	if (!c->pct_ok)
		return strcpy(buf, CTP_FMT_ABSENT);
	return ctp_fmt_pct(buf, c->pct);
}

/* ------------------------------------------------------- display texts ---- */
/* the pct threshold: a percent on a base under 1% of the live value (live over 100 x base)
 * prints as much more / much less, not as +136033% */
#define PCT_TINY_BASE 100.0

static bool is_categorical(const struct ctp_cmetric *m)
{
	return m->cat >= 0;
}

/* derived ratio or mean (RATIO/RSUM and any per-thread mean): a level, shown as a window pair;
 * the derived sums (DIFF, OFFCPU) are counters and get deltas */
static bool is_level(const struct ctp_cmetric *m)
{
	if (m->rule != CTP_CR_DERIVED)
		return false;
	const struct ctp_dmetric *d = ctp_dmetric((size_t)m->derived);
	return !d || (d->op != CTP_DOP_DIFF && d->op != CTP_DOP_OFFCPU);
}

/* no quantity: a CPU number, a nice value, a priority, a policy, a process's thread count (the
 * largest of the group's processes) — a percent of one says nothing */
static bool is_ordinal(const struct ctp_cmetric *m)
{
	return is_categorical(m) || (m->field >= 0 && m->group == CTP_SECTION_IDENTITY);
}

/* RATE mode: a ratio or mean is a level (the window value) like every rate, its base is the
 * previous sample's own value: no delta; and no percent at all (a rate over a lifetime total) */
static bool no_delta(const struct ctp_table *t, const struct ctp_cmetric *m)
{
	return t->mode == CTP_DELTA_RATE && is_level(m);
}

static bool no_pct(const struct ctp_table *t, const struct ctp_cmetric *m)
{
	return t->mode == CTP_DELTA_RATE || is_ordinal(m);
}

/* a per-second rate in RATE and WINDOW mode: lifetime counters and the derived sums */
static bool is_rate(const struct ctp_table *t, const struct ctp_cmetric *m)
{
	return (t->mode == CTP_DELTA_RATE || t->mode == CTP_DELTA_WINDOW) &&
	       (m->monotonic || (m->rule == CTP_CR_DERIVED && !is_level(m)));
}

/* one number, compact; ratios with two decimals, a share of one CPU as a percent ("80.2%") */
static char *compact(char *buf, double v, size_t metric, const struct ctp_cmetric *m, bool with_sign)
{
	if (ctp_cmetric_cpu_share(metric))
		return ctp_fmt_rate(buf, v * 1e9, CTP_LADDER_NS, with_sign);
	if (m->is_ratio) {
		snprintf(buf, CTP_FMT_MAX, with_sign ? "%+.2f" : "%.2f", v == 0 ? 0.0 : v);
		return buf;
	}
	return ctp_fmt_compact(buf, v, m->ladder, with_sign);
}

char *ctp_cell_number_text(const struct ctp_table *t, size_t metric, double v, char *buf)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	if (is_rate(t, m))
		return ctp_fmt_rate(buf, v, m->ladder, false);
	return compact(buf, v, metric, m, false);
}

static char *side_text(const struct ctp_table *t, const struct ctp_row *r, size_t metric, const struct ctp_cmetric *m,
		       bool live, char *buf)
{
	const struct ctp_cell *c = &r->cells[metric];
	if (is_categorical(m))
		return ctp_cell_value_text(r, metric, live, buf);
	if (!(live ? c->live_ok : c->base_ok))
		return strcpy(buf, CTP_FMT_ABSENT);
	if (t->mode == CTP_DELTA_WINDOW && is_rate(t, m)) /* each side a per-second level */
		return ctp_fmt_rate(buf, live ? c->live : c->base, m->ladder, false);
	return compact(buf, live ? c->live : c->base, metric, m, false);
}

static char *pct_text(const struct ctp_cell *c, bool ascii, char *buf)
{
	if (!c->pct_ok) {
		bool moved = c->base_ok && c->live_ok && c->base == 0 && c->live != 0;
		return strcpy(buf, moved ? "new" : CTP_FMT_ABSENT);
	}
	if (c->live_ok && fabs(c->base) * PCT_TINY_BASE < fabs(c->live))
		return strcpy(buf, c->pct >= 0 ? (ascii ? ">>" : "\u226b") : (ascii ? "<<" : "\u226a"));
	return ctp_fmt_pct(buf, c->pct);
}

static char *delta_text(const struct ctp_table *t, const struct ctp_cell *c, size_t metric,
			const struct ctp_cmetric *m, char *buf)
{
	if (!c->delta_ok)
		return strcpy(buf, CTP_FMT_ABSENT);
	if (is_rate(t, m)) /* RATE: a level, no sign (a negative one keeps its '-'); WINDOW: Δ/s */
		return ctp_fmt_rate(buf, c->delta, m->ladder, t->mode == CTP_DELTA_WINDOW);
	return compact(buf, c->delta, metric, m, true);
}

/* "0.87→0.60": base→live, '-' for a side that does not exist */
static char *pair_text(const struct ctp_table *t, const struct ctp_row *r, size_t metric, const struct ctp_cmetric *m,
		       bool ascii, char *buf)
{
	const struct ctp_cell *c = &r->cells[metric];
	if (!c->base_ok && !c->live_ok)
		return strcpy(buf, CTP_FMT_ABSENT);
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX];
	snprintf(buf, CTP_FMT_MAX, "%s%s%s", side_text(t, r, metric, m, false, a), ascii ? "->" : "\u2192",
		 side_text(t, r, metric, m, true, b));
	return buf;
}

enum ctp_cell_kind ctp_cell_kind(const struct ctp_table *t, size_t metric)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	if (!m || t->mode == CTP_DELTA_ABSOLUTE || is_categorical(m) || no_delta(t, m))
		return CTP_CELL_LIVE;
	if (is_level(m))
		return CTP_CELL_PAIR;
	if (is_rate(t, m)) /* WINDOW: the signed change of the rate */
		return t->mode == CTP_DELTA_WINDOW ? CTP_CELL_DELTA : CTP_CELL_RATE;
	return t->mode == CTP_DELTA_BASELINE ? CTP_CELL_DELTA : CTP_CELL_LIVE; /* gauges in RATE/WINDOW */
}

/* the cell of a new or gone row (one side only), in every mode with a base: the present side
 * unsigned (counters, gauges, categorical), ratios and means "-→0.42" / "0.51→-"; in RATE mode
 * a new row its rate (from 0, or its delta when its threads existed under another name) and
 * its window values, a gone row '-' (no interval left) */
static char *one_sided(const struct ctp_table *t, const struct ctp_row *r, size_t metric,
		       const struct ctp_cmetric *m, bool ascii, char *buf)
{
	bool gone = r->status == CTP_ROW_GONE;
	enum ctp_cell_kind k = ctp_cell_kind(t, metric);
	if (t->mode == CTP_DELTA_RATE && gone)
		return strcpy(buf, CTP_FMT_ABSENT);
	if (k == CTP_CELL_PAIR)
		return pair_text(t, r, metric, m, ascii, buf);
	if (k == CTP_CELL_RATE)
		return delta_text(t, &r->cells[metric], metric, m, buf);
	return side_text(t, r, metric, m, !gone, buf);
}

char *ctp_cell_show(const struct ctp_table *t, const struct ctp_row *r, size_t metric, enum ctp_show what,
		    char *buf)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	bool ascii = what & CTP_SHOW_ASCII;
	what &= ~CTP_SHOW_ASCII;
	if (!m)
		return strcpy(buf, CTP_FMT_ABSENT);
	const struct ctp_cell *c = &r->cells[metric];
	if (what == CTP_SHOW_CELL && t->has_base && r->status != CTP_ROW_MATCHED)
		return one_sided(t, r, metric, m, ascii, buf);
	if (what == CTP_SHOW_CELL) {
		enum ctp_cell_kind k = ctp_cell_kind(t, metric);
		if (k == CTP_CELL_PAIR)
			return pair_text(t, r, metric, m, ascii, buf);
		what = k == CTP_CELL_LIVE ? CTP_SHOW_LIVE : CTP_SHOW_DELTA;
	}
	const char *flip = what == CTP_SHOW_DELTA ? ctp_cell_gate_flip(t, r, metric, ascii) : NULL;
	if (flip) /* issue 17: a kernel switch between the sides, not a change */
		return strcpy(buf, flip);
	switch (what) {
	case CTP_SHOW_BASE:
	case CTP_SHOW_LIVE: return side_text(t, r, metric, m, what == CTP_SHOW_LIVE, buf);
	case CTP_SHOW_PCT: return no_pct(t, m) ? strcpy(buf, CTP_FMT_ABSENT) : pct_text(c, ascii, buf);
	default: return no_delta(t, m) ? strcpy(buf, CTP_FMT_ABSENT) : delta_text(t, c, metric, m, buf);
	}
}

void ctp_cell_reported(const struct ctp_table *t, const struct ctp_row *r, size_t metric, struct ctp_cell *out)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	*out = r->cells[metric];
	if (m && no_delta(t, m))
		out->delta_ok = false;
	if (m && no_pct(t, m))
		out->pct_ok = false;
}

char *ctp_row_threads_text(const struct ctp_table *t, const struct ctp_row *r, bool ascii, char *buf)
{
	if (!t->has_base || r->nthreads_base == r->nthreads_live)
		snprintf(buf, CTP_FMT_MAX, "%zu", r->nthreads_live);
	else
		snprintf(buf, CTP_FMT_MAX, "%zu%s%zu", r->nthreads_base, ascii ? "->" : "\u2192", r->nthreads_live);
	return buf;
}

const char *ctp_cell_unit(const struct ctp_table *t, size_t metric)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	if (m && ctp_cmetric_cpu_share(metric))
		return "%cpu";
	if (!m || m->is_ratio || is_categorical(m))
		return "";
	if (is_rate(t, m)) {
		switch (m->ladder) {
		case CTP_LADDER_NS:
		case CTP_LADDER_US:
		case CTP_LADDER_TICKS: return "%cpu";
		case CTP_LADDER_BYTES: return "B/s";
		default: return "/s";
		}
	}
	return m->ladder == CTP_LADDER_TICKS ? "s" : ctp_ladder_suffix(m->ladder);
}

const char *ctp_cell_raw_unit(const struct ctp_table *t, size_t metric)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	if (!m || m->is_ratio || is_categorical(m))
		return "";
	if (!is_rate(t, m))
		return ctp_ladder_suffix(m->ladder);
	switch (m->ladder) {
	case CTP_LADDER_NS: return "ns/s";
	case CTP_LADDER_US: return "\xc2\xb5s/s";
	case CTP_LADDER_TICKS: return "ticks/s";
	case CTP_LADDER_BYTES: return "B/s";
	default: return "/s";
	}
}
