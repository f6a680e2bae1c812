/* t_capture.c — captures the fixture trees tests/fixtures/proc-full, proc-noschedstat and
 * proc-evil and asserts every field of every fixture thread, the ghost filter (vanished dir
 * only: names with invalid UTF-8, newlines or ") (" are kept), (tgid, tid) order, the
 * parse/probe/taskstats summaries, cgroups, PSI, sched_ext, and failure when fds run out. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture/capture.h"
#include "snapshot/model.h"
#include "snapshot/snapfile.h"
#include "fixture_util.h"
#include "tap.h"
#include "base/util.h"

static char proc_full[4096], proc_nosched[4096], proc_evil[4096], sys_full[4096], cg_full[4096], nowhere[4096];

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

static struct ctp_snapshot *run(const char *proc, const char *sys, pid_t pid, struct ctp_capture_status *st)
{
	struct ctp_capture_opts o = { .proc_root = proc, .sys_root = sys, .cgroup_root = cg_full, .pid = pid,
				      .no_probe = true, .no_taskstats = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (ctp_capture_run(c, &s, &err) < 0) {
		char buf[600];
		diag("capture failed: %s", ctp_err_str(&err, buf, sizeof(buf)));
	}
	if (st)
		*st = *ctp_capture_status(c);
	ctp_capture_free(c);
	return s;
}

static void cpus_str(const struct ctp_cpuset *c, char *out, size_t n)
{
	out[0] = '\0';
	size_t off = 0;
	for (size_t i = 0; i < c->n && off < n; i++)
		off += (size_t)snprintf(out + off, n - off, "%s%u", i ? "," : "", c->cpus[i]);
}

static void kv_str(const struct ctp_kvmap *m, char *out, size_t n)
{
	out[0] = '\0';
	size_t off = 0;
	for (size_t i = 0; i < m->n && off < n; i++)
		off += (size_t)snprintf(out + off, n - off, "%s%s=%llu", i ? "," : "", m->v[i].key,
					(unsigned long long)m->v[i].val);
}

/* every taskstats / jemalloc field is zero and every flag false (no taskstats, no probe) */
static void check_unmeasured(const struct ctp_thread *t)
{
	uint64_t sum = t->allocated_bytes | t->deallocated_bytes | t->hiwater_rss_bytes | t->hiwater_vm_bytes |
		       t->cpu_delay_count | t->cpu_delay_total_ns | t->irq_delay_max_ns | t->wpcopy_delay_min_ns |
		       t->blkio_delay_total_ns | t->swapin_delay_count | t->freepages_delay_max_ns |
		       t->thrashing_delay_total_ns | t->compact_delay_count;
	ok(sum == 0 && !t->taskstats_measured && !t->cpu_delay_active && !t->delay_block_active && !t->xacct_active &&
		   !t->jemalloc_measured,
	   "tid %u: taskstats/jemalloc fields zero, flags false", t->tid);
}

#define CPUS(t, want)                                   \
	do {                                            \
		char cs_[256];                          \
		cpus_str(&(t)->cpu_affinity, cs_, sizeof(cs_)); \
		check_str(cs_, want);                   \
	} while (0)
#define SMAPS(t, want)                                      \
	do {                                                \
		char ks_[512];                              \
		kv_str(&(t)->smaps_rollup_kib, ks_, sizeof(ks_)); \
		check_str(ks_, want);                       \
	} while (0)

static void check_t1(const struct ctp_thread *t)
{
	check_str(t->pcomm, "systemd");
	check_str(t->comm, "systemd");
	check_str(t->cgroup, "/init.scope");
	check_u64(t->start_time_clock_ticks, ==, 5);
	check_str(t->policy, "SCHED_OTHER");
	check_int(t->nice, ==, 0);
	CPUS(t, "0,1");
	check_int(t->processor, ==, 0);
	check_int(t->state, ==, 'S');
	check_int(t->ext_enabled, ==, 0);
	check_u64(t->run_time_ns, ==, 123456789);
	check_u64(t->wait_time_ns, ==, 2345678);
	check_u64(t->timeslices, ==, 99);
	check_u64(t->voluntary_csw, ==, 500);
	check_u64(t->nonvoluntary_csw, ==, 20);
	check_u64(t->nr_wakeups, ==, 5);
	check_u64(t->nr_migrations, ==, 4);
	check_u64(t->wait_max, ==, 500);
	check_u64(t->voluntary_sleep_ns, ==, 0); /* block total absent */
	check_u64(t->block_sum, ==, 0);
	check_u64(t->fair_slice_ns, ==, 3000000);
	check_u64(t->minflt, ==, 100);
	check_u64(t->majflt, ==, 2);
	check_u64(t->utime_clock_ticks, ==, 30);
	check_u64(t->stime_clock_ticks, ==, 40);
	check_int(t->priority, ==, 20);
	check_u64(t->rt_priority, ==, 0);
	check_u64(t->nr_threads, ==, 1);
	SMAPS(t, "Anonymous=136,Pss=209,Pss_Dirty=112,Rss=2080,Swap=0");
	check_u64(t->rchar, ==, 1);
	check_u64(t->wchar, ==, 2);
	check_u64(t->syscr, ==, 3);
	check_u64(t->syscw, ==, 4);
	check_u64(t->read_bytes, ==, 5);
	check_u64(t->write_bytes, ==, 6);
	check_u64(t->cancelled_write_bytes, ==, 7);
	check_unmeasured(t);
}

