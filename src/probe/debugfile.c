/* debugfile.c — where the probe's attach finds a DWARF (design/jemalloc-probe.md §2.3, libdw's
 * standard lookup): the exe's own with its dwz alt file, then debug files by build-id and
 * .gnu_debuglink (target's root, then the host's), then debuginfod.c. Paths come from the target
 * or a server: ctp_open_regular (regular files, capped), build-id or CRC32 match, sections capped,
 * mapped only if root alone can truncate them; libdw never opens a file itself (no split DWARF). */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "probe/elfdwarf.h"

void ctp_elf_close(struct ctp_elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	f->elf = NULL;
	f->fd = -1;
}

int ctp_elf_open(const char *path, struct ctp_elf_file *f, struct ctp_err *err)
{
	struct stat st;
	f->elf = NULL;
	f->fd = ctp_open_regular(path, 0, CTP_ELF_FILE_MAX, &st, err);
	if (f->fd < 0)
		return -1;
	bool root_only = st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH));
	f->elf = elf_begin(f->fd, root_only ? ELF_C_READ_MMAP : ELF_C_READ, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF) {
		ctp_elf_close(f);
		return ctp_err_set(err, CTP_E_FORMAT, 0, path, "not an ELF file");
	}
	return 0;
}

bool ctp_elf_refused(const struct ctp_err *e)
{
	return e->code != CTP_E_IO || (e->sys_errno != ENOENT && e->sys_errno != ENOTDIR);
}

static void note_refused(struct ctp_dw_hunt *h, const struct ctp_err *e)
{
	if (!h->refused[0] && ctp_elf_refused(e))
		snprintf(h->refused, sizeof(h->refused), "refused %s: %s", e->where, e->msg);
}

/* the sections libdw may load or inflate stay under CTP_ELF_FILE_MAX in total (a zlib bomb, or
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
	return total <= CTP_ELF_FILE_MAX;
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
	struct ctp_elf_file alt;
};

static void dw_close(struct dw_file *df)
{
	if (df->dw)
		dwarf_end(df->dw); /* an alt set with dwarf_setalt stays ours */
	if (df->altdw)
		dwarf_end(df->altdw);
	ctp_elf_close(&df->alt);
}

