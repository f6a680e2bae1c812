/* textgrid.c — the report printers' text grid (textgrid.h): cells escaped for a terminal, column
 * widths by display cells, ANSI tones, and the shared delta tone and thread-count texts. */
#include "report/textgrid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"

static size_t dispw(const char *s)
{
	return (size_t)ctp_display_clip(s, 1 << 30, NULL);
}

void ctp_tgrid_row(struct ctp_tgrid *g)
{
	if (g->nrows == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 64;
		g->cell = ctp_xrealloc(g->cell, g->alloc * CTP_TGRID_MAXCOLS * sizeof(*g->cell));
		g->tone = ctp_xrealloc(g->tone, g->alloc * CTP_TGRID_MAXCOLS * sizeof(*g->tone));
	}
	memset(&g->cell[g->nrows * CTP_TGRID_MAXCOLS], 0, CTP_TGRID_MAXCOLS * sizeof(*g->cell));
	memset(&g->tone[g->nrows * CTP_TGRID_MAXCOLS], 0, CTP_TGRID_MAXCOLS * sizeof(*g->tone));
	g->nrows++;
}

void ctp_tgrid_set(struct ctp_tgrid *g, size_t col, const char *s, int tone)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_sanitize_name(s, strlen(s), true, &b);
	size_t i = (g->nrows - 1) * CTP_TGRID_MAXCOLS + col;
	free(g->cell[i]);
	g->cell[i] = ctp_buf_detach(&b, NULL);
	g->tone[i] = tone;
	if (col >= g->ncols)
		g->ncols = col + 1;
	size_t w = dispw(g->cell[i]);
	if (w > g->w[col])
		g->w[col] = w;
}

/* escape per tone, index tone + 3: -3 bold down, -1 down, 1 up, 2 header, 3 bold up, 4..6 tree
 * cgroup depth 0/1/2+, 7 pcomm heading, 8..10 uptime >=75 / >=50 / below */
static const char *const tone_esc[14] = {
	C_BOLD C_DOWN, NULL, C_DOWN, NULL, C_UP, C_HDR, C_BOLD C_UP, C_BOLD "\033[32m", C_BOLD "\033[36m",
	C_BOLD "\033[90m", C_BOLD "\033[37m", "\033[32m", "\033[33m", C_BOLD "\033[31m",
};

void ctp_tgrid_print_row(FILE *f, const struct ctp_tgrid *g, size_t r, bool color)
{
	size_t last = 0;
	for (size_t c = 0; c < g->ncols; c++)
		if (g->cell[r * CTP_TGRID_MAXCOLS + c])
			last = c;
	for (size_t c = 0; c <= last; c++) {
		const char *s = g->cell[r * CTP_TGRID_MAXCOLS + c] ? g->cell[r * CTP_TGRID_MAXCOLS + c] : "";
		int tone = g->tone[r * CTP_TGRID_MAXCOLS + c];
		const char *on = color && tone >= -3 && tone <= 10 ? tone_esc[tone + 3] : NULL;
		fprintf(f, "%s%s%s", on ? on : "", s, on ? C_RESET : "");
		if (c < last)
			fprintf(f, "%*s", (int)(g->w[c] - dispw(s) + 2), "");
	}
	fputc('\n', f);
}

void ctp_tgrid_release(struct ctp_tgrid *g)
{
	for (size_t i = 0; i < g->nrows * CTP_TGRID_MAXCOLS; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->tone);
	memset(g, 0, sizeof(*g));
}

int ctp_tone_of(const struct ctp_cell *c, bool pct)
{
	if (!c->delta_ok || c->delta == 0)
		return 0;
	int t = c->delta > 0 ? 1 : -1;
	return pct && c->pct_ok && fabs(c->pct) > 0.5 ? 3 * t : t;
}

