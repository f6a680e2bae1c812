/* probe.c — the probe context used by capture and the CLI: attach results cached per exe
 * (st_dev, st_ino, st_ctime), thread pointers cached per (tid, start_time, image) so each thread
 * is stopped once per executable image, batched process_vm_readv for known threads, a per-sample
 * time budget for stopping threads, and the counters capture turns into the CtprofProbeSummary
 * of design/jemalloc-probe.md Appendix A M6. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/tidmap.h"
#include "probe/probe.h"
#include "probe/probe_int.h"
#include "probe/jedso.h"
#include "probe/elfdwarf.h"
#include "capture/procfs.h"
#include "capture/readfile.h"

#define BATCH_MAX 1024 /* IOV_MAX */
#define SPAN_MAX CTP_PROBE_SPAN_MAX
#define DENTS_SIZE 32768
#define WAIT_MAX_NS (250ull * 1000 * 1000) /* longest wait for one thread's stop */
#define FREE_SETTLE_NS (500ull * 1000 * 1000) /* at most, over all pending threads, at free */
#define EXE_CACHE_MAX 1024 /* attach results kept (then replaced round-robin) */
#define DSO_RECHECK 10 /* samples a process without a measurable jemalloc is not re-walked (dlopen) */

struct exe_entry {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
	enum ctp_probe_tag tag;
	bool exe_none; /* the exe carries no jemalloc: the result is per process (proc_entry) */
	bool deferred; /* a debuginfod lookup is pending (budget, timeout): not kept, tried again */
	struct ctp_jemalloc_layout layout;
	char msg[256];
};

/* the DSO walk's result for one process image (jemalloc in a DSO: its TLS offset is per process) */
struct proc_entry {
	uint32_t tgid; /* 0 = empty slot */
	uint64_t image, checked_gen, seen_gen;
	enum ctp_probe_tag tag;
	struct ctp_jemalloc_layout layout;
	char msg[256];
};

struct tp_entry {
	uint32_t tid; /* 0 = empty slot */
	pid_t tgid;
	uint64_t start, tp, seen_gen;
	uint64_t image; /* image_id of the process when tp was read; 0 = never matches */
	uint64_t last_a, last_d; /* last counters read (offsets not from DWARF: must not fall) */
};

struct ctp_probe {
	char *proc_root;
	pid_t self;
	struct exe_entry *exes;
	size_t nexes, aexes, exe_evict;
	struct ctp_tidmap tps; /* of struct tp_entry */
	struct ctp_tidmap procs; /* of struct proc_entry, by tgid */
	struct ctp_dso_cache *dsos;
	struct ctp_dbg_env dbg; /* debug root (tests) and the debuginfod client */
	uint64_t gen;
	uint64_t budget_ns, spent_ns; /* time for stopping threads per sample, and used so far */
	pid_t *pending; /* seized threads whose stop we never saw: detach when they stop */
	size_t npending, apending;
	struct ctp_probe_counts k; /* since begin_sample */
	char last_error[256];
	struct ctp_probe_stats stats;
	unsigned char (*readbuf)[SPAN_MAX]; /* BATCH_MAX spans for batched reads, allocated on first use */
	char *dents;                        /* getdents scratch for the liveness listing */
	struct ctp_buf rbuf;                /* a thread's stat, the process's auxv */
	struct ctp_u32vec live;             /* sorted tids of the process just read */
	bool live_ok;
};

static bool debuginfod_on = true; /* ctp_probe_debuginfod_default: for probes made later */

struct ctp_probe *ctp_probe_new(const char *proc_root)
{
	struct ctp_probe *p = ctp_xcalloc(1, sizeof(*p));
	p->proc_root = ctp_xstrdup(proc_root ? proc_root : "/proc");
	p->self = getpid();
	p->gen = 1;
	p->budget_ns = CTP_PROBE_BUDGET_MS_DEFAULT * 1000000ull;
	ctp_buf_init(&p->rbuf, 0);
	ctp_tidmap_init(&p->tps, sizeof(struct tp_entry));
	ctp_tidmap_init(&p->procs, sizeof(struct proc_entry));
	p->dsos = ctp_dso_cache_new();
	p->dbg.dbgd = ctp_dbgd_new(debuginfod_on);
	return p;
}

void ctp_probe_debuginfod_default(bool on)
{
	debuginfod_on = on;
}

