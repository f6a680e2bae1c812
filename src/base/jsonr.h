/* jsonr.h — a strict pull parser for JSON that decodes straight into C values: full u64 range,
 * integers never via double, serde_json's rejections (raw controls, lone surrogates, bad UTF-8,
 * -0 or fractions in integer fields, trailing data), a nesting limit, and errors that carry the
 * JSON path ("threads[3].nice: expected integer"). */
#ifndef CTP_JSONR_H
#define CTP_JSONR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define CTP_JSONR_MAX_DEPTH 128

enum ctp_jtype { CTP_J_NULL, CTP_J_BOOL, CTP_J_NUMBER, CTP_J_STRING, CTP_J_ARRAY, CTP_J_OBJECT, CTP_J_END, CTP_J_BAD };

struct ctp_jsonr {
	const char *p, *end, *start;
	struct ctp_err *err;
	bool failed;
	int depth;
	char path[512]; /* built only when an error is recorded */
	/* one frame per open object/array: the member being read, for the error path */
	struct ctp_jframe {
		const char *key; /* raw key bytes in the input (objects) */
		size_t keylen;
		size_t index;    /* element index (arrays) */
		bool is_array, has_item;
	} frames[CTP_JSONR_MAX_DEPTH + 1];
	struct ctp_buf scratch; /* strings with escapes are decoded here */
};

void ctp_jsonr_init(struct ctp_jsonr *r, const char *json, size_t len, struct ctp_err *err);
void ctp_jsonr_release(struct ctp_jsonr *r);
/* records the first error at the current path; always returns -1 */
int ctp_jsonr_fail(struct ctp_jsonr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* what the next value is, without consuming it */
enum ctp_jtype ctp_jsonr_peek(struct ctp_jsonr *r);
/* consumes `null` when next; returns true if it did */
bool ctp_jsonr_null(struct ctp_jsonr *r);

/* scalar readers: return 0 or -1 (error recorded with the current path) */
int ctp_jsonr_u64(struct ctp_jsonr *r, uint64_t *out);
int ctp_jsonr_u32(struct ctp_jsonr *r, uint32_t *out);
int ctp_jsonr_u16(struct ctp_jsonr *r, uint16_t *out);
int ctp_jsonr_i32(struct ctp_jsonr *r, int32_t *out);
int ctp_jsonr_bool(struct ctp_jsonr *r, bool *out);
/* the decoded string: points into the input when it has no escapes, else into r->scratch;
 * valid until the next string read, NOT NUL-terminated (use *len); NUL inside is an error */
int ctp_jsonr_string(struct ctp_jsonr *r, const char **s, size_t *len);
/* newly allocated copy */
int ctp_jsonr_strdup(struct ctp_jsonr *r, char **out);
int ctp_jsonr_skip(struct ctp_jsonr *r);

/* objects: begin consumes '{'; next returns 1 with the key in *key (as ctp_jsonr_string), 0 at
 * '}', -1 on error; an error path names ".key" until the next key or end. */
int ctp_jsonr_obj_begin(struct ctp_jsonr *r);
int ctp_jsonr_obj_next(struct ctp_jsonr *r, const char **key, size_t *keylen);
/* arrays: next returns 1 when an element follows (path shows [i]), 0 at ']' */
int ctp_jsonr_arr_begin(struct ctp_jsonr *r);
int ctp_jsonr_arr_next(struct ctp_jsonr *r, size_t *index);
/* after the top-level value: only whitespace may remain */
int ctp_jsonr_finish(struct ctp_jsonr *r);

/* struct helper: walks an object whose known keys are names[0..n); unknown keys are skipped,
 * a repeated known key is an error ("duplicate field"), field(idx) reads each value.
 * seen[] (n entries) tells which keys were present. */
int ctp_jsonr_struct(struct ctp_jsonr *r, const char *const *names, size_t n, bool *seen,
		     int (*field)(struct ctp_jsonr *r, size_t idx, void *ctx), void *ctx);
/* errors "missing field `x`" for the first required name not seen (required[i] true) */
int ctp_jsonr_require(struct ctp_jsonr *r, const char *const *names, size_t n, const bool *seen, const bool *required);

#endif
