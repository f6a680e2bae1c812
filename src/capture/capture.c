/* capture.c — one snapshot of every thread (or one process): enumerate tgids and tids in
 * numeric order, read each thread's procfs files through procfs.c, query taskstats per process
 * in one pipelined batch, ghost-filter (a thread is a ghost only when its task dir vanished),
 * then derive the summaries and read cgroup stats, host PSI, sched_ext and host context
 * (snapshot-and-capture.md §2, §5.1). Running out of fds fails the capture. From a context's second
 * capture on, each thread's task dir and files stay open (fdcache.c) and are re-read with
 * pread, so the live loop skips the per-file path walk, open and close. A refresh plan
 * (ctp_capture_set_plan) limits the reads to its sources; smaps_rollup, which takes the target's
 * mmap lock, is then re-read at most every CTP_SMAPS_REFRESH_NS per process, and a partial plan's light fields
 * come from taskstats (asked per process first) and the slow-fact cache (tsfirst.c). */
#include "capture/capture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture/cgroup.h"
#include "capture/fdcache.h"
#include "capture/hostctx.h"
#include "capture/procfs.h"
#include "capture/psi.h"
#include "capture/readfile.h"
#include "capture/schedext.h"
#include "capture/smapscache.h"
#include "capture/taskstats.h"
#include "capture/exits.h"
#include "capture/wchan.h"
#include "capture/tsfirst.h"
#include "base/tidmap.h"
#include "probe/probe.h"
#include "snapshot/registry.h"
#include "snapshot/tscover.h"

#define SRC(x) (1u << CTP_SOURCE_##x)

struct ctp_capture {
	char *proc_root, *sys_root, *cgroup_root; /* cgroup_root NULL: discover per capture */
	pid_t pid;
	bool no_probe, no_taskstats, no_host;
	struct ctp_capture_status status;
	struct ctp_procfs_ctx px;
	/* reusable scratch: directory entries, tgids, tids, per-tid tallies and taskstats replies */
	char *dents;
	size_t dents_size;
	struct ctp_u32vec tgids, tids, alltids, bcount; /* bcount: threads of each process of a batch */
	struct ctp_u32vec only; /* -p list: capture these tgids only (sorted) */
	struct ctp_pending *pend;            /* one per thread of the capture */
	struct ctp_taskstats_result *tsres; /* one per thread of a process (taskstats first), or of
	                                     * the capture (a full plan's one round, freed after) */
	size_t per_tid_alloc, tsres_alloc;
	size_t last_nthreads;               /* threads of the previous capture: the next one's size */
	/* host accounting flags: reading them gunzips /proc/config.gz (~0.8 ms), so a live loop
	 * reuses them for CTP_ACCT_REFRESH_NS */
	struct ctp_acct_flags acct;
	uint64_t acct_read_ns;
	bool acct_valid;
	struct ctp_hostctx_cache hostc; /* host context: re-read every 10 s or for a full capture */
	/* per-capture parse tally (committed bumps only) */
	uint64_t tids_walked, fail[CTP_TF_COUNT], negative_dotted;
	/* jemalloc probe (NULL when no_probe): lives across captures; per-tid scratch */
	struct ctp_probe *probe;
	struct ctp_probe_thread_result *pres;
	uint64_t *pstart;
	size_t pres_alloc;
	uint64_t runs; /* captures done: fds are kept only from the second one on */
	uint32_t plan; /* sources to read (ctp_capture_set_plan), CTP_PLAN_FULL by default */
	uint32_t fdc_plan; /* the files kept fds serve in this capture (read every refresh) */
	uint32_t tplan; /* the files plan of the thread being read (the plan, or tsfirst's) */
	struct ctp_tsfirst tsf; /* slow facts per thread (tsfirst.h) */
	struct ctp_smapscache smaps;
	struct ctp_fdcache fdc;
	struct ctp_err fd_err; /* first open of this capture that failed for want of fds */
	struct ctp_exits *exits; /* the taskstats exit listener (opts.exits), NULL when off */
	struct ctp_taskstats *ts; /* kept between captures (a socket and a family lookup saved a
				   * refresh); NULL until the first one that asks, or after a failure */
	bool wchan;              /* opts.wchan */
};
#define CTP_ACCT_REFRESH_NS (5 * 1000000000ULL)

