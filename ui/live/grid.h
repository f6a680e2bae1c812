/* grid.h — a screen table for the views: columns with header, alignment and a drop priority,
 * rows of owned, already-sanitized cells each with a theme role. The drawer fits columns to
 * the width (lowest-priority columns drop first, wide ones shrink to a floor, text cut with an
 * ellipsis), keeps the leading never-dropped columns frozen at the left while the others scroll,
 * marks hidden columns ("← N", "→ N more"), pins the sorted column, draws the selection and maps
 * a mouse click on the header back to a column. */
#ifndef CTP_GRID_H
#define CTP_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"
#include "live/theme.h"

struct ctp_grid_col {
	char *title;      /* owned */
	bool right;       /* right-aligned (numbers) */
	int prio;         /* 0 = never dropped (the leading run of them is frozen at the left during
			   * horizontal scroll); higher numbers drop first */
	int maxw;         /* cap on the width (0 = none) */
	int natw, minw;   /* computed by ctp_grid_draw: wanted width, floor when the screen is narrow */
	int width;        /* computed by ctp_grid_draw: the width given */
	int id;           /* caller's column id (e.g. metric index), -1 = none */
};

struct ctp_grid_cell {
	char *text;       /* owned, display-safe */
	enum ctp_role role;
	size_t tail;      /* bytes at the end of text kept whole when the cell is cut (a marker) */
};

struct ctp_grid_row {
	struct ctp_grid_cell *cells; /* ncols cells */
	char *key;        /* owned: the row's identity (group key, tid) for selection and drill-down */
	enum ctp_role role; /* whole-row role for the name cell (NEW / GONE), NORMAL otherwise */
};

struct ctp_grid {
	struct ctp_grid_col *cols;
	size_t ncols, cols_alloc;
	struct ctp_grid_row *rows;
	size_t nrows, rows_alloc;
	int sort_col;     /* index into cols, -1 = none */
	bool sort_desc;
	/* filled by ctp_grid_draw: screen x of each visible column, -1 when hidden */
	int *col_x;
	int more_left;    /* droppable columns scrolled away on the left (the hscroll used) */
	int more_right;   /* droppable columns not shown on the right (dropped for width or scrolled) */
	int pinned;       /* the sorted column drawn right after the frozen ones, -1 = none */
	int lmark_x;      /* screen x of the "← N" mark */
};

void ctp_grid_init(struct ctp_grid *g);
void ctp_grid_release(struct ctp_grid *g);
/* removes rows and columns, keeps the allocations */
void ctp_grid_clear(struct ctp_grid *g);
int ctp_grid_add_col(struct ctp_grid *g, const char *title, bool right, int prio, int maxw, int id);
/* appends a row with ncols empty cells; key copied (may be NULL) */
struct ctp_grid_row *ctp_grid_add_row(struct ctp_grid *g, const char *key);
/* sets a cell from raw text: control bytes and invalid UTF-8 are escaped (takes a copy) */
void ctp_grid_set(struct ctp_grid_row *r, size_t col, const char *text, enum ctp_role role);
/* text then a marker (" new", " gone") that stays whole when a narrow column cuts the text */
void ctp_grid_set_marked(struct ctp_grid_row *r, size_t col, const char *text, const char *mark, enum ctp_role role);
void ctp_grid_setf(struct ctp_grid_row *r, size_t col, enum ctp_role role, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* display width of a UTF-8 string (one cell per scalar, ASCII fallback counts bytes) */
int ctp_text_width(const char *s);
/* copies s into a new string with control bytes and invalid UTF-8 replaced by '?' */
char *ctp_text_sanitize(const char *s);

/* the ellipsis that ends cut text: "…", "~" on an ASCII terminal */
const char *ctp_text_ellipsis(void);
/* appends s cut to w cells to out: when wider, its first w-1 cells and the ellipsis; returns
 * the cells appended */
int ctp_text_fit(const char *s, int w, struct ctp_buf *out);

/* draws header at row y and rows [first, first+nrows_screen) below it within width cols;
 * hscroll skips that many droppable columns after the frozen ones, never the sorted one
 * (clamped: one stays); sel is highlighted (-1 = none). Layout: frozen columns, the pinned
 * sorted column (when it would drop for width or a column before it scrolled away), a "← N"
 * mark when scrolled, the rest in order; "→ N more" at the right edge when
 * columns are hidden on the right. The first five droppable columns (the sorted one first, then
 * by priority) shrink rather than drop: names (left-aligned) to 16 cells (frozen ones to 12 if
 * the five need it), numbers to their data with titles not cut below 8 cells; further columns
 * show only when all fit at full width.
 * Leftover cells widen the shown columns evenly; cut text ends with the ellipsis. */
void ctp_grid_draw(struct ctp_grid *g, int y, int nrows_screen, int cols, size_t first, long sel, int hscroll);
/* the ids (>= 0) of the columns on screen after the last draw, in column order; returns how
 * many (at most max) */
size_t ctp_grid_shown_ids(const struct ctp_grid *g, int *out, size_t max);
/* column index whose header spans screen x after the last draw, -1 if none */
int ctp_grid_col_at(const struct ctp_grid *g, int x);
/* row index with this key, -1 if none */
long ctp_grid_find(const struct ctp_grid *g, const char *key);

#endif
