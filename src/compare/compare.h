/* compare.h — the compare engine (compare.md + Appendix A): groups the threads of a baseline and
 * a live snapshot on an axis (pattern_key names, cgroup keys), aggregates every primary metric
 * by its registry rule, computes the derived metrics, joins the two sides (new/gone rows kept),
 * computes delta and percent, sorts, filters and limits. The result is a self-contained table
 * (it copies every string it shows, so it may outlive both snapshots). Used by the live TUI, the
 * batch printer and offline --compare/--show. Never prints. */
#ifndef CTP_COMPARE_H
#define CTP_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/format.h"
#include "snapshot/model.h"
#include "snapshot/registry.h"
#include "base/util.h"

/* ---------------------------------------------------------------- axes ---- */
enum ctp_axis { CTP_AXIS_PCOMM, CTP_AXIS_CGROUP, CTP_AXIS_COMM, CTP_AXIS_COMM_EXACT, CTP_AXIS_ALL, CTP_AXIS_COUNT };
/* "pcomm" | "cgroup" | "comm" | "comm-exact" | "all" (exact, lower case); -1 + err otherwise */
int ctp_axis_parse(const char *s, enum ctp_axis *out, struct ctp_err *err);
const char *ctp_axis_name(enum ctp_axis a);   /* "comm-exact" */
const char *ctp_axis_header(enum ctp_axis a); /* group column header: pcomm|cgroup|comm-pattern|comm|comm */

/* ktstr pattern_key (§1.2): digit runs -> {N}, lowercase hex with a digit -> {H}, alpha+digits ->
 * alpha{N}, digits+alpha -> {N}alpha, separators kept verbatim. Appends to out (not reset). */
void ctp_pattern_key(const char *s, size_t n, struct ctp_buf *out);
/* cgroup Layer 1 (systemd @instance.service -> @{I}.service) then Layer 2 (pattern_key over the
 * path); Layer 3 reduces to Layer 2 (§1.5). Appends to out. */
void ctp_cgroup_key(const char *path, size_t n, struct ctp_buf *out);

/* --------------------------------------------------------- metric list ---- */
/* which table a compare metric belongs to (ktstr sections, §2.2/§2.4) */
enum ctp_csection { CTP_CSEC_PRIMARY, CTP_CSEC_TASKSTATS_DELAY, CTP_CSEC_DERIVED };
/* how a metric reduces over a group's threads (ktstr AggRule families) */
enum ctp_crule { CTP_CR_SUM, CTP_CR_MAX, CTP_CR_RANGE, CTP_CR_MODE, CTP_CR_AFFINITY, CTP_CR_DERIVED };

/* one compare metric: thread_count, then the 86 registry metrics with agg != NONE in ktstr's
 * registry (display) order, then the derived metrics of data/derived.def (ktstr's 17, then ours,
 * origin EXT). Index = column. */
struct ctp_cmetric {
	const char *name;
	const char *help;
	const char *tags;              /* "[cfs-only] [SCHEDSTATS]"; "" when none */
	enum ctp_crule rule;
	enum ctp_ladder ladder;
	enum ctp_csection csection;    /* table of the offline report */
	enum ctp_section group;        /* registry section (column sets of the TUI); derived: SCHED/DELAY/... */
	int field;                     /* CTP_F_x, or -1 (thread_count, derived) */
	int derived;                   /* index in data/derived.def, or -1 */
	int cat;                       /* index into ctp_row.cats for RANGE/MODE/AFFINITY, else -1 */
	bool is_ratio;                 /* derived ratio: no percent, "0.874" format */
	bool monotonic;                /* lifetime counter (Sum rule except thread_count): rates apply */
	bool sortable;                 /* false for Mode metrics (policy, state, ext_enabled) */
	const char *thread_help;       /* the registry's help of one thread's value (help above
	                                * describes the group value: ctp_group_help) */
};
#define CTP_NCAT 8 /* RANGE/MODE/AFFINITY metrics: policy nice priority rt_priority cpu_affinity processor state ext_enabled */