/* one alt candidate: its build id must match, and it may not name an alt of its own */
static bool try_alt(struct dw_file *df, const char *path, const void *id, ssize_t idlen, struct ctp_dw_hunt *h)
{
	struct ctp_err e = { 0 };
	const void *got, *id2;
	const char *name2;
	if (ctp_elf_open(path, &df->alt, &e) < 0) {
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
	ctp_elf_close(&df->alt);
	return false;
}

/* the roots /usr/lib/debug is looked for under: the target's root, then the host's; or the
 * probe's debug root alone (tests: nothing outside it is read) */
static size_t debug_roots(const struct ctp_dw_hunt *h, const char *out[2])
{
	if (h->env && h->env->debug_root) {
		out[0] = h->env->debug_root;
		return 1;
	}
	out[0] = h->ns_root;
	out[1] = "";
	return 2;
}

/* a debug file from debuginfod by build-id, run through try (which checks it); notes the outcome */
static bool from_debuginfod(const void *id, ssize_t n, struct ctp_dw_hunt *h,
			    bool (*try)(const char *path, void *arg, struct ctp_dw_hunt *h), void *arg)
{
	char *path = NULL, why[160] = "";
	if (!h->env || !h->env->dbgd || n < 2)
		return false;
	enum ctp_dbgd_result r = ctp_dbgd_find(h->env->dbgd, id, (size_t)n, &path, why, sizeof(why));
	if (r == CTP_DBGD_FOUND) {
		bool ok = try(path, arg, h);
		if (!ok)
			snprintf(why, sizeof(why), "debuginfod: the debug file served for the build-id was not usable");
		free(path);
		if (ok)
			return true;
	}
	h->deferred |= r == CTP_DBGD_DEFERRED;
	if (why[0])
		snprintf(h->dbgd_why, sizeof(h->dbgd_why), "%s", why);
	return false;
}

struct alt_try {
	struct dw_file *df;
	const void *id;
	ssize_t n;
};

static bool try_alt_cb(const char *path, void *arg, struct ctp_dw_hunt *h)
{
	struct alt_try *t = arg;
	return try_alt(t->df, path, t->id, t->n, h);
}

/* the alt file, if df->dw names one: build-id path under the debug roots, then the link name
 * (absolute: under the target's root or the debug root; relative: next to the file naming it,
 * dir), then debuginfod */
static bool open_alt(struct dw_file *df, const char *dir, struct ctp_dw_hunt *h)
{
	const char *name, *roots[2];
	const void *id;
	char rel[PATH_MAX], path[PATH_MAX * 2];
	ssize_t n = dwelf_dwarf_gnu_debugaltlink(df->dw, &name, &id);
	size_t nr = debug_roots(h, roots);
	if (n <= 0)
		return true; /* none, or malformed: libdw then never looks either */
	for (size_t r = 0; r < nr && build_id_path(id, n, ".debug", rel, sizeof(rel)); r++) {
		snprintf(path, sizeof(path), "%s%s", roots[r], rel);
		if (try_alt(df, path, id, n, h))
			return true;
	}
	if (*name) {
		if (name[0] == '/')
			snprintf(path, sizeof(path), "%s%s", roots[0], name);
		else
			snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (try_alt(df, path, id, n, h))
			return true;
	}
	return from_debuginfod(id, n, h, try_alt_cb, &(struct alt_try){ df, id, n });
}

/* the offsets from elf's own DWARF; dir is the file's directory (for a relative alt link) */
static bool search_elf(Elf *elf, const char *dir, struct ctp_dw_hunt *h)
{
	struct dw_file df = { .alt = { -1, NULL } };
	bool found = false;
	if (!sections_sane(elf)) {
		snprintf(h->why, sizeof(h->why), "sections larger than %llu bytes in all",
			 (unsigned long long)CTP_ELF_FILE_MAX);
		return false;
	}
	df.dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!df.dw)
		return false;
	if (open_alt(&df, dir, h))
		found = ctp_dwarf_tsd_offsets(df.dw, elf, df.alt.elf, &h->a, &h->d, h->why, sizeof(h->why));
	else
		snprintf(h->why, sizeof(h->why), "dwz alt file (.gnu_debugaltlink) missing or refused");
	dw_close(&df);
	return found;
}

/* what a debug file must match: the exe's build-id, else (a .gnu_debuglink candidate) its CRC32 */
struct want {
	const void *id;
	ssize_t idlen;
	bool crc;
	GElf_Word crcv;
};

/* zlib crc32 of the whole open file (at most CTP_ELF_FILE_MAX bytes: ctp_elf_open's cap) */
static bool file_crc_is(int fd, GElf_Word want)
{
	unsigned char buf[65536];
	uLong c = crc32(0, Z_NULL, 0);
	off_t off = 0;
	ssize_t k;
	while ((k = pread(fd, buf, sizeof(buf), off)) > 0) {
		c = crc32(c, buf, (uInt)k);
		off += k;
	}
	return k == 0 && (GElf_Word)c == want;
}

static bool matches(const struct ctp_elf_file *f, const struct want *w)
{
	const void *id;
	if (w->id) {
		ssize_t n = dwelf_elf_gnu_build_id(f->elf, &id);
		return n == w->idlen && !memcmp(id, w->id, (size_t)n);
	}
	return !w->crc || file_crc_is(f->fd, w->crcv);
}

/* opens path, checks it is the exe's (w), takes the TLS symbol from it when the exe has none, and
 * runs the member search on its DWARF */
