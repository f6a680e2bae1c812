/* elfdwarf.c — the probe's attach phase (design/jemalloc-probe.md §2): PT_TLS + `*tsd_tls`
 * symbol in the target's exe (then a DSO walk to tell "in a DSO" from "not found"), the arch
 * check, and tsd_s member offsets from DWARF via libdw — inline first, then external debug
 * files found by build-id and .gnu_debuglink (namespace root first, then the host path).
 * Every path here is chosen by the target's owner: files are opened with ctp_open_regular (never a
 * FIFO or device, at most ELF_FILE_MAX bytes), mapped only if root alone can truncate them, and
 * libdw never opens a file itself (no split-DWARF lookup; the dwz alt file is opened here). */
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
#include "capture/readfile.h"

#define M_ALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated"
#define M_DEALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#else
#define HOST_MACHINE EM_NONE
#endif

/* cap on every ELF or debug file read, and on the decompressed size of its sections: a hostile
 * target cannot make root read or allocate more (ctprof-jemalloc-probe(1), FILES) */
#define ELF_FILE_MAX (1ull << 30)

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

/* one ELF file opened safely: ctp_open_regular, then mapped only when no one but root can
 * truncate it (a mapping past a truncation faults with SIGBUS); others are read with pread */
struct elf_file {
	int fd;
	Elf *elf;
};

static void elf_close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	f->elf = NULL;
	f->fd = -1;
}

static int elf_open(const char *path, struct elf_file *f, struct ctp_err *err)
{
	struct stat st;
	f->elf = NULL;
	f->fd = ctp_open_regular(path, 0, ELF_FILE_MAX, &st, err);
	if (f->fd < 0)
		return -1;
	bool root_only = st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH));
	f->elf = elf_begin(f->fd, root_only ? ELF_C_READ_MMAP : ELF_C_READ, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF) {
		elf_close(f);
		return ctp_err_set(err, CTP_E_FORMAT, 0, path, "not an ELF file");
	}
	return 0;
}

/* a missing candidate is routine; anything else (FIFO, device, too large, not ELF) is named */
static bool open_refusal(const struct ctp_err *e)
{
	return e->code != CTP_E_IO || (e->sys_errno != ENOENT && e->sys_errno != ENOTDIR);
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

/* the section buffers libdw takes names from (.debug_info/.debug_types for DW_FORM_string,
 * .debug_str/.debug_line_str, their .dwo/.z/LTO forms, in the file and its alt): a name is used
 * only when its NUL lies inside the buffer it starts in (libdw does not check that) */
struct str_spans {
	const char *p[16];
	size_t n[16], count;
};

/* after dwarf_begin_elf, whose section data elf_getdata hands back */
static void add_spans(Elf *elf, struct str_spans *s)
{
	static const char *const kinds[] = { "debug_info", "debug_types", "debug_str", "debug_line_str" };
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	while ((scn = elf_nextscn(elf, scn)) && s->count < CTP_ARRAY_SIZE(s->p)) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;
		bool want = false;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		for (size_t i = 0; i < CTP_ARRAY_SIZE(kinds); i++)
			want = want || strstr(name, kinds[i]);
		if (want && (d = elf_getdata(scn, NULL)) && d->d_buf && d->d_size) {
			s->p[s->count] = d->d_buf;
			s->n[s->count++] = d->d_size;
		}
	}
}

/* dwarf_diename, or NULL unless the name is NUL-terminated inside a known buffer */
static const char *die_name(const struct str_spans *s, Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	for (size_t i = 0; name && i < s->count; i++)
		if (name >= s->p[i] && name < s->p[i] + s->n[i])
			return memchr(name, 0, (size_t)(s->p[i] + s->n[i] - name)) ? name : NULL;
	return NULL;
}

struct member_hits {
	const struct str_spans *names;
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
	const char *name = die_name(h->names, die);
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

static bool is_tsd_struct(const struct str_spans *s, Dwarf_Die *die)
{
	const char *name = die_name(s, die);
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
			walk_dies(&child, is_tsd_struct(h->names, &child), depth + 1, h);
		if (h->a_struct && h->d_struct)
			return;
	} while (dwarf_siblingof(&child, &child) == 0);
}

