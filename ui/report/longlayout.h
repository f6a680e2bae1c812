/* longlayout.h — ktstr's long report layout: one line per (group, metric) with value, delta,
 * percent and uptime; cgroup axis split by parent path, all axis drawn as a cgroup / process
 * tree; --limit cuts each "## " table. Internal to ui/report/. */
#ifndef CTP_LONGLAYOUT_H
#define CTP_LONGLAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/batch.h"

/* --hide-unchanged, for every long layout (plain and window compare): a (group, metric) row
 * that reads "0 → 0" or "- → -" (show: "0" or "-"); categorical cells by their text ("0" of a
 * range, nice 0 → 0), the others by their numbers */
bool ctp_report_cell_empty(const struct ctp_table *t, const struct ctp_flat *fl);
/* prints the primary then the derived table of t's view (text, or JSON Lines rows) */
int ctp_report_long(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st);

#endif
