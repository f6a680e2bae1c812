/* view_table.c — the groups view (root screen: one row per group, the column set's metrics as
 * columns) and the threads drill-down (one row per thread of a group, exact per-thread deltas
 * matched by tid and start time). Both render a ctp_table from the compare engine into the list
 * base's grid; their own keys are sorting, column sets, grouping and drilling down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "live/listview.h"
#include "live/theme.h"
#include "live/view.h"

struct table_view {
	struct ctp_view v;
	struct ctp_listview lv;
	bool threads;             /* drill-down of one group */
	char *key;                /* threads: group join key */
	size_t keylen;
	char *label;
	struct ctp_table *tab;
	size_t *rowmap;           /* grid row -> table row */
};

static const char *short_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	static const char *const suffixes[] = { "_clock_ticks", "_ns" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(suffixes); i++) {
		size_t n = strlen(buf), sl = strlen(suffixes[i]);
		if (n > sl && !strcmp(buf + n - sl, suffixes[i])) {
			buf[n - sl] = 0;
			break;
		}
	}
	return buf;
}

/* shows a delta (Sum/Max/derived) or, for categorical metrics and gauges in rate mode, the live value */
static bool shows_delta(const struct ctp_table *tab, const struct ctp_cmetric *m)
{
	if (tab->mode == CTP_DELTA_ABSOLUTE)
		return false;
	if (m->rule == CTP_CR_RANGE || m->rule == CTP_CR_MODE || m->rule == CTP_CR_AFFINITY)
		return false;
	if (tab->mode == CTP_DELTA_RATE && !m->monotonic && m->rule != CTP_CR_DERIVED)
		return false;
	return true;
}

static void col_title(const struct ctp_table *tab, int metric, char *buf, size_t len)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	char sn[80];
	short_name(m->name, sn, sizeof(sn));
	if (!shows_delta(tab, m))
		snprintf(buf, len, "%s", sn);
	else
		snprintf(buf, len, "%s%s%s", ctp_glyph_delta(), sn,
			 tab->mode == CTP_DELTA_RATE && m->monotonic ? "/s" : "");
}

static void metric_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r, int metric)
{
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	const struct ctp_cell *c = &r->cells[metric];
	char buf[CTP_FMT_MAX];
	if (!shows_delta(tab, m)) {
		if (m->cat >= 0 || m->rule == CTP_CR_DERIVED) {
			ctp_cell_value_text(r, (size_t)metric, 1, buf);
		} else if (!c->live_ok) {
			strcpy(buf, CTP_FMT_ABSENT);
		} else {
			ctp_fmt_compact(buf, c->live, m->ladder, false);
		}
		ctp_grid_set(gr, col, buf, !strcmp(buf, CTP_FMT_ABSENT) ? CTP_ROLE_ABSENT : CTP_ROLE_NORMAL);
		return;
	}
	if (!c->delta_ok && m->monotonic && r->status != CTP_ROW_MATCHED && tab->mode == CTP_DELTA_BASELINE) {
		/* one-sided group: the delta against an empty group (Sum of nothing = 0) */
		bool is_new = r->status == CTP_ROW_NEW;
		if (is_new ? c->live_ok : c->base_ok) {
			ctp_fmt_compact(buf, is_new ? c->live : -c->base, m->ladder, true);
			ctp_grid_set(gr, col, buf, is_new ? CTP_ROLE_NEW : CTP_ROLE_GONE);
			return;
		}
	}
	if (!c->delta_ok) {
		ctp_grid_set(gr, col, CTP_FMT_ABSENT, CTP_ROLE_ABSENT);
		return;
	}
	if (m->is_ratio)
		ctp_fmt_derived(buf, c->delta, m->ladder, true, true);
	else
		ctp_fmt_compact(buf, c->delta, m->ladder, true);
	enum ctp_role role = c->delta > 0 ? CTP_ROLE_DELTA_UP : c->delta < 0 ? CTP_ROLE_DELTA_DOWN : CTP_ROLE_NORMAL;
	ctp_grid_set(gr, col, buf, role);
}

static void threads_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r)
{
	if (!tab->has_base || r->nthreads_base == r->nthreads_live)
		ctp_grid_setf(gr, col, CTP_ROLE_NORMAL, "%zu", r->nthreads_live);
	else if (r->status == CTP_ROW_GONE)
		ctp_grid_setf(gr, col, CTP_ROLE_GONE, "%zu", r->nthreads_base);
	else
		ctp_grid_setf(gr, col, CTP_ROLE_NORMAL, "%zu%s%zu", r->nthreads_base,
			      ctp_theme_utf8() ? "\u2192" : ">", r->nthreads_live);
}

static const char *status_mark(const struct ctp_row *r)
{
	return r->status == CTP_ROW_NEW ? "+" : r->status == CTP_ROW_GONE ? "-" : " ";
}

