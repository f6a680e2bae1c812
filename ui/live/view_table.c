/* view_table.c — the groups view (root screen: one row per group, the column set's metrics as
 * columns) and the threads drill-down (one row per thread of a group, exact per-thread deltas
 * matched by tid and start time). Both render a ctp_table from the compare engine into a grid. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "live/grid.h"
#include "live/theme.h"
#include "live/view.h"

/* ---- column sets (keys 1-6) ---- */

static const char *const set_sched[] = { "run_time_ns", "wait_time_ns", "cpu_efficiency", "voluntary_csw",
	"nonvoluntary_csw", "nr_wakeups", "nr_migrations", "timeslices", "avg_slice_ns", "wait_max",
	"nr_wakeups_remote", "nr_wakeups_migrate", "avg_wait_ns", "state", NULL };
static const char *const set_cpu[] = { "utime_clock_ticks", "stime_clock_ticks", "run_time_ns", "processor",
	"cpu_affinity", "nr_migrations", "nice", "priority", "policy", "state", "ext_enabled", NULL };
static const char *const set_memory[] = { "minflt", "majflt", "hiwater_rss_bytes", "hiwater_vm_bytes",
	"live_heap_estimate", "allocated_bytes", "nr_threads", NULL };
static const char *const set_io[] = { "rchar", "wchar", "read_bytes", "write_bytes", "syscr", "syscw",
	"cancelled_write_bytes", "disk_io_fraction", "iowait_sum", "blkio_delay_total_ns", NULL };
static const char *const set_delays[] = { "cpu_delay_total_ns", "blkio_delay_total_ns", "total_offcpu_delay_ns",
	"avg_cpu_delay_ns", "swapin_delay_total_ns", "thrashing_delay_total_ns", "freepages_delay_total_ns",
	"compact_delay_total_ns", "wpcopy_delay_total_ns", "irq_delay_total_ns", "cpu_delay_max_ns", NULL };
static const char *const set_jemalloc[] = { "allocated_bytes", "deallocated_bytes", "live_heap_estimate",
	"hiwater_rss_bytes", NULL };
static const char *const *const colsets[CTP_COLSETS] = { set_sched, set_cpu, set_memory, set_io, set_delays, set_jemalloc };
static const char *const colset_titles[CTP_COLSETS] = { "sched", "cpu", "memory", "io", "delays", "jemalloc" };

const char *const *ctp_colset_names(int i)
{
	return i >= 0 && i < CTP_COLSETS ? colsets[i] : NULL;
}

const char *ctp_colset_title(int i)
{
	return i >= 0 && i < CTP_COLSETS ? colset_titles[i] : "custom";
}

size_t ctp_top_columns(const struct ctp_top *t, int *out, size_t max)
{
	size_t n = 0;
	if (t->colset < 0 && t->custom_cols) {
		for (size_t i = 0; i < ctp_cmetric_count() && n < max; i++)
			if (t->custom_cols[i])
				out[n++] = (int)i;
		return n;
	}
	for (const char *const *p = colsets[t->colset < 0 ? 0 : t->colset]; *p && n < max; p++) {
		int m = ctp_cmetric_find(*p);
		if (m >= 0)
			out[n++] = m;
	}
	return n;
}

const struct ctp_snapshot *ctp_top_copts(const struct ctp_top *t, struct ctp_compare_opts *o)
{
	ctp_compare_opts_init(o);
	o->axis = t->axis;
	double per_s;
	const struct ctp_snapshot *base = ctp_top_base(t, &per_s);
	if (!base)
		o->mode = CTP_DELTA_ABSOLUTE;
	else if (t->mode == CTP_TOP_RATES) {
		o->mode = CTP_DELTA_RATE;
		o->elapsed_s = per_s;
		o->tid_deltas = true;
	} else {
		o->mode = CTP_DELTA_BASELINE;
		o->tid_deltas = t->mode == CTP_TOP_SINCE_START;
	}
	if (t->sort_col >= 0) {
		o->sort.n = 1;
		o->sort.k[0].metric = t->sort_col;
		o->sort.k[0].asc = !t->sort_desc;
	}
	return base;
}

