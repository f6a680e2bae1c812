/* fuzz_names.c — libFuzzer harness for user-controlled names: ctp_pattern_key and
 * ctp_cgroup_key (thread names, cgroup paths) and ctp_sanitize_name, whose output must never
 * hold a byte < 0x20, DEL, ESC, a C1 control or a bidi override, must be valid UTF-8, and
 * must be a fixed point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "base/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* terminal-safe: no C0, DEL or C1 (U+0080..U+009F), valid UTF-8 */
static void check_safe(const struct ctp_buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->buf[i];
		if (c < 0x20 || c == 0x7f)
			abort();
		if (c == 0xc2 && i + 1 < b->len && (unsigned char)b->buf[i + 1] < 0xa0)
			abort();
		/* bidi controls: U+200E/F, U+202A..E (e2 80 8e/8f, e2 80 aa..ae), U+2066..9 (e2 81 a6..a9) */
		if (c == 0xe2 && i + 2 < b->len) {
			unsigned char c1 = (unsigned char)b->buf[i + 1], c2 = (unsigned char)b->buf[i + 2];
			if (c1 == 0x80 && (c2 == 0x8e || c2 == 0x8f || (c2 >= 0xaa && c2 <= 0xae)))
				abort();
			if (c1 == 0x81 && c2 >= 0xa6 && c2 <= 0xa9)
				abort();
		}
	}
	if (!ctp_utf8_valid(b->buf, b->len) || strlen(b->buf) != b->len)
		abort();
}

static void sanitize(const char *s, size_t n, bool hex)
{
	struct ctp_buf a = CTP_BUF_INIT, b = CTP_BUF_INIT;
	size_t bad = ctp_sanitize_name(s, n, hex, &a);
	check_safe(&a);
	if (!bad && (a.len != n || memcmp(a.buf, s, n)))
		abort(); /* clean names pass through byte-exact */
	if (bad && a.len == n && !memcmp(a.buf, s, n))
		abort(); /* a replacement must show */
	if (ctp_sanitize_name(a.buf, a.len, hex, &b) != 0 || b.len != a.len || memcmp(a.buf, b.buf, a.len))
		abort(); /* idempotent */
	ctp_buf_release(&a);
	ctp_buf_release(&b);
}

static void keys(const char *s, size_t n)
{
	struct ctp_buf a = CTP_BUF_INIT, b = CTP_BUF_INIT;
	ctp_pattern_key(s, n, &a);
	ctp_pattern_key(s, n, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		abort(); /* deterministic */
	ctp_buf_reset(&a);
	ctp_cgroup_key(s, n, &a);
	ctp_buf_release(&a);
	ctp_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	memcpy(s, data, size);
	sanitize(s, size, false);
	sanitize(s, size, true);
	keys(s, size);
	free(s);
	return 0;
}
