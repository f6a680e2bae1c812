/* record.h — snapshots to files from the command line: `-o FILE [--window SECS]` (one capture,
 * or a window: FILE, then its .end partner SECS later) and `--record DIR [-d SECS]` (a capture
 * per interval as DIR/<UTC time>.ctprof.zst, with retention by size and age). */
#ifndef CTP_RECORD_H
#define CTP_RECORD_H

#include <stdint.h>

#include "cli/options.h"

/* -o FILE [--window SECS]: exit status 0 ok, 1 capture/write failure, 2 bad input */
int ctp_capture_to_file(const struct ctp_options *o);
/* --record DIR: runs until SIGTERM/SIGINT (exit 0); 2 on bad options or an unusable DIR */
int ctp_record_run(const struct ctp_options *o);

/* "512M", "1G", "300k", "4096" (bytes; K/M/G/T are powers of 1024, an optional "iB"/"B"
 * after them); 0, or -1 when s is not a positive size */
int ctp_record_parse_size(const char *s, uint64_t *bytes);
/* "3600", "90s", "30m", "12h", "7d" -> seconds; 0, or -1 when s is not a positive duration */
int ctp_record_parse_age(const char *s, double *secs);

#endif
