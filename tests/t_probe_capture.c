/* t_probe_capture.c — the probe wired into capture: ctp_capture of the fake_jemalloc helper fills
 * allocated/deallocated/jemalloc_measured exactly for every thread and a probe_summary per the
 * spec (Appendix A M6), across two captures (the second from the caches); our own pid is never
 * probed; no_probe leaves everything unmeasured. */
#include "capture/capture.h"
#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

static void check_capture(struct ctp_capture *c, const struct target *t, int round)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (!ok(ctp_capture_run(c, &s, &err) == 0, "capture %d runs (%s)", round, err.msg))
		return;
	size_t exact = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct ctp_thread *th = find(s, t->tid[i]);
		exact += th && th->jemalloc_measured && th->allocated_bytes == t->alloc[i] &&
			 th->deallocated_bytes == t->dealloc[i];
	}
	check_int(exact, ==, 4);
	const struct ctp_probe_summary *ps = s->probe_summary;
	if (ok(ps != NULL, "probe_summary present")) {
		check_u64(ps->tgids_walked, ==, 1);
		check_u64(ps->jemalloc_detected, ==, 1);
		check_u64(ps->probed_ok, ==, 4);
		check_u64(ps->failed, ==, 0);
		ok(!ps->dominant_failure && !ps->privilege_dominant, "no failure");
	}
	ok(ctp_capture_status(c)->probe, "status.probe set");
	ctp_snapshot_free(s);
}

int main(void)
{
	char path[512], k[] = "3";
	struct target t;
	snprintf(path, sizeof(path), "%s/tests/helpers/fake_jemalloc", build_dir());
	char *argv[] = { path, k, NULL };
	if (target_start(&t, argv) < 0)
		skip_all("fake_jemalloc helper did not start");

	struct ctp_capture_opts o = { .pid = t.pid, .no_taskstats = true, .no_host = true };
	struct ctp_capture *c = ctp_capture_new(&o);
	check_capture(c, &t, 1);
	check_capture(c, &t, 2);
	ctp_capture_free(c);
	check_int(tasks_traced(t.pid), ==, 0);

	/* no_probe: nothing measured */
	o.no_probe = true;
	c = ctp_capture_new(&o);
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (ok(ctp_capture_run(c, &s, &err) == 0, "no_probe capture runs")) {
		const struct ctp_thread *th = find(s, t.tid[0]);
		ok(th && !th->jemalloc_measured && th->allocated_bytes == 0, "no_probe: unmeasured");
		ok(!ctp_capture_status(c)->probe, "no_probe: status.probe clear");
		ctp_snapshot_free(s);
	}
	ctp_capture_free(c);

	/* our own pid: never probed, summary all zeros */
	o = (struct ctp_capture_opts){ .pid = getpid(), .no_taskstats = true, .no_host = true };
	c = ctp_capture_new(&o);
	if (ok(ctp_capture_run(c, &s, &err) == 0, "self capture runs")) {
		const struct ctp_thread *th = find(s, (uint32_t)getpid());
		ok(th && !th->jemalloc_measured, "self thread unmeasured");
		ok(s->probe_summary && s->probe_summary->tgids_walked == 0 && s->probe_summary->failed == 0,
		   "self: probe_summary zeros");
		ctp_snapshot_free(s);
	}
	ctp_capture_free(c);
	ok(target_running(t.pid), "target running");
	target_stop(&t);
	return test_done();
}
