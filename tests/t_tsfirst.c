/* t_tsfirst.c — issue 14 items 2, 3: a partial plan takes the light fields from taskstats and the
 * slow-fact cache (snapshot/tscover.h): on a stopped child every field so served equals a full
 * procfs capture right after, while the files it needs no more stay unread; on a fixture tree
 * the slow facts are copied between reads and re-read on the CTP_SLOW_FACTS_EVERY-th refresh. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/taskstats.h"
#include "compare/compare.h"
#include "snapshot/model.h"
#include "snapshot/registry.h"
#include "snapshot/tscover.h"
#include "fixture_util.h"
#include "tap.h"

#define SRC(x) (1u << CTP_SOURCE_##x)
#define LIGHT(x) CTP_PLAN_LIGHT(CTP_SOURCE_##x)

static char srcdir[4096];

static struct ctp_snapshot *cap(struct ctp_capture *c, uint32_t plan)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	ctp_capture_set_plan(c, plan);
	if (ctp_capture_run(c, &s, &err) < 0) {
		char buf[600];
		diag("capture failed: %s", ctp_err_str(&err, buf, sizeof(buf)));
	}
	return s;
}

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; s && i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

static bool field_read(uint32_t read, size_t f)
{
	return !ctp_source_off(~read, ctp_fields[f].source, ctp_field_light(f));
}

/* the fields the partial side read equal the full side's (ticks within one) */
static size_t agree(const struct ctp_snapshot *part, const struct ctp_snapshot *full, size_t *nchecked)
{
	size_t bad = 0;
	for (size_t i = 0; i < part->nthreads; i++) {
		const struct ctp_thread *p = &part->threads[i], *f = find(full, p->tid);
		if (!f) {
			bad++;
			continue;
		}
		for (size_t k = 0; k < CTP_NFIELDS; k++) {
			const struct ctp_metric *m = &ctp_fields[k];
			if (!field_read(part->sources_read, k))
				continue;
			bool same;
			if (m->kind == CTP_KIND_STR) {
				const char *x = *(char *const *)((const char *)p + m->offset);
				const char *y = *(char *const *)((const char *)f + m->offset);
				same = !strcmp(x ? x : "", y ? y : "");
			} else if (m->kind == CTP_KIND_CPUSET || m->kind == CTP_KIND_KVMAP) {
				continue;
			} else {
				uint64_t u = ctp_field_u64(p, m), v = ctp_field_u64(f, m), d = u > v ? u - v : v - u;
				same = d <= (m->unit == CTP_UNIT_TICKS ? 1 : 0);
			}
			(*nchecked)++;
			if (!same && bad++ < 8)
				diag("tid %u: %s differs (taskstats-first vs procfs)", p->tid, m->name);
		}
	}
	return bad;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static pid_t stopped_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t th;
		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, idle_thread, NULL);
		for (volatile unsigned long i = 0; i < 20000000UL; i++) /* some CPU time and faults */
			;
		for (;;)
			pause();
	}
	if (pid < 0)
		return -1;
	usleep(300000);
	int ws;
	kill(pid, SIGSTOP);
	if (waitpid(pid, &ws, WUNTRACED) != pid || !WIFSTOPPED(ws)) {
		kill(pid, SIGKILL);
		waitpid(pid, &ws, 0);
		return -1;
	}
	return pid;
}

static bool taskstats_works(pid_t pid)
{
	struct ctp_err err = { 0 };
	struct ctp_taskstats *ts = ctp_taskstats_open(&err);
	if (!ts)
		return false;
	uint32_t tid = (uint32_t)pid;
	struct ctp_taskstats_result r;
	ctp_taskstats_query(ts, &tid, 1, &r);
	ctp_taskstats_close(ts);
	return r.err == 0;
}

/* the live view's sched set on the thread axis: light stat, comm, status, schedstat */
/* the sockets this process holds: their count, the inode text of the last one in *last */
static int sockets_held(char *last, size_t len)
{
	int n = 0;
	char path[64], link[64];
	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		ssize_t k = readlink(path, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = 0;
		if (!strncmp(link, "socket:[", 8)) {
			n++;
			snprintf(last, len, "%s", link);
		}
	}
	return n;
}

