/* probe_int.h — internals shared by the probe's source files (not part of the public API):
 * the slow path with its "still traced" report, the settle-and-detach retry, and the
 * little-endian counter-pair decoder used by both the single and the batched reads. */
#ifndef CTP_PROBE_INT_H
#define CTP_PROBE_INT_H

#include "probe/probe.h"

/* as ctp_probe_thread_slow, waiting at most wait_ns for the stop; *pending = true when the
 * thread could not be detached yet (no stop seen in time): call ctp_probe_settle on it later */
enum ctp_probe_tag ctp_probe_thread_slow_ex(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t wait_ns,
					    uint64_t *tp, uint64_t *alloc, uint64_t *dealloc, bool *pending,
					    struct ctp_err *err);
/* waits up to budget_ns for a pending stop and detaches; true once the thread is released/gone */
bool ctp_probe_settle(pid_t tid, uint64_t budget_ns);
/* decodes allocated (at 0) and deallocated (at off_dealloc - off_alloc) from a read span */
void ctp_probe_decode_pair(const struct ctp_jemalloc_layout *l, const unsigned char *b, uint64_t *alloc,
			   uint64_t *dealloc);
/* the plausibility checks of a layout whose offsets are not from DWARF, on thread tid with thread
 * pointer tp whose stop read (a, d): false with err saying which failed (issue 19 item 4) */
bool ctp_probe_plausible(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t tp, uint64_t a, uint64_t d,
			 struct ctp_err *err);

#endif
