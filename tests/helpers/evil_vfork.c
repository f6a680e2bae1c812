/* evil_vfork.c — hostile probe target: looks like jemalloc (fake tsd_s, je_tsd_tls) and parks K
 * threads inside vfork(2) — each child sleeps forever without exec, so its parent thread waits
 * uninterruptibly and never reaches a ptrace interrupt stop. The main thread sets its counters,
 * prints "T <tid> <alloc> <dealloc>" and "READY 1" once every child is running.
 *   evil_vfork [K]   (default 20; children die with the process: PR_SET_PDEATHSIG) */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

struct tsd_s {
	uint8_t state;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated_next_event_fast;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated;
};

__thread char evil_tls_pad[16] = { 1 };
__thread struct tsd_s je_tsd_tls;

static int ready_pipe[2];

static void *in_vfork(void *arg)
{
	(void)arg;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated = 1;
	if (vfork() == 0) {
		/* the child borrows this thread's memory: only system calls, and never return */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (write(ready_pipe[1], "v", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 20;
	pthread_t th;
	char c, line[96];
	if (pipe(ready_pipe) < 0)
		return 2;
	for (int i = 0; i < k; i++)
		if (pthread_create(&th, NULL, in_vfork, NULL))
			return 3;
	for (int i = 0; i < k; i++)
		if (read(ready_pipe[0], &c, 1) != 1)
			return 4;
	uint64_t tid = (uint64_t)syscall(SYS_gettid), a = tid * 1000003 + 17, d = tid * 7 + 5;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated = a;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated = d;
	evil_tls_pad[0]++;
	int n = snprintf(line, sizeof(line), "T %llu %llu %llu\nREADY 1\n", (unsigned long long)tid,
			 (unsigned long long)a, (unsigned long long)d);
	if (write(1, line, (size_t)n) != n)
		return 5;
	for (;;)
		pause();
}
