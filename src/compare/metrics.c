/* metrics.c — the compare metric list: thread_count, the aggregated registry fields in ktstr's
 * display order with their tags (the disp and tags columns of data/metrics.def), then
 * data/derived.def; plus axis names and the --sort-by parser. Built once, on first use. */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* every registry field with its ktstr display position and tags (data/metrics.def) */
static const struct {
	int disp;
	const char *tags;
} field_disp[CTP_NFIELDS] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) { disp, tags },
#include "../../data/metrics.def"
#undef M
};

/* the table must say what the code relies on: compare metrics are exactly the aggregated fields,
 * their display positions are 1..CTP_NPRIMARY-1 each once (one bit per position, in two words),
 * and the categorical ones fill CTP_NCAT slots */
#define POS_BIT(d, lo) ((d) > (lo) && (d) <= (lo) + 64 ? 1ull << (((d) - (lo) - 1) & 63) : 0)
#define POS_MASK(n, lo) ((n) <= (lo) ? 0 : (n) - (lo) >= 64 ? ~0ull : (1ull << (((n) - (lo)) & 63)) - 1)
_Static_assert(0
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) + (((disp) > 0) != (CTP_AGG_##agg != CTP_AGG_NONE))
#include "../../data/metrics.def"
#undef M
		       == 0, "metrics.def: disp > 0 exactly for the aggregated fields (agg != NONE)");
_Static_assert(CTP_NPRIMARY - 1 <= 128, "metrics.def: the position check covers 128 compare metrics");
_Static_assert((0
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) | POS_BIT(disp, 0)
#include "../../data/metrics.def"
#undef M
		) == POS_MASK(CTP_NPRIMARY - 1, 0) && (0
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) | POS_BIT(disp, 64)
#include "../../data/metrics.def"
#undef M
		) == POS_MASK(CTP_NPRIMARY - 1, 64), "metrics.def: disp is not 1..N, each once");
_Static_assert(0
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help)                     \
	+ (CTP_AGG_##agg == CTP_AGG_RANGE || CTP_AGG_##agg == CTP_AGG_MODE || CTP_AGG_##agg == CTP_AGG_AFFINITY)
#include "../../data/metrics.def"
#undef M
		       == CTP_NCAT, "CTP_NCAT is the number of RANGE/MODE/AFFINITY fields in metrics.def");
#undef POS_BIT
#undef POS_MASK

