/* options.c — what every front-end mode derives the same way from the parsed command line. */
#include "cli/options.h"

#include <string.h>

#include "capture/capture.h"

void ctp_options_capture_opts(const struct ctp_options *o, struct ctp_capture_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->proc_root = o->proc_root;
	co->sys_root = o->sys_root;
	co->cgroup_root = o->cgroup_root;
	co->pid = o->pid;
	co->pids = o->pid_list;
	co->npids = o->npid_list;
	co->no_probe = o->no_probe;
	co->no_taskstats = o->no_taskstats;
}