void ctp_probe_set_debuginfod(struct ctp_probe *p, bool on)
{
	ctp_dbgd_set_enabled(p->dbg.dbgd, on);
}

void ctp_probe_set_debuginfod_budget_ms(struct ctp_probe *p, uint64_t ms)
{
	ctp_dbgd_set_budget_ms(p->dbg.dbgd, ms ? ms : CTP_PROBE_DEBUGINFOD_MS_DEFAULT);
}

void ctp_probe_set_debug_root(struct ctp_probe *p, const char *dir)
{
	free((char *)p->dbg.debug_root);
	p->dbg.debug_root = dir ? ctp_xstrdup(dir) : NULL;
}

const char *ctp_probe_debuginfod_note(const struct ctp_probe *p)
{
	return ctp_dbgd_note(p->dbg.dbgd);
}

void ctp_probe_set_budget_ms(struct ctp_probe *p, uint64_t ms)
{
	p->budget_ns = ms ? ctp_sat_mul(ms, 1000000) : CTP_PROBE_BUDGET_MS_DEFAULT * 1000000ull;
}

/* detaches the pending threads that stopped, waiting at most total_ns over all of them */
static void settle_pending(struct ctp_probe *p, uint64_t total_ns)
{
	size_t k = 0;
	uint64_t t0 = ctp_now_monotonic_ns();
	for (size_t i = 0; i < p->npending; i++) {
		uint64_t used = ctp_now_monotonic_ns() - t0;
		if (!ctp_probe_settle(p->pending[i], used < total_ns ? total_ns - used : 0))
			p->pending[k++] = p->pending[i];
	}
	p->npending = k;
}

void ctp_probe_free(struct ctp_probe *p)
{
	if (!p)
		return;
	settle_pending(p, p->budget_ns < FREE_SETTLE_NS ? p->budget_ns : FREE_SETTLE_NS);
	free(p->pending);
	free(p->exes);
	ctp_tidmap_release(&p->tps);
	ctp_tidmap_release(&p->procs);
	ctp_dso_cache_free(p->dsos);
	ctp_dbgd_free(p->dbg.dbgd);
	free((char *)p->dbg.debug_root);
	free(p->proc_root);
	free(p->readbuf);
	free(p->dents);
	free(p->live.v);
	ctp_buf_release(&p->rbuf);
	free(p);
}

/* ---------- thread-pointer cache ---------- */

static struct tp_entry *tp_find(struct ctp_probe *p, uint32_t tid)
{
	return ctp_tidmap_find(&p->tps, tid);
}

static void tp_put(struct ctp_probe *p, const struct tp_entry *e)
{
	struct tp_entry *old = tp_find(p, e->tid);
	if (old)
		*old = *e;
	else
		ctp_tidmap_add(&p->tps, e, 256, NULL, NULL);
}

/* the entries seen at or after generation *min_gen */
static bool seen_since(void *e, void *min_gen)
{
	return ((struct tp_entry *)e)->seen_gen >= *(uint64_t *)min_gen;
}

static bool proc_seen_since(void *e, void *min_gen)
{
	return ((struct proc_entry *)e)->seen_gen >= *(uint64_t *)min_gen;
}

void ctp_probe_forget_threads(struct ctp_probe *p)
{
	ctp_tidmap_release(&p->tps);
}

void ctp_probe_begin_sample(struct ctp_probe *p)
{
	memset(&p->k, 0, sizeof(p->k));
	p->last_error[0] = '\0';
	p->spent_ns = 0;
	ctp_dbgd_begin_sample(p->dbg.dbgd);
	if (p->npending)
		settle_pending(p, 0);
	/* threads not seen in the previous sample are gone (or their tid was reused) */
	if (p->tps.cap)
		ctp_tidmap_rebuild(&p->tps, p->tps.cap, seen_since, &p->gen);
	if (p->procs.cap)
		ctp_tidmap_rebuild(&p->procs, p->procs.cap, proc_seen_since, &p->gen);
	p->gen++;
}

/* ---------- attach cache ---------- */

static bool tag_cacheable(enum ctp_probe_tag t)
{
	return t == CTP_PT_OK || t == CTP_PT_JEMALLOC_NOT_FOUND || t == CTP_PT_JEMALLOC_IN_DSO ||
	       t == CTP_PT_ARCH_MISMATCH || t == CTP_PT_DWARF_PARSE_FAILURE;
}

