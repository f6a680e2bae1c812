/* view_columns.c — the column chooser (c / F2): every compare metric with a check box, as a list
 * view; Space toggles one into the custom column set (which then replaces the 1-6 presets),
 * Enter or c closes it, Esc returns. */
#include <stdio.h>
#include <stdlib.h>

#include "live/listview.h"
#include "live/theme.h"
#include "live/view.h"

struct columns_view {
	struct ctp_view v;
	struct ctp_listview lv;
};

/* one row per metric, in registry order: row i is metric i */
static void fill(struct columns_view *cv, const struct ctp_session *s)
{
	struct ctp_grid *g = &cv->lv.grid;
	ctp_grid_clear(g);
	ctp_grid_add_col(g, "", false, 0, 0, -1);
	ctp_grid_add_col(g, "METRIC", false, 0, 30, -1);
	ctp_grid_add_col(g, "SECTION", false, 1, 0, -1);
	ctp_grid_add_col(g, "HELP", false, 2, 0, -1);
	for (size_t m = 0; m < ctp_cmetric_count(); m++) {
		const struct ctp_cmetric *cm = ctp_cmetric(m);
		struct ctp_grid_row *gr = ctp_grid_add_row(g, cm->name);
		ctp_grid_set(gr, 0, ctp_columns_has(&s->cols, m) ? "[x]" : "[ ]", CTP_ROLE_NORMAL);
		ctp_grid_set(gr, 1, cm->name, CTP_ROLE_NORMAL);
		ctp_grid_set(gr, 2, ctp_section_name(cm->group), CTP_ROLE_DIM);
		ctp_grid_set(gr, 3, cm->help ? cm->help : "", CTP_ROLE_DIM);
	}
	ctp_listview_rebuilt(&cv->lv);
}

static void cv_draw(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w)
{
	struct columns_view *cv = (struct columns_view *)v;
	if (ctp_listview_stale(&cv->lv, s->gen))
		fill(cv, s);
	ctp_listview_draw(&cv->lv, y, h, w);
}

static void cv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	snprintf(buf, len, "[columns: %s] Space toggles, Esc returns", ctp_colset_name(s->cols.set));
}

static struct ctp_reaction cv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct columns_view *cv = (struct columns_view *)v;
	int hdr;
	if (ctp_listview_key(&cv->lv, a, &hdr))
		return ctp_react(CTP_REACT_HANDLED);
	long sel = ctp_listview_sel(&cv->lv);
	switch (a) {
	case CTP_ACT_PAUSE: /* Space */
		if (sel < 0)
			return ctp_react(CTP_REACT_HANDLED);
		ctp_session_toggle_column(s, (size_t)sel);
		return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_ENTER: case CTP_ACT_COLUMNS: return ctp_react(CTP_REACT_POP);
	case CTP_ACT_QUIT: case CTP_ACT_REDRAW: case CTP_ACT_BACK: return ctp_react(CTP_REACT_IGNORED);
	default: return ctp_react(CTP_REACT_HANDLED); /* the other keys are inert here */
	}
}

static void cv_destroy(struct ctp_view *v)
{
	struct columns_view *cv = (struct columns_view *)v;
	ctp_listview_release(&cv->lv);
	free(cv);
}

static const struct ctp_view_ops columns_ops = {
	.title = cv_title,
	.draw = cv_draw,
	.on_key = cv_key,
	.destroy = cv_destroy,
};

struct ctp_view *ctp_view_columns_new(void)
{
	struct columns_view *cv = ctp_xcalloc(1, sizeof(*cv));
	cv->v.ops = &columns_ops;
	ctp_listview_init(&cv->lv);
	return &cv->v;
}