static void acct_flags(struct ctp_capture *c, struct ctp_acct_flags *out)
{
	uint64_t now = ctp_now_monotonic_ns();
	if (!c->acct_valid || now - c->acct_read_ns >= CTP_ACCT_REFRESH_NS) {
		ctp_acct_flags_read(c->proc_root, &c->acct);
		c->acct_read_ns = now;
		c->acct_valid = true;
	}
	*out = c->acct;
}

struct ctp_capture *ctp_capture_new(const struct ctp_capture_opts *opts)
{
	struct ctp_capture *c = ctp_xcalloc(1, sizeof(*c));
	c->proc_root = ctp_xstrdup(opts && opts->proc_root ? opts->proc_root : "/proc");
	c->sys_root = ctp_xstrdup(opts && opts->sys_root ? opts->sys_root : "/sys");
	c->cgroup_root = opts && opts->cgroup_root ? ctp_xstrdup(opts->cgroup_root) : NULL;
	if (opts) {
		c->pid = opts->pid;
		for (size_t i = 0; i < opts->npids; i++)
			ctp_u32vec_push(&c->only, opts->pids[i]);
		if (c->only.n > 1)
			qsort(c->only.v, c->only.n, sizeof(*c->only.v), ctp_u32_cmp);
		c->no_probe = opts->no_probe;
		c->no_taskstats = opts->no_taskstats;
		c->no_host = opts->no_host;
	}
	ctp_procfs_ctx_init(&c->px, c->proc_root);
	ctp_fdcache_init(&c->fdc);
	ctp_fdcache_set_cap(&c->fdc, opts ? opts->max_kept_fds : 0);
	if (!c->no_probe)
		c->probe = ctp_probe_new(c->proc_root);
	c->dents_size = 32768;
	c->dents = ctp_xmalloc(c->dents_size);
	c->plan = CTP_PLAN_FULL;
	ctp_tsfirst_init(&c->tsf);
	ctp_smapscache_init(&c->smaps);
	c->wchan = opts && opts->wchan;
	if (opts && opts->exits && !c->no_taskstats) { /* registered before the first capture */
		struct ctp_err err = { 0 };
		c->exits = ctp_exits_open(c->sys_root, &err);
		c->status.exits = c->exits != NULL;
		c->status.exits_errno = c->exits ? 0 : err.sys_errno;
	}
	return c;
}

void ctp_capture_set_plan(struct ctp_capture *c, uint32_t sources)
{
	c->plan = sources;
}

void ctp_capture_free(struct ctp_capture *c)
{
	if (!c)
		return;
	free(c->proc_root);
	free(c->sys_root);
	free(c->cgroup_root);
	ctp_procfs_ctx_release(&c->px);
	ctp_fdcache_free(&c->fdc);
	ctp_tsfirst_release(&c->tsf);
	ctp_hostctx_cache_release(&c->hostc);
	ctp_taskstats_close(c->ts);
	free(c->dents);
	free(c->tgids.v);
	free(c->tids.v);
	free(c->alltids.v);
	free(c->bcount.v);
	free(c->only.v);
	free(c->pend);
	free(c->tsres);
	ctp_probe_free(c->probe);
	ctp_exits_close(c->exits);
	ctp_smapscache_release(&c->smaps);
	free(c->pres);
	free(c->pstart);
	free(c);
}

const struct ctp_capture_status *ctp_capture_status(const struct ctp_capture *c)
{
	return &c->status;
}

static void ensure_per_tid(struct ctp_capture *c, size_t n)
{
	if (n <= c->per_tid_alloc)
		return;
	while (c->per_tid_alloc < n)
		c->per_tid_alloc = c->per_tid_alloc ? c->per_tid_alloc * 2 : 256;
	c->pend = ctp_xrealloc(c->pend, c->per_tid_alloc * sizeof(*c->pend));
}

/* room for n taskstats replies (~400 bytes each: sized to a process, not kept per host thread) */
static void ensure_tsres(struct ctp_capture *c, size_t n)
{
	if (n <= c->tsres_alloc)
		return;
	c->tsres_alloc = n + n / 4 + 16;
	free(c->tsres);
	c->tsres = ctp_xcalloc(c->tsres_alloc, sizeof(*c->tsres));
}

