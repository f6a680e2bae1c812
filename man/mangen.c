/* mangen.c — expands the man page templates (man/NAME.in): whole lines
 * @METRICS_WIRE@ (every ThreadState key of data/metrics.def in file order), @METRICS_BY_SECTION@
 * (the compare metrics per column set), @DERIVED@ (data/derived.def) and @KEYS@ (ui/live/keys.c rows),
 * so the pages cannot drift from the registry or the key table; other @NAME@s come from the
 * command line.  Usage: mangen TEMPLATE [NAME=VALUE]...   (make man passes VERSION and PREFIX) */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ui/live/keys.h"
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
	const char *name, *op, *a, *b, *ladder, *is_ratio, *csection, *group, *help;
};
static const struct drow derived[] = {
#define D(name, op, a, b, ladder, is_ratio, csection, group, help) \
	{ #name, #op, #a, #b, #ladder, #is_ratio, #csection, #group, help },
#include "../data/derived.def"
#undef D
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct word {
	const char *token, *text;
};

/* token -> man wording, from the registry's X-lists */
#define WORD(id, name, man) { #id, man },
static const struct word kinds[] = { CTP_KIND_LIST(WORD) };
static const struct word units[] = { CTP_UNIT_LIST(WORD) };
static const struct word aggs[] = { CTP_AGG_LIST(WORD) };
static const struct word sources[] = { CTP_SOURCE_LIST(WORD) };
static const struct word gates[] = { CTP_GATE_LIST(WORD) };
#undef WORD
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
		printf("%s.\n", strcmp(m->name, "state") ? "" : "; optional, default \"~\"");
	}
}

static bool in_set(const struct mrow *m, size_t set)
{
	for (size_t j = 0; j < 2; j++)
		if (sets[set].sections[j] && !strcmp(m->section, sets[set].sections[j]))
			return true;
	return false;
}

static void metric_entry(const struct mrow *m)
{
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
	sentence(m->help);
}

static void derived_entry(const struct drow *d)
{
	printf(".TP\n.B %s\n", d->name);
	printf("%s", !strcmp(d->is_ratio, "true") ? "ratio" : word(units, N(units), d->ladder));
	if (!strcmp(d->op, "RATIO"))
		printf(" = %s / %s", d->a, d->b);
	else if (!strcmp(d->op, "RSUM"))
		printf(" = %s / (%s + %s)", d->a, d->a, d->b);
	else if (!strcmp(d->op, "DIFF"))
		printf(" = %s \\- %s", d->a, d->b);
	printf(" (derived).\n");
	sentence(d->help);
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
			roff(k[a].name);
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
		else
			substitute(line, argc - 2, argv + 2);
	}
	fclose(f);
	return fflush(stdout) ? 1 : 0;
}
