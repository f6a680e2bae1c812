/* schedext.c — STUB until the sched_ext issue lands. */
#include "schedext.h"

#include <stddef.h>

struct ctp_sched_ext *ctp_schedext_read(const char *sys_root)
{
	return NULL;
}
