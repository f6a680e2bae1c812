/* attach.c — the probe's attach phase (design/jemalloc-probe.md §2): PT_TLS + `*tsd_tls`
 * symbol in the target's exe (then a DSO walk to tell "in a DSO" from "not found"), the arch
 * check and the TLS offset arithmetic; the tsd_s member offsets come from debugfile.c (which
 * DWARF) and dwarflayout.c (the offsets in it). Every file here is named by the target: opened
 * with ctp_elf_open (ctp_open_regular, capped, mapped only if root alone can truncate it). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/readfile.h"
#include "probe/elfdwarf.h"
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
	uint64_t st_value, p_vaddr, p_memsz, p_align;
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
static bool scan_symtab(Elf *elf, Elf64_Word type, bool (*pred)(const char *, const GElf_Sym *), uint64_t *value)
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
				*value = sym.st_value;
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

/* jemalloc's public API exported by a DSO (the distro libjemalloc hides je_tsd_tls) */
static bool mallctl_pred(const char *name, const GElf_Sym *s)
{
	size_t n = strlen(name);
	if (GELF_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
		return false;
	return !strcmp(name, "mallctl") || (n > 8 && !strcmp(name + n - 8, "_mallctl"));
}

/* §2.1: PT_TLS first, then .symtab, then .dynsym */
static bool find_tsd_tls(Elf *elf, struct tls_sym *out, char *why, size_t whylen)
{
	if (!find_pt_tls(elf, out)) {
		snprintf(why, whylen, "no PT_TLS program header (no static TLS)");
		return false;
	}
	if (scan_symtab(elf, SHT_SYMTAB, tsd_pred, &out->st_value) ||
	    scan_symtab(elf, SHT_DYNSYM, tsd_pred, &out->st_value))
		return true;
	snprintf(why, whylen, "no STT_TLS symbol named tsd_tls or *_tsd_tls in .symtab/.dynsym");
	return false;
}

/* ---------- attach ---------- */

struct attach_ctx {
	const char *proc_root;
	pid_t pid;
	char exe[PATH_MAX];
	char last_why[256];
};

static enum ctp_probe_tag fail(struct ctp_err *err, enum ctp_probe_tag t, int e, const char *fmt, const char *a,
			       const char *b)
{
	ctp_err_set(err, e == EACCES || e == EPERM ? CTP_E_PERM : CTP_E_IO, e, "", fmt, a, b);
	return t;
}

/* the exe carries the symbol: arch check, then the DWARF cascade */
static enum ctp_probe_tag exe_layout(struct attach_ctx *x, Elf *elf, const struct tls_sym *ts,
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

	char ns_root[PATH_MAX];
	snprintf(ns_root, sizeof(ns_root), "%s/%d/root", x->proc_root, (int)x->pid);
	struct ctp_dw_hunt h = { .ns_root = ns_root };
	if (!ctp_debug_find_offsets(elf, x->exe, &h)) {
		ctp_err_set(err, CTP_E_FORMAT, 0, x->exe, "no usable DWARF for tsd_s: %s%s%s", h.refused,
			    h.refused[0] ? "; " : "", h.why[0] ? h.why : "no .debug_info inline or in external debug files");
		return CTP_PT_DWARF_PARSE_FAILURE;
	}
	out->off_alloc = h.a;
	out->off_dealloc = h.d;
	return CTP_PT_OK;
}

/* does this DSO carry jemalloc's TLS (symbol, or PT_TLS + exported mallctl)? The path is looked
 * up in the target's root first, then on the host */
static bool dso_has_jemalloc(struct attach_ctx *x, const char *path)
{
	char p[PATH_MAX + 64], why[128];
	struct tls_sym ts;
	struct ctp_elf_file f;
	struct ctp_err e = { 0 }, e2 = { 0 };
	uint64_t v;
	bool found = false;
	snprintf(p, sizeof(p), "%s/%d/root%s", x->proc_root, (int)x->pid, path);
	if (ctp_elf_open(p, &f, &e) < 0 && ctp_elf_open(path, &f, &e2) < 0) {
		if (ctp_elf_refused(&e))
			snprintf(x->last_why, sizeof(x->last_why), "refused %s: %s", e.where, e.msg);
		return false;
	}
	found = find_tsd_tls(f.elf, &ts, why, sizeof(why));
	if (!found && find_pt_tls(f.elf, &ts))
		found = scan_symtab(f.elf, SHT_DYNSYM, mallctl_pred, &v);
	else if (!found)
		snprintf(x->last_why, sizeof(x->last_why), "%s: %s", path, why);
	ctp_elf_close(&f);
	return found;
}

/* §2 step 6: r-x file mappings other than the exe, deduplicated; at most 64 files examined */
static bool dso_walk(struct attach_ctx *x, const struct ctp_buf *maps, char *hit, size_t hitlen)
{
	const char *s = maps->buf, *end = maps->buf + maps->len, *line;
	char seen[64][256];
	size_t nseen = 0, ll;
	while (ctp_next_line(&s, end, &line, &ll)) {
		const char *cur = line, *tok = NULL;
		size_t tl = 0, i;
		char perms[8] = "", path[PATH_MAX];
		for (i = 0; i < 6 && ctp_next_ascii_token(&cur, line + ll, &tok, &tl); i++)
			if (i == 1)
				snprintf(perms, sizeof(perms), "%.*s", (int)tl, tok);
		if (i < 6 || !strchr(perms, 'x') || tok[0] != '/')
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)tl, tok);
		if (!strcmp(path, x->exe))
			continue;
		for (i = 0; i < nseen && strcmp(seen[i], path); i++)
			;
		if (i < nseen)
			continue;
		if (nseen == CTP_ARRAY_SIZE(seen)) {
			snprintf(x->last_why, sizeof(x->last_why), "over %zu r-x file mappings: the rest not examined",
				 CTP_ARRAY_SIZE(seen));
			break;
		}
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", path);
		if (dso_has_jemalloc(x, path)) {
			snprintf(hit, hitlen, "%s", path);
			return true;
		}
	}
	return false;
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
	ctp_elf_close(&f);
	return r;
}