static bool same_exe(const struct exe_entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->ctime.tv_sec == st->st_ctim.tv_sec &&
	       e->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* ---------- the process image and thread states ---------- */

/* field 3 (the state letter) of <proc>/TGID/task/TID/stat, after the name (which may hold any
 * byte); 0 if unreadable */
static char thread_state(struct ctp_probe *p, pid_t tgid, uint32_t tid)
{
	char path[PATH_MAX];
	const char *tok;
	size_t tl;
	snprintf(path, sizeof(path), "%s/%d/task/%u/stat", p->proc_root, (int)tgid, tid);
	if (ctp_read_file_at(AT_FDCWD, path, &p->rbuf) < 0 || ctp_stat_fields(p->rbuf.buf, p->rbuf.len, &tok, &tl, 1) != 1)
		return 0;
	return tl == 1 ? tok[0] : 0;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* per-process state of one ctp_probe_process call */
struct proc_ctx {
	pid_t tgid;
	const struct ctp_jemalloc_layout *l;
	const struct stat *exe; /* NULL: not stat-able */
	bool image_read;
	uint64_t image;
};

/* which executable image the process runs: the exe's identity plus its auxiliary vector, which
 * execve writes afresh (AT_RANDOM, AT_BASE, AT_PHDR, vdso: new addresses under ASLR even for
 * the same file) and nothing else changes. A thread pointer read in another image is never
 * reused. 0 = unknown (matches nothing). Read at most once per ctp_probe_process. */
static uint64_t image_id(struct ctp_probe *p, struct proc_ctx *pc)
{
	char path[PATH_MAX];
	if (pc->image_read)
		return pc->image;
	pc->image_read = true;
	pc->image = 0;
	if (!pc->exe)
		return 0;
	snprintf(path, sizeof(path), "%s/%d/auxv", p->proc_root, (int)pc->tgid);
	if (ctp_read_file_at(AT_FDCWD, path, &p->rbuf) < 0)
		return 0;
	uint64_t h = mix(mix(mix(0, pc->exe->st_dev), pc->exe->st_ino), (uint64_t)pc->exe->st_ctim.tv_sec);
	h = mix(h, (uint64_t)pc->exe->st_ctim.tv_nsec);
	for (size_t i = 0; i + 8 <= p->rbuf.len; i += 8) {
		uint64_t v;
		memcpy(&v, p->rbuf.buf + i, 8);
		h = mix(h, v);
	}
	pc->image = h ? h : 1;
	return pc->image;
}

/* ---------- attach caches ---------- */

static void exe_cache_put(struct ctp_probe *p, const struct exe_entry *tmp, const struct ctp_jemalloc_layout **layout)
{
	size_t slot = p->nexes;
	if (p->nexes == EXE_CACHE_MAX) {
		slot = p->exe_evict++ % EXE_CACHE_MAX; /* a process can make new files at will */
	} else {
		if (p->nexes == p->aexes) {
			p->aexes = p->aexes ? p->aexes * 2 : 16;
			p->exes = ctp_xrealloc(p->exes, p->aexes * sizeof(*p->exes));
		}
		p->nexes++;
	}
	p->exes[slot] = *tmp;
	if (!tmp->exe_none)
		*layout = &p->exes[slot].layout;
}

/* keeps a per-process result (jemalloc in a DSO, or none) for pc's image; tmp holds it when it
 * cannot be kept (image unknown, or a failure worth retrying at once) */
static enum ctp_probe_tag proc_store(struct ctp_probe *p, struct proc_ctx *pc, struct exe_entry *tmp,
				     const struct ctp_jemalloc_layout **layout)
{
	uint64_t img = image_id(p, pc);
	*layout = &tmp->layout;
	if (!img || tmp->deferred || (tmp->tag != CTP_PT_OK && tmp->tag != CTP_PT_JEMALLOC_NOT_FOUND && tmp->tag != CTP_PT_JEMALLOC_IN_DSO))
		return tmp->tag;
	struct proc_entry n = { .tgid = (uint32_t)pc->tgid, .image = img, .checked_gen = p->gen, .seen_gen = p->gen,
				.tag = tmp->tag, .layout = tmp->layout };
	snprintf(n.msg, sizeof(n.msg), "%s", tmp->msg);
	struct proc_entry *e = ctp_tidmap_find(&p->procs, n.tgid);
	if (e)
		*e = n;
	else
		e = ctp_tidmap_add(&p->procs, &n, 64, NULL, NULL);
	*layout = &e->layout;
	return e->tag;
}

/* one attach into tmp; a layout is accepted only with a bounded counter span (the batched
 * read relies on it) */
static void attach_into(struct ctp_probe *p, pid_t tgid, bool skip_exe, struct exe_entry *tmp)
{
	struct ctp_err err = { 0 };
	struct ctp_attach_io io = { .cache = p->dsos, .env = &p->dbg, .skip_exe = skip_exe };
	p->stats.attaches++;
	memset(tmp, 0, sizeof(*tmp));
	tmp->tag = ctp_probe_attach_cached(p->proc_root, tgid, &io, &tmp->layout, &err);
	tmp->exe_none = io.exe_none;
	tmp->deferred = io.deferred && tmp->tag != CTP_PT_OK;
	const struct ctp_dbgd_stats *ds = ctp_dbgd_stats(p->dbg.dbgd);
	p->stats.debuginfod_queries = ds->queries;
	p->stats.debuginfod_found = ds->found;
	p->stats.debuginfod_ns = ds->spent_ns;
	if (tmp->tag == CTP_PT_OK && !ctp_probe_layout_check(&tmp->layout, &err)) {
		char why[sizeof(err.msg)];
		snprintf(why, sizeof(why), "%s", err.msg);
		ctp_err_set(&err, CTP_E_RANGE, 0, tmp->layout.elf_path, "%s", why);
		tmp->tag = CTP_PT_DWARF_PARSE_FAILURE;
	}
	if (tmp->tag != CTP_PT_OK)
		ctp_err_str(&err, tmp->msg, sizeof(tmp->msg));
	snprintf(p->last_error, sizeof(p->last_error), "%s", tmp->msg);
}

/* the process's result when its exe carries no jemalloc: kept per process image, walked again
 * every DSO_RECHECK samples unless measured (a later dlopen) */
static enum ctp_probe_tag lookup_proc(struct ctp_probe *p, struct proc_ctx *pc, struct exe_entry *tmp,
				      const struct ctp_jemalloc_layout **layout)
{
	uint64_t img = image_id(p, pc);
	struct proc_entry *e = ctp_tidmap_find(&p->procs, (uint32_t)pc->tgid);
	if (e && img && e->image == img && (e->tag == CTP_PT_OK || p->gen - e->checked_gen < DSO_RECHECK)) {
		e->seen_gen = p->gen;
		p->stats.attach_cache_hits++;
		snprintf(p->last_error, sizeof(p->last_error), "%s", e->msg);
		*layout = &e->layout;
		return e->tag;
	}
	attach_into(p, pc->tgid, true, tmp);
	return proc_store(p, pc, tmp, layout);
}

/* the attach result for pc: per executable (dev, ino, ctime) when the exe decides it, per process
 * image when jemalloc is (or may be) in a DSO. Cached only if the exe was the same before and
 * after the attach (no execve in between). *layout points into a cache or at tmp. */
static enum ctp_probe_tag lookup_exe(struct ctp_probe *p, struct proc_ctx *pc, struct exe_entry *tmp,
				     const struct ctp_jemalloc_layout **layout)
{
	char path[PATH_MAX];
	struct stat st2;
	const struct stat *st = pc->exe;
	for (size_t i = 0; st && i < p->nexes; i++) {
		struct exe_entry *e = &p->exes[i];
		if (!same_exe(e, st))
			continue;
		if (e->exe_none)
			return lookup_proc(p, pc, tmp, layout);
		p->stats.attach_cache_hits++;
		*layout = &e->layout;
		snprintf(p->last_error, sizeof(p->last_error), "%s", e->msg);
		return e->tag;
	}
	attach_into(p, pc->tgid, false, tmp);
	*layout = &tmp->layout;
	snprintf(path, sizeof(path), "%s/%d/exe", p->proc_root, (int)pc->tgid);
	tmp->dev = st ? st->st_dev : 0;
	tmp->ino = st ? st->st_ino : 0;
	tmp->ctime = st ? st->st_ctim : (struct timespec){ 0, 0 };
	bool stable = st && stat(path, &st2) == 0 && same_exe(tmp, &st2);
	if (stable && !tmp->deferred && (tmp->exe_none || tag_cacheable(tmp->tag)))
		exe_cache_put(p, tmp, layout);
	return tmp->exe_none ? proc_store(p, pc, tmp, layout) : tmp->tag;
}

/* ---------- per-thread results ---------- */

static void set_fail(struct ctp_probe *p, struct ctp_probe_thread_result *r, enum ctp_probe_tag t,
		     const struct ctp_err *err)
{
	r->ok = false;
	r->allocated = r->deallocated = 0;
	r->tag = t;
	snprintf(r->error, sizeof(r->error), "%s", err ? err->msg : "");
	p->k.tags[t]++;
	p->k.failed++;
}

static void set_ok(struct ctp_probe *p, struct ctp_probe_thread_result *r, uint64_t a, uint64_t d)
{
	r->ok = true;
	r->allocated = a;
	r->deallocated = d;
	r->tag = CTP_PT_OK;
	r->error[0] = '\0';
	p->k.probed_ok++;
}

/* the thread is still in tgid after a batched read (the read itself cannot tell): with many
 * threads one listing of /proc/TGID/task answers for all, else one tgkill(0) each */
#define LIVE_LIST_MIN 8

static bool in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] == x)
			return true;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool thread_alive(const struct ctp_probe *p, pid_t tgid, uint32_t tid)
{
	if (p->live_ok)
		return in_sorted(p->live.v, p->live.n, tid);
	return syscall(SYS_tgkill, tgid, (pid_t)tid, 0) == 0 || errno != ESRCH;
}