static void build_grid(struct table_view *tv, const struct ctp_session *s)
{
	struct ctp_grid *g = &tv->lv.grid;
	const struct ctp_table *tab = tv->tab;
	ctp_grid_clear(g);
	free(tv->rowmap);
	tv->rowmap = NULL;
	int metrics[128];
	size_t nm = ctp_columns_list_sorted(&s->cols, s->sort_col, metrics, CTP_ARRAY_SIZE(metrics));
	char title[96];
	if (tv->threads) {
		ctp_grid_add_col(g, "TID", true, 0, 0, -1);
		ctp_grid_add_col(g, "COMM", false, 0, 24, -1);
	} else {
		snprintf(title, sizeof(title), "GROUP(%s)", ctp_axis_name(tab->axis));
		ctp_grid_add_col(g, title, false, 0, tab->axis == CTP_AXIS_ALL || tab->axis == CTP_AXIS_CGROUP ? 48 : 28, -1);
		ctp_grid_add_col(g, "THR", true, 0, 0, -1); /* prio 0: frozen with GROUP */
	}
	size_t first_metric = g->ncols;
	for (size_t i = 0; i < nm; i++) {
		col_title(tab, metrics[i], title, sizeof(title));
		int ci = ctp_grid_add_col(g, title, true, (int)i + 2, 0, metrics[i]);
		if (metrics[i] == s->sort_col) {
			g->sort_col = ci;
			g->sort_desc = s->sort_desc;
		}
	}
	tv->rowmap = ctp_xcalloc(tab->nview ? tab->nview : 1, sizeof(size_t));
	for (size_t vi = 0; vi < tab->nview; vi++) {
		const struct ctp_row *r = &tab->rows[tab->view[vi]];
		tv->rowmap[g->nrows] = tab->view[vi];
		struct ctp_grid_row *gr = ctp_grid_add_row(g, tv->threads ? r->key : r->label);
		enum ctp_role rr = r->status == CTP_ROW_NEW ? CTP_ROLE_NEW : r->status == CTP_ROW_GONE ? CTP_ROLE_GONE : CTP_ROLE_NORMAL;
		if (tv->threads) {
			ctp_grid_setf(gr, 0, rr, "%s%u", status_mark(r), r->tid);
			ctp_grid_set(gr, 1, r->label, rr);
		} else {
			gr->role = rr;
			ctp_grid_set(gr, 0, r->label, rr);
			threads_cell(gr, 1, tab, r);
		}
		for (size_t i = 0; i < nm; i++)
			metric_cell(gr, first_metric + i, tab, r, metrics[i]);
	}
}

/* the groups filtered by the session's filter (the engine applies it, as in batch mode); the
 * threads of a group all shown */
static void rebuild(struct table_view *tv, const struct ctp_session *s)
{
	tv->lv.empty = !tv->threads && s->filter ? "no group matches the filter (\\ clears it)" : "no rows";
	if (!s->live) {
		tv->lv.note = "waiting for the first sample...";
		return;
	}
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_session_copts(s, &o);
	struct ctp_err err = { 0 };
	if (tv->threads)
		o.filter = NULL;
	struct ctp_table *tab = tv->threads ? ctp_compare_threads(base, s->live, tv->key, tv->keylen, &o, &err)
					    : ctp_compare(base, s->live, &o, &err);
	if (!tab) {
		ctp_err_str(&err, tv->lv.err, sizeof(tv->lv.err));
		return;
	}
	ctp_table_free(tv->tab);
	tv->tab = tab;
	build_grid(tv, s);
	ctp_listview_rebuilt(&tv->lv);
}

static void tv_draw(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w)
{
	struct table_view *tv = (struct table_view *)v;
	if (ctp_listview_stale(&tv->lv, s->gen))
		rebuild(tv, s);
	ctp_listview_draw(&tv->lv, y, h, w);
}

static void tv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	struct table_view *tv = (struct table_view *)v;
	size_t n = tv->lv.grid.nrows;
	if (tv->threads)
		snprintf(buf, len, "[threads of %s: %zu] [%s]", tv->label, n, ctp_colset_name(s->cols.set));
	else
		snprintf(buf, len, "[%zu groups] [%s]%s", n, ctp_colset_name(s->cols.set),
			 tv->tab && tv->tab->mode == CTP_DELTA_ABSOLUTE && s->mode != CTP_TOP_ABSOLUTE
				 ? " [first sample: lifetime values]" : "");
}

/* moves the sort to the previous / next metric column, skipping unsortable ones */
static struct ctp_reaction sort_step(struct ctp_session *s, int dir)
{
	int metrics[128];
	size_t nm = ctp_columns_list(&s->cols, metrics, CTP_ARRAY_SIZE(metrics));
	if (!nm)
		return ctp_react(CTP_REACT_HANDLED);
	long cur = -1;
	for (size_t i = 0; i < nm; i++)
		if (metrics[i] == s->sort_col)
			cur = (long)i;
	for (size_t tries = 0; tries < nm; tries++) {
		cur = cur < 0 ? (dir > 0 ? 0 : (long)nm - 1) : (cur + dir + (long)nm) % (long)nm;
		if (ctp_cmetric(metrics[cur])->sortable)
			break;
	}
	ctp_session_set_sort(s, metrics[cur], true);
	ctp_session_msg(s, false, "sort by %s", ctp_cmetric(s->sort_col)->name);
	return ctp_react(CTP_REACT_REBUILD);
}