static void check_t200(const struct ctp_thread *t)
{
	check_str(t->pcomm, "proc (with) parens");
	check_str(t->comm, "proc (with) parens");
	check_str(t->cgroup, "/user.slice/demo.service");
	check_u64(t->start_time_clock_ticks, ==, 555555);
	check_str(t->policy, "SCHED_OTHER");
	check_int(t->nice, ==, -10);
	CPUS(t, "0,1,2,3");
	check_int(t->processor, ==, 1700);
	check_int(t->state, ==, 'R');
	check_int(t->ext_enabled, ==, 1);
	check_u64(t->run_time_ns, ==, 1000000);
	check_u64(t->wait_time_ns, ==, 200000);
	check_u64(t->timeslices, ==, 50);
	check_u64(t->voluntary_csw, ==, 42);
	check_u64(t->nonvoluntary_csw, ==, 7);
	check_u64(t->nr_wakeups, ==, 11);
	check_u64(t->nr_wakeups_local, ==, 8);
	check_u64(t->nr_wakeups_remote, ==, 3);
	check_u64(t->nr_wakeups_sync, ==, 2);
	check_u64(t->nr_wakeups_migrate, ==, 1);
	check_u64(t->nr_wakeups_affine, ==, 12);
	check_u64(t->nr_wakeups_affine_attempts, ==, 20);
	check_u64(t->nr_migrations, ==, 9);
	check_u64(t->nr_forced_migrations, ==, 7);
	check_u64(t->nr_failed_migrations_affine, ==, 1);
	check_u64(t->nr_failed_migrations_running, ==, 2);
	check_u64(t->nr_failed_migrations_hot, ==, 3);
	check_u64(t->wait_sum, ==, 5000250000ULL);
	check_u64(t->wait_count, ==, 15);
	check_u64(t->wait_max, ==, 0); /* -5.000000 */
	check_u64(t->voluntary_sleep_ns, ==, 2099750000ULL);
	check_u64(t->sleep_max, ==, 180250000ULL);
	check_u64(t->block_sum, ==, 1100750000ULL);
	check_u64(t->block_max, ==, 60750000ULL);
	check_u64(t->iowait_sum, ==, 77000000ULL);
	check_u64(t->iowait_count, ==, 18);
	check_u64(t->exec_max, ==, 0); /* 0.-000500 */
	check_u64(t->slice_max, ==, 400500000ULL);
	check_u64(t->minflt, ==, 7777);
	check_u64(t->majflt, ==, 8888);
	check_u64(t->utime_clock_ticks, ==, 10);
	check_u64(t->stime_clock_ticks, ==, 11);
	check_int(t->priority, ==, 14);
	check_u64(t->rt_priority, ==, 1800);
	check_u64(t->core_forceidle_sum, ==, 12345678000ULL);
	check_u64(t->fair_slice_ns, ==, 3000000);
	check_u64(t->nr_threads, ==, 6);
	SMAPS(t, "Anonymous=136,Pss=209,Pss_Dirty=112,Rss=2080,Swap=0");
	check_u64(t->rchar, ==, 100);
	check_u64(t->wchar, ==, 200);
	check_u64(t->syscr, ==, 10);
	check_u64(t->syscw, ==, 20);
	check_u64(t->read_bytes, ==, 4096);
	check_u64(t->write_bytes, ==, 8192);
	check_u64(t->cancelled_write_bytes, ==, 512);
	check_unmeasured(t);
}

static void check_t201(const struct ctp_thread *t)
{
	check_str(t->pcomm, "proc (with) parens");
	check_str(t->comm, "a) (b");
	check_str(t->cgroup, "/user.slice/demo.service");
	check_u64(t->start_time_clock_ticks, ==, 555600);
	check_str(t->policy, "SCHED_FIFO");
	check_int(t->nice, ==, 0);
	CPUS(t, "0,1,3");
	check_int(t->processor, ==, 0);
	check_int(t->state, ==, 'S');
	check_int(t->ext_enabled, ==, 0); /* "yes" */
	check_u64(t->run_time_ns, ==, 12345);
	check_u64(t->wait_time_ns, ==, 0); /* "invalid" */
	check_u64(t->timeslices, ==, 3);
	check_u64(t->voluntary_csw, ==, 3);
	check_u64(t->nonvoluntary_csw, ==, 4);
	check_u64(t->nr_migrations, ==, 9);
	check_u64(t->iowait_count, ==, 0); /* later "x" overwrites 3 */
	check_u64(t->voluntary_sleep_ns, ==, 0); /* sleep < block saturates */
	check_u64(t->block_sum, ==, 200000000ULL);
	check_u64(t->sleep_max, ==, 0); /* malformed */
	check_u64(t->wait_sum, ==, 7999000ULL);
	check_u64(t->wait_max, ==, 250500000ULL);
	check_u64(t->slice_max, ==, 1123456ULL);
	check_u64(t->exec_max, ==, 77000000ULL);
	check_u64(t->fair_slice_ns, ==, 0);
	check_u64(t->nr_wakeups, ==, 0);
	check_u64(t->minflt, ==, 70);
	check_u64(t->utime_clock_ticks, ==, 5);
	check_u64(t->stime_clock_ticks, ==, 6);
	check_int(t->priority, ==, -51);
	check_u64(t->rt_priority, ==, 50);
	check_u64(t->nr_threads, ==, 0); /* not the leader */
	check_int(t->smaps_rollup_kib.n, ==, 0);
	check_u64(t->rchar, ==, 0); /* "12abc" */
	check_u64(t->wchar, ==, 9);
	check_u64(t->syscr, ==, 4); /* "+4" */
	check_u64(t->syscw, ==, 0); /* "-1" */
	check_u64(t->write_bytes, ==, 0); /* overflow */
	check_u64(t->cancelled_write_bytes, ==, 3);
	check_unmeasured(t);
}

