/* elfdwarf.h — internals of the probe's attach phase shared by attach.c (exe, TLS symbol, arch,
 * DSO walk), debugfile.c (opening ELF and debug files safely, finding the DWARF: inline, dwz alt,
 * build-id, .gnu_debuglink, debuginfod.c's servers) and dwarflayout.c (tsd_s member offsets from
 * a DWARF). Not public. */
#ifndef CTP_PROBE_ELFDWARF_H
#define CTP_PROBE_ELFDWARF_H

#include <elfutils/libdw.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "probe/probe.h"

/* cap on every ELF or debug file read, and on the decompressed size of its sections: a hostile
 * target cannot make root read or allocate more (ctprof-jemalloc-probe(1), FILES) */
#define CTP_ELF_FILE_MAX (1ull << 30)

/* one ELF file opened safely: ctp_open_regular (never a FIFO or device, at most
 * CTP_ELF_FILE_MAX bytes), then mapped only when no one but root can truncate it (a mapping
 * past a truncation faults with SIGBUS); others are read with pread */
struct ctp_elf_file {
	int fd;
	Elf *elf;
};
/* 0, or -1 with err naming path (refused, unreadable, or not an ELF file) */
int ctp_elf_open(const char *path, struct ctp_elf_file *f, struct ctp_err *err);
void ctp_elf_close(struct ctp_elf_file *f);
/* false for a routine miss (the candidate does not exist); true when the open was refused or
 * failed otherwise (FIFO, device, too large, not ELF), which the caller names */
bool ctp_elf_refused(const struct ctp_err *e);

/* ---- debuginfod (debuginfod.c): libdebuginfod loaded with dlopen at first use ---- */
struct ctp_dbgd;
struct ctp_dbgd_stats {
	uint64_t queries, found; /* lookups sent to libdebuginfod (its cache hits included), found */
	uint64_t spent_ns;       /* time in them, in all */
};
enum ctp_dbgd_result {
	CTP_DBGD_FOUND,    /* *path: the debug file in the client's cache (caller frees) */
	CTP_DBGD_ABSENT,   /* not configured, disabled, no library, or no server has it */
	CTP_DBGD_DEFERRED, /* budget spent, timeout, network error (remembered a while): later */
};
struct ctp_dbgd *ctp_dbgd_new(bool enabled);
void ctp_dbgd_free(struct ctp_dbgd *d);
void ctp_dbgd_set_enabled(struct ctp_dbgd *d, bool on);
void ctp_dbgd_set_budget_ms(struct ctp_dbgd *d, uint64_t ms);
/* a new capture: the time budget starts afresh */
void ctp_dbgd_begin_sample(struct ctp_dbgd *d);
/* the debug file of build-id id[0..len) from DEBUGINFOD_URLS (unset or empty: ABSENT at once) */
enum ctp_dbgd_result ctp_dbgd_find(struct ctp_dbgd *d, const void *id, size_t len, char **path, char *why,
				   size_t whylen);
/* "DEBUGINFOD_URLS is set but ...: not used" once the library was needed and missing; NULL */
const char *ctp_dbgd_note(const struct ctp_dbgd *d);
const struct ctp_dbgd_stats *ctp_dbgd_stats(const struct ctp_dbgd *d);

/* where debug files are looked for, for one probe context */
struct ctp_dbg_env {
	const char *debug_root; /* NULL: the target's root, then the host's; else there only (tests) */
	struct ctp_dbgd *dbgd;  /* NULL: no debuginfod */
};

/* the jemalloc TLS symbol of an ELF (.symtab, then .dynsym): STT_TLS, defined, tsd_tls or
 * *_tsd_tls; false if none */
struct ctp_tsd_sym {
	uint64_t st_value, st_size;
	char name[64];
};
bool ctp_elf_tsd_symbol(Elf *elf, struct ctp_tsd_sym *out);

/* one search for the tsd_s offsets across DWARF sources */
struct ctp_dw_hunt {
	const char *ns_root; /* "/proc/PID/root": the target's view of its paths */
	const struct ctp_dbg_env *env; /* NULL: defaults, no debuginfod */
	bool need_sym;       /* the exe has no *tsd_tls (fully stripped): a debug file must give it */
	struct ctp_tsd_sym sym; /* with need_sym: the symbol, from the debug file the offsets came from */
	uint64_t a, d;       /* the offsets, once found */
	bool deferred;       /* a debuginfod lookup was skipped or failed for now: worth a retry */
	char why[160];       /* why the last source had no usable tsd_s */
	char refused[200];   /* the first candidate file refused (FIFO, device, too large), "" if none */
	char dbgd_why[160];  /* the last debuginfod outcome that was not a file, "" if none */
};
/* the offsets for the executable exe (a path in the target's root) whose ELF is open as elf:
 * its own DWARF first (not with need_sym), then external debug files (namespace root first, then
 * the host path, or h->env->debug_root only), then debuginfod by build-id. A candidate by build-id
 * or .gnu_debuglink must carry the exe's build-id (without one: the link's CRC32).
 * libdw never opens a file itself: the dwz alt file is opened here, split DWARF is not used. */
bool ctp_debug_find_offsets(Elf *elf, const char *exe, struct ctp_dw_hunt *h);

/* tsd_s's thread_allocated/thread_deallocated member offsets from dw, whose names come from the
 * sections of elf and alt (alt may be NULL): a DIE name is used only when it is NUL-terminated
 * inside one of them. The pair must pass ctp_probe_layout_check. false with why filled otherwise. */
bool ctp_dwarf_tsd_offsets(Dwarf *dw, Elf *elf, Elf *alt, uint64_t *a, uint64_t *d, char *why, size_t whylen);

#endif
