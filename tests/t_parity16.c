/* t_parity16.c — ktstr parity round two (issue 16), ported from ktstr's compare tests as our own
 * cases: --sort-by errors, the smaps_rollup order, u64 sums and rename re-key, the limits and
 * sched_ext rules. With --emit DIR it writes the fixture snapshots tests/parity16.sh runs the
 * binary on (many groups for the --limit default, u64 values above 2^53). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_fixture.h"
#include "snapshot/snapfile.h"
#include "tap.h"

/* the rows of one section, "group|name|base|live" (numbers as %.0f, text as is, '-' absent) */
static char *rows_of(const struct ctp_sections *s, const char *section)
{
	struct ctp_buf b = CTP_BUF_INIT;
	for (size_t i = 0; i < s->n; i++) {
		const struct ctp_srow *r = &s->v[i];
		if (strcmp(r->section, section))
			continue;
		ctp_buf_addf(&b, "%s|%s|", r->group, r->name);
		for (int side = 0; side < 2; side++) {
			bool ok = side ? r->live_ok : r->base_ok;
			const char *txt = side ? r->live_text : r->base_text;
			if (txt)
				ctp_buf_adds(&b, txt);
			else if (ok)
				ctp_buf_addf(&b, "%.0f", side ? r->live : r->base);
			else
				ctp_buf_addch(&b, '-');
			ctp_buf_addch(&b, side ? '\n' : '|');
		}
	}
	if (!b.len)
		ctp_buf_adds(&b, "");
	return ctp_buf_detach(&b, NULL);
}

static char *section_rows(const struct ctp_snapshot *a, const struct ctp_snapshot *b, enum ctp_axis axis,
			  const char *section)
{
	struct ctp_compare_opts o;
	struct ctp_sections s;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.axis = axis;
	if (ctp_sections_build(a, b, &o, true, &s, &err) < 0)
		return ctp_xstrdup("error");
	char *txt = rows_of(&s, section);
	ctp_sections_release(&s);
	return txt;
}

/* ktstr parse_sort_by: unknown names list every valid one sorted (derived included); ":" and
 * "m:" are invalid directions, checked before the name */
static void sort_by_errors(void)
{
	struct ctp_sort s = { 0 };
	struct ctp_err err = { 0 };
	check_int(ctp_sort_parse("not_a_real_metric", &s, &err), ==, -1);
	const char *list = strstr(err.msg, "one of: ");
	ok(list != NULL, "unknown metric lists the valid names: %.80s", err.msg);
	ok(!strncmp(err.msg, "unknown metric 'not_a_real_metric'", 34), "names the metric");
	if (list) {
		list += 8;
		ok(strstr(list, "avg_wait_ns") && strstr(list, "run_time_ns") && strstr(list, "total_offcpu_delay_ns"),
		   "primary and derived names listed");
		ok(!strstr(list, "policy") && !strstr(list, "ext_enabled"), "categorical names are not valid keys");
		/* sorted: every ", " separated name is after the previous one */
		char *dup = ctp_xstrdup(list), *save = NULL, *prev = NULL;
		bool sorted = true;
		size_t n = 0;
		for (char *t = strtok_r(dup, ", ", &save); t; t = strtok_r(NULL, ", ", &save), n++) {
			if (prev && strcmp(prev, t) >= 0)
				sorted = false;
			prev = t;
		}
		ok(sorted && n > 90, "%zu names in byte order", n);
		free(dup);
	}
	check_int(ctp_sort_parse(":", &s, &err), ==, -1);
	check_str(err.msg, "invalid direction '' in ':' (asc or desc)");
	check_int(ctp_sort_parse("wait_sum:", &s, &err), ==, -1);
	check_str(err.msg, "invalid direction '' in 'wait_sum:' (asc or desc)");
	check_int(ctp_sort_parse("wait_sum:sideways", &s, &err), ==, -1);
	check_str(err.msg, "invalid direction 'sideways' in 'wait_sum:sideways' (asc or desc)");
	check_int(ctp_sort_parse("nope:sideways", &s, &err), ==, -1);
	ok(!strncmp(err.msg, "invalid direction", 17), "the direction is checked before the name");
	check_int(ctp_sort_parse(" wait_sum : DESC ", &s, &err), ==, 0);
}

static void leader(struct ctp_snapshot *s, uint32_t tgid, const char *pcomm, const char *cg, uint64_t rss_kib,
		   uint64_t pss_kib)
{
	struct ctp_thread *t = fx_thread(s, tgid, tgid, pcomm, pcomm, cg);
	ctp_kvmap_set(&t->smaps_rollup_kib, "Rss", rss_kib);
	ctp_kvmap_set(&t->smaps_rollup_kib, "Pss", pss_kib);
}

