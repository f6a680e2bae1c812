/* listview.h — the base of every list screen of the live view (as htop's Panel): a grid plus its
 * selection, vertical and horizontal scrolling, the note or error line drawn instead of the grid,
 * the empty-list message, and the navigation keys (arrows, pages, Home/End, Left/Right, a click
 * on a row). A view embeds one, refills its grid when ctp_listview_stale says so, and handles
 * only the keys that are its own. */
#ifndef CTP_LISTVIEW_H
#define CTP_LISTVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "live/grid.h"
#include "live/keys.h"

struct ctp_listview {
	struct ctp_grid grid;
	long sel;            /* selected grid row, -1 = none */
	size_t first;        /* first grid row on screen */
	int hscroll;         /* droppable columns hidden on the left (Left/Right) */
	int last_y, last_h;  /* body area of the last draw: mouse rows, page size */
	bool laid_out;       /* the last draw laid the grid out (not a note or an error line) */
	char *sel_key;       /* owned: the selected row's key, so a rebuild keeps the selection */
	uint64_t gen;        /* session generation the grid was built for */
	bool built;
	char err[300];       /* non-empty: drawn (error role) instead of the grid */
	const char *note;    /* non-NULL: drawn instead of the grid (e.g. waiting for a sample) */
	const char *empty;   /* drawn below the header when the grid has no rows */
};

void ctp_listview_init(struct ctp_listview *lv);
void ctp_listview_release(struct ctp_listview *lv);
/* true when the grid must be refilled for generation gen (first draw, or gen moved); it then
 * also clears err and note for the refill to set */
bool ctp_listview_stale(struct ctp_listview *lv, uint64_t gen);
/* after a refill: the selection goes back to the row with the remembered key, clamped */
void ctp_listview_rebuilt(struct ctp_listview *lv);
/* draws rows [y, y+h) of width w: note, error line, or header and rows with the selection */
void ctp_listview_draw(struct ctp_listview *lv, int y, int h, int w);
/* the ids of the grid's columns on screen after the last draw (the tables: metric indexes) and
 * their count, or -1 when that draw showed a note or an error line instead of the grid */
long ctp_listview_shown(const struct ctp_listview *lv, int *ids, size_t max);
/* the navigation keys: true when a consumed it. A click on the header stores the clicked grid
 * column in *hdr_col (else -1) and is consumed too. */
bool ctp_listview_key(struct ctp_listview *lv, enum ctp_action a, int *hdr_col);
/* the selected row, -1 when none */
long ctp_listview_sel(const struct ctp_listview *lv);
/* back to the top-left corner, selection on the first row */
void ctp_listview_home(struct ctp_listview *lv);

#endif
