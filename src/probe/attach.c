/* attach.c — the probe's attach phase (design/jemalloc-probe.md §2): PT_TLS + `*tsd_tls`
 * symbol in the target's exe (then a DSO walk to tell "in a DSO" from "not found"), the arch
 * check and the TLS offset arithmetic; the tsd_s member offsets come from debugfile.c (which
 * DWARF) and dwarflayout.c (the offsets in it); a fully stripped exe with jemalloc's strings takes
 * its symbol from its debug file. Every file here is named by the target: opened with
 * ctp_elf_open (ctp_open_regular, capped, mapped only if root alone can truncate it). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/readfile.h"
#include "probe/elfdwarf.h"
#include "probe/jedso.h"
#include "probe/probe.h"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#else
#define HOST_MACHINE EM_NONE
#endif

/* PT_TLS + symbol facts of one ELF */
struct tls_sym {
	uint64_t st_value, st_size, p_vaddr, p_memsz, p_align;
	char name[64];
};

static void elf_init_once(void)
{
	static bool done;
	if (!done) {
		elf_version(EV_CURRENT);
		done = true;
	}
}

static bool find_pt_tls(Elf *elf, struct tls_sym *out)
{
	size_t n;
	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_TLS) {
			out->p_vaddr = ph.p_vaddr;
			out->p_memsz = ph.p_memsz;
			out->p_align = ph.p_align ? ph.p_align : 1;
			return true;
		}
	}
	return false;
}

/* first symbol in the table of type `type` accepted by pred; returns true and its value */
static bool scan_symtab(Elf *elf, Elf64_Word type, bool (*pred)(const char *, const GElf_Sym *), struct tls_sym *ts)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t nsym = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < nsym; i++) {
			GElf_Sym sym;
			const char *name;
			if (!gelf_getsym(data, (int)i, &sym) || !(name = elf_strptr(elf, sh.sh_link, sym.st_name)))
				continue;
			if (pred(name, &sym)) {
				ts->st_value = sym.st_value;
				ts->st_size = sym.st_size;
				snprintf(ts->name, sizeof(ts->name), "%s", name);
				return true;
			}
		}
	}
	return false;
}

static bool tsd_pred(const char *name, const GElf_Sym *s)
{
	return GELF_ST_TYPE(s->st_info) == STT_TLS && s->st_shndx != SHN_UNDEF && ctp_probe_tsd_name_match(name);
}

bool ctp_elf_tsd_symbol(Elf *elf, struct ctp_tsd_sym *out)
{
	struct tls_sym ts;
	if (!scan_symtab(elf, SHT_SYMTAB, tsd_pred, &ts) && !scan_symtab(elf, SHT_DYNSYM, tsd_pred, &ts))
		return false;
	out->st_value = ts.st_value;
	out->st_size = ts.st_size;
	snprintf(out->name, sizeof(out->name), "%s", ts.name);
	return true;
}

/* jemalloc's own message prefix in a read-only data section: a fully stripped exe worth a debug
 * file lookup (debuginfod is asked only for these, not for every process with a PT_TLS) */
static bool jemalloc_strings(Elf *elf)
{
	static const char mark[] = "<jemalloc>: ";
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & (SHF_EXECINSTR | SHF_WRITE)) || !(d = elf_rawdata(scn, NULL)) || !d->d_buf)
			continue;
		if (memmem(d->d_buf, d->d_size, mark, sizeof(mark) - 1))
			return true;
	}
	return false;
}

/* §2.1: PT_TLS first, then .symtab, then .dynsym */
static bool find_tsd_tls(Elf *elf, struct tls_sym *out, char *why, size_t whylen)
{
	if (!find_pt_tls(elf, out)) {
		snprintf(why, whylen, "no PT_TLS program header (no static TLS)");
		return false;
	}
	if (scan_symtab(elf, SHT_SYMTAB, tsd_pred, out) || scan_symtab(elf, SHT_DYNSYM, tsd_pred, out))
		return true;
	snprintf(why, whylen, "no STT_TLS symbol named tsd_tls or *_tsd_tls in .symtab/.dynsym");
	return false;
}

/* ---------- attach ---------- */

struct attach_ctx {
	const char *proc_root;
	pid_t pid;
	struct ctp_attach_io *io;
	char exe[PATH_MAX];
	char last_why[512];
};