/* an open that failed for want of fds (EMFILE/ENFILE; other errnos are ignored here): the
 * first one is kept, naming <proc>/<tgid>[/task[/<tid>]][/<name>], and fails the capture */
static void note_fd(struct ctp_capture *c, int e, uint32_t tgid, uint32_t tid, const char *name)
{
	if (!ctp_errno_fd_limit(e) || c->fd_err.code)
		return;
	char where[sizeof(c->fd_err.where)];
	const char *sep = name && name[0] ? "/" : "";
	if (tid)
		snprintf(where, sizeof(where), "%s/%u/task/%u%s%s", c->proc_root, tgid, tid, sep, sep[0] ? name : "");
	else
		snprintf(where, sizeof(where), "%s/%u%s%s", c->proc_root, tgid, sep, sep[0] ? name : "");
	ctp_err_set(&c->fd_err, CTP_E_IO, e, where, "cannot open: %s",
		    e == EMFILE ? "too many open files (raise ulimit -n)" : "too many open files in the system");
}

/* pcomm: /proc/PID/comm decoded lossily; "" when unreadable (never tallied) */
static char *read_pcomm(struct ctp_capture *c, int procfd, uint32_t tgid)
{
	struct ctp_buf *b = &c->px.buf;
	char name[32];
	snprintf(name, sizeof(name), "%u/comm", tgid);
	if (ctp_read_file_at(procfd, name, b) < 0) {
		note_fd(c, errno, tgid, 0, "comm");
		return ctp_xstrdup("");
	}
	return ctp_comm_dup(b->buf, b->len);
}

/* pcomm from the leader's taskstats reply when this round holds it; kthreads: the file, or its
 * last read between slow-fact re-reads (not kworkers); dead leaders: the file */
static char *leader_comm(struct ctp_capture *c, int procfd, uint32_t tgid, const uint32_t *tids,
			 const struct ctp_taskstats_result *res, size_t n)
{
	for (size_t i = 0; res && i < n; i++) {
		const struct ctp_taskstats_result *tr = &res[i];
		if (tids[i] == tgid && tr->err == 0 && tr->full && tr->ppid != 2 && tgid != 2)
			return ctp_comm_dup(tr->comm, strnlen(tr->comm, sizeof(tr->comm)));
	}
	const char *kept = res ? ctp_tsfirst_kname(&c->tsf, tgid) : NULL;
	if (kept)
		return ctp_xstrdup(kept);
	char *name = read_pcomm(c, procfd, tgid);
	if (res)
		ctp_tsfirst_set_kname(&c->tsf, tgid, name);
	return name;
}

/* a thread whose task dir cannot be opened (errno e): every planned tallied file fails, as the
 * reference sees it; ENOENT/ESRCH make it a ghost */
static void tally_vanished(struct ctp_capture *c, struct ctp_thread *t, struct ctp_pending *p, int e)
{
	ctp_procfs_note_error(&c->px, p, "", e);
	for (int f = 0; f < CTP_TF_COUNT; f++)
		if ((c->tplan & ctp_tally_source((enum ctp_tally_file)f)) && (f != CTP_TF_SMAPS_ROLLUP || t->tid == t->tgid))
			p->fail[f]++;
	if (c->px.live_affinity && (c->tplan & SRC(AFFINITY)))
		ctp_procfs_affinity(&c->px, t->tid, &t->cpu_affinity);
}

/* PID/task/TID from /proc: a refresh opens no process's task dir for its threads (most need
 * no file at all under a partial plan) */
