/* schedext.c — sched_ext sysfs state (<sys_root>/kernel/sched_ext): null only when stat() of
 * the directory fails (Appendix O6); otherwise each file is read on its own, unreadable or
 * malformed values falling back to "" / 0. */
#include "capture/schedext.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/textfile.h"
#include "base/util.h"

static uint64_t read_u64_or_zero(int dirfd, const char *name)
{
	uint64_t v = 0;
	return ctp_read_u64_at(dirfd, name, &v) ? v : 0;
}

struct ctp_sched_ext *ctp_schedext_read(const char *sys_root)
{
	struct ctp_buf dir = CTP_BUF_INIT;
	struct stat st;
	ctp_buf_addf(&dir, "%s/kernel/sched_ext", sys_root ? sys_root : "/sys");
	if (stat(dir.buf, &st) != 0) {
		ctp_buf_release(&dir);
		return NULL;
	}
	int fd = ctp_open_dir(dir.buf);
	struct ctp_sched_ext *x = ctp_xcalloc(1, sizeof(*x));
	x->state = ctp_read_trimmed_at(fd, "state");
	if (!x->state)
		x->state = ctp_xstrdup("");
	x->switch_all = read_u64_or_zero(fd, "switch_all");
	x->nr_rejected = read_u64_or_zero(fd, "nr_rejected");
	x->hotplug_seq = read_u64_or_zero(fd, "hotplug_seq");
	x->enable_seq = read_u64_or_zero(fd, "enable_seq");
	if (fd >= 0)
		close(fd);
	ctp_buf_release(&dir);
	return x;
}