static void check_t203(const struct ctp_thread *t)
{
	check_str(t->comm, "worker");
	check_str(t->cgroup, "/user.slice/demo.service");
	check_u64(t->start_time_clock_ticks, ==, 555700);
	check_u64(t->utime_clock_ticks, ==, 1);
	check_str(t->policy, "SCHED_OTHER");
	check_int(t->priority, ==, 20);
	check_int(t->state, ==, '~');
	CPUS(t, "");
	check_u64(t->run_time_ns, ==, 0);
	check_u64(t->voluntary_csw, ==, 0);
	check_u64(t->rchar, ==, 0);
	check_u64(t->nr_threads, ==, 0);
	check_int(t->smaps_rollup_kib.n, ==, 0);
}

static void check_t1050(const struct ctp_thread *t)
{
	check_str(t->comm, "pool-1");
	check_u64(t->start_time_clock_ticks, ==, 600000);
	check_u64(t->minflt, ==, 10);
	check_u64(t->majflt, ==, 1);
	check_u64(t->utime_clock_ticks, ==, 2);
	check_u64(t->stime_clock_ticks, ==, 3);
	check_int(t->processor, ==, 1);
	check_str(t->policy, "SCHED_BATCH");
	check_int(t->state, ==, 'D');
	check_u64(t->run_time_ns, ==, 5);
	check_u64(t->wait_time_ns, ==, 6);
	check_u64(t->timeslices, ==, 7);
	check_u64(t->voluntary_csw, ==, 1);
	check_u64(t->nonvoluntary_csw, ==, 2);
	CPUS(t, ""); /* empty Cpus_allowed_list */
	check_u64(t->nr_wakeups, ==, 4);
	check_u64(t->fair_slice_ns, ==, 2800000);
	check_u64(t->nr_threads, ==, 0);
}

static void check_t300(const struct ctp_thread *t)
{
	check_str(t->pcomm, "a\nb");
	check_str(t->comm, "a\nb");
	check_str(t->cgroup, "/system.slice/x (deleted)");
	/* stat's first line ends inside the name "a\nb": the fields follow the last ')' of the
	 * whole file (ktstr, reading the first line only, would find none) */
	check_u64(t->start_time_clock_ticks, ==, 700000);
	check_str(t->policy, "SCHED_OTHER");
	check_u64(t->utime_clock_ticks, ==, 9);
	check_u64(t->minflt, ==, 1);
	check_int(t->priority, ==, 20);
	check_int(t->state, ==, 'I');
	check_u64(t->voluntary_csw, ==, 9);
	CPUS(t, ""); /* "5-3" rejected */
	check_u64(t->nr_threads, ==, 1);
	check_u64(t->nr_wakeups, ==, 1);
	check_u64(t->fair_slice_ns, ==, 100);
	check_int(t->smaps_rollup_kib.n, ==, 0);
	check_u64(t->rchar, ==, 0);
}

static void check_t1000(const struct ctp_thread *t)
{
	check_str(t->pcomm, "nbsp");
	check_str(t->comm, "nbsp");
	check_str(t->cgroup, "");
	check_u64(t->start_time_clock_ticks, ==, 900000);
	check_str(t->policy, "SCHED_UNKNOWN(4)");
	check_int(t->nice, ==, -20);
	check_int(t->processor, ==, -1);
	check_int(t->priority, ==, 0);
	check_u64(t->minflt, ==, 3);
	check_u64(t->utime_clock_ticks, ==, 4);
	check_u64(t->stime_clock_ticks, ==, 5);
	check_u64(t->run_time_ns, ==, 7);
	check_u64(t->wait_time_ns, ==, 8);
	check_u64(t->timeslices, ==, 9);
	check_int(t->state, ==, 'S');
	CPUS(t, "0,2");
	check_u64(t->nr_threads, ==, 2);
	check_u64(t->wait_sum, ==, 1000001);
	check_int(t->ext_enabled, ==, 1);
	check_int(t->smaps_rollup_kib.n, ==, 0);
}

/* named "bad\xff": stat, status and sched embed the raw byte; comm decodes it lossily */
static void check_t206(const struct ctp_thread *t)
{
	check_str(t->comm, "bad\xef\xbf\xbd");
	check_str(t->pcomm, "proc (with) parens");
	check_u64(t->start_time_clock_ticks, ==, 555800);
	check_int(t->priority, ==, 20);
	check_str(t->policy, "SCHED_OTHER");
	check_int(t->state, ==, 'S');
	check_u64(t->run_time_ns, ==, 1);
	check_u64(t->timeslices, ==, 3);
	check_u64(t->wait_max, ==, 0); /* negative */
	check_u64(t->nr_threads, ==, 0);
	check_str(t->cgroup, "/user.slice/demo.service");
}

static void check_psi_full(const struct ctp_psi *p)
{
	check_int(p->cpu.some.avg10, ==, 1859);
	check_u64(p->cpu.some.total_usec, ==, 78097519837ULL);
	check_int(p->memory.full.avg300, ==, 10099);
	check_u64(p->io.full.total_usec, ==, 99);
	check_int(p->irq.full.avg10, ==, 109);
	check_u64(p->irq.full.total_usec, ==, 80506377366ULL);
}

static uint64_t expect_tgids(const uint32_t *tg, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += tg[i] != (uint32_t)getpid();
	return k;
}

