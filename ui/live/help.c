/* help.c — the help screen: keys straight from the key table (aliases joined on one line),
 * then the modes, the colour legend and where each metric column comes from. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/colsets.h"
#include "live/grid.h"
#include "live/keys.h"
#include "live/theme.h"
#include "live/view.h"

struct help_view {
	struct ctp_view v;
	struct ctp_buf *lines;
	size_t n, alloc;
	size_t first;
	int last_h;
};

static void add_line(struct help_view *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct help_view *hv, const char *fmt, ...)
{
	if (hv->n == hv->alloc) {
		hv->alloc = hv->alloc ? 2 * hv->alloc : 64;
		hv->lines = ctp_xrealloc(hv->lines, hv->alloc * sizeof(*hv->lines));
	}
	struct ctp_buf *b = &hv->lines[hv->n++];
	ctp_buf_init(b, 80);
	va_list ap;
	va_start(ap, fmt);
	ctp_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static void add_keys(struct help_view *hv)
{
	size_t n;
	const struct ctp_key *k = ctp_keys_table(&n);
	add_line(hv, "Keys");
	for (size_t i = 0; i < n; i++) {
		if (!k[i].help)
			continue;
		struct ctp_buf names = CTP_BUF_INIT;
		ctp_buf_adds(&names, k[i].name);
		for (size_t j = i + 1; j < n && !k[j].help; j++)
			if (strcmp(k[j].name, k[i].name))
				ctp_buf_addf(&names, " %s", k[j].name);
		struct ctp_buf help = CTP_BUF_INIT;
		ctp_buf_adds(&help, k[i].help);
		if (k[i].action == CTP_ACT_COLSET1) /* the set names live in cli/colsets.c */
			for (int c = 0; c < CTP_COLSETS; c++)
				ctp_buf_addf(&help, "%s%s", c ? " " : ": ", ctp_colset_name(c));
		add_line(hv, "  %-16s %s", names.buf, help.buf);
		ctp_buf_release(&help);
		ctp_buf_release(&names);
	}
}

static void add_text(struct help_view *hv)
{
	add_line(hv, "%s", "");
	add_line(hv, "Modes (m)");
	add_line(hv, "  vs baseline   group aggregates of the live sample minus the baseline file (-B FILE, b, B)");
	add_line(hv, "  rates /s      counters per second over the last interval, exact per thread (tid + start time)");
	add_line(hv, "  since start   change since the first sample of this session, exact per thread");
	add_line(hv, "  absolute      live values, no deltas");
	add_line(hv, "  rate vs base rate  with a window baseline (-B A,B | FILE and its .end | DIR[@S..E], or [ ]):");
	add_line(hv, "                delta/s of the live rate against the base window's rate; d shows base/s, live/s,");
	add_line(hv, "                delta/s and %%. The live window is the last refresh, or 5 or 10 of them (w, --smooth)");
	add_line(hv, "%s", "");
	add_line(hv, "History: , . step one sample back / forward, ( ) ten, L back to the newest; capture goes");
	add_line(hv, "  on, the header says HISTORY time · position/kept (--history N, default 60; 0 keeps none).");
	add_line(hv, "  --replay DIR: the same keys over a recording, @ jumps to a time, [ ] mark a window baseline");
	add_line(hv, "%s", "");
	add_line(hv, "Cells");
	const char *ar = ctp_theme_utf8() ? "\u2192" : "->";
	add_line(hv, "  +x / -x       delta up (yellow) / down (magenta); colour encodes sign only, never a verdict");
	add_line(hv, "  a%sb          a derived ratio or mean over the window: baseline value, then the window's", ar);
	add_line(hv, "                (rates mode: time per second as %% of one CPU, counts and bytes per second)");
	add_line(hv, "  -             not measured on that side (source or kernel gate off), never shown as 0");
	add_line(hv, "  name new      a group or thread only in the live sample: THR 0%sN, its live values", ar);
	add_line(hv, "  name gone     only in the base: THR N%s0, its base values", ar);
	add_line(hv, "  name exited N N threads of the group exited in the interval, their work counted (taskstats");
	add_line(hv, "                exit records; rates and since-start modes; --no-exits turns it off)");
	add_line(hv, "  name !        thread view: an outlier, its sort column's value over 4x the group's median");
	add_line(hv, "  a%sb           thread count changed from a to b", ar);
	add_line(hv, "%s", "");
	add_line(hv, "Order: -s, > < or a header click; without one, with a base the largest relative change");
	add_line(hv, "  over the visible columns first (new and gone groups before it), else the first column");
	add_line(hv, "  descending. Idle groups (every visible cell 0 or -) are hidden: z shows them.");
	add_line(hv, "Titles: the metric's name, %s when the cell is a change, (unit) when per second", ctp_glyph_delta());
	add_line(hv, "%s", "");
	add_line(hv, "Column sets: keys 1 to %d pick one, c picks any metric", CTP_COLSETS);
	add_line(hv, "Filter (/, --filter): a POSIX extended regex, any case, found anywhere in the group name");
	add_line(hv, "  (a plain word matches as a substring; batch mode and --compare use the same rule)");
	add_line(hv, "Environment: NO_COLOR=1 (or --no-color) draws without colours");
	add_line(hv, "%s", "");
	add_line(hv, "Metrics");
	for (size_t i = 0; i < ctp_cmetric_count(); i++) {
		const struct ctp_cmetric *m = ctp_cmetric(i);
		add_line(hv, "  %-30s %s %s", m->name, m->help ? m->help : "", m->tags ? m->tags : "");
	}
}

