/* options.c — what every front-end mode derives the same way from the parsed command line: the
 * capture settings and the compare settings. */
#include "cli/options.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "capture/capture.h"
#include "compare/compare.h"
#include "compare/filter.h"

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
	co->max_kept_fds = o->max_kept_fds;
	co->wchan = o->wchan; /* --wchan: batch and the live view's detail */
}

int ctp_options_compare_opts(const struct ctp_options *o, struct ctp_compare_opts *co, struct ctp_err *err)
{
	ctp_compare_opts_init(co);
	if (o->group_by && ctp_axis_parse(o->group_by, &co->axis, err) < 0)
		return -1;
	if (o->sort_by && ctp_sort_parse(o->sort_by, &co->sort, err) < 0)
		return -1;
	struct ctp_filter *f;
	if (ctp_filter_new(o->filter, &f, err) < 0)
		return -1;
	ctp_filter_free(f);
	co->filter = o->filter;
	co->flatten = o->cgroup_flatten;
	co->no_thread_normalize = o->no_thread_normalize;
	co->no_cg_normalize = o->no_cg_normalize;
	co->no_fudge = o->no_fudge;
	co->spread = o->spread;
	co->waits = o->wchan;
	co->pids = o->pid_list; /* -p: a baseline's other processes left out too */
	co->npids = o->npid_list;
	return 0;
}

int ctp_cli_error(const char *fmt, const char *arg, bool try_help)
{
	struct ctp_buf safe = CTP_BUF_INIT;
	ctp_sanitize_name(arg, strlen(arg), true, &safe);
	fprintf(stderr, "ctprof-top: ");
	fprintf(stderr, fmt, safe.buf);
	fputs(try_help ? "\nTry 'ctprof-top --help'.\n" : "\n", stderr);
	ctp_buf_release(&safe);
	return 2;
}
