/* idle_threads.c — test/bench helper: spawns N idle threads (named "idle-<i>", small stacks)
 * that block until stdin closes or SECS seconds pass, prints "ready <pid> <n>" once all exist.
 * Usage: idle_threads N [SECS=60]. Exits 0; prints how many it got if fewer could be created. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int stop_pipe[2];

static void *idle_main(void *arg)
{
	char name[16], c;
	snprintf(name, sizeof(name), "idle-%lu", (unsigned long)(size_t)arg);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	while (read(stop_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	int secs = argc > 2 ? atoi(argv[2]) : 60;
	if (n < 0 || pipe(stop_pipe) < 0) {
		fprintf(stderr, "usage: idle_threads N [SECS]\n");
		return 2;
	}
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	pthread_t *th = calloc((size_t)n + 1, sizeof(*th));
	long got = 0;
	for (; got < n; got++) {
		int e = pthread_create(&th[got], &a, idle_main, (void *)(size_t)got);
		if (e) {
			fprintf(stderr, "idle_threads: pthread_create: %s after %ld\n", strerror(e), got);
			break;
		}
	}
	printf("ready %d %ld\n", (int)getpid(), got);
	fflush(stdout);
	/* wait for stdin EOF (the parent closing its end) or the timeout */
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char buf[64];
	while (poll(&p, 1, secs * 1000) > 0 && read(0, buf, sizeof(buf)) > 0)
		;
	close(stop_pipe[1]);
	for (long i = 0; i < got; i++)
		pthread_join(th[i], NULL);
	free(th);
	return 0;
}
