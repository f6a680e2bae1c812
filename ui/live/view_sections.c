/* view_sections.c — the cgroup view (C: cpu.stat, limits, memory.stat/events, pressure per
 * cgroup) and the host view (H: host context, host PSI, sched_ext), both baseline vs live,
 * rendered from the compare engine's secondary sections. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/grid.h"
#include "live/theme.h"
#include "live/view.h"

struct sections_view {
	struct ctp_view v;
	bool host;
	struct ctp_grid grid;
	uint64_t gen;
	bool built;
	long sel;
	size_t first;
	int last_h;
	int hscroll;
	char err[300];
};

static bool wanted(const struct sections_view *sv, const char *section)
{
	static const char *const host_secs[] = { "host", "host-pressure", "sched-ext" };
	static const char *const cg_secs[] = { "cgroup-stats", "cgroup-limits", "memory-stat", "memory-events", "pressure" };
	const char *const *list = sv->host ? host_secs : cg_secs;
	size_t n = sv->host ? CTP_ARRAY_SIZE(host_secs) : CTP_ARRAY_SIZE(cg_secs);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], section))
			return true;
	return false;
}

static void side_text(const struct ctp_srow *r, int side, char *buf)
{
	bool ok = side ? r->live_ok : r->base_ok;
	const char *txt = side ? r->live_text : r->base_text;
	if (txt)
		snprintf(buf, CTP_FMT_MAX, "%s", txt);
	else if (ok)
		ctp_fmt_value(buf, side ? r->live : r->base, r->ladder);
	else
		strcpy(buf, CTP_FMT_ABSENT);
}

static void fill(struct sections_view *sv, struct ctp_top *t, const struct ctp_sections *s, bool has_base)
{
	struct ctp_grid *g = &sv->grid;
	ctp_grid_clear(g);
	ctp_grid_add_col(g, "SECTION", false, 3, 0, -1);
	ctp_grid_add_col(g, sv->host ? "ITEM" : "CGROUP", false, 0, 40, -1);
	ctp_grid_add_col(g, "FIELD", false, 0, 28, -1);
	if (has_base)
		ctp_grid_add_col(g, "BASE", true, 2, 32, -1);
	int live_col = ctp_grid_add_col(g, "LIVE", true, 0, 32, -1);
	int delta_col = has_base ? ctp_grid_add_col(g, "DELTA", true, 1, 0, -1) : -1;
	char buf[CTP_FMT_MAX];
	for (size_t i = 0; i < s->n; i++) {
		const struct ctp_srow *r = &s->v[i];
		if (!wanted(sv, r->section))
			continue;
		if (!sv->host && !ctp_top_filter_match(t, r->group))
			continue;
		struct ctp_grid_row *gr = ctp_grid_add_row(g, NULL);
		ctp_grid_set(gr, 0, r->section, CTP_ROLE_DIM);
		ctp_grid_set(gr, 1, r->group, CTP_ROLE_NORMAL);
		ctp_grid_set(gr, 2, r->name, CTP_ROLE_NORMAL);
		if (has_base) {
			side_text(r, 0, buf);
			ctp_grid_set(gr, 3, buf, CTP_ROLE_NORMAL);
		}
		side_text(r, 1, buf);
		ctp_grid_set(gr, (size_t)live_col, buf, r->changed && has_base ? CTP_ROLE_WARN : CTP_ROLE_NORMAL);
		if (delta_col < 0)
			continue;
		if (r->base_ok && r->live_ok && !r->base_text && !r->live_text) {
			double d = r->live - r->base;
			ctp_fmt_delta(buf, d, r->ladder);
			ctp_grid_set(gr, (size_t)delta_col, buf, d > 0 ? CTP_ROLE_DELTA_UP : d < 0 ? CTP_ROLE_DELTA_DOWN : CTP_ROLE_NORMAL);
		} else {
			ctp_grid_set(gr, (size_t)delta_col, r->changed ? "differs" : "same", r->changed ? CTP_ROLE_WARN : CTP_ROLE_DIM);
		}
	}
}

static void rebuild(struct sections_view *sv, struct ctp_top *t)
{
	sv->gen = t->gen;
	sv->built = true;
	sv->err[0] = 0;
	if (!t->live)
		return;
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_top_copts(t, &o);
	o.axis = CTP_AXIS_CGROUP; /* the cgroup sections exist on the cgroup axis only */
	o.sort.n = 0;
	struct ctp_sections s = { 0 };
	struct ctp_err err = { 0 };
	if (ctp_sections_build(base, t->live, &o, false, &s, &err) < 0) {
		ctp_err_str(&err, sv->err, sizeof(sv->err));
		ctp_sections_release(&s);
		return;
	}
	fill(sv, t, &s, base != NULL);
	ctp_sections_release(&s);
}