static bool cu_preferred(const struct str_spans *s, Dwarf_Die *cudie)
{
	const char *name = die_name(s, cudie);
	size_t n = name ? strlen(name) : 0;
	return name && ((n >= 5 && !strcmp(name + n - 5, "tsd.c")) || strstr(name, "jemalloc"));
}

/* two passes over all units (type units included): jemalloc-looking CUs first. No subdie is
 * asked for and skeleton units are skipped: libdw would open the .dwo file a skeleton names. The
 * pair found must pass ctp_probe_layout_check (the read span is bounded). */
static bool dwarf_offsets(Dwarf *dw, const struct str_spans *names, uint64_t *a, uint64_t *d, char *why,
			  size_t whylen)
{
	struct member_hits h = { .names = names };
	for (int pass = 0; pass < 2 && !(h.a_struct && h.d_struct); pass++) {
		Dwarf_CU *cu = NULL;
		Dwarf_Die cudie;
		uint8_t ut;
		while (dwarf_get_units(dw, cu, &cu, NULL, &ut, &cudie, NULL) == 0) {
			if (ut == DW_UT_skeleton || !cudie.cu || cu_preferred(names, &cudie) != (pass == 0))
				continue;
			walk_dies(&cudie, false, 0, &h);
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
	struct ctp_jemalloc_layout l = { .off_alloc = *a, .off_dealloc = *d };
	struct ctp_err e = { 0 };
	if (!ctp_probe_layout_check(&l, &e)) {
		snprintf(why, whylen, "%s", e.msg);
		return false;
	}
	return true;
}

/* one search for the tsd_s offsets across DWARF sources */
struct dw_hunt {
	const char *ns_root; /* "/proc/PID/root" */
	uint64_t a, d;       /* the offsets, once found */
	char why[160];       /* why the last source had no usable tsd_s */
	char refused[200];   /* the first candidate file refused (FIFO, device, too large), "" if none */
};

static void note_refused(struct dw_hunt *h, const struct ctp_err *e)
{
	if (!h->refused[0] && open_refusal(e))
		snprintf(h->refused, sizeof(h->refused), "refused %s: %s", e->where, e->msg);
}

/* the sections libdw may load or inflate stay under ELF_FILE_MAX in total (a zlib bomb, or
 * many sections over the same bytes, is refused before dwarf_begin_elf) */
static bool sections_sane(Elf *elf)
{
	size_t shstrndx;
	uint64_t total = 0;
	Elf_Scn *scn = NULL;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Chdr ch;
		const char *name;
		uint64_t sz;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		sz = sh.sh_size;
		if ((sh.sh_flags & SHF_COMPRESSED) && gelf_getchdr(scn, &ch))
			sz = ctp_sat_add(sz, ch.ch_size);
		else if ((name = elf_strptr(elf, shstrndx, sh.sh_name)) && !strncmp(name, ".zdebug", 7)) {
			Elf_Data *raw = elf_rawdata(scn, NULL);
			const unsigned char *b = raw ? raw->d_buf : NULL;
			if (b && raw->d_size >= 12 && !memcmp(b, "ZLIB", 4))
				for (int i = 4; i < 12; i++)
					sz = ctp_sat_add(sz, (uint64_t)b[i] << (8 * (11 - i)));
		}
		total = ctp_sat_add(total, sz);
	}
	return total <= ELF_FILE_MAX;
}

/* the directory part of path ("" for a bare name) */
static void dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	snprintf(out, len, "%.*s", slash ? (int)(slash - path) : 0, path);
}

/* /usr/lib/debug/.build-id/xx/yyyy<sfx> for a build id of at least 2 bytes; false otherwise */
static bool build_id_path(const void *id, ssize_t n, const char *sfx, char *out, size_t len)
{
	const unsigned char *b = id;
	if (n < 2 || n > 64)
		return false;
	int o = snprintf(out, len, "/usr/lib/debug/.build-id/%02x/", b[0]);
	for (ssize_t k = 1; k < n; k++)
		o += snprintf(out + o, len - (size_t)o, "%02x", b[k]);
	snprintf(out + o, len - (size_t)o, "%s", sfx);
	return true;
}

