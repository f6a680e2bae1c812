/* dsotls.c — jemalloc inside a shared object (design/jemalloc-probe.md §8.3; issue 19): the
 * distro libjemalloc.so.2 (DT_NEEDED, LD_PRELOAD or dlopen) has no .symtab and no DWARF. It is
 * recognised by PT_TLS + jemalloc's exported API + its malloc/free fast-path code (codepat.c);
 * its static-TLS offset comes from GOT calibration: the TPOFF GOT slot read from the target.
 * Files are opened through /proc/PID/map_files (the mapped file itself), checked against maps. */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#include "probe/elfdwarf.h"
#include "probe/jedso.h"

#define DSO_CACHE_MAX 4096
#define MAPS_FILES_MAX 256 /* r-x file mappings examined per process */

/* what one DSO file is */
enum { V_NOT_JE, V_JE, V_JE_UNUSABLE };

struct dso_info {
	int verdict;
	uint64_t got_vaddr; /* the TPOFF GOT slot */
	int64_t tls_add;    /* slot content - module TLS offset (the symbol's value + addend) */
	uint64_t off;       /* thread_allocated in the module's TLS block */
	uint64_t memsz, align;
	char why[160];
};

struct dso_entry {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
	struct dso_info info;
};

struct ctp_dso_cache {
	struct dso_entry *v;
	size_t n, evict;
};

struct ctp_dso_cache *ctp_dso_cache_new(void)
{
	struct ctp_dso_cache *c = ctp_xcalloc(1, sizeof(*c));
	c->v = ctp_xcalloc(DSO_CACHE_MAX, sizeof(*c->v));
	return c;
}

void ctp_dso_cache_free(struct ctp_dso_cache *c)
{
	if (c)
		free(c->v);
	free(c);
}

static struct dso_entry *cache_find(struct ctp_dso_cache *c, dev_t dev, ino_t ino)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (c->v[i].dev == dev && c->v[i].ino == ino)
			return &c->v[i];
	return NULL;
}

static void cache_put(struct ctp_dso_cache *c, const struct stat *st, const struct dso_info *in)
{
	if (!c)
		return;
	struct dso_entry *e = cache_find(c, st->st_dev, st->st_ino);
	if (!e)
		e = &c->v[c->n < DSO_CACHE_MAX ? c->n++ : c->evict++ % DSO_CACHE_MAX];
	*e = (struct dso_entry){ st->st_dev, st->st_ino, st->st_ctim, *in };
}

/* defined FUNC symbol i of a symbol table, or NULL */
static const char *func_name(Elf *elf, Elf_Data *d, size_t link, size_t i)
{
	GElf_Sym s;
	if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF)
		return NULL;
	return elf_strptr(elf, link, s.st_name);
}

/* the prefix of jemalloc's exported API: pfx + mallctl, malloc_usable_size, sdallocx and nallocx
 * all defined functions in .dynsym (at most 4 candidate prefixes, one pass each: a table of any
 * size costs linear time) */
static bool api_prefix(Elf *elf, char *pfx, size_t len)
{
	static const char *const need[] = { "malloc_usable_size", "sdallocx", "nallocx" };
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		size_t nsym = sh.sh_size / sh.sh_entsize, tries = 0;
		for (size_t i = 0; i < nsym && tries < 4; i++) {
			const char *n = func_name(elf, d, sh.sh_link, i);
			size_t nl = n ? strlen(n) : 0, pl = nl - 7;
			if (nl < 7 || pl >= len || strcmp(n + pl, "mallctl"))
				continue;
			tries++;
			unsigned found = 0;
			for (size_t j = 0; j < nsym; j++) {
				const char *m = func_name(elf, d, sh.sh_link, j);
				for (unsigned k = 0; m && k < 3; k++)
					if (!strncmp(m, n, pl) && !strcmp(m + pl, need[k]))
						found |= 1u << k;
			}
			if (found == 7) {
				snprintf(pfx, len, "%.*s", (int)pl, n);
				return true;
			}
		}
	}
	return false;
}