/* ours, not ktstr's (data/derived.def origin EXT: thread_cpu_share, thread_vcsw_rate): left out
 * of ktstr's long offline report (ctp_table_flat), a compare metric like any other elsewhere */
bool ctp_cmetric_is_ext(size_t i);
/* the value is a share of one CPU (thread_cpu_share: 0.802 = 80.2 % of a CPU per thread) */
bool ctp_cmetric_cpu_share(size_t i);
size_t ctp_cmetric_count(void);                  /* 106 */
size_t ctp_cmetric_primary_count(void);          /* 87: indexes [0, 87) are primary */
const struct ctp_cmetric *ctp_cmetric(size_t i); /* NULL when out of range */
int ctp_cmetric_find(const char *name);          /* case-sensitive; -1 when unknown */
/* the closest valid names to an unknown one (prefix, edit distance, shared '_' words), best
 * first, at most 3: "wait_time_ns" or "a, b or c" into buf; returns how many (0: none close) */
size_t ctp_cmetric_suggest(const char *name, char *buf, size_t len);
/* err (where) for an unknown metric name nm: "unknown metric 'wait_time' (did you mean
 * wait_time_ns?); HINT, one of: NAMES" (hint NULL: "use the bare metric name"), NAMES every
 * metric (the sortable ones when sortable_only) in byte order; returns -1. nm is not escaped. */
int ctp_cmetric_unknown(const char *where, const char *nm, bool sortable_only, const char *hint, struct ctp_err *err);
/* the help of a group value, from the aggregation rule and the help of one thread's value:
 * SUM "time on CPU, summed over the group's threads"; MAX "largest per-thread shortest CPU
 * run-queue delay" ("longest X of any thread in the group", "largest peak RSS of the group's
 * processes"); RANGE "nice value: lowest..highest over the group's threads"; MODE "...: the most
 * common among the group's threads (count/threads when mixed)"; AFFINITY "...: CPU count
 * lowest..highest over the group's threads, the CPU list when all threads share one";
 * DERIVED "<help>, from the group's sums: <formula>" (formula may be NULL). Every
 * ctp_cmetric.help is this text. Returns strlen of the (possibly cut) result. */
size_t ctp_group_help(char *buf, size_t len, enum ctp_crule rule, const char *thread_help, const char *formula);

/* --------------------------------------------------------------- sort ---- */
#define CTP_SORT_MAX 8
struct ctp_sortkey {
	int metric; /* ctp_cmetric index */
	bool asc;
};
/* what a sort key compares: AUTO = delta when there is a baseline, live value otherwise. On the
 * delta (DELTA, AUTO with a base) a new row compares its live side, a gone row its base side
 * (per second in RATE mode for monotonic metrics): they rank by what they have, never sink */
enum ctp_sort_on { CTP_SORT_ON_AUTO, CTP_SORT_ON_DELTA, CTP_SORT_ON_LIVE, CTP_SORT_ON_BASE, CTP_SORT_ON_PCT };
struct ctp_sort {
	struct ctp_sortkey k[CTP_SORT_MAX];
	size_t n;          /* 0 = the default order (below) */
	enum ctp_sort_on on;
	/* the default order (n == 0, with a base) scores only these metrics (bit i = ctp_cmetric
	 * index i), e.g. the live view's visible columns.
	 * All zero = ktstr: per row the best score over every primary metric (|pct|, else a change
	 * from a zero base |delta| x 1e9, else none) descending, new/gone rows (no score) last;
	 * thread tables in (tid, start) order. Ties: key bytes.
	 * Non-zero (the largest relative change first; thread tables too): new and gone rows first
	 * (a group that appeared or vanished is the largest change), by their present side of the
	 * lowest-index masked metric descending; then matched rows by the best score over the masked
	 * metrics (|pct|, a change from a zero base |delta| x 1e9; unitless ratios have no percent
	 * and do not count); ties: |delta| of the lowest-index masked metric descending, then key
	 * bytes. */
	uint64_t score_mask[2];
};
/* parses "m1[:asc|desc],m2" (§3.3, E7): names case-sensitive, direction case-insensitive, default
 * desc; errors: empty entry, unknown metric, categorical (Mode) metric, duplicate, bad direction,
 * more than CTP_SORT_MAX keys. An empty spec gives n = 0. */
