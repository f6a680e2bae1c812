/* t_plan.c — issue 14's refresh plan: ctp_plan_sources of column sets (the default sched set reads
 * exactly the task dir, comm, stat, schedstat and status), a capture that follows a plan equals a
 * full capture on every planned field of every fixture thread and leaves the rest at defaults, its
 * summaries name no unread file, a compare of a partial live side shows '-' for what it did not
 * read, smaps_rollup is re-read at most every 10 s per process, and a stopped child agrees. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/capture.h"
#include "cmp_fixture.h"
#include "snapshot/model.h"
#include "snapshot/registry.h"
#include "snapshot/tscover.h"
#include "fixture_util.h"
#include "tap.h"

#define SRC(x) (1u << CTP_SOURCE_##x)
#define BASE (SRC(PROC_TASK) | SRC(COMM) | SRC(STAT))
#define LIGHT(x) CTP_PLAN_LIGHT(CTP_SOURCE_##x)
/* what ctp_plan_sources always asks: the task dir, the names and the start time (light fields) */
#define LBASE (SRC(PROC_TASK) | LIGHT(COMM) | LIGHT(STAT))

static char srcdir[4096], cg_full[4096];

/* the live view's default column set (ui/cli/colsets.c set_sched) */
static const char *const sched_set[] = { "run_time_ns",   "wait_time_ns",     "cpu_efficiency",  "thread_cpu_share",
					 "voluntary_csw", "nonvoluntary_csw", "thread_vcsw_rate" };

static uint32_t plan_of(const char *const *names, size_t n, enum ctp_axis axis)
{
	int m[16];
	for (size_t i = 0; i < n; i++)
		m[i] = ctp_cmetric_find(names[i]);
	return ctp_plan_sources(m, n, axis);
}

static uint32_t plan1(const char *name, enum ctp_axis axis)
{
	return plan_of(&name, 1, axis);
}

static void test_plan_sources(void)
{
	uint32_t sched = LBASE | LIGHT(SCHEDSTAT) | LIGHT(STATUS); /* light: taskstats serves them */
	check_u64(plan_of(sched_set, 7, CTP_AXIS_PCOMM), ==, sched);
	check_u64(plan_of(sched_set, 7, CTP_AXIS_COMM), ==, sched);
	check_u64(plan_of(sched_set, 7, CTP_AXIS_CGROUP), ==, sched | LIGHT(CGROUP));
	check_u64(plan_of(sched_set, 7, CTP_AXIS_ALL), ==, sched | LIGHT(CGROUP));
	check_u64(plan_of(NULL, 0, CTP_AXIS_PCOMM), ==, LBASE);
	check_u64(plan1("thread_count", CTP_AXIS_PCOMM), ==, LBASE);
	check_u64(plan1("nr_wakeups", CTP_AXIS_PCOMM), ==, LBASE | SRC(SCHED));
	check_u64(plan1("avg_wait_ns", CTP_AXIS_PCOMM), ==, LBASE | SRC(SCHED));
	check_u64(plan1("disk_io_fraction", CTP_AXIS_PCOMM), ==, LBASE | SRC(IO));
	check_u64(plan1("cpu_affinity", CTP_AXIS_PCOMM), ==, LBASE | LIGHT(AFFINITY));
	check_u64(plan1("hiwater_rss_bytes", CTP_AXIS_PCOMM), ==, LBASE | SRC(TASKSTATS));
	check_u64(plan1("total_offcpu_delay_ns", CTP_AXIS_PCOMM), ==, LBASE | SRC(TASKSTATS));
	check_u64(plan1("live_heap_estimate", CTP_AXIS_PCOMM), ==, LBASE | SRC(PROBE));
	check_u64(plan1("state", CTP_AXIS_PCOMM), ==, LBASE | SRC(STATUS));
	check_u64(plan1("nice", CTP_AXIS_PCOMM), ==, LBASE);
	check_u64(plan1("ext_enabled", CTP_AXIS_CGROUP), ==, LBASE | SRC(SCHED) | LIGHT(CGROUP));
	int bad[2] = { -1, 100000 };
	check_u64(ctp_plan_sources(bad, 2, CTP_AXIS_PCOMM), ==, LBASE);
	/* every compare metric's plan holds the source of its registry field */
	size_t n = ctp_cmetric_count(), bad_n = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ctp_cmetric *c = ctp_cmetric(i);
		int mi = (int)i;
		if (c->field >= 0 && !(ctp_plan_sources(&mi, 1, CTP_AXIS_PCOMM) & ctp_field_plan_bit((size_t)c->field)))
			bad_n++;
	}
	check_int(bad_n, ==, 0);
}

