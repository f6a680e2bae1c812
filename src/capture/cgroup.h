/* cgroup.h — cgroup v2 statistics of one cgroup directory (cpu, memory, pids, PSI) and
 * discovery of the v2 mount point from mountinfo. */
#ifndef CTP_CGROUP_H
#define CTP_CGROUP_H

#include <stddef.h>

#include "snapshot/model.h"

/* fills out (already initialised with ctp_cgroup_stats_init) from <cgroup_root><path>;
 * missing files leave ktstr's defaults */
void ctp_cgroup_read_stats(const char *cgroup_root, struct ctp_cgroup_stats *out);
/* finds the cgroup2 mount in <proc_root>/self/mountinfo; falls back to /sys/fs/cgroup.
 * Writes into buf and returns it. */
const char *ctp_cgroup_find_root(const char *proc_root, char *buf, size_t buflen);

#endif
