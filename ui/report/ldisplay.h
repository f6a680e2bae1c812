/* ldisplay.h — ktstr's display options of the offline report (--compare, --show): the
 * --display-format shorthands and --columns (the long layout's cells), --sections (which tables
 * print) and --metrics (which rows of the primary and derived tables), --wrap. Parsed once per
 * run before any I/O; unknown values are one-line errors naming the option and the choices. */
#ifndef CTP_LDISPLAY_H
#define CTP_LDISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/options.h"
#include "compare/compare.h"

/* a cell of the long layout; names as ktstr's --columns ("%" is LC_PCT) */
enum ctp_lcol { CTP_LC_GROUP, CTP_LC_THREADS, CTP_LC_METRIC, CTP_LC_BASELINE, CTP_LC_CANDIDATE, CTP_LC_DELTA,
		CTP_LC_PCT, CTP_LC_ARROW, CTP_LC_VALUE, CTP_LC_TAGS, CTP_LC_UPTIME, CTP_LC_COUNT };
enum ctp_dformat { CTP_DF_FULL, CTP_DF_DELTA_ONLY, CTP_DF_NO_PCT, CTP_DF_ARROW, CTP_DF_PCT_ONLY };
/* the tables --sections names, in print order (ktstr's plus our host context) */
enum ctp_lsec { CTP_LS_PRIMARY, CTP_LS_TASKSTATS, CTP_LS_DERIVED, CTP_LS_CGROUP_STATS, CTP_LS_CGROUP_LIMITS,
		CTP_LS_MEMORY_STAT, CTP_LS_MEMORY_EVENTS, CTP_LS_PRESSURE, CTP_LS_HOST_PRESSURE, CTP_LS_SMAPS,
		CTP_LS_SCHED_EXT, CTP_LS_HOST, CTP_LS_COUNT };

struct ctp_ldisplay {
	enum ctp_dformat format;        /* default arrow (ktstr's CLI default) */
	enum ctp_lcol cols[CTP_LC_COUNT];
	size_t ncols;                   /* the resolved cells: --columns, else the format's */
	unsigned sections;              /* bit per enum ctp_lsec; all set when --sections is not given */
	uint64_t metrics[2];            /* bit per ctp_cmetric index; all set without --metrics */
	bool wrap;                      /* --wrap and stdout is a terminal: cells fold to its width */
	size_t width;                   /* the terminal's columns when wrap */
	enum ctp_axis axis;             /* the grouping (smaps_rollup's group header) */
};

/* fills d from o (display_format, report_columns, sections, metrics, wrap): compare_side picks
 * the column vocabulary (compare: no "value"; show: no baseline/candidate/delta/%/arrow). 0, or
 * -1 with err ("--columns: unknown column 'x' (group, threads, ...)"). Notices (a cgroup-only
 * section under another axis) go to notes, one line each. */
int ctp_ldisplay_parse(const struct ctp_options *o, bool compare_side, enum ctp_axis axis, struct ctp_ldisplay *d,
		       FILE *notes, struct ctp_err *err);
/* the defaults: arrow (compare) or group/threads/metric/value (show), every section and metric */
void ctp_ldisplay_default(struct ctp_ldisplay *d, bool compare_side);
/* header text of a column ("value" for arrow, "%uptime" for uptime) */
const char *ctp_lcol_header(enum ctp_lcol c);
bool ctp_ldisplay_metric_on(const struct ctp_ldisplay *d, size_t metric);
/* a row of the long tables: its section (primary or taskstats-delay; derived or taskstats-delay) */
bool ctp_ldisplay_row_on(const struct ctp_ldisplay *d, size_t metric);
/* a secondary table by its srow section name ("smaps-rollup", "host", ...) */
bool ctp_ldisplay_section_on(const struct ctp_ldisplay *d, const char *section);
/* --cgroup-flatten globs that match no cgroup of either snapshot: one notice line each */
void ctp_flatten_notices(FILE *f, const char *const *globs, const struct ctp_snapshot *a,
			 const struct ctp_snapshot *b);

#endif
