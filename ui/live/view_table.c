/* view_table.c — the groups view (root screen: one row per group, the column set's metrics as
 * columns) and the threads drill-down (one row per thread of a group, exact per-thread deltas
 * matched by tid and start time). Both render a ctp_table from the compare engine into the list
 * base's grid; their own keys are sorting, column sets, grouping and drilling down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "live/listview.h"
#include "live/outliers.h"
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
	size_t nidle;             /* groups view: idle groups left out (z shows them) */
};

static int name_maxw(const struct table_view *tv)
{
	return tv->tab->axis == CTP_AXIS_ALL || tv->tab->axis == CTP_AXIS_CGROUP ? 48 : 28;
}

static int show_flags(void)
{
	return ctp_theme_utf8() ? 0 : CTP_SHOW_ASCII;
}

/* the canonical (registry) name, Δ before a change, "/s" after a per-second column (batch's
 * title rule: the cells' raw unit is per second) in rates mode ("run_time_ns/s" whose cells read
 * "80.2%" of a CPU, "voluntary_csw/s", "rchar/s" in B/s) and rate vs base rate ("Δrun_time_ns/s",
 * a change of rates): the unit is on the number, ctp_cell_unit names it in the detail view */
static void col_title(const struct ctp_table *tab, int metric, char *buf, size_t len)
{
	enum ctp_cell_kind k = ctp_cell_kind(tab, (size_t)metric);
	const char *u = ctp_cell_raw_unit(tab, (size_t)metric);
	size_t ul = strlen(u);
	snprintf(buf, len, "%s%s%s", k == CTP_CELL_DELTA ? ctp_glyph_delta() : "", ctp_cmetric(metric)->name,
		 k != CTP_CELL_PAIR && ul >= 2 && !strcmp(u + ul - 2, "/s") ? "/s" : "");
}

/* a new or gone row: ctp_cell_show's one-sided cell (the present side unsigned, "-→0.42" /
 * "0.51→-" for ratios and means, in rates mode a new group's rate and a gone group's '-'), in
 * the NEW / GONE colour */
static void one_sided_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r,
			   int metric)
{
	char buf[CTP_FMT_MAX];
	ctp_cell_show(tab, r, (size_t)metric, (enum ctp_show)(CTP_SHOW_CELL | show_flags()), buf);
	bool absent = !strcmp(buf, CTP_FMT_ABSENT);
	ctp_grid_set(gr, col, buf, absent ? CTP_ROLE_ABSENT : r->status == CTP_ROW_GONE ? CTP_ROLE_GONE : CTP_ROLE_NEW);
}

static void metric_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r, int metric)
{
	if (tab->has_base && r->status != CTP_ROW_MATCHED) {
		one_sided_cell(gr, col, tab, r, metric);
		return;
	}
	const struct ctp_cell *c = &r->cells[metric];
	enum ctp_cell_kind k = ctp_cell_kind(tab, (size_t)metric);
	char buf[CTP_FMT_MAX];
	ctp_cell_show(tab, r, (size_t)metric, (enum ctp_show)(CTP_SHOW_CELL | show_flags()), buf);
	enum ctp_role role = CTP_ROLE_NORMAL;
	if (!strcmp(buf, CTP_FMT_ABSENT))
		role = CTP_ROLE_ABSENT;
	else if (k != CTP_CELL_LIVE && k != CTP_CELL_RATE && c->delta_ok && c->delta != 0)
		role = c->delta > 0 ? CTP_ROLE_DELTA_UP : CTP_ROLE_DELTA_DOWN;
	ctp_grid_set(gr, col, buf, role);
}

static const char *arrow(void)
{
	return ctp_theme_utf8() ? "\u2192" : "->";
}

/* THR: the count, or "base→live" when it changed (0→5 for a new group, 5→0 for a gone one) */
static void threads_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r,
			 enum ctp_role role)
{
	char buf[CTP_FMT_MAX];
	ctp_grid_set(gr, col, ctp_row_threads_text(tab, r, !ctp_theme_utf8(), buf), role);
}

/* the name with " new" / " gone" after it, and " exited N" when exit records counted N threads
 * of the group that exited (issue 17): the grid keeps the marker whole when it cuts the name */
static void name_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r,
		      enum ctp_role role)
{
	const char *mark = !tab->has_base || r->status == CTP_ROW_MATCHED ? "" : r->status == CTP_ROW_NEW ? " new" : " gone";
	char buf[64];
	if (tab->exits_on && r->exited && !tab->threads) {
		snprintf(buf, sizeof(buf), "%s exited %zu", mark, r->exited);
		mark = buf;
	}
	ctp_grid_set_marked(gr, col, r->label, mark, role);
}

