/* hooks.c — the test hooks of ui/live/testhooks.h, linked only into the test build of ctprof-top
 * ($(O)/tests/ctprof-top-hooks): CTP_TEST_CAPTURE_DELAY_MS makes every capture that much slower
 * (0..10000; t_latency.sh), CTP_TEST_LOAD_GATE holds a baseline load back until that file exists
 * (at most 60 s; t_baseline_async.sh), CTP_TEST_PLAN_LOG names a file that gets each capture's
 * plan as one hex line (t_plan.sh). The shipped binary reads none of these variables. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "live/testhooks.h"

void ctp_hook_after_capture(void)
{
	static long delay_ms = -1;
	if (delay_ms < 0) {
		const char *e = getenv("CTP_TEST_CAPTURE_DELAY_MS");
		delay_ms = e ? strtol(e, NULL, 10) : 0;
		if (delay_ms < 0 || delay_ms > 10000)
			delay_ms = 0;
	}
	if (delay_ms) {
		struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
}

void ctp_hook_before_capture(uint32_t plan)
{
	const char *path = getenv("CTP_TEST_PLAN_LOG");
	FILE *f = path && *path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "%08x\n", (unsigned)plan);
		fclose(f);
	}
}

void ctp_hook_before_load(void)
{
	const char *gate = getenv("CTP_TEST_LOAD_GATE");
	struct stat st;
	for (int i = 0; gate && *gate && i < 3000 && stat(gate, &st) != 0; i++) {
		struct timespec ts = { 0, 20000000L };
		nanosleep(&ts, NULL);
	}
}