static int open_tid_dir(int procfd, uint32_t tgid, uint32_t tid)
{
	char name[40];
	snprintf(name, sizeof(name), "%u/task/%u", tgid, tid);
	return openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void thread_ident(struct ctp_thread *t, uint32_t tgid, uint32_t tid, const char *pcomm)
{
	t->tid = tid;
	t->tgid = tgid;
	free(t->pcomm);
	t->pcomm = ctp_xstrdup(pcomm);
}

/* the planned files of the thread whose task dir is dirfd, through the kept fds slots (NULL:
 * opened afresh; a kept fd of a file out of the plan is closed) */
static void read_files(struct ctp_capture *c, int dirfd, int *slots, struct ctp_thread *t, struct ctp_pending *p)
{
	int *comm = slots ? &slots[CTP_TFD_COMM] : NULL;
	c->px.plan = c->tplan;
	if (c->tplan & SRC(COMM)) {
		ctp_procfs_read_comm(&c->px, dirfd, comm, &t->comm, p);
	} else if (comm && *comm >= 0) {
		close(*comm);
		*comm = -1;
	}
	ctp_procfs_read_thread(&c->px, dirfd, slots, t, p);
	if (t->tid == t->tgid && (c->tplan & SRC(SMAPS)))
		ctp_smapscache_read(&c->smaps, &c->px, c->plan == CTP_PLAN_FULL, dirfd, slots, t, p);
}

/* reads the thread through its kept fds (opening the missing ones, which then stay open); files
 * beyond the kept plan (a slow fact's, a taskstats fallback's) are opened afresh from its dir */
static void read_kept(struct ctp_capture *c, int procfd, struct ctp_fdcache_entry *e, struct ctp_thread *t,
		      struct ctp_pending *p)
{
	if (e->f.dir < 0)
		e->f.dir = open_tid_dir(procfd, t->tgid, t->tid);
	if (e->f.dir < 0)
		tally_vanished(c, t, p, errno);
	else
		read_files(c, e->f.dir, (c->tplan & ~c->fdc_plan) ? NULL : e->f.fd, t, p);
	ctp_fdcache_recount(&c->fdc, e);
}

/* what needs the thread's task dir: its files, smaps_rollup, affinity (its fixture fallback) */
#define DIR_SOURCES (CTP_PLAN_FULL & ~(SRC(PROC_TASK) | SRC(TASKSTATS) | SRC(PROBE)))

/* the thread's planned files (c->tplan), through its kept fds when it has an entry (none when
 * none of them is read every refresh: a slow fact's or a fallback's file is opened afresh) */
static void read_procfs(struct ctp_capture *c, int procfd, uint32_t tgid, uint32_t tid, const char *pcomm,
			struct ctp_thread *t, struct ctp_pending *p)
{
	thread_ident(t, tgid, tid, pcomm);
	bool keep = c->runs && (c->tplan & c->fdc_plan & DIR_SOURCES);
	struct ctp_fdcache_entry *e = keep ? ctp_fdcache_get(&c->fdc, tgid, tid) : NULL;
	if (e) {
		bool stat = c->tplan & SRC(STAT), reused = e->known && stat;
		read_kept(c, procfd, e, t, p);
		if (reused && t->start_time_clock_ticks != e->start_time) {
			/* another thread under this tid, or a failed re-read: start over with fresh fds */
			ctp_fdcache_drop(&c->fdc, e);
			ctp_thread_release(t);
			ctp_thread_init(t);
			thread_ident(t, tgid, tid, pcomm);
			memset(p, 0, sizeof(*p));
			read_kept(c, procfd, e, t, p);
		}
		if (stat) { /* without stat the start time is unknown: nothing to compare next time */
			e->known = e->f.dir >= 0;
			e->start_time = t->start_time_clock_ticks;
		}
		return;
	}
	int fd = open_tid_dir(procfd, tgid, tid);
	if (fd < 0) {
		tally_vanished(c, t, p, errno);
		return;
	}
	read_files(c, fd, NULL, t, p);
	close(fd);
}

/* one thread: a full plan reads every file; a partial one reads only the files that taskstats
 * (tr: its reply, NULL when none) and the slow-fact cache cannot serve (tsfirst.h). A stat that
 * names another start than the cache's means another thread under the tid: read again afresh. */
static void read_one_tid(struct ctp_capture *c, int procfd, uint32_t tgid, uint32_t tid, const char *pcomm,
			 struct ctp_thread *t, struct ctp_pending *p, const struct ctp_taskstats_result *tr,
			 const struct ctp_acct_flags *flags)
{
	bool full = c->plan == CTP_PLAN_FULL;
	c->tplan = c->plan;
	if (full && !c->runs) { /* a one-shot capture: no cache to seed */
		read_procfs(c, procfd, tgid, tid, pcomm, t, p);
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		struct ctp_tsfirst_thread d;
		ctp_tsfirst_plan(&c->tsf, c->plan, tgid, tid, tr, flags, pass > 0, &d);
		if (full)
			d = (struct ctp_tsfirst_thread){ .files = CTP_PLAN_FULL, .due = true, .fresh = true };
		/* a leader's comm is its process's, read a moment ago (kernel threads: taskstats has
		 * not their /proc name) */
		bool comm_is_pcomm = !full && tid == tgid && pcomm[0] && (d.files & SRC(COMM)) && !(c->plan & SRC(COMM));
		if (comm_is_pcomm)
			d.files &= ~SRC(COMM);
		c->tplan = d.files;
		if (d.files & DIR_SOURCES)
			read_procfs(c, procfd, tgid, tid, pcomm, t, p);
		else
			thread_ident(t, tgid, tid, pcomm);
		if (comm_is_pcomm) {
			free(t->comm);
			t->comm = ctp_xstrdup(pcomm);
		}
		if (ctp_tsfirst_fill(&c->tsf, c->plan, t, &d, tr) || pass)
			return;
		ctp_thread_release(t);
		ctp_thread_init(t);
		memset(p, 0, sizeof(*p));
	}
}

/* drops ghost threads, committing the survivors' pending tallies (c->pend[i] is thread i's).
 * A ghost is a thread whose task dir, comm or stat vanished while it was read (ENOENT/ESRCH),
 * never one whose files merely failed to parse: ktstr's "empty comm and zero start time" test
 * let a thread hide itself with a name that is not UTF-8 (man 5 ctprof). */
static void ghost_filter(struct ctp_capture *c, struct ctp_snapshot *s)
{
	size_t keep = 0;
	for (size_t i = 0; i < s->nthreads; i++) {
		struct ctp_thread *t = &s->threads[i];
		if (c->pend[i].vanished) {
			ctp_thread_release(t);
			continue;
		}
		const struct ctp_pending *p = &c->pend[i];
		for (int f = 0; f < CTP_TF_COUNT; f++)
			c->fail[f] += p->fail[f];
		c->negative_dotted += p->negative_dotted;
		if (keep != i)
			s->threads[keep] = *t;
		keep++;
	}
	s->nthreads = keep;
}

/* jemalloc counters of s->threads[first..first+n) (tids c->tids.v), keyed by start time */
static void probe_process(struct ctp_capture *c, struct ctp_snapshot *s, uint32_t tgid, const uint32_t *tids,
			  size_t first, size_t n)
{
	if (!c->probe || !(c->plan & SRC(PROBE)) || !n || tgid == (uint32_t)getpid())
		return;
	if (n > c->pres_alloc) {
		c->pres_alloc = n;
		c->pres = ctp_xrealloc(c->pres, n * sizeof(*c->pres));
		c->pstart = ctp_xrealloc(c->pstart, n * sizeof(*c->pstart));
	}
	for (size_t i = 0; i < n; i++)
		c->pstart[i] = s->threads[first + i].start_time_clock_ticks;
	ctp_probe_process(c->probe, (pid_t)tgid, tids, c->pstart, n, c->pres);
	for (size_t i = 0; i < n; i++) {
		struct ctp_thread *t = &s->threads[first + i];
		t->jemalloc_measured = c->pres[i].ok;
		t->allocated_bytes = c->pres[i].ok ? c->pres[i].allocated : 0;
		t->deallocated_bytes = c->pres[i].ok ? c->pres[i].deallocated : 0;
	}
}

struct run_state {
	struct ctp_snapshot *s;
	struct ctp_taskstats *ts;
	bool tsfirst;  /* a partial plan with taskstats: queried per process before its threads */
	bool ts_eperm; /* taskstats refused every query of a process: ask no more this capture */
	struct ctp_acct_flags flags;
	int procfd;
};

/* taskstats replies res[0..n) into s->threads[first..first+n) */
static void apply_taskstats(struct run_state *r, const struct ctp_taskstats_result *res, size_t first, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ctp_taskstats_tally(r->s->taskstats_summary, res[i].err);
		ctp_taskstats_apply(&r->s->threads[first + i], &res[i], &r->flags);
	}
}

