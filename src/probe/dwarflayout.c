/* dwarflayout.c — the layout half of the probe's attach (design/jemalloc-probe.md §2.3): the
 * offsets of jemalloc's thread_allocated/thread_deallocated tsd_s members from a DWARF that
 * debugfile.c opened, walking every unit without letting libdw open any file. Names come from the
 * target's files: a DIE name is used only when its NUL lies inside the section it starts in. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>

#include "probe/elfdwarf.h"
#include "probe/probe.h"

#define M_ALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated"
#define M_DEALLOC "cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated"

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
 * pair found must pass ctp_probe_layout_check (the read span is bounded). Strategy A (members of
 * tsd_s) wins over B (the members anywhere). */
bool ctp_dwarf_tsd_offsets(Dwarf *dw, Elf *elf, Elf *alt, uint64_t *a, uint64_t *d, char *why, size_t whylen)
{
	struct str_spans names = { .count = 0 };
	add_spans(elf, &names);
	add_spans(alt, &names);
	struct member_hits h = { .names = &names };
	for (int pass = 0; pass < 2 && !(h.a_struct && h.d_struct); pass++) {
		Dwarf_CU *cu = NULL;
		Dwarf_Die cudie;
		uint8_t ut;
		while (dwarf_get_units(dw, cu, &cu, NULL, &ut, &cudie, NULL) == 0) {
			if (ut == DW_UT_skeleton || !cudie.cu || cu_preferred(&names, &cudie) != (pass == 0))
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
