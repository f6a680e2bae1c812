/* view_detail.c — every metric of one group (or of one thread of a group) as rows:
 * metric | baseline | live | delta | % | help, recomputed on each sample. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/grid.h"
#include "live/theme.h"
#include "live/view.h"

struct detail_view {
	struct ctp_view v;
	char *key;
	size_t keylen;
	char *label;
	char *tid;      /* NULL: the group itself */
	struct ctp_grid grid;
	uint64_t gen;
	bool built;
	long sel;
	size_t first;
	int last_h;
	char err[300];
};

static void fill(struct detail_view *dv, const struct ctp_table *tab, const struct ctp_row *r)
{
	struct ctp_grid *g = &dv->grid;
	ctp_grid_clear(g);
	bool rate = tab->mode == CTP_DELTA_RATE;
	ctp_grid_add_col(g, "METRIC", false, 0, 30, -1);
	ctp_grid_add_col(g, rate ? "PREVIOUS" : "BASELINE", true, 2, 0, -1);
	ctp_grid_add_col(g, "LIVE", true, 0, 0, -1);
	ctp_grid_add_col(g, rate ? "DELTA(/s)" : "DELTA", true, 1, 0, -1);
	ctp_grid_add_col(g, "%", true, 3, 0, -1);
	ctp_grid_add_col(g, "HELP", false, 4, 60, -1);
	char buf[CTP_FMT_MAX];
	for (size_t m = 0; m < ctp_cmetric_count(); m++) {
		const struct ctp_cmetric *cm = ctp_cmetric(m);
		struct ctp_grid_row *gr = ctp_grid_add_row(g, cm->name);
		ctp_grid_set(gr, 0, cm->name, CTP_ROLE_NORMAL);
		ctp_grid_set(gr, 1, ctp_cell_value_text(r, m, 0, buf), CTP_ROLE_NORMAL);
		ctp_grid_set(gr, 2, ctp_cell_value_text(r, m, 1, buf), CTP_ROLE_NORMAL);
		const struct ctp_cell *c = &r->cells[m];
		enum ctp_role role = !c->delta_ok ? CTP_ROLE_NORMAL : c->delta > 0 ? CTP_ROLE_DELTA_UP
				     : c->delta < 0 ? CTP_ROLE_DELTA_DOWN : CTP_ROLE_NORMAL;
		ctp_grid_set(gr, 3, ctp_cell_delta_text(r, m, buf), role);
		ctp_grid_set(gr, 4, ctp_cell_pct_text(r, m, buf), role);
		ctp_grid_set(gr, 5, cm->help, CTP_ROLE_DIM);
		for (int i = 1; i <= 4; i++)
			if (!strcmp(gr->cells[i].text, CTP_FMT_ABSENT))
				gr->cells[i].role = CTP_ROLE_ABSENT;
	}
}

static void rebuild(struct detail_view *dv, struct ctp_top *t)
{
	dv->gen = t->gen;
	dv->built = true;
	dv->err[0] = 0;
	if (!t->live)
		return;
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_top_copts(t, &o);
	o.sort.n = 0;
	struct ctp_err err = { 0 };
	struct ctp_table *tab = dv->tid ? ctp_compare_threads(base, t->live, dv->key, dv->keylen, &o, &err)
					: ctp_compare(base, t->live, &o, &err);
	if (!tab) {
		ctp_err_str(&err, dv->err, sizeof(dv->err));
		return;
	}
	const struct ctp_row *r = dv->tid ? ctp_table_find(tab, dv->tid, strlen(dv->tid))
					  : ctp_table_find(tab, dv->key, dv->keylen);
	if (!r)
		snprintf(dv->err, sizeof(dv->err), "%s is gone from both samples", dv->tid ? "this thread" : "this group");
	else
		fill(dv, tab, r);
	ctp_table_free(tab);
}

static void dv_draw(struct ctp_view *v, struct ctp_top *t, int y, int h, int w)
{
	struct detail_view *dv = (struct detail_view *)v;
	if (!dv->built || dv->gen != t->gen)
		rebuild(dv, t);
	dv->last_h = h;
	for (int i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	if (dv->err[0]) {
		attron(ctp_theme_attr(CTP_ROLE_ERROR));
		mvaddnstr(y + 1, 1, dv->err, w - 1);
		attroff(ctp_theme_attr(CTP_ROLE_ERROR));
		return;
	}
	int rows = h - 1;
	if (dv->sel >= 0 && (size_t)dv->sel < dv->first)
		dv->first = (size_t)dv->sel;
	if (rows > 0 && dv->sel >= 0 && (size_t)dv->sel >= dv->first + (size_t)rows)
		dv->first = (size_t)dv->sel - (size_t)rows + 1;
	ctp_grid_draw(&dv->grid, y, rows, w, dv->first, dv->sel, 0);
}

static void dv_title(struct ctp_view *v, struct ctp_top *t, char *buf, size_t len)
{
	struct detail_view *dv = (struct detail_view *)v;
	if (dv->tid)
		snprintf(buf, len, "[detail of thread %s in %s]", dv->tid, dv->label);
	else
		snprintf(buf, len, "[detail of %s]", dv->label);
}

static bool dv_key(struct ctp_view *v, struct ctp_top *t, enum ctp_action a, int key)
{
	struct detail_view *dv = (struct detail_view *)v;
	long n = (long)dv->grid.nrows, page = dv->last_h > 2 ? dv->last_h - 2 : 1;
	if (ctp_view_move_sel(a, &dv->sel, n, page))
		return true;
	switch (a) {
	case CTP_ACT_DETAIL: ctp_top_pop(t); return true;
	case CTP_ACT_ENTER: case CTP_ACT_GROUP_CYCLE: return true;
	default: return false;
	}
}

static void dv_destroy(struct ctp_view *v)
{
	struct detail_view *dv = (struct detail_view *)v;
	ctp_grid_release(&dv->grid);
	free(dv->key);
	free(dv->label);
	free(dv->tid);
	free(dv);
}

static const struct ctp_view_ops detail_ops = {
	.title = dv_title,
	.draw = dv_draw,
	.on_key = dv_key,
	.destroy = dv_destroy,
};

struct ctp_view *ctp_view_detail_new(const char *key, size_t keylen, const char *label, const char *tid)
{
	struct detail_view *dv = ctp_xcalloc(1, sizeof(*dv));
	dv->v.ops = &detail_ops;
	ctp_grid_init(&dv->grid);
	dv->key = ctp_xmalloc(keylen + 1);
	memcpy(dv->key, key, keylen);
	dv->key[keylen] = 0;
	dv->keylen = keylen;
	dv->label = ctp_text_sanitize(label);
	dv->tid = tid ? ctp_xstrdup(tid) : NULL;
	return &dv->v;
}