/* ---- the view ---- */

struct table_view {
	struct ctp_view v;
	bool threads;             /* drill-down of one group */
	char *key;                /* threads: group join key */
	size_t keylen;
	char *label;
	struct ctp_table *tab;
	size_t *rowmap;           /* grid row -> table row */
	struct ctp_grid grid;
	uint64_t gen;
	bool built;
	long sel;
	size_t first;
	int hscroll;
	int last_y, last_h;
	char *sel_label;          /* keeps the selection on the same row across refreshes */
	char err[300];
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

static void build_grid(struct table_view *tv, struct ctp_top *t)
{
	struct ctp_grid *g = &tv->grid;
	const struct ctp_table *tab = tv->tab;
	ctp_grid_clear(g);
	free(tv->rowmap);
	tv->rowmap = NULL;
	int metrics[128];
	size_t nm = ctp_top_columns(t, metrics, CTP_ARRAY_SIZE(metrics));
	char title[96];
	if (tv->threads) {
		ctp_grid_add_col(g, "TID", true, 0, 0, -1);
		ctp_grid_add_col(g, "COMM", false, 0, 24, -1);
	} else {
		snprintf(title, sizeof(title), "GROUP(%s)", ctp_axis_name(tab->axis));
		ctp_grid_add_col(g, title, false, 0, tab->axis == CTP_AXIS_ALL || tab->axis == CTP_AXIS_CGROUP ? 48 : 28, -1);
		ctp_grid_add_col(g, "THR", true, 1, 0, -1);
	}
	size_t first_metric = g->ncols;
	for (size_t i = 0; i < nm; i++) {
		col_title(tab, metrics[i], title, sizeof(title));
		int ci = ctp_grid_add_col(g, title, true, (int)i + 2, 0, metrics[i]);
		if (metrics[i] == t->sort_col) {
			g->sort_col = ci;
			g->sort_desc = t->sort_desc;
		}
	}
	tv->rowmap = ctp_xcalloc(tab->nview ? tab->nview : 1, sizeof(size_t));
	for (size_t vi = 0; vi < tab->nview; vi++) {
		const struct ctp_row *r = &tab->rows[tab->view[vi]];
		if (!tv->threads && !ctp_top_filter_match(t, r->label))
			continue;
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

static void rebuild(struct table_view *tv, struct ctp_top *t)
{
	tv->gen = t->gen;
	tv->built = true;
	tv->err[0] = 0;
	if (!t->live)
		return;
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_top_copts(t, &o);
	struct ctp_err err = { 0 };
	struct ctp_table *tab = tv->threads ? ctp_compare_threads(base, t->live, tv->key, tv->keylen, &o, &err)
					    : ctp_compare(base, t->live, &o, &err);
	if (!tab) {
		ctp_err_str(&err, tv->err, sizeof(tv->err));
		return;
	}
	ctp_table_free(tv->tab);
	tv->tab = tab;
	build_grid(tv, t);
	long s = ctp_grid_find(&tv->grid, tv->sel_label);
	if (s >= 0)
		tv->sel = s;
	if (tv->sel >= (long)tv->grid.nrows)
		tv->sel = (long)tv->grid.nrows - 1;
	if (tv->sel < 0 && tv->grid.nrows)
		tv->sel = 0;
}

static void remember_sel(struct table_view *tv)
{
	free(tv->sel_label);
	tv->sel_label = NULL;
	if (tv->sel >= 0 && (size_t)tv->sel < tv->grid.nrows && tv->grid.rows[tv->sel].key)
		tv->sel_label = ctp_xstrdup(tv->grid.rows[tv->sel].key);
}

static void tv_draw(struct ctp_view *v, struct ctp_top *t, int y, int h, int w)
{
	struct table_view *tv = (struct table_view *)v;
	if (!tv->built || tv->gen != t->gen)
		rebuild(tv, t);
	tv->last_y = y;
	tv->last_h = h;
	for (int i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	if (!t->live) {
		mvaddnstr(y + 1, 1, "waiting for the first sample...", w - 1);
		return;
	}
	if (tv->err[0]) {
		attron(ctp_theme_attr(CTP_ROLE_ERROR));
		mvaddnstr(y + 1, 1, tv->err, w - 1);
		attroff(ctp_theme_attr(CTP_ROLE_ERROR));
		return;
	}
	int rows = h - 1;
	if (tv->sel >= 0) {
		if ((size_t)tv->sel < tv->first)
			tv->first = (size_t)tv->sel;
		if (rows > 0 && (size_t)tv->sel >= tv->first + (size_t)rows)
			tv->first = (size_t)tv->sel - (size_t)rows + 1;
	}
	if (tv->first >= tv->grid.nrows)
		tv->first = 0;
	ctp_grid_draw(&tv->grid, y, rows, w, tv->first, tv->sel, tv->hscroll);
	if (!tv->grid.nrows)
		mvaddnstr(y + 2, 1, t->filter ? "no group matches the filter (\\ clears it)" : "no rows", w - 1);
}

static void tv_title(struct ctp_view *v, struct ctp_top *t, char *buf, size_t len)
{
	struct table_view *tv = (struct table_view *)v;
	size_t n = tv->grid.nrows;
	if (tv->threads)
		snprintf(buf, len, "[threads of %s: %zu] [%s]", tv->label, n, ctp_colset_title(t->colset));
	else
		snprintf(buf, len, "[%zu groups] [%s]%s", n, ctp_colset_title(t->colset),
			 tv->tab && tv->tab->mode == CTP_DELTA_ABSOLUTE && t->mode != CTP_TOP_ABSOLUTE
				 ? " [first sample: lifetime values]" : "");
}

/* moves the sort to the previous / next metric column, skipping unsortable ones */
static void sort_step(struct table_view *tv, struct ctp_top *t, int dir)
{
	int metrics[128];
	size_t nm = ctp_top_columns(t, metrics, CTP_ARRAY_SIZE(metrics));
	if (!nm)
		return;
	long cur = -1;
	for (size_t i = 0; i < nm; i++)
		if (metrics[i] == t->sort_col)
			cur = (long)i;
	for (size_t tries = 0; tries < nm; tries++) {
		cur = cur < 0 ? (dir > 0 ? 0 : (long)nm - 1) : (cur + dir + (long)nm) % (long)nm;
		if (ctp_cmetric(metrics[cur])->sortable)
			break;
	}
	t->sort_col = metrics[cur];
	t->sort_desc = true;
	ctp_top_msg(t, false, "sort by %s", ctp_cmetric(t->sort_col)->name);
	ctp_top_touch(t);
}

static void sort_by_column(struct table_view *tv, struct ctp_top *t, int gcol)
{
	int id = gcol >= 0 ? tv->grid.cols[gcol].id : -1;
	if (id < 0)
		return;
	if (!ctp_cmetric(id)->sortable) {
		ctp_top_msg(t, true, "%s is categorical: not sortable", ctp_cmetric(id)->name);
		return;
	}
	if (t->sort_col == id)
		t->sort_desc = !t->sort_desc;
	else {
		t->sort_col = id;
		t->sort_desc = true;
	}
	ctp_top_msg(t, false, "sort by %s %s", ctp_cmetric(id)->name, t->sort_desc ? "desc" : "asc");
	ctp_top_touch(t);
}

static void on_mouse(struct table_view *tv, struct ctp_top *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (ev.y == tv->last_y) {
		sort_by_column(tv, t, ctp_grid_col_at(&tv->grid, ev.x));
		return;
	}
	long r = (long)tv->first + (ev.y - tv->last_y - 1);
	if (ev.y > tv->last_y && r < (long)tv->grid.nrows)
		tv->sel = r;
}

bool ctp_view_move_sel(enum ctp_action a, long *sel, long n, long page)
{
	switch (a) {
	case CTP_ACT_UP: (*sel)--; break;
	case CTP_ACT_DOWN: (*sel)++; break;
	case CTP_ACT_PGUP: *sel -= page; break;
	case CTP_ACT_PGDN: *sel += page; break;
	case CTP_ACT_HOME: *sel = 0; break;
	case CTP_ACT_END: *sel = n - 1; break;
	default: return false;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	return true;
}

static const struct ctp_row *sel_row(struct table_view *tv)
{
	if (!tv->tab || tv->sel < 0 || (size_t)tv->sel >= tv->grid.nrows)
		return NULL;
	return &tv->tab->rows[tv->rowmap[tv->sel]];
}

static bool move_sel(struct table_view *tv, enum ctp_action a)
{
	return ctp_view_move_sel(a, &tv->sel, (long)tv->grid.nrows, tv->last_h > 2 ? tv->last_h - 2 : 1);
}

static bool tv_key(struct ctp_view *v, struct ctp_top *t, enum ctp_action a, int key)
{
	struct table_view *tv = (struct table_view *)v;
	if (move_sel(tv, a)) {
		remember_sel(tv);
		return true;
	}
	const struct ctp_row *r = sel_row(tv);
	switch (a) {
	case CTP_ACT_SORT_NEXT: sort_step(tv, t, +1); return true;
	case CTP_ACT_SORT_PREV: sort_step(tv, t, -1); return true;
	case CTP_ACT_SORT_INVERT:
		if (t->sort_col < 0)
			sort_step(tv, t, +1);
		t->sort_desc = !t->sort_desc;
		ctp_top_touch(t);
		return true;
	case CTP_ACT_MOUSE: on_mouse(tv, t); remember_sel(tv); return true;
	case CTP_ACT_LEFT:
		if (tv->hscroll > 0)
			tv->hscroll--;
		return true;
	case CTP_ACT_RIGHT: tv->hscroll++; return true;
	case CTP_ACT_COLSET1: case CTP_ACT_COLSET2: case CTP_ACT_COLSET3:
	case CTP_ACT_COLSET4: case CTP_ACT_COLSET5: case CTP_ACT_COLSET6:
		t->colset = (int)(a - CTP_ACT_COLSET1);
		tv->hscroll = 0;
		ctp_top_msg(t, false, "columns: %s", ctp_colset_title(t->colset));
		ctp_top_touch(t);
		return true;
	case CTP_ACT_GROUP_CYCLE:
		if (tv->threads)
			return false;
		t->axis = (t->axis + 1) % CTP_AXIS_COUNT;
		ctp_top_msg(t, false, "group by %s", ctp_axis_name(t->axis));
		ctp_top_touch(t);
		return true;
	case CTP_ACT_ENTER:
		if (!r || tv->threads)
			return tv->threads;
		ctp_top_push(t, ctp_view_threads_new(r->key, r->keylen, r->label));
		return true;
	case CTP_ACT_DETAIL:
		if (!r)
			return true;
		if (tv->threads)
			ctp_top_push(t, ctp_view_detail_new(tv->key, tv->keylen, tv->label, r->key));
		else
			ctp_top_push(t, ctp_view_detail_new(r->key, r->keylen, r->label, NULL));
		return true;
	default: return false;
	}
	(void)key;
}

static void tv_destroy(struct ctp_view *v)
{
	struct table_view *tv = (struct table_view *)v;
	ctp_table_free(tv->tab);
	ctp_grid_release(&tv->grid);
	free(tv->rowmap);
	free(tv->key);
	free(tv->label);
	free(tv->sel_label);
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
	ctp_grid_init(&tv->grid);
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
