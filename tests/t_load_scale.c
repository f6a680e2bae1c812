/* t_load_scale.c — loading is not quadratic: 100k cgroups, 400k smaps keys, 100k tunables and
 * 100k governors, built here in descending key order with repeats, load under a generous alarm,
 * sorted, deduplicated, last value winning; small files check last-wins in every map kind, and
 * capture's cgroup list comes out sorted whatever the thread order. */
#include <signal.h>
#include <unistd.h>
#include <zstd.h>

#include "snapshot/snapfile.h"
#include "tap.h"

#define NCG 100000u
#define NSMAPS 400000u
#define NTUN 100000u
#define NGOV 100000u
#define LOAD_ALARM_S 60

static void on_alarm(int sig)
{
	static const char msg[] = "not ok - the load did not finish within 60 s (quadratic insertion?)\n";
	ssize_t w = write(1, msg, sizeof(msg) - 1);
	(void)w;
	(void)sig;
	_exit(1);
}

/* JSON of a one-thread snapshot with a host (empty sched_tunables), a parse summary and no
 * cgroups: the empty maps are the places the tests splice their keys into */
static char *template_json(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	ctp_snapshot_add_thread(s);
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	s->host->has_sched_tunables = true;
	s->parse_summary = ctp_xcalloc(1, sizeof(*s->parse_summary));
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &b);
	ctp_snapshot_free(s);
	return ctp_buf_detach(&b, NULL);
}

/* doc with the first occurrence of each from[i] replaced by to[i] (every one must occur) */
static char *splice(const char *doc, const char *const *from, const char *const *to, size_t n)
{
	char *cur = ctp_xstrdup(doc);
	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(cur, from[i]);
		if (!at) {
			free(cur);
			return NULL;
		}
		struct ctp_buf b = CTP_BUF_INIT;
		ctp_buf_add(&b, cur, (size_t)(at - cur));
		ctp_buf_adds(&b, to[i]);
		ctp_buf_adds(&b, at + strlen(from[i]));
		free(cur);
		cur = ctp_buf_detach(&b, NULL);
	}
	return cur;
}

static void psi_json(struct ctp_buf *b)
{
	static const char half[] = "{\"avg10\":0,\"avg60\":0,\"avg300\":0,\"total_usec\":0}";
	ctp_buf_adds(b, "{");
	const char *res[] = { "cpu", "memory", "io", "irq" };
	for (int i = 0; i < 4; i++)
		ctp_buf_addf(b, "%s\"%s\":{\"some\":%s,\"full\":%s}", i ? "," : "", res[i], half, half);
	ctp_buf_adds(b, "}");
}

/* one cgroup_stats value: usage_usec = usage, memory.stat / events as given (JSON object text) */
static void cgroup_json(struct ctp_buf *b, const char *key, uint64_t usage, const char *stat, const char *events)
{
	ctp_buf_addf(b, "\"%s\":{\"cpu\":{\"usage_usec\":%llu,\"nr_throttled\":0,\"throttled_usec\":0,"
			"\"max_period_us\":100000},\"memory\":{\"current\":0,\"stat\":%s,\"events\":%s},\"pids\":{},\"psi\":",
		     key, (unsigned long long)usage, stat, events);
	psi_json(b);
	ctp_buf_adds(b, "}");
}

/* ---- the big file: every key appears in descending order, every 1000th (smaps: 997th) once
 * more at the end with another value, which must win ---- */

static uint64_t cg_want(size_t i)
{
	return i % 1000 == 0 ? i + 1000000000ull : i;
}

static uint64_t smaps_want(size_t i)
{
	return i % 997 == 0 ? 2 * i + 1 : 2 * i;
}

static void big_cgroups(struct ctp_buf *b)
{
	char key[32];
	ctp_buf_addch(b, '{');
	for (size_t i = NCG; i-- > 0;) {
		snprintf(key, sizeof(key), "/cg%06zu", i);
		if (i != NCG - 1)
			ctp_buf_addch(b, ',');
		cgroup_json(b, key, i, "{}", "{\"oom\":1}");
	}
	for (size_t i = 0; i < NCG; i += 1000) {
		snprintf(key, sizeof(key), "/cg%06zu", i);
		ctp_buf_addch(b, ',');
		cgroup_json(b, key, cg_want(i), "{\"b\":2,\"a\":1,\"b\":3}", "{}");
	}
	ctp_buf_addch(b, '}');
}

static void big_smaps(struct ctp_buf *b)
{
	ctp_buf_addch(b, '{');
	for (size_t i = NSMAPS; i-- > 0;)
		ctp_buf_addf(b, "%s\"k%07zu\":%zu", i != NSMAPS - 1 ? "," : "", i, 2 * i);
	for (size_t i = 0; i < NSMAPS; i += 997)
		ctp_buf_addf(b, ",\"k%07zu\":%llu", i, (unsigned long long)smaps_want(i));
	ctp_buf_addch(b, '}');
}

