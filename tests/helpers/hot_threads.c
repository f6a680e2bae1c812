/* hot_threads.c — spread test target (issue 17): 8 worker threads ("worker-0".."worker-7") of
 * which worker-0 burns 8x the CPU of each other one: per 40 ms period, 8 ms of its own thread
 * CPU time against 1 ms (CPU time, not wall time, so a loaded machine keeps the ratio; a thread
 * that falls behind catches up without sleeping). Prints "ready PID", runs until killed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 40000000LL
#define COLD_NS 1000000LL

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	char name[16];
	snprintf(name, sizeof(name), "worker-%ld", id);
	pthread_setname_np(pthread_self(), name);
	int64_t burn = id == 0 ? 8 * COLD_NS : COLD_NS, cpu_goal = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t next = now_ns(CLOCK_MONOTONIC);
	volatile uint64_t x = 0;
	for (;;) {
		cpu_goal += burn;
		while (now_ns(CLOCK_THREAD_CPUTIME_ID) < cpu_goal)
			for (int i = 0; i < 1000; i++)
				x += (uint64_t)i;
		next += PERIOD_NS;
		if (now_ns(CLOCK_MONOTONIC) < next) {
			struct timespec ts = { (time_t)(next / 1000000000LL), (long)(next % 1000000000LL) };
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[8];
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
