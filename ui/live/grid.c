/* grid.c — draws the views' tables: fits columns to the terminal width by priority, clips
 * UTF-8 text by display cells, highlights the sorted column and the selected row, and keeps
 * header x positions so a mouse click can pick the sort column. */
#include "live/grid.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/format.h"
#include "base/util.h"

void ctp_grid_init(struct ctp_grid *g)
{
	memset(g, 0, sizeof(*g));
	g->sort_col = -1;
}

static void free_rows(struct ctp_grid *g)
{
	for (size_t i = 0; i < g->nrows; i++) {
		for (size_t c = 0; c < g->ncols; c++)
			free(g->rows[i].cells[c].text);
		free(g->rows[i].cells);
		free(g->rows[i].key);
	}
	g->nrows = 0;
}

void ctp_grid_clear(struct ctp_grid *g)
{
	free_rows(g);
	for (size_t c = 0; c < g->ncols; c++)
		free(g->cols[c].title);
	g->ncols = 0;
	g->sort_col = -1;
}

void ctp_grid_release(struct ctp_grid *g)
{
	ctp_grid_clear(g);
	free(g->cols);
	free(g->rows);
	free(g->col_x);
	ctp_grid_init(g);
}

int ctp_grid_add_col(struct ctp_grid *g, const char *title, bool right, int prio, int maxw, int id)
{
	if (g->ncols == g->cols_alloc) {
		g->cols_alloc = g->cols_alloc ? 2 * g->cols_alloc : 16;
		g->cols = ctp_xrealloc(g->cols, g->cols_alloc * sizeof(*g->cols));
		g->col_x = ctp_xrealloc(g->col_x, g->cols_alloc * sizeof(*g->col_x));
	}
	struct ctp_grid_col *c = &g->cols[g->ncols];
	c->title = ctp_text_sanitize(title);
	c->right = right;
	c->prio = prio;
	c->maxw = maxw;
	c->width = ctp_text_width(c->title);
	c->id = id;
	g->col_x[g->ncols] = -1;
	return (int)g->ncols++;
}

struct ctp_grid_row *ctp_grid_add_row(struct ctp_grid *g, const char *key)
{
	if (g->nrows == g->rows_alloc) {
		g->rows_alloc = g->rows_alloc ? 2 * g->rows_alloc : 64;
		g->rows = ctp_xrealloc(g->rows, g->rows_alloc * sizeof(*g->rows));
	}
	struct ctp_grid_row *r = &g->rows[g->nrows++];
	r->cells = ctp_xcalloc(g->ncols ? g->ncols : 1, sizeof(*r->cells));
	r->key = key ? ctp_xstrdup(key) : NULL;
	r->role = CTP_ROLE_NORMAL;
	return r;
}

char *ctp_text_sanitize(const char *s)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_sanitize_name(s ? s : "", s ? strlen(s) : 0, false, &b);
	if (!ctp_theme_utf8()) /* ASCII terminal: one '?' per non-ASCII byte */
		for (size_t i = 0; i < b.len; i++)
			if ((unsigned char)b.buf[i] >= 0x80)
				b.buf[i] = '?';
	return ctp_buf_detach(&b, NULL);
}

int ctp_text_width(const char *s)
{
	return s ? ctp_display_clip(s, 1 << 30, NULL) : 0;
}

void ctp_grid_set(struct ctp_grid_row *r, size_t col, const char *text, enum ctp_role role)
{
	free(r->cells[col].text);
	r->cells[col].text = ctp_text_sanitize(text ? text : "");
	r->cells[col].role = role;
}

void ctp_grid_setf(struct ctp_grid_row *r, size_t col, enum ctp_role role, const char *fmt, ...)
{
	struct ctp_buf b = CTP_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	ctp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ctp_grid_set(r, col, b.buf, role);
	ctp_buf_release(&b);
}

static void measure(struct ctp_grid *g)
{
	for (size_t c = 0; c < g->ncols; c++) {
		int w = ctp_text_width(g->cols[c].title) + (g->sort_col == (int)c ? 1 : 0);
		for (size_t r = 0; r < g->nrows; r++) {
			const char *t = g->rows[r].cells[c].text;
			int tw = t ? ctp_text_width(t) : 0;
			if (tw > w)
				w = tw;
		}
		if (g->cols[c].maxw && w > g->cols[c].maxw)
			w = g->cols[c].maxw;
		g->cols[c].width = w;
	}
}

/* picks visible columns: priority 0 always (clipped if needed), then by ascending priority
 * while they fit; hscroll hides that many droppable columns from the left first */