/* libdw with its dwz alt file (.gnu_debugaltlink) opened here, or not used at all */
struct dw_file {
	Dwarf *dw, *altdw;
	struct elf_file alt;
};

static void dw_close(struct dw_file *df)
{
	if (df->dw)
		dwarf_end(df->dw); /* an alt set with dwarf_setalt stays ours */
	if (df->altdw)
		dwarf_end(df->altdw);
	elf_close(&df->alt);
}

/* one alt candidate: its build id must match, and it may not name an alt of its own */
static bool try_alt(struct dw_file *df, const char *path, const void *id, ssize_t idlen, struct dw_hunt *h)
{
	struct ctp_err e = { 0 };
	const void *got, *id2;
	const char *name2;
	if (elf_open(path, &df->alt, &e) < 0) {
		note_refused(h, &e);
		return false;
	}
	if (dwelf_elf_gnu_build_id(df->alt.elf, &got) == idlen && !memcmp(got, id, (size_t)idlen) &&
	    sections_sane(df->alt.elf) && (df->altdw = dwarf_begin_elf(df->alt.elf, DWARF_C_READ, NULL))) {
		if (dwelf_dwarf_gnu_debugaltlink(df->altdw, &name2, &id2) <= 0) {
			dwarf_setalt(df->dw, df->altdw);
			return true;
		}
		dwarf_end(df->altdw);
		df->altdw = NULL;
	}
	elf_close(&df->alt);
	return false;
}

/* the alt file, if df->dw names one: build-id path in the target's root, then the link name
 * (absolute: in the target's root; relative: next to the file naming it, dir) */
static bool open_alt(struct dw_file *df, const char *dir, struct dw_hunt *h)
{
	const char *name;
	const void *id;
	char rel[PATH_MAX], path[PATH_MAX * 2];
	ssize_t n = dwelf_dwarf_gnu_debugaltlink(df->dw, &name, &id);
	if (n <= 0)
		return true; /* none, or malformed: libdw then never looks either */
	if (build_id_path(id, n, ".debug", rel, sizeof(rel))) {
		snprintf(path, sizeof(path), "%s%s", h->ns_root, rel);
		if (try_alt(df, path, id, n, h))
			return true;
	}
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s%s", h->ns_root, name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	return *name && try_alt(df, path, id, n, h);
}

/* the offsets from elf's own DWARF; dir is the file's directory (for a relative alt link) */
static bool search_elf(Elf *elf, const char *dir, struct dw_hunt *h)
{
	struct dw_file df = { .alt = { -1, NULL } };
	bool found = false;
	if (!sections_sane(elf)) {
		snprintf(h->why, sizeof(h->why), "sections larger than %llu bytes in all",
			 (unsigned long long)ELF_FILE_MAX);
		return false;
	}
	df.dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!df.dw)
		return false;
	if (open_alt(&df, dir, h)) {
		struct str_spans names = { .count = 0 };
		add_spans(elf, &names);
		add_spans(df.alt.elf, &names);
		found = dwarf_offsets(df.dw, &names, &h->a, &h->d, h->why, sizeof(h->why));
	} else
		snprintf(h->why, sizeof(h->why), "dwz alt file (.gnu_debugaltlink) missing or refused");
	dw_close(&df);
	return found;
}

/* opens path and runs the member search on its DWARF; want_id (if non-NULL) must match */
static bool try_debug_file(const char *path, const void *want_id, ssize_t want_len, struct dw_hunt *h)
{
	struct elf_file f;
	struct ctp_err e = { 0 };
	char dir[PATH_MAX * 2];
	bool found = false;
	if (elf_open(path, &f, &e) < 0) {
		note_refused(h, &e);
		return false;
	}
	if (want_id) {
		const void *id;
		ssize_t n = dwelf_elf_gnu_build_id(f.elf, &id);
		if (n != want_len || memcmp(id, want_id, (size_t)n)) {
			elf_close(&f);
			return false;
		}
	}
	dir_of(path, dir, sizeof(dir));
	found = search_elf(f.elf, dir, h);
	elf_close(&f);
	return found;
}

