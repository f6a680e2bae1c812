/* schedext.h — sched_ext state from <sys_root>/kernel/sched_ext (NULL when absent). */
#ifndef CTP_SCHEDEXT_H
#define CTP_SCHEDEXT_H

#include "snapshot/model.h"

/* caller frees (state string and struct); NULL when stat() of the directory fails */
struct ctp_sched_ext *ctp_schedext_read(const char *sys_root);

#endif