/* lists tgid's threads into p->live; on failure live_ok stays false (tgkill path) */
static void list_live_threads(struct ctp_probe *p, pid_t tgid)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%d/task", p->proc_root, (int)tgid);
	if (!p->dents)
		p->dents = ctp_xmalloc(DENTS_SIZE);
	p->live_ok = ctp_list_numeric_at(AT_FDCWD, path, p->dents, DENTS_SIZE, &p->live) == 0;
}

/* a cached thread pointer that failed a read is not trusted again: the next sample stops the
 * thread afresh (an exec the image check missed, a thread that went away) */
static void tp_distrust(struct ctp_probe *p, uint32_t tid)
{
	struct tp_entry *e = tp_find(p, tid);
	if (e)
		e->image = 0;
}

/* offsets not from DWARF: a thread's counters never fall between reads (else its thread
 * pointer or the offsets are not what they seem) */
static bool monotonic(struct ctp_probe *p, uint32_t tid, uint64_t a, uint64_t d, struct ctp_err *err)
{
	struct tp_entry *e = tp_find(p, tid);
	if (e && (a < e->last_a || d < e->last_d)) {
		ctp_err_set(err, CTP_E_RANGE, 0, "", "tid %u: counters fell (%llu/%llu after %llu/%llu): not jemalloc's", tid,
			    (unsigned long long)a, (unsigned long long)d, (unsigned long long)e->last_a,
			    (unsigned long long)e->last_d);
		return false;
	}
	if (e) {
		e->last_a = a;
		e->last_d = d;
	}
	return true;
}

