/* cgroup.c — STUB until the cgroup issue lands: leaves defaults. */
#include "cgroup.h"

#include <stdio.h>

void ctp_cgroup_read_stats(const char *cgroup_root, struct ctp_cgroup_stats *out) {}

const char *ctp_cgroup_find_root(const char *proc_root, char *buf, size_t buflen)
{
	snprintf(buf, buflen, "/sys/fs/cgroup");
	return buf;
}
