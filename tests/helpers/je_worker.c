/* je_worker.c — probe test target linked statically with a real jemalloc (built by
 * contrib/build-jemalloc.sh with -DCTP_HAVE_JEMALLOC). Each of K threads (plus main) allocates
 * known amounts, prints "T <tid> <thread.allocated> <thread.deallocated>" from mallctl, and
 * parks; "READY <n>" follows. Without jemalloc (the Makefile's plain build) it exits 77. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef CTP_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int reported;

static void report(void)
{
	uint64_t a = 0, d = 0;
	size_t sz = sizeof(a);
	char line[96];
	mallctl("thread.allocated", &a, &sz, NULL, 0);
	sz = sizeof(d);
	mallctl("thread.deallocated", &d, &sz, NULL, 0);
	int n = snprintf(line, sizeof(line), "T %ld %llu %llu\n", (long)syscall(SYS_gettid),
			 (unsigned long long)a, (unsigned long long)d);
	pthread_mutex_lock(&out_lock);
	if (write(1, line, (size_t)n) != n)
		_exit(5);
	pthread_mutex_unlock(&out_lock);
}

/* idx-dependent allocation script: malloc, calloc, realloc, free; some blocks kept */
static void churn(int idx)
{
	uint64_t warm = 0;
	size_t sz = sizeof(warm);
	mallctl("thread.allocated", &warm, &sz, NULL, 0); /* lazy ctl init happens now */
	void *keep = malloc((size_t)(idx + 1) * 1000000);
	memset(keep, 1, 4096);
	for (int i = 0; i < 50 + idx; i++) {
		char *p = calloc(1, (size_t)(i * 37 + idx + 1));
		p = realloc(p, (size_t)(i * 91 + 5));
		free(p);
	}
	(void)keep;
}

static void *thread_main(void *arg)
{
	churn((int)(intptr_t)arg);
	report();
	pthread_mutex_lock(&park_lock);
	reported++;
	pthread_cond_broadcast(&park_cond);
	for (;;)
		pthread_cond_wait(&park_cond, &park_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t th;
	for (int i = 0; i < k; i++)
		if (pthread_create(&th, NULL, thread_main, (void *)(intptr_t)(i + 1)))
			return 3;
	pthread_mutex_lock(&park_lock);
	while (reported < k)
		pthread_cond_wait(&park_cond, &park_lock);
	pthread_mutex_unlock(&park_lock);
	churn(0);
	report();
	char line[32];
	int n = snprintf(line, sizeof(line), "READY %d\n", k + 1);
	if (write(1, line, (size_t)n) != n)
		return 5;
	for (;;)
		pause();
}
#else
int main(void)
{
	fprintf(stderr, "je_worker: built without jemalloc (use contrib/build-jemalloc.sh)\n");
	return 77;
}
#endif
