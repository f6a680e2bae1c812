/* fake_jemalloc.c — probe test target without jemalloc: a __thread `struct tsd_s` shaped like
 * jemalloc 5.3's (mangled member names, je_tsd_tls symbol). Modes:
 *   fake_jemalloc K          K threads set known counters, print "T <tid> <alloc> <dealloc>",
 *                            then "READY <n>", and park (main thread included).
 *   fake_jemalloc --churn K  K parked threads as above, then the main thread creates and joins
 *                            short-lived threads forever (each sets its counters first).
 * SIGRTMIN deliveries are counted; SIGUSR2 prints "SIGS <count>" (signal-loss test). */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct tsd_s {
	/* TSD_DATA_SLOW stand-ins */
	uint8_t cant_access_tsd_items_directly_use_a_getter_or_setter_tcache_enabled;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_arenas_tdata_bypass[3];
	uint8_t state;
	/* TSD_DATA_FAST, in 5.3 order */
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated_next_event_fast;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated_next_event_fast;
	void *cant_access_tsd_items_directly_use_a_getter_or_setter_tcache;
};

/* a TLS neighbour first so je_tsd_tls has a non-zero st_value */
__thread char ctp_fake_tls_pad[40] = { 1 };
__thread struct tsd_s je_tsd_tls;

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int reported;
static volatile sig_atomic_t rt_count;

static void on_rt(int sig)
{
	(void)sig;
	rt_count++;
}

static void on_usr2(int sig)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "SIGS %d\n", (int)rt_count);
	(void)sig;
	if (write(1, line, (size_t)n) != n)
		_exit(5);
}

static void set_and_report(int quiet)
{
	uint64_t tid = (uint64_t)syscall(SYS_gettid);
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated = tid * 1000003 + 17;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated_next_event_fast = 1;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated = tid * 7 + 5;
	ctp_fake_tls_pad[0]++;
	if (quiet)
		return;
	char line[96];
	int n = snprintf(line, sizeof(line), "T %llu %llu %llu\n", (unsigned long long)tid,
			 (unsigned long long)(tid * 1000003 + 17), (unsigned long long)(tid * 7 + 5));
	pthread_mutex_lock(&out_lock);
	if (write(1, line, (size_t)n) != n)
		_exit(5);
	pthread_mutex_unlock(&out_lock);
}

static void *parked(void *arg)
{
	(void)arg;
	set_and_report(0);
	pthread_mutex_lock(&park_lock);
	reported++;
	pthread_cond_broadcast(&park_cond);
	for (;;)
		pthread_cond_wait(&park_cond, &park_lock);
	return NULL;
}

static void *short_lived(void *arg)
{
	(void)arg;
	set_and_report(1);
	usleep(100);
	return NULL;
}

int main(int argc, char **argv)
{
	int churn = argc > 1 && !strcmp(argv[1], "--churn");
	int k = argc > 1 + churn ? atoi(argv[1 + churn]) : 4;
	pthread_t th;
	struct sigaction sa = { 0 };
	sa.sa_handler = on_rt;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGRTMIN, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	for (int i = 0; i < k; i++)
		if (pthread_create(&th, NULL, parked, NULL))
			return 3;
	pthread_mutex_lock(&park_lock);
	while (reported < k)
		pthread_cond_wait(&park_cond, &park_lock);
	pthread_mutex_unlock(&park_lock);
	set_and_report(0);
	char line[32];
	int n = snprintf(line, sizeof(line), "READY %d\n", k + 1);
	if (write(1, line, (size_t)n) != n)
		return 5;
	if (!churn)
		for (;;)
			pause();
	for (;;) {
		if (pthread_create(&th, NULL, short_lived, NULL) == 0)
			pthread_join(th, NULL);
	}
}
