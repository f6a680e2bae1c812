/* ptrace.c — the per-thread read cycle (design/jemalloc-probe.md §4): the slow path stops a
 * thread once (PTRACE_SEIZE, INTERRUPT, bounded __WALL wait, GETREGSET for the thread pointer,
 * frozen counter read, DETACH re-injecting any signal it swallowed); the fast path is one
 * process_vm_readv. Every return after SEIZE detaches; a wait timeout leaves a pending reap. */
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/probe_int.h"

#ifndef NT_ARM_TLS
#define NT_ARM_TLS 0x401
#endif

#define WAIT_BUDGET_NS (250ull * 1000 * 1000)

static enum ctp_probe_tag perr(struct ctp_err *err, enum ctp_probe_tag t, int e, const char *what, pid_t tid)
{
	ctp_err_set(err, e == EPERM || e == EACCES ? CTP_E_PERM : CTP_E_IO, e, "", "%s on tid %d: %s", what,
		    (int)tid, strerror(e));
	return t;
}

static enum ctp_probe_tag read_pair(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t tp, uint64_t *alloc,
				    uint64_t *dealloc, struct ctp_err *err)
{
	uint64_t addr, buf[8];
	size_t span = (size_t)(l->off_dealloc + 8 - l->off_alloc);
	if (span > sizeof(buf) || !ctp_tls_counter_addr(l, tp, &addr)) {
		ctp_err_set(err, CTP_E_RANGE, 0, "", "TLS address arithmetic overflows for tid %d (tp %#llx)",
			    (int)tid, (unsigned long long)tp);
		return CTP_PT_TLS_ARITHMETIC;
	}
	struct iovec local = { buf, span }, remote = { (void *)(uintptr_t)addr, span };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return perr(err, CTP_PT_PROCESS_VM_READV, errno, "process_vm_readv", tid);
	if ((size_t)n != span) {
		ctp_err_set(err, CTP_E_IO, 0, "", "process_vm_readv on tid %d: short read %zd of %zu", (int)tid, n,
			    span);
		return CTP_PT_PROCESS_VM_READV;
	}
	ctp_probe_decode_pair(l, (const unsigned char *)buf, alloc, dealloc);
	return CTP_PT_OK;
}

void ctp_probe_decode_pair(const struct ctp_jemalloc_layout *l, const unsigned char *b, uint64_t *alloc,
			   uint64_t *dealloc)
{
	/* little-endian u64s; both supported arches are LE */
	memcpy(alloc, b, 8);
	memcpy(dealloc, b + (l->off_dealloc - l->off_alloc), 8);
}

enum ctp_probe_tag ctp_probe_thread_fast(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t tp,
					 uint64_t *alloc, uint64_t *dealloc, struct ctp_err *err)
{
	return read_pair(l, tid, tp, alloc, dealloc, err);
}

static int get_tp(pid_t tid, uint64_t *tp)
{
#if defined(__x86_64__)
	struct user_regs_struct regs;
	struct iovec iov = { &regs, sizeof(regs) };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	*tp = regs.fs_base;
	return 0;
#elif defined(__aarch64__)
	uint64_t v = 0;
	struct iovec iov = { &v, 8 };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_ARM_TLS, &iov) < 0)
		return -1;
	if (iov.iov_len < 8) {
		errno = EIO;
		return -1;
	}
	*tp = v;
	return 0;
#else
	(void)tid, (void)tp;
	errno = ENOSYS;
	return -1;
#endif
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* waits for the INTERRUPT stop: spins with sched_yield, then sleeps in growing steps.
 * Returns 1 stopped (*status), 0 timed out, -1 waitpid error (errno), -2 exited (*status) */
static int wait_stop(pid_t tid, int *status, uint64_t budget_ns)
{
	uint64_t start = mono_ns();
	long nap = 20000;
	for (int i = 0;; i++) {
		pid_t r = waitpid(tid, status, WNOHANG | __WALL);
		if (r == tid)
			return WIFSTOPPED(*status) ? 1 : -2;
		if (r < 0 && errno != EINTR)
			return -1;
		if (mono_ns() - start > budget_ns)
			return 0;
		if (i < 200) {
			sched_yield();
		} else {
			struct timespec ts = { 0, nap };
			nanosleep(&ts, NULL);
			if (nap < 1000000)
				nap *= 2;
		}
	}
}

/* the signal to re-inject at detach: 0 for the interrupt/group-stop trap, else the stop signal */
static int reinject_sig(int status)
{
	if ((status >> 16) == PTRACE_EVENT_STOP)
		return 0;
	return WSTOPSIG(status);
}

/* a thread we could not see stop within the budget: keep waiting (bounded) so it is never left
 * traced; returns true once detached or gone */
bool ctp_probe_settle(pid_t tid, uint64_t budget_ns)
{
	int status = 0;
	int r = wait_stop(tid, &status, budget_ns);
	if (r == 1) {
		ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)reinject_sig(status));
		return true;
	}
	if (r < 0)
		return true;
	/* still not stopped: try a detach anyway (works if it stopped just now) */
	return ptrace(PTRACE_DETACH, tid, NULL, NULL) == 0;
}

enum ctp_probe_tag ctp_probe_thread_slow_ex(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t wait_ns,
					    uint64_t *tp, uint64_t *alloc, uint64_t *dealloc, bool *pending,
					    struct ctp_err *err)
{
	int status = 0, w;
	enum ctp_probe_tag t;
	*pending = false;
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0)
		return perr(err, CTP_PT_PTRACE_SEIZE, errno, "ptrace(PTRACE_SEIZE)", tid);
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0) {
		t = perr(err, CTP_PT_PTRACE_INTERRUPT, errno, "ptrace(PTRACE_INTERRUPT)", tid);
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		waitpid(tid, &status, WNOHANG | __WALL);
		return t;
	}
	w = wait_stop(tid, &status, wait_ns);
	if (w <= 0) {
		int e = errno;
		if (w == 0) {
			ctp_err_set(err, CTP_E_IO, ETIMEDOUT, "", "waitpid on tid %d: no stop within %llu ms", (int)tid,
				    (unsigned long long)(wait_ns / 1000000));
			/* one last look; a thread that still has not stopped is settled later */
			*pending = !ctp_probe_settle(tid, 0);
		} else if (w == -2) {
			ctp_err_set(err, CTP_E_IO, ESRCH, "", "waitpid on tid %d: unexpected status (%s %d)", (int)tid,
				    WIFEXITED(status) ? "exited" : "killed by signal",
				    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		} else {
			perr(err, CTP_PT_WAITPID, e, "waitpid", tid);
		}
		return CTP_PT_WAITPID;
	}
	if (get_tp(tid, tp) < 0) {
		t = perr(err, CTP_PT_GET_REGSET, errno, "ptrace(PTRACE_GETREGSET)", tid);
	} else {
		t = read_pair(l, tid, *tp, alloc, dealloc, err);
	}
	if (ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)reinject_sig(status)) < 0)
		waitpid(tid, &status, WNOHANG | __WALL); /* killed while stopped: reap the traced zombie */
	return t;
}

enum ctp_probe_tag ctp_probe_thread_slow(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t *tp,
					 uint64_t *alloc, uint64_t *dealloc, struct ctp_err *err)
{
	bool pending;
	enum ctp_probe_tag t = ctp_probe_thread_slow_ex(l, tid, WAIT_BUDGET_NS, tp, alloc, dealloc, &pending, err);
	if (pending)
		ctp_probe_settle(tid, WAIT_BUDGET_NS);
	return t;
}
