/* ldisplay.c — parsing and queries of the offline report's display options (ldisplay.h):
 * ktstr's --display-format column sets, --columns, --sections and --metrics vocabularies and
 * their one-line errors, --wrap's terminal width, --cgroup-flatten's no-match notices. */
#include "report/ldisplay.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/text.h"

static const char *const lcol_names[CTP_LC_COUNT] = { "group", "threads", "metric", "baseline", "candidate", "delta",
						      "%", "arrow", "value", "tags", "uptime" };
static const char *const df_names[] = { "full", "delta-only", "no-pct", "arrow", "pct-only" };
static const char *const ls_names[CTP_LS_COUNT] = { "primary", "taskstats-delay", "derived", "cgroup-stats",
						    "cgroup-limits", "memory-stat", "memory-events", "pressure",
						    "host-pressure", "smaps-rollup", "sched-ext", "host" };

const char *ctp_lcol_header(enum ctp_lcol c)
{
	return c == CTP_LC_ARROW ? "value" : c == CTP_LC_UPTIME ? "%uptime" : lcol_names[c];
}

/* ktstr compare_columns_for */
static void format_cols(struct ctp_ldisplay *d)
{
	static const enum ctp_lcol tail[][4] = {
		[CTP_DF_FULL] = { CTP_LC_BASELINE, CTP_LC_CANDIDATE, CTP_LC_DELTA, CTP_LC_PCT },
		[CTP_DF_DELTA_ONLY] = { CTP_LC_DELTA, CTP_LC_PCT },
		[CTP_DF_NO_PCT] = { CTP_LC_BASELINE, CTP_LC_CANDIDATE, CTP_LC_DELTA },
		[CTP_DF_ARROW] = { CTP_LC_ARROW, CTP_LC_DELTA, CTP_LC_PCT, CTP_LC_UPTIME },
		[CTP_DF_PCT_ONLY] = { CTP_LC_PCT },
	};
	static const size_t ntail[] = { 4, 2, 3, 4, 1 };
	d->ncols = 0;
	d->cols[d->ncols++] = CTP_LC_GROUP;
	d->cols[d->ncols++] = CTP_LC_THREADS;
	d->cols[d->ncols++] = CTP_LC_METRIC;
	for (size_t i = 0; i < ntail[d->format]; i++)
		d->cols[d->ncols++] = tail[d->format][i];
}

void ctp_ldisplay_default(struct ctp_ldisplay *d, bool compare_side)
{
	memset(d, 0, sizeof(*d));
	d->format = CTP_DF_ARROW;
	format_cols(d);
	if (!compare_side) {
		d->ncols = 3;
		d->cols[d->ncols++] = CTP_LC_VALUE;
	}
	d->sections = (1u << CTP_LS_COUNT) - 1;
	d->metrics[0] = d->metrics[1] = ~0ull;
}

/* "a, b, c" of names[0..n) for which ok(i) */
static void choices(char *buf, size_t len, const char *const *names, size_t n, const bool *ok)
{
	size_t k = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		if (!ok || ok[i])
			k += (size_t)snprintf(buf + (k < len ? k : len), k < len ? len - k : 0, "%s%s", k ? ", " : "", names[i]);
}

