/* openmetrics.h — the fleet export: `-b --format openmetrics` (stdout), `-b --textfile DIR`
 * (DIR/ctprof.prom for node_exporter's textfile collector, replaced atomically every -d seconds)
 * and `--show FILE --format openmetrics`; plus the checks of --format, --textfile and --fail-if.
 *
 * The exposition is the text format node_exporter and promtool read (Prometheus 0.0.4: a
 * counter's family is named with its _total suffix), ending with OpenMetrics' "# EOF". Per group
 * of the axis (labels group, axis, host): every primary metric with the Sum rule as a counter
 * ctprof_<metric>_total, time in seconds (ctprof_run_time_seconds_total: ns, µs and clock ticks
 * converted), bytes as _bytes_total; the Max rule's metrics as gauges (ctprof_wait_max_seconds,
 * ctprof_hiwater_rss_bytes); the thread count as ctprof_threads. Categorical metrics (Range,
 * Mode, Affinity) and derived ones are not exported (derive them in PromQL). Per host: the
 * groups (ctprof_groups, ctprof_groups_exported), threads, host PSI (seconds stalled, averages
 * as ratios), the capture's own duration and time. Per cgroup of the snapshot: CPU usage and
 * throttling, memory.current, pids.current. At most --limit groups and as many cgroups (default
 * 500) are exported, groups in the sort order (-s, default run_time_ns), cgroups by CPU usage:
 * the series count stays bounded. Label values escape \ " and newline; invalid UTF-8 becomes
 * U+FFFD. Counters are lifetime sums of the group's present threads: a thread that exits lowers
 * them (Prometheus takes that as a counter reset). */
#ifndef CTP_OPENMETRICS_H
#define CTP_OPENMETRICS_H

#include <stdbool.h>

#include "base/util.h"
#include "cli/options.h"
#include "compare/compare.h"

#define CTP_OM_DEFAULT_LIMIT 500
#define CTP_OM_FILE "ctprof.prom"

/* checks --format, --textfile and --fail-if against the mode (sets o->json for --format json):
 * NULL when fine, else the usage error's text */
const char *ctp_export_check(struct ctp_options *o);
/* --format openmetrics or --textfile */
bool ctp_om_wanted(const struct ctp_options *o);

/* appends the exposition of s grouped as t (an ABSOLUTE table of s; its view is exported) to
 * out. host: the host label ("" when unknown); capture_s: the capture's duration, < 0 unknown;
 * limit: cgroups exported at most (0 = all) */
void ctp_om_write(struct ctp_buf *out, const struct ctp_snapshot *s, const struct ctp_table *t, const char *host,
		  double capture_s, size_t limit);

/* -b --format openmetrics / --textfile DIR. Exit status: 0, 1 capture or write failure, 2 bad
 * options or a refused DIR */
int ctp_om_run(const struct ctp_options *o);
/* --show FILE --format openmetrics */
int ctp_om_show(const struct ctp_options *o);

#endif