static void test_full(void)
{
	struct ctp_capture_status st;
	uint64_t before = ctp_now_realtime_ns(), mbefore = ctp_now_monotonic_ns();
	struct ctp_snapshot *s = run(proc_full, sys_full, 0, &st);
	uint64_t after = ctp_now_realtime_ns(), mafter = ctp_now_monotonic_ns();
	if (!ok(s != NULL, "proc-full captured"))
		return;
	ok(s->captured_at_unix_ns >= before && s->captured_at_unix_ns <= after, "captured_at_unix_ns is realtime now");
	ok(s->captured_mono_ns >= mbefore && s->captured_mono_ns <= mafter, "captured_mono_ns is monotonic now");
	ok(s->host == NULL, "no_host -> host null");

	/* order: tgid numeric (1 < 200 < 300 < 1000), tid numeric (1050 after 206); ghost 204 (its
	 * task dir is empty: gone) dropped; 206, named with invalid UTF-8, kept */
	static const uint32_t order[][2] = { { 1, 1 },	   { 200, 200 }, { 200, 201 }, { 200, 203 }, { 200, 206 },
					     { 200, 1050 }, { 300, 300 }, { 1000, 1000 } };
	check_int(s->nthreads, ==, 8);
	bool ordered = s->nthreads == 8;
	for (size_t i = 0; ordered && i < 8; i++)
		ordered = s->threads[i].tgid == order[i][0] && s->threads[i].tid == order[i][1];
	ok(ordered, "threads in (tgid, tid) order without ghost 204");
	ok(!find(s, 204), "ghost (vanished task dir) filtered");

	const struct ctp_thread *t;
	if ((t = find(s, 1)))
		check_t1(t);
	if ((t = find(s, 200)))
		check_t200(t);
	if ((t = find(s, 201)))
		check_t201(t);
	if ((t = find(s, 203)))
		check_t203(t);
	if (ok((t = find(s, 206)) != NULL, "tid 206 (name with invalid UTF-8) kept"))
		check_t206(t);
	if ((t = find(s, 1050)))
		check_t1050(t);
	if ((t = find(s, 300)))
		check_t300(t);
	if ((t = find(s, 1000)))
		check_t1000(t);
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid != 1 && s->threads[i].tid != 200 && s->threads[i].tid != 201)
			check_unmeasured(&s->threads[i]);

	/* parse summary: committed tallies only (ghost 204's six discarded; 206's name fails nothing) */
	const struct ctp_parse_summary *ps = s->parse_summary;
	if (ok(ps != NULL, "parse summary present")) {
		check_u64(ps->tids_walked, ==, 9);
		check_u64(ps->read_failures, ==, 7);
		char ks[512];
		kv_str(&ps->read_failures_by_file, ks, sizeof(ks));
		check_str(ks, "cgroup=1,io=2,sched=1,schedstat=1,smaps_rollup=1,status=1");
		check_str(ps->dominant_read_failure, "io");
		check_int(ps->kernel_config_dominant, ==, 0); /* 2*(1+2) = 6 < 7 */
		check_u64(ps->negative_dotted_values, ==, 3); /* 206's wait_max is one */
	}
	/* no_probe: the summary is null, or (if a build still emits one) counts tgids without self */
	static const uint32_t tg[] = { 1, 200, 300, 1000 };
	if (s->probe_summary) {
		check_u64(s->probe_summary->tgids_walked, ==, expect_tgids(tg, 4));
		check_u64(s->probe_summary->jemalloc_detected + s->probe_summary->probed_ok + s->probe_summary->failed,
			  ==, 0);
		ok(s->probe_summary->dominant_failure == NULL && !s->probe_summary->privilege_dominant,
		   "probe summary: no failure");
	} else {
		ok(1, "no_probe -> probe summary null");
	}
	if (ok(s->taskstats_summary != NULL, "taskstats summary present with no_taskstats"))
		check_u64(s->taskstats_summary->ok_count + s->taskstats_summary->eperm_count +
				  s->taskstats_summary->esrch_count + s->taskstats_summary->other_err_count,
			  ==, 0);

	/* cgroups: distinct non-empty cgroups of emitted threads, byte order; " (deleted)" kept */
	check_int(s->ncgroups, ==, 3);
	if (s->ncgroups == 3) {
		check_str(s->cgroups[0].path, "/init.scope");
		check_str(s->cgroups[1].path, "/system.slice/x (deleted)");
		check_str(s->cgroups[2].path, "/user.slice/demo.service");
		check_u64(s->cgroups[0].cpu.usage_usec, ==, 777);
		check_u64(s->cgroups[1].cpu.usage_usec, ==, 0);
		check_u64(s->cgroups[1].cpu.max_period_us, ==, 100000);
		check_u64(s->cgroups[2].cpu.usage_usec, ==, 12345);
		check_int(s->cgroups[2].cpu.max_quota_us.set, ==, 0);
		check_int(s->cgroups[2].psi.cpu.some.avg10, ==, 1859);
	}
	check_psi_full(&s->psi);
	if (ok(s->sched_ext != NULL, "sched_ext present")) {
		check_str(s->sched_ext->state, "disabled");
		check_u64(s->sched_ext->switch_all, ==, 0);
		check_u64(s->sched_ext->nr_rejected, ==, 3);
		check_u64(s->sched_ext->hotplug_seq, ==, 1);
		check_u64(s->sched_ext->enable_seq, ==, 2);
	}
	ok(st.procfs_io && st.schedstats && st.cgroup_v2 && st.psi && st.sched_ext && !st.taskstats && !st.probe,
	   "capture status: io, schedstats, cgroup v2, psi, sched_ext; no taskstats, no probe");
	ctp_snapshot_free(s);
}

