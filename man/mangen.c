/* mangen.c — expands the man page templates (man/NAME.in): whole lines
 * @METRICS_WIRE@ (every ThreadState key of data/metrics.def in file order), @METRICS_BY_SECTION@
 * (the compare metrics per column set), @DERIVED@ (data/derived.def), @KEYS@ (ui/live/keys.c rows),
 * @HOST_KEYS@ (data/host.def), @CGROUP_OBJECT@ (data/cgroup.def as a JSON sketch), @NULL_KEYS@
 * (the keys written null when unknown), @OBJECT name@ (one object of data/summary.def) and
 * @EXTENSIONS@ (every key of ours, origin EXT), @GATES@ (the kernel gates of registry.h with
 * their metrics and hints), so the pages cannot drift from the tables; other
 * @NAME@s come from the command line.  Usage: mangen TEMPLATE [NAME=VALUE]...   (make man passes
 * VERSION and PREFIX) */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ui/live/keys.h"
#include "compare/compare.h"
#include "snapshot/registry.h"

struct mrow {
	const char *name, *ctype, *kind, *unit, *agg, *section, *source, *gate, *help;
};
static const struct mrow metrics[] = {
#define M(name, ctype, kind, unit, agg, section, source, gate, disp, tags, help) \
	{ #name, #ctype, #kind, #unit, #agg, #section, #source, #gate, help },
#include "../data/metrics.def"
#undef M
};

struct drow {
	const char *name, *op, *a, *b, *ladder, *is_ratio, *csection, *group, *origin, *help;
};
static const struct drow derived[] = {
#define D(name, op, a, b, ladder, is_ratio, csection, group, origin, help) \
	{ #name, #op, #a, #b, #ladder, #is_ratio, #csection, #group, #origin, help },
#include "../data/derived.def"
#undef D
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* the keys of the snapshot's other objects (data/host.def, cgroup.def, summary.def) */
struct okey {
	const char *obj, *name, *kind, *presence, *origin, *help;
};
static const struct okey host_keys[] = {
#define H(name, kind, presence, origin, cmp, help) { "host", #name, #kind, #presence, #origin, help },
#include "../data/host.def"
#undef H
};
static const struct okey heap_keys[] = {
#define HEAP(name, kind, presence, help) { "heap_state", #name, #kind, #presence, "KTSTR", help },
#include "../data/host.def"
#undef HEAP
};
static const struct {
	const char *old, *name;
} host_aliases[] = {
#define HOST_ALIAS(old, name) { #old, #name },
#include "../data/host.def"
#undef HOST_ALIAS
};
#define CG(obj, name, kind, presence, origin, init, cmp, as, ladder, help) { obj, #name, #kind, #presence, #origin, help },
static const struct okey cg_keys[] = {
#define CG_CPU(...) CG("cpu", __VA_ARGS__)
#define CG_MEMORY(...) CG("memory", __VA_ARGS__)
#define CG_PIDS(...) CG("pids", __VA_ARGS__)
#include "../data/cgroup.def"
#undef CG_CPU
#undef CG_MEMORY
#undef CG_PIDS
};
#undef CG
#define S(obj, name, kind, presence, origin, help) { obj, #name, #kind, #presence, #origin, help },
static const struct okey summary_keys[] = {
#define PROBE_SUMMARY(...) S("probe_summary", __VA_ARGS__)
#define PARSE_SUMMARY(...) S("parse_summary", __VA_ARGS__)
#define TASKSTATS_SUMMARY(...) S("taskstats_summary", __VA_ARGS__)
#define SCHED_EXT(...) S("sched_ext", __VA_ARGS__)
#include "../data/summary.def"
#undef PROBE_SUMMARY
#undef PARSE_SUMMARY
#undef TASKSTATS_SUMMARY
#undef SCHED_EXT
};
#undef S
#define ENUM_NAME(id, name) name,
static const char *const delayacct_values[] = { CTP_DELAYACCT_LIST(ENUM_NAME) NULL };
static const char *const xacct_values[] = { CTP_XACCT_LIST(ENUM_NAME) NULL };
#undef ENUM_NAME


struct word {
	const char *token, *text;
};

/* token -> man wording, from the registry's X-lists */
#define WORD(id, name, man) { #id, man },
static const struct word kinds[] = { CTP_KIND_LIST(WORD) };
static const struct word units[] = { CTP_UNIT_LIST(WORD) };
static const struct word aggs[] = { CTP_AGG_LIST(WORD) };
static const struct word sources[] = { CTP_SOURCE_LIST(WORD) };
#undef WORD
#define GATE_WORD(id, name, man, label, hint, config_hint) { #id, man },
static const struct word gates[] = { CTP_GATE_LIST(GATE_WORD) };
#undef GATE_WORD
/* the kernel gates as the headers name them (registry.h CTP_GATE_LIST) */
#define GATE_ROW(id, name, man, label, hint, config_hint) { #id, name, man, label, hint, config_hint },
static const struct {
	const char *id, *flag, *man, *label, *hint, *config_hint;
} gate_rows[] = { CTP_GATE_LIST(GATE_ROW) };
#undef GATE_ROW
/* column sets of the live view (keys 1-6), in key order, and the registry sections in each */
static const struct {
	const char *title, *sections[2];
} sets[] = {
	{ "sched (key 1)", { "SCHED", "IDENTITY" } }, { "cpu (key 2)", { "CPU", NULL } },
	{ "memory (key 3)", { "MEMORY", NULL } }, { "io (key 4)", { "IO", NULL } },
	{ "delays (key 5)", { "DELAY", NULL } }, { "jemalloc (key 6)", { "JEMALLOC", NULL } },
};

static const char *word(const struct word *w, size_t n, const char *token)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i].token, token))
			return w[i].text;
	return token;
}

