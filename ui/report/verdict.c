/* verdict.c — the regression gate's verdict (verdict.h): rules from --fail-if and
 * --fail-if-file, evaluated over a compare table, printed as a text block or a JSON line; the
 * exit status 3 when a rule trips. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "report/jsonl.h"
#include "report/verdict.h"

int ctp_failgate_open(const struct ctp_options *o, enum ctp_axis axis, struct ctp_failgate *g)
{
	struct ctp_err err = { 0 };
	char line[600];
	*g = (struct ctp_failgate){ 0 };
	if (!o->fail_if && !o->fail_if_file)
		return 0;
	g->on = true;
	if ((o->fail_if && ctp_rules_parse(o->fail_if, "--fail-if", false, &g->rules, &err) < 0) ||
	    (o->fail_if_file && ctp_rules_load(o->fail_if_file, &g->rules, &err) < 0) ||
	    ctp_rules_check_axis(&g->rules, axis, &err) < 0) {
		if (o->fail_if_file && err.code == CTP_E_IO) /* name the option: the path alone says little */
			fprintf(stderr, "ctprof-top: --fail-if-file: %s\n", ctp_err_str(&err, line, sizeof(line)));
		else
			fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, line, sizeof(line)));
		ctp_failgate_close(g);
		return 2;
	}
	return 0;
}

void ctp_failgate_close(struct ctp_failgate *g)
{
	ctp_rules_release(&g->rules);
	g->on = false;
}

/* "(+34.2%)" for percent and factor rules, "(+410ms)" for absolute ones; a window table's
 * counters are rates, so their change is per second as its cells ("+8.0%" of a CPU, "+44") */
static void change_text(const struct ctp_table *t, const struct ctp_rule *r, const struct ctp_trip *tr, char *buf)
{
	const struct ctp_cmetric *cm = ctp_cmetric((size_t)r->metric);
	char v[CTP_FMT_MAX];
	if (r->kind == CTP_RULE_ABS && t->mode == CTP_DELTA_WINDOW && cm->monotonic)
		ctp_fmt_rate(v, tr->change, cm->ladder, true);
	else if (r->kind == CTP_RULE_ABS)
		ctp_fmt_compact(v, tr->change, cm->ladder, true);
	else
		ctp_fmt_pct(v, tr->change);
	snprintf(buf, CTP_FMT_MAX, "(%s)", v);
}

static size_t rules_tripped(const struct ctp_verdict *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n; i++)
		n += !i || v->v[i].rule != v->v[i - 1].rule; /* trips come in rule order */
	return n;
}

static void trip_text(struct ctp_buf *out, const struct ctp_rule *r, const struct ctp_trip *tr,
		      const struct ctp_table *t)
{
	const struct ctp_row *w = &t->rows[tr->row];
	char b[CTP_FMT_MAX], l[CTP_FMT_MAX], c[CTP_FMT_MAX];
	struct ctp_buf name = CTP_BUF_INIT, rule = CTP_BUF_INIT;
	ctp_sanitize_name(w->label, strlen(w->label), true, &name);
	ctp_sanitize_name(r->text, strlen(r->text), true, &rule);
	ctp_cell_show(t, w, (size_t)r->metric, CTP_SHOW_BASE, b);
	ctp_cell_show(t, w, (size_t)r->metric, CTP_SHOW_LIVE, l);
	change_text(t, r, tr, c);
	ctp_buf_addf(out, "FAIL %s %s=%s %s \xe2\x86\x92 %s %s%s\n", rule.buf, ctp_axis_name(t->axis), name.buf, b, l, c,
		     w->status == CTP_ROW_NEW ? " new group" : w->status == CTP_ROW_GONE ? " gone group" : "");
	ctp_buf_release(&name);
	ctp_buf_release(&rule);
}

static void trip_json(struct ctp_buf *out, bool *first_trip, const struct ctp_rule *r, const struct ctp_trip *tr,
		      const struct ctp_table *t)
{
	const struct ctp_row *w = &t->rows[tr->row];
	char b[CTP_FMT_MAX], l[CTP_FMT_MAX];
	bool first = true;
	if (!*first_trip)
		ctp_buf_addch(out, ',');
	*first_trip = false;
	ctp_buf_addch(out, '{');
	ctp_jl_str(out, &first, "rule", r->text);
	ctp_jl_str(out, &first, "metric", ctp_cmetric((size_t)r->metric)->name);
	ctp_jl_str(out, &first, "axis", ctp_axis_name(t->axis));
	ctp_jl_str(out, &first, "group", w->label);
	ctp_jl_str(out, &first, "status", ctp_jl_status(w->status));
	ctp_jl_num(out, &first, "base", true, tr->base);
	ctp_jl_num(out, &first, "live", true, tr->live);
	ctp_jl_num(out, &first, "change", true, tr->change);
	ctp_jl_str(out, &first, "base_text", ctp_cell_show(t, w, (size_t)r->metric, CTP_SHOW_BASE, b));
	ctp_jl_str(out, &first, "live_text", ctp_cell_show(t, w, (size_t)r->metric, CTP_SHOW_LIVE, l));
	ctp_buf_addch(out, '}');
}

int ctp_failgate_report(FILE *f, const struct ctp_failgate *g, const struct ctp_table *t, bool json)
{
	if (!g || !g->on)
		return 0;
	struct ctp_verdict v = { 0 };
	struct ctp_buf out = CTP_BUF_INIT;
	size_t n = ctp_rules_eval(&g->rules, t, &v), nr = rules_tripped(&v);
	bool first = true, first_trip = true;
	if (json) {
		ctp_buf_addch(&out, '{');
		ctp_jl_str(&out, &first, "table", "verdict");
		ctp_jl_str(&out, &first, "result", n ? "fail" : "pass");
		ctp_jl_num(&out, &first, "rules", true, (double)g->rules.n);
		ctp_jl_num(&out, &first, "tripped", true, (double)nr);
		ctp_json_key(&out, &first, "trips");
		ctp_buf_addch(&out, '[');
		for (size_t i = 0; i < n; i++)
			trip_json(&out, &first_trip, &g->rules.v[v.v[i].rule], &v.v[i], t);
		ctp_buf_adds(&out, "]}\n");
	} else {
		ctp_buf_adds(&out, "\n## verdict\n");
		for (size_t i = 0; i < n; i++)
			trip_text(&out, &g->rules.v[v.v[i].rule], &v.v[i], t);
		if (n)
			ctp_buf_addf(&out, "FAIL: %zu of %zu rule%s tripped\n", nr, g->rules.n, g->rules.n == 1 ? "" : "s");
		else
			ctp_buf_addf(&out, "PASS: %zu rule%s, 0 tripped\n", g->rules.n, g->rules.n == 1 ? "" : "s");
	}
	fwrite(out.buf, 1, out.len, f);
	ctp_buf_release(&out);
	ctp_verdict_release(&v);
	if (fflush(f) || ferror(f))
		return 1;
	return n ? CTP_EXIT_TRIPPED : 0;
}