/* taskstats first: processes are listed in batches of about this many threads, each batch's
 * threads asked in one pipelined round (one reply, ~400 bytes, kept per thread of the batch) */
#define TS_CHUNK 256

/* the threads tids[0..n) of process tgid into s; res: their taskstats replies (taskstats first),
 * else NULL */
static void read_process(struct ctp_capture *c, struct run_state *r, uint32_t tgid, const uint32_t *tids,
			 const struct ctp_taskstats_result *res, size_t n)
{
	struct ctp_snapshot *s = r->s;
	size_t first = s->nthreads;
	ensure_per_tid(c, first + n);
	if (n)
		memset(&c->pend[first], 0, n * sizeof(*c->pend));
	char *pcomm = n ? leader_comm(c, r->procfd, tgid, tids, res, n) : NULL;
	for (size_t i = 0; i < n; i++) {
		c->tids_walked++;
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		read_one_tid(c, r->procfd, tgid, tids[i], pcomm, t, &c->pend[first + i], res ? &res[i] : NULL, &r->flags);
		if (c->px.fd_errno)
			note_fd(c, c->px.fd_errno, tgid, tids[i], c->px.fd_file);
	}
	if (res && (c->plan & SRC(TASKSTATS)))
		apply_taskstats(r, res, first, n);
	probe_process(c, s, tgid, tids, first, n); /* jemalloc counters, before the ghost filter (O2) */
	free(pcomm);
}