enum ctp_probe_tag ctp_probe_attach(const char *proc_root, pid_t pid, struct ctp_jemalloc_layout *out,
				    struct ctp_err *err)
{
	struct attach_ctx x = { .proc_root = proc_root ? proc_root : "/proc", .pid = pid };
	struct ctp_buf maps = CTP_BUF_INIT;
	char p[PATH_MAX], hit[PATH_MAX];
	struct stat st;
	enum ctp_probe_tag t;

	elf_init_once();
	memset(out, 0, sizeof(*out));
	snprintf(p, sizeof(p), "%s/%d", x.proc_root, (int)pid);
	if (stat(p, &st) < 0)
		return fail(err, CTP_PT_PID_MISSING, errno, "%s: %s", p, strerror(errno));
	if ((t = read_exe_link(&x, err)) != CTP_PT_OK)
		return t;
	snprintf(out->elf_path, sizeof(out->elf_path), "%s", x.exe);
	snprintf(p, sizeof(p), "%s/%d/maps", x.proc_root, (int)pid);
	if (ctp_read_file_at(AT_FDCWD, p, &maps) < 0) {
		t = fail(err, CTP_PT_MAPS_READ_FAILURE, errno, "read %s: %s", p, strerror(errno));
		ctp_buf_release(&maps);
		return t;
	}
	int r = try_exe(&x, out, err);
	if (r >= 0) {
		ctp_buf_release(&maps);
		return (enum ctp_probe_tag)r;
	}
	bool in_dso = dso_walk(&x, &maps, hit, sizeof(hit));
	ctp_buf_release(&maps);
	if (in_dso) {
		ctp_err_set(err, CTP_E_NOSYS, 0, hit,
			    "jemalloc TLS found in shared object %s; only a statically linked jemalloc can be probed "
			    "(relink statically, e.g. via tikv-jemallocator)",
			    hit);
		return CTP_PT_JEMALLOC_IN_DSO;
	}
	ctp_err_set(err, CTP_E_NOSYS, 0, x.exe,
		    "no jemalloc TLS symbol (tsd_tls, *_tsd_tls) in %s or its r-x mappings%s%s", x.exe,
		    x.last_why[0] ? "; last: " : "", x.last_why);
	return CTP_PT_JEMALLOC_NOT_FOUND;
}
