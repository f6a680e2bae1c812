/* hostctx.h — host context recorded with every capture: CPU model, memory, hugepages, THP,
 * sched tunables, online CPUs, NUMA nodes, governors, uname, cmdline, accounting state. */
#ifndef CTP_HOSTCTX_H
#define CTP_HOSTCTX_H

#include "snapshot/model.h"
#include "capture/taskstats.h"

/* caller frees with ctp_host_free; never NULL */
struct ctp_host *ctp_hostctx_read(const char *proc_root, const char *sys_root, const struct ctp_acct_flags *flags);

#endif