/* the tids of process tgid into c->tids: a kernel thread's is itself (it has no other thread),
 * others' from their task dir */
static void list_threads(struct ctp_capture *c, struct run_state *r, uint32_t tgid)
{
	if (r->tsfirst && ctp_tsfirst_kthread(&c->tsf, tgid)) {
		c->tids.n = 0;
		ctp_u32vec_push(&c->tids, tgid);
		return;
	}
	char name[32];
	snprintf(name, sizeof(name), "%u/task", tgid);
	int taskdir = openat(r->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskdir < 0)
		note_fd(c, errno, tgid, 0, "task");
	ctp_list_numeric(taskdir, c->dents, c->dents_size, &c->tids);
	if (taskdir >= 0)
		close(taskdir);
}

/* processes tgids[i0..] listed until the batch holds TS_CHUNK threads (one process at least;
 * one at a time without taskstats first), asked in one round, read; returns the next index */
static size_t capture_batch(struct ctp_capture *c, struct run_state *r, size_t i0)
{
	size_t i = i0;
	c->alltids.n = 0;
	c->bcount.n = 0;
	do {
		list_threads(c, r, c->tgids.v[i]);
		for (size_t k = 0; k < c->tids.n; k++)
			ctp_u32vec_push(&c->alltids, c->tids.v[k]);
		ctp_u32vec_push(&c->bcount, (uint32_t)c->tids.n);
		i++;
	} while (r->tsfirst && i < c->tgids.n && c->alltids.n < TS_CHUNK);
	if (r->tsfirst && c->alltids.n) {
		ensure_tsres(c, c->alltids.n);
		ctp_tsfirst_query(r->ts, c->alltids.v, c->alltids.n, c->tsres, &r->ts_eperm);
	}
	for (size_t k = 0, at = 0; k < c->bcount.n && !c->fd_err.code; at += c->bcount.v[k++])
		read_process(c, r, c->tgids.v[i0 + k], &c->alltids.v[at], r->tsfirst ? &c->tsres[at] : NULL,
			     c->bcount.v[k]);
	return i;
}

/* one pipelined taskstats round over every walked thread (ghosts included: the reference
 * tallies their queries too); most processes have one thread, so batching per process would
 * lose the pipelining */
static void query_taskstats(struct ctp_capture *c, struct run_state *r)
{
	struct ctp_snapshot *s = r->s;
	/* a partial plan asked (and applied) per process already */
	if (!r->ts || r->tsfirst || !s->nthreads || !(c->plan & SRC(TASKSTATS)))
		return;
	c->alltids.n = 0;
	for (size_t i = 0; i < s->nthreads; i++)
		ctp_u32vec_push(&c->alltids, s->threads[i].tid);
	ensure_tsres(c, s->nthreads);
	ctp_taskstats_query(r->ts, c->alltids.v, s->nthreads, c->tsres);
	apply_taskstats(r, c->tsres, 0, s->nthreads);
}

