/* text.h — untrusted text (names, paths, file content) made safe for a terminal or an error
 * line, and its width in terminal cells. Used by every printer and by ctp_err_str. */
#ifndef CTP_TEXT_H
#define CTP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

/* Appends s[0..n) to out made safe for a terminal: printable ASCII and valid UTF-8 sequences of
 * printable characters are copied; C0/C1 controls, DEL and bytes of invalid UTF-8 become
 * "\xNN" (escape_hex) or "?" (otherwise); so do bidi format characters (U+061C, U+200E/F,
 * U+202A..E, U+2066..9), which would reorder the line. Returns the number of replacements. */
size_t ctp_sanitize_name(const char *s, size_t n, bool escape_hex, struct ctp_buf *out);

/* terminal cells of s by wcwidth in the current locale (non-printing or undecodable: 1 each);
 * *bytes (may be NULL) gets how many leading bytes fit in max cells. Returns the cells used. */
int ctp_display_clip(const char *s, int max, size_t *bytes);

#endif