/* TID: "base→live" for a thread paired by name across a restart */
static void tid_cell(struct ctp_grid_row *gr, size_t col, const struct ctp_row *r, enum ctp_role role)
{
	if (r->base_tid && r->base_tid != r->tid)
		ctp_grid_setf(gr, col, role, "%u%s%u", r->base_tid, arrow(), r->tid);
	else
		ctp_grid_setf(gr, col, role, "%u", r->tid);
}

static void add_columns(struct table_view *tv, const struct ctp_session *s, const int *metrics, size_t nm)
{
	struct ctp_grid *g = &tv->lv.grid;
	char title[128];
	if (tv->threads) {
		ctp_grid_add_col(g, "TID", true, 0, 0, -1);
		ctp_grid_add_col(g, "COMM", false, 0, 24, -1);
	} else {
		snprintf(title, sizeof(title), "GROUP(%s)", ctp_axis_name(tv->tab->axis));
		ctp_grid_add_col(g, title, false, 0, name_maxw(tv), -1);
		ctp_grid_add_col(g, "THR", true, 0, 0, -1); /* prio 0: frozen with GROUP */
	}
	bool desc;
	int sort = ctp_session_sort_metric(s, &desc);
	for (size_t i = 0; i < nm; i++) {
		col_title(tv->tab, metrics[i], title, sizeof(title));
		int ci = ctp_grid_add_col(g, title, true, (int)i + 2, 0, metrics[i]);
		if (metrics[i] == sort) {
			g->sort_col = ci;
			g->sort_desc = desc;
		}
	}
}

/* the rows of the table's view; the groups view leaves out the idle groups (ctp_row_idle over
 * the visible columns) unless z shows them, and counts them */
static void build_grid(struct table_view *tv, const struct ctp_session *s)
{
	struct ctp_grid *g = &tv->lv.grid;
	const struct ctp_table *tab = tv->tab;
	ctp_grid_clear(g);
	free(tv->rowmap);
	int metrics[128];
	size_t nm = ctp_session_columns(s, metrics, CTP_ARRAY_SIZE(metrics));
	add_columns(tv, s, metrics, nm);
	size_t first_metric = g->ncols - nm;
	tv->nidle = 0;
	tv->rowmap = ctp_xcalloc(tab->nview ? tab->nview : 1, sizeof(size_t));
	bool desc;
	int sort = ctp_session_sort_metric(s, &desc);
	bool *hot = tv->threads ? ctp_outliers_mark(tab, sort >= 0 ? sort : nm ? metrics[0] : -1) : NULL;
	for (size_t vi = 0; vi < tab->nview; vi++) {
		const struct ctp_row *r = &tab->rows[tab->view[vi]];
		if (!tv->threads && !s->show_idle && ctp_row_idle(tab, r, metrics, nm)) {
			tv->nidle++;
			continue;
		}
		tv->rowmap[g->nrows] = tab->view[vi];
		struct ctp_grid_row *gr = ctp_grid_add_row(g, tv->threads ? r->key : r->label);
		enum ctp_role rr = !tab->has_base ? CTP_ROLE_NORMAL : r->status == CTP_ROW_NEW ? CTP_ROLE_NEW
				   : r->status == CTP_ROW_GONE ? CTP_ROLE_GONE : CTP_ROLE_NORMAL;
		gr->role = rr;
		if (tv->threads)
			tid_cell(gr, 0, r, rr);
		if (hot && hot[tab->view[vi]]) /* an outlier thread (issue 17): " !" in the warning colour */
			ctp_grid_set_marked(gr, 1, r->label, " !", CTP_ROLE_WARN);
		else
			name_cell(gr, tv->threads ? 1 : 0, tab, r, rr);
		if (!tv->threads)
			threads_cell(gr, 1, tab, r, rr);
		for (size_t i = 0; i < nm; i++)
			metric_cell(gr, first_metric + i, tab, r, metrics[i]);
	}
	free(hot);
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
	struct ctp_table *tab = ctp_session_table(s, base, &o, tv->key, tv->keylen, tv->threads, &err);
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

/* "sort: largest change" or "sort: run_time_ns ▼" */
static void sort_text(const struct ctp_session *s, char *buf, size_t len)
{
	bool desc;
	int m = ctp_session_sort_metric(s, &desc);
	if (m < 0)
		snprintf(buf, len, "sort: largest change");
	else
		snprintf(buf, len, "sort: %s %s", ctp_cmetric((size_t)m)->name,
			 desc ? ctp_glyph_sort_desc() : ctp_glyph_sort_asc());
}

static void tv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	struct table_view *tv = (struct table_view *)v;
	size_t n = tv->lv.grid.nrows;
	char sort[128], idle[64] = "";
	sort_text(s, sort, sizeof(sort));
	if (tv->threads) {
		snprintf(buf, len, "[threads of %s: %zu] [%s] [%s]", tv->label, n, ctp_colset_name(s->cols.set), sort);
		return;
	}
	if (tv->nidle)
		snprintf(idle, sizeof(idle), ", %zu idle hidden", tv->nidle);
	char lost[48] = ""; /* issue 17: exit records the kernel dropped (ENOBUFS) or past the cap */
	if (tv->tab && tv->tab->exits_on && tv->tab->exits_lost)
		snprintf(lost, sizeof(lost), " [%llu exit records lost]", (unsigned long long)tv->tab->exits_lost);
	snprintf(buf, len, "[%zu groups%s] [%s] [%s]%s%s", n + tv->nidle, idle, ctp_colset_name(s->cols.set), sort,
		 tv->tab && tv->tab->mode == CTP_DELTA_ABSOLUTE && s->mode != CTP_TOP_ABSOLUTE
			 ? " [first sample: lifetime values]" : "", lost);
}

