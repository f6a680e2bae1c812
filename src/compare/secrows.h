/* secrows.h — private glue of the secondary compare tables: row building shared by sections.c
 * (smaps, cgroup tables) and sechost.c (host PSI, sched_ext, host context). Not for ui/. */
#ifndef CTP_COMPARE_SECROWS_H
#define CTP_COMPARE_SECROWS_H

#include "compare.h"

/* a new row of section/group/name (group: glen bytes, NUL -> '/'); both sides absent */
struct ctp_srow *ctp_sec_add(struct ctp_sections *s, const char *section, const char *group, size_t glen,
			     const char *name, enum ctp_ladder l);
void ctp_sec_set_num(struct ctp_srow *r, int side, bool ok, double v);
/* marks the last row changed or not; changed_only drops it when unchanged */
void ctp_sec_finish(struct ctp_sections *s, bool changed_only);
/* PSI: resource r (0 cpu, 1 memory, 2 io, 3 irq), an all-zero half, "1.23%" of centi-percent */
const struct ctp_psi_resource *ctp_sec_psi_res(const struct ctp_psi *p, int r);
bool ctp_sec_psi_zero(const struct ctp_psi_half *h);
char *ctp_sec_centi(uint16_t v);
/* secsmaps.c: the smaps_rollup table */
void ctp_sec_smaps(const struct ctp_snapshot *side[2], const struct ctp_compare_opts *o, struct ctp_sections *out,
		   bool changed_only);
/* sechost.c: the host-wide sections */
void ctp_sec_host_psi(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only);
void ctp_sec_sched_ext(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only);
void ctp_sec_host(const struct ctp_snapshot *side[2], struct ctp_sections *out, bool changed_only);

#endif
