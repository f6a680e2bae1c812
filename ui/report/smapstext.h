/* smapstext.h — the compare smaps_rollup table's text in ktstr's shape (smapstext.c): the header
 * and one row of the long layout's cells. Internal to ui/report/. */
#ifndef CTP_SMAPSTEXT_H
#define CTP_SMAPSTEXT_H

#include "compare/compare.h"
#include "report/ldisplay.h"
#include "report/textgrid.h"

/* header: "pcomm" ("comm" on the all axis) and the column headers of d */
void ctp_smaps_header(struct ctp_tgrid *g, const struct ctp_ldisplay *d);
/* one (process, key) row with both sides; on the all axis first the cgroup segments that differ
 * from the previous row's (*last_cg: the previous cgroup, owned, NULL at first; free it after) */
void ctp_smaps_row(struct ctp_tgrid *g, const struct ctp_srow *r, const struct ctp_ldisplay *d, char **last_cg);

#endif
