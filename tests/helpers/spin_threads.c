/* spin_threads.c — test target of the window baseline tests: one thread spinning at 100 % of a
 * CPU; each SIGUSR1 starts one more spinning thread. Prints "ready PID" once the first spinner
 * runs; SIGTERM ends it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile unsigned long sink;

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		sink++;
	return NULL;
}

static int start_spinner(void)
{
	pthread_t th;
	return pthread_create(&th, NULL, spin, NULL) ? -1 : 0;
}

int main(void)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread inherits it: main takes them */
	if (start_spinner() < 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		if (sigwait(&set, &sig) == 0 && sig == SIGUSR1 && start_spinner() < 0)
			return 1;
}