/* the probe's counters; with the probe off or out of the plan, only the processes it would have
 * walked (no failures claimed) */
static struct ctp_probe_summary *probe_summary(const struct ctp_capture *c)
{
	struct ctp_probe_summary *ps = ctp_xcalloc(1, sizeof(*ps));
	uint32_t self = (uint32_t)getpid();
	if (c->probe && (c->plan & SRC(PROBE))) {
		ctp_capture_probe_summary(ctp_probe_counts(c->probe), ps);
		return ps;
	}
	for (size_t i = 0; i < c->tgids.n; i++)
		ps->tgids_walked += c->tgids.v[i] != self;
	return ps;
}

/* one cgroup_stats entry per distinct non-empty cgroup of the emitted threads */
static void read_cgroups(struct ctp_capture *c, struct ctp_snapshot *s)
{
	char found[4096];
	const char *root = c->cgroup_root ? c->cgroup_root : ctp_cgroup_find_root(c->proc_root, found, sizeof(found));
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/cgroup.controllers", root);
	c->status.cgroup_v2 = access(probe, F_OK) == 0;
	ctp_snapshot_cgroups_of_threads(s); /* sorted once: cgroup names in any order cost O(n log n) */
	for (size_t i = 0; i < s->ncgroups; i++)
		ctp_cgroup_read_stats(root, &s->cgroups[i]);
}

/* taskstats out of the plan (and no light field it could serve): no query, the last status stays */
static void open_taskstats(struct ctp_capture *c, struct run_state *r)
{
	bool light = c->plan != CTP_PLAN_FULL && (c->plan & ctp_tsfirst_ts_light());
	bool planned = c->plan & SRC(TASKSTATS);
	if (!planned && !(light && !c->no_taskstats))
		return;
	c->status.taskstats = false;
	c->status.taskstats_errno = 0;
	if (c->no_taskstats)
		return;
	struct ctp_err err = { 0 };
	if (!c->ts)
		c->ts = ctp_taskstats_open(&err);
	r->ts = c->ts;
	if (!r->ts)
		c->status.taskstats_errno = err.sys_errno ? err.sys_errno : EPROTONOSUPPORT;
	c->status.taskstats = r->ts != NULL; /* light only: what the queries say, in finish_status */
	r->tsfirst = r->ts && c->plan != CTP_PLAN_FULL;
}

static void finish_status(struct ctp_capture *c, const struct run_state *r)
{
	const struct ctp_taskstats_summary *t = r->s->taskstats_summary;
	if (r->tsfirst && !(c->plan & SRC(TASKSTATS)) && r->ts_eperm) {
		c->status.taskstats = false;
		c->status.taskstats_errno = EPERM;
	}
	if (r->ts && (c->plan & SRC(TASKSTATS))) {
		c->status.taskstats = !(t->eperm_count > 0 && t->ok_count == 0);
		if (!c->status.taskstats)
			c->status.taskstats_errno = EPERM;
	}
	if (c->plan & SRC(IO)) /* a file out of the plan says nothing: the last status stays */
		c->status.procfs_io = c->px.saw_io;
	if (c->plan & SRC(SCHED))
		c->status.schedstats = c->px.saw_sched;
	c->status.delayacct = r->flags.delayacct == CTP_DELAYACCT_ON;
	c->status.probe = c->probe != NULL;
	c->status.sched_ext = r->s->sched_ext != NULL;
}

/* out of fds: no snapshot (a partial one would silently miss threads); every kept fd is
 * closed so that the next capture has a chance */
static int fail_fds(struct ctp_capture *c, struct run_state *r, struct ctp_err *err)
{
	ctp_fdcache_sweep(&c->fdc, true);
	ctp_taskstats_close(c->ts);
	c->ts = NULL;
	close(r->procfd);
	ctp_snapshot_free(r->s);
	if (err)
		*err = c->fd_err;
	return -1;
}

/* the processes to read: the one pid, the -p list, or every one in the proc root */
static void list_processes(struct ctp_capture *c, int procfd)
{
	c->tgids.n = 0;
	if (c->pid > 0)
		ctp_u32vec_push(&c->tgids, (uint32_t)c->pid);
	for (size_t i = 0; c->pid <= 0 && i < c->only.n; i++)
		ctp_u32vec_push(&c->tgids, c->only.v[i]);
	if (c->pid <= 0 && !c->only.n)
		ctp_list_numeric(procfd, c->dents, c->dents_size, &c->tgids);
}

