/* view.h — the live view's shared state (struct ctp_top, owned by top.c) and the one vtable
 * every screen implements (groups, threads, detail, cgroups, host, help, column chooser).
 * top.c keeps a stack of views; the top one draws the body and gets keys first. */
#ifndef CTP_VIEW_H
#define CTP_VIEW_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "compare/compare.h"
#include "live/keys.h"
#include "snapshot/model.h"
#include "cli/options.h"

enum ctp_top_mode { CTP_TOP_VS_BASELINE, CTP_TOP_RATES, CTP_TOP_SINCE_START, CTP_TOP_ABSOLUTE, CTP_TOP_NMODES };

struct ctp_view;
struct ctp_top;
struct ctp_sampler;

struct ctp_view_ops {
	/* short name for the breadcrumb in the status area, e.g. "threads of postgres" */
	void (*title)(struct ctp_view *v, struct ctp_top *t, char *buf, size_t len);
	/* draws rows [y, y+h) of width w */
	void (*draw)(struct ctp_view *v, struct ctp_top *t, int y, int h, int w);
	/* true when the view consumed the action; key is the raw key (mouse: KEY_MOUSE) */
	bool (*on_key)(struct ctp_view *v, struct ctp_top *t, enum ctp_action a, int key);
	void (*destroy)(struct ctp_view *v);
};

struct ctp_view {
	const struct ctp_view_ops *ops;
};

#define CTP_MAX_VIEWS 8
#define CTP_COLSETS 6

struct ctp_top {
	const struct ctp_options *opts;
	struct ctp_sampler *sampler;
	/* snapshots, all owned: newest sample, the one before, the first one, the baseline */
	struct ctp_snapshot *live, *prev, *start, *baseline;
	char *baseline_path;          /* owned; NULL = none */
	struct ctp_baseload *loading; /* owned; a `b` load still running, NULL = none */
	char baseline_warn[160];      /* non-empty: baseline looks like another host */
	struct ctp_capture_status status;
	bool have_status;
	uint64_t capture_ns;          /* duration of the last capture */
	char capture_err[256];        /* last capture error, "" if none */

	enum ctp_top_mode mode;
	double interval_s;
	bool paused;
	enum ctp_axis axis;           /* grouping axis of the groups view */
	char *filter;                 /* owned, NULL = none */
	regex_t filter_re;
	bool filter_is_re;
	int colset;                   /* 0..CTP_COLSETS-1, or -1 for the chooser's custom set */
	bool *custom_cols;            /* per primary metric: on in the custom set */
	int sort_col;                 /* ctp_cmetric index sorted by, -1 = ktstr default (|pct|) */
	bool sort_desc;

	char msg[512];                /* status line */
	bool msg_err;

	struct ctp_view *stack[CTP_MAX_VIEWS];
	int depth;
	uint64_t gen;                 /* bumped when data or settings change: views rebuild */
	bool quit;
	bool redraw_all;
};

/* status line message (printf style); err selects the error role */
void ctp_top_msg(struct ctp_top *t, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* pushes a view (takes ownership); on a full stack the view is destroyed */
void ctp_top_push(struct ctp_top *t, struct ctp_view *v);
/* pops and destroys the top view unless it is the root */
void ctp_top_pop(struct ctp_top *t);
/* settings changed: every view rebuilds */
void ctp_top_touch(struct ctp_top *t);
/* true once SIGINT/SIGTERM/SIGHUP arrived (the loop then restores the terminal and exits) */
bool ctp_top_interrupted(void);
/* true when name passes the current filter */
bool ctp_top_filter_match(const struct ctp_top *t, const char *name);
/* the base snapshot of the current mode (NULL in absolute mode or when not yet available)
 * and the seconds to divide by (0 = no division) */
const struct ctp_snapshot *ctp_top_base(const struct ctp_top *t, double *per_s);
const char *ctp_top_mode_name(enum ctp_top_mode m);

/* compare options for the current mode, axis and sort; returns the base snapshot (NULL in
 * absolute mode or before a second sample) — view_table.c */
const struct ctp_snapshot *ctp_top_copts(const struct ctp_top *t, struct ctp_compare_opts *o);
/* metric indexes of the current column set, most important first; returns the count */
size_t ctp_top_columns(const struct ctp_top *t, int *out, size_t max);
/* the metrics of column set i (0..5) by name, NULL-terminated; and its name ("sched") */
const char *const *ctp_colset_names(int i);
const char *ctp_colset_title(int i);

/* moves a list selection for Up/Down/PgUp/PgDn/Home/End, clamped to [0, n); false for any
 * other action (nothing changed) */
bool ctp_view_move_sel(enum ctp_action a, long *sel, long n, long page);

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

/* prompt.c: a one-line editor on row y; returns true with the text in out on Enter, false on
 * Esc / interrupt. initial pre-fills the line. Keeps the screen alive on resize. */
bool ctp_prompt(struct ctp_top *t, const char *label, const char *initial, char *out, size_t outlen);

#endif