/* one process_vm_readv for the cached threads idx[0..n); stragglers go one by one */
static void batch_read(struct ctp_probe *p, const struct ctp_jemalloc_layout *l, pid_t tgid, const uint32_t *tids,
		       const size_t *idx, const uint64_t *tp, size_t n, struct ctp_probe_thread_result *out)
{
	struct iovec local[BATCH_MAX], remote[BATCH_MAX];
	struct ctp_err err = { 0 };
	/* accepted layouts are bounded (lookup_exe); checked again since each iovec writes span
	 * bytes into a SPAN_MAX slot */
	if (!ctp_probe_layout_check(l, &err)) {
		for (size_t i = 0; i < n; i++)
			set_fail(p, &out[idx[i]], CTP_PT_TLS_ARITHMETIC, &err);
		return;
	}
	if (!p->readbuf)
		p->readbuf = ctp_xmalloc(BATCH_MAX * sizeof(*p->readbuf));
	unsigned char (*buf)[SPAN_MAX] = p->readbuf;
	size_t span = (size_t)(l->off_dealloc + 8 - l->off_alloc), m = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t addr;
		if (!ctp_tls_counter_addr(l, tp[i], &addr)) {
			ctp_err_set(&err, CTP_E_RANGE, 0, "", "TLS address arithmetic overflows for tid %u", tids[idx[i]]);
			set_fail(p, &out[idx[i]], CTP_PT_TLS_ARITHMETIC, &err);
			continue;
		}
		local[m] = (struct iovec){ buf[m], span };
		remote[m] = (struct iovec){ (void *)(uintptr_t)addr, span };
		m++;
	}
	ssize_t got = m ? process_vm_readv(tgid, local, m, remote, m, 0) : 0;
	size_t done = got > 0 ? (size_t)got / span : 0;
	p->live_ok = false;
	if (done >= LIVE_LIST_MIN)
		list_live_threads(p, tgid); /* after the read: a thread listed now was alive during it */
	p->stats.batched_reads++;
	for (size_t i = 0, k = 0; i < n; i++) {
		struct ctp_probe_thread_result *r = &out[idx[i]];
		uint64_t a, d;
		enum ctp_probe_tag t;
		if (r->tag == CTP_PT_TLS_ARITHMETIC && !r->ok)
			continue;
		if (k < done) {
			ctp_probe_decode_pair(l, buf[k], &a, &d);
			t = CTP_PT_OK;
			if (!thread_alive(p, tgid, tids[idx[i]])) {
				ctp_err_set(&err, CTP_E_IO, ESRCH, "", "process_vm_readv on tid %u: %s", tids[idx[i]],
					    strerror(ESRCH));
				t = CTP_PT_PROCESS_VM_READV;
			}
		} else {
			t = ctp_probe_thread_fast(l, (pid_t)tids[idx[i]], tp[i], &a, &d, &err);
		}
		k++;
		if (t == CTP_PT_OK && l->source != CTP_LAYOUT_DWARF && !monotonic(p, tids[idx[i]], a, d, &err))
			t = CTP_PT_COUNTERS_IMPLAUSIBLE;
		if (t == CTP_PT_OK) {
			set_ok(p, r, a, d);
		} else {
			set_fail(p, r, t, &err);
			tp_distrust(p, tids[idx[i]]);
		}
	}
}