static void test_live_agreement(void)
{
	pid_t pid = stopped_child();
	if (pid < 0) {
		skip("no stopped child");
		return;
	}
	if (!taskstats_works(pid)) {
		skip("taskstats unavailable here (needs root or CAP_NET_ADMIN)");
	} else {
		static const char *const names[] = { "run_time_ns", "wait_time_ns", "voluntary_csw", "nonvoluntary_csw",
						     "minflt", "majflt", "nice", "cpu_affinity" };
		int m[8];
		for (int i = 0; i < 8; i++)
			m[i] = ctp_cmetric_find(names[i]);
		uint32_t plan = ctp_plan_sources(m, 8, CTP_AXIS_CGROUP);
		ok(!(plan & (SRC(STAT) | SRC(STATUS) | SRC(COMM) | SRC(CGROUP))) &&
			   (plan & LIGHT(STAT)) && (plan & LIGHT(STATUS)) && (plan & LIGHT(CGROUP)),
		   "the plan asks only light fields of stat, status, comm and cgroup (%#x)", plan);
		struct ctp_capture_opts o = { .pid = pid, .no_probe = true, .no_host = true };
		struct ctp_capture *c = ctp_capture_new(&o);
		char sk1[64] = "", sk2[64] = "";
		struct ctp_snapshot *s0 = cap(c, CTP_PLAN_FULL), *s1 = cap(c, plan);
		int n1 = sockets_held(sk1, sizeof(sk1));
		struct ctp_snapshot *s2 = cap(c, plan);
		int n2 = sockets_held(sk2, sizeof(sk2));
		ok(n1 == 1 && n2 == 1 && !strcmp(sk1, sk2),
		   "one taskstats socket kept between captures (%d %s, then %d %s)", n1, sk1, n2, sk2);
		ok(ctp_capture_status(c)->taskstats, "the status says taskstats works under a light plan");
		struct ctp_snapshot *full = cap(c, CTP_PLAN_FULL);
		ctp_capture_free(c);
		check_int(sockets_held(sk2, sizeof(sk2)), ==, 0);
		if (ok(s2 && full && s2->nthreads == 4 && full->nthreads == 4, "four threads in both captures")) {
			size_t n = 0;
			check_int(agree(s2, full, &n), ==, 0);
			ok(n >= 4 * 12, "taskstats-first fields checked: %zu", n);
			check_int(agree(s1, full, &n), ==, 0);
			const struct ctp_thread *t = find(s2, (uint32_t)pid), *f = find(full, (uint32_t)pid);
			/* served without their files: stat's processor and status's state stay unread */
			check_int(t->state, ==, '~');
			check_int(f->state, ==, 'T');
			check_u64(t->minflt, ==, f->minflt);
			ok(f->minflt > 0, "the child faulted (%llu)", (unsigned long long)f->minflt);
			check_u64(t->voluntary_csw, ==, f->voluntary_csw);
			check_u64(t->start_time_clock_ticks, ==, f->start_time_clock_ticks);
			check_str(t->comm, f->comm);
			check_str(t->cgroup, f->cgroup);
			check_str(t->policy, f->policy);
			ok(t->cpu_affinity.n == f->cpu_affinity.n && t->cpu_affinity.n > 0, "affinity from the cache");
			check_u64(t->run_time_ns, ==, f->run_time_ns);
			check_u64(t->timeslices, ==, f->timeslices);
		}
		ctp_snapshot_free(s0);
		ctp_snapshot_free(s1);
		ctp_snapshot_free(s2);
		ctp_snapshot_free(full);
	}
	int ws;
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char *cgroup_tid(const struct ctp_snapshot *s, uint32_t tid)
{
	const struct ctp_thread *t = find(s, tid);
	return t && t->cgroup ? t->cgroup : "(none)";
}

static const char *cgroup_of(const struct ctp_snapshot *s)
{
	const struct ctp_thread *t = find(s, 200);
	return t && t->cgroup ? t->cgroup : "(none)";
}

/* slow facts on a fixture tree (no taskstats): the cgroup path is read when the thread is first
 * seen, copied for the next nine refreshes, re-read on the tenth; another start time under the
 * tid (a new thread) reads it at once */
static void test_slow_facts(void)
{
	char dir[] = "/tmp/ctp-tsfirst-XXXXXX", cmd[4300], tree[4200], cg[4200], st[4200];
	const char *why;
	snprintf(tree, sizeof(tree), "%s/tests/fixtures/proc-full", srcdir);
	if (fx_copy_tree(tree, dir, "", &why) < 0) {
		skip("%s", why);
		return;
	}
	snprintf(cg, sizeof(cg), "%s/200/task/200/cgroup", dir);
	snprintf(st, sizeof(st), "%s/200/task/200/stat", dir);
	struct ctp_capture_opts o = { .proc_root = dir, .pid = 200, .no_probe = true, .no_taskstats = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	uint32_t plan = SRC(PROC_TASK) | SRC(COMM) | SRC(STAT) | LIGHT(CGROUP);
	struct ctp_snapshot *s = cap(c, plan);
	check_str(cgroup_of(s), "/user.slice/demo.service");
	ctp_snapshot_free(s);
	write_file(cg, "0::/moved.slice\n");
	char cg201[4200];
	snprintf(cg201, sizeof(cg201), "%s/200/task/201/cgroup", dir);
	write_file(cg201, "0::/moved201.slice\n");
	size_t copied = 0;
	int moved201 = 0;
	for (int i = 2; i < CTP_SLOW_FACTS_EVERY + 1; i++) {
		s = cap(c, plan);
		copied += !strcmp(cgroup_of(s), "/user.slice/demo.service");
		if (!moved201 && !strcmp(cgroup_tid(s, 201), "/moved201.slice"))
			moved201 = i;
		ctp_snapshot_free(s);
	}
	check_int(copied, ==, CTP_SLOW_FACTS_EVERY - 1);
	/* tid 201, first seen with 200, is re-read one refresh sooner (tid % 10): spread, not together */
	check_int(moved201, ==, CTP_SLOW_FACTS_EVERY);
	s = cap(c, plan);
	check_str(cgroup_of(s), "/moved.slice");
	ctp_snapshot_free(s);
	write_file(cg, "0::/again.slice\n");
	s = cap(c, plan);
	check_str(cgroup_of(s), "/moved.slice"); /* copied */
	ctp_snapshot_free(s);
	write_file(st, "200 (proc (with) parens) R 1 2 3 4 5 6 7777 0 8888 0 10 11 12 13 14 -10 1 0 666666 100 101 102 103 "
		       "104 105 106 107 108 109 110 111 112 113 114 115 1700 1800 0 0 0 0\n");
	s = cap(c, plan);
	check_str(cgroup_of(s), "/again.slice"); /* another start: a new thread, its facts read */
	const struct ctp_thread *t = find(s, 200);
	check_u64(t ? t->start_time_clock_ticks : 0, ==, 666666);
	ctp_snapshot_free(s);
	/* a full plan reads everything fresh */
	write_file(cg, "0::/full.slice\n");
	s = cap(c, CTP_PLAN_FULL);
	check_str(cgroup_of(s), "/full.slice");
	ctp_snapshot_free(s);
	ctp_capture_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove %s", dir);
}

/* the cache keeps its entries when it grows: 300 threads seen in one refresh are not all
 * "first seen" again in the next (each would read its stat and cgroup files every refresh) —
 * after a change of every cgroup file the next refresh copies the cached path for all but the
 * threads whose staggered re-read falls on it (tid % 10 == 9) */
static void test_cache_survives_growth(void)
{
	char dir[] = "/tmp/ctp-tsfirst-XXXXXX", cmd[8600], tree[4200], path[4300];
	const char *why;
	snprintf(tree, sizeof(tree), "%s/tests/fixtures/proc-full", srcdir);
	if (fx_copy_tree(tree, dir, "", &why) < 0) {
		skip("%s", why);
		return;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s/200/task' && for t in $(seq 3000 3299); do cp -r 200 $t && "
		 "sed -i \"s/^200 /$t /\" $t/stat; done", dir);
	if (system(cmd) != 0) {
		skip("cannot make the thread dirs");
		return;
	}
	struct ctp_capture_opts o = { .proc_root = dir, .pid = 200, .no_probe = true, .no_taskstats = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	uint32_t plan = SRC(PROC_TASK) | SRC(COMM) | SRC(STAT) | LIGHT(CGROUP);
	ctp_snapshot_free(cap(c, plan));
	for (uint32_t t = 3000; t < 3300; t++) {
		snprintf(path, sizeof(path), "%s/200/task/%u/cgroup", dir, t);
		write_file(path, "0::/moved.slice\n");
	}
	struct ctp_snapshot *s = cap(c, plan);
	size_t reread = 0, due = 0;
	for (uint32_t t = 3000; t < 3300; t++) {
		reread += !strcmp(cgroup_tid(s, t), "/moved.slice");
		due += t % CTP_SLOW_FACTS_EVERY == CTP_SLOW_FACTS_EVERY - 1;
	}
	check_int(reread, ==, due);
	ctp_snapshot_free(s);
	ctp_capture_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove %s", dir);
}

/* a kernel thread (kthreadd, pid 2): taskstats has not its /proc name, the leader's comm is
 * taken from the process's comm file read for pcomm — the same name a full capture reads — and
 * from the slow-fact cache between re-reads, with its one thread not listed again */
static void test_kthread_comm(void)
{
	struct ctp_capture_opts o = { .pid = 2, .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	uint32_t plan = SRC(PROC_TASK) | LIGHT(COMM) | LIGHT(STAT) | LIGHT(SCHEDSTAT) | LIGHT(STATUS);
	/* s2 reads the name and keeps it, s3 takes it from the cache and lists no task dir */
	struct ctp_snapshot *full = cap(c, CTP_PLAN_FULL), *s1 = cap(c, plan), *s2 = cap(c, plan), *s3 = cap(c, plan);
	const struct ctp_thread *f = full ? find(full, 2) : NULL, *t = s2 ? find(s2, 2) : NULL;
	const struct ctp_thread *t3 = s3 ? find(s3, 2) : NULL;
	if (!f || !t || !t3) {
		skip("no kthreadd (pid 2) here");
	} else {
		check_str(t->comm, f->comm);
		check_str(t->pcomm, f->pcomm);
		check_str(t3->comm, f->comm);
		check_str(t3->pcomm, f->pcomm);
		check_int(s3->nthreads, ==, 1);
		check_str(f->comm, "kthreadd");
	}
	ctp_snapshot_free(full);
	ctp_snapshot_free(s1);
	ctp_snapshot_free(s2);
	ctp_snapshot_free(s3);
	ctp_capture_free(c);
}

/* the mapping table: what taskstats covers and what a light plan bit means for '-' */
static void test_table(void)
{
	ok(ctp_field_taskstats(CTP_F_voluntary_csw) && ctp_field_taskstats(CTP_F_run_time_ns) &&
		   ctp_field_taskstats(CTP_F_comm) && ctp_field_taskstats(CTP_F_minflt),
	   "taskstats covers csw, run time, comm, faults");
	ok(!ctp_field_taskstats(CTP_F_utime_clock_ticks) && !ctp_field_taskstats(CTP_F_rchar) &&
		   !ctp_field_taskstats(CTP_F_state) && !ctp_field_taskstats(CTP_F_processor),
	   "not utime (adjusted in stat), io (KiB-masked), state, processor");
	ok(ctp_field_slow(CTP_F_cgroup) && ctp_field_slow(CTP_F_policy) && ctp_field_slow(CTP_F_start_time_clock_ticks) &&
		   ctp_field_slow(CTP_F_cpu_affinity) && !ctp_field_slow(CTP_F_minflt),
	   "slow facts");
	uint32_t read = SRC(PROC_TASK) | LIGHT(STATUS);
	ok(field_read(read, CTP_F_voluntary_csw) && !field_read(read, CTP_F_state), "light status: csw read, state '-'");
	ok(field_read(SRC(STATUS), CTP_F_state) && field_read(SRC(STATUS), CTP_F_voluntary_csw), "status: all read");
	ok(field_read(CTP_PLAN_FULL, CTP_F_state), "full: all read");
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	snprintf(srcdir, sizeof(srcdir), "%s", src ? src : ".");
	test_table();
	test_slow_facts();
	test_cache_survives_growth();
	test_kthread_comm();
	test_live_agreement();
	return test_done();
}
