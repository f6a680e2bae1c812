/* text.c — untrusted text made safe for a terminal or an error line (controls, invalid UTF-8
 * and bidi marks escaped; ctp_err_str, declared in util.h) and measured in terminal cells. */
#include <string.h>
#include <wchar.h>

#include "base/text.h"

static void escape_byte(unsigned char c, bool escape_hex, struct ctp_buf *out)
{
	if (escape_hex)
		ctp_buf_addf(out, "\\x%02x", c);
	else
		ctp_buf_addch(out, '?');
}

/* bidirectional format characters (LRM/RLM, ALM, embeddings/overrides, isolates): drawn raw
 * they reorder the rest of the line ("Trojan Source"), so they are escaped like controls */
static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t ctp_sanitize_name(const char *s, size_t n, bool escape_hex, struct ctp_buf *out)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				escape_byte(c, escape_hex, out);
				bad++;
			} else {
				ctp_buf_addch(out, c);
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = ctp_utf8_decode(s + i, n - i, &cp);
		if (!k || (cp >= 0x80 && cp < 0xa0)) { /* invalid UTF-8, or a C1 control */
			escape_byte(c, escape_hex, out);
			bad++;
			i++;
			continue;
		}
		if (is_bidi_control(cp)) { /* one '?' or every byte as \xNN */
			for (size_t j = 0; j < (escape_hex ? k : 1); j++)
				escape_byte((unsigned char)s[i + j], escape_hex, out);
			bad++;
		} else {
			ctp_buf_add(out, s + i, k);
		}
		i += k;
	}
	return bad;
}

int ctp_display_clip(const char *s, int max, size_t *bytes)
{
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		uint32_t cp = (unsigned char)s[i];
		size_t len = 1;
		if (cp >= 0x80) {
			len = ctp_utf8_decode(s + i, n - i, &cp);
			if (!len)
				len = 1;
		}
		int cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		if (cw < 0)
			cw = 1;
		if (w + cw > max)
			break;
		w += cw;
		i += len;
	}
	if (bytes)
		*bytes = i;
	return w;
}

const char *ctp_err_str(const struct ctp_err *err, char *out, size_t outlen)
{
	/* where and msg quote paths and names: controls and bidi overrides become \xNN */
	struct ctp_buf b = CTP_BUF_INIT;
	if (err->where[0]) {
		ctp_sanitize_name(err->where, strnlen(err->where, sizeof(err->where)), true, &b);
		ctp_buf_adds(&b, ": ");
	}
	ctp_sanitize_name(err->msg, strnlen(err->msg, sizeof(err->msg)), true, &b);
	size_t n = b.len < outlen ? b.len : outlen ? outlen - 1 : 0;
	while (n && n < b.len && ((unsigned char)b.buf[n] & 0xc0) == 0x80)
		n--; /* cut at a character boundary */
	if (outlen) {
		memcpy(out, b.buf, n);
		out[n] = 0;
	}
	ctp_buf_release(&b);
	return out;
}