/* sched_tunables then cpufreq_governor, both in place of the empty tunables map */
static void big_host_maps(struct ctp_buf *b)
{
	ctp_buf_adds(b, "\"sched_tunables\":{");
	for (size_t i = NTUN; i-- > 0;)
		ctp_buf_addf(b, "%s\"t%06zu\":\"v%zu\"", i != NTUN - 1 ? "," : "", i, i);
	for (size_t i = 0; i < NTUN; i += 1000)
		ctp_buf_addf(b, ",\"t%06zu\":\"last%zu\"", i, i);
	ctp_buf_adds(b, "},\"cpufreq_governor\":{");
	for (size_t i = NGOV; i-- > 0;)
		ctp_buf_addf(b, "%s\"%zu\":\"g%zu\"", i != NGOV - 1 ? "," : "", i, i);
	for (size_t i = 0; i < NGOV; i += 1000)
		ctp_buf_addf(b, ",\"%zu\":\"last%zu\"", i, i);
	ctp_buf_adds(b, "}");
}

static char *big_json(size_t *len)
{
	struct ctp_buf cg = CTP_BUF_INIT, sm = CTP_BUF_INIT, host = CTP_BUF_INIT;
	ctp_buf_adds(&cg, "\"cgroup_stats\":");
	big_cgroups(&cg);
	ctp_buf_adds(&sm, "\"smaps_rollup_kib\":");
	big_smaps(&sm);
	big_host_maps(&host);
	const char *from[] = { "\"cgroup_stats\":{}", "\"smaps_rollup_kib\":{}", "\"sched_tunables\":{}" };
	const char *to[] = { cg.buf, sm.buf, host.buf };
	char *tmpl = template_json();
	char *doc = splice(tmpl, from, to, 3);
	free(tmpl);
	ctp_buf_release(&cg);
	ctp_buf_release(&sm);
	ctp_buf_release(&host);
	*len = doc ? strlen(doc) : 0;
	return doc;
}

static void check_cgroups(const struct ctp_snapshot *s)
{
	size_t bad = 0;
	char key[32];
	check_int(s->ncgroups, ==, NCG);
	for (size_t i = 0; i < s->ncgroups && i < NCG; i++) {
		const struct ctp_cgroup_stats *c = &s->cgroups[i];
		snprintf(key, sizeof(key), "/cg%06zu", i);
		bool dup = i % 1000 == 0;
		uint64_t a = 0, bv = 0, oom = 0;
		bool stat_ok = dup ? c->memory.stat.n == 2 && ctp_kvmap_get(&c->memory.stat, "a", &a) && a == 1 &&
					     ctp_kvmap_get(&c->memory.stat, "b", &bv) && bv == 3
				   : c->memory.stat.n == 0;
		bool events_ok = dup ? c->memory.events.n == 0
				     : c->memory.events.n == 1 && ctp_kvmap_get(&c->memory.events, "oom", &oom) && oom == 1;
		if (strcmp(c->path, key) || c->cpu.usage_usec != cg_want(i) || !stat_ok || !events_ok) {
			if (!bad++)
				diag("cgroup %zu: %s usage %llu", i, c->path, (unsigned long long)c->cpu.usage_usec);
		}
	}
	ok(bad == 0, "100k cgroups: sorted by path, repeated keys replaced whole by the last (%zu wrong)", bad);
	ok(ctp_snapshot_find_cgroup(s, "/cg054321") && ctp_snapshot_find_cgroup(s, "/cg054321")->cpu.usage_usec == 54321,
	   "a loaded cgroup is found by binary search");
}

static void check_smaps(const struct ctp_snapshot *s)
{
	const struct ctp_kvmap *m = &s->threads[0].smaps_rollup_kib;
	size_t bad = 0;
	char key[32];
	check_int(m->n, ==, NSMAPS);
	for (size_t i = 0; i < m->n && i < NSMAPS; i++) {
		snprintf(key, sizeof(key), "k%07zu", i);
		if (strcmp(m->v[i].key, key) || m->v[i].val != smaps_want(i))
			if (!bad++)
				diag("smaps %zu: %s = %llu", i, m->v[i].key, (unsigned long long)m->v[i].val);
	}
	ok(bad == 0, "400k smaps keys: sorted, last value wins (%zu wrong)", bad);
	uint64_t v = 0;
	ok(ctp_kvmap_get(m, "k0001994", &v) && v == smaps_want(1994), "a loaded smaps key is found by binary search");
}

