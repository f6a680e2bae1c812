/* churn_burn.c — exit accounting target (issue 17): starts RATE threads a second (default 200),
 * each burning BURN_US of its own CPU time (default 2000) and exiting, for SECS seconds
 * (default 5), then prints "done cpu_ns N threads M secs S" with its getrusage(RUSAGE_SELF) CPU
 * time (every thread's, the dead included), the threads it created and its run time.
 * usage: churn_burn [SECS [RATE [BURN_US]]]; prints "ready PID" first. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int64_t burn_ns;

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *burner(void *arg)
{
	volatile uint64_t x = 0;
	int64_t goal = now_ns(CLOCK_THREAD_CPUTIME_ID) + burn_ns;
	while (now_ns(CLOCK_THREAD_CPUTIME_ID) < goal)
		for (int i = 0; i < 1000; i++)
			x += (uint64_t)i;
	return arg;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	double rate = argc > 2 ? atof(argv[2]) : 200;
	burn_ns = (argc > 3 ? atoll(argv[3]) : 2000) * 1000LL;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 64 << 10);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	int64_t t0 = now_ns(CLOCK_MONOTONIC), step = (int64_t)(1e9 / rate), next = t0;
	long created = 0;
	while (now_ns(CLOCK_MONOTONIC) - t0 < (int64_t)(secs * 1e9)) {
		pthread_t t;
		if (pthread_create(&t, &at, burner, NULL) == 0)
			created++;
		next += step;
		struct timespec ts = { (time_t)(next / 1000000000LL), (long)(next % 1000000000LL) };
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	double ran = (double)(now_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	usleep(100000); /* the last burners finish */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long long cpu = (long long)ru.ru_utime.tv_sec * 1000000000LL + ru.ru_utime.tv_usec * 1000LL +
			(long long)ru.ru_stime.tv_sec * 1000000000LL + ru.ru_stime.tv_usec * 1000LL;
	printf("done cpu_ns %lld threads %ld secs %.3f\n", cpu, created, ran);
	return 0;
}