/* text safe for roff: backslash and minus escaped, a leading . or ' neutralised, non-ASCII
 * UTF-8 written as \[uXXXX] so groff needs no input-encoding guess */
static void roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", stdout);
		else if (*p == '-')
			fputs("\\-", stdout);
		else if (*p < 0x80)
			putchar(*p);
		else {
			int more = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
			unsigned cp = *p & (0x3f >> more);
			for (; more && (p[1] & 0xc0) == 0x80; more--)
				cp = (cp << 6) | (*++p & 0x3f);
			printf("\\[u%04X]", cp);
		}
	}
}

/* help text as a sentence: capital first letter, full stop, own line */
static void sentence(const char *help)
{
	char first[2] = { (char)toupper((unsigned char)help[0]), 0 };
	if (!help[0])
		return;
	roff(first);
	roff(help + 1);
	printf(".\n");
}

static void metrics_wire(void)
{
	for (size_t i = 0; i < N(metrics); i++) {
		const struct mrow *m = &metrics[i];
		printf(".TP\n.B %s\n", m->name);
		sentence(m->help);
		printf("\\fI%s\\fR, %s; ", word(kinds, N(kinds), m->kind), word(units, N(units), m->unit));
		roff(word(sources, N(sources), m->source));
		printf("%s.\n", strcmp(m->kind, "CHAR") ? "" : "; optional, default \"~\"");
	}
}

static bool in_set(const struct mrow *m, size_t set)
{
	for (size_t j = 0; j < 2; j++)
		if (sets[set].sections[j] && !strcmp(m->section, sets[set].sections[j]))
			return true;
	return false;
}

/* the help of the group value (src/compare/grouphelp.c), from the rule and the thread's help */
static const char *group_help(const char *agg, const char *help, char *buf, size_t len)
{
	static const struct {
		const char *agg;
		enum ctp_crule rule;
	} rules[] = { { "SUM", CTP_CR_SUM }, { "MAX", CTP_CR_MAX }, { "RANGE", CTP_CR_RANGE },
		      { "MODE", CTP_CR_MODE }, { "AFFINITY", CTP_CR_AFFINITY } };
	enum ctp_crule rule = CTP_CR_DERIVED;
	for (size_t i = 0; i < N(rules); i++)
		if (!strcmp(agg, rules[i].agg))
			rule = rules[i].rule;
	ctp_group_help(buf, len, rule, help, NULL);
	return buf;
}