/* the R_X86_64_TPOFF64 relocation at got_vaddr: *add = its symbol's value + addend */
static bool tpoff_reloc(Elf *elf, uint64_t got_vaddr, int64_t *add, int *count)
{
	Elf_Scn *scn = NULL;
	bool found = false;
	*count = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;
			GElf_Sym s = { 0 };
			if (!gelf_getrela(d, (int)i, &r) || GELF_R_TYPE(r.r_info) != R_X86_64_TPOFF64)
				continue;
			(*count)++;
			if (r.r_offset != got_vaddr)
				continue;
			if (GELF_R_SYM(r.r_info)) {
				Elf_Data *sd = elf_getdata(elf_getscn(elf, sh.sh_link), NULL);
				if (!sd || !gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &s) || GELF_ST_TYPE(s.st_info) != STT_TLS ||
				    s.st_shndx == SHN_UNDEF)
					return false;
			}
			*add = (int64_t)(s.st_value + (uint64_t)r.r_addend);
			found = true;
		}
	}
	return found;
}

/* what the DSO open as elf is (the fields of *in for V_JE) */
static void analyze(Elf *elf, struct dso_info *in)
{
	char pfx[64];
	struct ctp_codepat p;
	int nrel;
	size_t nph;
	GElf_Phdr tls = { 0 };
	memset(in, 0, sizeof(*in));
	in->verdict = V_NOT_JE;
	if (elf_getphdrnum(elf, &nph) != 0)
		nph = 0;
	for (size_t i = 0; i < nph && tls.p_type != PT_TLS; i++)
		if (!gelf_getphdr(elf, (int)i, &tls))
			tls.p_type = PT_NULL;
	if (tls.p_type != PT_TLS || !api_prefix(elf, pfx, sizeof(pfx))) {
		snprintf(in->why, sizeof(in->why), "no PT_TLS with jemalloc's exported API");
		return;
	}
	in->verdict = V_JE_UNUSABLE;
	if (!ctp_codepat_elf(elf, SHT_DYNSYM, pfx, &p, in->why, sizeof(in->why)))
		return;
	if (!p.got || !tpoff_reloc(elf, p.got_vaddr, &in->tls_add, &nrel)) {
		snprintf(in->why, sizeof(in->why), "the fast path's TLS base is not a TPOFF GOT slot (initial exec)");
		return;
	}
	int64_t m = in->tls_add + p.disp;
	if (m < 8 || (uint64_t)m + 32 > tls.p_memsz) {
		snprintf(in->why, sizeof(in->why), "counter at %lld outside the %llu-byte TLS block", (long long)m,
			 (unsigned long long)tls.p_memsz);
		return;
	}
	in->verdict = V_JE;
	in->got_vaddr = p.got_vaddr;
	in->off = (uint64_t)m;
	in->memsz = tls.p_memsz;
	in->align = tls.p_align ? tls.p_align : 1;
}

/* load bias of the mapping [start, ..) at file offset off: its executable PT_LOAD */
static bool load_bias(Elf *elf, uint64_t start, uint64_t off, uint64_t *bias)
{
	size_t nph;
	if (elf_getphdrnum(elf, &nph) != 0)
		return false;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X) &&
		    (ph.p_offset & ~0xfffull) == off) {
			*bias = start - (ph.p_vaddr & ~0xfffull);
			return true;
		}
	}
	return false;
}

/* GOT calibration: the slot ld.so filled, read from pid, gives the module's TP offset */
static bool calibrate(pid_t pid, uint64_t bias, const struct dso_info *in, struct ctp_jemalloc_layout *out,
		      char *why, size_t whylen)
{
	uint64_t v;
	struct iovec l = { &v, 8 }, r = { (void *)(uintptr_t)(bias + in->got_vaddr), 8 };
	if (process_vm_readv(pid, &l, 1, &r, 1, 0) != 8) {
		snprintf(why, whylen, "reading the TLS GOT slot: %s", strerror(errno));
		return false;
	}
	int64_t tpoff = (int64_t)(v - (uint64_t)in->tls_add);
	if (tpoff >= 0 || (uint64_t)-tpoff < in->memsz || ((uint64_t)-tpoff & (in->align - 1))) {
		snprintf(why, whylen, "TLS GOT slot holds %#llx: not a static TLS offset", (unsigned long long)v);
		return false;
	}
	out->e_machine = EM_X86_64;
	out->tls_offset = (uint64_t)-tpoff;
	out->p_align = in->align;
	out->st_value = 0;
	out->off_alloc = in->off;
	out->off_dealloc = in->off + 16;
	out->source = CTP_LAYOUT_CODE_DSO;
	return true;
}