static void test_nosched(void)
{
	struct ctp_capture_status st;
	struct ctp_snapshot *s = run(proc_nosched, nowhere, 0, &st);
	if (!ok(s != NULL, "proc-noschedstat captured"))
		return;
	check_int(s->nthreads, ==, 2);
	const struct ctp_thread *t = find(s, 42);
	if (t) {
		check_str(t->comm, "nosched");
		check_str(t->pcomm, "nosched");
		check_str(t->cgroup, "/");
		check_u64(t->start_time_clock_ticks, ==, 1000);
		check_u64(t->minflt, ==, 1);
		check_u64(t->utime_clock_ticks, ==, 2);
		check_u64(t->stime_clock_ticks, ==, 3);
		check_u64(t->run_time_ns + t->wait_time_ns + t->timeslices, ==, 0);
		check_u64(t->nr_wakeups + t->wait_sum + t->fair_slice_ns, ==, 0);
		check_u64(t->rchar, ==, 0);
		check_u64(t->nr_threads, ==, 2);
		CPUS(t, "0");
		SMAPS(t, "Rss=4");
		check_int(t->state, ==, 'S');
	}
	t = find(s, 43);
	if (ok(t != NULL, "tid 43 present")) {
		check_str(t->comm, "nosched-w");
		check_str(t->pcomm, "nosched");
		check_u64(t->nr_threads, ==, 0);
		check_int(t->smaps_rollup_kib.n, ==, 0);
		check_u64(t->start_time_clock_ticks, ==, 1001);
	}
	const struct ctp_parse_summary *ps = s->parse_summary;
	if (ps) {
		check_u64(ps->tids_walked, ==, 2);
		check_u64(ps->read_failures, ==, 4);
		char ks[256];
		kv_str(&ps->read_failures_by_file, ks, sizeof(ks));
		check_str(ks, "io=2,sched=2");
		check_str(ps->dominant_read_failure, "io"); /* tie with sched -> alphabetical */
		check_int(ps->kernel_config_dominant, ==, 1); /* 2*(0+2) >= 4 */
		check_u64(ps->negative_dotted_values, ==, 0);
	}
	check_int(s->ncgroups, ==, 1);
	if (s->ncgroups == 1)
		check_str(s->cgroups[0].path, "/");
	check_int(s->psi.cpu.some.avg10, ==, 0);
	check_u64(s->psi.irq.full.total_usec, ==, 0);
	ok(s->sched_ext == NULL, "no sched_ext dir -> null");
	ok(!st.procfs_io && !st.schedstats && !st.psi && !st.sched_ext, "status: no io, no schedstats, no psi, no scx");
	ctp_snapshot_free(s);
}

