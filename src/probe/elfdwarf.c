/* elfdwarf.c — the probe's attach phase (design/jemalloc-probe.md §2): PT_TLS + `*tsd_tls`
 * symbol in the target's exe (then a DSO walk to tell "in a DSO" from "not found"), the arch
 * check, and tsd_s member offsets from DWARF via libdw — inline first, then external debug
 * files found by build-id and .gnu_debuglink (namespace root first, then the host path). */
#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/probe.h"
#include "procfs.h"

#define M_ALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated"
#define M_DEALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated"

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

/* ---------- DWARF ---------- */

struct member_hits {
	bool a_struct, d_struct, a_any, d_any; /* in tsd_s / anywhere */
	uint64_t a_s, d_s, a_x, d_x;
	bool bad_form;
};

static bool member_offset(Dwarf_Die *die, uint64_t *off)
{
	Dwarf_Attribute at;
	Dwarf_Word w;
	if (!dwarf_attr_integrate(die, DW_AT_data_member_location, &at))
		return false;
	if (dwarf_formudata(&at, &w) == 0) {
		*off = w;
		return true;
	}
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation(&at, &ops, &nops) == 0 && nops == 1 && ops[0].atom == DW_OP_plus_uconst) {
		*off = ops[0].number;
		return true;
	}
	return false;
}

static void note_member(Dwarf_Die *die, bool in_tsd, struct member_hits *h)
{
	const char *name = dwarf_diename(die);
	uint64_t off;
	bool is_a, is_d;
	if (!name)
		return;
	is_a = !strcmp(name, M_ALLOC);
	is_d = !is_a && !strcmp(name, M_DEALLOC);
	if (!is_a && !is_d)
		return;
	if (!member_offset(die, &off)) {
		h->bad_form = true;
		return;
	}
	if (is_a && in_tsd && !h->a_struct)
		h->a_struct = true, h->a_s = off;
	if (is_d && in_tsd && !h->d_struct)
		h->d_struct = true, h->d_s = off;
	if (is_a && !h->a_any)
		h->a_any = true, h->a_x = off;
	if (is_d && !h->d_any)
		h->d_any = true, h->d_x = off;
}

static bool is_tsd_struct(Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	return dwarf_tag(die) == DW_TAG_structure_type && name && !strcmp(name, "tsd_s") &&
	       !dwarf_hasattr(die, DW_AT_declaration);
}

/* depth-first over die's children: strategy A (members of tsd_s) and B (any member) */
static void walk_dies(Dwarf_Die *die, bool in_tsd, int depth, struct member_hits *h)
{
	Dwarf_Die child;
	if (depth > 64 || dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		if (tag == DW_TAG_member)
			note_member(&child, in_tsd, h);
		else if (dwarf_haschildren(&child))
			walk_dies(&child, is_tsd_struct(&child), depth + 1, h);
		if (h->a_struct && h->d_struct)
			return;
	} while (dwarf_siblingof(&child, &child) == 0);
}

static bool cu_preferred(Dwarf_Die *cudie)
{
	const char *name = dwarf_diename(cudie);
	size_t n = name ? strlen(name) : 0;
	return name && ((n >= 5 && !strcmp(name + n - 5, "tsd.c")) || strstr(name, "jemalloc"));
}

/* two passes over all units (type units included): jemalloc-looking CUs first */
static bool dwarf_offsets(Dwarf *dw, uint64_t *a, uint64_t *d, char *why, size_t whylen)
{
	struct member_hits h = { 0 };
	for (int pass = 0; pass < 2 && !(h.a_struct && h.d_struct); pass++) {
		Dwarf_CU *cu = NULL;
		Dwarf_Die cudie, subdie;
		uint8_t ut;
		while (dwarf_get_units(dw, cu, &cu, NULL, &ut, &cudie, &subdie) == 0) {
			Dwarf_Die *top = (ut == DW_UT_skeleton || ut == DW_UT_split_compile) ? &subdie : &cudie;
			if (cu_preferred(&cudie) != (pass == 0))
				continue;
			walk_dies(top, false, 0, &h);
			if (h.a_struct && h.d_struct)
				break;
		}
	}
	if (h.a_struct && h.d_struct)
		*a = h.a_s, *d = h.d_s;
	else if (h.a_any && h.d_any)
		*a = h.a_x, *d = h.d_x;
	else {
		snprintf(why, whylen, "tsd_s thread_allocated/thread_deallocated members not found in DWARF%s",
			 h.bad_form ? " (unsupported data_member_location form)" : "");
		return false;
	}
	if (*a >= *d) {
		snprintf(why, whylen, "tsd_s member order unexpected: allocated at %llu >= deallocated at %llu",
			 (unsigned long long)*a, (unsigned long long)*d);
		return false;
	}
	return true;
}

