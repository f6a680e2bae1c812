/* failif.c — the regression gate's rules (failif.h): parsing METRIC:THRESHOLD[:min=V][@AXIS=GLOB]
 * from --fail-if text or a --fail-if-file, with the metric's units, and evaluating them over a
 * compare table's rows. */
#include <fcntl.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/failif.h"

#define RULES_FILE_MAX (1u << 20)
#define METRIC_LIST_HINT "ctprof-top --metric-list lists them"

struct unit {
	const char *name;
	double mul;
};
static const struct unit time_units[] = { { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { NULL, 0 } };
static const struct unit byte_units[] = { { "", 1 }, { "B", 1 }, { "K", 1024 }, { "KiB", 1024 }, { "M", 1048576 },
					  { "MiB", 1048576 }, { "G", 1073741824.0 }, { "GiB", 1073741824.0 },
					  { "T", 1099511627776.0 }, { "TiB", 1099511627776.0 }, { NULL, 0 } };
static const struct unit count_units[] = { { "", 1 }, { "k", 1e3 }, { "K", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { NULL, 0 } };

static const struct unit *find_unit(const struct unit *u, const char *s)
{
	for (; u->name; u++)
		if (!strcmp(u->name, s))
			return u;
	return NULL;
}

/* a number in the metric's unit -> raw units of the metric; -1 with *why set when the unit does
 * not fit the metric */
static int to_raw(const char *unit, enum ctp_ladder l, double *v, const char **why)
{
	const struct unit *u;
	switch (l) {
	case CTP_LADDER_NS:
	case CTP_LADDER_US:
		if (!(u = find_unit(time_units, unit))) {
			*why = "needs a time unit (ns, us, ms or s)";
			return -1;
		}
		*v *= u->mul / (l == CTP_LADDER_US ? 1e3 : 1);
		return 0;
	case CTP_LADDER_TICKS:
		if (!strcmp(unit, "ticks"))
			return 0;
		if (!(u = find_unit(time_units, unit))) {
			*why = "needs a time unit (ns, us, ms, s) or ticks";
			return -1;
		}
		*v *= u->mul / 1e9 * (double)ctp_clk_tck();
		return 0;
	case CTP_LADDER_BYTES:
		if (!(u = find_unit(byte_units, unit))) {
			*why = "needs a byte unit (B, K, KiB, M, MiB, G, GiB) or none";
			return -1;
		}
		*v *= u->mul;
		return 0;
	default:
		if (!(u = find_unit(count_units, unit))) {
			*why = "is a plain number (k, M or G allowed), not a time or size";
			return -1;
		}
		*v *= u->mul;
		return 0;
	}
}

/* a positive finite number at the start of s: its end in *end; false when there is none */
static bool lead_number(const char *s, double *v, char **end)
{
	if (!((*s >= '0' && *s <= '9') || *s == '.'))
		return false;
	*v = strtod(s, end);
	return *end != s && isfinite(*v);
}

/* the threshold text (NUL-terminated) -> kind, direction and value */
static int parse_threshold(struct ctp_rule *r, const char *s, const char *where, struct ctp_err *err)
{
	const struct ctp_cmetric *cm = ctp_cmetric((size_t)r->metric);
	char *end;
	double v;
	const char *why = NULL;
	if (!*s)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': no threshold after ':' (+25%%, x2, +1ms)", r->text);
	if (*s == 'x' || *s == 'X') {
		if (!lead_number(s + 1, &v, &end) || *end)
			return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': bad factor '%s' (x2, x1.5, x0.5)", r->text, s);
		if (v <= 0 || v == 1)
			return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': factor must be above 0 and not 1", r->text);
		r->kind = CTP_RULE_FACTOR;
		r->fall = v < 1;
		r->threshold = v;
		return 0;
	}
	const char *num = s;
	if (*num == '+' || *num == '-')
		r->fall = *num++ == '-';
	if (!lead_number(num, &v, &end))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': bad threshold '%s' (+25%%, -10%%, x2, +1ms)", r->text, s);
	if (v <= 0)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': threshold must be above 0", r->text);
	if (!strcmp(end, "%")) {
		r->kind = CTP_RULE_PCT;
		r->threshold = v / 100;
		if (r->fall && v > 100)
			return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': a value cannot fall more than 100%%", r->text);
		return 0;
	}
	if (to_raw(end, cm->ladder, &v, &why) < 0)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': threshold '%s' of %s %s", r->text, s, cm->name, why);
	r->kind = CTP_RULE_ABS;
	r->threshold = v;
	return 0;
}

/* one modifier after the threshold: "min=VALUE" */
static int parse_modifier(struct ctp_rule *r, const char *s, const char *where, struct ctp_err *err)
{
	const struct ctp_cmetric *cm = ctp_cmetric((size_t)r->metric);
	const char *why = NULL;
	char *end;
	double v;
	if (strncmp(s, "min=", 4))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': unknown option '%s' (min=VALUE)", r->text, s);
	if (!lead_number(s + 4, &v, &end))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': bad min value '%s'", r->text, s + 4);
	if (to_raw(end, cm->ladder, &v, &why) < 0)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': min '%s' of %s %s", r->text, s + 4, cm->name, why);
	r->has_min = true;
	r->min = v;
	return 0;
}

/* "AXIS=GLOB" after '@' */
static int parse_glob(struct ctp_rule *r, const char *s, const char *where, struct ctp_err *err)
{
	const char *eq = strchr(s, '=');
	if (!eq)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': expected @AXIS=GLOB after the threshold", r->text);
	char axis[32];
	size_t al = (size_t)(eq - s);
	if (al >= sizeof(axis) || (memcpy(axis, s, al), axis[al] = 0, ctp_axis_parse(axis, &r->axis, NULL) < 0))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': unknown axis '%.*s' (pcomm, cgroup, comm, comm-exact, all)",
				   r->text, (int)(al > 32 ? 32 : al), s);
	if (!eq[1])
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': empty glob after '%s='", r->text, axis);
	if (strstr(eq + 1, ":min="))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': put min= before '@' (the glob runs to the end)", r->text);
	r->has_glob = true;
	r->glob = ctp_xstrdup(eq + 1);
	return 0;
}

static int parse_metric(struct ctp_rule *r, const char *name, const char *where, struct ctp_err *err)
{
	char near[160];
	if (!*name)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': no metric before ':'", r->text);
	r->metric = ctp_cmetric_find(name);
	if (r->metric < 0 && ctp_cmetric_suggest(name, near, sizeof(near)))
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': unknown metric '%s'; did you mean %s? (" METRIC_LIST_HINT ")",
				   r->text, name, near);
	if (r->metric < 0)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': unknown metric '%s' (" METRIC_LIST_HINT ")", r->text, name);
	const struct ctp_cmetric *cm = ctp_cmetric((size_t)r->metric);
	if (cm->rule == CTP_CR_MODE || cm->rule == CTP_CR_AFFINITY)
		return ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': metric '%s' is categorical and has no value to compare",
				   r->text, name);
	return 0;
}

