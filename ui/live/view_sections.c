/* view_sections.c — the cgroup view (C: cpu.stat, limits, memory.stat/events, pressure per
 * cgroup, filtered by the session's filter) and the host view (H: host context, host PSI,
 * sched_ext), both baseline vs live, rendered from the compare engine's secondary sections into
 * the list base's grid. C and H switch between the two. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "live/listview.h"
#include "live/theme.h"
#include "live/view.h"

struct sections_view {
	struct ctp_view v;
	struct ctp_listview lv;
	bool host;
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

static void fill(struct sections_view *sv, const struct ctp_session *ss, const struct ctp_sections *s, bool has_base)
{
	struct ctp_grid *g = &sv->lv.grid;
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
		if (!sv->host && !ctp_session_filter_match(ss, r->group))
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

static void rebuild(struct sections_view *sv, const struct ctp_session *s)
{
	sv->lv.empty = sv->host ? "no host context in these samples" : "no cgroup data (cgroup v2 missing?)";
	if (!s->live) {
		sv->lv.note = "waiting for the first sample...";
		return;
	}
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_session_copts(s, &o);
	o.axis = CTP_AXIS_CGROUP; /* the cgroup sections exist on the cgroup axis only */
	o.sort.n = 0;
	o.filter = NULL;
	struct ctp_sections secs = { 0 };
	struct ctp_err err = { 0 };
	if (ctp_sections_build(base, s->live, &o, false, &secs, &err) < 0)
		ctp_err_str(&err, sv->lv.err, sizeof(sv->lv.err));
	else
		fill(sv, s, &secs, base != NULL);
	ctp_sections_release(&secs);
	ctp_listview_rebuilt(&sv->lv);
}

static void sv_draw(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w)
{
	struct sections_view *sv = (struct sections_view *)v;
	if (ctp_listview_stale(&sv->lv, s->gen))
		rebuild(sv, s);
	ctp_listview_draw(&sv->lv, y, h, w);
}

static void sv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	struct sections_view *sv = (struct sections_view *)v;
	snprintf(buf, len, "[%s view: %zu rows]", sv->host ? "host" : "cgroup", sv->lv.grid.nrows);
}

static struct ctp_reaction sv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct sections_view *sv = (struct sections_view *)v;
	int hdr;
	if (ctp_listview_key(&sv->lv, a, &hdr))
		return ctp_react(CTP_REACT_HANDLED);
	switch (a) {
	case CTP_ACT_CGROUPS:
	case CTP_ACT_HOST:
		if ((a == CTP_ACT_HOST) == sv->host) /* its own key closes the view */
			return ctp_react(CTP_REACT_POP);
		sv->host = !sv->host; /* the other one switches in place */
		ctp_listview_home(&sv->lv);
		return ctp_react(CTP_REACT_HANDLED);
	case CTP_ACT_ENTER: case CTP_ACT_DETAIL: case CTP_ACT_GROUP_CYCLE: return ctp_react(CTP_REACT_HANDLED);
	default: return ctp_react(CTP_REACT_IGNORED);
	}
}

static void sv_destroy(struct ctp_view *v)
{
	struct sections_view *sv = (struct sections_view *)v;
	ctp_listview_release(&sv->lv);
	free(sv);
}

/* the cgroup sections come from the cgroup axis (each thread's cgroup path); the host context,
 * host PSI and sched_ext are in every capture */
static enum ctp_view_need sv_need(const struct ctp_view *v)
{
	return ((const struct sections_view *)v)->host ? CTP_NEED_TABLE : CTP_NEED_CGROUPS;
}

static const struct ctp_view_ops sections_ops = {
	.title = sv_title,
	.draw = sv_draw,
	.on_key = sv_key,
	.destroy = sv_destroy,
	.need = sv_need,
};

static struct ctp_view *sv_new(bool host)
{
	struct sections_view *sv = ctp_xcalloc(1, sizeof(*sv));
	sv->v.ops = &sections_ops;
	sv->host = host;
	ctp_listview_init(&sv->lv);
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