static void metric_entry(const struct mrow *m)
{
	char gh[240];
	printf(".TP\n.B %s\n", m->name);
	const char *gate = word(gates, N(gates), m->gate);
	printf("%s, aggregated by %s", word(units, N(units), m->unit), word(aggs, N(aggs), m->agg));
	if (!strcmp(m->agg, "MODE"))
		printf(" (not sortable)");
	if (*gate) {
		printf("; counted only when ");
		roff(gate);
	}
	printf(".\n");
	sentence(group_help(m->agg, m->help, gh, sizeof(gh)));
}

static void derived_entry(const struct drow *d)
{
	char gh[240];
	printf(".TP\n.B %s\n", d->name);
	const char *unit = !strcmp(d->op, "PERTHR") ? "rate" : word(units, N(units), d->ladder);
	printf("%s", !strcmp(d->is_ratio, "true") ? "ratio" : unit);
	if (!strcmp(d->op, "RATIO"))
		printf(" = %s / %s", d->a, d->b);
	else if (!strcmp(d->op, "RSUM"))
		printf(" = %s / (%s + %s)", d->a, d->a, d->b);
	else if (!strcmp(d->op, "DIFF"))
		printf(" = %s \\- %s", d->a, d->b);
	else if (!strcmp(d->op, "PERTHR"))
		printf(" = %s per thread per second", d->a);
	printf(" (derived%s).\n", !strcmp(d->origin, "EXT") ? "; a ctprof\\-top extension" : "");
	sentence(group_help("DERIVED", d->help, gh, sizeof(gh)));
}

static void metrics_by_section(void)
{
	for (size_t s = 0; s < N(sets); s++) {
		printf(".SS %s\n", sets[s].title);
		if (s == 0)
			printf(".TP\n.B thread_count\ncount, aggregated by sum.\nThreads in the group.\n");
		for (size_t i = 0; i < N(metrics); i++)
			if (strcmp(metrics[i].agg, "NONE") && in_set(&metrics[i], s))
				metric_entry(&metrics[i]);
		for (size_t i = 0; i < N(derived); i++)
			if (!strcmp(derived[i].group, sets[s].sections[0]) ||
			    (sets[s].sections[1] && !strcmp(derived[i].group, sets[s].sections[1])))
				derived_entry(&derived[i]);
	}
}

static void derived_all(void)
{
	for (size_t i = 0; i < N(derived); i++)
		derived_entry(&derived[i]);
}

/* one .TP per gate the headers name: its metrics, what says it was off, the hints */
static void gates_table(void)
{
	for (size_t g = 0; g < N(gate_rows); g++) {
		const char *last = NULL;
		if (!*gate_rows[g].label)
			continue;
		printf(".TP\n.B %s\n", gate_rows[g].label);
		for (size_t i = 0; i < N(metrics); i++)
			if (!strcmp(metrics[i].gate, gate_rows[g].id)) {
				if (last)
					printf(".BR %s ,\n", last);
				last = metrics[i].name;
			}
		if (last)
			printf(".B %s\n", last);
		printf("(and what is derived from them) count only when ");
		roff(gate_rows[g].man);
		printf(*gate_rows[g].flag ? ", a flag of each thread.\n" : ", for every thread of the snapshot.\n");
		if (!*gate_rows[g].hint && !*gate_rows[g].config_hint)
			continue;
		printf("Off, the headers show\n.B %s\nwith a cross mark, followed by%s\n", gate_rows[g].label,
		       *gate_rows[g].hint ? "" : ", on a kernel built without it,");
		if (*gate_rows[g].hint) {
			printf(".BR \"");
			roff(gate_rows[g].hint);
			printf("\" %s\n", *gate_rows[g].config_hint ? ",\nor on a kernel built without it" : ".");
		}
		if (*gate_rows[g].config_hint) {
			printf(".BR \"");
			roff(gate_rows[g].config_hint);
			printf("\" .\n");
		}
	}
}