static void fit(struct ctp_grid *g, int cols, int hscroll)
{
	int used = 0;
	for (size_t c = 0; c < g->ncols; c++) {
		g->col_x[c] = -1;
		if (g->cols[c].prio == 0)
			used += g->cols[c].width + 1;
	}
	int skipped = 0;
	bool *on = ctp_xcalloc(g->ncols ? g->ncols : 1, sizeof(bool));
	bool *hidden = ctp_xcalloc(g->ncols ? g->ncols : 1, sizeof(bool));
	for (size_t c = 0; c < g->ncols && skipped < hscroll; c++)
		if (g->cols[c].prio != 0) {
			hidden[c] = true;
			skipped++;
		}
	for (size_t c = 0; c < g->ncols; c++)
		on[c] = g->cols[c].prio == 0;
	for (int p = 1; p < 100; p++)
		for (size_t c = 0; c < g->ncols; c++) {
			if (g->cols[c].prio != p || hidden[c])
				continue;
			if (used + g->cols[c].width + 1 <= cols) {
				on[c] = true;
				used += g->cols[c].width + 1;
			}
		}
	int x = 0;
	for (size_t c = 0; c < g->ncols; c++) {
		if (!on[c] || x >= cols)
			continue;
		g->col_x[c] = x;
		x += g->cols[c].width + 1;
	}
	free(on);
	free(hidden);
}

static void put_cell(int y, int x, int w, int maxx, const char *text, bool right, int attr)
{
	if (x >= maxx)
		return;
	if (x + w > maxx)
		w = maxx - x;
	size_t bytes;
	int tw = ctp_display_clip(text ? text : "", w, &bytes);
	int pad = right ? w - tw : 0;
	attron(attr);
	mvhline(y, x, ' ', w);
	if (bytes)
		mvaddnstr(y, x + pad, text, (int)bytes);
	attroff(attr);
}

static void draw_header(struct ctp_grid *g, int y, int cols)
{
	int hdr = ctp_theme_attr(CTP_ROLE_COLHDR);
	attron(hdr);
	mvhline(y, 0, ' ', cols);
	attroff(hdr);
	for (size_t c = 0; c < g->ncols; c++) {
		if (g->col_x[c] < 0)
			continue;
		bool sorted = g->sort_col == (int)c;
		struct ctp_buf b = CTP_BUF_INIT;
		ctp_buf_adds(&b, g->cols[c].title);
		if (sorted)
			ctp_buf_adds(&b, g->sort_desc ? ctp_glyph_sort_desc() : ctp_glyph_sort_asc());
		put_cell(y, g->col_x[c], g->cols[c].width, cols, b.buf, g->cols[c].right,
			 ctp_theme_attr(sorted ? CTP_ROLE_COLHDR_SORT : CTP_ROLE_COLHDR));
		ctp_buf_release(&b);
	}
}

void ctp_grid_draw(struct ctp_grid *g, int y, int nrows_screen, int cols, size_t first, long sel, int hscroll)
{
	measure(g);
	fit(g, cols, hscroll);
	draw_header(g, y, cols);
	for (int i = 0; i < nrows_screen; i++) {
		size_t r = first + (size_t)i;
		move(y + 1 + i, 0);
		clrtoeol();
		if (r >= g->nrows)
			continue;
		bool is_sel = (long)r == sel;
		int selattr = ctp_theme_attr(CTP_ROLE_SELECTED);
		if (is_sel) {
			attron(selattr);
			mvhline(y + 1 + i, 0, ' ', cols);
			attroff(selattr);
		}
		for (size_t c = 0; c < g->ncols; c++) {
			if (g->col_x[c] < 0)
				continue;
			const struct ctp_grid_cell *cell = &g->rows[r].cells[c];
			enum ctp_role role = cell->role;
			if (c == 0 && g->rows[r].role != CTP_ROLE_NORMAL)
				role = g->rows[r].role;
			int attr = is_sel ? selattr : ctp_theme_attr(role);
			put_cell(y + 1 + i, g->col_x[c], g->cols[c].width, cols, cell->text, g->cols[c].right, attr);
		}
	}
}

int ctp_grid_col_at(const struct ctp_grid *g, int x)
{
	for (size_t c = 0; c < g->ncols; c++)
		if (g->col_x[c] >= 0 && x >= g->col_x[c] && x <= g->col_x[c] + g->cols[c].width)
			return (int)c;
	return -1;
}

long ctp_grid_find(const struct ctp_grid *g, const char *key)
{
	if (!key)
		return -1;
	for (size_t r = 0; r < g->nrows; r++)
		if (g->rows[r].key && !strcmp(g->rows[r].key, key))
			return (long)r;
	return -1;
}
