/* probe.h — remote jemalloc per-thread counter probe (design/jemalloc-probe.md): find the
 * static TLS `*tsd_tls` symbol and the tsd_s counter offsets (ELF + DWARF via libdw), read each
 * thread's thread pointer once with a short PTRACE_SEIZE cycle, then read
 * thread_allocated/thread_deallocated with process_vm_readv. A ctp_probe context caches attach
 * results per executable (st_dev, st_ino, st_ctime) and thread pointers per (tid, start_time,
 * process image), and bounds the time it spends stopping threads in one sample. */
#ifndef CTP_PROBE_H
#define CTP_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/util.h"

/* wire tags (kebab-case names from ctp_probe_tag_name) */
enum ctp_probe_tag {
	CTP_PT_OK = 0,
	/* attach (per process) */
	CTP_PT_PID_MISSING,
	CTP_PT_READLINK_FAILURE,
	CTP_PT_MAPS_READ_FAILURE,
	CTP_PT_JEMALLOC_NOT_FOUND,
	CTP_PT_JEMALLOC_IN_DSO,
	CTP_PT_ARCH_MISMATCH,
	CTP_PT_DWARF_PARSE_FAILURE,
	/* per thread */
	CTP_PT_PTRACE_SEIZE,
	CTP_PT_PTRACE_INTERRUPT,
	CTP_PT_WAITPID,
	CTP_PT_GET_REGSET,
	CTP_PT_PROCESS_VM_READV,
	CTP_PT_TLS_ARITHMETIC,
	/* per thread, not stopped this sample (counted as failed; retried next sample) */
	CTP_PT_THREAD_BLOCKED,   /* state D, e.g. a vfork parent: it would not reach the stop */
	CTP_PT_BUDGET_EXHAUSTED, /* the sample's time budget for stopping threads is spent */
	/* per thread, offsets not from DWARF: the counters fail a plausibility check (tsd state
	 * byte, next-event thresholds, monotonic reads): not measured, stopped afresh next sample */
	CTP_PT_COUNTERS_IMPLAUSIBLE,
	/* not counted anywhere: the caller's own pid */
	CTP_PT_SELF_PROBE_REJECTED,
	CTP_PT_NTAGS
};
const char *ctp_probe_tag_name(enum ctp_probe_tag t);
/* attach tags excluded from `failed` and from the dominant-failure pick */
bool ctp_probe_tag_routine(enum ctp_probe_tag t);

/* where a layout's counter offsets come from: DWARF (the reference's only way), or the code of
 * jemalloc's malloc/free fast paths in the executable or in a shared object (issue 19; checked
 * for plausibility on every thread before a number is given) */
enum ctp_layout_source { CTP_LAYOUT_DWARF, CTP_LAYOUT_CODE_EXE, CTP_LAYOUT_CODE_DSO };
const char *ctp_layout_source_name(enum ctp_layout_source s);

/* what an attach learns about one executable (JemallocProbe in the reference) */
struct ctp_jemalloc_layout {
	char elf_path[512];     /* readlink of /proc/PID/exe, " (deleted)" stripped */
	uint64_t st_value;      /* offset of *tsd_tls in the TLS template */
	uint64_t tls_offset;    /* x86_64: fs_base - image start (fb-aware round_up(memsz, align)) */
	uint64_t p_align;       /* max(PT_TLS p_align, 1) */
	uint16_t e_machine;
	uint64_t off_alloc, off_dealloc; /* tsd_s member offsets, off_alloc < off_dealloc */
	uint8_t source;                  /* enum ctp_layout_source */
	char dso_path[256];              /* CTP_LAYOUT_CODE_DSO: the shared object's path */
};

/* ---- engine pieces (also used directly by tests and the CLI) ---- */
/* most bytes one counter read may span (thread_allocated .. thread_deallocated + 8) */
#define CTP_PROBE_SPAN_MAX 64
/* the counter span off_dealloc + 8 - off_alloc is positive and at most CTP_PROBE_SPAN_MAX;
 * false with err naming the span otherwise (a layout is accepted only if this holds) */
bool ctp_probe_layout_check(const struct ctp_jemalloc_layout *l, struct ctp_err *err);
/* round_up(v, a) with a clamped to >= 1 and power-of-two mask; false on overflow */
bool ctp_tls_round_up(uint64_t v, uint64_t a, uint64_t *out);
/* address of thread_allocated for a thread whose thread pointer is tp; false on overflow */
bool ctp_tls_counter_addr(const struct ctp_jemalloc_layout *l, uint64_t tp, uint64_t *addr);
/* symbol-name predicate: "tsd_tls" or "<non-empty>_tsd_tls" */
bool ctp_probe_tsd_name_match(const char *name);
/* attach: returns CTP_PT_OK or an attach tag, err->msg says why */
enum ctp_probe_tag ctp_probe_attach(const char *proc_root, pid_t pid, struct ctp_jemalloc_layout *out,
				    struct ctp_err *err);
