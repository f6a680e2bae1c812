/* filter.c — compiles and matches the --filter rule (filter.h) with POSIX regcomp/regexec:
 * REG_EXTENDED | REG_ICASE | REG_NOSUB, unanchored. Used by the compare table's view and by the
 * live view's cgroup rows, so batch and live agree on which names pass. */
#include "compare/filter.h"

#include <regex.h>
#include <stdlib.h>

struct ctp_filter {
	regex_t re;
	char *pattern;
};

int ctp_filter_new(const char *pattern, struct ctp_filter **out, struct ctp_err *err)
{
	*out = NULL;
	if (!pattern || !*pattern)
		return 0;
	struct ctp_filter *f = ctp_xcalloc(1, sizeof(*f));
	int rc = regcomp(&f->re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		char msg[128];
		regerror(rc, &f->re, msg, sizeof(msg));
		free(f);
		return ctp_err_set(err, CTP_E_ARG, 0, "--filter", "bad regex '%s': %s", pattern, msg);
	}
	f->pattern = ctp_xstrdup(pattern);
	*out = f;
	return 0;
}

bool ctp_filter_match(const struct ctp_filter *f, const char *name)
{
	return !f || regexec(&f->re, name ? name : "", 0, NULL, 0) == 0;
}

const char *ctp_filter_pattern(const struct ctp_filter *f)
{
	return f ? f->pattern : "";
}

void ctp_filter_free(struct ctp_filter *f)
{
	if (!f)
		return;
	regfree(&f->re);
	free(f->pattern);
	free(f);
}