static struct ctp_snapshot *cap(struct ctp_capture *c)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (ctp_capture_run(c, &s, &err) < 0) {
		char buf[600];
		diag("capture failed: %s", ctp_err_str(&err, buf, sizeof(buf)));
	}
	return s;
}

static struct ctp_capture *new_ctx(const char *proc, pid_t pid)
{
	struct ctp_capture_opts o = { .proc_root = proc, .cgroup_root = cg_full, .pid = pid, .no_probe = true,
				      .no_taskstats = pid == 0, .no_host = true };
	return ctp_capture_new(&o);
}

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; s && i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

/* one field of two threads equal; ticks may differ by slack */
static bool field_eq(const struct ctp_thread *a, const struct ctp_thread *b, const struct ctp_metric *m, uint64_t slack)
{
	const char *pa = (const char *)a + m->offset, *pb = (const char *)b + m->offset;
	switch (m->kind) {
	case CTP_KIND_STR: {
		const char *x = *(char *const *)pa, *y = *(char *const *)pb;
		return !strcmp(x ? x : "", y ? y : "");
	}
	case CTP_KIND_CPUSET: {
		const struct ctp_cpuset *x = (const void *)pa, *y = (const void *)pb;
		return x->n == y->n && (!x->n || !memcmp(x->cpus, y->cpus, x->n * sizeof(*x->cpus)));
	}
	case CTP_KIND_KVMAP: {
		const struct ctp_kvmap *x = (const void *)pa, *y = (const void *)pb;
		if (x->n != y->n)
			return false;
		for (size_t i = 0; i < x->n; i++)
			if (strcmp(x->v[i].key, y->v[i].key) || x->v[i].val != y->v[i].val)
				return false;
		return true;
	}
	default: {
		uint64_t u = ctp_field_u64(a, m), v = ctp_field_u64(b, m);
		uint64_t d = u > v ? u - v : v - u;
		return d <= (m->unit == CTP_UNIT_TICKS ? slack : 0);
	}
	}
}

/* planned fields as the full capture, the others at their defaults (pcomm is always read);
 * returns the number of mismatches, naming the first few */
static size_t compare_threads(const struct ctp_snapshot *part, const struct ctp_snapshot *full, uint32_t plan,
			      uint64_t slack)
{
	struct ctp_thread def;
	ctp_thread_init(&def);
	size_t bad = 0;
	for (size_t i = 0; i < part->nthreads; i++) {
		const struct ctp_thread *p = &part->threads[i], *f = find(full, p->tid);
		if (!f) {
			diag("tid %u not in the full capture", p->tid);
			bad++;
			continue;
		}
		for (size_t k = 0; k < CTP_NFIELDS; k++) {
			const struct ctp_metric *m = &ctp_fields[k];
			bool planned = !ctp_source_off(~plan, m->source, ctp_field_light(k)),
			     ident = k == CTP_F_tid || k == CTP_F_tgid || k == CTP_F_pcomm;
			if (field_eq(p, planned || ident ? f : &def, m, slack))
				continue;
			/* a light plan may read the whole file (no taskstats, a slow fact due) */
			if ((plan & CTP_PLAN_LIGHT(m->source)) && field_eq(p, f, m, slack))
				continue;
			if (bad++ < 8)
				diag("plan %#x tid %u: %s %s", plan, p->tid, m->name, planned ? "differs from full" : "not default");
		}
	}
	ctp_thread_release(&def);
	return bad;
}

