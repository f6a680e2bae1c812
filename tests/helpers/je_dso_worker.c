/* je_dso_worker.c — probe test target for jemalloc as deployed (issue 19): built plain (run with
 * LD_PRELOAD=libjemalloc.so.2: mallctl found by dlsym), with -DJE_DIRECT -ljemalloc (DT_NEEDED)
 * or against libjemalloc.a (static); with JE_DLOPEN=PATH it dlopen()s PATH and allocates through
 * its functions (needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=... for Debian's library,
 * whose static TLS block exceeds glibc's default surplus); JE_MAPS=N then adds N one-page
 * mappings below it, so /proc/PID/maps lists it after more than a page of text. K threads plus main allocate known amounts, print
 * "T <tid> <thread.allocated> <thread.deallocated>" from mallctl, then "READY <n>", and park;
 * each SIGUSR1 runs another round (new allocations, new T lines, READY). No mallctl: exit 77. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
static mallctl_fn je_ctl;
static void *(*je_malloc)(size_t) = malloc;
static void *(*je_calloc)(size_t, size_t) = calloc;
static void *(*je_realloc)(void *, size_t) = realloc;
static void (*je_free)(void *) = free;

#ifdef JE_DIRECT
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int round_no, reported;
static volatile sig_atomic_t go;

static void report(void)
{
	uint64_t a = 0, d = 0;
	size_t sz = sizeof(a);
	char line[96];
	je_ctl("thread.allocated", &a, &sz, NULL, 0);
	sz = sizeof(d);
	je_ctl("thread.deallocated", &d, &sz, NULL, 0);
	int n = snprintf(line, sizeof(line), "T %ld %llu %llu\n", (long)syscall(SYS_gettid), (unsigned long long)a,
			 (unsigned long long)d);
	if (write(1, line, (size_t)n) != n)
		_exit(5);
}

/* idx- and round-dependent script: malloc, calloc, realloc, free; one block kept per round */
static void churn(int idx, int r)
{
	uint64_t warm = 0;
	size_t sz = sizeof(warm);
	je_ctl("thread.allocated", &warm, &sz, NULL, 0); /* lazy ctl init happens now */
	char *keep = je_malloc((size_t)(idx + 1) * 100000 + (size_t)r * 4096);
	memset(keep, 1, 4096);
	for (int i = 0; i < 40 + idx + 7 * r; i++) {
		char *p = je_calloc(1, (size_t)(i * 37 + idx + r + 1));
		p = je_realloc(p, (size_t)(i * 91 + 5));
		je_free(p);
	}
}

static void *thread_main(void *arg)
{
	int idx = (int)(intptr_t)arg, done = -1;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (done == round_no)
			pthread_cond_wait(&cond, &lock);
		done = round_no;
		pthread_mutex_unlock(&lock);
		churn(idx, done);
		pthread_mutex_lock(&lock);
		report();
		reported++;
		pthread_cond_broadcast(&cond);
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t th;
#ifdef JE_DIRECT
	je_ctl = mallctl;
#else
	const char *dl = getenv("JE_DLOPEN");
	void *h = dl ? dlopen(dl, RTLD_NOW | RTLD_LOCAL) : RTLD_DEFAULT;
	if (dl && !h) {
		fprintf(stderr, "je_dso_worker: %s\n", dlerror());
		return 77;
	}
	je_ctl = (mallctl_fn)dlsym(h, "mallctl");
	if (dl) {
		*(void **)&je_malloc = dlsym(h, "malloc");
		*(void **)&je_calloc = dlsym(h, "calloc");
		*(void **)&je_realloc = dlsym(h, "realloc");
		*(void **)&je_free = dlsym(h, "free");
		if (!je_malloc || !je_calloc || !je_realloc || !je_free)
			return 77;
	}
	for (int i = getenv("JE_MAPS") ? atoi(getenv("JE_MAPS")) : 0; i > 0; i--) /* alternate: no merging */
		if (mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
			return 3;
#endif
	if (!je_ctl) {
		fprintf(stderr, "je_dso_worker: no mallctl (run with LD_PRELOAD=libjemalloc.so.2)\n");
		return 77;
	}
	signal(SIGUSR1, on_usr1);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &old); /* the workers never take it */
	for (int i = 0; i < k; i++)
		if (pthread_create(&th, NULL, thread_main, (void *)(intptr_t)(i + 1)))
			return 3;
	for (int r = 0;; r++) {
		pthread_mutex_lock(&lock);
		round_no = r;
		pthread_cond_broadcast(&cond);
		while (reported < k * (r + 1))
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
		churn(0, r);
		report();
		char line[32];
		int n = snprintf(line, sizeof(line), "READY %d\n", k + 1);
		if (write(1, line, (size_t)n) != n)
			return 5;
		while (!go)
			sigsuspend(&old);
		go = 0;
	}
}
