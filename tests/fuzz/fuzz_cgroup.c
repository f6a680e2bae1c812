/* fuzz_cgroup.c — libFuzzer harness for src/capture/cgroup.c and the PSI file readers: the input is
 * split at NUL bytes into chunks; each chunk's first byte picks one cgroup v2 interface file
 * (or self/mountinfo) and the rest becomes its content in a private scratch directory under
 * /dev/shm, then ctp_cgroup_read_stats and ctp_cgroup_find_root read them back. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/cgroup.h"
#include "capture/psi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"cpu.stat",      "cpu.max",      "cpu.weight",      "cpu.weight.nice", "memory.current",
	"memory.max",    "memory.high",  "memory.low",      "memory.min",      "memory.stat",
	"memory.events", "pids.current", "pids.max",        "cpu.pressure",    "memory.pressure",
	"io.pressure",   "irq.pressure", "self/mountinfo",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char root[64];

static void clear(void);

static void teardown(void)
{
	char p[128];
	clear();
	snprintf(p, sizeof(p), "%s/g/self", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/g", root);
	rmdir(p);
	rmdir(root);
}

static void setup(void)
{
	if (root[0])
		return;
	atexit(teardown);
	snprintf(root, sizeof(root), "/dev/shm/ctp-fuzz-cg.%d", (int)getpid());
	if (access("/dev/shm", W_OK))
		snprintf(root, sizeof(root), "/tmp/ctp-fuzz-cg.%d", (int)getpid());
	mkdir(root, 0700);
	char p[128];
	snprintf(p, sizeof(p), "%s/g", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/g/self", root);
	mkdir(p, 0700);
}

static void put(size_t idx, const uint8_t *s, size_t n)
{
	char p[160];
	snprintf(p, sizeof(p), "%s/g/%s", root, files[idx]);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	if (write(fd, s, n) < 0) {
		/* nothing: a short file is just another input */
	}
	close(fd);
}

static void clear(void)
{
	char p[160];
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/g/%s", root, files[i]);
		unlink(p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	const uint8_t *p = data, *end = data + size;
	while (p < end) {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));
		const uint8_t *ce = z ? z : end;
		if (ce > p)
			put(p[0] % NFILES, p + 1, (size_t)(ce - p - 1));
		p = ce + 1;
	}
	struct ctp_cgroup_stats st;
	ctp_cgroup_stats_init(&st, "/g");
	ctp_cgroup_read_stats(root, &st);
	for (size_t i = 1; i < st.memory.stat.n; i++)
		if (strcmp(st.memory.stat.v[i - 1].key, st.memory.stat.v[i].key) >= 0)
			abort();
	ctp_cgroup_stats_release(&st);
	char buf[4096], proc[128];
	snprintf(proc, sizeof(proc), "%s/g", root);
	const char *r = ctp_cgroup_find_root(proc, buf, sizeof(buf));
	if (!r || strnlen(r, sizeof(buf)) >= sizeof(buf))
		abort();
	clear();
	return 0;
}