/* one rule of n bytes at p (trimmed by the caller, not empty) */
static int parse_rule(const char *p, size_t n, const char *where, struct ctp_rules *out, struct ctp_err *err)
{
	struct ctp_rule r = { .text = ctp_xstrndup(p, n), .metric = -1 };
	char *work = ctp_xstrndup(p, n), *at = NULL, *colon = strchr(work, ':');
	int rc = -1;
	if (!colon) {
		ctp_err_set(err, CTP_E_ARG, 0, where, "rule '%s': expected METRIC:THRESHOLD (run_time_ns:+25%%)", r.text);
		goto out;
	}
	*colon = 0;
	if (parse_metric(&r, work, where, err) < 0)
		goto out;
	char *rest = colon + 1;
	if ((at = strchr(rest, '@'))) {
		*at = 0;
		if (parse_glob(&r, at + 1, where, err) < 0)
			goto out;
	}
	char *mod = strchr(rest, ':');
	if (mod)
		*mod++ = 0;
	if (parse_threshold(&r, rest, where, err) < 0)
		goto out;
	while (mod) {
		char *next = strchr(mod, ':');
		if (next)
			*next++ = 0;
		if (parse_modifier(&r, mod, where, err) < 0)
			goto out;
		mod = next;
	}
	if (out->n == out->alloc) {
		out->alloc = out->alloc ? 2 * out->alloc : 8;
		out->v = ctp_xrealloc(out->v, out->alloc * sizeof(*out->v));
	}
	out->v[out->n++] = r;
	rc = 0;
out:
	free(work);
	if (rc) {
		free(r.text);
		free(r.glob);
	}
	return rc;
}