/* no read failure is claimed for a file the plan did not read; planned files as the full one */
static size_t compare_failures(const struct ctp_snapshot *part, const struct ctp_snapshot *full, uint32_t plan)
{
	static const struct {
		const char *tok;
		enum ctp_source src;
	} files[] = { { "cgroup", CTP_SOURCE_CGROUP }, { "stat", CTP_SOURCE_STAT },   { "schedstat", CTP_SOURCE_SCHEDSTAT },
		      { "io", CTP_SOURCE_IO },         { "status", CTP_SOURCE_STATUS }, { "sched", CTP_SOURCE_SCHED },
		      { "smaps_rollup", CTP_SOURCE_SMAPS } };
	size_t bad = 0;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(files); i++) {
		uint64_t a = 0, b = 0;
		ctp_kvmap_get(&part->parse_summary->read_failures_by_file, files[i].tok, &a);
		ctp_kvmap_get(&full->parse_summary->read_failures_by_file, files[i].tok, &b);
		/* a light plan reads the file when taskstats cannot serve (none on fixture trees) */
		uint64_t want = (plan & ((1u << files[i].src) | CTP_PLAN_LIGHT(files[i].src))) ? b : 0;
		if (a != want) {
			diag("plan %#x: %s failures %llu, want %llu", plan, files[i].tok, (unsigned long long)a,
			     (unsigned long long)want);
			bad++;
		}
	}
	return bad;
}

static void test_fixture(const char *tree)
{
	char proc[4200];
	snprintf(proc, sizeof(proc), "%s/tests/fixtures/%s", srcdir, tree);
	struct ctp_capture *fc = new_ctx(proc, 0);
	struct ctp_snapshot *full = cap(fc);
	ctp_capture_free(fc);
	if (!ok(full && full->nthreads > 0, "%s: full capture", tree))
		return;
	check_u64(full->sources_read, ==, CTP_PLAN_FULL);
	uint32_t plans[CTP_SOURCE_PROBE + 4];
	size_t np = 0;
	for (int src = 0; src <= CTP_SOURCE_PROBE; src++)
		plans[np++] = BASE | (1u << src);
	plans[np++] = plan_of(sched_set, 7, CTP_AXIS_PCOMM);
	plans[np++] = SRC(PROC_TASK) | SRC(COMM) | SRC(IO); /* no stat */
	plans[np++] = SRC(PROC_TASK) | SRC(COMM) | SRC(STAT) | SRC(SMAPS) | SRC(AFFINITY);
	for (size_t i = 0; i < np; i++) {
		struct ctp_capture *c = new_ctx(proc, 0);
		ctp_capture_set_plan(c, plans[i]);
		size_t bad = 0;
		/* twice: the second capture reads through kept fds */
		for (int run = 0; run < 2; run++) {
			struct ctp_snapshot *s = cap(c);
			if (!s) {
				bad++;
				continue;
			}
			bool stat = plans[i] & SRC(STAT);
			if (s->sources_read != plans[i] || (stat && s->nthreads != full->nthreads))
				bad++;
			bad += compare_threads(s, full, plans[i], 0) + compare_failures(s, full, plans[i]);
			ctp_snapshot_free(s);
		}
		ok(bad == 0, "%s: plan %#x equals the full capture on its sources, defaults elsewhere", tree, plans[i]);
		ctp_capture_free(c);
	}
	ctp_snapshot_free(full);
}