static enum ctp_probe_tag fail(struct ctp_err *err, enum ctp_probe_tag t, int e, const char *fmt, const char *a,
			       const char *b)
{
	ctp_err_set(err, e == EACCES || e == EPERM ? CTP_E_PERM : CTP_E_IO, e, "", fmt, a, b);
	return t;
}

/* no DWARF (issue 19, §8.4): the counters from the exe's own malloc/free (local exec: the
 * linker's immediate or an absolute %fs:disp32), named as jemalloc's public API is for the
 * *tsd_tls prefix (none, or that prefix without its "je_"). The counter must lie inside tsd_tls
 * (st_size), the state byte before it; out->tls_offset is already set. */
static bool exe_code_offsets(Elf *elf, const struct tls_sym *ts, struct ctp_jemalloc_layout *out, char *why,
			     size_t whylen)
{
	char pfx[3][64];
	size_t np = 0, n = strlen(ts->name) - 7; /* "tsd_tls" */
	struct ctp_codepat p;
	snprintf(pfx[np++], sizeof(pfx[0]), "%s", "");
	if (n > 3 && n < sizeof(pfx[0]) && !strncmp(ts->name + n - 3, "je_", 3))
		snprintf(pfx[np++], sizeof(pfx[0]), "%.*s", (int)(n - 3), ts->name);
	if (n > 0 && n < sizeof(pfx[0]))
		snprintf(pfx[np++], sizeof(pfx[0]), "%.*s", (int)n, ts->name);
	for (size_t i = np; i-- > 0;) {
		if (!ctp_codepat_elf(elf, SHT_SYMTAB, pfx[i], &p, why, whylen))
			continue;
		/* TP + base + disp = image start + st_value + off, image start = TP - tls_offset */
		int64_t off = p.base + p.disp + (int64_t)out->tls_offset - (int64_t)ts->st_value;
		if (p.got || off < 8 || (uint64_t)off + 32 > ts->st_size) {
			snprintf(why, whylen, "counter at %lld not inside %s (%llu bytes)%s", (long long)off, ts->name,
				 (unsigned long long)ts->st_size, p.got ? " or read through a GOT" : "");
			return false;
		}
		out->off_alloc = (uint64_t)off;
		out->off_dealloc = (uint64_t)off + 16;
		out->source = CTP_LAYOUT_CODE_EXE;
		return true;
	}
	return false;
}

/* the arch check and the exe's TLS block offset (out->tls_offset) */
static enum ctp_probe_tag exe_tls(struct attach_ctx *x, Elf *elf, const struct tls_sym *ts,
				  struct ctp_jemalloc_layout *out, struct ctp_err *err)
{
	GElf_Ehdr eh;
	uint64_t fb, mem, off;

	if (!gelf_getehdr(elf, &eh) || eh.e_machine != HOST_MACHINE || HOST_MACHINE == EM_NONE) {
		ctp_err_set(err, CTP_E_NOSYS, 0, x->exe, "target e_machine %u differs from the probe's %u",
			    gelf_getehdr(elf, &eh) ? eh.e_machine : 0, HOST_MACHINE);
		return CTP_PT_ARCH_MISMATCH;
	}
	out->e_machine = eh.e_machine;
	out->st_value = ts->st_value;
	out->p_align = ts->p_align;
	/* glibc: l_tls_offset = roundup(memsz - fb, align) + fb, fb = (-(vaddr & (align-1))) & (align-1) */
	fb = (0 - (ts->p_vaddr & (ts->p_align - 1))) & (ts->p_align - 1);
	if (ts->p_memsz < fb || !ctp_tls_round_up(ts->p_memsz - fb, ts->p_align, &mem) ||
	    __builtin_add_overflow(mem, fb, &off)) {
		ctp_err_set(err, CTP_E_RANGE, 0, x->exe, "PT_TLS size arithmetic overflows");
		return CTP_PT_DWARF_PARSE_FAILURE;
	}
	out->tls_offset = off;
	return CTP_PT_OK;
}

