/* bench_taskstats.c — taskstats for every thread of the host: one pipelined call (batches of
 * up to 256 requests per datagram, replies drained with recvmmsg) against one call per tid
 * (one request, one reply). Runs on the host as it is, then again with extra idle threads
 * spawned here (default 2000; `bench_taskstats N` to change). Prints both times and the ratio. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/taskstats.h"
#include "base/util.h"

static uint32_t *host_tids(size_t *n)
{
	size_t alloc = 1024;
	uint32_t *tids = ctp_xmalloc(alloc * sizeof(*tids));
	DIR *proc = opendir("/proc");
	struct dirent *de;
	*n = 0;
	while (proc && (de = readdir(proc)) != NULL) {
		char path[300];
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		DIR *task = opendir(path);
		struct dirent *te;
		while (task && (te = readdir(task)) != NULL) {
			if (te->d_name[0] < '1' || te->d_name[0] > '9')
				continue;
			if (*n == alloc)
				tids = ctp_xrealloc(tids, (alloc *= 2) * sizeof(*tids));
			tids[(*n)++] = (uint32_t)strtoul(te->d_name, NULL, 10);
		}
		if (task)
			closedir(task);
	}
	if (proc)
		closedir(proc);
	return tids;
}

static double run(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res,
		  bool pipelined, int rounds, size_t *okc)
{
	uint64_t t0 = ctp_now_monotonic_ns();
	for (int r = 0; r < rounds; r++) {
		if (pipelined)
			ctp_taskstats_query(ts, tids, n, res);
		else
			for (size_t i = 0; i < n; i++)
				ctp_taskstats_query(ts, &tids[i], 1, &res[i]);
	}
	uint64_t t1 = ctp_now_monotonic_ns();
	*okc = 0;
	for (size_t i = 0; i < n; i++)
		*okc += res[i].err == 0;
	return (double)(t1 - t0) / rounds / 1e6;
}

static void scenario(struct ctp_taskstats *ts, const char *label)
{
	size_t n, ok_p, ok_s;
	uint32_t *tids = host_tids(&n);
	struct ctp_taskstats_result *res = ctp_xcalloc(n ? n : 1, sizeof(*res));
	int rounds = n < 500 ? 50 : 10;
	run(ts, tids, n, res, true, 1, &ok_p); /* warm-up */
	double single = run(ts, tids, n, res, false, rounds, &ok_s);
	double piped = run(ts, tids, n, res, true, rounds, &ok_p);
	printf("%-22s %6zu threads  one-at-a-time %8.3f ms  pipelined %8.3f ms  ratio %5.2fx  (%.2f vs %.2f us/thread; ok: pipelined %zu, single %zu)\n",
	       label, n, single, piped, piped > 0 ? single / piped : 0.0, single * 1000 / (double)(n ? n : 1),
	       piped * 1000 / (double)(n ? n : 1), ok_p, ok_s);
	free(res);
	free(tids);
}

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;

static void *idle_main(void *arg)
{
	pthread_mutex_lock(&hold);
	pthread_mutex_unlock(&hold);
	return NULL;
}

int main(int argc, char **argv)
{
	int extra = argc > 1 ? atoi(argv[1]) : 2000;
	struct ctp_err err = { 0 };
	char msg[600];
	struct ctp_taskstats *ts = ctp_taskstats_open(&err);
	if (!ts) {
		printf("bench_taskstats: skipped, taskstats unavailable: %s\n", ctp_err_str(&err, msg, sizeof(msg)));
		return 0;
	}
	printf("bench_taskstats: window %zu requests per datagram%s\n", ctp_taskstats_window(ts),
	       geteuid() ? " (not root: every reply is EPERM)" : "");
	scenario(ts, "host threads");

	pthread_t *th = ctp_xcalloc((size_t)(extra > 0 ? extra : 1), sizeof(*th));
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_mutex_lock(&hold);
	int started = 0;
	while (started < extra && pthread_create(&th[started], &attr, idle_main, NULL) == 0)
		started++;
	char label[64];
	snprintf(label, sizeof(label), "host + %d idle", started);
	scenario(ts, label);
	pthread_mutex_unlock(&hold);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_attr_destroy(&attr);
	free(th);
	ctp_taskstats_close(ts);
	return 0;
}
