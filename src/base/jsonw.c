/* jsonw.c — serde_json-compatible compact JSON emitters used by the snapshot writer and by the
 * batch/JSON printers, so every JSON byte we produce is escaped one way. */
#include "base/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void ctp_json_strn(struct ctp_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ctp_buf_grow(b, n + 2);
	ctp_buf_addch(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			uint32_t cp;
			size_t l = ctp_utf8_decode(s + i, n - i, &cp);
			if (l) {
				ctp_buf_add(b, s + i, l);
				i += l;
			} else {
				ctp_buf_adds(b, "\xef\xbf\xbd");
				i++;
			}
			continue;
		}
		i++;
		switch (c) {
		case '"': ctp_buf_adds(b, "\\\""); continue;
		case '\\': ctp_buf_adds(b, "\\\\"); continue;
		case '\b': ctp_buf_adds(b, "\\b"); continue;
		case '\f': ctp_buf_adds(b, "\\f"); continue;
		case '\n': ctp_buf_adds(b, "\\n"); continue;
		case '\r': ctp_buf_adds(b, "\\r"); continue;
		case '\t': ctp_buf_adds(b, "\\t"); continue;
		}
		if (c < 0x20) {
			char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			ctp_buf_adds(b, esc);
		} else {
			ctp_buf_addch(b, c);
		}
	}
	ctp_buf_addch(b, '"');
}

void ctp_json_str(struct ctp_buf *b, const char *s)
{
	ctp_json_strn(b, s ? s : "", s ? strlen(s) : 0);
}

void ctp_json_u64(struct ctp_buf *b, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ctp_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void ctp_json_i64(struct ctp_buf *b, int64_t v)
{
	if (v < 0) {
		ctp_buf_addch(b, '-');
		ctp_json_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		ctp_json_u64(b, (uint64_t)v);
	}
}

void ctp_json_key(struct ctp_buf *b, bool *first, const char *key)
{
	if (!*first)
		ctp_buf_addch(b, ',');
	*first = false;
	ctp_json_str(b, key);
	ctp_buf_addch(b, ':');
}
