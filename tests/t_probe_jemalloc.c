/* t_probe_jemalloc.c — the probe against a real jemalloc 5.3 (Debian source, built with -g by
 * contrib/build-jemalloc.sh into $CTP_SRCDIR/build/jemalloc, cached): every thread's counters must
 * equal what the thread itself read through mallctl("thread.allocated"/"thread.deallocated").
 * A TAP skip (with the reason) when the source cannot be obtained. */
#include <sys/stat.h>

#include "capture/capture.h"
#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static void ensure_built(const char *cache, const char *worker)
{
	char cmd[2048], lib[1024];
	const char *src = getenv("CTP_SRCDIR");
	struct stat st;
	snprintf(lib, sizeof(lib), "%s/install/lib/libjemalloc.a", cache);
	if (stat(lib, &st) == 0 && stat(worker, &st) == 0)
		return;
	snprintf(cmd, sizeof(cmd), "'%s/contrib/build-jemalloc.sh' '%s' >'%s.out' 2>&1", src && *src ? src : ".",
		 cache, cache);
	int rc = system(cmd);
	if (rc != 0 || stat(worker, &st) != 0) {
		char why[512] = "jemalloc could not be built", outp[1100];
		snprintf(outp, sizeof(outp), "%s.out", cache);
		FILE *f = fopen(outp, "r");
		if (f) {
			char line[400];
			while (fgets(line, sizeof(line), f))
				if (strstr(line, "unobtainable") || strstr(line, "failed")) {
					line[strcspn(line, "\n")] = '\0';
					snprintf(why, sizeof(why), "%s", line);
				}
			fclose(f);
		}
		skip_all(why);
	}
}

int main(void)
{
	char cache[1024], worker[1100], k[] = "4", cwd[512] = ".";
	const char *src = getenv("CTP_SRCDIR");
	struct target t;
	/* one cache per checkout (shared by build/, build-san/, build-clang/) */
	if (!src || !*src)
		src = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	snprintf(cache, sizeof(cache), "%s/build/jemalloc", src);
	snprintf(worker, sizeof(worker), "%s/je_worker", cache);
	ensure_built(cache, worker);
	char *argv[] = { worker, k, NULL };
	if (target_start(&t, argv) < 0)
		skip_all("je_worker did not start");
	check_int(t.n, ==, 5);

	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	check_int(ctp_probe_attach(NULL, t.pid, &l, &err), ==, CTP_PT_OK);
	diag("layout: st_value %llu tls_offset %llu off_alloc %llu off_dealloc %llu (%s)",
	     (unsigned long long)l.st_value, (unsigned long long)l.tls_offset, (unsigned long long)l.off_alloc,
	     (unsigned long long)l.off_dealloc, err.msg);
	check_u64(l.off_dealloc - l.off_alloc, ==, 16); /* 5.3: allocated, next_event_fast, deallocated */

	uint32_t tids[64];
	uint64_t starts[64];
	struct ctp_probe_thread_result r[64];
	size_t n = task_list(t.pid, tids, starts, 64);
	check_int(n, ==, 5);
	struct ctp_probe *p = ctp_probe_new(NULL);
	for (int pass = 0; pass < 2; pass++) {
		ctp_probe_begin_sample(p);
		check_int(ctp_probe_process(p, t.pid, tids, starts, n, r), ==, CTP_PT_OK);
		for (size_t i = 0; i < t.n; i++) {
			size_t j = 0;
			while (j < n && tids[j] != t.tid[i])
				j++;
			if (j == n) {
				ok(0, "tid %u enumerated", t.tid[i]);
				continue;
			}
			ok(r[j].ok, "pass %d tid %u read (%s)", pass, t.tid[i], r[j].error);
			check_u64(r[j].allocated, ==, t.alloc[i]);
			check_u64(r[j].deallocated, ==, t.dealloc[i]);
		}
		struct ctp_probe_summary s;
		ctp_capture_probe_summary(ctp_probe_counts(p), &s);
		check_u64(s.probed_ok, ==, 5);
		check_u64(s.failed, ==, 0);
		free(s.dominant_failure);
	}
	check_u64(ctp_probe_stats(p)->slow_probes, ==, 5);
	check_u64(ctp_probe_stats(p)->fast_probes, ==, 5);
	check_int(tasks_traced(t.pid), ==, 0);
	ok(target_running(t.pid), "je_worker still running");
	ctp_probe_free(p);
	target_stop(&t);
	return test_done();
}