/* ---------- the slow path under the sample's time budget ---------- */

#define WAIT_MIN_NS (20ull * 1000 * 1000) /* a started stop always gets this long */

/* why tid is not stopped now, or CTP_PT_OK: the sample's budget is spent, or the thread sleeps
 * uninterruptibly (state D; a vfork parent waits so until its child execs or exits, and a
 * PTRACE_INTERRUPT would not stop it before) */
static enum ctp_probe_tag slow_gate(struct ctp_probe *p, pid_t tgid, uint32_t tid, struct ctp_err *err)
{
	if (p->spent_ns >= p->budget_ns) {
		ctp_err_set(err, CTP_E_IO, ETIMEDOUT, "", "tid %u not stopped: the probe's %llu ms budget for this sample is spent",
			    tid, (unsigned long long)(p->budget_ns / 1000000));
		return CTP_PT_BUDGET_EXHAUSTED;
	}
	if (thread_state(p, tgid, tid) == 'D') {
		ctp_err_set(err, CTP_E_IO, EAGAIN, "", "tid %u not stopped: uninterruptible sleep (state D, e.g. inside vfork)",
			    tid);
		return CTP_PT_THREAD_BLOCKED;
	}
	return CTP_PT_OK;
}

/* stops one thread (if the gate allows) for its thread pointer and counters; caches the pointer */
static void probe_slow(struct ctp_probe *p, struct proc_ctx *pc, uint32_t tid, uint64_t start,
		       struct ctp_probe_thread_result *r)
{
	struct ctp_err err = { 0 };
	uint64_t tp = 0, a, d;
	bool pending = false;
	enum ctp_probe_tag t = slow_gate(p, pc->tgid, tid, &err);
	if (t != CTP_PT_OK) {
		set_fail(p, r, t, &err);
		return;
	}
	uint64_t left = p->budget_ns - p->spent_ns, t0 = ctp_now_monotonic_ns();
	uint64_t wait = left < WAIT_MIN_NS ? WAIT_MIN_NS : left > WAIT_MAX_NS ? WAIT_MAX_NS : left;
	p->stats.slow_probes++;
	t = ctp_probe_thread_slow_ex(pc->l, (pid_t)tid, wait, &tp, &a, &d, &pending, &err);
	p->spent_ns += ctp_now_monotonic_ns() - t0;
	if (pending) {
		if (p->npending == p->apending) {
			p->apending = p->apending ? p->apending * 2 : 8;
			p->pending = ctp_xrealloc(p->pending, p->apending * sizeof(*p->pending));
		}
		p->pending[p->npending++] = (pid_t)tid;
	}
	if (t == CTP_PT_OK && pc->l->source != CTP_LAYOUT_DWARF && !ctp_probe_plausible(pc->l, (pid_t)tid, tp, a, d, &err))
		t = CTP_PT_COUNTERS_IMPLAUSIBLE;
	if (t != CTP_PT_OK) {
		set_fail(p, r, t, &err);
		return;
	}
	set_ok(p, r, a, d);
	tp_put(p, &(struct tp_entry){ .tid = tid, .tgid = pc->tgid, .start = start, .tp = tp, .seen_gen = p->gen,
				      .image = image_id(p, pc), .last_a = a, .last_d = d });
}

