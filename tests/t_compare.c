/* t_compare.c — the compare engine end to end: ktstr default order, --sort-by parsing and group
 * ranking, filter and limit, singleton revert over the union, cgroup flatten/normalize, the all
 * axis key, per-thread drill-down matched by (tid, start), per-tid group deltas, rate mode; then
 * the golden test: the cmp-a / cmp-b fixture snapshots through ctp_batch_compare/show (text
 * and JSON) must equal the files in tests/golden. CTP_REGEN=1 rewrites the snapshots and goldens. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the report printers (ui/report/) are linked into this test: see the Makefile */
#include "report/batch.h"
#include "cmp_fixture.h"
#include "snapshot/snapfile.h"
#include "tap.h"

static struct ctp_compare_opts opts(enum ctp_axis a)
{
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.axis = a;
	return o;
}

static void default_order(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	fx_thread(b, 1, 1, "big", "big", "/")->run_time_ns = 100;
	fx_thread(l, 1, 1, "big", "big", "/")->run_time_ns = 1000;
	fx_thread(b, 2, 2, "small", "small", "/")->run_time_ns = 1000;
	fx_thread(l, 2, 2, "small", "small", "/")->run_time_ns = 1100;
	struct ctp_compare_opts o = opts(CTP_AXIS_PCOMM);
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	check_str(t->rows[0].key, "big");
	check_str(t->rows[1].key, "small");
	struct ctp_flat *fl;
	size_t n = ctp_table_flat(t, CTP_CSEC_PRIMARY, &fl);
	check_int(n, ==, 2 * 87);
	check_str(t->rows[fl[0].row].key, "big");
	check_str(ctp_cmetric(fl[0].metric)->name, "run_time_ns");
	check_str(t->rows[fl[1].row].key, "small");
	check_str(ctp_cmetric(fl[1].metric)->name, "run_time_ns");
	/* then zero-score rows: group key asc, then registry order */
	check_str(t->rows[fl[2].row].key, "big");
	check_str(ctp_cmetric(fl[2].metric)->name, "thread_count");
	/* Mode rows sink to the end (-inf) */
	check_str(ctp_cmetric(fl[n - 1].metric)->name, "hiwater_vm_bytes"); /* absent and Mode rows: -inf */
	check_str(t->rows[fl[n - 1].row].key, "small");
	free(fl);
	check_str(fx_pct(fx_row(t, "big"), "run_time_ns"), "+900.0%");
	/* colours: header cyan, delta up yellow, |pct| > 50% bold, uptime green */
	char *txt = NULL;
	size_t tl = 0;
	FILE *mf = open_memstream(&txt, &tl);
	struct ctp_batch_style st = { .color = true, .limit = 1 };
	ctp_batch_print_table(mf, t, false, &st);
	fclose(mf);
	ok(strstr(txt, "\033[36mpcomm\033[0m") != NULL, "cyan header");
	ok(strstr(txt, "\033[33m+900ns\033[0m") != NULL, "yellow delta");
	ok(strstr(txt, "\033[1m\033[33m+900.0%\033[0m") != NULL, "bold yellow pct");
	ok(strstr(txt, "\033[32m100%\033[0m") != NULL, "green uptime");
	free(txt);
	ctp_table_free(t);

	/* zero-baseline change (x1e9) outranks every percent row */
	fx_thread(b, 3, 3, "zb", "zb", "/")->wait_sum = 0;
	fx_thread(l, 3, 3, "zb", "zb", "/")->wait_sum = 100;
	t = ctp_compare(b, l, &o, &err);
	check_str(t->rows[0].key, "zb");
	n = ctp_table_flat(t, CTP_CSEC_PRIMARY, &fl);
	check_str(ctp_cmetric(fl[0].metric)->name, "wait_sum");
	free(fl);

	/* --sort-by ranks groups by delta; none sinks both ways */
	check_int(ctp_sort_parse("run_time_ns:ASC", &o.sort, &err), ==, 0);
	ctp_table_resort(t, &o.sort, NULL, 0, &err);
	check_str(t->rows[0].key, "zb"); /* delta 0 < 100 < 900 */
	check_str(t->rows[1].key, "small");
	check_int(ctp_sort_parse(" run_time_ns : desc ,wait_sum", &o.sort, &err), ==, 0);
	check_int(o.sort.n, ==, 2);
	ctp_table_resort(t, &o.sort, NULL, 0, &err);
	check_str(t->rows[0].key, "big");
	check_str(t->rows[2].key, "zb");
	n = ctp_table_flat(t, CTP_CSEC_PRIMARY, &fl);
	check_str(t->rows[fl[0].row].key, "big");
	check_str(ctp_cmetric(fl[0].metric)->name, "thread_count"); /* (group rank, registry order) */
	free(fl);
	/* filter (regex on labels) and limit */
	ctp_table_resort(t, NULL, "^sm", 0, &err);
	check_int(t->nview, ==, 1);
	check_str(t->rows[t->view[0]].key, "small");
	ctp_table_resort(t, NULL, "b", 1, &err);
	check_int(t->nview, ==, 1);
	check_str(t->rows[t->view[0]].key, "big");
	check_int(ctp_table_resort(t, NULL, "(", 0, &err), ==, -1);
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void sort_parse_errors(void)
{
	static const struct {
		const char *spec;
		int rc;
		const char *msg;
	} c[] = {
		{ "", 0, NULL },
		{ "run_time_ns", 0, NULL },
		{ "avg_wait_ns:Desc,nice:asc,cpu_affinity", 0, NULL },
		{ "  ", -1, "empty entry" },
		{ "run_time_ns,", -1, "empty entry" },
		{ "nope", -1, "unknown metric 'nope'; use the bare metric name, one of: affine_success_ratio, allocated_bytes, " },
		{ "Run_time_ns", -1, "unknown metric 'Run_time_ns' (did you mean run_time_ns?); use the bare metric name, one of: " },
		{ "policy", -1, "metric 'policy' is categorical and cannot be sorted" },
		{ "state:asc", -1, "metric 'state' is categorical and cannot be sorted" },
		{ "wait_sum,wait_sum:asc", -1, "duplicate metric 'wait_sum'" },
		{ "wait_sum:up", -1, "invalid direction 'up' in 'wait_sum:up' (asc or desc)" },
		{ ":", -1, "invalid direction '' in ':' (asc or desc)" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(c); i++) {
		struct ctp_sort s = { 0 };
		struct ctp_err err = { 0 };
		check_int(ctp_sort_parse(c[i].spec, &s, &err), ==, c[i].rc);
		if (c[i].msg && !strncmp(c[i].msg, "unknown metric", 14)) /* then the sorted list of names */
			ok(!strncmp(err.msg, c[i].msg, strlen(c[i].msg)), "%s: %.120s", c[i].spec, err.msg);
		else if (c[i].msg)
			check_str(err.msg, c[i].msg);
	}
	enum ctp_axis a;
	check_int(ctp_axis_parse("comm-exact", &a, NULL), ==, 0);
	check_int(a, ==, CTP_AXIS_COMM_EXACT);
	check_int(ctp_axis_parse("Comm", &a, NULL), ==, -1);
}

static void singleton_revert(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	fx_thread(b, 7, 7, "worker-7", "worker-7", "/");
	fx_thread(b, 9, 9, "solo-5", "solo-5", "/");
	fx_thread(b, 11, 11, "main", "main", "/");
	fx_thread(l, 11, 11, "main", "main", "/");
	for (uint32_t i = 0; i < 3; i++) {
		char nm[16];
		snprintf(nm, sizeof(nm), "worker-%u", i);
		fx_thread(l, 20 + i, 20 + i, nm, nm, "/")->run_time_ns = 10;
	}
	struct ctp_compare_opts o = opts(CTP_AXIS_PCOMM);
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	check_int(t->nrows, ==, 3);
	const struct ctp_row *w = fx_row(t, "worker-{N}");
	ok(w && w->status == CTP_ROW_MATCHED, "worker-7 and worker-0..2 join under worker-{N}");
	check_str(fx_delta(w, "thread_count"), "+2");
	check_str(fx_delta(w, "run_time_ns"), "+30ns");
	ok(fx_row(t, "solo-5") && fx_row(t, "solo-5")->status == CTP_ROW_GONE, "singleton keeps its literal name");
	ok(fx_row(t, "main") && fx_row(t, "main")->status == CTP_ROW_MATCHED, "main matched");

	/* per-thread drill-down: (tid, start) join, then by name: tid 21 restarted (new start) pairs
	 * with its old self by comm, worker-0 (tid 20) with worker-7 (tid 7) by pattern */
	fx_thread(b, 21, 21, "worker-1", "worker-1", "/")->run_time_ns = 4;
	b->threads[b->nthreads - 1].start_time_clock_ticks = 1;
	fx_thread(b, 22, 22, "worker-2", "worker-2", "/")->run_time_ns = 3;
	ctp_table_free(t);
	t = ctp_compare_threads(b, l, "worker-{N}", 10, &o, &err);
	ok(t && t->threads, "thread table");
	check_int(t->nrows, ==, 3);
	check_str(t->rows[0].key, "20");
	check_int(t->rows[0].status, ==, CTP_ROW_MATCHED);
	check_int(t->rows[0].base_tid, ==, 7);
	check_str(fx_delta(&t->rows[0], "run_time_ns"), "+10ns");
	check_int(t->rows[1].tid, ==, 21);
	check_int(t->rows[1].status, ==, CTP_ROW_MATCHED); /* the old incarnation (start 1) by comm */
	check_int(t->rows[1].base_tid, ==, 0);
	/* a new incarnation was born after the base: it counts from 0, not 10 - 4 */
	check_str(fx_delta(&t->rows[1], "run_time_ns"), "+10ns");
	check_int(t->rows[2].status, ==, CTP_ROW_MATCHED);
	check_str(fx_delta(&t->rows[2], "run_time_ns"), "+7ns");
	check_str(t->rows[2].label, "worker-2");
	ctp_table_free(t);

	/* show (absolute) counts one snapshot; --no-thread-normalize keeps literals */
	t = ctp_compare(NULL, l, &o, &err);
	ok(fx_row(t, "worker-{N}") != NULL, "show groups worker-{N}");
	ctp_table_free(t);
	o.no_thread_normalize = true;
	t = ctp_compare(b, l, &o, &err);
	ok(fx_row(t, "worker-0") && !fx_row(t, "worker-{N}"), "literal names without normalization");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void cgroup_and_all(void)
{
	struct ctp_snapshot *l = ctp_snapshot_new();
	fx_thread(l, 1, 1, "kubelet", "kubelet", "/kubepods/pod-abc-123/workload");
	fx_thread(l, 2, 2, "sh", "sh", "/user.slice/user-0.slice/user@0.service/boot.scope");
	fx_thread(l, 3, 3, "pg", "pg-9", "/system.slice/pg.service");
	static const char *const flat[] = { "/kubepods/*/workload", "[", NULL };
	struct ctp_compare_opts o = opts(CTP_AXIS_CGROUP);
	o.flatten = flat;
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(NULL, l, &o, &err);
	ok(fx_row(t, "/kubepods/*/workload") != NULL, "flatten glob replaces the whole path");
	ok(fx_row(t, "/user.slice/user-{N}.slice/user@{I}.service/boot.scope") != NULL, "cgroup layers 1+2");
	ctp_table_free(t);
	o.no_cg_normalize = true;
	t = ctp_compare(NULL, l, &o, &err);
	ok(fx_row(t, "/user.slice/user-0.slice/user@0.service/boot.scope") != NULL, "--no-cg-normalize");
	ctp_table_free(t);
	o = opts(CTP_AXIS_ALL);
	t = ctp_compare(NULL, l, &o, &err);
	static const char k[] = "/system.slice/pg.service\0pg\0pg-{N}";
	const struct ctp_row *r = ctp_table_find(t, k, sizeof(k) - 1);
	ok(r != NULL, "all-axis key cg NUL pcomm NUL comm (no singleton revert)");
	if (r) {
		check_str(r->label, "/system.slice/pg.service | pg | pg-{N}");
		check_str(r->part[0], "/system.slice/pg.service");
		check_str(r->part[1], "pg");
		check_str(r->part[2], "pg-{N}");
	}
	check_str(ctp_axis_header(CTP_AXIS_COMM), "comm-pattern");
	ctp_table_free(t);
	ctp_snapshot_free(l);
}

static void tid_and_rate(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	struct ctp_thread *t;
	t = fx_thread(b, 1, 1, "svc", "svc", "/");
	t->run_time_ns = 1000, t->wait_max = 10;
	t->wait_time_ns = 100, t->wait_sum = 1000, t->wait_count = 10;
	fx_thread(b, 2, 1, "svc", "svc", "/")->run_time_ns = 5000;
	t = fx_thread(l, 1, 1, "svc", "svc", "/");
	t->run_time_ns = 1500, t->wait_max = 30;
	t->wait_time_ns = 400, t->wait_sum = 4000, t->wait_count = 20;
	fx_thread(l, 3, 1, "svc", "svc", "/")->run_time_ns = 200;
	b->captured_at_unix_ns = 1000000000ull;
	l->captured_at_unix_ns = 3000000000ull;
	struct ctp_compare_opts o = opts(CTP_AXIS_PCOMM);
	struct ctp_err err = { 0 };
	struct ctp_table *tb = ctp_compare(b, l, &o, &err);
	check_str(fx_delta(fx_row(tb, "svc"), "run_time_ns"), "-4.300\xc2\xb5s"); /* ktstr: aggregate diff */
	ctp_table_free(tb);
	o.tid_deltas = true;
	tb = ctp_compare(b, l, &o, &err);
	const struct ctp_row *r = fx_row(tb, "svc");
	check_str(fx_delta(r, "run_time_ns"), "+700ns"); /* 500 (matched) + 200 (born) */
	check_int(r->born, ==, 1);
	check_int(r->exited, ==, 1);
	check_str(fx_delta(r, "wait_max"), "+20ns"); /* peaks stay live - base */
	ctp_table_free(tb);
	o.mode = CTP_DELTA_RATE; /* elapsed from the snapshots: 2 s */
	tb = ctp_compare(b, l, &o, &err);
	r = fx_row(tb, "svc");
	ok(tb->elapsed_s == 2.0, "elapsed 2s");
	ok(fx_cell(r, "run_time_ns")->delta == 350, "rate 700ns / 2s");
	ok(fx_cell(r, "wait_max")->delta == 20, "gauge not divided");
	ok(fx_cell(r, "thread_count")->delta == 0, "thread_count not divided");
	/* derived without window values: the lifetime ratios' difference, as in baseline mode */
	check_str(fx_delta(r, "cpu_efficiency"), "-0.174");
	ctp_table_free(tb);
	/* window values: base 6000 / (6000 + 100); live Δrun 700, Δwait 300 -> 0.700; Δwait_sum
	 * 3000 / Δwait_count 10 = 300ns against the base's 100ns */
	o.window_derived = true;
	tb = ctp_compare(b, l, &o, &err);
	r = fx_row(tb, "svc");
	check_str(fx_val(r, "cpu_efficiency", 0), "0.984");
	check_str(fx_val(r, "cpu_efficiency", 1), "0.700");
	check_str(fx_delta(r, "cpu_efficiency"), "-0.284");
	check_str(fx_val(r, "avg_wait_ns", 1), "300.00ns");
	check_str(fx_delta(r, "avg_wait_ns"), "+200.00ns");
	check_str(fx_pct(r, "avg_wait_ns"), "+200.0%");
	ctp_table_free(tb);
	o.window_derived = false;
	o.tid_deltas = false;
	o.elapsed_s = 4;
	tb = ctp_compare(b, l, &o, &err);
	ok(fx_cell(fx_row(tb, "svc"), "run_time_ns")->delta == -1075, "rate over given elapsed");
	ctp_table_free(tb);
	l->captured_at_unix_ns = 0;
	o.elapsed_s = 0;
	ok(ctp_compare(b, l, &o, &err) == NULL, "rate mode without elapsed time fails");
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

static void fudging(void)
{
	static const char *const types[] = { "alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa" };
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	uint32_t tid = 1;
	for (size_t i = 0; i < 10; i++) {
		fx_thread(b, tid, 1, "p", types[i], "/kubepods/pod-aaa/c")->run_time_ns = 10;
		fx_thread(l, tid + 1000, 1001, "p", types[i], "/kubepods/pod-bbb/c")->run_time_ns = 15;
		tid++;
	}
	fx_thread(l, 2000, 1001, "p", "extra", "/kubepods/pod-bbb/c");
	fx_thread(b, 3000, 3000, "p", "side", "/kubepods/pod-aaa/side")->run_time_ns = 1;
	fx_thread(l, 3001, 3001, "p", "side", "/kubepods/pod-bbb/side")->run_time_ns = 4;
	fx_thread(b, 4000, 4000, "init", "init", "/");
	fx_thread(l, 4000, 4000, "init", "init", "/");
	struct ctp_compare_opts o = opts(CTP_AXIS_ALL);
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	check_int(t->nfudges, ==, 1);
	if (t->nfudges) {
		const struct ctp_fudge *f = &t->fudges[0];
		check_str(f->base_prefix, "/kubepods/pod-aaa/c");
		check_str(f->cand_prefix, "/kubepods/pod-bbb/c");
		check_str(f->base_root, "/kubepods/pod-aaa");
		check_str(f->cand_root, "/kubepods/pod-bbb");
		check_int(f->overlap, ==, 10);
		ok(f->jaccard == 10.0 / 11.0, "jaccard 10/11");
		check_int(f->joined, ==, 11);
		check_int(f->cascaded, ==, 1);
		check_str(f->resid_base, "");
		check_str(f->resid_cand, "p:extra");
	}
	static const char k[] = "/kubepods/pod-aaa/c\0p\0gamma";
	const struct ctp_row *r = ctp_table_find(t, k, sizeof(k) - 1);
	ok(r && r->fudged && r->status == CTP_ROW_MATCHED, "fudged row matched");
	if (r) {
		check_str(r->label, "[fudged: c] /kubepods/pod-aaa/c | p | gamma");
		check_str(fx_delta(r, "run_time_ns"), "+5ns");
	}
	static const char k2[] = "/kubepods/pod-aaa/side\0p\0side";
	r = ctp_table_find(t, k2, sizeof(k2) - 1);
	ok(r && r->fudged, "cascaded row");
	if (r)
		check_str(fx_delta(r, "run_time_ns"), "+3ns");
	static const char k3[] = "/kubepods/pod-bbb/c\0p\0extra";
	r = ctp_table_find(t, k3, sizeof(k3) - 1);
	ok(r && r->status == CTP_ROW_NEW, "unmatched type stays an orphan");
	check_int(t->nrows, ==, 13); /* 10 + side + init + extra */
	char *txt = NULL;
	size_t tl = 0;
	FILE *mf = open_memstream(&txt, &tl);
	struct ctp_batch_style st = { 0 };
	check_int(ctp_batch_print_table(mf, t, false, &st), ==, 0);
	fclose(mf);
	ok(strstr(txt, "\n## Fudged cgroup matches (1 pair(s))\n  baseline:  /kubepods/pod-aaa/c\n"
			"  candidate: /kubepods/pod-bbb/c\n"
			"  cascade roots: baseline=/kubepods/pod-aaa candidate=/kubepods/pod-bbb\n"
			"  overlap: 10 thread types, Jaccard: 90.9%, cascaded children: 1\n"
			"  residual (candidate only): p:extra\n") != NULL,
	   "fudged pairs section");
	ok(strstr(txt, "      [fudged: c] gamma ") != NULL, "tree row keeps the fudged marker");
	ok(strstr(txt, "1 group(s) only in candidate:\n  /kubepods/pod-bbb/c | p | extra\n") != NULL, "orphan listed");
	free(txt);
	ctp_table_free(t);
	/* below 10 shared types: no pairing */
	for (size_t i = 5; i < b->nthreads; i++) /* drop types 5..9 and the rest from the baseline */
		ctp_thread_release(&b->threads[i]);
	b->nthreads = 5;
	t = ctp_compare(b, l, &o, &err);
	check_int(t->nfudges, ==, 0);
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

/* ------------------------------------------------------------- golden ---- */
static struct ctp_snapshot *fixture(int side)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	struct ctp_thread *t;
	s->captured_at_unix_ns = side ? 1700000060000000000ull : 1700000000000000000ull;
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	s->host->kernel_release = ctp_xstrdup(side ? "6.18.1" : "6.18.0");
	s->host->online_cpus = (struct ctp_opt_u64){ true, 8 };
	s->psi.cpu.some = (struct ctp_psi_half){ 120, 80, 40, side ? 900000 : 500000 };
	/* postgres: leader + workers; worker count grows */
	for (uint32_t i = 0; i < (side ? 4u : 3u); i++) {
		char comm[16];
		snprintf(comm, sizeof(comm), i ? "pg-worker-%u" : "postgres", i);
		t = fx_thread(s, 100 + i, 100, "postgres", comm, "/system.slice/postgresql@14.service");
		t->run_time_ns = (side ? 3000000 : 1000000) * (uint64_t)(i + 1);
		t->wait_time_ns = (side ? 400000 : 100000) * (uint64_t)(i + 1);
		t->timeslices = 10 * (i + 1) * (side ? 3u : 1u);
		t->wait_sum = t->wait_time_ns;
		t->wait_count = t->timeslices;
		t->voluntary_csw = 100 + i + (side ? 50u : 0u);
		t->nonvoluntary_csw = 5 + (side ? 20u : 0u);
		t->utime_clock_ticks = 22 + (side ? 195u : 0u);
		t->rchar = 1u << 20, t->read_bytes = side ? 3u << 20 : 1u << 19;
		t->nice = i ? 0 : -5;
		t->processor = (int32_t)(side ? 43 : 9);
		t->taskstats_measured = t->cpu_delay_active = t->delay_block_active = t->xacct_active = true;
		t->cpu_delay_count = 4, t->cpu_delay_total_ns = side ? 9000 : 4000;
		t->hiwater_rss_bytes = side ? 300u << 20 : 200u << 20;
		if (!i) {
			t->nr_threads = side ? 4 : 3;
			ctp_kvmap_set(&t->smaps_rollup_kib, "Rss", side ? 409600 : 204800);
			ctp_kvmap_set(&t->smaps_rollup_kib, "Pss", 100000);
		}
	}
	/* a tokio pool whose thread names are truncated at 15 bytes */
	for (uint32_t i = 0; i < 2; i++) {
		t = fx_thread(s, 200 + i, 200, "api", "tokio-runtime-w", "/user.slice/user-1000.slice/session-3.scope");
		t->run_time_ns = side ? 77000 : 70000;
		t->state = side && i ? 'R' : 'S';
		t->jemalloc_measured = true;
		t->allocated_bytes = side ? 5u << 20 : 1u << 20;
		t->deallocated_bytes = side ? 4u << 20 : 1u << 19;
	}
	/* orphans */
	t = fx_thread(s, side ? 301 : 300, side ? 301 : 300, side ? "cron" : "backup",
		      side ? "cron" : "backup", "/system.slice/cron.service");
	t->run_time_ns = 12345;
	t->nr_threads = 1;
	/* cgroup stats: two service instances that normalize to one key */
	for (int k = 0; k < 2; k++) {
		struct ctp_cgroup_stats *c = ctp_snapshot_cgroup(s, k ? "/system.slice/postgresql@15.service" : "/system.slice/postgresql@14.service");
		c->cpu.usage_usec = side ? 5000000 : 2000000;
		c->cpu.nr_throttled = side ? 3 : 0;
		c->cpu.max_quota_us = (struct ctp_opt_u64){ !side, 50000 };
		c->cpu.max_period_us = 100000;
		c->cpu.weight = (struct ctp_opt_u64){ true, 100 };
		c->memory.current = side ? 64u << 20 : 32u << 20;
		c->memory.max = (struct ctp_opt_u64){ side, 1u << 30 };
		c->pids.current = (struct ctp_opt_u64){ true, 4 };
		c->psi.memory.some = (struct ctp_psi_half){ side ? 250 : 0, 0, 0, side ? 12000 : 0 };
		ctp_kvmap_set(&c->memory.stat, "anon", side ? 40u << 20 : 20u << 20);
		ctp_kvmap_set(&c->memory.stat, "file", 1u << 20);
		ctp_kvmap_set(&c->memory.events, "oom", side ? 1 : 0);
	}
	/* a name with an escape byte, shown escaped */
	t = fx_thread(s, 400, 400, "evil\x1b[2J", "evil\x1b[2J", "/");
	t->run_time_ns = side ? 2 : 1;
	return s;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct ctp_buf b = CTP_BUF_INIT;
	char tmp[4096];
	size_t k;
	if (!f)
		return NULL;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		ctp_buf_add(&b, tmp, k);
	fclose(f);
	return ctp_buf_detach(&b, n);
}

/* runs fn with stdout (fd 1) and stderr (fd 2) sent to files; returns the exit code */
static int capture(int (*fn)(const struct ctp_options *), const struct ctp_options *o, char **out, char **errout)
{
	char p1[] = "/tmp/ctp-cmp-outXXXXXX", p2[] = "/tmp/ctp-cmp-errXXXXXX";
	int f1 = mkstemp(p1), f2 = mkstemp(p2);
	fflush(stdout);
	fflush(stderr);
	int s1 = dup(1), s2 = dup(2);
	dup2(f1, 1);
	dup2(f2, 2);
	int rc = fn(o);
	fflush(stdout);
	fflush(stderr);
	dup2(s1, 1);
	dup2(s2, 2);
	close(s1), close(s2), close(f1), close(f2);
	*out = slurp(p1, NULL);
	*errout = slurp(p2, NULL);
	unlink(p1);
	unlink(p2);
	return rc;
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fputs(data, f);
		fclose(f);
	}
}

static void golden_one(const char *src, const char *name, int (*fn)(const struct ctp_options *),
		       const struct ctp_options *o, bool regen)
{
	char path[4096], *out, *errs;
	int rc = capture(fn, o, &out, &errs);
	check_int(rc, ==, 0);
	if (errs && *errs)
		diag("stderr: %s", errs);
	snprintf(path, sizeof(path), "%s/tests/golden/%s", src, name);
	if (regen)
		write_file(path, out);
	char *want = slurp(path, NULL);
	ok(want && out && !strcmp(want, out), "golden %s", name);
	if (want && out && strcmp(want, out))
		diag("diff -u %s <(CTP_REGEN=1 ...) differs", path);
	free(want);
	free(out);
	free(errs);
}

static void golden(void)
{
	const char *src = getenv("CTP_SRCDIR") ? getenv("CTP_SRCDIR") : ".";
	bool regen = getenv("CTP_REGEN") && *getenv("CTP_REGEN");
	char pa[4096], pb[4096];
	/* relative paths: the orphan lists name the files as given */
	if (chdir(src) < 0)
		diag("cannot chdir to %s", src);
	src = ".";
	snprintf(pa, sizeof(pa), "tests/snapshots/cmp-a.ctprof.zst");
	snprintf(pb, sizeof(pb), "tests/snapshots/cmp-b.ctprof.zst");
	setenv("NO_COLOR", "1", 1);
	setenv("LC_ALL", "C", 1);
	setenv("TZ", "UTC", 1);
	struct ctp_snapshot *gen[2] = { fixture(0), fixture(1) };
	struct ctp_err err = { 0 };
	if (regen) {
		check_int(ctp_snapfile_save(pa, gen[0], NULL, &err), ==, 0);
		check_int(ctp_snapfile_save(pb, gen[1], NULL, &err), ==, 0);
	}
	/* the checked-in files still hold what the generator makes */
	for (int s = 0; s < 2; s++) {
		struct ctp_snapshot *ld = NULL;
		if (ctp_snapfile_load(s ? pb : pa, &ld, &err) < 0) {
			char m[600];
			skip("cannot load fixture: %s", ctp_err_str(&err, m, sizeof(m)));
			continue;
		}
		struct ctp_buf x = CTP_BUF_INIT, y = CTP_BUF_INIT;
		ctp_snapshot_to_json(ld, &x);
		ctp_snapshot_to_json(gen[s], &y);
		ok(x.len == y.len && !memcmp(x.buf, y.buf, x.len), "fixture %c matches its generator", 'a' + s);
		ctp_buf_release(&x);
		ctp_buf_release(&y);
		ctp_snapshot_free(ld);
	}
	ctp_snapshot_free(gen[0]);
	ctp_snapshot_free(gen[1]);

	struct ctp_options o = { .mode = CTP_MODE_COMPARE, .compare_a = pa, .compare_b = pb, .limit = 40,
				 .group_by = "pcomm" };
	golden_one(src, "compare-pcomm.txt", ctp_batch_compare, &o, regen);
	o.json = true;
	golden_one(src, "compare-pcomm.jsonl", ctp_batch_compare, &o, regen);
	o.json = false;
	o.group_by = "comm";
	o.sort_by = "run_time_ns,wait_sum:asc";
	o.limit = 0;
	golden_one(src, "compare-comm-sorted.txt", ctp_batch_compare, &o, regen);
	o.group_by = "cgroup";
	o.sort_by = NULL;
	o.limit = 12;
	golden_one(src, "compare-cgroup.txt", ctp_batch_compare, &o, regen);
	o.group_by = "all";
	o.limit = 25;
	golden_one(src, "compare-all.txt", ctp_batch_compare, &o, regen);
	o.group_by = "cgroup";
	o.json = true;
	golden_one(src, "compare-cgroup.jsonl", ctp_batch_compare, &o, regen);
	o.json = false;
	struct ctp_options so = { .mode = CTP_MODE_SHOW, .show = pa, .limit = 30, .group_by = "pcomm" };
	golden_one(src, "show-pcomm.txt", ctp_batch_show, &so, regen);

	/* bad input: exit 2 with one line on stderr; option errors before I/O */
	char *out, *errs;
	struct ctp_options bad = { .compare_a = "/nonexistent.ctprof.zst", .compare_b = pb };
	check_int(capture(ctp_batch_compare, &bad, &out, &errs), ==, 2);
	ok(errs && strstr(errs, "/nonexistent.ctprof.zst") && strchr(errs, '\n') == errs + strlen(errs) - 1,
	   "one stderr line naming the file: %s", errs ? errs : "");
	check_str(out, "");
	free(out), free(errs);
	bad.compare_a = pa;
	bad.sort_by = "policy";
	check_int(capture(ctp_batch_compare, &bad, &out, &errs), ==, 2);
	check_str(errs, "--sort-by: metric 'policy' is categorical and cannot be sorted\n");
	free(out), free(errs);
}

int main(void)
{
	default_order();
	sort_parse_errors();
	singleton_revert();
	cgroup_and_all();
	tid_and_rate();
	fudging();
	golden();
	return test_done();
}
