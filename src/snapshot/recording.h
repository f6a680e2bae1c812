/* recording.h — a recording directory (--record DIR): ordinary .ctprof.zst snapshots named by
 * their UTC capture time, listed in time order; time ranges of a recording; the partner file of
 * a window capture (-o BASE --window SECS); and the baseline spec of -B (FILE, A,B, DIR[@range]).
 * No I/O beyond directory listing and stat: loading stays in snapfile.h. */
#ifndef CTP_RECORDING_H
#define CTP_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* a recording's file name for a capture time: "20261202T041305.123Z.ctprof.zst" (UTC, ms) */
#define CTP_REC_NAME_MAX 64
void ctp_recording_name(uint64_t unix_ns, char *buf, size_t len);
/* parses such a name (the whole name, no directory): 0 with *unix_ns (ms precision), -1 if it
 * is not one of ours (the recorder never touches such files) */
int ctp_recording_parse_name(const char *name, uint64_t *unix_ns);

struct ctp_rec_entry {
	char *path;       /* DIR/NAME, owned */
	uint64_t unix_ns; /* from the name */
	uint64_t size;    /* bytes (lstat; regular files only are listed) */
};
struct ctp_recording {
	char *dir;                /* owned */
	struct ctp_rec_entry *v;  /* oldest first */
	size_t n;
	uint64_t total_size;
};
/* lists DIR's recording files (names ctp_recording_parse_name accepts, regular files; other
 * entries ignored), oldest first. -1 with err naming DIR when it cannot be read or holds no
 * recording file ("DIR: no recording files (*.ctprof.zst named by UTC time)") */
int ctp_recording_list(const char *dir, struct ctp_recording *out, struct ctp_err *err);
void ctp_recording_release(struct ctp_recording *r);
/* selects entries by a range "START..END" (either side may be empty: open), each side a UTC time
 * "HH:MM[:SS]" (on the day of the recording's first entry), "YYYY-MM-DDTHH:MM[:SS]", or "@"-less
 * unix seconds; [*first, *last] inclusive indexes. -1 with err naming the range when it is bad
 * or selects fewer than two entries */
int ctp_recording_range(const struct ctp_recording *r, const char *range, size_t *first, size_t *last,
			struct ctp_err *err);

/* the window partner of a snapshot path: "x.ctprof.zst" -> "x.end.ctprof.zst", any other name
 * gets ".end" appended ("x.zst" -> "x.zst.end"). Returns -1 when it does not fit len */
int ctp_window_end_path(const char *path, char *buf, size_t len);

/* -B SPEC resolved into the files to load */
struct ctp_basespec {
	char *a, *b;        /* owned; b NULL = a single-file baseline (today's -B FILE) */
	bool b_found;       /* b is a's window partner, found on disk (the header says so) */
	bool from_dir;      /* a and b are the ends of a recording's range */
	size_t first, last, count; /* from_dir: the range's indexes and the recording's size */
};
/* "-" or FILE -> a (b = FILE's .end partner when that exists as a regular file); "A,B" -> both
 * (a FILE whose own name holds a comma and exists is a FILE); "DIR" or "DIR@START..END" -> the
 * first and last files of the recording (range). -1 with err naming the spec part at fault */
int ctp_basespec_resolve(const char *spec, struct ctp_basespec *out, struct ctp_err *err);
void ctp_basespec_release(struct ctp_basespec *b);

#endif