/* the verdict on one mapped file (from the cache when its identity matches) */
static bool dso_info(const char *proc_root, pid_t pid, const char *range, const char *path, dev_t dev, ino_t ino,
		     struct ctp_dso_cache *c, struct ctp_elf_file *f, struct dso_info *in)
{
	char p[PATH_MAX + 64];
	struct ctp_err e = { 0 };
	struct stat st;
	struct dso_entry *hit = cache_find(c, dev, ino);
	if (hit && hit->info.verdict == V_NOT_JE) {
		*in = hit->info;
		return true;
	}
	snprintf(p, sizeof(p), "%s/%d/map_files/%s", proc_root, (int)pid, range);
	if (ctp_elf_open(p, f, &e) < 0) {
		snprintf(p, sizeof(p), "%s/%d/root%s", proc_root, (int)pid, path);
		if (ctp_elf_open(p, f, &e) < 0)
			return false;
	}
	if (fstat(f->fd, &st) < 0 || st.st_dev != dev || st.st_ino != ino) {
		ctp_elf_close(f);
		return false; /* not the mapped file (replaced, another namespace) */
	}
	if (hit && hit->ctime.tv_sec == st.st_ctim.tv_sec && hit->ctime.tv_nsec == st.st_ctim.tv_nsec) {
		*in = hit->info;
		return true;
	}
	analyze(f->elf, in);
	cache_put(c, &st, in);
	return true;
}

/* one maps line: r-x file mapping other than exe -> range "start-end", offset, dev, ino, path */
static bool parse_line(const char *line, size_t ll, const char *exe, char *range, uint64_t *start, uint64_t *off,
		       dev_t *dev, ino_t *ino, char *path)
{
	unsigned long long s, e, o, in;
	unsigned maj, min;
	char perms[8];
	int n = 0;
	char buf[PATH_MAX + 128];
	if (ll >= sizeof(buf))
		return false;
	memcpy(buf, line, ll);
	buf[ll] = '\0';
	if (sscanf(buf, "%llx-%llx %7s %llx %x:%x %llu %n", &s, &e, perms, &o, &maj, &min, &in, &n) < 7 || !n ||
	    !strchr(perms, 'x') || buf[n] != '/' || !strcmp(buf + n, exe))
		return false;
	snprintf(range, 40, "%llx-%llx", s, e);
	snprintf(path, PATH_MAX, "%s", buf + n);
	*start = s;
	*off = o;
	*dev = makedev(maj, min);
	*ino = (ino_t)in;
	return true;
}

enum ctp_probe_tag ctp_dso_attach(const char *proc_root, pid_t pid, const char *maps, size_t mapslen,
				  const char *exe, struct ctp_dso_cache *cache, struct ctp_jemalloc_layout *out,
				  struct ctp_err *err, char *why, size_t whylen)
{
	const char *s = maps, *end = maps + mapslen, *line;
	size_t ll, nfiles = 0;
	char range[40], path[PATH_MAX];
	while (ctp_next_line(&s, end, &line, &ll) && nfiles < MAPS_FILES_MAX) {
		uint64_t start, off, bias;
		dev_t dev;
		ino_t ino;
		struct ctp_elf_file f = { -1, NULL };
		struct dso_info in;
		if (!parse_line(line, ll, exe, range, &start, &off, &dev, &ino, path))
			continue;
		nfiles++;
		if (!dso_info(proc_root, pid, range, path, dev, ino, cache, &f, &in) || in.verdict == V_NOT_JE) {
			ctp_elf_close(&f);
			continue;
		}
		char w[200];
		bool ok = in.verdict == V_JE && f.elf && load_bias(f.elf, start, off, &bias) &&
			  calibrate(pid, bias, &in, out, w, sizeof(w));
		if (!f.elf && in.verdict == V_JE)
			snprintf(w, sizeof(w), "not reopened");
		ctp_elf_close(&f);
		if (ok) {
			snprintf(out->dso_path, sizeof(out->dso_path), "%s", path);
			return CTP_PT_OK;
		}
		ctp_err_set(err, CTP_E_FORMAT, 0, path, "jemalloc in shared object %s cannot be measured: %s", path,
			    in.verdict == V_JE ? w : in.why);
		return CTP_PT_JEMALLOC_IN_DSO;
	}
	snprintf(why, whylen, "%s", nfiles ? "no mapped shared object is jemalloc" : "no r-x file mappings");
	return CTP_PT_JEMALLOC_NOT_FOUND;
}
