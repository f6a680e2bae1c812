/* winbase.h — a baseline of the live view from a -B spec (or b): one snapshot (today's -B
 * FILE), or a window of two (A,B; FILE and its .end partner; DIR[@START..END] of a recording)
 * checked as a window of one host, with the header's text naming it. No curses. */
#ifndef CTP_WINBASE_H
#define CTP_WINBASE_H

#include "base/util.h"
#include "snapshot/model.h"

struct ctp_livebase {
	struct ctp_snapshot *snap; /* a single-file baseline, or NULL */
	struct ctp_snapshot *a, *b; /* a window baseline (both set), or NULL */
	char *path;                /* the single file, or the spec as given; owned */
	char *text;                /* window: "A .. B (.end partner found, 1.5s)" (base names); owned */
};
/* resolves spec (recording.h ctp_basespec_resolve) and loads its files: 0, or -1 with err
 * naming the file, or both files of a window that is not one ("A, B: out of order: ...") */
int ctp_livebase_load(const char *spec, struct ctp_livebase *out, struct ctp_err *err);
/* a window of two snapshots already in memory (replay's [ and ]): takes a and b on success */
int ctp_livebase_window(struct ctp_snapshot *a, const char *name_a, struct ctp_snapshot *b, const char *name_b,
			struct ctp_livebase *out, struct ctp_err *err);
void ctp_livebase_release(struct ctp_livebase *lb);

#endif
