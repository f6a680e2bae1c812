/* listview.c — the list screen base (listview.h): keeps the selection on screen, draws the grid
 * or the line that replaces it, moves the selection and the horizontal scroll by key or click,
 * and remembers the selected row's key so a rebuild on a new sample keeps the cursor in place. */
#include "live/listview.h"

#include <curses.h>
#include <stdlib.h>

#include "base/util.h"
#include "live/theme.h"

void ctp_listview_init(struct ctp_listview *lv)
{
	*lv = (struct ctp_listview){ 0 };
	ctp_grid_init(&lv->grid);
}

void ctp_listview_release(struct ctp_listview *lv)
{
	ctp_grid_release(&lv->grid);
	free(lv->sel_key);
	lv->sel_key = NULL;
}

bool ctp_listview_stale(struct ctp_listview *lv, uint64_t gen)
{
	if (lv->built && lv->gen == gen)
		return false;
	lv->gen = gen;
	lv->built = true;
	lv->err[0] = 0;
	lv->note = NULL;
	return true;
}

static void remember_sel(struct ctp_listview *lv)
{
	free(lv->sel_key);
	lv->sel_key = NULL;
	if (lv->sel >= 0 && (size_t)lv->sel < lv->grid.nrows && lv->grid.rows[lv->sel].key)
		lv->sel_key = ctp_xstrdup(lv->grid.rows[lv->sel].key);
}

void ctp_listview_rebuilt(struct ctp_listview *lv)
{
	long s = ctp_grid_find(&lv->grid, lv->sel_key);
	if (s >= 0)
		lv->sel = s;
	if (lv->sel >= (long)lv->grid.nrows)
		lv->sel = (long)lv->grid.nrows - 1;
	if (lv->sel < 0 && lv->grid.nrows)
		lv->sel = 0;
}

static void line(int y, int w, enum ctp_role role, const char *text)
{
	int a = ctp_theme_attr(role);
	attron(a);
	mvaddnstr(y, 1, text, w - 1);
	attroff(a);
}

void ctp_listview_draw(struct ctp_listview *lv, int y, int h, int w)
{
	lv->last_y = y;
	lv->last_h = h;
	lv->laid_out = false;
	for (int i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	if (lv->note || lv->err[0]) {
		line(y + 1, w, lv->err[0] ? CTP_ROLE_ERROR : CTP_ROLE_NORMAL, lv->err[0] ? lv->err : lv->note);
		return;
	}
	int rows = h - 1;
	if (lv->sel >= 0) {
		if ((size_t)lv->sel < lv->first)
			lv->first = (size_t)lv->sel;
		if (rows > 0 && (size_t)lv->sel >= lv->first + (size_t)rows)
			lv->first = (size_t)lv->sel - (size_t)rows + 1;
	}
	if (lv->first >= lv->grid.nrows)
		lv->first = 0;
	ctp_grid_draw(&lv->grid, y, rows, w, lv->first, lv->sel, lv->hscroll);
	lv->laid_out = true;
	lv->hscroll = lv->grid.more_left; /* clamped by the layout: Left acts at once */
	if (!lv->grid.nrows && lv->empty)
		mvaddnstr(y + 2, 1, lv->empty, w - 1);
}

long ctp_listview_shown(const struct ctp_listview *lv, int *ids, size_t max)
{
	return lv->laid_out ? (long)ctp_grid_shown_ids(&lv->grid, ids, max) : -1;
}

static bool move_sel(struct ctp_listview *lv, enum ctp_action a)
{
	long n = (long)lv->grid.nrows, page = lv->last_h > 2 ? lv->last_h - 2 : 1;
	switch (a) {
	case CTP_ACT_UP: lv->sel--; break;
	case CTP_ACT_DOWN: lv->sel++; break;
	case CTP_ACT_PGUP: lv->sel -= page; break;
	case CTP_ACT_PGDN: lv->sel += page; break;
	case CTP_ACT_HOME: lv->sel = 0; break;
	case CTP_ACT_END: lv->sel = n - 1; break;
	default: return false;
	}
	if (lv->sel >= n)
		lv->sel = n - 1;
	if (lv->sel < 0)
		lv->sel = 0;
	return true;
}

/* button 1 on the header reports its column; on a row, selects it */
static void on_mouse(struct ctp_listview *lv, int *hdr_col)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (ev.y == lv->last_y) {
		*hdr_col = ctp_grid_col_at(&lv->grid, ev.x);
		return;
	}
	long r = (long)lv->first + (ev.y - lv->last_y - 1);
	if (ev.y > lv->last_y && r < (long)lv->grid.nrows)
		lv->sel = r;
}

bool ctp_listview_key(struct ctp_listview *lv, enum ctp_action a, int *hdr_col)
{
	*hdr_col = -1;
	if (move_sel(lv, a)) {
		remember_sel(lv);
		return true;
	}
	switch (a) {
	case CTP_ACT_MOUSE:
		on_mouse(lv, hdr_col);
		remember_sel(lv);
		return true;
	case CTP_ACT_LEFT:
		if (lv->hscroll > 0)
			lv->hscroll--;
		return true;
	case CTP_ACT_RIGHT:
		if (lv->grid.more_right > 0) /* nothing hidden on the right: no scroll into blank */
			lv->hscroll++;
		return true;
	default: return false;
	}
}

long ctp_listview_sel(const struct ctp_listview *lv)
{
	return lv->sel >= 0 && (size_t)lv->sel < lv->grid.nrows ? lv->sel : -1;
}

void ctp_listview_home(struct ctp_listview *lv)
{
	lv->sel = 0;
	lv->first = 0;
	lv->hscroll = 0;
	free(lv->sel_key);
	lv->sel_key = NULL;
	lv->built = false;
}