static void test_pid_and_errors(void)
{
	struct ctp_snapshot *s = run(proc_full, sys_full, 200, NULL);
	if (ok(s != NULL, "pid 200 captured")) {
		check_int(s->nthreads, ==, 5);
		if (s->nthreads == 5) {
			check_int(s->threads[0].tid, ==, 200);
			check_int(s->threads[4].tid, ==, 1050);
		}
		check_u64(s->parse_summary->tids_walked, ==, 6);
		check_u64(s->parse_summary->read_failures, ==, 4);
		check_u64(s->probe_summary ? s->probe_summary->tgids_walked : 1, ==, getpid() == 200 ? 0 : 1);
		check_int(s->ncgroups, ==, 1);
	}
	ctp_snapshot_free(s);
	s = run(proc_full, sys_full, 999, NULL);
	if (ok(s != NULL, "absent pid captured (empty)")) {
		check_int(s->nthreads, ==, 0);
		check_u64(s->parse_summary->tids_walked, ==, 0);
		ok(s->parse_summary->dominant_read_failure == NULL, "no failures -> dominant null");
		check_int(s->parse_summary->kernel_config_dominant, ==, 0);
	}
	ctp_snapshot_free(s);

	struct ctp_capture_opts o = { .proc_root = nowhere, .no_taskstats = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	struct ctp_err err = { 0 };
	s = (struct ctp_snapshot *)1;
	check_int(ctp_capture_run(c, &s, &err), ==, -1);
	ok(s == NULL, "failed capture leaves *out NULL");
	check_int(err.code, ==, CTP_E_IO);
	check_str(err.where, nowhere);
	ctp_capture_free(c);

	/* the same context twice: identical output (buffers reused, tallies reset) */
	o = (struct ctp_capture_opts){ .proc_root = proc_full, .sys_root = sys_full, .cgroup_root = cg_full,
				       .no_taskstats = true, .no_probe = true, .no_host = true };
	c = ctp_capture_new(&o);
	struct ctp_snapshot *a = NULL, *b = NULL;
	ctp_capture_run(c, &a, NULL);
	ctp_capture_run(c, &b, NULL);
	if (ok(a && b, "two captures on one context")) {
		check_int(a->nthreads, ==, b->nthreads);
		check_u64(b->parse_summary->tids_walked, ==, 9);
		check_u64(b->parse_summary->negative_dotted_values, ==, 3);
		bool same = a->nthreads == b->nthreads;
		for (size_t i = 0; same && i < a->nthreads; i++)
			same = a->threads[i].tid == b->threads[i].tid && !strcmp(a->threads[i].comm, b->threads[i].comm) &&
			       a->threads[i].wait_sum == b->threads[i].wait_sum &&
			       a->threads[i].cpu_affinity.n == b->threads[i].cpu_affinity.n;
		ok(same, "second capture equals the first");
	}
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
	ctp_capture_free(c);
	ctp_capture_free(NULL);
}

/* tests/fixtures/proc-evil: process 500 whose threads are named as an attacker would (kernel
 * text: comm raw + "\n", stat raw, status escaping only '\n' and '\\', sched header raw):
 * every one is kept with its real numbers; only 505 (empty task dir: gone) is a ghost */
static void test_evil(void)
{
	static const struct {
		uint32_t tid;
		const char *comm;
		uint64_t minflt, majflt, utime, stime, start, vcsw, nvcsw, wakeups;
		int processor;
	} want[] = {
		{ 500, "a) (b", 11, 1, 150, 20, 7000, 31, 2, 41, 1 },
		{ 501, "\xef\xbf\xbdx", 12, 2, 151, 21, 7001, 32, 3, 42, 0 },
		{ 502, "spin", 13, 3, 152, 22, 7002, 33, 4, 43, 1 },
		/* "ab日本語の名前" cut at 15 bytes by the kernel: the cut 名 becomes U+FFFD */
		{ 503, "ab\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xef\xbf\xbd", 14, 4, 153, 23, 7003, 34, 5, 44,
		  0 },
		/* "\next.enabled:1\n": its sched header line must not set ext_enabled */
		{ 504, "ext.enabled:1", 15, 5, 154, 24, 7004, 35, 6, 45, 1 },
	};
	struct ctp_snapshot *s = run(proc_evil, nowhere, 0, NULL);
	if (!ok(s != NULL, "proc-evil captured"))
		return;
	check_int(s->nthreads, ==, 5);
	ok(!find(s, 505), "505 (vanished task dir) is the only ghost");
	for (size_t i = 0; i < CTP_ARRAY_SIZE(want); i++) {
		const struct ctp_thread *t = find(s, want[i].tid);
		if (!ok(t != NULL, "evil tid %u kept", want[i].tid))
			continue;
		check_str(t->comm, want[i].comm);
		check_str(t->pcomm, "a) (b");
		check_u64(t->minflt, ==, want[i].minflt);
		check_u64(t->majflt, ==, want[i].majflt);
		check_u64(t->utime_clock_ticks, ==, want[i].utime);
		check_u64(t->stime_clock_ticks, ==, want[i].stime);
		check_u64(t->start_time_clock_ticks, ==, want[i].start);
		check_int(t->processor, ==, want[i].processor);
		check_int(t->priority, ==, 20);
		check_str(t->policy, "SCHED_OTHER");
		check_int(t->state, ==, 'R');
		check_u64(t->voluntary_csw, ==, want[i].vcsw);
		check_u64(t->nonvoluntary_csw, ==, want[i].nvcsw);
		check_u64(t->nr_wakeups, ==, want[i].wakeups);
		check_u64(t->nr_migrations, ==, want[i].wakeups + 1);
		check_u64(t->wait_max, ==, 2500000);
		check_int(t->ext_enabled, ==, 0);
		check_u64(t->run_time_ns, ==, want[i].utime * 10000000);
		check_u64(t->timeslices, ==, want[i].wakeups);
		check_u64(t->rchar, ==, want[i].tid);
		/* 501 sits in a delegated cgroup named "\xffx": kept, decoded like a name */
		check_str(t->cgroup, want[i].tid == 501 ? "/evil.slice/\xef\xbf\xbdx" : "/evil.slice");
		CPUS(t, "0,1");
		check_u64(t->nr_threads, ==, want[i].tid == 500 ? 6 : 0);
	}
	const struct ctp_thread *t = find(s, 500);
	if (t)
		SMAPS(t, "Pss=50,Rss=100");
	const struct ctp_parse_summary *ps = s->parse_summary;
	check_u64(ps->tids_walked, ==, 6);
	check_u64(ps->read_failures, ==, 0);
	check_u64(ps->negative_dotted_values, ==, 0);
	check_u64(s->ncgroups, ==, 2);
	/* the snapshot's JSON is valid UTF-8 and carries the decoded names */
	struct ctp_buf j = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &j);
	ok(ctp_utf8_valid(j.buf, j.len), "snapshot JSON is valid UTF-8 (%zu bytes)", j.len);
	ok(strstr(j.buf, "\"comm\":\"\xef\xbf\xbdx\"") && strstr(j.buf, "\"comm\":\"a) (b\""),
	   "JSON holds the lossy name and \"a) (b\"");
	ctp_buf_release(&j);
	ctp_snapshot_free(s);
}

/* highest open fd of this process */
static int max_fd(void)
{
	int m = -1;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.' && atoi(e->d_name) > m)
			m = atoi(e->d_name);
	closedir(d);
	return m;
}

/* RLIMIT_NOFILE leaving 1..2 fds free: the capture fails with EMFILE naming the file, never
 * returns a snapshot missing the threads it could not open; with room it is complete (it holds
 * at most three at once: /proc, a thread dir, a file) */
