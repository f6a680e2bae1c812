/* view.h — the one vtable every screen of the live view implements (groups, threads, detail,
 * cgroups, host, column chooser, help) and the reaction a key gets. top.c keeps a stack of views;
 * the top one draws the body and gets keys first. A view reads the session and changes settings
 * through it, and says what should happen next by returning a reaction: it never calls up. */
#ifndef CTP_VIEW_H
#define CTP_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "live/keys.h"
#include "live/session.h"

struct ctp_view;

enum ctp_react {
	CTP_REACT_IGNORED, /* not this view's key: the global actions get it */
	CTP_REACT_HANDLED, /* done; the screen is drawn again as after any key */
	CTP_REACT_REBUILD, /* a setting changed: every view rebuilds its table */
	CTP_REACT_REDRAW,  /* clear and redraw the whole screen (after a prompt, ^L) */
	CTP_REACT_POP,     /* close this view */
	CTP_REACT_PUSH,    /* open .view on top (ownership passes to top.c) */
	CTP_REACT_QUIT,
};

struct ctp_reaction {
	enum ctp_react kind;
	struct ctp_view *view; /* CTP_REACT_PUSH only */
};

static inline struct ctp_reaction ctp_react(enum ctp_react kind)
{
	return (struct ctp_reaction){ kind, NULL };
}

static inline struct ctp_reaction ctp_react_push(struct ctp_view *v)
{
	return (struct ctp_reaction){ CTP_REACT_PUSH, v };
}

struct ctp_view_ops {
	/* short name for the breadcrumb in the status area, e.g. "[threads of postgres: 5]" */
	void (*title)(struct ctp_view *v, const struct ctp_session *s, char *buf, size_t len);
	/* draws rows [y, y+h) of width w, rebuilding first when s->gen moved */
	void (*draw)(struct ctp_view *v, const struct ctp_session *s, int y, int h, int w);
	/* key is the raw key (mouse: KEY_MOUSE), a its action */
	struct ctp_reaction (*on_key)(struct ctp_view *v, struct ctp_session *s, enum ctp_action a, int key);
	void (*destroy)(struct ctp_view *v);
	/* what it reads besides the table's columns (the refresh plan); NULL = nothing more */
	enum ctp_view_need (*need)(const struct ctp_view *v);
	/* the metric ids of its columns on screen after the last draw (layout: width, horizontal
	 * scroll): the plan reads only those of the table's columns. Their count, or -1 (and NULL)
	 * = no table drawn: the plan keeps the last ones said */
	long (*shown)(const struct ctp_view *v, int *ids, size_t max);
};

struct ctp_view {
	const struct ctp_view_ops *ops;
};

/* views (view_*.c, help.c) */
struct ctp_view *ctp_view_groups_new(void);
/* key/keylen: the group's join key (copied); label: printable name */
struct ctp_view *ctp_view_threads_new(const char *key, size_t keylen, const char *label);
/* detail of a group (tid NULL) or of one thread of that group (tid = its row key) */
struct ctp_view *ctp_view_detail_new(const char *key, size_t keylen, const char *label, const char *tid);
struct ctp_view *ctp_view_cgroups_new(void);
struct ctp_view *ctp_view_host_new(void);
struct ctp_view *ctp_view_columns_new(void);
struct ctp_view *ctp_view_help_new(void);

#endif
