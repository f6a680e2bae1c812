/* taskstats.c — STUB until the taskstats issue lands: reports the family as unavailable. */
#include "taskstats.h"

#include <errno.h>
#include <string.h>

void ctp_acct_flags_read(const char *proc_root, struct ctp_acct_flags *out)
{
	out->delayacct = CTP_DELAYACCT_CONFIG_OFF;
	out->xacct = CTP_XACCT_UNKNOWN;
}

struct ctp_taskstats *ctp_taskstats_open(struct ctp_err *err)
{
	ctp_err_set(err, CTP_E_NOSYS, ENOSYS, "taskstats", "not implemented");
	return NULL;
}

void ctp_taskstats_close(struct ctp_taskstats *ts) {}

void ctp_taskstats_query(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res)
{
	for (size_t i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].err = ENOSYS;
	}
}

void ctp_taskstats_apply(struct ctp_thread *t, const struct ctp_taskstats_result *r, const struct ctp_acct_flags *flags) {}

void ctp_taskstats_tally(struct ctp_taskstats_summary *s, int err)
{
	s->other_err_count++;
}