/* ktstr smaps.rs: processes by |ΔRss| desc, then the larger Rss, then key; fields by name */
static void smaps_order(void)
{
	struct ctp_snapshot *a = ctp_snapshot_new(), *b = ctp_snapshot_new();
	leader(a, 10, "alpha", "/", 100, 1), leader(b, 10, "alpha", "/", 100, 2);       /* Δ0 */
	leader(a, 20, "bravo", "/", 100, 1), leader(b, 20, "bravo", "/", 500, 1);       /* Δ400, max 500 */
	leader(a, 30, "charlie", "/", 1000, 1), leader(b, 30, "charlie", "/", 700, 1);  /* Δ300 */
	leader(a, 40, "delta", "/", 50, 1), leader(b, 40, "delta", "/", 450, 1);        /* Δ400, max 450 */
	leader(a, 50, "echo", "/", 7, 1), leader(b, 50, "echo", "/", 7, 1);             /* no change */
	char *got = section_rows(a, b, CTP_AXIS_PCOMM, "smaps-rollup");
	check_str(got, "bravo|Rss|102400|512000\n"
		       "delta|Rss|51200|460800\n"
		       "charlie|Rss|1024000|716800\n"
		       "alpha|Pss|1024|2048\n");
	free(got);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

/* ktstr: u64 sums saturate (never a double); values above 2^53 stay exact */
static void smaps_u64(void)
{
	struct ctp_snapshot *a = ctp_snapshot_new(), *b = ctp_snapshot_new();
	uint64_t big = 1ull << 53; /* kB: 2^63 bytes; two of them pass u64::MAX */
	leader(a, 10, "w-1", "/", big, 8796093022209ull), leader(a, 11, "w-2", "/", big, 0);
	leader(b, 10, "w-1", "/", 1, 8796093022210ull), leader(b, 11, "w-2", "/", 1, 0);
	struct ctp_compare_opts o;
	struct ctp_sections s;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	check_int(ctp_sections_build(a, b, &o, true, &s, &err), ==, 0);
	const struct ctp_srow *rss = NULL, *pss = NULL;
	for (size_t i = 0; i < s.n; i++) {
		if (!strcmp(s.v[i].section, "smaps-rollup") && !strcmp(s.v[i].name, "Rss"))
			rss = &s.v[i];
		if (!strcmp(s.v[i].section, "smaps-rollup") && !strcmp(s.v[i].name, "Pss"))
			pss = &s.v[i];
	}
	ok(rss && rss->exact && rss->base_u == UINT64_MAX && rss->live_u == 2048,
	   "w-{N} Rss: 2^63 + 2^63 bytes saturate at u64::MAX, 2 KiB on the other side");
	ok(pss && pss->exact && pss->base_u == 9007199254742016ull && pss->live_u == 9007199254743040ull,
	   "Pss above 2^53 exact in u64 (%llu)", pss ? (unsigned long long)pss->base_u : 0ull);
	ctp_sections_release(&s);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

/* a cgroup of n thread types (pcomm p, comm t0..) with a leader holding Rss */
static void pod(struct ctp_snapshot *s, const char *cg, uint64_t rss_kib)
{
	static const char *const comms[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
					     "golf", "hotel", "india", "juliet", "kilo", "lima" };
	for (uint32_t i = 0; i < CTP_ARRAY_SIZE(comms); i++) {
		struct ctp_thread *t = fx_thread(s, 500 + i, 500, "app", i ? comms[i] : "app", cg);
		t->run_time_ns = 1000 * (i + 1);
		if (!i)
			ctp_kvmap_set(&t->smaps_rollup_kib, "Rss", rss_kib);
	}
}

/* ktstr: under -g all a cgroup rename joined by the fudge re-keys the candidate's smaps rows to
 * the baseline's name: one row with both sides, no candidate-only row */
static void smaps_rename_rekey(void)
{
	struct ctp_snapshot *a = ctp_snapshot_new(), *b = ctp_snapshot_new();
	pod(a, "/kubepods/pod-aaa/c", 100);
	pod(b, "/kubepods/pod-bbb/c", 300);
	char *got = section_rows(a, b, CTP_AXIS_ALL, "smaps-rollup");
	check_str(got, "/kubepods/pod-aaa/c/app|Rss|102400|307200\n");
	free(got);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

/* ktstr write_limits_table: a cgroup with caps is listed even unchanged; one without caps gets
 * no rows (no "max → -") */
static void limits_rules(void)
{
	struct ctp_snapshot *a = ctp_snapshot_new(), *b = ctp_snapshot_new();
	for (int s = 0; s < 2; s++) {
		struct ctp_snapshot *x = s ? b : a;
		fx_thread(x, 1, 1, "capped", "capped", "/capped");
		struct ctp_cgroup_stats *c = ctp_snapshot_cgroup(x, "/capped");
		c->memory.max = (struct ctp_opt_u64){ true, 1u << 30 };
		c->cpu.usage_usec = s ? 20 : 10;
	}
	fx_thread(a, 2, 2, "free", "free", "/free");
	ctp_snapshot_cgroup(a, "/free")->cpu.usage_usec = 5; /* no caps, gone in b */
	char *got = section_rows(a, b, CTP_AXIS_CGROUP, "cgroup-limits");
	ok(strstr(got, "/capped|memory.max|1.000GiB|1.000GiB\n") != NULL, "unchanged caps listed:\n%s", got);
	ok(!strstr(got, "/free"), "a cgroup without caps has no limits rows");
	free(got);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

static struct ctp_sched_ext *scx(const char *state, uint64_t rejected, uint64_t enable_seq)
{
	struct ctp_sched_ext *x = ctp_xcalloc(1, sizeof(*x));
	x->state = ctp_xstrdup(state);
	x->switch_all = 1;
	x->nr_rejected = rejected;
	x->hotplug_seq = 3;
	x->enable_seq = enable_seq;
	return x;
}

/* ktstr sched_ext.rs: every row once anything differs (or a side is missing); none when equal */
static void sched_ext_rows(void)
{
	struct ctp_snapshot *a = ctp_snapshot_new(), *b = ctp_snapshot_new();
	a->sched_ext = scx("enabled", 100, 1);
	b->sched_ext = scx("enabled", 100, 2);
	char *got = section_rows(a, b, CTP_AXIS_PCOMM, "sched-ext");
	check_str(got, "|state|enabled|enabled\n|switch_all|1|1\n|nr_rejected|100|100\n|hotplug_seq|3|3\n"
		       "|enable_seq|1|2\n");
	free(got);
	b->sched_ext->enable_seq = 1;
	got = section_rows(a, b, CTP_AXIS_PCOMM, "sched-ext");
	check_str(got, "");
	free(got);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
}

/* --emit DIR: big-a/big-b (12 processes: the primary table passes 500 lines), u64-a/u64-b,
 * pipe-a/pipe-b and kube-a/kube-b (ktstr's tests/ctprof_compare.rs fixtures) */
static int emit(const char *dir)
{
	static const char *const names[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
					     "golf", "hotel", "india", "juliet", "kilo", "lima" };
	struct ctp_err err = { 0 };
	char path[4096];
	int rc = 0;
	for (int s = 0; s < 2; s++) {
		struct ctp_snapshot *x = ctp_snapshot_new();
		x->captured_at_unix_ns = 1700000000000000000ull + (uint64_t)s * 60000000000ull;
		for (uint32_t i = 0; i < CTP_ARRAY_SIZE(names); i++)
			fx_thread(x, 100 + i, 100 + i, names[i], names[i], "/")->run_time_ns = 1000 * (i + 1) * (s + 1u);
		snprintf(path, sizeof(path), "%s/big-%c.ctprof.zst", dir, 'a' + s);
		rc |= ctp_snapfile_save(path, x, NULL, &err);
		ctp_snapshot_free(x);
		x = ctp_snapshot_new();
		struct ctp_thread *t = fx_thread(x, 10, 10, "big", "big", "/");
		ctp_kvmap_set(&t->smaps_rollup_kib, "Pss", s ? 8796093022210ull : 8796093022209ull);
		t->run_time_ns = (1ull << 60) + 1 + (uint64_t)s; /* a counter above 2^53 */
		snprintf(path, sizeof(path), "%s/u64-%c.ctprof.zst", dir, 'a' + s);
		rc |= ctp_snapfile_save(path, x, NULL, &err);
		ctp_snapshot_free(x);
	}
	for (int s = 0; s < 2; s++) { /* ktstr full_pipeline_with_disk_roundtrip */
		struct ctp_snapshot *x = ctp_snapshot_new();
		struct ctp_thread *t = fx_thread(x, 10, 10, "integration_proc", "worker", "/");
		t->run_time_ns = s ? 3500000 : 1000000;
		t->voluntary_csw = s ? 40 : 10;
		t->nr_wakeups = s ? 350 : 100;
		snprintf(path, sizeof(path), "%s/pipe-%c.ctprof.zst", dir, 'a' + s);
		rc |= ctp_snapfile_save(path, x, NULL, &err);
		ctp_snapshot_free(x);
	}
	for (int s = 0; s < 2; s++) { /* ktstr cgroup_flatten_joins_pods_with_different_ids */
		struct ctp_snapshot *x = ctp_snapshot_new();
		const char *cg = s ? "/kubepods/burstable/pod-BBB/container" : "/kubepods/burstable/pod-AAA/container";
		fx_thread(x, 10, 10, "app", "worker", cg)->run_time_ns = s ? 4000 : 1000;
		struct ctp_cgroup_stats *c = ctp_snapshot_cgroup(x, cg);
		c->cpu.usage_usec = s ? 400 : 100;
		c->memory.current = s ? 2u << 20 : 1u << 20;
		snprintf(path, sizeof(path), "%s/kube-%c.ctprof.zst", dir, 'a' + s);
		rc |= ctp_snapfile_save(path, x, NULL, &err);
		ctp_snapshot_free(x);
	}
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--emit"))
		return emit(argv[2]);
	sort_by_errors();
	smaps_order();
	smaps_u64();
	smaps_rename_rekey();
	limits_rules();
	sched_ext_rows();
	return test_done();
}
