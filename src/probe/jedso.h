/* jedso.h — internals of the probe's DWARF-less paths (issue 19, design/jemalloc-probe.md §8.3,
 * §8.4): counter offsets from the code of jemalloc's malloc/free fast paths (codepat.c), and
 * jemalloc inside a shared object — detection, GOT calibration of its TLS block (dsotls.c).
 * Not public. */
#ifndef CTP_PROBE_JEDSO_H
#define CTP_PROBE_JEDSO_H

#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/probe.h"

/* a thread-pointer-relative counter found in one function's fast path: the counter is at
 * TP + base + disp, base being the content of a GOT slot (got: the slot's link-time address) or a
 * constant (local exec: an immediate the linker relaxed, or 0 for an absolute %fs:disp32) */
struct ctp_codepat {
	bool got;
	uint64_t got_vaddr;
	int64_t base;
	int64_t disp;
};

/* x86_64: the one counter that code (link-time address vaddr) loads or adds at %fs:D(base) and
 * compares at %fs:D+8(base) (jemalloc 5.3: thread_[de]allocated, then its next-event threshold).
 * false with why when none or more than one */
bool ctp_codepat_x86(const unsigned char *code, size_t len, uint64_t vaddr, struct ctp_codepat *out, char *why,
		     size_t whylen);

/* the fast-path counters of the functions named malloc and free (prefixed: pfx + name) in elf's
 * table of type symtab_type; false with why when either is missing or has no recognised pattern,
 * or the two disagree (different base, or free's counter not 16 bytes after malloc's) */
bool ctp_codepat_elf(Elf *elf, unsigned symtab_type, const char *pfx, struct ctp_codepat *alloc, char *why,
		     size_t whylen);

/* verdicts of DSOs seen in maps, kept per (dev, ino) across processes */
struct ctp_dso_cache;
struct ctp_dso_cache *ctp_dso_cache_new(void);
void ctp_dso_cache_free(struct ctp_dso_cache *c);

/* the DSO walk of an attach (maps is /proc/PID/maps, exe the exe's path, skipped): the first
 * mapped DSO that is jemalloc (PT_TLS + its exported API + its fast-path code). CTP_PT_OK with
 * out's TLS fields filled (GOT slot read from the target: per process), CTP_PT_JEMALLOC_IN_DSO
 * when one looks like jemalloc but cannot be measured (err says why), CTP_PT_JEMALLOC_NOT_FOUND
 * otherwise (why: the last reason a DSO was passed over). cache may be NULL. */
enum ctp_probe_tag ctp_dso_attach(const char *proc_root, pid_t pid, const char *maps, size_t mapslen,
				  const char *exe, struct ctp_dso_cache *cache, struct ctp_jemalloc_layout *out,
				  struct ctp_err *err, char *why, size_t whylen);

/* the context of one attach: in, a DSO verdict cache (NULL: none), where debug files are looked
 * for (NULL: defaults, no debuginfod), skip_exe (the exe is known to carry no jemalloc: only the
 * DSO walk runs); out, exe_none (the exe had none: the result is per process) and deferred (a
 * debuginfod lookup was skipped or failed for now: a failed result is worth a retry later) */
struct ctp_dbg_env;
struct ctp_attach_io {
	struct ctp_dso_cache *cache;
	const struct ctp_dbg_env *env;
	bool skip_exe;
	bool exe_none, deferred;
};
/* ctp_probe_attach with the context io */
enum ctp_probe_tag ctp_probe_attach_cached(const char *proc_root, pid_t pid, struct ctp_attach_io *io,
					   struct ctp_jemalloc_layout *out, struct ctp_err *err);

#endif
