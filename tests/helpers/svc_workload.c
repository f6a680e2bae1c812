/* svc_workload.c — test helper: a small "service" for the numbers tests. A pool of worker
 * threads ("svc-worker-<i>") that burn CPU, optionally inside one shared mutex, a logger
 * ("svc-logger") that writes and fsyncs a file, and a pool that grows on SIGUSR1.
 * Usage: svc_workload [-w WORKERS=4] [-m] [-f DIR] [-b BURN_US=1000] [-s SLEEP_US=10000] [-t SECS=120]
 *   -m: workers hold one mutex while burning (contention); -f: the logger fsyncs DIR/svc.log
 *   every 20 ms. SIGUSR1 doubles the pool. Prints "ready <pid>" once every thread is named;
 *   exits after SECS or when stdin closes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 256

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static bool use_mutex;
static long burn_us = 1000, sleep_us = 10000;
static const char *fsync_dir;
static atomic_int named;
static volatile sig_atomic_t grow_requested;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void burn(long us)
{
	double end = now_s() + (double)us / 1e6;
	volatile unsigned long x = 0;
	while (now_s() < end)
		for (int i = 0; i < 1000; i++)
			x += (unsigned long)i;
}

static void *worker_main(void *arg)
{
	char name[16];
	snprintf(name, sizeof(name), "svc-worker-%lu", (unsigned long)(size_t)arg);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	atomic_fetch_add(&named, 1);
	for (;;) {
		if (use_mutex)
			pthread_mutex_lock(&big_lock);
		burn(burn_us);
		if (use_mutex)
			pthread_mutex_unlock(&big_lock);
		usleep((useconds_t)sleep_us);
	}
	return NULL;
}

static void *logger_main(void *arg)
{
	char path[4096];
	(void)arg;
	prctl(PR_SET_NAME, "svc-logger", 0, 0, 0);
	snprintf(path, sizeof(path), "%s/svc.log", fsync_dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	atomic_fetch_add(&named, 1);
	for (unsigned long n = 0; fd >= 0; n++) {
		char line[64];
		int len = snprintf(line, sizeof(line), "log line %lu\n", n);
		if (write(fd, line, (size_t)len) < 0 || fsync(fd) < 0)
			break;
		if (n % 512 == 511 && ftruncate(fd, 0) == 0)
			lseek(fd, 0, SEEK_SET);
		usleep(20000);
	}
	return NULL;
}

static int start_workers(size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker_main, (void *)i) != 0)
			return -1;
		pthread_detach(t);
	}
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
	grow_requested = 1;
}

int main(int argc, char **argv)
{
	long workers = 4, secs = 120;
	int opt;
	while ((opt = getopt(argc, argv, "w:mf:b:s:t:")) != -1) {
		switch (opt) {
		case 'w': workers = atol(optarg); break;
		case 'm': use_mutex = true; break;
		case 'f': fsync_dir = optarg; break;
		case 'b': burn_us = atol(optarg); break;
		case 's': sleep_us = atol(optarg); break;
		case 't': secs = atol(optarg); break;
		default:
			fprintf(stderr, "usage: svc_workload [-w N] [-m] [-f DIR] [-b US] [-s US] [-t SECS]\n");
			return 2;
		}
	}
	if (workers < 1 || workers > MAX_WORKERS / 2) {
		fprintf(stderr, "svc_workload: -w must be 1..%d\n", MAX_WORKERS / 2);
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	prctl(PR_SET_NAME, "svc-main", 0, 0, 0);
	int want = (int)workers;
	if (start_workers(0, (size_t)workers) < 0)
		return 1;
	if (fsync_dir) {
		pthread_t t;
		if (pthread_create(&t, NULL, logger_main, NULL) != 0)
			return 1;
		pthread_detach(t);
		want++;
	}
	while (atomic_load(&named) < want)
		usleep(1000);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	struct pollfd p = { .fd = 0, .events = POLLIN };
	for (long waited = 0; waited < secs * 10; waited++) {
		if (poll(&p, 1, 100) > 0) {
			char c;
			if (read(0, &c, 1) <= 0)
				break;
		}
		if (grow_requested && workers * 2 <= MAX_WORKERS) {
			grow_requested = 0;
			if (start_workers((size_t)workers, (size_t)workers * 2) < 0)
				return 1;
			workers *= 2;
		}
	}
	return 0;
}