/* opens path and runs the member search on its DWARF; want_id (if non-NULL) must match */
static bool try_debug_file(const char *path, const void *want_id, ssize_t want_len, uint64_t *a, uint64_t *d,
			   char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool found = false;
	if (fd < 0)
		return false;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && want_id) {
		const void *id;
		ssize_t n = dwelf_elf_gnu_build_id(elf, &id);
		if (n != want_len || memcmp(id, want_id, (size_t)n)) {
			elf_end(elf);
			close(fd);
			return false;
		}
	}
	Dwarf *dw = elf ? dwarf_begin_elf(elf, DWARF_C_READ, NULL) : NULL;
	if (dw) {
		found = dwarf_offsets(dw, a, d, why, whylen);
		dwarf_end(dw);
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return found;
}

static bool debuglink_name_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* §2.3 step 3: external debuginfo candidates, namespace root first then the host path */
static bool external_dwarf(Elf *elf, const char *ns_root, const char *exe, uint64_t *a, uint64_t *d, char *why,
			   size_t whylen)
{
	char rel[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 64];
	const void *id = NULL;
	ssize_t idlen = dwelf_elf_gnu_build_id(elf, &id);
	GElf_Word crc;
	const char *link = dwelf_elf_gnu_debuglink(elf, &crc);
	const char *slash = strrchr(exe, '/');

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - exe) : 0, exe);
	static const char *const sfx[] = { ".debuginfo", ".debug" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(sfx); i++) {
		snprintf(path, sizeof(path), "%s%s%s", ns_root, exe, sfx[i]);
		if (try_debug_file(path, NULL, 0, a, d, why, whylen))
			return true;
	}
	for (int host = 0; host < 2; host++) {
		const char *root = host ? "" : ns_root;
		if (idlen >= 2) {
			const unsigned char *b = id;
			int o = snprintf(rel, sizeof(rel), "/usr/lib/debug/.build-id/%02x/", b[0]);
			for (ssize_t k = 1; k < idlen && o < (int)sizeof(rel) - 8; k++)
				o += snprintf(rel + o, sizeof(rel) - (size_t)o, "%02x", b[k]);
			snprintf(path, sizeof(path), "%s%s.debug", root, rel);
			if (try_debug_file(path, id, idlen, a, d, why, whylen))
				return true;
		}
		if (debuglink_name_ok(link)) {
			const char *fmt[] = { "%s%s/%s", "%s%s/.debug/%s", "%s/usr/lib/debug%s/%s" };
			for (size_t i = 0; i < CTP_ARRAY_SIZE(fmt); i++) {
				if (i == 2 && dir[0] != '/')
					continue;
				snprintf(path, sizeof(path), fmt[i], root, dir, link);
				if (try_debug_file(path, NULL, 0, a, d, why, whylen))
					return true;
			}
		}
	}
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
	char why[256] = "", ns_root[PATH_MAX];
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

	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	bool ok = false;
	if (dw) {
		ok = dwarf_offsets(dw, &out->off_alloc, &out->off_dealloc, why, sizeof(why));
		dwarf_end(dw);
	}
	snprintf(ns_root, sizeof(ns_root), "%s/%d/root", x->proc_root, (int)x->pid);
	if (!ok)
		ok = external_dwarf(elf, ns_root, x->exe, &out->off_alloc, &out->off_dealloc, why, sizeof(why));
	if (!ok) {
		ctp_err_set(err, CTP_E_FORMAT, 0, x->exe, "no usable DWARF for tsd_s: %s",
			    why[0] ? why : "no .debug_info inline or in external debug files");
		return CTP_PT_DWARF_PARSE_FAILURE;
	}
	return CTP_PT_OK;
}

/* does this DSO carry jemalloc's TLS (symbol, or PT_TLS + exported mallctl)? */
static bool dso_has_jemalloc(struct attach_ctx *x, const char *path)
{
	char p[PATH_MAX + 64];
	struct tls_sym ts;
	uint64_t v;
	bool found = false;
	snprintf(p, sizeof(p), "%s/%d/root%s", x->proc_root, (int)x->pid, path);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		char why[128];
		found = find_tsd_tls(elf, &ts, why, sizeof(why));
		if (!found && find_pt_tls(elf, &ts))
			found = scan_symtab(elf, SHT_DYNSYM, mallctl_pred, &v);
		else if (!found)
			snprintf(x->last_why, sizeof(x->last_why), "%s: %s", path, why);
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return found;
}

/* §2 step 6: r-x file mappings other than the exe, deduplicated */
static bool dso_walk(struct attach_ctx *x, const struct ctp_buf *maps, char *hit, size_t hitlen)
{
	const char *s = maps->buf, *end = maps->buf + maps->len;
	char seen[64][256];
	size_t nseen = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s)), *cur = s, *tok = NULL;
		const char *le = nl ? nl : end;
		size_t tl = 0, i;
		char perms[8] = "", path[PATH_MAX];
		s = nl ? nl + 1 : end;
		for (i = 0; i < 6 && ctp_next_ascii_token(&cur, le, &tok, &tl); i++)
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
		if (nseen < CTP_ARRAY_SIZE(seen))
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
	int r = -1;
	snprintf(p, sizeof(p), "%s/%d/exe", x->proc_root, (int)x->pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		if (find_tsd_tls(elf, &ts, x->last_why, sizeof(x->last_why)))
			r = (int)exe_layout(x, elf, &ts, out, err);
	}
	if (elf)
		elf_end(elf);
	close(fd);
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
