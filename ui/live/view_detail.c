/* view_detail.c — every metric of one group (or of one thread of a group) as rows:
 * metric | baseline | live | delta | % | help, recomputed on each sample. A list view: its own
 * keys only close it again (d) or do nothing (Enter, g). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/listview.h"
#include "live/theme.h"
#include "live/view.h"

struct detail_view {
	struct ctp_view v;
	struct ctp_listview lv;
	char *key;
	size_t keylen;
	char *label;
	char *tid;      /* NULL: the group itself */
};

static void fill(struct detail_view *dv, const struct ctp_table *tab, const struct ctp_row *r)
{
	struct ctp_grid *g = &dv->lv.grid;
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
	struct ctp_err err = { 0 };
	struct ctp_table *tab = dv->tid ? ctp_compare_threads(base, s->live, dv->key, dv->keylen, &o, &err)
					: ctp_compare(base, s->live, &o, &err);
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
	if (dv->tid)
		snprintf(buf, len, "[detail of thread %s in %s]", dv->tid, dv->label);
	else
		snprintf(buf, len, "[detail of %s]", dv->label);
}

static struct ctp_reaction dv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct detail_view *dv = (struct detail_view *)v;
	int hdr;
	if (ctp_listview_key(&dv->lv, a, &hdr))
		return ctp_react(CTP_REACT_HANDLED);
	switch (a) {
	case CTP_ACT_DETAIL: return ctp_react(CTP_REACT_POP);
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
	ctp_listview_init(&dv->lv);
	dv->key = ctp_xmalloc(keylen + 1);
	memcpy(dv->key, key, keylen);
	dv->key[keylen] = 0;
	dv->keylen = keylen;
	dv->label = ctp_text_sanitize(label);
	dv->tid = tid ? ctp_xstrdup(tid) : NULL;
	return &dv->v;
}
