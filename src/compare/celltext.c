/* celltext.c — the text of one compare cell in ktstr's formats: a side's value ("1.500ms",
 * "-5..10", "SCHED_OTHER (3/5)", "4 cpus (0-3)"), the delta ("+50ns", "same"/"differs") and
 * the percent; "-" for whatever was not measured or does not exist. */
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
static bool shows_delta(const struct ctp_table *t, const struct ctp_cmetric *m)
{
	if (t->mode == CTP_DELTA_ABSOLUTE || m->cat >= 0)
		return false;
	return !(t->mode == CTP_DELTA_RATE && !m->monotonic && m->rule != CTP_CR_DERIVED);
}

char *ctp_cell_show(const struct ctp_table *t, const struct ctp_row *r, size_t metric, enum ctp_show what,
		    char *buf)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	const struct ctp_cell *c = &r->cells[metric];
	if (!m)
		return strcpy(buf, CTP_FMT_ABSENT);
	if (what == CTP_SHOW_CELL)
		what = shows_delta(t, m) ? CTP_SHOW_DELTA : CTP_SHOW_LIVE;
	switch (what) {
	case CTP_SHOW_BASE:
	case CTP_SHOW_LIVE:
		if (m->cat >= 0 || m->rule == CTP_CR_DERIVED)
			return ctp_cell_value_text(r, metric, what == CTP_SHOW_LIVE, buf);
		if (!(what == CTP_SHOW_LIVE ? c->live_ok : c->base_ok))
			return strcpy(buf, CTP_FMT_ABSENT);
		return ctp_fmt_compact(buf, what == CTP_SHOW_LIVE ? c->live : c->base, m->ladder, false);
	case CTP_SHOW_PCT:
		return ctp_cell_pct_text(r, metric, buf);
	default:
		if (!c->delta_ok)
			return strcpy(buf, CTP_FMT_ABSENT);
		if (m->is_ratio)
			return ctp_fmt_derived(buf, c->delta, m->ladder, true, true);
		if (t->mode == CTP_DELTA_RATE && m->monotonic)
			return ctp_fmt_rate(buf, c->delta, m->ladder, true);
		return ctp_fmt_compact(buf, c->delta, m->ladder, true);
	}
}

const char *ctp_cell_unit(const struct ctp_table *t, size_t metric)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	if (!m || m->is_ratio)
		return "";
	if (t->mode == CTP_DELTA_RATE && m->monotonic)
		return "/s";
	return ctp_ladder_suffix(m->ladder);
}