int ctp_sort_parse(const char *spec, struct ctp_sort *out, struct ctp_err *err);

/* ------------------------------------------------------------ options ---- */
enum ctp_delta_mode {
	CTP_DELTA_BASELINE, /* delta = live - base of the group aggregates (ktstr) */
	CTP_DELTA_RATE,     /* monotonic counters and derived sums (DIFF/OFFCPU): delta = (live -
	                     * base) / elapsed_s, pct of the raw delta; gauges/peaks and derived
	                     * ratios/means as BASELINE (window values with window_derived) */
	CTP_DELTA_ABSOLUTE, /* live values only (show, or no baseline): delta/pct never set */
	CTP_DELTA_WINDOW,   /* rate vs baseline rate (ctp_compare_window): base = the base window's
	                     * rate, live = the live window's rate, delta = live - base, pct =
	                     * delta / base; never produced by ctp_compare */
};

struct ctp_compare_opts {
	enum ctp_axis axis;
	enum ctp_delta_mode mode;
	double elapsed_s;           /* RATE: seconds between base and live; <= 0 -> from the snapshots */
	bool tid_deltas;            /* group deltas of Sum metrics = Σ per-thread deltas matched by
	                             * (tid, start_time): born threads count from 0, exited ones drop
	                             * out (compare.md §7.1); default false = ktstr aggregate diff */
	struct ctp_sort sort;
	const char *filter;         /* --filter: case-insensitive extended regex on row labels (filter.h); NULL/"" = all */
	size_t limit;               /* rows kept in the view, 0 = all */
	const char *const *flatten; /* --cgroup-flatten globs (fnmatch, '*' crosses '/'); NULL-terminated or NULL */
	bool no_thread_normalize;   /* literal pcomm/comm names */
	bool no_cg_normalize;       /* literal cgroup paths (after flatten) */
	bool no_fudge;              /* all axis: do not pair orphan cgroups by thread types (§1.6) */
	bool window_derived;        /* derived ratios/means as window values: the base side is the
	                             * base snapshot's own value, the live side the formula over the
	                             * window's input deltas, delta = live - base (live view, batch);
	                             * false = ktstr: each side's lifetime value (offline --compare).
	                             * Inputs: the raw deltas (Σ per-thread with tid_deltas; not per
	                             * second in RATE mode), a new row's counted from 0; a negative
	                             * input or a zero or negative denominator leaves the live side
	                             * absent. Percent only for those with a unit (ns means, rates),
	                             * never for unitless ratios. Per-thread means: Σ Δa / elapsed /
	                             * live threads. The derived sums (DIFF/OFFCPU) keep lifetime
	                             * sides and an ordinary delta (per second in RATE mode). */
	bool spread;                /* per row and monotonic counter, the spread of the per-thread
	                             * deltas (ctp_row.spread, spread.c); only with per-thread deltas
	                             * (tid_deltas or a drill-down), costs a sort per metric and group */
	bool waits;                 /* per row and side, the histogram of the wait channels of its
	                             * threads (ctp_row.waits, waits.c) from snapshot.wchan */
	const uint32_t *pids;       /* -p: with npids > 0 only the threads (and exit records) of these
	                             * processes (tgids), on both sides: a baseline of the whole host
	                             * compares as if captured with -p too */
	size_t npids;
};
/* defaults: axis pcomm, mode BASELINE, no sort keys, no filter, no limit */
void ctp_compare_opts_init(struct ctp_compare_opts *o);

