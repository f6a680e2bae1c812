/* rename_burn.c — test helper: a process that burns CPU under one name, then renames itself
 * (prctl PR_SET_NAME, so its pcomm changes too) on SIGUSR1 and sleeps: its new group has a large
 * lifetime run time but no run time since the rename (issue 20, a new row sorts by its rate).
 * Usage: rename_burn [-a NAME_BEFORE] [-b NAME_AFTER] [-c CPU_SECS=2] [-t SECS=60]
 * Prints "ready <pid>" after the burn; exits SECS after that. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t rename_requested;

static void on_usr1(int sig)
{
	(void)sig;
	rename_requested = 1;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *before = "rnb-before", *after = "rnb-after";
	double cpu = 2;
	long secs = 60;
	int opt;
	while ((opt = getopt(argc, argv, "a:b:c:t:")) != -1) {
		switch (opt) {
		case 'a': before = optarg; break;
		case 'b': after = optarg; break;
		case 'c': cpu = atof(optarg); break;
		case 't': secs = atol(optarg); break;
		default:
			fprintf(stderr, "usage: rename_burn [-a NAME] [-b NAME] [-c CPU_SECS] [-t SECS]\n");
			return 2;
		}
	}
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	prctl(PR_SET_NAME, before, 0, 0, 0);
	volatile unsigned long x = 0;
	while (cpu_s() < cpu)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (long waited = 0; waited < secs * 10; waited++) {
		usleep(100000);
		if (rename_requested) {
			rename_requested = 0;
			prctl(PR_SET_NAME, after, 0, 0, 0);
		}
	}
	return 0;
}