/* a partial live side against a full base: what the plan did not read is '-', never 0 */
static void test_compare_partial(void)
{
	char proc[4200];
	snprintf(proc, sizeof(proc), "%s/tests/fixtures/proc-full", srcdir);
	struct ctp_capture *c = new_ctx(proc, 0);
	struct ctp_snapshot *base = cap(c);
	ctp_capture_set_plan(c, plan_of(sched_set, 7, CTP_AXIS_PCOMM));
	struct ctp_snapshot *live = cap(c);
	ctp_capture_free(c);
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	struct ctp_table *t = base && live ? ctp_compare(base, live, &o, &err) : NULL;
	const struct ctp_row *r = t ? fx_row(t, "systemd") : NULL;
	if (!ok(r != NULL, "compare: row systemd")) {
		ctp_table_free(t);
		ctp_snapshot_free(base);
		ctp_snapshot_free(live);
		return;
	}
	check_str(fx_val(r, "run_time_ns", 1), fx_val(r, "run_time_ns", 0));
	check_str(fx_delta(r, "run_time_ns"), "+0ns");
	check_str(fx_val(r, "voluntary_csw", 1), "500");
	check_str(fx_val(r, "cpu_efficiency", 1), fx_val(r, "cpu_efficiency", 0));
	check_str(fx_val(r, "state", 1), "-"); /* status's light fields only: the csw counts */
	check_str(fx_val(r, "policy", 1), "SCHED_OTHER");
	check_str(fx_val(r, "nice", 1), "0");
	check_str(fx_val(r, "nr_threads", 1), "-");
	/* not read: sched, io, affinity, smaps */
	check_str(fx_val(r, "nr_wakeups", 0), "5");
	check_str(fx_val(r, "nr_wakeups", 1), "-");
	check_str(fx_delta(r, "nr_wakeups"), "-");
	check_str(fx_val(r, "nr_migrations", 1), "-");
	check_str(fx_val(r, "rchar", 1), "-");
	check_str(fx_delta(r, "rchar"), "-");
	check_str(fx_val(r, "avg_wait_ns", 1), "-");
	check_str(fx_val(r, "disk_io_fraction", 1), "-");
	check_str(fx_val(r, "ext_enabled", 1), "-");
	check_str(fx_val(r, "cpu_affinity", 0), "2 cpus (0-1)");
	check_str(fx_val(r, "cpu_affinity", 1), "-");
	check_str(fx_val(r, "thread_count", 1), "1");
	ctp_table_free(t);
	ctp_snapshot_free(base);
	ctp_snapshot_free(live);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w"); /* in place: kept fds see the new text */
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char *rss(const struct ctp_snapshot *s, char *buf)
{
	const struct ctp_thread *t = find(s, 200);
	uint64_t v = 0;
	if (!t || !ctp_kvmap_get(&t->smaps_rollup_kib, "Rss", &v))
		return "none";
	snprintf(buf, 32, "%llu", (unsigned long long)v);
	return buf;
}

/* smaps_rollup: read when planned, at most every 10 s per process; a full capture reads it fresh,
 * a process with another start time (a new one under the pid) too */
static void test_smaps_throttle(void)
{
	char dir[] = "/tmp/ctp-plan-XXXXXX", cmd[4300], tree[4200], f[4200], st[4200], b[32];
	const char *why;
	snprintf(tree, sizeof(tree), "%s/tests/fixtures/proc-full", srcdir);
	if (fx_copy_tree(tree, dir, "", &why) < 0) {
		skip("%s", why);
		return;
	}
	snprintf(f, sizeof(f), "%s/200/task/200/smaps_rollup", dir);
	snprintf(st, sizeof(st), "%s/200/task/200/stat", dir);
	struct ctp_capture *c = new_ctx(dir, 0);
	ctp_capture_set_plan(c, BASE | SRC(SMAPS));
	struct ctp_snapshot *s = cap(c);
	check_str(rss(s, b), "2080");
	ctp_snapshot_free(s);
	write_file(f, "Rss: 9999 kB\n");
	s = cap(c);
	check_str(rss(s, b), "2080"); /* read 0 s ago: kept */
	ok(s && s->sources_read == (BASE | SRC(SMAPS)), "throttled smaps still counts as read");
	ctp_snapshot_free(s);
	ctp_capture_set_plan(c, CTP_PLAN_FULL);
	s = cap(c);
	check_str(rss(s, b), "9999"); /* a full capture reads it fresh */
	ctp_snapshot_free(s);
	write_file(f, "Rss: 7777 kB\n");
	ctp_capture_set_plan(c, BASE | SRC(SMAPS));
	s = cap(c);
	check_str(rss(s, b), "9999"); /* the full read refreshed the kept value */
	ctp_snapshot_free(s);
	ctp_capture_set_plan(c, BASE);
	s = cap(c);
	check_str(rss(s, b), "none"); /* not planned: not read */
	ctp_snapshot_free(s);
	/* another process under pid 200 (another start time): read afresh */
	write_file(st, "200 (proc (with) parens) R 1 2 3 4 5 6 7777 0 8888 0 10 11 12 13 14 -10 1 0 999999 100 101 102 "
		       "103 104 105 106 107 108 109 110 111 112 113 114 115 1700 1800 0 0 0 0\n");
	ctp_capture_set_plan(c, BASE | SRC(SMAPS));
	s = cap(c);
	check_str(rss(s, b), "7777");
	ctp_snapshot_free(s);
	ctp_capture_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove %s", dir);
}

/* open fds of this process on a file named name under dir */
static int fds_on(const char *dir, const char *name)
{
	char link[64], target[4200];
	int n = 0;
	for (int fd = 0; fd < 4096; fd++) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t l = readlink(link, target, sizeof(target) - 1);
		if (l <= 0)
			continue;
		target[l] = '\0';
		const char *slash = strrchr(target, '/');
		n += !strncmp(target, dir, strlen(dir)) && slash && !strcmp(slash + 1, name);
	}
	return n;
}