/* the sources (1u << CTP_SOURCE_x, snapshot/registry.h) a refresh must read to show these
 * metrics (derived ones: their inputs) on this axis, plus what grouping and joining need
 * (comm, pcomm, start time; cgroup path on the cgroup/all axes). The live view's refresh plan. */
uint32_t ctp_plan_sources(const int *metrics, size_t n, enum ctp_axis axis);

/* -------------------------------------------------------------- table ---- */
enum ctp_row_status { CTP_ROW_MATCHED, CTP_ROW_NEW /* live only */, CTP_ROW_GONE /* base only */ };

/* one metric of one row. Missing side (new/gone row), Absent aggregate (§2.3), Mode metric or a
 * derived input that is absent/zero-denominator => that side's *_ok is false and renders "-". */
struct ctp_cell {
	double base, live;  /* numeric projection (Range/Affinity: midpoint) */
	double delta;       /* live - base; RATE mode: per second for monotonic metrics */
	double pct;         /* delta / base as a fraction (signed base, O2); never for ratios */
	bool base_ok, live_ok, delta_ok, pct_ok;
	bool base_x, live_x; /* base_u/live_u hold the side exactly: a Sum/Max aggregate of u64
	                      * counters, which a double rounds above 2^53 (JSON prints these) */
	uint64_t base_u, live_u;
};

/* categorical detail of a Range / Mode / Affinity side, for value cells */
enum ctp_catkind { CTP_CAT_MISSING, CTP_CAT_ABSENT, CTP_CAT_RANGE, CTP_CAT_MODE, CTP_CAT_AFFINITY };
struct ctp_catval {
	enum ctp_catkind kind;
	int64_t lo, hi;        /* RANGE: min..max; AFFINITY: min..max cpu count */
	uint64_t count, total; /* MODE: winner's count / threads */
	char *text;            /* MODE: winning value ("SCHED_OTHER", "S", "false"); AFFINITY: cpu list
	                        * "0-3" when every thread's set is identical, else NULL (mixed) */
};

struct ctp_row {
	char *key;            /* join key (owned); may contain NUL on the all axis: cg\0pcomm\0comm */
	size_t keylen;        /* compare keys with memcmp over keylen (byte order, O4) */
	char *label;          /* printable form of key (NUL -> " | "), unsanitized; thread rows: comm */
	const char *part[3];  /* all axis: cgroup, pcomm, comm parts (point into key); else part[0]=key */
	enum ctp_row_status status;
	size_t nthreads_base, nthreads_live;
	size_t born, exited;  /* tid_deltas/thread tables: threads only in live / only in base;
	                       * with exit records (ctp_table.exits_on) exited = the group's records,
	                       * born counts the threads born and gone in the interval too */
	uint32_t tid, tgid;   /* thread tables only */
	uint32_t base_tid;    /* thread tables: the base thread paired by name with this live thread
	                       * (a restart), 0 when matched by (tid, start) or unmatched */
	uint64_t start_time_clock_ticks;
	double uptime_pct;    /* §1.7 (matched rows); uptime_ok false otherwise */
	bool uptime_ok;
	struct ctp_cell *cells;           /* ctp_cmetric_count() entries */
	struct ctp_catval cats[CTP_NCAT][2]; /* [cat][0 = base, 1 = live] */
	bool fudged;          /* all axis: candidate orphans merged into this baseline group (§1.6);
	                       * label is then "[fudged: <last baseline cgroup segment>] " + label */
	struct ctp_spread *spread; /* opts.spread: ctp_cmetric_count() entries, else NULL */
	struct ctp_waits *waits;   /* opts.waits: [0] base, [1] live side, else NULL */
};