static void check_host_maps(const struct ctp_snapshot *s)
{
	const struct ctp_host *h = s->host;
	size_t bad = 0;
	char want[32], key[32];
	check_int(h->sched_tunables.n, ==, NTUN);
	for (size_t i = 0; i < h->sched_tunables.n && i < NTUN; i++) {
		snprintf(key, sizeof(key), "t%06zu", i);
		snprintf(want, sizeof(want), i % 1000 ? "v%zu" : "last%zu", i);
		if (strcmp(h->sched_tunables.v[i].key, key) || strcmp(h->sched_tunables.v[i].val, want))
			bad++;
	}
	ok(bad == 0, "100k sched tunables: sorted, last value wins (%zu wrong)", bad);
	bad = 0;
	check_int(h->n_cpufreq_governor, ==, NGOV);
	for (size_t i = 0; i < h->n_cpufreq_governor && i < NGOV; i++) {
		snprintf(want, sizeof(want), i % 1000 ? "g%zu" : "last%zu", i);
		if (h->cpufreq_governor[i].cpu != i || strcmp(h->cpufreq_governor[i].governor, want))
			bad++;
	}
	ok(bad == 0, "100k cpufreq governors: sorted by cpu, last value wins (%zu wrong)", bad);
}

static void test_big_descending(void)
{
	size_t len;
	char *doc = big_json(&len);
	if (!ok(doc != NULL, "template has the empty maps to fill"))
		return;
	size_t cap = ZSTD_compressBound(len);
	char *z = ctp_xmalloc(cap);
	size_t zlen = ZSTD_compress(z, cap, doc, len, 1);
	free(doc);
	if (!ok(!ZSTD_isError(zlen), "compressed %zu bytes of JSON to %zu", len, zlen)) {
		free(z);
		return;
	}
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	signal(SIGALRM, on_alarm);
	alarm(LOAD_ALARM_S);
	uint64_t t0 = ctp_now_monotonic_ns();
	int rc = ctp_snapfile_load_mem("big", z, zlen, &s, &err);
	uint64_t dt = ctp_now_monotonic_ns() - t0;
	alarm(0);
	free(z);
	diag("load of %zu compressed bytes took %.3f s", zlen, (double)dt / 1e9);
	if (!ok(rc == 0 && s, "descending 100k-cgroup / 400k-smaps file loads within %d s: %s", LOAD_ALARM_S, err.msg))
		return;
	check_cgroups(s);
	check_smaps(s);
	check_host_maps(s);
	ctp_snapshot_free(s);
}

/* ---- small files: repeated keys in every map kind, last wins; a repeated struct field is an error ---- */

static struct ctp_snapshot *load_small(const char *cgroups, const char *smaps, const char *host_maps,
				       const char *failures, struct ctp_err *err)
{
	const char *from[] = { "\"cgroup_stats\":{}", "\"smaps_rollup_kib\":{}", "\"sched_tunables\":{}",
			       "\"read_failures_by_file\":{}" };
	const char *to[] = { cgroups, smaps, host_maps, failures };
	char *tmpl = template_json();
	char *doc = splice(tmpl, from, to, 4);
	free(tmpl);
	struct ctp_snapshot *s = NULL;
	if (doc)
		ctp_snapshot_from_json(doc, strlen(doc), &s, err);
	free(doc);
	return s;
}