static void sv_draw(struct ctp_view *v, struct ctp_top *t, int y, int h, int w)
{
	struct sections_view *sv = (struct sections_view *)v;
	if (!sv->built || sv->gen != t->gen)
		rebuild(sv, t);
	sv->last_h = h;
	for (int i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	if (sv->err[0] || !t->live) {
		attron(ctp_theme_attr(CTP_ROLE_ERROR));
		mvaddnstr(y + 1, 1, sv->err[0] ? sv->err : "waiting for the first sample...", w - 1);
		attroff(ctp_theme_attr(CTP_ROLE_ERROR));
		return;
	}
	int rows = h - 1;
	if (sv->sel >= 0 && (size_t)sv->sel < sv->first)
		sv->first = (size_t)sv->sel;
	if (rows > 0 && sv->sel >= 0 && (size_t)sv->sel >= sv->first + (size_t)rows)
		sv->first = (size_t)sv->sel - (size_t)rows + 1;
	ctp_grid_draw(&sv->grid, y, rows, w, sv->first, sv->sel, sv->hscroll);
	if (!sv->grid.nrows)
		mvaddnstr(y + 2, 1, sv->host ? "no host context in these samples" : "no cgroup data (cgroup v2 missing?)", w - 1);
}

static void sv_title(struct ctp_view *v, struct ctp_top *t, char *buf, size_t len)
{
	struct sections_view *sv = (struct sections_view *)v;
	snprintf(buf, len, "[%s view: %zu rows]", sv->host ? "host" : "cgroup", sv->grid.nrows);
}

static bool sv_key(struct ctp_view *v, struct ctp_top *t, enum ctp_action a, int key)
{
	struct sections_view *sv = (struct sections_view *)v;
	long n = (long)sv->grid.nrows, page = sv->last_h > 2 ? sv->last_h - 2 : 1;
	if (ctp_view_move_sel(a, &sv->sel, n, page))
		return true;
	switch (a) {
	case CTP_ACT_LEFT: if (sv->hscroll) sv->hscroll--; return true;
	case CTP_ACT_RIGHT: sv->hscroll++; return true;
	case CTP_ACT_CGROUPS:
	case CTP_ACT_HOST: {
		bool host = a == CTP_ACT_HOST, was_host = sv->host;
		ctp_top_pop(t); /* frees sv */
		if (host != was_host) /* C from the host view switches to the cgroup view and back */
			ctp_top_push(t, host ? ctp_view_host_new() : ctp_view_cgroups_new());
		return true;
	}
	case CTP_ACT_ENTER: case CTP_ACT_DETAIL: case CTP_ACT_GROUP_CYCLE: return true;
	default: return false;
	}
}

static void sv_destroy(struct ctp_view *v)
{
	struct sections_view *sv = (struct sections_view *)v;
	ctp_grid_release(&sv->grid);
	free(sv);
}

static const struct ctp_view_ops sections_ops = {
	.title = sv_title,
	.draw = sv_draw,
	.on_key = sv_key,
	.destroy = sv_destroy,
};

static struct ctp_view *sv_new(bool host)
{
	struct sections_view *sv = ctp_xcalloc(1, sizeof(*sv));
	sv->v.ops = &sections_ops;
	sv->host = host;
	ctp_grid_init(&sv->grid);
	return &sv->v;
}

struct ctp_view *ctp_view_cgroups_new(void)
{
	return sv_new(false);
}

struct ctp_view *ctp_view_host_new(void)
{
	return sv_new(true);
}
