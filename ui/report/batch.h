/* batch.h — non-interactive printers over the compare engine: offline `--compare A B`,
 * `--show F`, and the table printer reused by batch mode `-b`. Text output follows ktstr's
 * long layout (group, threads, metric, value, delta, %, %uptime); --json prints JSON Lines.
 *
 * JSON Lines fields (stable; absent values are null):
 *   metric rows:  {"table":"primary"|"derived", "group", "status":"matched"|"new"|"gone",
 *                  "threads_base", "threads_live", "metric", "base", "live", "delta", "pct",
 *                  "base_text", "live_text", "delta_text"}  (numbers raw: ns, bytes, ticks, counts;
 *                  pct is a fraction; *_text are the rendered cells, categorical values included)
 *   wide rows:    {"table":"groups", "group", "status", "threads_base", "threads_live",
 *                  "<metric>": {"base", "live", "delta", "pct", "unit"}, ...}   (ctp_batch_print_table
 *                  wide; unit is the unit of the raw delta, ctp_cell_raw_unit: "ns/s", "/s" for
 *                  per-second rates, else the metric's own "ns", "B", "")
 *                 issue 17 (-b): "exited" after threads_live when exit records counted threads
 *                 that exited in the interval; per metric "spread":{"min","p50","p90","max",
 *                 "imbalance","threads"} (--spread) and "gate":"off→on"|"on→off" (a kernel
 *                 switch between the sides); per row "waits":{...} (--wchan, spreadrep.h)
 *   notice:       {"table":"notice","gates_turned_on":[..],"gates_turned_off":[..]} (-b)
 *   orphans:      {"table":"only_baseline"|"only_candidate", "group", "threads"}
 *   fudged pairs: {"table":"fudged", "base_prefix", "cand_prefix", "base_root", "cand_root", "overlap",
 *                  "jaccard", "cascaded", "joined", "residual_base", "residual_cand"}
 *   sections:     {"table":"section", "section", "group", "name", "base", "live", "base_text", "live_text"}
 * show uses the same metric rows with base/delta/pct null and status "matched".
 * Text only: --hide-unchanged (ctp_batch_style.hide_unchanged) leaves out the rows that are
 * "0 → 0" or "- → -" (show: 0 or "-"); JSON keeps every row. */
#ifndef CTP_BATCH_H
#define CTP_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "compare/compare.h"
#include "cli/options.h"

#define CTP_OFFLINE_LIMIT 500 /* --compare/--show: ktstr's default --limit, lines per table */

struct ctp_filter;
struct ctp_ldisplay;
struct ctp_batch_style {
	bool color;          /* ANSI colours: delta up yellow, down magenta, headers cyan */
	bool hide_unchanged; /* text: no row whose sides are both 0 or both absent */
	const struct ctp_filter *filter; /* --filter for the fudged pairs (rows are filtered by the engine) */
	size_t limit;        /* lines per table, 0 = unlimited */
	const int *columns;  /* wide (top-like) layout with these cmetric indexes; NULL = long layout */
	size_t ncolumns;
	const char *base_path, *cand_path; /* offline --compare: the files the orphan lists name */
	const struct ctp_ldisplay *disp;   /* --display-format, --columns, --sections, --metrics,
	                                    * --wrap (report/ldisplay.h); NULL = ktstr's defaults */
};

/* true when f is a TTY and no_color is false (main sets it for --no-color, NO_COLOR and the config) */
bool ctp_batch_want_color(FILE *f, bool no_color);

/* prints t (its view) to f: long layout (primary then derived table, orphans) or the wide
 * layout when st->columns is set. Returns 0, or -1 on a write error. */
int ctp_batch_print_table(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st);
/* prints the secondary sections (§5) */
int ctp_batch_print_sections(FILE *f, const struct ctp_sections *s, bool json, const struct ctp_batch_style *st);

/* ctprof-top --compare A B [-g AXIS] [-s SORT] [--filter RE] [--limit N] [--json]
 * exit codes: 0 ok, 2 bad input (one line "file: json.path: message" on stderr), 1 write error */
int ctp_batch_compare(const struct ctp_options *o);
/* ctprof-top --show F [-g AXIS] [-s SORT] [--limit N] [--json] */
int ctp_batch_show(const struct ctp_options *o);

#endif
