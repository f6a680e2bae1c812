/* busy.c — a CPU-burning test process with a known name for the tmux UI tests: the process
 * (and so its pcomm) is called "ctpbusy"; it runs N worker threads named "ctpbusy-w" that spin
 * for SECS seconds. Usage: busy [SECS=30] [THREADS=2] [NAME=ctpbusy] (NAME may hold control
 * bytes: the UI tests use it to check that names are escaped before drawing). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static double secs = 30;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
	volatile unsigned long x = 0;
	double end = now() + secs;
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	return arg;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		secs = atof(argv[1]);
	int n = argc > 2 ? atoi(argv[2]) : 2;
	if (n < 1 || n > 64)
		n = 2;
	prctl(PR_SET_NAME, argc > 3 ? argv[3] : "ctpbusy", 0, 0, 0);
	pthread_t th[64];
	for (int i = 0; i < n; i++) {
		pthread_create(&th[i], NULL, spin, NULL);
		pthread_setname_np(th[i], "ctpbusy-w");
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return 0;
}
