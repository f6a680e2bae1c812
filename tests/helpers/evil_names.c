/* evil_names.c — a process whose threads hide behind their names (issue 12 item 3): threads
 * named "\xffx" (not UTF-8), "spin\n" (newline), "a) (b" and "ab日本語の名前" (cut by the kernel
 * inside a character at 15 bytes); the process itself is "evil\xff". Each thread burns
 * BURN_MS of CPU, then the helper prints "ready <pid>" and the threads keep burning (SPIN=1) or
 * sleep until stdin reaches EOF or SECS pass. Usage: evil_names [SECS=30] [BURN_MS=80] [SPIN=0] */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static const char *const names[] = { "\xffx", "spin\n", "a) (b",
				     "ab\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe5\x90\x8d\xe5\x89\x8d" };
#define NTHREADS (sizeof(names) / sizeof(names[0]))

static long burn_ms = 80;
static int spin_on;
static volatile int stop;
static pthread_barrier_t burned;

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void burn(double until_ms)
{
	volatile unsigned long x = 0;
	while (cpu_ms() < until_ms && !stop)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
}

static void *worker(void *arg)
{
	prctl(PR_SET_NAME, (const char *)arg, 0, 0, 0); /* the kernel keeps 15 bytes */
	burn((double)burn_ms);
	pthread_barrier_wait(&burned);
	while (!stop) {
		if (spin_on) {
			burn(cpu_ms() + 50);
		} else {
			struct timespec ts = { 0, 50000000 };
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30;
	if (argc > 2)
		burn_ms = atol(argv[2]);
	spin_on = argc > 3 && atoi(argv[3]) != 0;
	prctl(PR_SET_NAME, "evil\xff", 0, 0, 0);
	pthread_barrier_init(&burned, NULL, NTHREADS + 1);
	pthread_t th[NTHREADS];
	for (size_t i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)names[i]) != 0)
			return 1;
	pthread_barrier_wait(&burned);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	/* until stdin's EOF (or error) or SECS */
	for (double t = 0; t < secs; t += 0.05) {
		struct pollfd pfd = { 0, POLLIN, 0 };
		char buf[64];
		if (poll(&pfd, 1, 50) > 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
	stop = 1;
	for (size_t i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}
