/* evil_debugfile.c — hostile probe target: a static-TLS `je_tsd_tls` symbol whose own DWARF has
 * no tsd_s counters, so the probe goes looking for external debug files (<exe>.debuginfo, .debug,
 * a .gnu_debuglink name the test adds with objcopy) that the attacker controls.
 *   evil_debugfile [NAME...]   one parked thread per NAME (C escapes \xNN, \e, \a decoded, set
 *                              with PR_SET_NAME), then "READY <n>" on stdout; parks forever.
 *   evil_debugfile --vfork K   K threads each stuck in vfork() (the child sleeps): they never
 *                              reach a ptrace stop, so every probe of one waits out its budget. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* no member named like jemalloc's counters: inline DWARF never satisfies the probe */
struct evil_tsd {
	uint64_t slots[16];
};
__thread char evil_tls_pad[24] = { 1 };
__thread struct evil_tsd je_tsd_tls;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int named;

static void decode(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	while (*s && o + 1 < cap) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };
			out[o++] = (char)strtoul(hex, NULL, 16);
			s += 4;
		} else if (s[0] == '\\' && (s[1] == 'e' || s[1] == 'a')) {
			out[o++] = s[1] == 'e' ? 27 : 7;
			s += 2;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
}

static void *parked(void *arg)
{
	char name[64];
	decode(arg, name, sizeof(name));
	prctl(PR_SET_NAME, name, 0, 0, 0);
	je_tsd_tls.slots[0] = 1;
	pthread_mutex_lock(&lock);
	named++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

static void *in_vfork(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	named++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if (vfork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* dies with the thread that waits for it */
		for (;;)
			pause();
	}
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	bool vf = argc == 3 && !strcmp(argv[1], "--vfork");
	int n = vf ? atoi(argv[2]) : argc - 1;
	evil_tls_pad[0]++;
	for (int i = 0; i < n; i++)
		if (pthread_create(&th, NULL, vf ? in_vfork : parked, vf ? NULL : argv[i + 1]))
			return 1;
	pthread_mutex_lock(&lock);
	while (named < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	if (vf)
		usleep(200000); /* the last threads reach vfork() */
	printf("READY %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
