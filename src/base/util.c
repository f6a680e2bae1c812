/* util.c — allocation, ctp_buf, ctp_err, u32 lists and clocks shared by every engine module
 * (util.h's text scanning is in strscan.c, its checked opens and atomic saves in files.c). */
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static void (*oom_hook)(void);
char ctp_buf_empty[1];

void ctp_set_oom_hook(void (*hook)(void))
{
	oom_hook = hook;
}

static void *oom_check(void *p)
{
	if (!p) {
		if (oom_hook)
			oom_hook();
		fputs("ctprof-top: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *ctp_xmalloc(size_t n)
{
	return oom_check(malloc(n ? n : 1));
}

void *ctp_xcalloc(size_t n, size_t size)
{
	return oom_check(calloc(n ? n : 1, size ? size : 1));
}

void *ctp_xrealloc(void *p, size_t n)
{
	return oom_check(realloc(p, n ? n : 1));
}

char *ctp_xstrdup(const char *s)
{
	return oom_check(strdup(s ? s : ""));
}

char *ctp_xstrndup(const char *s, size_t n)
{
	char *r = ctp_xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

/* ---- ctp_buf ---- */

void ctp_buf_init(struct ctp_buf *b, size_t hint)
{
	b->len = b->alloc = 0;
	b->buf = ctp_buf_empty;
	if (hint)
		ctp_buf_grow(b, hint);
}

void ctp_buf_grow(struct ctp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return;
	size_t na = b->alloc ? b->alloc : 64;
	while (na < need)
		na *= 2;
	if (b->alloc == 0) {
		b->buf = ctp_xmalloc(na);
		b->buf[0] = 0;
	} else {
		b->buf = ctp_xrealloc(b->buf, na);
	}
	b->alloc = na;
}

void ctp_buf_add(struct ctp_buf *b, const void *data, size_t n)
{
	ctp_buf_grow(b, n);
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = 0;
}

void ctp_buf_adds(struct ctp_buf *b, const char *s)
{
	ctp_buf_add(b, s, strlen(s));
}

void ctp_buf_addch(struct ctp_buf *b, int c)
{
	ctp_buf_grow(b, 1);
	b->buf[b->len++] = (char)c;
	b->buf[b->len] = 0;
}

void ctp_buf_vaddf(struct ctp_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->buf + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= (b->alloc ? b->alloc - b->len : 0)) {
		ctp_buf_grow(b, (size_t)n);
		vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void ctp_buf_addf(struct ctp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ctp_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void ctp_buf_reset(struct ctp_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = 0;
}

char *ctp_buf_detach(struct ctp_buf *b, size_t *len)
{
	char *r = b->alloc ? b->buf : ctp_xstrdup("");
	if (len)
		*len = b->len;
	ctp_buf_init(b, 0);
	return r;
}

void ctp_buf_shrink(struct ctp_buf *b)
{
	if (b->alloc > b->len + 1) {
		b->buf = ctp_xrealloc(b->buf, b->len + 1);
		b->alloc = b->len + 1;
	}
}

void ctp_buf_release(struct ctp_buf *b)
{
	if (b->alloc)
		free(b->buf);
	ctp_buf_init(b, 0);
}

/* ---- errors ---- */

int ctp_err_set(struct ctp_err *err, int code, int sys_errno, const char *where, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->code = code;
	err->sys_errno = sys_errno;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void ctp_u32vec_push(struct ctp_u32vec *a, uint32_t x)
{
	if (a->n == a->alloc) {
		a->alloc = a->alloc ? a->alloc * 2 : 64;
		a->v = ctp_xrealloc(a->v, a->alloc * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

int ctp_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ctp_now_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t ctp_now_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t ctp_now_boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}
