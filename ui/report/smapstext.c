/* smapstext.c — the compare smaps_rollup table in ktstr's shape (smaps.rs): the long layout's
 * cells (--display-format, --columns) with "    <process>" in the group cell (the all axis: under
 * cgroup segment headings), the smaps key in the metric cell, threads/uptime/tags empty, the byte
 * sums' delta and percent ("+100.0%"). */
#include "report/smapstext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"

void ctp_smaps_header(struct ctp_tgrid *g, const struct ctp_ldisplay *d)
{
	ctp_tgrid_row(g);
	for (size_t c = 0; c < d->ncols; c++)
		ctp_tgrid_set(g, c, d->cols[c] == CTP_LC_GROUP ? (d->axis == CTP_AXIS_ALL ? "comm" : "pcomm")
							      : ctp_lcol_header(d->cols[c]), 2);
}

/* segment i of a cgroup path ("/a/b": "a", "b"), its length; 0 past the end */
static size_t seg(const char *p, size_t n, size_t i, const char **out)
{
	size_t k = 0, at = 0;
	while (at < n) {
		while (at < n && p[at] == '/')
			at++;
		size_t e = at;
		while (e < n && p[e] != '/')
			e++;
		if (e > at && k++ == i) {
			*out = p + at;
			return e - at;
		}
		at = e;
	}
	return 0;
}

/* ktstr: the cgroup segments after the common prefix with the previous row's, as headings indented
 * two spaces a level in the group cell; returns the depth (segments) of this row's cgroup */
static size_t tree_headings(struct ctp_tgrid *g, const struct ctp_srow *r, const struct ctp_ldisplay *d,
			    char **last_cg)
{
	const char *cg = r->group, *prev = *last_cg ? *last_cg : "", *a, *b;
	size_t n = r->cg_len, depth = 0, common = 0, gc = 0;
	while (gc < d->ncols && d->cols[gc] != CTP_LC_GROUP)
		gc++;
	while (seg(cg, n, depth, &a))
		depth++;
	for (size_t la, lb; common < depth; common++) {
		la = seg(cg, n, common, &a);
		lb = seg(prev, strlen(prev), common, &b);
		if (la != lb || memcmp(a, b, la))
			break;
	}
	bool same = *last_cg && strlen(prev) == n && !memcmp(prev, cg, n);
	for (size_t i = common; !same && i < depth && gc < d->ncols; i++) {
		char h[512];
		size_t l = seg(cg, n, i, &a);
		snprintf(h, sizeof(h), "%*s%.*s", (int)(2 * i), "", (int)l, a);
		ctp_tgrid_row(g);
		ctp_tgrid_set(g, gc, h, i == 0 ? 4 : i == 1 ? 5 : 6);
	}
	free(*last_cg);
	*last_cg = ctp_xstrndup(cg, n);
	return depth;
}

void ctp_smaps_row(struct ctp_tgrid *g, const struct ctp_srow *r, const struct ctp_ldisplay *d, char **last_cg)
{
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX], dt[CTP_FMT_MAX], pct[32], v[2 * CTP_FMT_MAX + 8], grp[512];
	const char *bt = r->base_ok ? ctp_fmt_value(a, r->base, r->ladder) : "-";
	const char *lt = r->live_ok ? ctp_fmt_value(b, r->live, r->ladder) : "-";
	bool both = r->base_ok && r->live_ok;
	struct ctp_cell c = { .delta = r->live - r->base, .delta_ok = both, .pct_ok = both && r->base > 0 };
	c.pct = c.pct_ok ? c.delta / r->base : 0;
	if (both)
		ctp_fmt_delta(dt, c.delta, r->ladder);
	else
		strcpy(dt, "-");
	if (c.pct_ok)
		snprintf(pct, sizeof(pct), "%+.1f%%", c.pct * 100.0);
	else
		strcpy(pct, "-");
	snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", bt, lt);
	size_t depth = r->cg_len ? tree_headings(g, r, d, last_cg) : 0;
	/* ktstr: "  " per cgroup level plus one, two more, the process */
	snprintf(grp, sizeof(grp), "%*s%s", (int)(2 * depth + 4), "", r->group + (r->cg_len ? r->cg_len + 1 : 0));
	ctp_tgrid_row(g);
	for (size_t k = 0; k < d->ncols; k++) {
		const char *s = "";
		int tone = 0;
		switch (d->cols[k]) {
		case CTP_LC_GROUP: s = grp; break;
		case CTP_LC_METRIC: s = r->name; break;
		case CTP_LC_BASELINE: s = bt; break;
		case CTP_LC_CANDIDATE:
		case CTP_LC_VALUE: s = lt; break;
		case CTP_LC_ARROW: s = v; break;
		case CTP_LC_DELTA: s = dt, tone = ctp_tone_of(&c, false); break;
		case CTP_LC_PCT: s = pct, tone = ctp_tone_of(&c, true); break;
		default: break; /* threads, tags, uptime: empty */
		}
		if (*s) /* an empty cell stays unset: no trailing blanks */
			ctp_tgrid_set(g, k, s, tone);
	}
}
