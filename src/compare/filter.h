/* filter.h — the one --filter rule of every front end (batch, compare, show, the live view's /
 * key): a POSIX extended regular expression, case-insensitive, searched anywhere in a row's
 * printable name, so a plain word matches as a case-insensitive substring. */
#ifndef CTP_FILTER_H
#define CTP_FILTER_H

#include <stdbool.h>

#include "base/util.h"

struct ctp_filter;

/* compiles pattern into *out; NULL or "" gives *out = NULL (matches everything). 0, or -1 with
 * err filled ("--filter: bad regex '...': why") and *out = NULL */
int ctp_filter_new(const char *pattern, struct ctp_filter **out, struct ctp_err *err);
/* true when name (NULL counts as "") passes f; a NULL filter passes everything */
bool ctp_filter_match(const struct ctp_filter *f, const char *name);
/* the pattern f was compiled from (borrowed), "" for NULL */
const char *ctp_filter_pattern(const struct ctp_filter *f);
/* NULL is a no-op */
void ctp_filter_free(struct ctp_filter *f);

#endif
