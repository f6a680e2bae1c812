/* textfile.c — trimmed single-value file reads on top of readfile.c's whole-file reader, for
 * cgroup, sched_ext and host-context files where a failure simply means "absent". */
#include "capture/textfile.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "capture/readfile.h"
#include "base/util.h"

char *ctp_read_trimmed_at(int dirfd, const char *name)
{
	struct ctp_buf b = CTP_BUF_INIT;
	char *r = NULL;
	if (ctp_read_text_at(dirfd, name, &b) == 0) {
		const char *s = b.buf;
		size_t n = b.len;
		ctp_trim(&s, &n);
		r = ctp_xstrndup(s, n);
	}
	ctp_buf_release(&b);
	return r;
}

bool ctp_read_u64_at(int dirfd, const char *name, uint64_t *v)
{
	char *s = ctp_read_trimmed_at(dirfd, name);
	bool ok = s && ctp_parse_u64(s, strlen(s), v);
	free(s);
	return ok;
}

int ctp_open_dir(const char *path)
{
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}