/* kept fds follow the plan: a file out of it is never opened, and its kept fd closes when it leaves */
static void test_fds_follow_plan(void)
{
	char proc[4200], real[4200];
	snprintf(proc, sizeof(proc), "%s/tests/fixtures/proc-full", srcdir);
	if (!realpath(proc, real)) {
		skip("no fixture");
		return;
	}
	struct ctp_capture *c = new_ctx(real, 0);
	for (int i = 0; i < 3; i++)
		ctp_snapshot_free(cap(c)); /* kept fds from the second capture on */
	int sched = fds_on(real, "sched"), io = fds_on(real, "io");
	ok(sched > 0 && io > 0, "full plan: kept fds on sched (%d) and io (%d)", sched, io);
	ctp_capture_set_plan(c, BASE | SRC(IO));
	ctp_snapshot_free(cap(c));
	check_int(fds_on(real, "sched"), ==, 0);
	check_int(fds_on(real, "io"), ==, io);
	check_int(fds_on(real, "schedstat"), ==, 0);
	ctp_capture_free(c);
	c = new_ctx(real, 0);
	ctp_capture_set_plan(c, BASE);
	for (int i = 0; i < 3; i++)
		ctp_snapshot_free(cap(c));
	ok(fds_on(real, "stat") > 0 && fds_on(real, "io") == 0 && fds_on(real, "status") == 0,
	   "plan task/comm/stat: kept fds on stat only");
	ctp_capture_free(c);
}

/* this machine: a plan capture of a stopped child, then a full one, agree on the planned fields */
static void test_live_stopped(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		skip("fork failed");
		return;
	}
	if (pid == 0) {
		for (;;)
			pause();
	}
	int ws;
	kill(pid, SIGSTOP);
	if (waitpid(pid, &ws, WUNTRACED) != pid || !WIFSTOPPED(ws)) {
		skip("child did not stop");
		kill(pid, SIGKILL);
		waitpid(pid, &ws, 0);
		return;
	}
	uint32_t plan = plan_of(sched_set, 7, CTP_AXIS_CGROUP) | SRC(SCHED) | SRC(IO) | SRC(AFFINITY) | SRC(TASKSTATS) |
			SRC(STATUS);
	struct ctp_capture *c = new_ctx("/proc", pid);
	ctp_capture_set_plan(c, plan);
	struct ctp_snapshot *part = cap(c);
	ctp_capture_set_plan(c, CTP_PLAN_FULL);
	struct ctp_snapshot *full = cap(c);
	ctp_capture_free(c);
	const struct ctp_thread *t = find(part, (uint32_t)pid);
	if (ok(t && full && full->nthreads == 1, "live: the stopped child in both captures")) {
		check_int(t->state, ==, 'T');
		check_int(compare_threads(part, full, plan, 1), ==, 0);
		check_u64(part->sources_read, ==, plan);
	}
	ctp_snapshot_free(part);
	ctp_snapshot_free(full);
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	snprintf(srcdir, sizeof(srcdir), "%s", src ? src : ".");
	snprintf(cg_full, sizeof(cg_full), "%s/tests/fixtures/cgroup-full", srcdir);
	test_plan_sources();
	test_fixture("proc-full");
	test_fixture("proc-noschedstat");
	test_fixture("gates-on/proc");
	test_fixture("gates-off/proc");
	test_fixture("gates-noconfig/proc");
	test_compare_partial();
	test_smaps_throttle();
	test_fds_follow_plan();
	test_live_stopped();
	return test_done();
}