static void test_fd_limit(void)
{
	struct rlimit old;
	int top = max_fd(), fill[256], nfill = 0;
	if (getrlimit(RLIMIT_NOFILE, &old) < 0 || top < 0) {
		skip("cannot read the fd limit");
		return;
	}
	/* fill the holes below the highest open fd: then exactly `room` fds are free */
	for (int fd; nfill < 256 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) {
		if (fd > top) {
			close(fd);
			break;
		}
		fill[nfill++] = fd;
	}
	for (int room = 1; room <= 2; room++) {
		struct rlimit rl = { (rlim_t)(top + 1 + room), old.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			skip("setrlimit: %s", strerror(errno));
			continue;
		}
		struct ctp_capture_opts o = { .proc_root = proc_full, .sys_root = sys_full, .cgroup_root = cg_full,
					      .no_probe = true, .no_taskstats = true, .no_host = true };
		struct ctp_capture *c = ctp_capture_new(&o);
		struct ctp_snapshot *s = (struct ctp_snapshot *)1;
		struct ctp_err err = { 0 };
		int rc = ctp_capture_run(c, &s, &err);
		setrlimit(RLIMIT_NOFILE, &old);
		char line[600];
		ctp_err_str(&err, line, sizeof(line));
		if (!ok(rc == -1 && s == NULL && err.code == CTP_E_IO && err.sys_errno == EMFILE &&
				!strncmp(err.where, proc_full, strlen(proc_full)) && strstr(err.msg, "too many open files"),
			"%d fds free: capture fails: %s", room, line)) {
			diag("rc %d, %zu threads", rc, rc == 0 && s ? s->nthreads : 0);
			if (rc == 0)
				ctp_snapshot_free(s);
		}
		ctp_capture_free(c);
	}
	while (nfill)
		close(fill[--nfill]);
	struct ctp_snapshot *s = run(proc_full, sys_full, 0, NULL);
	ok(s && s->nthreads == 8, "limit restored: capture complete");
	ctp_snapshot_free(s);
}

/* JSON of s with the capture clocks zeroed: equal text = equal snapshots */
static void snap_json(struct ctp_snapshot *s, struct ctp_buf *out)
{
	s->captured_at_unix_ns = 0;
	s->captured_mono_ns = s->captured_boottime_ns = 0;
	ctp_buf_reset(out);
	ctp_snapshot_to_json(s, out);
}

