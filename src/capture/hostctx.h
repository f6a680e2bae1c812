/* hostctx.h — host context recorded with every capture: CPU model, memory, hugepages, THP,
 * sched tunables, online CPUs, NUMA nodes, governors, uname, cmdline, accounting state. */
#ifndef CTP_HOSTCTX_H
#define CTP_HOSTCTX_H

#include "snapshot/model.h"
#include "capture/taskstats.h"

/* caller frees with ctp_host_free; never NULL */
struct ctp_host *ctp_hostctx_read(const char *proc_root, const char *sys_root, const struct ctp_acct_flags *flags);

/* a live loop's host context: ~25 files (/proc/cpuinfo, sysctls, governors, ...) that change
 * rarely, read afresh when asked (a full capture) or older than CTP_HOSTCTX_REFRESH_NS,
 * otherwise copied from the last read */
#define CTP_HOSTCTX_REFRESH_NS (10 * 1000000000ULL)
struct ctp_hostctx_cache {
	struct ctp_host *last; /* NULL = none yet */
	uint64_t read_ns;      /* monotonic */
};
struct ctp_host *ctp_hostctx_cached(struct ctp_hostctx_cache *hc, bool fresh, const char *proc_root,
				    const char *sys_root, const struct ctp_acct_flags *flags);
void ctp_hostctx_cache_release(struct ctp_hostctx_cache *hc);

#endif