static void probe_threads(struct ctp_probe *p, struct proc_ctx *pc, const uint32_t *tids, const uint64_t *starts,
			  size_t n, struct ctp_probe_thread_result *out)
{
	size_t idx[BATCH_MAX], nb = 0;
	uint64_t tps[BATCH_MAX];
	for (size_t i = 0; i < n; i++) {
		uint64_t start = starts ? starts[i] : 0;
		struct tp_entry *e = tp_find(p, tids[i]);
		memset(&out[i], 0, sizeof(out[i]));
		if (e && e->tgid == pc->tgid && e->start == start && e->image && e->image == image_id(p, pc)) {
			e->seen_gen = p->gen;
			idx[nb] = i;
			tps[nb++] = e->tp;
			p->stats.fast_probes++;
			if (nb == BATCH_MAX) {
				batch_read(p, pc->l, pc->tgid, tids, idx, tps, nb, out);
				nb = 0;
			}
			continue;
		}
		probe_slow(p, pc, tids[i], start, &out[i]);
	}
	if (nb)
		batch_read(p, pc->l, pc->tgid, tids, idx, tps, nb, out);
}

enum ctp_probe_tag ctp_probe_process(struct ctp_probe *p, pid_t tgid, const uint32_t *tids,
				     const uint64_t *start_times, size_t n,
				     struct ctp_probe_thread_result *out)
{
	struct exe_entry tmp;
	struct proc_ctx pc = { .tgid = tgid };
	char path[PATH_MAX];
	struct stat st;
	enum ctp_probe_tag t;

	if (tgid == p->self) {
		for (size_t i = 0; i < n; i++) {
			memset(&out[i], 0, sizeof(out[i]));
			out[i].tag = CTP_PT_SELF_PROBE_REJECTED;
		}
		snprintf(p->last_error, sizeof(p->last_error), "refusing to probe our own pid %d", (int)tgid);
		return CTP_PT_SELF_PROBE_REJECTED;
	}
	p->k.tgids_walked++;
	snprintf(path, sizeof(path), "%s/%d/exe", p->proc_root, (int)tgid);
	pc.exe = stat(path, &st) == 0 ? &st : NULL;
	t = lookup_exe(p, &pc, &tmp, &pc.l);
	if (t != CTP_PT_OK) {
		p->k.tags[t]++;
		if (!ctp_probe_tag_routine(t))
			p->k.failed++;
		for (size_t i = 0; i < n; i++) {
			memset(&out[i], 0, sizeof(out[i]));
			out[i].tag = t;
			snprintf(out[i].error, sizeof(out[i].error), "%s", p->last_error);
		}
		return t;
	}
	p->k.jemalloc_detected++;
	probe_threads(p, &pc, tids, start_times, n, out);
	return CTP_PT_OK;
}

const char *ctp_probe_last_error(const struct ctp_probe *p)
{
	return p->last_error;
}

uint64_t ctp_probe_tag_count(const struct ctp_probe *p, enum ctp_probe_tag t)
{
	return (unsigned)t < CTP_PT_NTAGS ? p->k.tags[t] : 0;
}

const struct ctp_probe_stats *ctp_probe_stats(const struct ctp_probe *p)
{
	return &p->stats;
}

const struct ctp_probe_counts *ctp_probe_counts(const struct ctp_probe *p)
{
	return &p->k;
}