/* ---- the snapshot's objects ---- */

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* the JSON type of an object key, in words */
static void okey_type(const struct okey *k)
{
	static const struct word types[] = {
		{ "U64", "u64" }, { "I32", "i32" }, { "BOOL", "bool" }, { "STR", "string" },
		{ "KVMAP", "object, string to u64" }, { "STRMAP", "object, string to string" },
		{ "GOVMAP", "object, CPU number (as a string) to string" },
	};
	if (is(k->kind, "DELAYACCT") || is(k->kind, "XACCT")) {
		const char *const *v = is(k->kind, "XACCT") ? xacct_values : delayacct_values;
		printf("one of");
		for (size_t i = 0; v[i]; i++)
			printf("%s \"%s\"", i ? "," : "", v[i]);
	} else if (is(k->kind, "HEAP")) {
		printf("object of");
		for (size_t i = 0; i < N(heap_keys); i++)
			printf("%s %s", i ? "," : "", heap_keys[i].name);
		printf(" (u64 each, each omitted when unknown)");
	} else {
		roff(word(types, N(types), k->kind));
	}
	if (is(k->presence, "OPT"))
		printf(" or null");
	else if (is(k->presence, "EMPTY"))
		printf(", omitted when empty, never null");
}

/* .TP entry: help, type, older spellings and, outside EXTENSIONS (prefix ""), the extension mark */
static void okey_entry(const char *prefix, const struct okey *k)
{
	printf(".TP\n.B %s%s\n", prefix, k->name);
	sentence(k->help);
	printf("\\fI");
	okey_type(k);
	printf("\\fR");
	for (size_t i = 0; i < N(host_aliases) && is(k->obj, "host"); i++)
		if (is(host_aliases[i].name, k->name))
			printf("; the older spelling \\fB%s\\fR is read too (this key wins)", host_aliases[i].old);
	if (is(k->origin, "EXT") && !*prefix)
		printf("; a ctprof\\-top extension (see \\fBEXTENSIONS\\fR)");
	printf(".\n");
}

static void host_list(void)
{
	for (size_t i = 0; i < N(host_keys); i++)
		okey_entry("", &host_keys[i]);
}

/* the keys of one top-level object (summary.def), as an indented list */
static void object_list(const char *obj)
{
	printf(".RS\n");
	for (size_t i = 0; i < N(summary_keys); i++)
		if (is(summary_keys[i].obj, obj))
			okey_entry("", &summary_keys[i]);
	printf(".RE\n");
}

/* CgroupStats as a JSON sketch; an omitted-when-unknown key is marked "?" */
static void cgroup_sketch(void)
{
	static const char *const objs[] = { "cpu", "memory", "pids" };
	printf(".EX\n");
	for (size_t o = 0; o < N(objs); o++) {
		char head[32];
		int col = snprintf(head, sizeof(head), "%s\"%s\":", o ? "  " : "{ ", objs[o]);
		col = printf("%s%*s{ ", head, 12 - col, "");
		bool first = true;
		for (size_t i = 0; i < N(cg_keys); i++) {
			const struct okey *k = &cg_keys[i];
			char item[96];
			if (!is(k->obj, objs[o]))
				continue;
			int n = snprintf(item, sizeof(item), "\"%s\"%s: %s%s", k->name, is(k->presence, "OMIT") ? "?" : "",
					 is(k->kind, "KVMAP") ? "{string: u64}" : is(k->kind, "I32") ? "i32" : "u64",
					 is(k->presence, "OPT") ? "|null" : "");
			if (!first && col + n + 2 > 92) {
				printf(",\n%14s", "");
				col = 14;
			} else if (!first) {
				col += printf(", ");
			}
			col += printf("%s", item);
			first = false;
		}
		printf(" },\n");
	}
	printf("  \"psi\":    PSI }\n.EE\n");
}

