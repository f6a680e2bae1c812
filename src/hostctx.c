/* hostctx.c — STUB until the host-context issue lands: only the accounting state. */
#include "hostctx.h"

#include "util.h"

struct ctp_host *ctp_hostctx_read(const char *proc_root, const char *sys_root, const struct ctp_acct_flags *flags)
{
	struct ctp_host *h = ctp_xcalloc(1, sizeof(*h));
	h->task_delayacct = flags->delayacct;
	h->config_task_xacct = flags->xacct;
	return h;
}
