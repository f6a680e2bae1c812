/* grid.h — a screen table for the views: columns with header, alignment and a drop priority,
 * rows of owned, already-sanitized cells each with a theme role. The drawer fits columns to
 * the width (lowest-priority columns drop first), scrolls, marks the sorted column, draws the
 * selection and maps a mouse click on the header back to a column. */
#ifndef CTP_GRID_H
#define CTP_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "live/theme.h"

struct ctp_grid_col {
	char *title;      /* owned */
	bool right;       /* right-aligned (numbers) */
	int prio;         /* 0 = never dropped; higher numbers drop first */
	int maxw;         /* cap on the width (0 = none) */
	int width;        /* computed by ctp_grid_layout */
	int id;           /* caller's column id (e.g. metric index), -1 = none */
};

struct ctp_grid_cell {
	char *text;       /* owned, display-safe */
	enum ctp_role role;
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
void ctp_grid_setf(struct ctp_grid_row *r, size_t col, enum ctp_role role, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* display width of a UTF-8 string (one cell per scalar, ASCII fallback counts bytes) */
int ctp_text_width(const char *s);
/* copies s into a new string with control bytes and invalid UTF-8 replaced by '?' */
char *ctp_text_sanitize(const char *s);

/* draws header at row y and rows [first, first+nrows_screen) below it within width cols;
 * hscroll skips that many droppable columns from the left; sel is highlighted (-1 = none) */
void ctp_grid_draw(struct ctp_grid *g, int y, int nrows_screen, int cols, size_t first, long sel, int hscroll);
/* column index whose header spans screen x after the last draw, -1 if none */
int ctp_grid_col_at(const struct ctp_grid *g, int x);
/* row index with this key, -1 if none */
long ctp_grid_find(const struct ctp_grid *g, const char *key);

#endif
