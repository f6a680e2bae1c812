/* bench_probe_dso.c — attach cost per process for jemalloc in a shared object (issue 19): a
 * 5-thread worker linked to Debian's libjemalloc.so.2; the cold attach (maps walk, ELF + code
 * decoding, GOT calibration) vs one with the DSO verdicts cached (a new process of a known
 * library: maps walk + one GOT read), and a first sample of a fresh ctp_probe (attach + stops).
 * Skips (exit 0) when the worker is not built. */
#include <sys/stat.h>

#include "base/util.h"
#include "probe/jedso.h"
#include "probe/probe.h"
#include "../t_probe_util.h"

int main(int argc, char **argv)
{
	char path[512], k[] = "4";
	struct target t;
	struct stat st;
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	snprintf(path, sizeof(path), "%s/tests/helpers/je_dso_linked", build_dir());
	char *args[] = { path, k, NULL };
	if (stat(path, &st) != 0 || target_start(&t, args) < 0) {
		printf("bench_probe_dso: skipped (%s not built or did not start)\n", path);
		return 0;
	}
	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	struct ctp_dso_cache *c = ctp_dso_cache_new();
	uint64_t cold = 0, warm = 0, first = 0;
	struct ctp_attach_io io = { .cache = c, .skip_exe = true };
	int bad = 0;
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = ctp_now_monotonic_ns();
		bad += ctp_probe_attach(NULL, t.pid, &l, &err) != CTP_PT_OK;
		uint64_t t1 = ctp_now_monotonic_ns();
		bad += ctp_probe_attach_cached(NULL, t.pid, &io, &l, &err) != CTP_PT_OK;
		uint64_t t2 = ctp_now_monotonic_ns();
		struct ctp_probe *p = ctp_probe_new(NULL);
		struct ctp_probe_thread_result res[TGT_MAX];
		ctp_probe_begin_sample(p);
		ctp_probe_process(p, t.pid, t.tid, NULL, t.n, res);
		uint64_t t3 = ctp_now_monotonic_ns();
		ctp_probe_free(p);
		for (size_t i = 0; i < t.n; i++)
			bad += !res[i].ok || res[i].allocated != t.alloc[i];
		cold += t1 - t0;
		if (r) /* the first fills the cache */
			warm += t2 - t1;
		first += t3 - t2;
	}
	ctp_dso_cache_free(c);
	target_stop(&t);
	printf("jemalloc in a DSO (libjemalloc.so.2), per process, %d rounds%s:\n", rounds, bad ? " (ERRORS)" : "");
	printf("  attach, cold (maps + ELF + fast-path code + GOT read): %8.1f us\n", (double)cold / rounds / 1e3);
	printf("  attach, exe and DSO verdicts cached (maps + GOT read): %8.1f us\n",
	       rounds > 1 ? (double)warm / (rounds - 1) / 1e3 : 0.0);
	printf("  first sample of a fresh probe, %zu threads (attach + stops): %8.1f us\n", t.n, (double)first / rounds / 1e3);
	return bad ? 1 : 0;
}
