/* window.c — rate vs baseline rate: a table comparing the per-second rates of two windows (two
 * snapshots each) group by group (issue 15). Interface in compare.h; stub until implemented. */
#include "compare/compare.h"

int ctp_window_check(const struct ctp_snapshot *a, const struct ctp_snapshot *b, struct ctp_err *err)
{
	(void)a;
	(void)b;
	return ctp_err_set(err, 1, 0, "window", "window baselines are not implemented yet");
}

struct ctp_table *ctp_compare_window(const struct ctp_window *base, const struct ctp_window *live,
				     const struct ctp_compare_opts *o, struct ctp_err *err)
{
	(void)base;
	(void)live;
	(void)o;
	ctp_err_set(err, 1, 0, "window", "window baselines are not implemented yet");
	return NULL;
}