/* the exe carries the symbol: arch check, then the DWARF cascade */
static enum ctp_probe_tag exe_layout(struct attach_ctx *x, Elf *elf, const struct tls_sym *ts,
				     struct ctp_jemalloc_layout *out, struct ctp_err *err)
{
	enum ctp_probe_tag t = exe_tls(x, elf, ts, out, err);
	if (t != CTP_PT_OK)
		return t;
	char ns_root[PATH_MAX];
	snprintf(ns_root, sizeof(ns_root), "%s/%d/root", x->proc_root, (int)x->pid);
	struct ctp_dw_hunt h = { .ns_root = ns_root, .env = x->io->env };
	if (!ctp_debug_find_offsets(elf, x->exe, &h)) {
		char cwhy[160];
		if (exe_code_offsets(elf, ts, out, cwhy, sizeof(cwhy)))
			return CTP_PT_OK;
		x->io->deferred |= h.deferred;
		ctp_err_set(err, CTP_E_FORMAT, 0, x->exe, "no usable DWARF for tsd_s: %s%s%s%s%s; fast-path code: %s",
			    h.refused, h.refused[0] ? "; " : "",
			    h.why[0] ? h.why : "no .debug_info inline or in external debug files",
			    h.dbgd_why[0] ? "; " : "", h.dbgd_why, cwhy);
		return CTP_PT_DWARF_PARSE_FAILURE;
	}
	out->off_alloc = h.a;
	out->off_dealloc = h.d;
	return CTP_PT_OK;
}

static enum ctp_probe_tag read_exe_link(struct attach_ctx *x, struct ctp_err *err)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%d/exe", x->proc_root, (int)x->pid);
	ssize_t n = readlink(p, x->exe, sizeof(x->exe) - 1);
	if (n < 0)
		return fail(err, CTP_PT_READLINK_FAILURE, errno, "readlink %s: %s", p, strerror(errno));
	x->exe[n] = '\0';
	if (n > 10 && !strcmp(x->exe + n - 10, " (deleted)"))
		x->exe[n - 10] = '\0';
	return CTP_PT_OK;
}

/* a fully stripped exe (no .symtab, no DWARF) with jemalloc linked in: its malloc/free are
 * exported for interposition, their fast paths give the counters, which must lie in PT_TLS */
static bool stripped_exe(struct attach_ctx *x, Elf *elf, struct ctp_jemalloc_layout *out)
{
	struct tls_sym ts = { 0 };
	struct ctp_codepat p;
	struct ctp_err e = { 0 };
	char why[160];
	if (!find_pt_tls(elf, &ts) || !ctp_codepat_elf(elf, SHT_DYNSYM, "", &p, why, sizeof(why)) || p.got ||
	    exe_tls(x, elf, &ts, out, &e) != CTP_PT_OK)
		return false;
	int64_t m = p.base + p.disp + (int64_t)out->tls_offset;
	if (m < 8 || (uint64_t)m + 32 > ts.p_memsz) {
		snprintf(x->last_why, sizeof(x->last_why), "exported malloc's counter at %lld outside PT_TLS", (long long)m);
		return false;
	}
	out->st_value = 0;
	out->off_alloc = (uint64_t)m;
	out->off_dealloc = (uint64_t)m + 16;
	out->source = CTP_LAYOUT_CODE_EXE;
	return true;
}

/* a fully stripped exe with jemalloc's strings: the *tsd_tls symbol and the offsets from its debug
 * file (build-id path, .gnu_debuglink, debuginfod), as libdw's standard lookup finds it */
static bool stripped_exe_debug(struct attach_ctx *x, Elf *elf, struct ctp_jemalloc_layout *out)
{
	struct tls_sym ts = { 0 };
	struct ctp_err e = { 0 };
	char ns_root[PATH_MAX];
	if (!find_pt_tls(elf, &ts) || !jemalloc_strings(elf) || exe_tls(x, elf, &ts, out, &e) != CTP_PT_OK)
		return false;
	snprintf(ns_root, sizeof(ns_root), "%s/%d/root", x->proc_root, (int)x->pid);
	struct ctp_dw_hunt h = { .ns_root = ns_root, .env = x->io->env, .need_sym = true };
	if (ctp_debug_find_offsets(elf, x->exe, &h)) {
		out->st_value = h.sym.st_value;
		out->off_alloc = h.a;
		out->off_dealloc = h.d;
		out->source = CTP_LAYOUT_DWARF;
		return true;
	}
	x->io->deferred |= h.deferred;
	snprintf(x->last_why, sizeof(x->last_why), "fully stripped exe with jemalloc's strings: %s%s%s%s",
		 h.refused, h.refused[0] ? "; " : "", h.why[0] ? h.why : "no debug file with its symbol",
		 h.dbgd_why[0] ? "; " : "");
	size_t l = strlen(x->last_why);
	snprintf(x->last_why + l, sizeof(x->last_why) - l, "%s", h.dbgd_why);
	return false;
}

