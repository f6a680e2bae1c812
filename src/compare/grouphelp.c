/* grouphelp.c — the help of a group's value, generated from its aggregation rule and the help
 * of one thread's value (issue 20 item 12): ctp_cmetric.help, --metric-list, the live help and
 * the man page's METRICS tables (man/mangen.c links this file alone) all say the same. */
#include <stdio.h>
#include <string.h>

#include "compare/compare.h"

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

size_t ctp_group_help(char *buf, size_t len, enum ctp_crule rule, const char *h, const char *formula)
{
	static const char process[] = " of the process";
	size_t hl = strlen(h = h ? h : ""), pl = sizeof(process) - 1;
	int n;
	if (!len)
		return 0;
	switch (rule) {
	case CTP_CR_SUM: n = snprintf(buf, len, "%s, summed over the group's threads", h); break;
	case CTP_CR_MAX:
		if (has_prefix(h, "longest "))
			n = snprintf(buf, len, "%s of any thread in the group", h);
		else if (hl > pl && !strcmp(h + hl - pl, process))
			n = snprintf(buf, len, "largest %.*s of the group's processes", (int)(hl - pl), h);
		else if (strstr(h, "process"))
			n = snprintf(buf, len, "largest over the group's threads: %s", h);
		else
			n = snprintf(buf, len, "largest per-thread %s", h);
		break;
	case CTP_CR_RANGE: n = snprintf(buf, len, "%s: lowest..highest over the group's threads", h); break;
	case CTP_CR_MODE:
		n = snprintf(buf, len, "%s: the most common among the group's threads (count/threads when mixed)", h);
		break;
	case CTP_CR_AFFINITY:
		n = snprintf(buf, len, "%s: CPU count lowest..highest over the group's threads, the CPU list when "
				       "all threads share one", h);
		break;
	default:
		n = formula ? snprintf(buf, len, "%s, from the group's sums: %s", h, formula)
			    : snprintf(buf, len, "%s, from the group's sums", h);
	}
	return n < 0 ? (buf[0] = 0) : (size_t)n >= len ? len - 1 : (size_t)n;
}
