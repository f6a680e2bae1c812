/* colsets.h — the column sets in one place: the six named sets of the live view's keys 1-6 (the
 * names the config file, the help and the status line use, and their metrics), the batch wide
 * layout's columns, and the "columns" setting (a set name or a comma list of metric names)
 * parsed, formatted and turned into the metric indexes a view shows. */
#ifndef CTP_COLSETS_H
#define CTP_COLSETS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

#define CTP_COLSETS 6
#define CTP_COLSET_CUSTOM (-1)

/* name of set i (0..CTP_COLSETS-1: "sched", "cpu", ...), "custom" for any other i */
const char *ctp_colset_name(int i);

/* what a view shows: a named set, or the custom set of the column chooser */
struct ctp_columns {
	int set;      /* 0..CTP_COLSETS-1, or CTP_COLSET_CUSTOM */
	bool *custom; /* owned; ctp_cmetric_count() flags of the custom set, NULL until one exists */
};

/* set 0 ("sched"), no custom set */
void ctp_columns_init(struct ctp_columns *c);
void ctp_columns_release(struct ctp_columns *c);
/* spec: a set name, or a comma list of compare metric names (blanks around a name allowed).
 * 0 with c set (c may be NULL: only checked); -1 (c untouched) on an unknown name or an empty
 * item, with msg saying what is wanted (never quoting spec) */
int ctp_columns_parse(struct ctp_columns *c, const char *spec, char *msg, size_t msglen);
/* the message for an unknown metric in setting key (the file's content): "key: unknown metric
 * 'wait_time' (did you mean wait_time_ns?); HINT, one of: NAMES" as -s says it (hint NULL: -s's),
 * escaped, and true; false with msg untouched when name[0..n) (trimmed) is a known metric or
 * does not look like one (lower case, digits, '_', at most 64): such a value is never echoed */
bool ctp_columns_unknown_metric(const char *key, const char *name, size_t n, bool sortable_only, const char *hint,
				char *msg, size_t msglen);
/* c as ctp_columns_parse reads it back: the set name, or the custom metrics in registry order */
void ctp_columns_format(const struct ctp_columns *c, char *out, size_t outlen);
/* metric indexes c shows, the most important first; returns the count (at most max) */
size_t ctp_columns_list(const struct ctp_columns *c, int *out, size_t max);
/* true when c shows metric m */
bool ctp_columns_has(const struct ctp_columns *c, size_t m);
/* keys 1-6: named set i */
void ctp_columns_select(struct ctp_columns *c, int i);
/* column chooser: c becomes the custom set (starting from what it showed) with metric m flipped */
void ctp_columns_toggle(struct ctp_columns *c, size_t m);

/* the batch wide layout's columns (what a top user looks at first); returns the count */
size_t ctp_columns_batch(int *out, size_t max);
/* the columns of -b into out (at most max), *n of them: --metrics (a comma list, in its order)
 * when given, else the config's columns (a set or a list), else ctp_columns_batch's; then the
 * sort metrics (nsort cmetric indexes) not among them. 0, or -1 with err on a bad --metrics */
int ctp_columns_pick_batch(const char *metrics, const char *columns, const int *sort, size_t nsort, int *out,
			   size_t max, size_t *n, struct ctp_err *err);

#endif