/* slow path: seize/interrupt/wait/GETREGSET/read/detach one thread; fills *tp and counters */
enum ctp_probe_tag ctp_probe_thread_slow(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t *tp,
					 uint64_t *alloc, uint64_t *dealloc, struct ctp_err *err);
/* fast path for one thread: process_vm_readv only */
enum ctp_probe_tag ctp_probe_thread_fast(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t tp,
					 uint64_t *alloc, uint64_t *dealloc, struct ctp_err *err);

/* ---- context ---- */
struct ctp_probe_thread_result {
	uint64_t allocated, deallocated;
	bool ok;
	enum ctp_probe_tag tag; /* CTP_PT_OK when ok */
	char error[160];        /* message without the tag, "" when ok */
};

struct ctp_probe_stats {
	uint64_t slow_probes, fast_probes, batched_reads, attaches, attach_cache_hits;
	/* lookups asked of libdebuginfod (its cache hits included), files it gave, time in them */
	uint64_t debuginfod_queries, debuginfod_found, debuginfod_ns;
};

/* default time budget per sample for stopping threads (the slow path), in ms */
#define CTP_PROBE_BUDGET_MS_DEFAULT 200

struct ctp_probe;
/* proc_root NULL = "/proc" */
struct ctp_probe *ctp_probe_new(const char *proc_root);
/* time budget per sample (between begin_sample calls) for stopping threads: once spent, the
 * remaining new threads get CTP_PT_BUDGET_EXHAUSTED and are stopped in a later sample; cached
 * threads are still read. One stop may overrun it by at most 20 ms. 0 = the default. */
void ctp_probe_set_budget_ms(struct ctp_probe *p, uint64_t ms);
/* debug files (libdw's standard lookup, then debuginfod: DEBUGINFOD_URLS through elfutils'
 * libdebuginfod, loaded with dlopen at first use). debuginfod is on unless turned off for the
 * probes made after ctp_probe_debuginfod_default(false) (--no-debuginfod) or for one probe; its
 * lookups share a time budget per sample (0 = CTP_PROBE_DEBUGINFOD_MS_DEFAULT), a lookup that
 * failed is not sent again for 5 minutes. The note says once why it is not used although
 * DEBUGINFOD_URLS is set (no libdebuginfod.so.1), NULL otherwise. A debug root (tests) replaces
 * the target's and the host's /usr/lib/debug: no debug file is read outside it and the exe's
 * directory. */
#define CTP_PROBE_DEBUGINFOD_MS_DEFAULT 2000
void ctp_probe_debuginfod_default(bool on);
void ctp_probe_set_debuginfod(struct ctp_probe *p, bool on);
void ctp_probe_set_debuginfod_budget_ms(struct ctp_probe *p, uint64_t ms);
const char *ctp_probe_debuginfod_note(const struct ctp_probe *p);
void ctp_probe_set_debug_root(struct ctp_probe *p, const char *dir);
/* detaches anything still pending, frees caches; NULL is a no-op */
void ctp_probe_free(struct ctp_probe *p);
/* start of a sample: resets the summary counters and the time budget, ages the thread-pointer
 * cache */
void ctp_probe_begin_sample(struct ctp_probe *p);
/* probes tids[0..n) of tgid (start_times may be NULL: no tid-reuse check). out[i] is always
 * filled. Returns CTP_PT_OK, the process's attach tag, or CTP_PT_SELF_PROBE_REJECTED for our
 * own pid (nothing counted). n == 0 only attaches (and counts the tgid). */
enum ctp_probe_tag ctp_probe_process(struct ctp_probe *p, pid_t tgid, const uint32_t *tids,
				     const uint64_t *start_times, size_t n,
				     struct ctp_probe_thread_result *out);
/* message of the last attach failure of ctp_probe_process, "" if none */
const char *ctp_probe_last_error(const struct ctp_probe *p);
/* what the probe counted since the last begin_sample (capture's ctp_capture_probe_summary turns
 * it into the snapshot's probe summary) */
struct ctp_probe_counts {
	uint64_t tgids_walked;       /* processes probed (our own pid is not) */
	uint64_t jemalloc_detected;  /* of those, attached */
	uint64_t probed_ok;          /* threads read */
	uint64_t failed;             /* threads not read, plus attaches failed for a non-routine tag */
	uint64_t tags[CTP_PT_NTAGS]; /* per enum ctp_probe_tag */
};
const struct ctp_probe_counts *ctp_probe_counts(const struct ctp_probe *p);
/* ctp_probe_counts(p)->tags[t], 0 for a tag out of range */
uint64_t ctp_probe_tag_count(const struct ctp_probe *p, enum ctp_probe_tag t);
const struct ctp_probe_stats *ctp_probe_stats(const struct ctp_probe *p);
/* drops the thread-pointer cache (benchmarks: force the slow path) */
void ctp_probe_forget_threads(struct ctp_probe *p);

#endif
