/* strscan.c — scanning text the kernel or a file hands us, with Rust's semantics (ktstr is the
 * reference): strict number parsing, UTF-8 decode/encode/validation/lossy decoding, Unicode
 * White_Space, trimming, ASCII tokens, lines and "key: value" splits. Declared in util.h. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"

/* ---- strict number parsing ---- */

static bool parse_magnitude(const char *s, size_t n, uint64_t *out)
{
	if (n == 0)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return false;
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool ctp_parse_u64(const char *s, size_t n, uint64_t *out)
{
	if (n && s[0] == '+')
		s++, n--;
	return parse_magnitude(s, n, out);
}

bool ctp_parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;
	if (!ctp_parse_u64(s, n, &v) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool ctp_parse_i64(const char *s, size_t n, int64_t *out)
{
	bool neg = false;
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++, n--;
	}
	uint64_t m;
	if (!parse_magnitude(s, n, &m))
		return false;
	if (neg) {
		if (m > (uint64_t)INT64_MAX + 1)
			return false;
		*out = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	} else {
		if (m > INT64_MAX)
			return false;
		*out = (int64_t)m;
	}
	return true;
}

bool ctp_parse_i32(const char *s, size_t n, int32_t *out)
{
	int64_t v;
	if (!ctp_parse_i64(s, n, &v) || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

/* ---- UTF-8 ---- */

size_t ctp_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t ctp_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* true when no byte has the high bit set (then the text is valid UTF-8), 8 bytes at a time */
static bool ascii_only(const char *s, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return !(acc & 0x8080808080808080ULL);
}

bool ctp_utf8_valid(const char *s, size_t n)
{
	if (ascii_only(s, n)) /* kernel text almost always is: skip the decoder */
		return true;
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t l = ctp_utf8_decode(s + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

size_t ctp_utf8_lossy(const char *str, size_t n, struct ctp_buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, bad = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && s[run] < 0x80)
			run++;
		ctp_buf_add(out, s + i, run - i);
		if ((i = run) >= n)
			break;
		/* sequence length and the range of its second byte (Unicode Table 3-7) */
		unsigned char b = s[i], lo = 0x80, hi = 0xbf;
		size_t need = 0, k = 1;
		if (b >= 0xc2 && b <= 0xdf) {
			need = 1;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			lo = b == 0xe0 ? 0xa0 : 0x80;
			hi = b == 0xed ? 0x9f : 0xbf;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			lo = b == 0xf0 ? 0x90 : 0x80;
			hi = b == 0xf4 ? 0x8f : 0xbf;
		}
		/* k = the maximal subpart: the longest prefix that could still start a valid sequence */
		if (need && i + 1 < n && s[i + 1] >= lo && s[i + 1] <= hi)
			for (k = 2; k <= need && i + k < n && (s[i + k] & 0xc0) == 0x80;)
				k++;
		if (need && k == need + 1) {
			ctp_buf_add(out, s + i, k);
		} else {
			ctp_buf_add(out, "\xef\xbf\xbd", 3);
			bad++;
		}
		i += k;
	}
	return bad;
}

/* Rust char::is_whitespace: Unicode White_Space property */
static bool is_unicode_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000;
}

size_t ctp_unicode_space_len(const char *p, const char *end)
{
	uint32_t cp;
	size_t l = ctp_utf8_decode(p, (size_t)(end - p), &cp);
	return l && is_unicode_space(cp) ? l : 0;
}

size_t ctp_unicode_space_len_before(const char *start, const char *p)
{
	for (size_t l = 1; l <= 4 && (size_t)(p - start) >= l; l++) {
		const unsigned char c = (unsigned char)p[-(ptrdiff_t)l];
		if ((c & 0xc0) == 0x80)
			continue;
		uint32_t cp;
		if (ctp_utf8_decode(p - l, l, &cp) == l && is_unicode_space(cp))
			return l;
		return 0;
	}
	return 0;
}

void ctp_trim(const char **s, size_t *n)
{
	/* the UTF-8 decoder runs only when a boundary byte is not ASCII (kernel text rarely is) */
	const char *b = *s, *e = *s + *n;
	while (b < e) {
		unsigned char c = (unsigned char)*b;
		size_t l;
		if (ctp_is_unicode_ws_ascii(c))
			b++;
		else if (c >= 0x80 && (l = ctp_unicode_space_len(b, e)))
			b += l;
		else
			break;
	}
	while (e > b) {
		unsigned char c = (unsigned char)e[-1];
		size_t l;
		if (ctp_is_unicode_ws_ascii(c))
			e--;
		else if (c >= 0x80 && (l = ctp_unicode_space_len_before(b, e)))
			e -= l;
		else
			break;
	}
	*s = b;
	*n = (size_t)(e - b);
}

bool ctp_next_ascii_token(const char **cur, const char *end, const char **tok, size_t *toklen)
{
	const char *p = *cur;
	while (p < end && ctp_is_ascii_ws((unsigned char)*p))
		p++;
	if (p >= end) {
		*cur = p;
		return false;
	}
	const char *t = p;
	while (p < end && !ctp_is_ascii_ws((unsigned char)*p))
		p++;
	*tok = t;
	*toklen = (size_t)(p - t);
	*cur = p;
	return true;
}

bool ctp_next_token(const char **cur, const char *end, const char **tok, size_t *len)
{
	const char *p = *cur;
	size_t l;
	while (p < end && (l = ctp_unicode_space_len(p, end)))
		p += l;
	if (p >= end) {
		*cur = p;
		return false;
	}
	*tok = p;
	while (p < end && !ctp_unicode_space_len(p, end))
		p++;
	*len = (size_t)(p - *tok);
	*cur = p;
	return true;
}

bool ctp_next_line(const char **cur, const char *end, const char **line, size_t *len)
{
	const char *p = *cur;
	if (p >= end)
		return false;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*line = p;
	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	*cur = nl ? nl + 1 : end;
	return true;
}

bool ctp_split_key(const char *line, size_t len, const char **k, size_t *kl, const char **v, size_t *vl)
{
	const char *c = memchr(line, ':', len);
	if (!c)
		return false;
	*k = line;
	*kl = (size_t)(c - line);
	*v = c + 1;
	*vl = len - *kl - 1;
	ctp_trim(k, kl);
	return true;
}
