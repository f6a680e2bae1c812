/* evil_exec_span_big.c — hostile probe target, second image (exec'd by evil_exec_span): its
 * DWARF `struct tsd_s` puts thread_deallocated 1 MiB after thread_allocated, and it maps a
 * 0x41-filled region where the probe would read through the thread pointer cached from the
 * first image (EVIL_OLD_TP), so a stale-cache read of the whole span succeeds and overflows a
 * prober that does not bound it. Prints "MAPPED <0|1>" then "READY 1", then parks. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define GAP (1u << 20)

struct tsd_s {
	uint8_t state;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	char gap[GAP - 8];
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated;
};

__thread struct tsd_s je_tsd_tls;

/* maps [addr, addr + len) rounded to pages, without replacing anything; true on success */
static bool map_at(uintptr_t addr, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), lo = addr & ~(pg - 1), hi = (addr + len + pg - 1) & ~(pg - 1);
	void *m = mmap((void *)lo, hi - lo, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);
	if (m == MAP_FAILED || m != (void *)lo)
		return false;
	memset(m, 0x41, hi - lo);
	return true;
}

int main(void)
{
	const char *old = getenv("EVIL_OLD_TP");
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer(), a = (uintptr_t)&je_tsd_tls.
		cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	bool mapped = false;
	char line[64];
	if (old) {
		/* where a prober holding the old thread pointer computes thread_allocated */
		uintptr_t target = (uintptr_t)strtoull(old, NULL, 0) + (a - tp);
		mapped = map_at(target, GAP + 16);
	}
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated = 1;
	je_tsd_tls.cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated = 2;
	int n = snprintf(line, sizeof(line), "MAPPED %d %d\nREADY 1\n", mapped, mapped ? 0 : errno);
	if (write(1, line, (size_t)n) != n)
		return 5;
	for (;;)
		pause();
}
