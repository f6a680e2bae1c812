/* theme.h — colours and attributes by role for the live view. Views ask for a role, never a
 * colour pair; theme.c maps roles per scheme (colour or monochrome: bold/reverse only, used
 * under NO_COLOR / --no-color / terminals without colour) and picks UTF-8 or ASCII glyphs. */
#ifndef CTP_THEME_H
#define CTP_THEME_H

#include <stdbool.h>

enum ctp_role {
	CTP_ROLE_NORMAL,
	CTP_ROLE_TITLE,      /* first header line */
	CTP_ROLE_LABEL,      /* header field names ("PSI", "sources") */
	CTP_ROLE_OK,         /* a live source */
	CTP_ROLE_MISSING,    /* a missing source */
	CTP_ROLE_WARN,       /* header warnings (baseline from another host) */
	CTP_ROLE_COLHDR,     /* column header row */
	CTP_ROLE_COLHDR_SORT,/* the sorted column's header cell */
	CTP_ROLE_DELTA_UP,   /* positive delta (yellow, as ktstr) */
	CTP_ROLE_DELTA_DOWN, /* negative delta (magenta) */
	CTP_ROLE_ABSENT,     /* "-" cells */
	CTP_ROLE_SELECTED,   /* cursor row */
	CTP_ROLE_NEW,        /* group/thread only on the live side */
	CTP_ROLE_GONE,       /* group/thread only on the base side */
	CTP_ROLE_STATUS,     /* status line message */
	CTP_ROLE_ERROR,      /* status line error */
	CTP_ROLE_FKEY,       /* function bar key */
	CTP_ROLE_FLABEL,     /* function bar label */
	CTP_ROLE_DIM,        /* secondary text */
	CTP_NROLES
};

/* call after initscr(); no_color (--no-color, NO_COLOR, the config file: main sets it) forces the
 * monochrome scheme */
void ctp_theme_init(bool no_color);
/* curses attributes for a role (an attr_t, returned as int to keep curses out of callers' headers) */
int ctp_theme_attr(enum ctp_role r);
bool ctp_theme_has_color(void);
/* true when the locale's codeset is UTF-8: glyphs below are then Unicode, else ASCII */
bool ctp_theme_utf8(void);
/* glyphs as strings: separator bar, check mark, cross, up and down arrows, ellipsis */
const char *ctp_glyph_vbar(void);
const char *ctp_glyph_ok(void);
const char *ctp_glyph_missing(void);
const char *ctp_glyph_sort_desc(void);
const char *ctp_glyph_sort_asc(void);
const char *ctp_glyph_delta(void);

#endif
