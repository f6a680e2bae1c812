/* view_columns.c — the column chooser (c / F2): every compare metric with a check box; Space
 * toggles one into the custom column set (which then replaces the 1-6 presets), Esc returns. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/grid.h"
#include "live/theme.h"
#include "live/view.h"

struct columns_view {
	struct ctp_view v;
	long sel;
	size_t first;
	int last_h;
};

/* turns the current preset into the custom set so toggles start from what is on screen */
static void ensure_custom(struct ctp_top *t)
{
	if (!t->custom_cols)
		t->custom_cols = ctp_xcalloc(ctp_cmetric_count(), sizeof(bool));
	if (t->colset < 0)
		return;
	int m[128];
	size_t n = ctp_top_columns(t, m, CTP_ARRAY_SIZE(m));
	memset(t->custom_cols, 0, ctp_cmetric_count() * sizeof(bool));
	for (size_t i = 0; i < n; i++)
		t->custom_cols[m[i]] = true;
	t->colset = -1;
}

static bool is_on(const struct ctp_top *t, size_t metric)
{
	int m[128];
	size_t n = ctp_top_columns(t, m, CTP_ARRAY_SIZE(m));
	for (size_t i = 0; i < n; i++)
		if ((size_t)m[i] == metric)
			return true;
	return false;
}

static void cv_draw(struct ctp_view *v, struct ctp_top *t, int y, int h, int w)
{
	struct columns_view *cv = (struct columns_view *)v;
	cv->last_h = h;
	size_t n = ctp_cmetric_count();
	int rows = h - 1;
	if (cv->sel >= 0 && (size_t)cv->sel < cv->first)
		cv->first = (size_t)cv->sel;
	if (rows > 0 && (size_t)cv->sel >= cv->first + (size_t)rows)
		cv->first = (size_t)cv->sel - (size_t)rows + 1;
	move(y, 0);
	clrtoeol();
	attron(ctp_theme_attr(CTP_ROLE_COLHDR));
	mvhline(y, 0, ' ', w);
	mvaddnstr(y, 0, "   METRIC                         SECTION    HELP   (Space toggles, Esc returns)", w);
	attroff(ctp_theme_attr(CTP_ROLE_COLHDR));
	for (int i = 0; i < rows; i++) {
		size_t m = cv->first + (size_t)i;
		move(y + 1 + i, 0);
		clrtoeol();
		if (m >= n)
			continue;
		const struct ctp_cmetric *cm = ctp_cmetric(m);
		char line[512];
		snprintf(line, sizeof(line), "[%c] %-30s %-10s %s", is_on(t, m) ? 'x' : ' ', cm->name,
			 ctp_section_name(cm->group), cm->help ? cm->help : "");
		int a = ctp_theme_attr((long)m == cv->sel ? CTP_ROLE_SELECTED : CTP_ROLE_NORMAL);
		attron(a);
		mvaddnstr(y + 1 + i, 0, line, w);
		attroff(a);
	}
}

static void cv_title(struct ctp_view *v, struct ctp_top *t, char *buf, size_t len)
{
	snprintf(buf, len, "[columns: %s]", ctp_colset_title(t->colset));
}

static bool cv_key(struct ctp_view *v, struct ctp_top *t, enum ctp_action a, int key)
{
	struct columns_view *cv = (struct columns_view *)v;
	long n = (long)ctp_cmetric_count(), page = cv->last_h > 2 ? cv->last_h - 2 : 1;
	if (ctp_view_move_sel(a, &cv->sel, n, page))
		return true;
	switch (a) {
	case CTP_ACT_PAUSE: /* Space */
		ensure_custom(t);
		t->custom_cols[cv->sel] = !t->custom_cols[cv->sel];
		ctp_top_touch(t);
		return true;
	case CTP_ACT_ENTER: case CTP_ACT_COLUMNS: ctp_top_pop(t); return true;
	case CTP_ACT_QUIT: case CTP_ACT_REDRAW: case CTP_ACT_BACK: return false;
	default: return true;
	}
}

static void cv_destroy(struct ctp_view *v)
{
	free(v);
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
	return &cv->v;
}
