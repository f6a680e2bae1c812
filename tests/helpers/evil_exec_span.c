/* evil_exec_span.c — hostile probe target, first image: looks like jemalloc (a __thread
 * `struct tsd_s` with the mangled counter members, je_tsd_tls symbol), prints "T <tid> <alloc>
 * <dealloc>" and "READY 1", and on SIGUSR1 execs argv[1..] with its thread pointer in
 * EVIL_OLD_TP, so the second image can map memory where a stale cached pointer would read.
 *   evil_exec_span [NEXT ARGS...]   (without NEXT it only parks; counters depend on argc) */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* a layout different from fake_jemalloc's (alloc at 8, dealloc at 24) */
struct tsd_s {
	uint8_t state;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated_next_event_fast;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated;
};

__thread char evil_tls_pad[24] = { 1 };
__thread struct tsd_s je_tsd_tls;

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	uint64_t tid = (uint64_t)syscall(SYS_gettid), a = tid * 1000003 + 17 + (uint64_t)argc * 1000, d = tid * 7 + 5;
	char line[96];
	sigset_t block, old;
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);

	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated = a;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated = d;
	evil_tls_pad[0]++;
	int n = snprintf(line, sizeof(line), "T %llu %llu %llu\nREADY 1\n", (unsigned long long)tid,
			 (unsigned long long)a, (unsigned long long)d);
	if (write(1, line, (size_t)n) != n)
		return 5;
	while (!go)
		sigsuspend(&old);
	if (argc < 2)
		for (;;)
			pause();
	snprintf(line, sizeof(line), "%#llx", (unsigned long long)(uintptr_t)__builtin_thread_pointer());
	setenv("EVIL_OLD_TP", line, 1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	execv(argv[1], argv + 1);
	return 127;
}
