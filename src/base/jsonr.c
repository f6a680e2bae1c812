/* jsonr.c — strict streaming JSON reader (see jsonr.h). It validates as it goes and never
 * builds a tree, so a 10k-thread snapshot decodes in one pass straight into the model. */
#include "base/jsonr.h"

#include <stdio.h>
#include <string.h>

void ctp_jsonr_init(struct ctp_jsonr *r, const char *json, size_t len, struct ctp_err *err)
{
	memset(r, 0, sizeof(*r));
	r->p = r->start = json;
	r->end = json + len;
	r->err = err;
	ctp_buf_init(&r->scratch, 64);
}

void ctp_jsonr_release(struct ctp_jsonr *r)
{
	ctp_buf_release(&r->scratch);
}

/* error text may quote keys and values of an untrusted file: C0 controls, DEL and UTF-8
 * encoded C1 controls become '?' so a printed error can never drive the terminal */
static void scrub(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			p[0] = p[1] = '?';
	}
}

/* "threads[3].nice" from the open frames */
static void build_path(struct ctp_jsonr *r)
{
	size_t n = 0, cap = sizeof(r->path);
	r->path[0] = 0;
	for (int d = 1; d <= r->depth && n < cap - 1; d++) {
		const struct ctp_jframe *f = &r->frames[d];
		if (!f->has_item)
			break;
		int w = f->is_array ? snprintf(r->path + n, cap - n, "[%zu]", f->index)
				    : snprintf(r->path + n, cap - n, "%s%.*s", n ? "." : "", (int)f->keylen, f->key);
		if (w < 0)
			break;
		n += (size_t)w < cap - n ? (size_t)w : cap - n - 1;
	}
}

int ctp_jsonr_fail(struct ctp_jsonr *r, const char *fmt, ...)
{
	if (r->failed)
		return -1;
	r->failed = true;
	if (r->err) {
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		build_path(r);
		scrub(r->path);
		scrub(msg);
		ctp_err_set(r->err, CTP_E_JSON, 0, r->path, "%s", msg);
	}
	return -1;
}

static void skip_ws(struct ctp_jsonr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static int syntax(struct ctp_jsonr *r, const char *what)
{
	if (r->p >= r->end)
		return ctp_jsonr_fail(r, "unexpected end of JSON (expected %s)", what);
	return ctp_jsonr_fail(r, "JSON syntax error at byte %zu: expected %s", (size_t)(r->p - r->start), what);
}

enum ctp_jtype ctp_jsonr_peek(struct ctp_jsonr *r)
{
	skip_ws(r);
	if (r->failed)
		return CTP_J_BAD;
	if (r->p >= r->end)
		return CTP_J_END;
	switch (*r->p) {
	case 'n': return CTP_J_NULL;
	case 't': case 'f': return CTP_J_BOOL;
	case '"': return CTP_J_STRING;
	case '[': return CTP_J_ARRAY;
	case '{': return CTP_J_OBJECT;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9': return CTP_J_NUMBER;
	default: return CTP_J_BAD;
	}
}

static const char *type_name(enum ctp_jtype t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array", "object", "end of input", "invalid JSON" };
	return names[t];
}

static int expect_type(struct ctp_jsonr *r, enum ctp_jtype want, const char *what)
{
	enum ctp_jtype t = ctp_jsonr_peek(r);
	if (r->failed)
		return -1;
	if (t == want)
		return 0;
	if (t == CTP_J_BAD || t == CTP_J_END)
		return syntax(r, what);
	return ctp_jsonr_fail(r, "expected %s, got %s", what, type_name(t));
}

static bool literal(struct ctp_jsonr *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) >= n && !memcmp(r->p, word, n)) {
		r->p += n;
		return true;
	}
	return false;
}

bool ctp_jsonr_null(struct ctp_jsonr *r)
{
	if (ctp_jsonr_peek(r) != CTP_J_NULL)
		return false;
	if (!literal(r, "null")) {
		syntax(r, "null");
		return false;
	}
	return true;
}

