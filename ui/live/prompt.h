/* prompt.h — a one-line input editor on the status line of the live view (save path, baseline
 * path, filter). */
#ifndef CTP_PROMPT_H
#define CTP_PROMPT_H

#include <stddef.h>

enum ctp_prompt_rc {
	CTP_PROMPT_OK,          /* Enter: the text is in out */
	CTP_PROMPT_CANCEL,      /* Esc */
	CTP_PROMPT_INTERRUPTED, /* a terminating signal arrived: the caller quits */
};

/* edits a line labelled label, pre-filled with initial, into out (outlen bytes). Keeps the
 * screen alive on resize; the caller redraws the whole screen afterwards. */
enum ctp_prompt_rc ctp_prompt(const char *label, const char *initial, char *out, size_t outlen);

#endif
