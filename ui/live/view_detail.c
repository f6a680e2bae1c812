/* view_detail.c — every metric of one group (or of one thread of a group) as rows:
 * metric | baseline | live | delta | % (none in rates mode) | help, in the live table's number
 * format (ctp_cell_show), recomputed on each sample. Unchanged rows (0 -> 0, - -> -) are hidden
 * until a shows them. A list view: its own keys only close it again (d), toggle those rows (a)
 * or do nothing (Enter, g). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/listview.h"
#include "live/spreadcols.h"
#include "live/theme.h"
#include "live/view.h"

struct detail_view {
	struct ctp_view v;
	struct ctp_listview lv;
	char *key;
	size_t keylen;
	char *label;
	char *tid;      /* NULL: the group itself */
	bool all;       /* a: list the unchanged rows too */
	size_t nhidden; /* unchanged rows left out */
};

/* both sides 0 or '-' (0 -> 0, - -> -, - -> 0): nothing to read; a range side counts as 0 when
 * it is 0..0, a mode or affinity side only when missing */
static bool unchanged_zero(const struct ctp_row *r, size_t m)
{
	const struct ctp_cmetric *cm = ctp_cmetric(m);
	if (cm->cat >= 0) {
		for (int side = 0; side < 2; side++) {
			const struct ctp_catval *cv = &r->cats[cm->cat][side];
			if (cv->kind == CTP_CAT_RANGE ? cv->lo || cv->hi : cv->kind != CTP_CAT_MISSING && cv->kind != CTP_CAT_ABSENT)
				return false;
		}
		return true;
	}
	const struct ctp_cell *c = &r->cells[m];
	return (!c->base_ok || c->base == 0) && (!c->live_ok || c->live == 0);
}

static void set_show(struct ctp_grid_row *gr, size_t col, const struct ctp_table *tab, const struct ctp_row *r,
		     size_t m, enum ctp_show what, enum ctp_role role)
{
	char buf[CTP_FMT_MAX];
	ctp_cell_show(tab, r, m, (enum ctp_show)(what | (ctp_theme_utf8() ? 0 : CTP_SHOW_ASCII)), buf);
	ctp_grid_set(gr, col, buf, !strcmp(buf, CTP_FMT_ABSENT) ? CTP_ROLE_ABSENT : role);
}

static void fill(struct detail_view *dv, const struct ctp_table *tab, const struct ctp_row *r)
{
	struct ctp_grid *g = &dv->lv.grid;
	ctp_grid_clear(g);
	bool win = tab->mode == CTP_DELTA_WINDOW, rate = win || tab->mode == CTP_DELTA_RATE;
	ctp_grid_add_col(g, "METRIC", false, 0, 30, -1);
	/* window: the base window's rate, the live window's, their difference per second */
	ctp_grid_add_col(g, win ? "BASE/S" : rate ? "PREVIOUS" : "BASELINE", true, 2, 0, -1);
	ctp_grid_add_col(g, win ? "LIVE/S" : "LIVE", true, 0, 0, -1);
	ctp_grid_add_col(g, win ? "Δ/S" : rate ? "DELTA(/s)" : "DELTA", true, 1, 0, -1);
	if (rate) /* the delta's unit when the number does not carry it: per second */
		ctp_grid_add_col(g, "UNIT", false, 3, 0, -1);
	bool pct = tab->mode != CTP_DELTA_RATE; /* rates mode: no percent (a rate over a lifetime) */
	if (pct)
		ctp_grid_add_col(g, "%", true, 3, 0, -1);
	size_t pc = rate ? 5 : 4, sc = pc + pct, nsp = ctp_spread_cols_add(g, r); /* issue 17: MIN..IMB */
	ctp_grid_add_col(g, "HELP", false, 4, 60, -1);
	dv->nhidden = 0;
	for (size_t m = 0; m < ctp_cmetric_count(); m++) {
		const struct ctp_cmetric *cm = ctp_cmetric(m);
		if (!dv->all && unchanged_zero(r, m)) {
			dv->nhidden++;
			continue;
		}
		struct ctp_grid_row *gr = ctp_grid_add_row(g, cm->name);
		ctp_grid_set(gr, 0, cm->name, CTP_ROLE_NORMAL);
		set_show(gr, 1, tab, r, m, CTP_SHOW_BASE, CTP_ROLE_NORMAL);
		set_show(gr, 2, tab, r, m, CTP_SHOW_LIVE, CTP_ROLE_NORMAL);
		const struct ctp_cell *c = &r->cells[m];
		enum ctp_role role = !c->delta_ok ? CTP_ROLE_NORMAL : c->delta > 0 ? CTP_ROLE_DELTA_UP
				     : c->delta < 0 ? CTP_ROLE_DELTA_DOWN : CTP_ROLE_NORMAL;
		set_show(gr, 3, tab, r, m, CTP_SHOW_DELTA, role);
		if (rate)
			ctp_grid_set(gr, 4, cm->monotonic ? ctp_cell_unit(tab, m) : "", CTP_ROLE_DIM);
		if (pct)
			set_show(gr, pc, tab, r, m, CTP_SHOW_PCT, role);
		if (nsp)
			ctp_spread_cols_set(gr, sc, tab, r, m);
		ctp_grid_set(gr, sc + nsp, cm->help, CTP_ROLE_DIM);
	}
	ctp_waits_rows_add(g, r); /* --wchan: what the group's threads wait on */
}

