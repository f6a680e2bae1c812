/* elfdwarf.h — internals of the probe's attach phase shared by attach.c (exe, TLS symbol, arch,
 * DSO walk), debugfile.c (opening ELF and debug files safely, finding the DWARF: inline, dwz alt,
 * build-id, .gnu_debuglink) and dwarflayout.c (tsd_s member offsets from a DWARF). Not public. */
#ifndef CTP_PROBE_ELFDWARF_H
#define CTP_PROBE_ELFDWARF_H

#include <elfutils/libdw.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

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

/* one search for the tsd_s offsets across DWARF sources */
struct ctp_dw_hunt {
	const char *ns_root; /* "/proc/PID/root": the target's view of its paths */
	uint64_t a, d;       /* the offsets, once found */
	char why[160];       /* why the last source had no usable tsd_s */
	char refused[200];   /* the first candidate file refused (FIFO, device, too large), "" if none */
};
/* the offsets for the executable exe (a path in the target's root) whose ELF is open as elf:
 * its own DWARF first, then external debug files (namespace root first, then the host path).
 * libdw never opens a file itself: the dwz alt file is opened here, split DWARF is not used. */
bool ctp_debug_find_offsets(Elf *elf, const char *exe, struct ctp_dw_hunt *h);

/* tsd_s's thread_allocated/thread_deallocated member offsets from dw, whose names come from the
 * sections of elf and alt (alt may be NULL): a DIE name is used only when it is NUL-terminated
 * inside one of them. The pair must pass ctp_probe_layout_check. false with why filled otherwise. */
bool ctp_dwarf_tsd_offsets(Dwarf *dw, Elf *elf, Elf *alt, uint64_t *a, uint64_t *d, char *why, size_t whylen);

#endif
