/* textgrid.h — what the report printers share for text: aligned columns of sanitized cells, each
 * with a tone (plain, delta up/down, header, tree levels, uptime bands) printed as ANSI colour
 * when asked, and the cell texts every layout uses. Internal to ui/report/. */
#ifndef CTP_TEXTGRID_H
#define CTP_TEXTGRID_H

#include <stdbool.h>
#include <stdio.h>

#include "compare/compare.h"

#define C_RESET "\033[0m"
#define C_UP "\033[33m"
#define C_DOWN "\033[35m"
#define C_HDR "\033[36m"
#define C_BOLD "\033[1m"

#define CTP_TGRID_MAXCOLS 16
struct ctp_tgrid {
	char **cell; /* rows x ncols, sanitized text */
	int *tone;   /* per cell: 0 plain, 1 up, -1 down, 2 header, 3 bold-up, -3 bold-down, 4..10 see tone_esc */
	size_t nrows, alloc, ncols;
	size_t w[CTP_TGRID_MAXCOLS];
};

/* appends an empty row */
void ctp_tgrid_row(struct ctp_tgrid *g);
/* sets cell col of the last row: s escaped for a terminal, the column widened to fit */
void ctp_tgrid_set(struct ctp_tgrid *g, size_t col, const char *s, int tone);
/* prints row r padded to the column widths, tones as ANSI colour when color */
void ctp_tgrid_print_row(FILE *f, const struct ctp_tgrid *g, size_t r, bool color);
void ctp_tgrid_release(struct ctp_tgrid *g);

/* tone of a delta cell: 0, +-1 by sign, +-3 (bold) when pct and |pct| > 50% */
int ctp_tone_of(const struct ctp_cell *c, bool pct);

#endif
