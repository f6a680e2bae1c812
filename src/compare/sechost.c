/* sechost.c — the host-wide secondary compare tables: host PSI per resource, sched_ext (every
 * row once the section shows, as ktstr) and the host context keys of data/host.def. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "secrows.h"
#include "snapshot/schema.h"

/* ---- host PSI ---- */
void ctp_sec_host_psi(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	static const char *const res[4] = { "cpu", "memory", "io", "irq" };
	for (int r = 0; r < 4; r++)
		for (int full = 0; full < 2; full++) {
			const struct ctp_psi_half *h[2] = { NULL, NULL };
			bool nonzero = false;
			for (int s = 0; s < 2; s++)
				if (side[s]) {
					const struct ctp_psi_resource *pr = ctp_sec_psi_res(&side[s]->psi, r);
					h[s] = full ? &pr->full : &pr->some;
					nonzero |= !ctp_sec_psi_zero(h[s]);
				}
			if (!nonzero)
				continue;
			char grp[32];
			snprintf(grp, sizeof(grp), "%s %s", res[r], full ? "full" : "some");
			static const char *const names[3] = { "avg10", "avg60", "avg300" };
			for (int k = 0; k < 3; k++) {
				struct ctp_srow *row = ctp_sec_add(out, "host-pressure", grp, strlen(grp), names[k], CTP_LADDER_NONE);
				for (int s = 0; s < 2; s++)
					if (h[s]) {
						uint16_t v = k == 0 ? h[s]->avg10 : k == 1 ? h[s]->avg60 : h[s]->avg300;
						ctp_sec_set_num(row, s, true, v / 100.0);
						*(s ? &row->live_text : &row->base_text) = ctp_sec_centi(v);
					}
				ctp_sec_finish(out, changed_only);
			}
			struct ctp_srow *row = ctp_sec_add(out, "host-pressure", grp, strlen(grp), "total", CTP_LADDER_US);
			for (int s = 0; s < 2; s++)
				if (h[s])
					ctp_sec_set_num(row, s, true, (double)h[s]->total_usec);
			ctp_sec_finish(out, changed_only);
		}
}

/* ---- sched_ext: every key of data/summary.def SCHED_EXT, strings as text ---- */
_Static_assert(0
#define SCHED_EXT(name, kind, pres, ...) +(CTP_VK(kind, pres) != CTP_V_STR && CTP_VK(kind, pres) != CTP_V_U64)
#include "../../data/summary.def"
#undef SCHED_EXT
		       == 0, "summary.def: the sched-ext section shows strings and u64 only");

void ctp_sec_sched_ext(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	const struct ctp_sched_ext *x[2] = { side[0] ? side[0]->sched_ext : NULL, side[1] ? side[1]->sched_ext : NULL };
	const struct ctp_otable *t = &ctp_sched_ext_table;
	if (!x[0] && !x[1])
		return;
	/* ktstr: the section shows when a side is missing or any field differs, then with every
	 * row, unchanged ones included ("100 → 100 (+0)") */
	size_t first = out->n;
	bool any = !x[0] || !x[1];
	for (size_t i = 0; i < t->n; i++) {
		bool text = t->f[i].vk == CTP_V_STR;
		struct ctp_srow *r = ctp_sec_add(out, "sched-ext", "", 0, t->f[i].name, text ? CTP_LADDER_NONE : CTP_LADDER_UNITLESS);
		for (int s = 0; s < 2; s++) {
			const void *p = x[s] ? ctp_ofield_ptr(&t->f[i], x[s]) : NULL;
			if (p && text)
				*(s ? &r->live_text : &r->base_text) = ctp_xstrdup(*(char *const *)p ? *(char *const *)p : "");
			else if (p)
				ctp_sec_set_num(r, s, true, (double)*(const uint64_t *)p);
		}
		ctp_sec_finish(out, false);
		any |= out->v[out->n - 1].changed;
	}
	if (changed_only && !any) /* nothing moved: no section */
		while (out->n > first) {
			struct ctp_srow *r = &out->v[--out->n];
			free(r->group);
			free(r->name);
			free(r->base_text);
			free(r->live_text);
		}
}

/* ---- host context: the keys of data/host.def with a cmp position, in that order ---- */
static const struct hostkey {
	const char *name;
	size_t off;
	enum ctp_vkind vk;
	int cmp;
} hostkeys[] = {
#define H(name, kind, pres, orig, cmp, help) { #name, offsetof(struct ctp_host, name), CTP_VK(kind, pres), cmp },
#include "../../data/host.def"
#undef H
};
_Static_assert(0
#define H(name, kind, pres, orig, cmp, help) +((cmp) > 0 && CTP_VK(kind, pres) != CTP_V_STR && CTP_VK(kind, pres) != CTP_V_OPT_U64)
#include "../../data/host.def"
#undef H
		       == 0, "host.def: only STR and U64 keys have a compare position");

/* the text of host key k, NULL when unknown; numbers are written into buf */
static const char *host_text(const struct hostkey *k, const struct ctp_host *h, char buf[32])
{
	const void *p = (const char *)h + k->off;
	if (k->vk == CTP_V_STR)
		return *(char *const *)p;
	if (!((const struct ctp_opt_u64 *)p)->set)
		return NULL;
	snprintf(buf, 32, "%llu", (unsigned long long)((const struct ctp_opt_u64 *)p)->v);
	return buf;
}

static void host_str(struct ctp_sections *out, const char *name, const char *b, const char *l, bool changed_only)
{
	struct ctp_srow *r = ctp_sec_add(out, "host", "", 0, name, CTP_LADDER_NONE);
	r->base_text = ctp_xstrdup(b ? b : "(unknown)");
	r->live_text = ctp_xstrdup(l ? l : "(unknown)");
	ctp_sec_finish(out, changed_only);
}

void ctp_sec_host(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only)
{
	const struct ctp_host *h[2] = { side[0] ? side[0]->host : NULL, side[1] ? side[1]->host : NULL };
	if (!h[1] || (!h[0] && side[0]))
		return;
	static const struct ctp_host empty;
	const struct ctp_host *b = h[0] ? h[0] : &empty, *l = h[1];
	int last = 0;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(hostkeys); i++)
		last = hostkeys[i].cmp > last ? hostkeys[i].cmp : last;
	for (int pos = 1; pos <= last; pos++)
		for (size_t i = 0; i < CTP_ARRAY_SIZE(hostkeys); i++) {
			char x[32], y[32];
			if (hostkeys[i].cmp == pos)
				host_str(out, hostkeys[i].name, host_text(&hostkeys[i], b, x), host_text(&hostkeys[i], l, y),
					 changed_only);
		}
}

