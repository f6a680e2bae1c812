/* internal.h — private glue of the compare engine: the metric-table internals, group assignment
 * (group.c, fudge.c; name keys in namekey.c), per-side aggregates and the hash map (hmap.h) used
 * for keys and joins. Not for ui/. */
#ifndef CTP_COMPARE_INTERNAL_H
#define CTP_COMPARE_INTERNAL_H

#include "compare.h"
#include "compare/hmap.h"

/* counted from the tables: thread_count + every registry field with a display position
 * (data/metrics.def disp > 0), and the rows of data/derived.def */
enum {
	CTP_NPRIMARY = 1
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) + ((disp) > 0)
#include "../../data/metrics.def"
#undef M
	,
	CTP_NDERIVED = 0
#define D(name, op, a, b, ladder, is_ratio, csection, group, origin, help) + 1
#include "../../data/derived.def"
#undef D
};

enum ctp_dop { CTP_DOP_RATIO, CTP_DOP_RSUM, CTP_DOP_DIFF, CTP_DOP_OFFCPU, CTP_DOP_PERTHR };
struct ctp_dmetric {
	enum ctp_dop op;
	int a, b; /* cmetric indexes of the inputs */
};
const struct ctp_dmetric *ctp_dmetric(size_t i);
/* the inputs of total_offcpu_delay_ns (op OFFCPU, derived.c): six delay totals summed, then
 * swapin and thrashing (the larger counts); CTP_F_x ids */
extern const int ctp_offcpu_fields[8];
/* cmetric index of a registry field, -1 when it is not a compare metric */
int ctp_cmetric_of_field(int field);

/* ---- grouping: each thread of each side -> a group index ---- */
struct ctp_group {
	char *key;
	size_t keylen;
};
struct ctp_grouping {
	struct ctp_group *g;
	size_t n, alloc;
	size_t *of[2];  /* [side][thread] group index, SIZE_MAX = not in any group */
	size_t nthr[2];
	size_t *of_exit; /* [live exit record] group index or SIZE_MAX (snapshot.exits, issue 17) */
	size_t nexit;
	char **fudge_label;      /* per group: "[fudged: seg] " or NULL (all axis) */
	struct ctp_fudge *fudges;
	size_t nfudges;
};
/* all axis: pairs orphan cgroup prefixes by thread types and moves joined candidate threads into
 * their baseline group (compare.md §1.6); no-op unless both sides have orphans */
void ctp_fudge_groups(struct ctp_grouping *gr);
void ctp_fudge_release(struct ctp_fudge *f);
/* groups both sides on o->axis; side 0 (base) may be NULL */
void ctp_group_threads(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_compare_opts *o, struct ctp_grouping *out);
void ctp_grouping_release(struct ctp_grouping *gr);
/* namekey.c: applies --cgroup-flatten then (unless no_cg_normalize) Layers 1-3; appends to out */
void ctp_cgroup_group_key(const char *path, const struct ctp_compare_opts *o, struct ctp_buf *out);

/* ---- aggregation ---- */
struct ctp_acc {                /* one numeric metric of one group side */
	uint64_t u;
	bool measured;
};
struct ctp_tally {
	char *val; /* owned copy */
	size_t len;
	uint64_t count;
};
struct ctp_catacc {
	int64_t lo, hi;              /* range; affinity counts */
	struct ctp_tally *t;         /* mode tallies */
	size_t nt, at;
	const struct ctp_cpuset *first; /* affinity: the first thread's set (borrowed) */
	bool uniform;
};
struct ctp_gside {
	unsigned gates_off;          /* CTP_GATE_x bits the side's host had off (ctp_snapshot_gates_off) */
	uint32_t sources_off;        /* CTP_SOURCE_x bits the side's capture did not read (~sources_read):
	                              * their metrics are absent, as a gate that was off */
	size_t nthreads;
	uint64_t start_sum;          /* Σ start_time_clock_ticks (uptime) */
	struct ctp_acc acc[CTP_NPRIMARY];
	struct ctp_catacc cat[CTP_NCAT];
};
void ctp_gside_add(struct ctp_gside *gs, const struct ctp_thread *t);
void ctp_gside_release(struct ctp_gside *gs);
/* fills cells' base/live values (side 0/1) and the row's catvals for primary + derived metrics */
void ctp_gside_finish(const struct ctp_gside *gs, int side, struct ctp_row *r);
/* what the per-thread means (op PERTHR) of one side divide by: the thread-seconds it covers
 * (a snapshot side: Σ thread ages at capture; the window: elapsed x live threads) */
struct ctp_dside {
	double thread_s;
	bool ok;
};
/* derived metrics of one side from the primary cells already in r */
void ctp_derived_fill(struct ctp_row *r, int side, const struct ctp_dside *ds);
/* opts.window_derived, after the raw deltas (tid_deltas included) and before ctp_row_per_second:
 * ratios and means get live = the formula over the raw input deltas (a new row's counted from
 * 0; negative inputs or a non-positive denominator: absent), delta = live - base, percent unless
 * unitless; the derived sums (DIFF, OFFCPU) delta = the formula over the input deltas */
void ctp_derived_window(struct ctp_row *r, const struct ctp_dside *window);
/* raw delta (live - base) and percent of every cell of r; none in ABSOLUTE mode */
void ctp_row_deltas(struct ctp_row *r, enum ctp_delta_mode mode);
/* RATE mode, last: deltas of monotonic metrics (counters, derived sums) become per second */
void ctp_row_per_second(struct ctp_row *r, double elapsed_s);
/* spread.c: r->spread over n live threads and their base twins (NULL: born in the interval),
 * for the monotonic counters whose group delta is set; per_s > 0 divides by those seconds */
void ctp_spread_fill(struct ctp_row *r, const struct ctp_thread *const *live, const struct ctp_thread *const *base,
		     size_t n, double per_s);
/* waits.c: one side of r->waits (allocated on first use) from the channels of s's threads idx */
void ctp_waits_fill(struct ctp_row *r, int side, const struct ctp_snapshot *s, const size_t *idx, size_t n);
void ctp_waits_release(struct ctp_waits *w);
/* gateflip.c: t->gates_turned_on/off from the two sides' host contexts */
void ctp_table_gate_flips(struct ctp_table *t, const struct ctp_snapshot *base, const struct ctp_snapshot *live);

/* ---- sorting and view ---- */
double ctp_cell_score(const struct ctp_cell *c);
int ctp_table_sort_rows(struct ctp_table *t);
int ctp_table_build_view(struct ctp_table *t, const char *filter, size_t limit, struct ctp_err *err);
int ctp_keycmp(const char *a, size_t al, const char *b, size_t bl);
void ctp_row_set_key(struct ctp_row *r, const char *key, size_t len, enum ctp_axis axis);
void ctp_row_release(struct ctp_row *r);
/* one side of a cell (side 0 = base, 1 = live): value v when ok, else absent */
void ctp_cell_set_side(struct ctp_cell *c, int side, bool ok, double v);
/* the same from a u64 aggregate, kept exact in base_u/live_u */
void ctp_cell_set_side_u(struct ctp_cell *c, int side, bool ok, uint64_t u);

#endif