/* spread within a group (issue 17): over the group's live threads, each thread's delta of one
 * monotonic counter over the interval (a thread born in it counts from 0; threads that exited
 * are not in it), per second in RATE mode, in the unit of ctp_cell_raw_unit. Percentiles
 * interpolate linearly between the sorted values. imbalance = max / p50, absent (imb_ok false)
 * when p50 is 0. ok false: not a monotonic counter, not measured, or no live thread. */
struct ctp_spread {
	double min, p50, p90, max, imbalance;
	size_t n;     /* threads */
	bool ok, imb_ok;
};
/* what a group's threads wait on (issue 17 item 3): one side's wait channels (snapshot.wchan)
 * by thread count, most first, ties by name; share = threads / sleeping */
struct ctp_waitent {
	char *name;
	size_t threads;
};
struct ctp_waits {
	struct ctp_waitent *v;
	size_t n;
	size_t sleeping; /* the side's threads with a channel (S or D) */
	bool ok;         /* the side's snapshot has wait channels (its capture was asked) */
};
/* the share of channel name among the side's sleeping threads; -1 when none sleep or !ok */
double ctp_waits_share(const struct ctp_waits *w, const char *name);
/* the top channel of row r's live side and its share, with the base side's share of the same
 * channel when the base has channels: "futex_wait_queue 62% (base 18%)"; "-" when the live
 * side has none. Unsanitized (kernel symbol names). */
char *ctp_waits_top_text(const struct ctp_row *r, char *buf, size_t len);

/* the spread of n sorted-or-not values (sorted in place); ok false when n == 0 */
void ctp_spread_of(double *v, size_t n, struct ctp_spread *out);

/* one fudged cgroup pairing (§1.6, all axis): candidate prefix joined to a baseline prefix */
struct ctp_fudge {
	char *base_prefix, *cand_prefix; /* cgroup keys */
	char *base_root, *cand_root;     /* cascade roots (common trailing segments stripped) */
	size_t overlap;                  /* thread types in both */
	double jaccard;                  /* 0..1 */
	size_t cascaded;                 /* candidate groups joined under the roots, outside the pair */
	size_t joined;                   /* candidate groups joined in all */
	char *resid_base, *resid_cand;   /* "pcomm:comm, ..." types without a counterpart; "" when none */
};

struct ctp_table {
	enum ctp_axis axis;
	enum ctp_delta_mode mode;
	double elapsed_s;      /* RATE: seconds of the interval; WINDOW: of the live window */
	double base_window_s;  /* WINDOW: seconds of the base window; 0 otherwise */
	bool has_base;
	bool threads;          /* per-thread drill-down table */
	struct ctp_sort sort;
	struct ctp_row *rows;  /* every group, sorted (§3.2/§3.3); ties by key bytes */
	size_t nrows;
	size_t *view;          /* indexes into rows passing filter and limit, in order */
	size_t nview;
	size_t nbase_threads, nlive_threads;
	struct ctp_fudge *fudges; /* all axis only */
	size_t nfudges;
	/* issue 17: the live snapshot carried exit records (snapshot.exits) and per-thread deltas
	 * counted them: a group's Sum deltas include the final counters of its threads that exited
	 * in the interval (minus their base values; from 0 for those born in it) */
	bool exits_on;
	uint64_t exits_lost; /* the live snapshot's exits_lost */
	/* issue 17: host-wide gates (1u << CTP_GATE_x) off in the base and on live (turned_on) or
	 * the reverse, from both host contexts; the cells they keep from a delta read "off→on" /
	 * "on→off" (ctp_cell_gate_flip) */
	unsigned gates_turned_on, gates_turned_off;
};

/* base may be NULL (=> ABSOLUTE). Returns NULL and fills err on bad options (regex, mode). */
struct ctp_table *ctp_compare(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
			      const struct ctp_compare_opts *o, struct ctp_err *err);
