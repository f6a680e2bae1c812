/* waiters.c — wait channel target (issue 17): `waiters futex N` parks N threads in
 * pthread_cond_wait (a futex wait), `waiters sleep N` keeps N threads in nanosleep; the process
 * names itself w_futex / w_sleep (its pcomm), prints "ready PID" and waits to be killed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *futex_waiter(void *arg)
{
	pthread_mutex_lock(&mu);
	for (;;)
		pthread_cond_wait(&cv, &mu);
	return arg;
}

static void *sleeper(void *arg)
{
	for (;;) {
		struct timespec ts = { 3600, 0 };
		nanosleep(&ts, NULL);
	}
	return arg;
}

int main(int argc, char **argv)
{
	bool futex = argc > 1 && !strcmp(argv[1], "futex");
	int n = argc > 2 ? atoi(argv[2]) : 4;
	prctl(PR_SET_NAME, futex ? "w_futex" : "w_sleep");
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_create(&t, NULL, futex ? futex_waiter : sleeper, NULL);
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