/* the keys written null when unknown: cgroup keys by member, then the summaries' */
static void null_keys(void)
{
	const char *obj = "cpu";
	printf("the cgroup keys\n");
	for (size_t i = 0; i < N(cg_keys); i++)
		if (is(cg_keys[i].presence, "OPT")) {
			if (!is(cg_keys[i].obj, obj))
				printf("%s\n", obj = cg_keys[i].obj);
			printf(".BR %s ,\n", cg_keys[i].name);
		}
	printf("and the summary keys\n");
	const struct okey *last = NULL;
	for (size_t i = 0; i < N(summary_keys); i++)
		if (is(summary_keys[i].presence, "OPT")) {
			if (last)
				printf(".BR %s ,\n", last->name);
			last = &summary_keys[i];
		}
	if (last)
		printf(".BR %s .\n", last->name);
}

/* every key marked EXT in the tables, with the object it belongs to */
static void extensions(void)
{
	int n = 0;
	char prefix[64];
	for (size_t i = 0; i < N(host_keys); i++)
		if (is(host_keys[i].origin, "EXT")) {
			okey_entry("host.", &host_keys[i]);
			n++;
		}
	for (size_t i = 0; i < N(cg_keys); i++)
		if (is(cg_keys[i].origin, "EXT")) {
			snprintf(prefix, sizeof(prefix), "cgroup_stats.PATH.%s.", cg_keys[i].obj);
			okey_entry(prefix, &cg_keys[i]);
			n++;
		}
	for (size_t i = 0; i < N(summary_keys); i++)
		if (is(summary_keys[i].origin, "EXT")) {
			snprintf(prefix, sizeof(prefix), "%s.", summary_keys[i].obj);
			okey_entry(prefix, &summary_keys[i]);
			n++;
		}
	if (!n)
		printf("There are none at present.\n");
}

/* one .TP per help row; the rows after it with help == NULL are its aliases */
static void keys(void)
{
	size_t n;
	const struct ctp_key *k = ctp_keys_table(&n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !k[j].help)
			j++;
		printf(".TP\n");
		for (size_t a = i; a < j; a++) {
			bool dup = false;
			for (size_t b = i; b < a; b++)
				dup |= !strcmp(k[a].name, k[b].name);
			if (dup)
				continue;
			if (a > i)
				printf(", ");
			printf("\\fB");
			if (k[a].name[0] == '.') /* after \\fB: not at a line's start, no \\& needed */
				putchar('.');
			roff(k[a].name + (k[a].name[0] == '.'));
			printf("\\fR");
		}
		printf("\n");
		sentence(k[i].help ? k[i].help : "");
		i = j;
	}
}

/* writes line with every @NAME@ of vars ("NAME=value") replaced */
static void substitute(const char *line, int nvars, char **vars)
{
	while (*line) {
		bool hit = false;
		if (*line == '@')
			for (int i = 0; i < nvars && !hit; i++) {
				const char *eq = strchr(vars[i], '=');
				size_t n = eq ? (size_t)(eq - vars[i]) : 0;
				if (n && !strncmp(line + 1, vars[i], n) && line[n + 1] == '@') {
					fputs(eq + 1, stdout);
					line += n + 2;
					hit = true;
				}
			}
		if (!hit)
			putchar(*line++);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mangen TEMPLATE [NAME=VALUE]...\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "@METRICS_WIRE@\n"))
			metrics_wire();
		else if (!strcmp(line, "@METRICS_BY_SECTION@\n"))
			metrics_by_section();
		else if (!strcmp(line, "@DERIVED@\n"))
			derived_all();
		else if (!strcmp(line, "@KEYS@\n"))
			keys();
		else if (!strcmp(line, "@GATES@\n"))
			gates_table();
		else if (!strcmp(line, "@HOST_KEYS@\n"))
			host_list();
		else if (!strcmp(line, "@CGROUP_OBJECT@\n"))
			cgroup_sketch();
		else if (!strcmp(line, "@NULL_KEYS@\n"))
			null_keys();
		else if (!strcmp(line, "@EXTENSIONS@\n"))
			extensions();
		else if (!strncmp(line, "@OBJECT ", 8) && strchr(line + 8, '@')) {
			*strchr(line + 8, '@') = 0; /* "@OBJECT probe_summary@" */
			object_list(line + 8);
		}
		else
			substitute(line, argc - 2, argv + 2);
	}
	fclose(f);
	return fflush(stdout) ? 1 : 0;
}
