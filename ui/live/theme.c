/* theme.c — owns every colour decision: maps roles to curses attributes for the colour scheme
 * and the monochrome one (NO_COLOR, --no-color, or a terminal without colours: only bold,
 * reverse, underline), and picks UTF-8 or ASCII glyphs from the locale's codeset. */
#include "live/theme.h"

#include <curses.h>
#include <langinfo.h>
#include <string.h>

static attr_t role_attr[CTP_NROLES];
static bool use_color;
static bool use_utf8;

struct role_style {
	short fg, bg;   /* -1 = terminal default */
	attr_t color_extra; /* extra attributes in the colour scheme */
	attr_t mono;    /* attributes in the monochrome scheme */
};

static const struct role_style styles[CTP_NROLES] = {
	[CTP_ROLE_NORMAL] = { -1, -1, 0, 0 },
	[CTP_ROLE_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[CTP_ROLE_LABEL] = { COLOR_CYAN, -1, 0, A_BOLD },
	[CTP_ROLE_OK] = { COLOR_GREEN, -1, 0, 0 },
	[CTP_ROLE_MISSING] = { COLOR_RED, -1, 0, A_UNDERLINE },
	[CTP_ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[CTP_ROLE_COLHDR] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[CTP_ROLE_COLHDR_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE },
	[CTP_ROLE_DELTA_UP] = { COLOR_YELLOW, -1, 0, 0 },
	[CTP_ROLE_DELTA_DOWN] = { COLOR_MAGENTA, -1, 0, 0 },
	[CTP_ROLE_ABSENT] = { COLOR_BLUE, -1, A_BOLD, 0 },
	[CTP_ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[CTP_ROLE_NEW] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[CTP_ROLE_GONE] = { COLOR_RED, -1, 0, A_DIM },
	[CTP_ROLE_STATUS] = { COLOR_CYAN, -1, 0, 0 },
	[CTP_ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[CTP_ROLE_FKEY] = { -1, -1, A_BOLD, A_BOLD },
	[CTP_ROLE_FLABEL] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[CTP_ROLE_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
};

void ctp_theme_init(bool no_color)
{
	const char *cs = nl_langinfo(CODESET);
	use_utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	use_color = !no_color && has_colors();
	if (use_color && start_color() != OK)
		use_color = false;
	if (use_color)
		use_default_colors();
	for (int r = 0; r < CTP_NROLES; r++) {
		if (!use_color) {
			role_attr[r] = styles[r].mono;
			continue;
		}
		if (styles[r].fg == -1 && styles[r].bg == -1) {
			role_attr[r] = styles[r].color_extra;
			continue;
		}
		init_pair((short)(r + 1), styles[r].fg, styles[r].bg);
		role_attr[r] = COLOR_PAIR(r + 1) | styles[r].color_extra;
	}
}

int ctp_theme_attr(enum ctp_role r)
{
	return (unsigned)r < CTP_NROLES ? (int)role_attr[r] : 0;
}

bool ctp_theme_has_color(void)
{
	return use_color;
}

bool ctp_theme_utf8(void)
{
	return use_utf8;
}

const char *ctp_glyph_vbar(void)
{
	return use_utf8 ? "\u2502" : "|";
}

const char *ctp_glyph_ok(void)
{
	return use_utf8 ? "\u2713" : "+";
}

const char *ctp_glyph_missing(void)
{
	return use_utf8 ? "\u2717" : "-";
}

const char *ctp_glyph_sort_desc(void)
{
	return use_utf8 ? "\u25bc" : "v";
}

const char *ctp_glyph_sort_asc(void)
{
	return use_utf8 ? "\u25b2" : "^";
}

const char *ctp_glyph_delta(void)
{
	return use_utf8 ? "\u0394" : "d";
}