static bool try_debug_file(const char *path, void *arg, struct ctp_dw_hunt *h)
{
	const struct want *w = arg;
	struct ctp_elf_file f;
	struct ctp_err e = { 0 };
	char dir[PATH_MAX * 2];
	bool found = false;
	if (ctp_elf_open(path, &f, &e) < 0) {
		note_refused(h, &e);
		return false;
	}
	if (!matches(&f, w)) {
		ctp_elf_close(&f);
		return false;
	}
	if (h->need_sym && !ctp_elf_tsd_symbol(f.elf, &h->sym)) {
		snprintf(h->why, sizeof(h->why), "no STT_TLS *tsd_tls symbol in the debug file's .symtab");
		ctp_elf_close(&f);
		return false;
	}
	dir_of(path, dir, sizeof(dir));
	found = search_elf(f.elf, dir, h);
	ctp_elf_close(&f);
	return found;
}

static bool debuglink_name_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* .gnu_debuglink (§2.3 step 3, libdw's order): next to the exe, in its .debug/, then under
 * /usr/lib/debug/<dir> of each debug root; the exe's directory is read in the target's root (and
 * on the host unless a debug root is set) */
static bool debuglink_dwarf(const char *link, const char *dir, const struct want *w, struct ctp_dw_hunt *h)
{
	const char *roots[2], *own[2] = { h->ns_root, "" };
	char path[PATH_MAX * 2];
	size_t nr = debug_roots(h, roots), nown = h->env && h->env->debug_root ? 1 : 2;
	for (size_t r = 0; r < nown; r++) {
		snprintf(path, sizeof(path), "%s%s/%s", own[r], dir, link);
		if (try_debug_file(path, (void *)w, h))
			return true;
		snprintf(path, sizeof(path), "%s%s/.debug/%s", own[r], dir, link);
		if (try_debug_file(path, (void *)w, h))
			return true;
	}
	for (size_t r = 0; r < nr && dir[0] == '/'; r++) {
		snprintf(path, sizeof(path), "%s/usr/lib/debug%s/%s", roots[r], dir, link);
		if (try_debug_file(path, (void *)w, h))
			return true;
	}
	return false;
}

/* §2.3 step 3: external debuginfo candidates, then debuginfod by build-id */
static bool external_dwarf(Elf *elf, const char *exe, struct ctp_dw_hunt *h)
{
	char rel[PATH_MAX], dir[PATH_MAX], path[PATH_MAX * 2];
	const void *id = NULL;
	const char *roots[2];
	ssize_t idlen = dwelf_elf_gnu_build_id(elf, &id);
	GElf_Word crc = 0;
	const char *link = dwelf_elf_gnu_debuglink(elf, &crc);
	struct want w = { idlen > 0 ? id : NULL, idlen > 0 ? idlen : 0, false, 0 };
	struct want wl = { w.id, w.idlen, !w.id, crc };
	size_t nr = debug_roots(h, roots);

	dir_of(exe, dir, sizeof(dir));
	/* the reference's <exe>.debuginfo/.debug: no build-id check there (§2.3, as ktstr) */
	static const char *const sfx[] = { ".debuginfo", ".debug" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(sfx); i++) {
		snprintf(path, sizeof(path), "%s%s%s", h->ns_root, exe, sfx[i]);
		if (try_debug_file(path, &(struct want){ 0 }, h))
			return true;
	}
	for (size_t r = 0; r < nr && build_id_path(id, idlen, ".debug", rel, sizeof(rel)); r++) {
		snprintf(path, sizeof(path), "%s%s", roots[r], rel);
		if (try_debug_file(path, &w, h))
			return true;
	}
	if (debuglink_name_ok(link) && debuglink_dwarf(link, dir, &wl, h))
		return true;
	return from_debuginfod(id, idlen, h, try_debug_file, &w);
}

bool ctp_debug_find_offsets(Elf *elf, const char *exe, struct ctp_dw_hunt *h)
{
	char exedir[PATH_MAX], dir[PATH_MAX * 2];
	dir_of(exe, exedir, sizeof(exedir));
	snprintf(dir, sizeof(dir), "%s%s", h->ns_root, exedir);
	return (!h->need_sym && search_elf(elf, dir, h)) || external_dwarf(elf, exe, h);
}
