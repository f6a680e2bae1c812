/* longlayout.h — ktstr's long report layout: one line per (group, metric) with value, delta,
 * percent and uptime; cgroup axis split by parent path, all axis drawn as a cgroup / process
 * tree; --limit cuts each "## " table. Internal to ui/report/. */
#ifndef CTP_LONGLAYOUT_H
#define CTP_LONGLAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/batch.h"

/* prints the primary then the derived table of t's view (text, or JSON Lines rows) */
int ctp_report_long(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st);

#endif
