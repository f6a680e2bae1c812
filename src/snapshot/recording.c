/* recording.c — recording directories, time ranges, window partner names and -B specs
 * (recording.h). Stub until implemented. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/recording.h"

void ctp_recording_name(uint64_t unix_ns, char *buf, size_t len)
{
	(void)unix_ns;
	snprintf(buf, len, "%s", "");
}

int ctp_recording_parse_name(const char *name, uint64_t *unix_ns)
{
	(void)name;
	*unix_ns = 0;
	return -1;
}

int ctp_recording_list(const char *dir, struct ctp_recording *out, struct ctp_err *err)
{
	memset(out, 0, sizeof(*out));
	return ctp_err_set(err, 1, 0, dir, "recordings are not implemented yet");
}

void ctp_recording_release(struct ctp_recording *r)
{
	(void)r;
}

int ctp_recording_range(const struct ctp_recording *r, const char *range, size_t *first, size_t *last,
			struct ctp_err *err)
{
	(void)r;
	*first = *last = 0;
	return ctp_err_set(err, 1, 0, range, "recordings are not implemented yet");
}

int ctp_window_end_path(const char *path, char *buf, size_t len)
{
	(void)path;
	(void)buf;
	(void)len;
	return -1;
}

int ctp_basespec_resolve(const char *spec, struct ctp_basespec *out, struct ctp_err *err)
{
	memset(out, 0, sizeof(*out));
	out->a = strdup(spec);
	return out->a ? 0 : ctp_err_set(err, 1, 0, spec, "out of memory");
}

void ctp_basespec_release(struct ctp_basespec *b)
{
	free(b->a);
	free(b->b);
	memset(b, 0, sizeof(*b));
}