/* ------------------------------------------------------ window baselines ---- */
/* a window: two snapshots of one host, a captured before b. Its rates are per-second deltas:
 * Σ per-thread deltas matched by (tid, start_time) (a thread born inside the window counts from
 * 0, one gone before b drops out), over (b - a) seconds of capture time */
struct ctp_window {
	const struct ctp_snapshot *a, *b;
};
/* 0 when a then b is a window: the same host (hostname and boot time in the host context, when
 * both have one) and a captured strictly before b; -1 with err naming what differs ("different
 * hosts: web1 and web2", "out of order: the second was captured 12s before the first") and no
 * file names (the caller knows them) */
int ctp_window_check(const struct ctp_snapshot *a, const struct ctp_snapshot *b, struct ctp_err *err);
/* rate vs baseline rate (table mode CTP_DELTA_WINDOW): groups of both windows on o->axis, rows
 * the union of their keys (a group only in one window is NEW/GONE). Per metric: monotonic
 * counters and derived sums: base/live = each window's per-second rate; gauges (Max rule) and
 * categorical metrics: the value at each window's end (b); derived ratios and means: the
 * window value of each window (formula over that window's input deltas); delta = live - base,
 * pct = delta / base (not for unitless ratios). elapsed_s = the live window's seconds,
 * base_window_s the base window's. o->mode and o->tid_deltas are ignored; sort, filter and
 * limit apply. NULL with err on bad options or a window that fails ctp_window_check. */
struct ctp_table *ctp_compare_window(const struct ctp_window *base, const struct ctp_window *live,
				     const struct ctp_compare_opts *o, struct ctp_err *err);

/* drill-down: the threads of one group (key/keylen as in ctp_row) on both sides, matched by
 * (tid, start_time_clock_ticks); the rest (a restarted process) pair one-to-one by exact comm,
 * then by pattern_key of comm, each side in (start time, tid) order: MATCHED rows with
 * per-thread deltas and ctp_row.base_tid; what stays unpaired -> NEW / GONE rows. Rows follow
 * the sort (new/gone by their present side). key "tid" (the live one), label comm. o->axis
 * must be the axis that produced group_key. */
struct ctp_table *ctp_compare_threads(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
				      const char *group_key, size_t keylen, const struct ctp_compare_opts *o,
				      struct ctp_err *err);
void ctp_table_free(struct ctp_table *t);
/* re-sorts rows and rebuilds the view without recomputing (TUI sort / filter keys) */
int ctp_table_resort(struct ctp_table *t, const struct ctp_sort *s, const char *filter, size_t limit,
		     struct ctp_err *err);
/* true when every listed metric of r shows nothing: its shown value (delta with a base, the
 * live value without; a new row's live side, a gone row's base side (none in RATE mode); a
 * window pair's live side; categorical cells never count) is zero or absent. The live view's
 * hide-idle rule. */
bool ctp_row_idle(const struct ctp_table *t, const struct ctp_row *r, const int *metrics, size_t n);
/* row lookup by key; NULL when absent */
const struct ctp_row *ctp_table_find(const struct ctp_table *t, const char *key, size_t keylen);

/* ktstr's long format: every (row, metric) pair of the view for one report table, in ktstr order:
 * default = global sort by |pct|, else |delta|x1e9, else -inf, ties by key then metric (§3.2);
 * with sort keys = (group rank, metric index). which: CTP_CSEC_PRIMARY (primary + taskstats-delay)
 * or CTP_CSEC_DERIVED (all derived). Caller frees *out. Returns the count. */
struct ctp_flat {
	size_t row, metric;
};
size_t ctp_table_flat(const struct ctp_table *t, enum ctp_csection which, struct ctp_flat **out);

/* ------------------------------------------------------ cell rendering ---- */
/* value text of one side (side 0 = base, 1 = live) in ktstr's cell formats: "1.500ms", "-5..10",
 * "SCHED_OTHER (3/5)", "4 cpus (0-3)", "-" */
