/* fuzz_procfs.c — libFuzzer harness for every text parser of src/capture/procfs.h and src/capture/psi.h.
 * The first input byte picks the parser, the rest is the file text. Parsers never see a NUL
 * terminator (the text is copied to an exact-size heap block so ASan catches over-reads). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/procfs.h"
#include "capture/psi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { P_STAT, P_SCHEDSTAT, P_IO, P_STATUS, P_SCHED, P_CGROUP, P_SMAPS, P_CPULIST, P_DOTTED, P_COMM,
       P_PSI, P_PSI_CENTI, P_NPARSERS };

static void check_cpulist(const char *s, size_t n)
{
	struct ctp_cpuset c = { 0 };
	if (ctp_parse_cpulist(s, n, &c))
		for (size_t i = 1; i < c.n; i++)
			if (c.cpus[i - 1] >= c.cpus[i])
				abort(); /* must be sorted and deduplicated */
	ctp_cpuset_release(&c);
}

static void check_smaps(const char *s, size_t n)
{
	struct ctp_kvmap m = { 0 };
	ctp_parse_smaps_rollup(s, n, &m);
	for (size_t i = 1; i < m.n; i++)
		if (strcmp(m.v[i - 1].key, m.v[i].key) >= 0)
			abort(); /* sorted, unique keys */
	ctp_kvmap_release(&m);
}

static void run(int which, const char *s, size_t n)
{
	struct ctp_thread t;
	struct ctp_pending p = { 0 };
	ctp_thread_init(&t);
	t.tid = t.tgid = 42;
	switch (which) {
	case P_STAT: ctp_parse_stat(s, n, &t); break;
	case P_SCHEDSTAT: ctp_parse_schedstat(s, n, &t); break;
	case P_IO: ctp_parse_io(s, n, &t); break;
	case P_STATUS: {
		const char *cpus = NULL;
		size_t cl = 0;
		ctp_parse_status(s, n, &t, &cpus, &cl);
		if (cl && (cpus < s || cpus + cl > s + n))
			abort(); /* must point into the input */
		if (cl)
			check_cpulist(cpus, cl);
		break;
	}
	case P_SCHED: ctp_parse_sched(s, n, &t, &p); break;
	case P_CGROUP: {
		const char *path = NULL;
		size_t pl = 0;
		if (ctp_parse_cgroup(s, n, &path, &pl) && (path < s || path + pl > s + n))
			abort();
		break;
	}
	case P_SMAPS: check_smaps(s, n); break;
	case P_CPULIST: check_cpulist(s, n); break;
	case P_DOTTED: {
		uint64_t v;
		ctp_parse_dotted_ns(s, n, &v);
		break;
	}
	case P_COMM: {
		char *c = ctp_comm_dup(s, n);
		if (!ctp_utf8_valid(c, strlen(c)))
			abort(); /* any bytes become valid UTF-8 (lossy decoding) */
		free(c);
		break;
	}
	case P_PSI: {
		struct ctp_psi_resource r;
		memset(&r, 0, sizeof(r));
		ctp_psi_parse(s, n, &r);
		break;
	}
	case P_PSI_CENTI:
		if (ctp_psi_centi(s, n) > 65535)
			abort(); /* saturates at u16::MAX */
		break;
	}
	ctp_thread_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	char *s = malloc(n ? n : 1);
	memcpy(s, data + 1, n);
	run(data[0] % P_NPARSERS, s, n);
	free(s);
	return 0;
}
