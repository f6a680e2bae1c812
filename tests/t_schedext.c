/* t_schedext.c — sched_ext sysfs reader against fixture trees: enabled, disabled with
 * garbage values, directory present but empty, directory absent (null), and this host. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "snapshot/model.h"
#include "capture/schedext.h"
#include "tap.h"

static char fixtures[4096];

static struct ctp_sched_ext *read_fixture(const char *name)
{
	char root[4200];
	snprintf(root, sizeof(root), "%s/%s", fixtures, name);
	return ctp_schedext_read(root);
}

static void free_scx(struct ctp_sched_ext *x)
{
	if (x)
		free(x->state);
	free(x);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures", src ? src : ".");

	struct ctp_sched_ext *x = read_fixture("sys-scx-enabled");
	if (ok(x != NULL, "enabled: object present")) {
		check_str(x->state, "enabled");
		check_u64(x->switch_all, ==, 1);
		check_u64(x->nr_rejected, ==, 3);
		check_u64(x->hotplug_seq, ==, 0);
		check_u64(x->enable_seq, ==, 5);
	}
	free_scx(x);

	x = read_fixture("sys-scx-disabled");
	if (ok(x != NULL, "disabled: object present")) {
		check_str(x->state, "disabled"); /* trimmed */
		check_u64(x->switch_all, ==, 0);
		check_u64(x->nr_rejected, ==, 0); /* "12abc" */
		check_u64(x->hotplug_seq, ==, 0); /* "-1" */
		check_u64(x->enable_seq, ==, 0);  /* missing */
	}
	free_scx(x);

	x = read_fixture("sys-scx-empty");
	if (ok(x != NULL, "empty dir: object present (stat succeeds)")) {
		check_str(x->state, "");
		ok(x->switch_all == 0 && x->nr_rejected == 0 && x->hotplug_seq == 0 && x->enable_seq == 0,
		   "empty dir: all counters 0");
	}
	free_scx(x);

	ok(read_fixture("sys-scx-absent") == NULL, "absent dir: null");
	ok(read_fixture("no-such-root") == NULL, "absent root: null");

	struct stat st;
	x = ctp_schedext_read("/sys");
	if (stat("/sys/kernel/sched_ext", &st) == 0)
		ok(x != NULL && x->state[0] != 0, "host sched_ext present: state '%s'", x ? x->state : "");
	else
		ok(x == NULL, "host has no /sys/kernel/sched_ext (CONFIG_SCHED_CLASS_EXT off): null");
	free_scx(x);
	return test_done();
}