char *ctp_cell_value_text(const struct ctp_row *r, size_t metric, int side, char *buf);
/* delta text: "+50ns", "same"/"differs" (Mode), "-" */
char *ctp_cell_delta_text(const struct ctp_row *r, size_t metric, char *buf);
/* percent text: "+1063.1%", "-" */
char *ctp_cell_pct_text(const struct ctp_row *r, size_t metric, char *buf);

/* display texts of the live view, batch text and batch JSON: one formatter for every surface
 * except ktstr's offline report above. CELL is what one table cell shows in the table's mode:
 * the delta (a rate formatted per second in RATE mode), a derived ratio or mean as its window
 * pair "0.87→0.60", the live value of gauges and categorical metrics, "-" when not measured. */
/* what CTP_SHOW_CELL shows for a metric in a table's mode: the live value (absolute mode,
 * categorical metrics, gauges in RATE mode), a signed change, a per-second rate (RATE mode's
 * counters: a level, unsigned, never coloured as a rise), or a derived ratio/mean's window pair */
enum ctp_cell_kind { CTP_CELL_LIVE, CTP_CELL_DELTA, CTP_CELL_RATE, CTP_CELL_PAIR };
enum ctp_cell_kind ctp_cell_kind(const struct ctp_table *t, size_t metric);
enum ctp_show { CTP_SHOW_BASE, CTP_SHOW_LIVE, CTP_SHOW_DELTA, CTP_SHOW_PCT, CTP_SHOW_CELL,
		CTP_SHOW_ASCII = 16 /* OR into what: "->" for the pair arrow, ">>"/"<<" for much more/less */ };
/* Texts, all in ctp_fmt_compact's format (3 significant digits, ticks as time: "19.38s"):
 *  BASE/LIVE  that side's value; categorical metrics in ktstr's form ("SCHED_OTHER (3/5)");
 *             derived ratios with two decimals ("0.87"); "-" when the side does not exist.
 *  DELTA      signed: RATE mode monotonic counters and derived sums per second (ctp_fmt_rate:
 *             "+80.2%" of a CPU for time, "+44" for counts, "+3.1MiB" for bytes); else compact
 *             ("+1.21s", "+3.85k", ratios "-0.27").
 *  PCT        "+31.5%"; "new" when the base is 0 and the value moved; "≫" ("<<" for "≪") when
 *             |base| * 100 < |live| (the live value is over 100 times the base: a percent on such
 *             a base, like +136033%, says nothing); "-" when there is none (ratios, RATE mode).
 *  CELL       what one table cell shows in t's mode: derived ratios and means (not the derived
 *             sums) as the pair "base→live" ("0.87→0.60", "132µs→295µs") when t has a base (in
 *             RATE mode the window value alone: a level, no DELTA, no PCT), else the live value;
 *             Range/Mode/Affinity metrics and, in RATE mode, gauges (Max rule) their live value;
 *             everything else the DELTA text. A new or gone row (one side only): the present
 *             side unsigned, ratios and means "-→0.42" / "0.51→-"; in RATE mode a new row its
 *             rates and window values, a gone row "-". PCT is "-" in RATE mode and for ordinal
 *             and range metrics (processor, nice, priority, nr_threads, ...).
 * WINDOW mode (ctp_compare_window): BASE/LIVE of counters and derived sums are per-second levels
 * (ctp_fmt_rate, unsigned: "100%", "44"), DELTA and CELL the signed Δ/s ("+100%", "+30"), PCT
 * the percent; gauges and categorical metrics CELL = the live window's end value, derived
 * ratios and means the pair of the two windows' values; units as in RATE mode.
 * buf holds CTP_FMT_MAX bytes. Offline --compare/--show keep ktstr's texts (above). */
char *ctp_cell_show(const struct ctp_table *t, const struct ctp_row *r, size_t metric, enum ctp_show what,
		    char *buf);