static void hv_draw(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w)
{
	struct help_view *hv = (struct help_view *)v;
	hv->last_h = h;
	if (hv->n > (size_t)h && hv->first > hv->n - (size_t)h)
		hv->first = hv->n - (size_t)h;
	for (int i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
		size_t li = hv->first + (size_t)i;
		if (li >= hv->n)
			continue;
		const char *text = hv->lines[li].buf;
		bool title = text[0] && text[0] != ' ';
		int a = ctp_theme_attr(title ? CTP_ROLE_TITLE : CTP_ROLE_NORMAL);
		attron(a);
		mvaddnstr(y + i, 0, text, w);
		attroff(a);
	}
}

static void hv_title(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len)
{
	snprintf(buf, len, "[help: Esc or q closes]");
}

static struct ctp_reaction hv_key(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key)
{
	struct help_view *hv = (struct help_view *)v;
	size_t page = hv->last_h > 1 ? (size_t)hv->last_h - 1 : 1;
	switch (a) {
	case CTP_ACT_UP: if (hv->first) hv->first--; break;
	case CTP_ACT_DOWN: hv->first++; break;
	case CTP_ACT_PGUP: hv->first = hv->first > page ? hv->first - page : 0; break;
	case CTP_ACT_PGDN: case CTP_ACT_PAUSE: hv->first += page; break;
	case CTP_ACT_HOME: hv->first = 0; break;
	case CTP_ACT_END: hv->first = hv->n; break;
	case CTP_ACT_QUIT: case CTP_ACT_HELP: case CTP_ACT_BACK: return ctp_react(CTP_REACT_POP);
	case CTP_ACT_REDRAW: return ctp_react(CTP_REACT_IGNORED);
	default: break; /* every other key is inert on the help screen */
	}
	return ctp_react(CTP_REACT_HANDLED);
}

static void hv_destroy(struct ctp_view *v)
{
	struct help_view *hv = (struct help_view *)v;
	for (size_t i = 0; i < hv->n; i++)
		ctp_buf_release(&hv->lines[i]);
	free(hv->lines);
	free(hv);
}

static const struct ctp_view_ops help_ops = {
	.title = hv_title,
	.draw = hv_draw,
	.on_key = hv_key,
	.destroy = hv_destroy,
};

struct ctp_view *ctp_view_help_new(void)
{
	struct help_view *hv = ctp_xcalloc(1, sizeof(*hv));
	hv->v.ops = &help_ops;
	add_keys(hv);
	add_text(hv);
	return &hv->v;
}