/* captures 2 and 3 on one context (fds kept, then re-read with pread) equal capture 1 */
static void test_kept_fixture(const char *proc, const char *what)
{
	struct ctp_capture_opts o = { .proc_root = proc, .sys_root = sys_full, .cgroup_root = cg_full,
				      .no_taskstats = true, .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	struct ctp_buf first = CTP_BUF_INIT, again = CTP_BUF_INIT;
	for (int i = 0; i < 3; i++) {
		struct ctp_snapshot *s = NULL;
		check_int(ctp_capture_run(c, &s, NULL), ==, 0);
		if (!s)
			break;
		snap_json(s, i ? &again : &first);
		if (i)
			ok(again.len == first.len && !memcmp(again.buf, first.buf, first.len),
			   "%s: capture %d on one context equals capture 1 (%zu bytes of JSON)", what, i + 1, first.len);
		ctp_snapshot_free(s);
	}
	ctp_buf_release(&first);
	ctp_buf_release(&again);
	ctp_capture_free(c);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w"); /* truncates in place: a kept fd sees the new text */
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* a tid whose start_time changes under kept fds (reused tid) is read afresh: capture 3 on the
 * old context equals a fresh context's capture of the changed tree */
static void test_kept_reuse(void)
{
	char tmp[] = "/tmp/t_capture.XXXXXX", cmd[4300], proc[4200], task[4300];
	const char *why;
	if (fx_copy_tree(proc_full, tmp, "proc", &why) < 0) {
		skip("%s", why);
		return;
	}
	snprintf(proc, sizeof(proc), "%s/proc", tmp);
	snprintf(task, sizeof(task), "%s/200/task/201", proc);
	struct ctp_capture_opts o = { .proc_root = proc, .sys_root = sys_full, .cgroup_root = cg_full,
				      .no_taskstats = true, .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	struct ctp_snapshot *s = NULL;
	for (int i = 0; i < 2; i++) {
		ctp_capture_run(c, &s, NULL);
		ctp_snapshot_free(s);
	}
	write_file(task, "stat",
		   "201 (a) (b) S 1 1 1 0 -1 4194560 70 0 0 0 9 6 0 0 -51 0 6 0 555601 12345678 100 "
		   "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 50 1 0 0 0 0 0 0 0 0 0 0 0\n");
	write_file(task, "comm", "reborn\n");
	struct ctp_buf kept = CTP_BUF_INIT, fresh = CTP_BUF_INIT;
	s = NULL;
	check_int(ctp_capture_run(c, &s, NULL), ==, 0);
	const struct ctp_thread *t = s ? find(s, 201) : NULL;
	if (ok(t != NULL, "tid 201 captured after the change")) {
		check_u64(t->start_time_clock_ticks, ==, 555601);
		check_u64(t->utime_clock_ticks, ==, 9);
		check_str(t->comm, "reborn");
	}
	if (s)
		snap_json(s, &kept);
	ctp_snapshot_free(s);
	ctp_capture_free(c);
	s = run(proc, sys_full, 0, NULL);
	if (s)
		snap_json(s, &fresh);
	ctp_snapshot_free(s);
	ok(kept.len && kept.len == fresh.len && !memcmp(kept.buf, fresh.buf, kept.len),
	   "kept-fd capture of the changed tree equals a fresh one");
	ctp_buf_release(&kept);
	ctp_buf_release(&fresh);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		diag("could not remove %s", tmp);
}



static int park_pipe[2];
static void *parked(void *arg)
{
	char ch;
	(void)arg;
	while (read(park_pipe[0], &ch, 1) < 0)
		;
	return NULL;
}

static const struct ctp_thread *find_live(const struct ctp_snapshot *s, pid_t tid)
{
	return s ? find(s, (uint32_t)tid) : NULL;
}

static struct ctp_snapshot *live_run(struct ctp_capture *c)
{
	struct ctp_snapshot *s = NULL;
	ctp_capture_run(c, &s, NULL);
	return s;
}

/* this process, live: kept fds follow threads coming and going, see fresh values, are closed
 * when their thread is gone and by ctp_capture_free; a small fd budget never fails a capture */
static void test_kept_live(void)
{
	int fds0 = fx_count_fds();
	if (access("/proc/self/task", F_OK) != 0 || pipe(park_pipe) < 0) {
		skip("no /proc/self/task");
		return;
	}
	struct ctp_capture_opts o = { .pid = getpid(), .no_taskstats = true, .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	pid_t me = (pid_t)syscall(SYS_gettid);
	struct ctp_snapshot *s1 = live_run(c), *s2 = live_run(c);
	int fds2 = fx_count_fds();
	ok(fds2 > fds0, "second capture keeps fds (%d -> %d)", fds0, fds2);
	pthread_t th[4];
	int made = 0;
	for (; made < 4 && pthread_create(&th[made], NULL, parked, NULL) == 0; made++)
		;
	check_int(made, ==, 4);
	for (int i = 0; i < 3; i++)
		usleep(1000);
	struct ctp_snapshot *s3 = live_run(c);
	const struct ctp_thread *a = find_live(s2, me), *b = find_live(s3, me);
	if (ok(a && b && s1, "this thread captured twice")) {
		ok(b->voluntary_csw >= a->voluntary_csw + 3, "voluntary switches fresh through kept fds (%llu -> %llu)",
		   (unsigned long long)a->voluntary_csw, (unsigned long long)b->voluntary_csw);
		check_u64(b->start_time_clock_ticks, ==, a->start_time_clock_ticks);
		check_int(s3->nthreads, ==, s2->nthreads + 4);
		check_u64(s3->parse_summary->read_failures, ==, s2->parse_summary->read_failures);
	}
	int fds3 = fx_count_fds();
	ok(fds3 > fds2, "new threads' fds kept from their first capture (%d -> %d)", fds2, fds3);
	struct ctp_snapshot *s4 = live_run(c);
	check_int(fx_count_fds(), ==, fds3);
	close(park_pipe[1]);
	for (int i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	close(park_pipe[0]);
	usleep(20000); /* the joined threads are reaped */
	struct ctp_snapshot *s5 = live_run(c);
	if (s4 && s5)
		check_int(s5->nthreads, ==, s4->nthreads - 4);
	check_int(fx_count_fds(), ==, fds2 - 2); /* the pipe's two ends closed too */
	ctp_capture_free(c);
	check_int(fx_count_fds(), ==, fds0);
	ctp_snapshot_free(s1);
	ctp_snapshot_free(s2);
	ctp_snapshot_free(s3);
	ctp_snapshot_free(s4);
	ctp_snapshot_free(s5);
}

/* a budget of 4 threads (RLIMIT_NOFILE 300): every capture still complete and identical in
 * its thread set; runs last since it lowers the hard limit for good */
static void test_budget(void)
{
	struct rlimit rl = { 300, 300 };
	if (fx_count_fds() > 40 || setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		skip("cannot lower RLIMIT_NOFILE");
		return;
	}
	if (pipe(park_pipe) < 0)
		return;
	pthread_t th[12];
	int made = 0;
	for (; made < 12 && pthread_create(&th[made], NULL, parked, NULL) == 0; made++)
		;
	int fds0 = fx_count_fds();
	struct ctp_capture_opts o = { .pid = getpid(), .no_taskstats = true, .no_probe = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	bool same = true;
	size_t n0 = 0;
	for (int i = 0; i < 3; i++) {
		struct ctp_snapshot *s = live_run(c);
		if (!s) {
			same = false;
			break;
		}
		if (!i)
			n0 = s->nthreads;
		same = same && s->nthreads == n0 && s->parse_summary->read_failures == 0;
		for (size_t k = 0; k < s->nthreads; k++)
			same = same && s->threads[k].start_time_clock_ticks && s->threads[k].comm[0];
		ctp_snapshot_free(s);
	}
	ok(same && n0 == (size_t)made + 1, "budget-capped captures complete (%zu threads)", n0);
	int held = fx_count_fds() - fds0;
	ok(held > 0 && held <= 300 - 256, "kept fds within budget (%d)", held);
	ctp_capture_free(c);
	check_int(fx_count_fds(), ==, fds0);
	close(park_pipe[1]);
	for (int i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	close(park_pipe[0]);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	if (!src)
		src = ".";
	snprintf(proc_full, sizeof(proc_full), "%s/tests/fixtures/proc-full", src);
	snprintf(proc_nosched, sizeof(proc_nosched), "%s/tests/fixtures/proc-noschedstat", src);
	snprintf(proc_evil, sizeof(proc_evil), "%s/tests/fixtures/proc-evil", src);
	snprintf(sys_full, sizeof(sys_full), "%s/tests/fixtures/sys-full", src);
	snprintf(cg_full, sizeof(cg_full), "%s/tests/fixtures/cgroup-full", src);
	snprintf(nowhere, sizeof(nowhere), "%s/tests/fixtures/no-such-dir", src);
	test_full();
	test_nosched();
	test_pid_and_errors();
	test_evil();
	test_fd_limit();
	test_kept_fixture(proc_full, "proc-full");
	test_kept_fixture(proc_nosched, "proc-noschedstat");
	test_kept_fixture(proc_evil, "proc-evil");
	test_kept_reuse();
	test_kept_live();
	test_budget();
	return test_done();
}