int ctp_capture_run(struct ctp_capture *c, struct ctp_snapshot **out, struct ctp_err *err)
{
	*out = NULL;
	struct run_state r = { 0 };
	r.procfd = open(c->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.procfd < 0)
		return ctp_err_set(err, CTP_E_IO, errno, c->proc_root, "cannot open proc root");
	struct ctp_snapshot *s = ctp_snapshot_new();
	r.s = s;
	/* the host's threads change little between refreshes: the array sized to the last count
	 * plus a margin, not doubled (each thread is ~750 bytes, a live view holds several) */
	if (c->last_nthreads)
		ctp_snapshot_reserve_threads(s, c->last_nthreads + c->last_nthreads / 32 + 16);
	s->captured_at_unix_ns = ctp_now_realtime_ns();
	s->captured_mono_ns = ctp_now_monotonic_ns();
	acct_flags(c, &r.flags);
	s->host = c->no_host ? NULL
			     : ctp_hostctx_cached(&c->hostc, c->plan == CTP_PLAN_FULL, c->proc_root, c->sys_root, &r.flags);

	list_processes(c, r.procfd);
	if (c->probe && (c->plan & SRC(PROBE)))
		ctp_probe_begin_sample(c->probe);
	s->sources_read = c->plan;
	c->px.plan = c->plan;
	ctp_smapscache_begin(&c->smaps);

	open_taskstats(c, &r);
	s->taskstats_summary = ctp_xcalloc(1, sizeof(*s->taskstats_summary));
	c->tids_walked = c->negative_dotted = 0;
	memset(c->fail, 0, sizeof(c->fail));
	c->px.saw_io = c->px.saw_sched = false;
	c->px.fd_errno = 0;
	memset(&c->fd_err, 0, sizeof(c->fd_err));
	if (c->runs == 1)
		ctp_fdcache_size(&c->fdc);
	c->fdc_plan = ctp_tsfirst_kept(c->plan, r.tsfirst);
	ctp_fdcache_begin(&c->fdc, c->fdc_plan);
	ctp_tsfirst_begin(&c->tsf);

	for (size_t i = 0; i < c->tgids.n && !c->fd_err.code;)
		i = capture_batch(c, &r, i);
	if (c->fd_err.code)
		return fail_fds(c, &r, err);
	ctp_fdcache_sweep(&c->fdc, false);
	ctp_tsfirst_sweep(&c->tsf);
	query_taskstats(c, &r);
	if (c->tsres_alloc > 4 * TS_CHUNK) { /* a full capture's or a huge process's: not kept */
		free(c->tsres);
		c->tsres = NULL;
		c->tsres_alloc = 0;
	}
	/* after the last per-thread read: an age from it is never shorter than the counters it
	 * divides (a thread read late in a long capture would otherwise run more than it lived) */
	s->captured_boottime_ns = ctp_now_boottime_ns();
	ghost_filter(c, s);
	ctp_snapshot_sort_threads(s);
	if (c->exits) /* after the reads: a thread gone since is held for the next capture */
		ctp_exits_collect(c->exits, s, &r.flags);
	if (c->wchan)
		ctp_wchan_read(r.procfd, s);
	s->probe_summary = probe_summary(c);
	s->parse_summary = ctp_procfs_parse_summary(c->fail, c->tids_walked, c->negative_dotted);
	ctp_smapscache_sweep(&c->smaps, c->plan & SRC(SMAPS));
	if (c->plan & (SRC(CGROUP) | CTP_PLAN_LIGHT(CTP_SOURCE_CGROUP)))
		read_cgroups(c, s);
	c->status.psi = ctp_psi_read_host(c->proc_root, &s->psi) > 0;
	s->sched_ext = ctp_schedext_read(c->sys_root);
	finish_status(c, &r);
	ctp_taskstats_idle(c->ts);
	close(r.procfd);
	c->runs++;
	c->last_nthreads = s->nthreads;
	*out = s;
	return 0;
}