static void test_duplicates_last_wins(void)
{
	struct ctp_buf cg = CTP_BUF_INIT;
	ctp_buf_adds(&cg, "\"cgroup_stats\":{");
	cgroup_json(&cg, "/b", 1, "{\"x\":1,\"x\":2}", "{}");
	ctp_buf_addch(&cg, ',');
	cgroup_json(&cg, "/a", 2, "{}", "{\"oom\":5}");
	ctp_buf_addch(&cg, ',');
	cgroup_json(&cg, "/b", 3, "{}", "{\"z\":9,\"y\":8,\"z\":7}");
	ctp_buf_addch(&cg, ',');
	cgroup_json(&cg, "/b", 4, "{\"q\":1}", "{\"z\":9,\"y\":8,\"z\":7}");
	ctp_buf_addch(&cg, '}');
	struct ctp_err err = { 0 };
	struct ctp_snapshot *s = load_small(cg.buf, "\"smaps_rollup_kib\":{\"Rss\":1,\"\xc3\xa9t\xc3\xa9\":9,\"Pss\":2,\"Rss\":3}",
					    "\"sched_tunables\":{\"k\":\"1\",\"j\":\"0\",\"k\":\"2\"},"
					    "\"cpufreq_governor\":{\"3\":\"a\",\"1\":\"b\",\"3\":\"c\"}",
					    "\"read_failures_by_file\":{\"stat\":1,\"io\":2,\"stat\":4}", &err);
	ctp_buf_release(&cg);
	if (!ok(s != NULL, "file with repeated map keys loads: %s", err.msg))
		return;
	uint64_t v = 0;
	check_int(s->ncgroups, ==, 2);
	if (s->ncgroups == 2) {
		const struct ctp_cgroup_stats *b = &s->cgroups[1];
		check_str(s->cgroups[0].path, "/a");
		check_str(b->path, "/b");
		ok(b->cpu.usage_usec == 4 && b->memory.stat.n == 1 && ctp_kvmap_get(&b->memory.stat, "q", &v) && v == 1,
		   "cgroup key repeated three times: the last entry, whole");
		ok(b->memory.events.n == 2 && !strcmp(b->memory.events.v[0].key, "y") &&
			   ctp_kvmap_get(&b->memory.events, "z", &v) && v == 7,
		   "memory.events: sorted, last wins");
	}
	const struct ctp_kvmap *m = &s->threads[0].smaps_rollup_kib;
	ok(m->n == 3 && !strcmp(m->v[0].key, "Pss") && m->v[1].val == 3 && !strcmp(m->v[2].key, "\xc3\xa9t\xc3\xa9"),
	   "smaps_rollup_kib: sorted by unsigned bytes (UTF-8 after ASCII), last wins");
	m = &s->parse_summary->read_failures_by_file;
	ok(m->n == 2 && !strcmp(m->v[0].key, "io") && m->v[1].val == 4, "read_failures_by_file: sorted, last wins");
	const struct ctp_strmap *t = &s->host->sched_tunables;
	ok(t->n == 2 && !strcmp(t->v[0].key, "j") && !strcmp(t->v[1].val, "2"), "sched_tunables: sorted, last wins");
	const struct ctp_host *h = s->host;
	ok(h->n_cpufreq_governor == 2 && h->cpufreq_governor[0].cpu == 1 && h->cpufreq_governor[1].cpu == 3 &&
		   !strcmp(h->cpufreq_governor[1].governor, "c"),
	   "cpufreq_governor: sorted by cpu, last wins");
	ctp_snapshot_free(s);
}

static void test_duplicate_field_refused(void)
{
	struct ctp_buf cg = CTP_BUF_INIT;
	ctp_buf_adds(&cg, "\"cgroup_stats\":{");
	cgroup_json(&cg, "/b", 1, "{}", "{}");
	ctp_buf_addch(&cg, ',');
	cgroup_json(&cg, "/a", 2, "{}", "{}");
	ctp_buf_addch(&cg, '}');
	/* the second cgroup's cpu struct gets its usage_usec twice */
	char *dup = strstr(cg.buf, "\"usage_usec\":2,");
	struct ctp_buf doc = CTP_BUF_INIT;
	ctp_buf_add(&doc, cg.buf, (size_t)(dup - cg.buf));
	ctp_buf_adds(&doc, "\"usage_usec\":2,");
	ctp_buf_adds(&doc, dup);
	struct ctp_err err = { 0 };
	struct ctp_snapshot *s = load_small(doc.buf, "\"smaps_rollup_kib\":{}", "\"sched_tunables\":{}",
					    "\"read_failures_by_file\":{}", &err);
	ok(s == NULL && !strcmp(err.where, "cgroup_stats./a.cpu.usage_usec") && strstr(err.msg, "duplicate field `usage_usec`"),
	   "a repeated struct field stays an error: %s: %s", err.where, err.msg);
	ctp_snapshot_free(s);
	ctp_buf_release(&cg);
	ctp_buf_release(&doc);
}

/* capture's cgroup list: one entry per distinct thread cgroup, in any thread order, sorted */
static void test_cgroups_of_threads(void)
{
	static const char *const cgs[] = { "/z", "", "/b", "/z", "/a", "/b", "/b" };
	struct ctp_snapshot *s = ctp_snapshot_new();
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cgs); i++) {
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		free(t->cgroup);
		t->cgroup = ctp_xstrdup(cgs[i]);
	}
	ctp_snapshot_cgroups_of_threads(s);
	ok(s->ncgroups == 3 && !strcmp(s->cgroups[0].path, "/a") && !strcmp(s->cgroups[1].path, "/b") &&
		   !strcmp(s->cgroups[2].path, "/z") && s->cgroups[2].cpu.max_period_us == 100000,
	   "thread cgroups: distinct, non-empty, sorted, wire defaults");
	ctp_snapshot_free(s);
}

int main(void)
{
	test_cgroups_of_threads();
	test_duplicates_last_wins();
	test_duplicate_field_refused();
	test_big_descending();
	return test_done();
}