int ctp_rules_parse(const char *text, const char *origin, bool file, struct ctp_rules *out, struct ctp_err *err)
{
	const char *cur = text, *end = text + strlen(text), *line;
	size_t len, lineno = 0, before = out->n;
	char where[256];
	while (ctp_next_line(&cur, end, &line, &len)) {
		lineno++;
		const char *hash = file ? memchr(line, '#', len) : NULL;
		if (hash)
			len = (size_t)(hash - line);
		const char *t = line;
		size_t tl = len;
		ctp_trim(&t, &tl);
		if (!tl)
			continue;
		if (file)
			snprintf(where, sizeof(where), "%s:%zu", origin, lineno);
		else
			snprintf(where, sizeof(where), "%s", origin);
		for (const char *p = line, *stop = line + len; p <= stop;) {
			const char *comma = memchr(p, ',', (size_t)(stop - p));
			const char *e = comma ? comma : stop, *rp = p;
			size_t rl = (size_t)(e - p);
			ctp_trim(&rp, &rl);
			if (!rl)
				return ctp_err_set(err, CTP_E_ARG, 0, where, "empty rule (rules are separated by commas)");
			if (parse_rule(rp, rl, where, out, err) < 0)
				return -1;
			p = e + 1;
		}
	}
	if (out->n == before)
		return ctp_err_set(err, CTP_E_ARG, 0, origin, "no rules");
	return 0;
}

int ctp_rules_load(const char *path, struct ctp_rules *out, struct ctp_err *err)
{
	struct ctp_buf b = CTP_BUF_INIT;
	int fd = ctp_open_regular(path, 0, RULES_FILE_MAX, NULL, err);
	if (fd < 0)
		return -1;
	int rc = ctp_read_fd(fd, &b, SIZE_MAX, RULES_FILE_MAX, path, err);
	close(fd);
	if (!rc && strlen(b.buf) != b.len)
		rc = ctp_err_set(err, CTP_E_ARG, 0, path, "holds a NUL byte: not a rules file");
	if (!rc)
		rc = ctp_rules_parse(b.buf, path, true, out, err);
	ctp_buf_release(&b);
	return rc;
}

int ctp_rules_check_axis(const struct ctp_rules *r, enum ctp_axis axis, struct ctp_err *err)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].has_glob && r->v[i].axis != axis)
			return ctp_err_set(err, CTP_E_ARG, 0, "--fail-if", "rule '%s': groups are by %s here, not %s (-g %s)",
					   r->v[i].text, ctp_axis_name(axis), ctp_axis_name(r->v[i].axis),
					   ctp_axis_name(r->v[i].axis));
	return 0;
}

void ctp_rules_release(struct ctp_rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].glob);
	}
	free(r->v);
	*r = (struct ctp_rules){ 0 };
}

/* ---------------------------------------------------------------- evaluation ---- */
/* the sides a rule compares on row w; false when one was not measured */
static bool sides(const struct ctp_row *w, size_t m, double *base, double *live)
{
	const struct ctp_cell *c = &w->cells[m];
	if (w->status == CTP_ROW_NEW)
		*base = 0;
	else if (c->base_ok)
		*base = c->base;
	else
		return false;
	if (w->status == CTP_ROW_GONE)
		*live = 0;
	else if (c->live_ok)
		*live = c->live;
	else
		return false;
	return true;
}

static bool trips(const struct ctp_rule *r, double base, double live, double *change)
{
	const double eps = 1e-9;
	if (r->has_min && base < r->min)
		return false;
	if (r->kind == CTP_RULE_ABS) {
		*change = live - base;
		return r->fall ? -*change >= r->threshold * (1 - eps) : *change >= r->threshold * (1 - eps);
	}
	if (!(base > 0))
		return false; /* a change from 0 has no percent or factor */
	*change = (live - base) / base;
	if (r->kind == CTP_RULE_FACTOR)
		return r->fall ? live <= r->threshold * base * (1 + eps) : live >= r->threshold * base * (1 - eps);
	return r->fall ? -*change >= r->threshold * (1 - eps) : *change >= r->threshold * (1 - eps);
}

size_t ctp_rules_eval(const struct ctp_rules *r, const struct ctp_table *t, struct ctp_verdict *out)
{
	out->n = 0;
	out->nrules = r->n;
	for (size_t i = 0; i < r->n; i++) {
		const struct ctp_rule *rule = &r->v[i];
		for (size_t j = 0; j < t->nrows; j++) {
			const struct ctp_row *w = &t->rows[j];
			double base, live, change = 0;
			if (rule->has_glob && fnmatch(rule->glob, w->label, 0))
				continue;
			if (!sides(w, (size_t)rule->metric, &base, &live) || !trips(rule, base, live, &change))
				continue;
			if (out->n == out->alloc) {
				out->alloc = out->alloc ? 2 * out->alloc : 16;
				out->v = ctp_xrealloc(out->v, out->alloc * sizeof(*out->v));
			}
			out->v[out->n++] = (struct ctp_trip){ .rule = i, .row = j, .base = base, .live = live, .change = change };
		}
	}
	return out->n;
}

void ctp_verdict_release(struct ctp_verdict *v)
{
	free(v->v);
	*v = (struct ctp_verdict){ 0 };
}
