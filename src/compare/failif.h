/* failif.h — the regression gate (--fail-if RULES, --fail-if-file FILE): rules parsed from text
 * and evaluated over the rows of a compare table; what tripped comes back as a list. Never
 * prints (the verdict block and JSON line are ui/report/verdict.c).
 *
 * A rule:  METRIC:THRESHOLD[:min=VALUE][@AXIS=GLOB]
 *   THRESHOLD  +25% / -10%  (percent change of live against base; no sign = +)
 *              x2 / x0.5    (live >= 2 x base; a factor below 1: live <= factor x base)
 *              +1ms / -4KiB / +100  (absolute change in the metric's unit: ns us µs ms s for
 *              time (clock-tick metrics take time units too, or "ticks"), B K KiB M MiB G GiB for
 *              bytes (K = KiB = 1024), plain numbers for counts and ratios (k/K M G x1000))
 *   min=VALUE  the row's base value must be at least VALUE (same units): tiny groups stay quiet
 *   @AXIS=GLOB only the groups whose name matches GLOB (fnmatch, '*' crosses '/'); AXIS must be
 *              the table's axis (-g). The glob runs to the end of the rule.
 * Rules are separated by commas or new lines; in a file '#' starts a comment and blank lines
 * are skipped. Trips: a matched row trips when its change reaches the threshold in the rule's
 * direction (>=). A new group counts as base 0 and a gone group as live 0: a change from a base
 * of 0 has no percent or factor, so percent and factor rules never trip on a new group (nor on
 * any base of 0; use an absolute rule), while an absolute rise trips on a new group whose live
 * value reaches it (unless min= asks for a base above 0). A side that was not measured ('-')
 * never trips. Every row of the table counts: --filter and --limit narrow what is printed,
 * not the gate. */
#ifndef CTP_FAILIF_H
#define CTP_FAILIF_H

#include <stdbool.h>
#include <stddef.h>

#include "compare/compare.h"

enum ctp_rule_kind { CTP_RULE_PCT, CTP_RULE_FACTOR, CTP_RULE_ABS };

struct ctp_rule {
	char *text;            /* the rule as written (trimmed), for messages and the verdict */
	int metric;            /* ctp_cmetric index */
	enum ctp_rule_kind kind;
	bool fall;             /* trips on a fall (-N%, -N unit, a factor below 1) */
	double threshold;      /* PCT: fraction (0.25); FACTOR: the factor; ABS: raw metric units, > 0 */
	bool has_min;
	double min;            /* raw metric units */
	bool has_glob;
	enum ctp_axis axis;    /* with has_glob */
	char *glob;
};

struct ctp_rules {
	struct ctp_rule *v;
	size_t n, alloc;
};

/* parses rules from text and appends them to out. origin names the source in errors
 * ("--fail-if", or a file name: "FILE:LINE" is used then); file = true allows '#' comments.
 * Errors are one line naming the rule and what is wrong ("--fail-if: rule 'run_time:+5%':
 * unknown metric 'run_time'; did you mean run_time_ns?"). 0, or -1 with err set (CTP_E_ARG);
 * out keeps what was parsed before the bad rule (free it with ctp_rules_release) */
int ctp_rules_parse(const char *text, const char *origin, bool file, struct ctp_rules *out, struct ctp_err *err);
/* reads FILE (a regular file, at most 1 MiB) and parses it as above. 0, or -1 with err set */
int ctp_rules_load(const char *path, struct ctp_rules *out, struct ctp_err *err);
/* -1 with err when a rule's @AXIS is not axis */
int ctp_rules_check_axis(const struct ctp_rules *r, enum ctp_axis axis, struct ctp_err *err);
void ctp_rules_release(struct ctp_rules *r);

/* one tripped (rule, row) pair */
struct ctp_trip {
	size_t rule;        /* index in ctp_rules */
	size_t row;         /* index in ctp_table.rows */
	double base, live;  /* the sides compared (a new row's base and a gone row's live are 0) */
	double change;      /* PCT/FACTOR: (live - base) / base; ABS: live - base */
};
struct ctp_verdict {
	struct ctp_trip *v;
	size_t n, alloc;
	size_t nrules;
};

/* evaluates every rule on every row of t (its rows, not only the view), in rule then row
 * order; fills out (reset first). Returns the number of trips. t must have a base. */
size_t ctp_rules_eval(const struct ctp_rules *r, const struct ctp_table *t, struct ctp_verdict *out);
void ctp_verdict_release(struct ctp_verdict *v);

#endif
