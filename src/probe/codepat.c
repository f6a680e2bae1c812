/* codepat.c — jemalloc's counter offsets without DWARF (design/jemalloc-probe.md §8.4): in 5.3
 * the malloc fast path loads thread_allocated at %fs:D(base) and compares with its next-event
 * threshold at %fs:D+8(base); free adds to thread_deallocated at %fs:D'(base), compared at D'+8.
 * base is loaded from the TLS GOT slot (a DSO, initial exec) or is an immediate (local exec).
 * x86_64 only (aarch64 code is not decoded: not measured). The bytes come from the target's file. */
#include <elf.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>

#include "probe/jedso.h"

#define CODE_MAX 512 /* bytes of a function examined */
#define NACC 32

static int32_t rd32(const unsigned char *b)
{
	uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return (int32_t)v;
}

/* how a register got its value: 0 unknown, 1 GOT load, 2 immediate, 3 defined twice differently */
struct regdef {
	int kind;
	uint64_t got;
	int64_t imm;
};

static void def_reg(struct regdef *r, int kind, uint64_t got, int64_t imm)
{
	if (r->kind && (r->kind != kind || r->got != got || r->imm != imm))
		r->kind = 3;
	else
		*r = (struct regdef){ kind, got, imm };
}

/* an %fs-relative 64-bit access: base register (-1: absolute), displacement, compare or not */
struct fsacc {
	int base;
	int64_t disp;
	bool cmp;
};

/* `mov disp(%rip),%r64` and `mov $imm32,%r64` at b (n bytes left) */
static void scan_def(const unsigned char *b, size_t n, uint64_t ip, struct regdef *regs)
{
	if (n >= 7 && (b[0] & 0xFB) == 0x48 && b[1] == 0x8B && (b[2] & 0xC7) == 0x05)
		def_reg(&regs[((b[2] >> 3) & 7) | ((b[0] & 4) << 1)], 1, ip + 7 + (uint64_t)(int64_t)rd32(b + 3), 0);
	else if (n >= 7 && (b[0] & 0xFE) == 0x48 && b[1] == 0xC7 && (b[2] & 0xF8) == 0xC0)
		def_reg(&regs[(b[2] & 7) | ((b[0] & 1) << 3)], 2, 0, rd32(b + 3));
}

/* `%fs: REX.W op r64, disp32(base)` (op: mov/add/cmp either way) at b; true and *a if one */
static bool scan_fs(const unsigned char *b, size_t n, struct fsacc *a)
{
	static const unsigned char ops[] = { 0x8B, 0x03, 0x3B, 0x39 };
	if (n < 8 || b[0] != 0x64 || (b[1] & 0xF8) != 0x48 || !memchr(ops, b[2], sizeof(ops)))
		return false;
	unsigned mod = b[3] >> 6, rm = b[3] & 7;
	a->cmp = b[2] == 0x3B || b[2] == 0x39;
	if (mod == 2 && rm != 4) {
		a->base = (int)(rm | ((b[1] & 1u) << 3));
		a->disp = rd32(b + 4);
		return true;
	}
	if (n >= 9 && mod == 0 && rm == 4 && b[4] == 0x25 && !(b[1] & 3)) { /* absolute %fs:disp32 */
		a->base = -1;
		a->disp = rd32(b + 5);
		return true;
	}
	return false;
}

/* the base of access a as a codepat (false if its register's origin is unknown or ambiguous) */
static bool base_of(const struct fsacc *a, const struct regdef *regs, struct ctp_codepat *p)
{
	memset(p, 0, sizeof(*p));
	p->disp = a->disp;
	if (a->base < 0)
		return true;
	const struct regdef *r = &regs[a->base];
	if (r->kind == 1) {
		p->got = true;
		p->got_vaddr = r->got;
		return true;
	}
	p->base = r->imm;
	return r->kind == 2;
}

