/* jsonw.h — compact JSON writing in serde_json's byte layout: string escaping (\" \\ \b \f \n
 * \r \t, \u00xx for other controls, no escaping of '/' or non-ASCII), u64/i64 numbers, commas. */
#ifndef CTP_JSONW_H
#define CTP_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"

/* writes s as a JSON string; invalid UTF-8 bytes are written as U+FFFD */
void ctp_json_str(struct ctp_buf *b, const char *s);
void ctp_json_strn(struct ctp_buf *b, const char *s, size_t n);
void ctp_json_u64(struct ctp_buf *b, uint64_t v);
void ctp_json_i64(struct ctp_buf *b, int64_t v);
/* `"key":` preceded by ',' unless *first; clears *first */
void ctp_json_key(struct ctp_buf *b, bool *first, const char *key);

#endif