/* the exe fast path: CTP_PT_OK / an exe tag, or -1 to fall through to the DSO walk */
static int try_exe(struct attach_ctx *x, struct ctp_jemalloc_layout *out, struct ctp_err *err)
{
	char p[PATH_MAX];
	struct tls_sym ts;
	struct ctp_elf_file f;
	struct ctp_err e = { 0 };
	int r = -1;
	snprintf(p, sizeof(p), "%s/%d/exe", x->proc_root, (int)x->pid);
	if (ctp_elf_open(p, &f, &e) < 0) {
		if (ctp_elf_refused(&e))
			snprintf(x->last_why, sizeof(x->last_why), "refused %s: %s", e.where, e.msg);
		return -1;
	}
	if (find_tsd_tls(f.elf, &ts, x->last_why, sizeof(x->last_why)))
		r = (int)exe_layout(x, f.elf, &ts, out, err);
	else if (stripped_exe_debug(x, f.elf, out) || stripped_exe(x, f.elf, out))
		r = CTP_PT_OK;
	ctp_elf_close(&f);
	return r;
}

/* /proc/PID/maps to its end: a seq_file read returns a short count long before EOF (a process
 * with many mappings, like redis-server, lost its libjemalloc line to one read). -1 with errno */
static int read_maps(const char *path, struct ctp_buf *b)
{
	struct ctp_err e = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	b->len = 0;
	int rc = ctp_read_fd(fd, b, SIZE_MAX, 64u << 20, path, &e);
	close(fd);
	if (rc < 0)
		errno = e.sys_errno ? e.sys_errno : EIO;
	return rc;
}

enum ctp_probe_tag ctp_probe_attach(const char *proc_root, pid_t pid, struct ctp_jemalloc_layout *out,
				    struct ctp_err *err)
{
	struct ctp_attach_io io = { 0 };
	return ctp_probe_attach_cached(proc_root, pid, &io, out, err);
}

enum ctp_probe_tag ctp_probe_attach_cached(const char *proc_root, pid_t pid, struct ctp_attach_io *io,
					   struct ctp_jemalloc_layout *out, struct ctp_err *err)
{
	struct attach_ctx x = { .proc_root = proc_root ? proc_root : "/proc", .pid = pid, .io = io };
	struct ctp_buf maps = CTP_BUF_INIT;
	char p[PATH_MAX], dwhy[200];
	struct stat st;
	enum ctp_probe_tag t;

	elf_init_once();
	io->exe_none = io->deferred = false;
	memset(out, 0, sizeof(*out));
	snprintf(p, sizeof(p), "%s/%d", x.proc_root, (int)pid);
	if (stat(p, &st) < 0)
		return fail(err, CTP_PT_PID_MISSING, errno, "%s: %s", p, strerror(errno));
	if ((t = read_exe_link(&x, err)) != CTP_PT_OK)
		return t;
	snprintf(out->elf_path, sizeof(out->elf_path), "%s", x.exe);
	snprintf(p, sizeof(p), "%s/%d/maps", x.proc_root, (int)pid);
	if (read_maps(p, &maps) < 0) {
		t = fail(err, CTP_PT_MAPS_READ_FAILURE, errno, "read %s: %s", p, strerror(errno));
		ctp_buf_release(&maps);
		return t;
	}
	int r = io->skip_exe ? -1 : try_exe(&x, out, err);
	io->exe_none = r < 0;
	if (r >= 0) {
		ctp_buf_release(&maps);
		return (enum ctp_probe_tag)r;
	}
	t = ctp_dso_attach(x.proc_root, pid, maps.buf, maps.len, x.exe, io->cache, out, err, dwhy, sizeof(dwhy));
	ctp_buf_release(&maps);
	if (t != CTP_PT_JEMALLOC_NOT_FOUND)
		return t;
	if (!x.last_why[0])
		snprintf(x.last_why, sizeof(x.last_why), "%s", dwhy);
	ctp_err_set(err, CTP_E_NOSYS, 0, x.exe,
		    "no jemalloc TLS symbol (tsd_tls, *_tsd_tls) in %s or its r-x mappings%s%s", x.exe,
		    x.last_why[0] ? "; last: " : "", x.last_why);
	return CTP_PT_JEMALLOC_NOT_FOUND;
}