/* splits spec at commas: each trimmed entry to fn; empty entries and duplicates are errors */
typedef int (*entry_fn)(const char *e, size_t n, void *ctx, struct ctp_err *err);
static int each_entry(const char *opt, const char *spec, entry_fn fn, void *ctx, struct ctp_err *err)
{
	for (const char *p = spec;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const char *e = p;
		ctp_trim(&e, &n);
		if (!n)
			return ctp_err_set(err, CTP_E_ARG, 0, opt, "empty entry in '%.64s'; entries are comma-separated", spec);
		if (fn(e, n, ctx, err) < 0)
			return -1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

static int find_name(const char *e, size_t n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == n && !strncasecmp(e, names[i], n))
			return (int)i;
	return -1;
}

struct colctx {
	struct ctp_ldisplay *d;
	bool allowed[CTP_LC_COUNT];
	unsigned seen;
};

static int col_entry(const char *e, size_t n, void *vc, struct ctp_err *err)
{
	struct colctx *c = vc;
	char ch[200];
	int i = find_name(e, n, lcol_names, CTP_LC_COUNT);
	if (i < 0 || !c->allowed[i]) {
		choices(ch, sizeof(ch), lcol_names, CTP_LC_COUNT, c->allowed);
		return ctp_err_set(err, CTP_E_ARG, 0, "--columns", "%s column '%.*s' (%s)", i < 0 ? "unknown" : "no",
				   (int)(n > 64 ? 64 : n), e, ch);
	}
	if (c->seen & (1u << i))
		return ctp_err_set(err, CTP_E_ARG, 0, "--columns", "duplicate column '%.*s'", (int)(n > 64 ? 64 : n), e);
	c->seen |= 1u << i;
	c->d->cols[c->d->ncols++] = (enum ctp_lcol)i;
	return 0;
}

static int parse_columns(const char *spec, bool compare_side, struct ctp_ldisplay *d, struct ctp_err *err)
{
	struct colctx c = { .d = d };
	for (int i = 0; i < CTP_LC_COUNT; i++) /* ktstr parse_columns: the two sides' vocabularies */
		c.allowed[i] = compare_side ? i != CTP_LC_VALUE
					    : !(i >= CTP_LC_BASELINE && i <= CTP_LC_ARROW);
	d->ncols = 0;
	if (each_entry("--columns", spec, col_entry, &c, err) < 0)
		return -1;
	if ((c.seen & (1u << CTP_LC_ARROW)) && (c.seen & ((1u << CTP_LC_BASELINE) | (1u << CTP_LC_CANDIDATE))))
		return ctp_err_set(err, CTP_E_ARG, 0, "--columns",
				   "'arrow' already shows baseline -> candidate; pair it with delta and %% instead");
	return 0;
}

static int sec_entry(const char *e, size_t n, void *vd, struct ctp_err *err)
{
	struct ctp_ldisplay *d = vd;
	char ch[300];
	int i = find_name(e, n, ls_names, CTP_LS_COUNT);
	if (i < 0) {
		choices(ch, sizeof(ch), ls_names, CTP_LS_COUNT, NULL);
		return ctp_err_set(err, CTP_E_ARG, 0, "--sections", "unknown section '%.*s' (%s)", (int)(n > 64 ? 64 : n), e, ch);
	}
	if (d->sections & (1u << i))
		return ctp_err_set(err, CTP_E_ARG, 0, "--sections", "duplicate section '%.*s'", (int)(n > 64 ? 64 : n), e);
	d->sections |= 1u << i;
	return 0;
}

static int met_entry(const char *e, size_t n, void *vd, struct ctp_err *err)
{
	struct ctp_ldisplay *d = vd;
	char nm[128];
	snprintf(nm, sizeof(nm), "%.*s", (int)(n > 127 ? 127 : n), e);
	int i = ctp_cmetric_find(nm);
	if (i < 0) {
		char near[160];
		bool close = ctp_cmetric_suggest(nm, near, sizeof(near)) > 0;
		return ctp_err_set(err, CTP_E_ARG, 0, "--metrics", "unknown metric '%.64s'%s%s%s (ctprof-top --metric-list lists them)",
				   nm, close ? "; did you mean " : "", close ? near : "", close ? "?" : "");
	}
	if (d->metrics[i / 64] & (1ull << (i % 64)))
		return ctp_err_set(err, CTP_E_ARG, 0, "--metrics", "duplicate metric '%s'", nm);
	d->metrics[i / 64] |= 1ull << (i % 64);
	return 0;
}

static bool cgroup_only(int s)
{
	return s >= CTP_LS_CGROUP_STATS && s <= CTP_LS_PRESSURE;
}

int ctp_ldisplay_parse(const struct ctp_options *o, bool compare_side, enum ctp_axis axis, struct ctp_ldisplay *d,
		       FILE *notes, struct ctp_err *err)
{
	ctp_ldisplay_default(d, compare_side);
	d->axis = axis;
	if (o->display_format) {
		int f = find_name(o->display_format, strlen(o->display_format), df_names, CTP_ARRAY_SIZE(df_names));
		if (f < 0)
			return ctp_err_set(err, CTP_E_ARG, 0, "--display-format",
					   "unknown format '%.64s' (full, delta-only, no-pct, arrow, pct-only)", o->display_format);
		d->format = (enum ctp_dformat)f;
		if (compare_side)
			format_cols(d);
	}
	if (o->report_columns && *o->report_columns && parse_columns(o->report_columns, compare_side, d, err) < 0)
		return -1;
	if (o->sections && *o->sections) {
		d->sections = 0;
		if (each_entry("--sections", o->sections, sec_entry, d, err) < 0)
			return -1;
		for (int s = 0; notes && axis != CTP_AXIS_CGROUP && s < CTP_LS_COUNT; s++)
			if (cgroup_only(s) && (d->sections & (1u << s)))
				fprintf(notes, "ctprof-top: section '%s' requires --group-by cgroup; omitted under --group-by %s\n",
					ls_names[s], ctp_axis_name(axis));
	}
	if (o->metrics && *o->metrics) {
		d->metrics[0] = d->metrics[1] = 0;
		if (each_entry("--metrics", o->metrics, met_entry, d, err) < 0)
			return -1;
	}
	struct winsize ws;
	if (o->wrap && isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 20) {
		d->wrap = true; /* ktstr: piped output stays unwrapped, byte for byte */
		d->width = ws.ws_col;
	}
	return 0;
}

bool ctp_ldisplay_metric_on(const struct ctp_ldisplay *d, size_t metric)
{
	return !d || (metric < 128 && (d->metrics[metric / 64] & (1ull << (metric % 64))));
}

bool ctp_ldisplay_row_on(const struct ctp_ldisplay *d, size_t metric)
{
	if (!d)
		return true;
	const struct ctp_cmetric *m = ctp_cmetric(metric);
	bool ts = m->csection == CTP_CSEC_TASKSTATS_DELAY || (m->csection == CTP_CSEC_DERIVED && m->group == CTP_SECTION_DELAY);
	int s = ts ? CTP_LS_TASKSTATS : m->csection == CTP_CSEC_DERIVED ? CTP_LS_DERIVED : CTP_LS_PRIMARY;
	return (d->sections & (1u << s)) && ctp_ldisplay_metric_on(d, metric);
}

bool ctp_ldisplay_section_on(const struct ctp_ldisplay *d, const char *section)
{
	int i = find_name(section, strlen(section), ls_names, CTP_LS_COUNT);
	return !d || i < 0 || (d->sections & (1u << i));
}

static bool any_match(const char *glob, const struct ctp_snapshot *s)
{
	for (size_t i = 0; s && i < s->nthreads; i++)
		if (s->threads[i].cgroup && !fnmatch(glob, s->threads[i].cgroup, 0))
			return true;
	return false;
}

void ctp_flatten_notices(FILE *f, const char *const *globs, const struct ctp_snapshot *a,
			 const struct ctp_snapshot *b)
{
	struct ctp_buf safe = CTP_BUF_INIT;
	for (const char *const *g = globs; g && *g; g++)
		if (!any_match(*g, a) && !any_match(*g, b)) {
			ctp_buf_reset(&safe);
			ctp_sanitize_name(*g, strlen(*g), true, &safe);
			fprintf(f, "ctprof-top: notice: --cgroup-flatten '%s' matches no cgroup\n", safe.buf);
		}
	ctp_buf_release(&safe);
}