bool ctp_codepat_x86(const unsigned char *code, size_t len, uint64_t vaddr, struct ctp_codepat *out, char *why,
		     size_t whylen)
{
	struct regdef regs[16] = { 0 };
	struct fsacc acc[NACC];
	size_t nacc = 0, nfound = 0;
	for (size_t i = 0; i < len; i++) {
		scan_def(code + i, len - i, vaddr + i, regs);
		if (nacc < NACC && scan_fs(code + i, len - i, &acc[nacc]))
			nacc++;
	}
	for (size_t i = 0; i < nacc; i++) {
		struct ctp_codepat p;
		if (acc[i].cmp || !base_of(&acc[i], regs, &p))
			continue;
		for (size_t j = 0; j < nacc; j++) {
			if (!acc[j].cmp || acc[j].base != acc[i].base || acc[j].disp != acc[i].disp + 8)
				continue;
			if (nfound && memcmp(&p, out, sizeof(p)) != 0) {
				snprintf(why, whylen, "two candidate counters in the fast path");
				return false;
			}
			*out = p;
			nfound = 1;
		}
	}
	if (!nfound)
		snprintf(why, whylen, "no thread-pointer-relative counter/threshold pair in the fast path");
	return nfound == 1;
}

/* the defined function name in a table of type `type`: its value and size */
static bool find_func(Elf *elf, unsigned type, const char *name, GElf_Sym *out)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			const char *n;
			if (gelf_getsym(data, (int)i, out) && GELF_ST_TYPE(out->st_info) == STT_FUNC &&
			    out->st_shndx != SHN_UNDEF && (n = elf_strptr(elf, sh.sh_link, out->st_name)) && !strcmp(n, name))
				return true;
		}
	}
	return false;
}

/* the counter pattern of function pfx+name, its bytes read from the executable PT_LOAD holding it */
static bool func_pattern(Elf *elf, unsigned type, const char *pfx, const char *name, struct ctp_codepat *p,
			 char *why, size_t whylen)
{
	char full[128], w[96];
	GElf_Sym s;
	size_t nph;
	snprintf(full, sizeof(full), "%s%s", pfx, name);
	if (!find_func(elf, type, full, &s)) {
		snprintf(why, whylen, "no function %s", full);
		return false;
	}
	if (elf_getphdrnum(elf, &nph) != 0)
		nph = 0;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X) ||
		    s.st_value < ph.p_vaddr || s.st_value - ph.p_vaddr >= ph.p_filesz)
			continue;
		uint64_t room = ph.p_filesz - (s.st_value - ph.p_vaddr), len = s.st_size ? s.st_size : CODE_MAX;
		len = len > CODE_MAX ? CODE_MAX : len > room ? room : len;
		Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)(ph.p_offset + (s.st_value - ph.p_vaddr)), len, ELF_T_BYTE);
		if (!d || !d->d_buf)
			break;
		if (ctp_codepat_x86(d->d_buf, d->d_size, s.st_value, p, w, sizeof(w)))
			return true;
		snprintf(why, whylen, "%s: %s", full, w);
		return false;
	}
	snprintf(why, whylen, "%s: code not in an executable segment", full);
	return false;
}

bool ctp_codepat_elf(Elf *elf, unsigned symtab_type, const char *pfx, struct ctp_codepat *alloc, char *why,
		     size_t whylen)
{
	GElf_Ehdr eh;
	struct ctp_codepat fr;
	if (!gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64) {
		snprintf(why, whylen, "fast-path code is decoded on x86_64 only");
		return false;
	}
	if (!func_pattern(elf, symtab_type, pfx, "malloc", alloc, why, whylen) ||
	    !func_pattern(elf, symtab_type, pfx, "free", &fr, why, whylen))
		return false;
	if (fr.got != alloc->got || fr.got_vaddr != alloc->got_vaddr || fr.base != alloc->base ||
	    fr.disp != alloc->disp + 16) {
		snprintf(why, whylen, "malloc's counter (%+lld) and free's (%+lld) are not jemalloc 5.3's pair",
			 (long long)alloc->disp, (long long)fr.disp);
		return false;
	}
	return true;
}