/* moves the sort to the previous / next metric column, skipping unsortable ones; where there is a
 * base (vs baseline, since start) the default order (largest change) is one more stop */
static struct ctp_reaction sort_step(struct ctp_session *s, int dir)
{
	int metrics[128];
	size_t nm = ctp_session_columns(s, metrics, CTP_ARRAY_SIZE(metrics));
	if (!nm)
		return ctp_react(CTP_REACT_HANDLED);
	double per_s;
	long stops = (long)nm + (s->mode != CTP_TOP_RATES && ctp_session_base(s, &per_s));
	long cur = stops > (long)nm ? (long)nm : -1; /* the default order's stop, or none */
	bool desc;
	int now = ctp_session_sort_metric(s, &desc);
	for (size_t i = 0; i < nm; i++)
		if (metrics[i] == now)
			cur = (long)i;
	for (long tries = 0; tries < stops; tries++) {
		cur = cur < 0 ? (dir > 0 ? 0 : stops - 1) : (cur + dir + stops) % stops;
		if (cur == (long)nm || ctp_cmetric((size_t)metrics[cur])->sortable)
			break;
	}
	if (cur < (long)nm && !ctp_cmetric((size_t)metrics[cur])->sortable) {
		ctp_session_msg(s, true, "no sortable column in this set");
		return ctp_react(CTP_REACT_HANDLED);
	}
	if (cur >= (long)nm) {
		ctp_session_set_sort(s, -1, true);
		ctp_session_msg(s, false, "sort: largest change");
	} else {
		ctp_session_set_sort(s, metrics[cur], true);
		ctp_session_msg(s, false, "sort by %s", ctp_cmetric((size_t)s->sort_col)->name);
	}
	return ctp_react(CTP_REACT_REBUILD);
}

/* I: the order in effect inverted (from the largest change: the first column ascending) */
static struct ctp_reaction sort_invert(struct ctp_session *s)
{
	bool desc;
	int m = ctp_session_sort_metric(s, &desc);
	if (m < 0) {
		sort_step(s, +1);
		m = ctp_session_sort_metric(s, &desc);
	}
	if (m >= 0)
		ctp_session_set_sort(s, m, !desc);
	return ctp_react(CTP_REACT_REBUILD);
}

/* a click on a metric column's header: sort by it, or invert when it is the sorted one */
static struct ctp_reaction sort_by_column(struct table_view *tv, struct ctp_session *s, int gcol)
{
	int id = gcol >= 0 ? tv->lv.grid.cols[gcol].id : -1;
	if (id < 0)
		return ctp_react(CTP_REACT_HANDLED);
	if (!ctp_cmetric((size_t)id)->sortable) {
		ctp_session_msg(s, true, "%s is categorical: not sortable", ctp_cmetric((size_t)id)->name);
		return ctp_react(CTP_REACT_HANDLED);
	}
	bool desc;
	int now = ctp_session_sort_metric(s, &desc);
	ctp_session_set_sort(s, id, now == id ? !desc : true);
	ctp_session_msg(s, false, "sort by %s %s", ctp_cmetric((size_t)id)->name, s->sort_desc ? "desc" : "asc");
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
	case CTP_ACT_SORT_INVERT: return sort_invert(s);
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

/* the metric columns the last draw put on screen */
static long tv_shown(const struct ctp_view *v, int *ids, size_t max)
{
	const struct table_view *tv = (const struct table_view *)v;
	return tv->tab ? ctp_listview_shown(&tv->lv, ids, max) : -1;
}

static const struct ctp_view_ops table_ops = {
	.title = tv_title,
	.draw = tv_draw,
	.on_key = tv_key,
	.destroy = tv_destroy,
	.shown = tv_shown,
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