static void rebuild(struct detail_view *dv, const struct ctp_session *s)
{
	if (!s->live) {
		dv->lv.note = "waiting for the first sample...";
		return;
	}
	struct ctp_compare_opts o;
	const struct ctp_snapshot *base = ctp_session_copts(s, &o);
	o.sort.n = 0;
	o.filter = NULL;
	o.spread = true; /* issue 17: the spread of each counter over the group's threads */
	o.waits = true;  /* and their wait channels (with --wchan) */
	struct ctp_err err = { 0 };
	struct ctp_table *tab = ctp_session_table(s, base, &o, dv->key, dv->keylen, dv->tid != NULL, &err);
	if (!tab) {
		ctp_err_str(&err, dv->lv.err, sizeof(dv->lv.err));
		return;
	}
	const struct ctp_row *r = dv->tid ? ctp_table_find(tab, dv->tid, strlen(dv->tid))
					  : ctp_table_find(tab, dv->key, dv->keylen);
	if (!r)
		snprintf(dv->lv.err, sizeof(dv->lv.err), "%s is gone from both samples", dv->tid ? "this thread" : "this group");
	else
		fill(dv, tab, r);
	ctp_table_free(tab);
	ctp_listview_rebuilt(&dv->lv);
}

static void dv_draw(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w)
{
	struct detail_view *dv = (struct detail_view *)v;
	if (ctp_listview_stale(&dv->lv, s->gen))
		rebuild(dv, s);
	ctp_listview_draw(&dv->lv, y, h, w);
}

static void dv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	struct detail_view *dv = (struct detail_view *)v;
	char hidden[64] = "";
	if (dv->nhidden)
		snprintf(hidden, sizeof(hidden), " [%zu unchanged hidden: a shows them]", dv->nhidden);
	else if (dv->all)
		snprintf(hidden, sizeof(hidden), " [all rows: a hides the unchanged]");
	if (dv->tid)
		snprintf(buf, len, "[detail of thread %s in %s]%s", dv->tid, dv->label, hidden);
	else
		snprintf(buf, len, "[detail of %s]%s", dv->label, hidden);
}

static struct ctp_reaction dv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct detail_view *dv = (struct detail_view *)v;
	int hdr;
	if (ctp_listview_key(&dv->lv, a, &hdr))
		return ctp_react(CTP_REACT_HANDLED);
	switch (a) {
	case CTP_ACT_DETAIL: return ctp_react(CTP_REACT_POP);
	case CTP_ACT_ALL_ROWS:
		dv->all = !dv->all;
		dv->lv.built = false; /* refilled at the next draw */
		return ctp_react(CTP_REACT_HANDLED);
	case CTP_ACT_ENTER: case CTP_ACT_GROUP_CYCLE: return ctp_react(CTP_REACT_HANDLED);
	default: return ctp_react(CTP_REACT_IGNORED);
	}
}

static void dv_destroy(struct ctp_view *v)
{
	struct detail_view *dv = (struct detail_view *)v;
	ctp_listview_release(&dv->lv);
	free(dv->key);
	free(dv->label);
	free(dv->tid);
	free(dv);
}

/* every metric is a row: the refreshes read everything while it is open */
static enum ctp_view_need dv_need(const struct ctp_view *v)
{
	(void)v;
	return CTP_NEED_FULL;
}

static const struct ctp_view_ops detail_ops = {
	.title = dv_title,
	.draw = dv_draw,
	.on_key = dv_key,
	.destroy = dv_destroy,
	.need = dv_need,
};

struct ctp_view *ctp_view_detail_new(const char *key, size_t keylen, const char *label, const char *tid)
{
	struct detail_view *dv = ctp_xcalloc(1, sizeof(*dv));
	dv->v.ops = &detail_ops;
	ctp_listview_init(&dv->lv);
	dv->key = ctp_xmalloc(keylen + 1);
	memcpy(dv->key, key, keylen);
	dv->key[keylen] = 0;
	dv->keylen = keylen;
	dv->label = ctp_text_sanitize(label);
	dv->tid = tid ? ctp_xstrdup(tid) : NULL;
	return &dv->v;
}
