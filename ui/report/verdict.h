/* verdict.h — the regression gate in the report printers (--fail-if, --fail-if-file on
 * --compare and on -b -B): loads the rules, evaluates them over each printed table and prints
 * the verdict block (text) or one {"table":"verdict",...} line (JSON):
 *   FAIL run_time_ns:+25% pcomm=nginx 1.20s → 1.61s (+34.2%)
 *   FAIL: 1 of 3 rules tripped
 * or "PASS: 3 rules, 0 tripped". JSON: {"table":"verdict", "result":"pass"|"fail", "rules",
 * "tripped" (rules that tripped), "trips":[{"rule", "metric", "axis", "group", "status", "base",
 * "live", "change" (a fraction for percent and factor rules, raw units for absolute ones),
 * "base_text", "live_text"}]}. */
#ifndef CTP_VERDICT_H
#define CTP_VERDICT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/options.h"
#include "compare/failif.h"

#define CTP_EXIT_TRIPPED 3

struct ctp_failgate {
	bool on;                /* --fail-if or --fail-if-file given */
	struct ctp_rules rules;
};

/* loads the rules of o (none: g->on false) and checks their axes against axis. 0, or 2 after
 * one line on stderr */
int ctp_failgate_open(const struct ctp_options *o, enum ctp_axis axis, struct ctp_failgate *g);
/* evaluates the rules over t and prints the verdict to f. 0 pass (or gate off), 3 tripped, 1 on
 * a write error */
int ctp_failgate_report(FILE *f, const struct ctp_failgate *g, const struct ctp_table *t, bool json);
void ctp_failgate_close(struct ctp_failgate *g);

#endif
