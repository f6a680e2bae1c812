/* idle_threads.c — test/bench helper: spawns N idle threads (named "idle-<i>", small stacks)
 * that block until stdin closes or SECS seconds pass, prints "ready <pid> <n>" once all are named and asleep.
 * Usage: idle_threads N [SECS=60]. Exits 0; prints how many it got if fewer could be created. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>

static int stop_pipe[2];
static atomic_long named;

static void *idle_main(void *arg)
{
	char name[16], c;
	snprintf(name, sizeof(name), "idle-%lu", (unsigned long)(size_t)arg);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	atomic_fetch_add(&named, 1);
	while (read(stop_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* every thread but the caller is in state S */
static bool all_asleep(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	bool asleep = d != NULL;
	while (asleep && (de = readdir(d)) != NULL) {
		char path[300], buf[512];
		if (de->d_name[0] == '.' || atoi(de->d_name) == (int)syscall(SYS_gettid))
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		char *rp = strrchr(buf, ')');
		asleep = rp && rp[1] == ' ' && rp[2] == 'S';
	}
	if (d)
		closedir(d);
	return asleep;
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
	/* "ready" means every thread is named and asleep in its read (bounded: 10 s) */
	time_t give_up = time(NULL) + 10;
	while (time(NULL) < give_up && (atomic_load(&named) < got || !all_asleep()))
		usleep(1000);
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
