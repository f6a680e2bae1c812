/* fake_je.c — a shared object that is not jemalloc but looks like one from outside (issue 19,
 * "never a wrong number"): PT_TLS with an initial-exec TLS block (one TPOFF GOT slot), and
 * jemalloc's exported API names (malloc, free, mallctl, malloc_usable_size, sdallocx, nallocx,
 * mallocx) over a bump allocator that counts bytes in its own TLS. The probe must not measure it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fake_tsd {
	uint64_t pad[100];
	uint64_t allocated, deallocated;
};
static __thread struct fake_tsd tsd __attribute__((tls_model("initial-exec")));

static _Alignas(16) char arena[64 << 20];
static size_t used;

static size_t *hdr(void *p)
{
	return (size_t *)p - 2;
}

void *malloc(size_t n)
{
	size_t sz = (n + 15) & ~(size_t)15, off = __atomic_fetch_add(&used, sz + 16, __ATOMIC_RELAXED);
	if (off + sz + 16 > sizeof(arena))
		return NULL;
	size_t *h = (size_t *)(arena + off);
	h[0] = sz;
	tsd.allocated += sz;
	return h + 2;
}

void free(void *p)
{
	if (p)
		tsd.deallocated += *hdr(p);
}

void *calloc(size_t a, size_t b)
{
	void *p = malloc(a * b);
	if (p)
		memset(p, 0, a * b);
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q = malloc(n);
	if (q && p) {
		size_t old = *hdr(p);
		memcpy(q, p, old < n ? old : n);
		free(p);
	}
	return q;
}

size_t malloc_usable_size(void *p)
{
	return p ? *hdr(p) : 0;
}

void *mallocx(size_t n, int flags)
{
	(void)flags;
	return malloc(n);
}

void sdallocx(void *p, size_t n, int flags)
{
	(void)n;
	(void)flags;
	free(p);
}

size_t nallocx(size_t n, int flags)
{
	(void)flags;
	return (n + 15) & ~(size_t)15;
}

int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
	(void)newp;
	(void)newlen;
	if (!oldp || !oldlenp || *oldlenp != 8)
		return 22;
	if (!strcmp(name, "thread.allocated"))
		memcpy(oldp, &tsd.allocated, 8);
	else if (!strcmp(name, "thread.deallocated"))
		memcpy(oldp, &tsd.deallocated, 8);
	else
		return 2;
	return 0;
}