/* a click on a metric column's header: sort by it, or invert when it is the sorted one */
static struct ctp_reaction sort_by_column(struct table_view *tv, struct ctp_session *s, int gcol)
{
	int id = gcol >= 0 ? tv->lv.grid.cols[gcol].id : -1;
	if (id < 0)
		return ctp_react(CTP_REACT_HANDLED);
	if (!ctp_cmetric(id)->sortable) {
		ctp_session_msg(s, true, "%s is categorical: not sortable", ctp_cmetric(id)->name);
		return ctp_react(CTP_REACT_HANDLED);
	}
	ctp_session_set_sort(s, id, s->sort_col == id ? !s->sort_desc : true);
	ctp_session_msg(s, false, "sort by %s %s", ctp_cmetric(id)->name, s->sort_desc ? "desc" : "asc");
	return ctp_react(CTP_REACT_REBUILD);
}

static const struct ctp_row *sel_row(const struct table_view *tv)
{
	long sel = ctp_listview_sel(&tv->lv);
	return tv->tab && sel >= 0 ? &tv->tab->rows[tv->rowmap[sel]] : NULL;
}

/* Enter: a group's threads; d: the detail of the selected group or thread */
static struct ctp_reaction drill(const struct table_view *tv, enum ctp_action a)
{
	const struct ctp_row *r = sel_row(tv);
	if (a == CTP_ACT_ENTER && (!r || tv->threads))
		return ctp_react(tv->threads ? CTP_REACT_HANDLED : CTP_REACT_IGNORED);
	if (!r)
		return ctp_react(CTP_REACT_HANDLED);
	if (a == CTP_ACT_ENTER)
		return ctp_react_push(ctp_view_threads_new(r->key, r->keylen, r->label));
	if (tv->threads)
		return ctp_react_push(ctp_view_detail_new(tv->key, tv->keylen, tv->label, r->key));
	return ctp_react_push(ctp_view_detail_new(r->key, r->keylen, r->label, NULL));
}

static struct ctp_reaction tv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct table_view *tv = (struct table_view *)v;
	int hdr;
	if (ctp_listview_key(&tv->lv, a, &hdr))
		return hdr >= 0 ? sort_by_column(tv, s, hdr) : ctp_react(CTP_REACT_HANDLED);
	switch (a) {
	case CTP_ACT_SORT_NEXT: return sort_step(s, +1);
	case CTP_ACT_SORT_PREV: return sort_step(s, -1);
	case CTP_ACT_SORT_INVERT:
		if (s->sort_col < 0)
			sort_step(s, +1);
		ctp_session_set_sort(s, s->sort_col, !s->sort_desc);
		return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_COLSET1: case CTP_ACT_COLSET2: case CTP_ACT_COLSET3:
	case CTP_ACT_COLSET4: case CTP_ACT_COLSET5: case CTP_ACT_COLSET6:
		ctp_session_select_colset(s, (int)(a - CTP_ACT_COLSET1));
		tv->lv.hscroll = 0;
		return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_GROUP_CYCLE:
		if (tv->threads)
			return ctp_react(CTP_REACT_IGNORED);
		ctp_session_cycle_axis(s);
		return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_ENTER: case CTP_ACT_DETAIL: return drill(tv, a);
	default: return ctp_react(CTP_REACT_IGNORED);
	}
	(void)key;
}

static void tv_destroy(struct ctp_view *v)
{
	struct table_view *tv = (struct table_view *)v;
	ctp_table_free(tv->tab);
	ctp_listview_release(&tv->lv);
	free(tv->rowmap);
	free(tv->key);
	free(tv->label);
	free(tv);
}

static const struct ctp_view_ops table_ops = {
	.title = tv_title,
	.draw = tv_draw,
	.on_key = tv_key,
	.destroy = tv_destroy,
};

static struct table_view *tv_new(void)
{
	struct table_view *tv = ctp_xcalloc(1, sizeof(*tv));
	tv->v.ops = &table_ops;
	ctp_listview_init(&tv->lv);
	return tv;
}

struct ctp_view *ctp_view_groups_new(void)
{
	return &tv_new()->v;
}

struct ctp_view *ctp_view_threads_new(const char *key, size_t keylen, const char *label)
{
	struct table_view *tv = tv_new();
	tv->threads = true;
	tv->key = ctp_xmalloc(keylen + 1);
	memcpy(tv->key, key, keylen);
	tv->key[keylen] = 0;
	tv->keylen = keylen;
	tv->label = ctp_text_sanitize(label);
	return &tv->v;
}
