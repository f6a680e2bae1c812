/* grid.c — draws the views' tables: fits columns to the terminal width (shrink, then drop by
 * priority; the sorted column pinned), keeps the leading columns frozen during horizontal scroll
 * and marks hidden columns, cuts UTF-8 text by display cells with an ellipsis, highlights the
 * sorted column and the selected row, and keeps header x positions for mouse clicks. */
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
	g->pinned = -1;
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
	r->cells[col].tail = 0;
}

void ctp_grid_set_marked(struct ctp_grid_row *r, size_t col, const char *text, const char *mark, enum ctp_role role)
{
	char *t = ctp_text_sanitize(text ? text : ""), *m = ctp_text_sanitize(mark ? mark : "");
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_adds(&b, t);
	ctp_buf_adds(&b, m);
	free(r->cells[col].text);
	r->cells[col].text = ctp_buf_detach(&b, NULL);
	r->cells[col].role = role;
	r->cells[col].tail = strlen(m);
	free(t);
	free(m);
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

#define NAME_MIN 16  /* a shrunk text column (group, thread name) keeps this many cells... */
#define NAME_FLOOR 12 /* ...or, frozen, down to this many when the first columns need it */
#define TITLE_MIN 8  /* a number column's title is not cut below this many cells */
#define SHRINK_COLS 5 /* droppable columns that shrink to be shown (a set's five most useful);
		       * more are shown only when every shown column fits its full width */

const char *ctp_text_ellipsis(void)
{
	return ctp_theme_utf8() ? "\u2026" : "~";
}

int ctp_text_fit(const char *s, int w, struct ctp_buf *out)
{
	size_t bytes;
	if (w <= 0)
		return 0;
	s = s ? s : "";
	if (ctp_text_width(s) <= w) {
		ctp_buf_adds(out, s);
		return ctp_text_width(s);
	}
	int cw = ctp_display_clip(s, w - 1, &bytes);
	ctp_buf_add(out, s, bytes);
	ctp_buf_adds(out, ctp_text_ellipsis());
	return cw + 1;
}

/* natw: title (and sort glyph) or widest cell, capped by maxw; minw: text columns shrink to
 * NAME_MIN, number columns to their widest cell with the title (the glyph aside) not cut below
 * TITLE_MIN */
static void measure(struct ctp_grid *g)
{
	for (size_t c = 0; c < g->ncols; c++) {
		struct ctp_grid_col *col = &g->cols[c];
		int glyph = g->sort_col == (int)c ? 1 : 0, tw = ctp_text_width(col->title), dw = 0;
		for (size_t r = 0; r < g->nrows; r++) {
			int w = ctp_text_width(g->rows[r].cells[c].text);
			if (w > dw)
				dw = w;
		}
		int tmin = (tw < TITLE_MIN ? tw : TITLE_MIN) + glyph;
		tw += glyph;
		col->natw = tw > dw ? tw : dw;
		if (col->maxw && col->natw > col->maxw)
			col->natw = col->maxw;
		if (!col->right)
			col->minw = col->natw < NAME_MIN ? col->natw : NAME_MIN;
		else
			col->minw = dw > tmin ? dw : tmin;
		if (col->minw > col->natw)
			col->minw = col->natw;
		col->width = col->minw;
	}
}

enum { C_OFF, C_ON, C_LEFT }; /* a column's state in a layout: dropped, shown, scrolled away */

static int mark_width(const char *arrow, int n, bool more)
{
	char buf[48];
	snprintf(buf, sizeof(buf), "%s %d%s", arrow, n, more ? " more" : "");
	return ctp_text_width(buf);
}

static const char *arrow_left(void)
{
	return ctp_theme_utf8() ? "\u2190" : "<";
}

static const char *arrow_right(void)
{
	return ctp_theme_utf8() ? "\u2192" : ">";
}

/* the droppable columns still in play, most wanted first: the sorted one, then by priority */
static size_t candidates(const struct ctp_grid *g, const char *st, int *out)
{
	size_t n = 0;
	int s = g->sort_col;
	if (s >= 0 && (size_t)s < g->ncols && g->cols[s].prio != 0 && st[s] == C_OFF)
		out[n++] = s;
	for (int p = 1; p < 100; p++)
		for (size_t c = 0; c < g->ncols; c++)
			if (g->cols[c].prio == p && st[c] == C_OFF && (int)c != s)
				out[n++] = (int)c;
	return n;
}

/* leftover cells go one at a time to the shown columns still under their wanted width */
static void grow(struct ctp_grid *g, const char *st, int left)
{
	bool any = true;
	while (left > 0 && any) {
		any = false;
		for (size_t c = 0; c < g->ncols && left > 0; c++)
			if (st[c] == C_ON && g->cols[c].width < g->cols[c].natw) {
				g->cols[c].width++;
				left--;
				any = true;
			}
	}
}

/* screen x of the shown columns: frozen, pinned, the "← N" mark, the rest in order */
static void place(struct ctp_grid *g, const char *st, size_t nfrozen, int cols)
{
	int x = 0;
	for (size_t c = 0; c < g->ncols; c++)
		g->col_x[c] = -1;
	for (size_t c = 0; c < nfrozen; c++, x += g->cols[c - 1].width + 1)
		g->col_x[c] = x < cols ? x : -1;
	if (g->pinned >= 0) {
		g->col_x[g->pinned] = x < cols ? x : -1;
		x += g->cols[g->pinned].width + 1;
	}
	g->lmark_x = x;
	if (g->more_left)
		x += mark_width(arrow_left(), g->more_left, false) + 1;
	for (size_t c = nfrozen; c < g->ncols; c++) {
		if (st[c] != C_ON || (int)c == g->pinned)
			continue;
		g->col_x[c] = x < cols ? x : -1;
		x += g->cols[c].width + 1;
	}
}

/* cells the frozen text columns can give below NAME_MIN (take > 0: give that many, the first
 * column first); returns what they can (still) give */
static int squeeze_names(struct ctp_grid *g, size_t nfrozen, int take)
{
	int can = 0;
	for (size_t c = 0; c < nfrozen; c++) {
		struct ctp_grid_col *col = &g->cols[c];
		int give = col->right || col->width <= NAME_FLOOR ? 0 : col->width - NAME_FLOOR;
		if (take > 0) {
			int t = give < take ? give : take;
			col->width -= t;
			take -= t;
			give -= t;
		}
		can += give;
	}
	return can;
}

/* the sorted column is pinned when it is shown but a droppable column before it is not, or when
 * columns are scrolled away on the left (it stays before the "← N" mark) */
static int pin(const struct ctp_grid *g, const char *st, size_t nfrozen)
{
	int s = g->sort_col;
	if (s < (int)nfrozen || (size_t)s >= g->ncols || st[s] != C_ON)
		return -1;
	for (size_t c = nfrozen; c < g->ncols; c++)
		if (g->cols[c].prio != 0 && (st[c] == C_LEFT || ((int)c < s && st[c] == C_OFF)))
			return s;
	return -1;
}

/* picks and sizes the shown columns (see ctp_grid_draw), fills col_x and the marks */
static void fit(struct ctp_grid *g, int cols, int hscroll)
{
	size_t n = g->ncols, nfrozen = 0, ndrop = 0;
	char *st = ctp_xcalloc(n ? n : 1, 1);
	int *cand = ctp_xcalloc(n ? n : 1, sizeof(int));
	while (nfrozen < n && g->cols[nfrozen].prio == 0)
		nfrozen++;
	for (size_t c = 0; c < n; c++)
		ndrop += g->cols[c].prio != 0;
	int h = hscroll < (int)ndrop ? hscroll : (int)ndrop - 1, used = 0, used_nat = 0, skipped = 0;
	h = h < 0 ? 0 : h;
	for (size_t c = 0; c < n; c++) {
		if (g->cols[c].prio == 0) {
			st[c] = C_ON;
			used += g->cols[c].minw + 1;
			used_nat += g->cols[c].natw + 1;
		} else if (skipped < h && (int)c != g->sort_col) { /* the sorted one stays, pinned */
			st[c] = C_LEFT;
			skipped++;
		}
	}
	if (h) {
		used += mark_width(arrow_left(), h, false) + 1;
		used_nat += mark_width(arrow_left(), h, false) + 1;
	}
	size_t nc = candidates(g, st, cand), acc = 0;
	size_t keep = nc && cand[0] == g->sort_col ? 1 : 0; /* the sorted column never drops */
	int room = cols + squeeze_names(g, nfrozen, 0); /* for the first SHRINK_COLS, names give */
	for (; acc < nc; acc++) { /* the first SHRINK_COLS shrink to be shown, later ones do not */
		const struct ctp_grid_col *col = &g->cols[cand[acc]];
		int later = acc + 1 < nc ? mark_width(arrow_right(), (int)(nc - acc - 1), true) : 0;
		if (acc >= keep && (acc < SHRINK_COLS ? used + col->minw + 1 > room
						      : used_nat + col->natw + 1 + later > cols))
			break;
		st[cand[acc]] = C_ON;
		used += col->minw + 1;
		used_nat += col->natw + 1;
	}
	while (acc > keep && acc < nc && used + mark_width(arrow_right(), (int)(nc - acc), true) > room) {
		acc--;
		st[cand[acc]] = C_OFF;
		used -= g->cols[cand[acc]].minw + 1;
	}
	int mark = acc < nc ? mark_width(arrow_right(), (int)(nc - acc), true) : 0;
	if (used + mark > cols) { /* the names give what the shown columns need */
		int need = used + mark - cols, can = squeeze_names(g, nfrozen, 0);
		squeeze_names(g, nfrozen, need < can ? need : can);
		used -= need < can ? need : can;
	}
	g->more_left = h;
	g->more_right = (int)(nc - acc);
	g->pinned = pin(g, st, nfrozen);
	grow(g, st, cols - used - mark);
	place(g, st, nfrozen, cols);
	free(st);
	free(cand);
}

/* text (plus an uncut suffix: the sort glyph) in w cells at x, cut with the ellipsis */
static void put_cell(int y, int x, int w, int maxx, const char *text, const char *suffix, bool right, int attr)
{
	if (x >= maxx || w <= 0)
		return;
	if (x + w > maxx)
		w = maxx - x;
	struct ctp_buf b = CTP_BUF_INIT;
	int sw = suffix ? ctp_text_width(suffix) : 0;
	int tw = ctp_text_fit(text, w - sw, &b);
	if (suffix && sw <= w) {
		ctp_buf_adds(&b, suffix);
		tw += sw;
	}
	attron(attr);
	mvhline(y, x, ' ', w);
	if (b.len)
		mvaddstr(y, x + (right ? w - tw : 0), b.buf);
	attroff(attr);
	ctp_buf_release(&b);
}

/* a row's cell: its marker tail, if any, stays whole */
static void draw_cell(int y, int x, int w, int maxx, const struct ctp_grid_cell *cell, bool right, int attr)
{
	const char *t = cell->text ? cell->text : "";
	if (!cell->tail) {
		put_cell(y, x, w, maxx, t, NULL, right, attr);
		return;
	}
	size_t n = strlen(t) - cell->tail;
	char *head = ctp_xmalloc(n + 1);
	memcpy(head, t, n);
	head[n] = 0;
	put_cell(y, x, w, maxx, head, t + n, right, attr);
	free(head);
}

static void draw_marks(const struct ctp_grid *g, int y, int cols)
{
	char buf[48];
	if (g->more_left) {
		snprintf(buf, sizeof(buf), "%s %d", arrow_left(), g->more_left);
		put_cell(y, g->lmark_x, ctp_text_width(buf), cols, buf, NULL, false, ctp_theme_attr(CTP_ROLE_COLHDR));
	}
	if (g->more_right) {
		snprintf(buf, sizeof(buf), "%s %d more", arrow_right(), g->more_right);
		int w = ctp_text_width(buf);
		put_cell(y, cols > w ? cols - w : 0, w, cols, buf, NULL, true, ctp_theme_attr(CTP_ROLE_COLHDR));
	}
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
		const char *glyph = !sorted ? NULL : g->sort_desc ? ctp_glyph_sort_desc() : ctp_glyph_sort_asc();
		put_cell(y, g->col_x[c], g->cols[c].width, cols, g->cols[c].title, glyph, g->cols[c].right,
			 ctp_theme_attr(sorted ? CTP_ROLE_COLHDR_SORT : CTP_ROLE_COLHDR));
	}
	draw_marks(g, y, cols);
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
			draw_cell(y + 1 + i, g->col_x[c], g->cols[c].width, cols, cell, g->cols[c].right, attr);
		}
	}
}

size_t ctp_grid_shown_ids(const struct ctp_grid *g, int *out, size_t max)
{
	size_t n = 0;
	for (size_t c = 0; c < g->ncols && n < max; c++)
		if (g->col_x[c] >= 0 && g->cols[c].id >= 0)
			out[n++] = g->cols[c].id;
	return n;
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