#define NONE_L CTP_LADDER_NONE
#define NS_L CTP_LADDER_NS
#define BYTES_L CTP_LADDER_BYTES
static const struct {
	const char *name, *a, *b, *help;
	enum ctp_dop op;
	enum ctp_ladder ladder;
	bool is_ratio;
	enum ctp_csection csec;
	enum ctp_section group;
} derived_def[CTP_NDERIVED] = {
#define D(name, op, a, b, ladder, is_ratio, csection, group, origin, help) \
	{ #name, #a, #b, help, CTP_DOP_##op, ladder##_L, is_ratio, CTP_CSEC_##csection, CTP_SECTION_##group },
#include "../../data/derived.def"
#undef D
};

static struct ctp_cmetric cm[CTP_NPRIMARY + CTP_NDERIVED];
static char group_help[CTP_NPRIMARY + CTP_NDERIVED][240]; /* cm[i].help */
static struct ctp_dmetric dm[CTP_NDERIVED];
static int field_to_cm[CTP_NFIELDS];
static pthread_once_t cm_once = PTHREAD_ONCE_INIT;

static enum ctp_crule rule_of(const struct ctp_metric *m)
{
	switch (m->agg) {
	case CTP_AGG_SUM: return CTP_CR_SUM;
	case CTP_AGG_MAX: return CTP_CR_MAX;
	case CTP_AGG_RANGE: return CTP_CR_RANGE;
	case CTP_AGG_MODE: return CTP_CR_MODE;
	default: return CTP_CR_AFFINITY;
	}
}

/* ---- group help (issue 20 item 12): each help says what the group's value is (grouphelp.c) ---- */
/* the formula of derived metric i in input names ("wait_sum / wait_count"); NULL when its help
 * already spells it (OFFCPU) or the operator is not one of these */
static const char *derived_formula(size_t i, char *buf, size_t len)
{
	const char *a = derived_def[i].a, *b = derived_def[i].b;
	switch (derived_def[i].op) {
	case CTP_DOP_RATIO: snprintf(buf, len, "%s / %s", a, b); return buf;
	case CTP_DOP_RSUM: snprintf(buf, len, "%s / (%s + %s)", a, a, b); return buf;
	case CTP_DOP_DIFF: snprintf(buf, len, "%s - %s", a, b); return buf;
	case CTP_DOP_PERTHR: snprintf(buf, len, "%s / the threads' lifetimes", a); return buf;
	default: return NULL;
	}
}

static void fill_group_help(void)
{
	char f[160];
	for (size_t i = 1; i < CTP_NPRIMARY + CTP_NDERIVED; i++) {
		struct ctp_cmetric *c = &cm[i];
		const char *formula = c->derived >= 0 ? derived_formula((size_t)c->derived, f, sizeof(f)) : NULL;
		ctp_group_help(group_help[i], sizeof(group_help[i]), c->rule, c->thread_help, formula);
		c->help = group_help[i];
	}
}

/* compare index of a field: its display position; the taskstats families get their own table */
static void init_primary(void)
{
	int ncat = 0;
	cm[0] = (struct ctp_cmetric){ .name = "thread_count", .help = "threads in the group",
				      .thread_help = "threads in the group", .tags = "",
				      .rule = CTP_CR_SUM, .ladder = CTP_LADDER_UNITLESS, .csection = CTP_CSEC_PRIMARY,
				      .group = CTP_SECTION_IDENTITY, .field = -1, .derived = -1, .cat = -1,
				      .sortable = true };
	for (int f = 0; f < CTP_NFIELDS; f++) {
		const struct ctp_metric *m = &ctp_fields[f];
		int i = field_disp[f].disp;
		if (i <= 0)
			continue;
		struct ctp_cmetric *c = &cm[i];
		c->name = m->name;
		c->thread_help = m->help;
		c->tags = field_disp[f].tags;
		c->rule = rule_of(m);
		c->ladder = (c->rule == CTP_CR_SUM || c->rule == CTP_CR_MAX) ? ctp_unit_ladder(m->unit) : CTP_LADDER_NONE;
		c->csection = m->source == CTP_SOURCE_TASKSTATS ? CTP_CSEC_TASKSTATS_DELAY : CTP_CSEC_PRIMARY;
		c->group = m->section;
		c->field = f;
		c->derived = -1;
		c->monotonic = c->rule == CTP_CR_SUM;
		c->sortable = c->rule != CTP_CR_MODE;
		field_to_cm[f] = i;
	}
	for (int i = 1; i < CTP_NPRIMARY; i++) /* categorical slots in display order */
		cm[i].cat = (cm[i].rule == CTP_CR_RANGE || cm[i].rule == CTP_CR_MODE || cm[i].rule == CTP_CR_AFFINITY)
				    ? ncat++
				    : -1;
}

static void init_table(void)
{
	for (size_t i = 0; i < CTP_NFIELDS; i++)
		field_to_cm[i] = -1;
	init_primary();
	for (size_t i = 0; i < CTP_NDERIVED; i++) {
		struct ctp_cmetric *c = &cm[CTP_NPRIMARY + i];
		*c = (struct ctp_cmetric){ .name = derived_def[i].name, .thread_help = derived_def[i].help, .tags = "",
					   .rule = CTP_CR_DERIVED, .ladder = derived_def[i].ladder,
					   .csection = derived_def[i].csec, .group = derived_def[i].group, .field = -1,
					   .derived = (int)i, .cat = -1, .is_ratio = derived_def[i].is_ratio,
					   .sortable = true, /* DIFF/OFFCPU are sums of counters: rates apply */
					   .monotonic = derived_def[i].op == CTP_DOP_DIFF || derived_def[i].op == CTP_DOP_OFFCPU };
		const struct ctp_metric *a = ctp_field_find(derived_def[i].a), *b = ctp_field_find(derived_def[i].b);
		dm[i].op = derived_def[i].op;
		dm[i].a = a ? field_to_cm[a - ctp_fields] : -1;
		dm[i].b = b ? field_to_cm[b - ctp_fields] : -1;
	}
	fill_group_help();
}

static void ensure(void)
{
	pthread_once(&cm_once, init_table);
}

size_t ctp_cmetric_count(void)
{
	return CTP_NPRIMARY + CTP_NDERIVED;
}

size_t ctp_cmetric_primary_count(void)
{
	return CTP_NPRIMARY;
}

const struct ctp_cmetric *ctp_cmetric(size_t i)
{
	ensure();
	return i < CTP_NPRIMARY + CTP_NDERIVED ? &cm[i] : NULL;
}

const struct ctp_dmetric *ctp_dmetric(size_t i)
{
	ensure();
	return i < CTP_NDERIVED ? &dm[i] : NULL;
}

int ctp_cmetric_of_field(int field)
{
	ensure();
	return field >= 0 && field < CTP_NFIELDS ? field_to_cm[field] : -1;
}

int ctp_cmetric_find(const char *name)
{
	ensure();
	for (size_t i = 0; name && i < CTP_NPRIMARY + CTP_NDERIVED; i++)
		if (!strcmp(cm[i].name, name))
			return (int)i;
	return -1;
}

/* ---- closest names (issue 20 item 6: errors list valid names) ---- */
/* Levenshtein distance of two lower-case names; SIZE_MAX when either is 64 bytes or longer */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* every '_' word of name is a word of cand; *extra = cand's words beyond them */
static bool words_in(const char *name, const char *cand, unsigned *extra)
{
	unsigned nw = 0, cw = 1;
	for (const char *c = cand; *c; c++)
		cw += *c == '_';
	for (const char *w = name; *w;) {
		size_t n = strcspn(w, "_");
		bool found = false;
		for (const char *c = cand; *c && !found;) {
			size_t m = strcspn(c, "_");
			found = n && m == n && !strncmp(w, c, n);
			c += m + (c[m] == '_');
		}
		if (n && !found)
			return false;
		nw += n > 0;
		w += n + (w[n] == '_');
	}
	*extra = cw - nw;
	return nw > 0;
}

/* how close cand is to the (lower-case) name: 1 = name is cand's leading words ("wait_time" of
 * wait_time_ns), 2.. = a few typos, 20.. = cand has all of name's words; UINT_MAX = not close */
static unsigned closeness(const char *name, const char *cand)
{
	size_t n = strlen(name), d;
	unsigned extra;
	if (!strncmp(cand, name, n) && cand[n] == '_')
		return 1;
	if ((d = edit_distance(name, cand)) <= (n < 8 ? 1 : n / 4))
		return 1 + (unsigned)d;
	if (words_in(name, cand, &extra))
		return 20 + extra;
	return UINT_MAX;
}

size_t ctp_cmetric_suggest(const char *name, char *buf, size_t len)
{
	char low[64];
	size_t pick[3], np = 0;
	unsigned best = UINT_MAX;
	ensure();
	if (len)
		buf[0] = 0;
	if (!name || strlen(name) >= sizeof(low) || !len)
		return 0;
	for (size_t i = 0; (low[i] = (char)tolower((unsigned char)name[i])); i++)
		;
	for (size_t i = 0; i < CTP_NPRIMARY + CTP_NDERIVED; i++) {
		unsigned c = !strcmp(low, cm[i].name) ? 0 : closeness(low, cm[i].name);
		if (c < best)
			best = c, np = 0;
		if (c == best && c != UINT_MAX && np < CTP_ARRAY_SIZE(pick))
			pick[np++] = i;
	}
	for (size_t k = 0, at = 0; k < np && at < len; k++) {
		const char *sep = !k ? "" : k + 1 == np ? " or " : ", ";
		int w = snprintf(buf + at, len - at, "%s%s", sep, cm[pick[k]].name);
		at += w > 0 ? (size_t)w : 0;
	}
	return np;
}

/* ---- axes ---- */
static const char *const axis_names[CTP_AXIS_COUNT] = { "pcomm", "cgroup", "comm", "comm-exact", "all" };
static const char *const axis_headers[CTP_AXIS_COUNT] = { "pcomm", "cgroup", "comm-pattern", "comm", "comm" };

int ctp_axis_parse(const char *s, enum ctp_axis *out, struct ctp_err *err)
{
	for (int i = 0; s && i < CTP_AXIS_COUNT; i++)
		if (!strcmp(s, axis_names[i])) {
			*out = (enum ctp_axis)i;
			return 0;
		}
	return ctp_err_set(err, CTP_E_ARG, 0, "--group-by", "unknown axis '%s' (pcomm, cgroup, comm, comm-exact, all)",
			   s ? s : "");
}

const char *ctp_axis_name(enum ctp_axis a)
{
	return a < CTP_AXIS_COUNT ? axis_names[a] : "?";
}

const char *ctp_axis_header(enum ctp_axis a)
{
	return a < CTP_AXIS_COUNT ? axis_headers[a] : "?";
}

/* ---- --sort-by ---- */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ktstr: an unknown name lists every valid one (sortable, derived included) in byte order */
int ctp_cmetric_unknown(const char *where, const char *nm, bool sortable_only, const char *hint, struct ctp_err *err)
{
	const char *v[CTP_NPRIMARY + CTP_NDERIVED];
	size_t n = 0;
	for (size_t i = 0; i < ctp_cmetric_count(); i++)
		if (cm[i].sortable || !sortable_only)
			v[n++] = cm[i].name;
	qsort(v, n, sizeof(*v), cmp_name);
	struct ctp_buf names = CTP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		ctp_buf_addf(&names, "%s%s", i ? ", " : "", v[i]);
	char near[160];
	bool close = ctp_cmetric_suggest(nm, near, sizeof(near)) > 0;
	ctp_err_set(err, CTP_E_ARG, 0, where, "unknown metric '%.64s'%s%s%s; %s, one of: %s", nm,
		    close ? " (did you mean " : "", close ? near : "", close ? "?)" : "", hint ? hint : "use the bare metric name",
		    names.buf);
	ctp_buf_release(&names);
	return -1;
}

/* "metric[:dir]": the direction is checked first, as ktstr does (":" and "m:" are bad directions) */
static int sort_entry(const char *p, size_t n, struct ctp_sort *out, struct ctp_err *err)
{
	const char *colon = memchr(p, ':', n);
	size_t nl = colon ? (size_t)(colon - p) : n;
	const char *name = p;
	ctp_trim(&name, &nl);
	if (!nl && !colon)
		return ctp_err_set(err, CTP_E_ARG, 0, "--sort-by", "empty entry");
	bool asc = false;
	if (colon) {
		const char *d = colon + 1;
		size_t dl = (size_t)(p + n - d);
		ctp_trim(&d, &dl);
		if (dl == 3 && !strncasecmp(d, "asc", 3))
			asc = true;
		else if (!(dl == 4 && !strncasecmp(d, "desc", 4)))
			return ctp_err_set(err, CTP_E_ARG, 0, "--sort-by", "invalid direction '%.*s' in '%.*s' (asc or desc)",
					   (int)(dl > 32 ? 32 : dl), d, (int)(n > 64 ? 64 : n), p);
	}
	char nm[128];
	if (nl >= sizeof(nm))
		nl = sizeof(nm) - 1;
	memcpy(nm, name, nl);
	nm[nl] = 0;
	int idx = ctp_cmetric_find(nm);
	if (idx < 0)
		return ctp_cmetric_unknown("--sort-by", nm, true, NULL, err);
	if (!cm[idx].sortable)
		return ctp_err_set(err, CTP_E_ARG, 0, "--sort-by", "metric '%s' is categorical and cannot be sorted", nm);
	for (size_t i = 0; i < out->n; i++)
		if (out->k[i].metric == idx)
			return ctp_err_set(err, CTP_E_ARG, 0, "--sort-by", "duplicate metric '%s'", nm);
	if (out->n == CTP_SORT_MAX)
		return ctp_err_set(err, CTP_E_ARG, 0, "--sort-by", "more than %d sort keys", CTP_SORT_MAX);
	out->k[out->n++] = (struct ctp_sortkey){ idx, asc };
	return 0;
}

int ctp_sort_parse(const char *spec, struct ctp_sort *out, struct ctp_err *err)
{
	ensure();
	enum ctp_sort_on on = out->on;
	memset(out, 0, sizeof(*out));
	out->on = on;
	if (!spec || !*spec)
		return 0;
	const char *p = spec;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (sort_entry(p, n, out, err) < 0) {
			out->n = 0;
			return -1;
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}
