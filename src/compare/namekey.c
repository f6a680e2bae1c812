/* namekey.c — the name keys threads are grouped by (compare.md §1.2, §1.5): ktstr's
 * pattern_key normalizer of thread and process names, and cgroup keys (--cgroup-flatten globs,
 * the systemd template layer, then pattern_key over the path). */
#include <fnmatch.h>
#include <string.h>

#include "compare/internal.h"

/* byte length of the separator char at p, 0 if p starts a token char */
static size_t sep_len(const char *p, const char *end)
{
	switch (*p) {
	case '.': case '-': case '_': case '/': case ':': case '@': case '+': case '[': case ']':
		return 1;
	default:
		return ctp_unicode_space_len(p, end);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* the length of t's leading run of `first` chars when a non-empty rest is all `second` chars,
 * else 0 */
static size_t two_runs(const char *t, size_t n, bool (*first)(char), bool (*second)(char))
{
	size_t k = 0, i;
	while (k < n && first(t[k]))
		k++;
	for (i = k; i < n && second(t[i]); i++)
		;
	return k && k < n && i == n ? k : 0;
}

/* appends the classification of token t[0..n) (§1.2 step 2) */
static void classify(const char *t, size_t n, struct ctp_buf *out)
{
	size_t digits = 0, hex = 0, k;
	for (size_t i = 0; i < n; i++) {
		digits += is_digit(t[i]);
		hex += is_digit(t[i]) || (t[i] >= 'a' && t[i] <= 'f');
	}
	if (n && digits == n) {
		ctp_buf_adds(out, "{N}");
	} else if (n >= 2 && hex == n && digits) {
		ctp_buf_adds(out, "{H}");
	} else if ((k = two_runs(t, n, is_alpha, is_digit))) {
		ctp_buf_add(out, t, k);
		ctp_buf_adds(out, "{N}");
	} else if ((k = two_runs(t, n, is_digit, is_alpha))) {
		ctp_buf_adds(out, "{N}");
		ctp_buf_add(out, t + k, n - k);
	} else {
		ctp_buf_add(out, t, n);
	}
}

void ctp_pattern_key(const char *s, size_t n, struct ctp_buf *out)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *q = p;
		size_t k;
		if ((k = sep_len(q, end))) {
			while (q < end && (k = sep_len(q, end)))
				q += k;
			ctp_buf_add(out, p, (size_t)(q - p));
		} else {
			while (q < end && !sep_len(q, end))
				q++;
			classify(p, (size_t)(q - p), out);
		}
		p = q;
	}
}

/* Layer 1: every "<x>@<instance>.service" segment with a plain instance -> "@{I}.service" */
static void systemd_template(const char *s, size_t n, struct ctp_buf *out)
{
	static const char svc[] = ".service";
	const size_t svclen = sizeof(svc) - 1;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *se = slash ? slash : end;
		const char *at = memchr(p, '@', (size_t)(se - p));
		bool done = false;
		if (at && (size_t)(se - at) > svclen + 1 && !memcmp(se - svclen, svc, svclen)) {
			const char *i0 = at + 1, *i1 = se - svclen;
			bool plain = true;
			for (const char *c = i0; c < i1; c++)
				if (*c == '.' || *c == '_' || *c == '-')
					plain = false;
			if (plain) {
				ctp_buf_add(out, p, (size_t)(i0 - p));
				ctp_buf_adds(out, "{I}");
				ctp_buf_add(out, i1, (size_t)(se - i1));
				done = true;
			}
		}
		if (!done)
			ctp_buf_add(out, p, (size_t)(se - p));
		if (slash)
			ctp_buf_addch(out, '/');
		p = slash ? slash + 1 : end;
	}
}

void ctp_cgroup_key(const char *path, size_t n, struct ctp_buf *out)
{
	struct ctp_buf l1 = CTP_BUF_INIT;
	systemd_template(path, n, &l1);
	ctp_pattern_key(l1.buf, l1.len, out);
	ctp_buf_release(&l1);
}

void ctp_cgroup_group_key(const char *path, const struct ctp_compare_opts *o, struct ctp_buf *out)
{
	for (const char *const *g = o->flatten; g && *g; g++)
		if (!fnmatch(*g, path, 0)) {
			path = *g;
			break;
		}
	if (o->no_cg_normalize)
		ctp_buf_adds(out, path);
	else
		ctp_cgroup_key(path, strlen(path), out);
}
