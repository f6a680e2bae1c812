/* tap.h — our tiny TAP emitter (after git's t/unit-tests/test-lib.h): check_*() print both
 * values and file:line on failure, skip() records a skip with its reason, test_done() prints the
 * plan and returns the exit status. Header-only: each test program is one translation unit. */
#ifndef CTP_TAP_H
#define CTP_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

static inline void tap_vresult(bool pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
}

static inline bool tap_result(bool pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline bool tap_result(bool pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

/* a skipped test point: counts in the plan, says why */
static inline void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_count++;
	printf("ok %d # skip ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

/* the whole program is skipped (facility missing); exits 0 */
static inline void skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

static inline int test_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# failed %d of %d\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

#define ok(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define check_int(a, op, b)                                                                         \
	do {                                                                                        \
		long long tap_a_ = (long long)(a), tap_b_ = (long long)(b);                         \
		if (!tap_result(tap_a_ op tap_b_, __FILE__, __LINE__, "%s %s %s", #a, #op, #b))     \
			printf("#   left: %lld\n#  right: %lld\n", tap_a_, tap_b_);                   \
	} while (0)

#define check_u64(a, op, b)                                                                         \
	do {                                                                                        \
		uint64_t tap_a_ = (uint64_t)(a), tap_b_ = (uint64_t)(b);                            \
		if (!tap_result(tap_a_ op tap_b_, __FILE__, __LINE__, "%s %s %s", #a, #op, #b))     \
			printf("#   left: %" PRIu64 "\n#  right: %" PRIu64 "\n", tap_a_, tap_b_);     \
	} while (0)

#define check_str(a, b)                                                                             \
	do {                                                                                        \
		const char *tap_a_ = (a), *tap_b_ = (b);                                            \
		bool tap_eq_ = tap_a_ && tap_b_ && !strcmp(tap_a_, tap_b_);                         \
		if (!tap_result(tap_eq_, __FILE__, __LINE__, "%s == %s", #a, #b))                   \
			printf("#   left: \"%s\"\n#  right: \"%s\"\n", tap_a_ ? tap_a_ : "(null)",     \
			       tap_b_ ? tap_b_ : "(null)");                                         \
	} while (0)

#endif