/* the numbers of row r's cell of metric as a report prints them (batch JSON): the cell, with
 * delta and pct dropped where no cell text shows one: delta of a derived ratio or mean in RATE
 * mode (a level: base is the previous sample's own value, live the window value), pct in RATE
 * mode and of ordinal or range metrics (processor, nice, priority, nr_threads, ...) */
void ctp_cell_reported(const struct ctp_table *t, const struct ctp_row *r, size_t metric, struct ctp_cell *out);
/* one unsigned number of metric in t's units as its cells read (a per-second rate of a counter
 * in RATE mode: "80.2%", "44"; else compact "1.21s"): the spread values */
char *ctp_cell_number_text(const struct ctp_table *t, size_t metric, double v, char *buf);
/* the gates (1u << CTP_GATE_x) metric depends on: its field's, a derived metric's inputs' */
unsigned ctp_cmetric_gates(size_t metric);
/* "off→on" ("off->on" ascii) when a gate metric depends on was turned on between t's sides
 * and so row r (matched) has no delta for it, "on→off" for one turned off; NULL otherwise.
 * CTP_SHOW_CELL and CTP_SHOW_DELTA show it in place of "-". */
const char *ctp_cell_gate_flip(const struct ctp_table *t, const struct ctp_row *r, size_t metric, bool ascii);
/* THR cell of a row: the thread count, or "base→live" ("0→5" for a new group, "5→0" for a gone
 * one) when it changed against a base; ascii writes "->" */
char *ctp_row_threads_text(const struct ctp_table *t, const struct ctp_row *r, bool ascii, char *buf);
/* unit label of what CTP_SHOW_CELL/DELTA print for metric in t's mode, for column headers:
 * RATE mode per-second values "%cpu" (time), "/s" (counts), "B/s" (bytes); otherwise the unit the
 * compact text is read in: "ns", "µs", "B", "s" (ticks print as time), "" (counts, ratios) */
const char *ctp_cell_unit(const struct ctp_table *t, size_t metric);
/* unit of the raw number behind CTP_SHOW_CELL/DELTA (JSON "unit" next to a number): "ns/s",
 * "ticks/s", "B/s", "/s" for RATE-mode rates, else "ns", "µs", "B", "ticks", "" */
const char *ctp_cell_raw_unit(const struct ctp_table *t, size_t metric);

/* -------------------------------------------------- secondary sections ---- */
/* flat rows of the secondary tables (§5): smaps_rollup per group, cgroup stats / limits /
 * memory.stat / memory.events / pressure (cgroup axis), host PSI, sched_ext, host context. */
struct ctp_srow {
	const char *section;   /* "smaps-rollup" "cgroup-stats" "cgroup-limits" "memory-stat"
	                        * "memory-events" "pressure" "host-pressure" "sched-ext" "host" */
	char *group;           /* group key / cgroup key / resource ("cpu some"); "" when none */
	char *name;            /* field: "Rss", "usage_usec", "avg10", "kernel_release" */
	enum ctp_ladder ladder;
	bool base_ok, live_ok; /* numeric sides */
	double base, live;
	char *base_text, *live_text; /* non-numeric sides ("max", host strings); NULL if numeric/missing */
	bool changed;          /* sides differ (or one side missing) */
	size_t cg_len;         /* smaps-rollup on the all axis: group[0, cg_len) is the cgroup, then
	                        * '/' and the process; 0 otherwise */
	bool exact;            /* base_u/live_u hold the sides exactly (u64 sums, smaps-rollup) */
	uint64_t base_u, live_u;
};
struct ctp_sections {
	struct ctp_srow *v;
	size_t n, alloc;
	bool has_base; /* false for show: only the live side is meaningful */
};
/* base may be NULL (show). changed_only drops rows whose sides are equal. */
int ctp_sections_build(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_compare_opts *o, bool changed_only, struct ctp_sections *out,
		       struct ctp_err *err);
void ctp_sections_release(struct ctp_sections *s);

#endif
