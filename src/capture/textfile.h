/* textfile.h — one-value sysfs/cgroupfs/procfs files: read whole (readfile.h's
 * ctp_read_text_at, Rust read_to_string semantics), Rust-trim, optionally parse as a strict u64.
 * Shared by the cgroup, sched_ext, host-context and accounting-flag readers. */
#ifndef CTP_TEXTFILE_H
#define CTP_TEXTFILE_H

#include <stdbool.h>
#include <stdint.h>

/* reads <dirfd>/<name> (dirfd may be AT_FDCWD with an absolute name), trims it and returns a
 * copy (caller frees); NULL when unreadable or not UTF-8 */
char *ctp_read_trimmed_at(int dirfd, const char *name);
/* same file parsed as u64 after trimming; false when unreadable or not a u64 */
bool ctp_read_u64_at(int dirfd, const char *name, uint64_t *v);
/* opens a directory for the *_at readers (O_PATH); -1 when it cannot be opened, which makes
 * every later read fail as "unreadable" */
int ctp_open_dir(const char *path);

#endif
