/* fuzz_config.c — libFuzzer harness for the settings-file parser (ui/cli/config.c, compiled in: the
 * engine library has no ui/ code). The input is a config file body. Invariants: every accepted
 * value is in range; each warning is one "name:N: <fixed message>; line ignored" line with N
 * rising, the message one of the parser's fixed texts (no byte of the file is echoed but an
 * unknown metric's name-shaped token: lower case, digits, '_');
 * rewriting the file (ctp_config_format) and parsing it again gives the same settings, and a
 * fresh file of those settings parses with no warning at all. */
#include "../../ui/cli/colsets.c"
#include "../../ui/cli/config.c"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_STR2(x) #x
#define FUZZ_STR(x) FUZZ_STR2(x)
static const char *const fixed_msgs[] = {
	"expected 'key = value'",
	"missing key before '='",
	"unknown key",
	"bad value (too long or a NUL byte)",
	"bad interval (seconds, 0.05 to 3600)",
	"bad group_by (pcomm, cgroup, comm, comm-exact, all)",
	"bad sort_by (metric[:asc|desc],... of sortable metrics; see ctprof-top(1))",
	"bad columns (a set: sched cpu memory io delays jemalloc, or metric names)",
	"columns value too long",
	"bad color (on or off)",
	"bad hide_idle (true or false)",
	"bad hide_unchanged (true or false)",
	"bad max_kept_fds (a count of fds, 0 to " FUZZ_STR(CTP_FDCACHE_CAP_MAX) ")",
};

static bool fixed_msg(const char *m, size_t n)
{
	/* an unknown metric is named: a name-shaped token only (lower case, digits, '_') */
	static const char *const named[] = { "sort_by: unknown metric '", "columns: unknown metric '" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(named); i++) {
		size_t k = strlen(named[i]), j = k;
		if (n <= k || memcmp(m, named[i], k))
			continue;
		while (j < n && ((m[j] >= 'a' && m[j] <= 'z') || (m[j] >= '0' && m[j] <= '9') || m[j] == '_'))
			j++;
		return j > k && j < n && m[j] == '\'';
	}
	for (size_t i = 0; i < CTP_ARRAY_SIZE(fixed_msgs); i++)
		if (strlen(fixed_msgs[i]) == n && !memcmp(m, fixed_msgs[i], n))
			return true;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(known_keys); i++) {
		char want[64];
		int k = snprintf(want, sizeof(want), "value of '%s' is not UTF-8", known_keys[i]);
		if ((size_t)k == n && !memcmp(m, want, n))
			return true;
	}
	return false;
}

/* every warning line: "fuzz:N: MSG; line ignored\n", N rising and at most nlines */
static void check_warnings(const struct ctp_buf *w, unsigned nlines)
{
	static const char suffix[] = "; line ignored";
	unsigned last = 0;
	for (const char *p = w->buf, *end = w->buf + w->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || strncmp(p, "fuzz:", 5))
			abort();
		char *after;
		unsigned long n = strtoul(p + 5, &after, 10);
		if (after[0] != ':' || after[1] != ' ' || n <= last || n > nlines)
			abort();
		last = (unsigned)n;
		const char *m = after + 2;
		size_t len = (size_t)(nl - m), sl = sizeof(suffix) - 1;
		if (len < sl || memcmp(m + len - sl, suffix, sl) || !fixed_msg(m, len - sl))
			abort();
		p = nl + 1;
	}
}

static void check_ranges(const struct ctp_config *c)
{
	struct ctp_err err = { 0 };
	enum ctp_axis a;
	struct ctp_sort s;
	char msg[320];
	if (!(c->interval_s >= CTP_CFG_INTERVAL_MIN && c->interval_s <= CTP_CFG_INTERVAL_MAX))
		abort();
	if (ctp_axis_parse(c->group_by, &a, &err) < 0 || strcmp(ctp_axis_name(a), c->group_by))
		abort();
	if (c->sort_by[0] && ctp_sort_parse(c->sort_by, &s, &err) < 0)
		abort();
	if (ctp_columns_parse(NULL, c->columns, msg, sizeof(msg)) < 0)
		abort();
}

static void check_same(const struct ctp_config *a, const struct ctp_config *b)
{
	/* interval is written with %g: six significant digits */
	if (fabs(a->interval_s - b->interval_s) > a->interval_s * 1e-5 || strcmp(a->group_by, b->group_by) ||
	    strcmp(a->sort_by, b->sort_by) || strcmp(a->columns, b->columns) || a->color != b->color)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unsigned nlines = 1;
	for (size_t i = 0; i + 1 < size; i++)
		nlines += text[i] == '\n';
	struct ctp_config c, again, fresh;
	struct ctp_buf w = CTP_BUF_INIT, out = CTP_BUF_INIT, w2 = CTP_BUF_INIT;
	ctp_config_init(&c);
	ctp_config_parse(&c, text, size, "fuzz", &w);
	check_warnings(&w, nlines);
	check_ranges(&c);

	/* S: the rewritten file gives the same settings */
	ctp_config_format(&c, text, size, &out);
	ctp_config_init(&again);
	ctp_config_parse(&again, out.buf, out.len, "fuzz", &w2);
	check_same(&c, &again);

	/* a fresh file of these settings is clean */
	ctp_buf_reset(&out);
	ctp_buf_reset(&w2);
	ctp_config_format(&c, NULL, 0, &out);
	ctp_config_init(&fresh);
	ctp_config_parse(&fresh, out.buf, out.len, "fuzz", &w2);
	if (w2.len)
		abort();
	check_same(&c, &fresh);

	ctp_buf_release(&w);
	ctp_buf_release(&w2);
	ctp_buf_release(&out);
	return 0;
}