static bool debuglink_name_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* §2.3 step 3: external debuginfo candidates, namespace root first then the host path */
static bool external_dwarf(Elf *elf, const char *exe, struct dw_hunt *h)
{
	char rel[PATH_MAX], dir[PATH_MAX], path[PATH_MAX * 2];
	const void *id = NULL;
	ssize_t idlen = dwelf_elf_gnu_build_id(elf, &id);
	GElf_Word crc;
	const char *link = dwelf_elf_gnu_debuglink(elf, &crc);

	dir_of(exe, dir, sizeof(dir));
	static const char *const sfx[] = { ".debuginfo", ".debug" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(sfx); i++) {
		snprintf(path, sizeof(path), "%s%s%s", h->ns_root, exe, sfx[i]);
		if (try_debug_file(path, NULL, 0, h))
			return true;
	}
	for (int host = 0; host < 2; host++) {
		const char *root = host ? "" : h->ns_root;
		if (build_id_path(id, idlen, ".debug", rel, sizeof(rel))) {
			snprintf(path, sizeof(path), "%s%s", root, rel);
			if (try_debug_file(path, id, idlen, h))
				return true;
		}
		if (debuglink_name_ok(link)) {
			const char *fmt[] = { "%s%s/%s", "%s%s/.debug/%s", "%s/usr/lib/debug%s/%s" };
			for (size_t i = 0; i < CTP_ARRAY_SIZE(fmt); i++) {
				if (i == 2 && dir[0] != '/')
					continue;
				snprintf(path, sizeof(path), fmt[i], root, dir, link);
				if (try_debug_file(path, NULL, 0, h))
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

	char ns_root[PATH_MAX], exedir[PATH_MAX], dir[PATH_MAX * 2];
	snprintf(ns_root, sizeof(ns_root), "%s/%d/root", x->proc_root, (int)x->pid);
	dir_of(x->exe, exedir, sizeof(exedir));
	snprintf(dir, sizeof(dir), "%s%s", ns_root, exedir);
	struct dw_hunt h = { .ns_root = ns_root };
	if (!search_elf(elf, dir, &h) && !external_dwarf(elf, x->exe, &h)) {
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
	struct elf_file f;
	struct ctp_err e = { 0 }, e2 = { 0 };
	uint64_t v;
	bool found = false;
	snprintf(p, sizeof(p), "%s/%d/root%s", x->proc_root, (int)x->pid, path);
	if (elf_open(p, &f, &e) < 0 && elf_open(path, &f, &e2) < 0) {
		if (open_refusal(&e))
			snprintf(x->last_why, sizeof(x->last_why), "refused %s: %s", e.where, e.msg);
		return false;
	}
	found = find_tsd_tls(f.elf, &ts, why, sizeof(why));
	if (!found && find_pt_tls(f.elf, &ts))
		found = scan_symtab(f.elf, SHT_DYNSYM, mallctl_pred, &v);
	else if (!found)
		snprintf(x->last_why, sizeof(x->last_why), "%s: %s", path, why);
	elf_close(&f);
	return found;
}

/* §2 step 6: r-x file mappings other than the exe, deduplicated; at most 64 files examined */
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
	struct elf_file f;
	struct ctp_err e = { 0 };
	int r = -1;
	snprintf(p, sizeof(p), "%s/%d/exe", x->proc_root, (int)x->pid);
	if (elf_open(p, &f, &e) < 0) {
		if (open_refusal(&e))
			snprintf(x->last_why, sizeof(x->last_why), "refused %s: %s", e.where, e.msg);
		return -1;
	}
	if (find_tsd_tls(f.elf, &ts, x->last_why, sizeof(x->last_why)))
		r = (int)exe_layout(x, f.elf, &ts, out, err);
	elf_close(&f);
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
