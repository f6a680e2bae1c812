/* thread_storm.c — load generator for robustness tests: N long-lived sleeping threads plus M
 * short-lived thread births per second, for S seconds (0 = until killed). Prints "ready <pid>"
 * once the N threads exist and are named. Usage: thread_storm N M S [LIFE_MS [NAME...]]:
 * births live LIFE_MS (default 20); the first long-lived threads take the given names verbatim
 * (any bytes: escapes, controls, bad UTF-8), the others are "storm-<i>". */
#define _GNU_SOURCE /* pthread_setname_np */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static long life_ms = 20;
static char **names;
static long nnames;
static long named; /* sleepers that have set their name (atomic) */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void *sleeper(void *arg)
{
	char name[16];
	long i = (long)(size_t)arg;
	if (i < nnames)
		snprintf(name, sizeof(name), "%s", names[i]); /* comm holds 15 bytes */
	else
		snprintf(name, sizeof(name), "storm-%ld", i);
	pthread_setname_np(pthread_self(), name);
	__atomic_add_fetch(&named, 1, __ATOMIC_RELEASE);
	while (!stop)
		sleep_ms(200);
	return NULL;
}

static void *mayfly(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "mayfly");
	sleep_ms(life_ms);
	return NULL;
}

static int spawn(void *(*fn)(void *), void *arg, int detached)
{
	pthread_attr_t a;
	pthread_t t;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	if (detached)
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&t, &a, fn, arg);
	pthread_attr_destroy(&a);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s N BIRTHS_PER_SEC SECONDS [LIFE_MS [NAME...]]\n", argv[0]);
		return 2;
	}
	long n = atol(argv[1]), m = atol(argv[2]);
	double secs = atof(argv[3]);
	if (argc > 4)
		life_ms = atol(argv[4]);
	if (argc > 5) {
		names = argv + 5;
		nnames = argc - 5;
	}
	for (long i = 0; i < n; i++) {
		int rc = spawn(sleeper, (void *)(size_t)i, 1);
		if (rc) {
			fprintf(stderr, "thread_storm: thread %ld: %s\n", i, strerror(rc));
			return 1;
		}
	}
	while (__atomic_load_n(&named, __ATOMIC_ACQUIRE) < n) /* "ready" means named, too */
		sleep_ms(1);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	double t0 = now_s(), next = t0;
	long born = 0, failed = 0;
	while (secs <= 0 || now_s() - t0 < secs) {
		if (m <= 0) {
			sleep_ms(100);
			continue;
		}
		next += 1.0 / (double)m;
		double wait = next - now_s();
		if (wait > 0)
			sleep_ms((long)(wait * 1000));
		if (spawn(mayfly, NULL, 1))
			failed++;
		else
			born++;
	}
	stop = 1;
	fprintf(stderr, "thread_storm: %ld births (%ld failed) in %.1f s\n", born, failed, now_s() - t0);
	return 0;
}