int ctp_jsonr_bool(struct ctp_jsonr *r, bool *out)
{
	if (expect_type(r, CTP_J_BOOL, "a boolean"))
		return -1;
	if (literal(r, "true"))
		*out = true;
	else if (literal(r, "false"))
		*out = false;
	else
		return syntax(r, "true or false");
	return 0;
}

/* scans a JSON number token; sets *neg, magnitude digits span, and whether it is an integer */
struct num_tok {
	bool neg, integer;
	const char *digits;
	size_t ndigits;
};

static int scan_number(struct ctp_jsonr *r, struct num_tok *t)
{
	const char *p = r->p, *e = r->end;
	t->neg = p < e && *p == '-';
	if (t->neg)
		p++;
	t->digits = p;
	if (p >= e || *p < '0' || *p > '9')
		return syntax(r, "a digit");
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	t->ndigits = (size_t)(p - t->digits);
	t->integer = true;
	if (p < e && *p == '.') {
		t->integer = false;
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return r->p = p, syntax(r, "a digit after '.'");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		t->integer = false;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return r->p = p, syntax(r, "a digit in the exponent");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	r->p = p;
	/* serde_json parses -0 as a float, so it is no integer either */
	if (t->neg && t->ndigits == 1 && t->digits[0] == '0')
		t->integer = false;
	return 0;
}

/* reads an integer into sign + magnitude; range checks are the caller's */
static int read_integer(struct ctp_jsonr *r, bool *neg, uint64_t *mag, const char *what)
{
	if (expect_type(r, CTP_J_NUMBER, what))
		return -1;
	struct num_tok t;
	const char *at = r->p;
	if (scan_number(r, &t))
		return -1;
	if (!t.integer)
		return ctp_jsonr_fail(r, "expected %s, got %.*s", what, (int)(r->p - at) > 40 ? 40 : (int)(r->p - at), at);
	if (!ctp_parse_u64(t.digits, t.ndigits, mag))
		return ctp_jsonr_fail(r, "integer %s%.*s out of range for %s", t.neg ? "-" : "",
				      t.ndigits > 40 ? 40 : (int)t.ndigits, t.digits, what);
	*neg = t.neg;
	return 0;
}

static int read_unsigned(struct ctp_jsonr *r, uint64_t max, uint64_t *out, const char *what)
{
	bool neg;
	uint64_t v;
	if (read_integer(r, &neg, &v, what))
		return -1;
	if (neg || v > max)
		return ctp_jsonr_fail(r, "integer %s%llu out of range for %s", neg ? "-" : "", (unsigned long long)v, what);
	*out = v;
	return 0;
}

int ctp_jsonr_u64(struct ctp_jsonr *r, uint64_t *out)
{
	return read_unsigned(r, UINT64_MAX, out, "an unsigned 64-bit integer");
}

int ctp_jsonr_u32(struct ctp_jsonr *r, uint32_t *out)
{
	uint64_t v = 0;
	if (read_unsigned(r, UINT32_MAX, &v, "an unsigned 32-bit integer"))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int ctp_jsonr_u16(struct ctp_jsonr *r, uint16_t *out)
{
	uint64_t v = 0;
	if (read_unsigned(r, UINT16_MAX, &v, "an unsigned 16-bit integer"))
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int ctp_jsonr_i32(struct ctp_jsonr *r, int32_t *out)
{
	bool neg;
	uint64_t v;
	const char *what = "a signed 32-bit integer";
	if (read_integer(r, &neg, &v, what))
		return -1;
	if ((!neg && v > INT32_MAX) || (neg && v > (uint64_t)INT32_MAX + 1))
		return ctp_jsonr_fail(r, "integer %s%llu out of range for %s", neg ? "-" : "", (unsigned long long)v, what);
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return 0;
}

static int hex4(struct ctp_jsonr *r, uint32_t *out)
{
	if (r->end - r->p < 4)
		return syntax(r, "four hex digits");
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = r->p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return syntax(r, "four hex digits");
		v = v * 16 + (uint32_t)d;
	}
	r->p += 4;
	*out = v;
	return 0;
}

static int read_escape(struct ctp_jsonr *r, struct ctp_buf *b)
{
	if (r->p >= r->end)
		return syntax(r, "an escape");
	char c = *r->p++;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = memchr(from, c, sizeof(from) - 1);
	if (k) {
		ctp_buf_addch(b, to[k - from]);
		return 0;
	}
	if (c != 'u')
		return r->p--, syntax(r, "a valid escape");
	uint32_t cp;
	if (hex4(r, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return ctp_jsonr_fail(r, "lone surrogate \\u%04x in string", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		uint32_t lo;
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return ctp_jsonr_fail(r, "lone surrogate \\u%04x in string", cp);
		r->p += 2;
		if (hex4(r, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return ctp_jsonr_fail(r, "lone surrogate \\u%04x in string", cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return ctp_jsonr_fail(r, "string contains a NUL character");
	char u[4];
	ctp_buf_add(b, u, ctp_utf8_encode(cp, u));
	return 0;
}

int ctp_jsonr_string(struct ctp_jsonr *r, const char **s, size_t *len)
{
	if (expect_type(r, CTP_J_STRING, "a string"))
		return -1;
	const char *begin = ++r->p;
	struct ctp_buf *b = &r->scratch;
	bool copied = false;
	for (;;) {
		const char *run = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20 &&
		       (unsigned char)*r->p < 0x80)
			r->p++;
		if (copied)
			ctp_buf_add(b, run, (size_t)(r->p - run));
		if (r->p >= r->end)
			return syntax(r, "closing '\"'");
		unsigned char c = (unsigned char)*r->p;
		if (c == '"') {
			r->p++;
			break;
		}
		if (c == '\\') {
			if (!copied) { /* first escape: switch to the decoded copy */
				ctp_buf_reset(b);
				ctp_buf_add(b, begin, (size_t)(r->p - begin));
				copied = true;
			}
			r->p++;
			if (read_escape(r, b))
				return -1;
			continue;
		}
		if (c < 0x20)
			return ctp_jsonr_fail(r, "control character 0x%02x inside string", c);
		uint32_t cp;
		size_t l = ctp_utf8_decode(r->p, (size_t)(r->end - r->p), &cp);
		if (!l)
			return ctp_jsonr_fail(r, "invalid UTF-8 in string at byte %zu", (size_t)(r->p - r->start));
		if (copied)
			ctp_buf_add(b, r->p, l);
		r->p += l;
	}
	if (copied) {
		*s = b->buf;
		*len = b->len;
	} else {
		*s = begin;
		*len = (size_t)(r->p - 1 - begin);
	}
	return 0;
}

int ctp_jsonr_strdup(struct ctp_jsonr *r, char **out)
{
	const char *s;
	size_t n;
	if (ctp_jsonr_string(r, &s, &n))
		return -1;
	*out = ctp_xstrndup(s, n);
	return 0;
}

static int enter(struct ctp_jsonr *r, bool is_array)
{
	if (r->depth >= CTP_JSONR_MAX_DEPTH)
		return ctp_jsonr_fail(r, "nesting deeper than %d levels", CTP_JSONR_MAX_DEPTH);
	r->p++;
	r->depth++;
	r->frames[r->depth] = (struct ctp_jframe){ .is_array = is_array };
	return 0;
}

static void leave(struct ctp_jsonr *r)
{
	r->depth--;
	r->p++;
}

int ctp_jsonr_obj_begin(struct ctp_jsonr *r)
{
	if (expect_type(r, CTP_J_OBJECT, "an object"))
		return -1;
	return enter(r, false);
}

/* past the ',' before the open container's next item (index counted): 1, or 0 past its closing
 * byte (left), or -1 on an error */
static int next_item(struct ctp_jsonr *r, char close, const char *expect)
{
	skip_ws(r);
	if (r->failed)
		return -1;
	struct ctp_jframe *f = &r->frames[r->depth];
	if (r->p < r->end && *r->p == close) {
		leave(r);
		return 0;
	}
	if (f->has_item) {
		if (r->p >= r->end || *r->p != ',')
			return syntax(r, expect);
		r->p++;
		f->index++;
	}
	return 1;
}

int ctp_jsonr_obj_next(struct ctp_jsonr *r, const char **key, size_t *keylen)
{
	int more = next_item(r, '}', "',' or '}'");
	if (more <= 0)
		return more;
	struct ctp_jframe *f = &r->frames[r->depth];
	const char *raw = r->p + 1;
	if (ctp_jsonr_string(r, key, keylen))
		return -1;
	f->key = raw;
	f->keylen = (size_t)(r->p - 1 - raw);
	f->has_item = true;
	skip_ws(r);
	if (r->p >= r->end || *r->p != ':')
		return syntax(r, "':'");
	r->p++;
	return 1;
}

int ctp_jsonr_arr_begin(struct ctp_jsonr *r)
{
	if (expect_type(r, CTP_J_ARRAY, "an array"))
		return -1;
	return enter(r, true);
}

int ctp_jsonr_arr_next(struct ctp_jsonr *r, size_t *index)
{
	int more = next_item(r, ']', "',' or ']'");
	if (more <= 0)
		return more;
	struct ctp_jframe *f = &r->frames[r->depth];
	f->has_item = true;
	*index = f->index;
	return 1;
}

int ctp_jsonr_skip(struct ctp_jsonr *r)
{
	const char *k;
	size_t kl, i;
	int more;
	switch (ctp_jsonr_peek(r)) {
	case CTP_J_NULL: return ctp_jsonr_null(r) ? 0 : -1;
	case CTP_J_BOOL: { bool b; return ctp_jsonr_bool(r, &b); }
	case CTP_J_STRING: return ctp_jsonr_string(r, &k, &kl);
	case CTP_J_NUMBER: { struct num_tok t; return scan_number(r, &t); }
	case CTP_J_ARRAY:
		if (ctp_jsonr_arr_begin(r))
			return -1;
		while ((more = ctp_jsonr_arr_next(r, &i)) == 1)
			if (ctp_jsonr_skip(r))
				return -1;
		return more;
	case CTP_J_OBJECT:
		if (ctp_jsonr_obj_begin(r))
			return -1;
		while ((more = ctp_jsonr_obj_next(r, &k, &kl)) == 1)
			if (ctp_jsonr_skip(r))
				return -1;
		return more;
	default:
		return syntax(r, "a JSON value");
	}
}

int ctp_jsonr_finish(struct ctp_jsonr *r)
{
	skip_ws(r);
	if (r->failed)
		return -1;
	if (r->p != r->end)
		return ctp_jsonr_fail(r, "trailing characters after the JSON value at byte %zu", (size_t)(r->p - r->start));
	return 0;
}

static size_t find_name(const char *const *names, size_t n, const char *key, size_t keylen, size_t hint)
{
	if (hint < n && !strncmp(names[hint], key, keylen) && names[hint][keylen] == 0)
		return hint;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(names[i], key, keylen) && names[i][keylen] == 0)
			return i;
	return n;
}

int ctp_jsonr_struct(struct ctp_jsonr *r, const char *const *names, size_t n, bool *seen,
		     int (*field)(struct ctp_jsonr *r, size_t idx, void *ctx), void *ctx)
{
	const char *key;
	size_t keylen, hint = 0;
	int more;
	memset(seen, 0, n * sizeof(*seen));
	if (ctp_jsonr_obj_begin(r))
		return -1;
	while ((more = ctp_jsonr_obj_next(r, &key, &keylen)) == 1) {
		size_t idx = find_name(names, n, key, keylen, hint); /* keys never hold NUL: the decoder refuses it */
		if (idx == n) {
			if (ctp_jsonr_skip(r))
				return -1;
			continue;
		}
		if (seen[idx])
			return ctp_jsonr_fail(r, "duplicate field `%s`", names[idx]);
		seen[idx] = true;
		hint = idx + 1;
		if (field(r, idx, ctx))
			return -1;
	}
	return more;
}

int ctp_jsonr_require(struct ctp_jsonr *r, const char *const *names, size_t n, const bool *seen, const bool *required)
{
	for (size_t i = 0; i < n; i++)
		if (required[i] && !seen[i])
			return ctp_jsonr_fail(r, "missing field `%s`", names[i]);
	return 0;
}
