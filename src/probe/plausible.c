/* plausible.c — the probe's check of counter offsets that did not come from DWARF (code
 * patterns, GOT calibration): read jemalloc's tsd around the counters of a stopped thread and
 * refuse what does not look like it, so a wrong offset is "not measured", never a number. */
#include <sys/uio.h>

#include "probe/probe.h"
#include "probe/probe_int.h"

/* offsets not from DWARF (issue 19 item 4), on a thread's first read: jemalloc 5.3's tsd
 * around the counters — the state byte before thread_allocated is a tsd_state (0..6, the rest of
 * its word padding), each next-event threshold is 0 or above its counter, and the counters are
 * not below the pair the stop read (a, d) */
bool ctp_probe_plausible(const struct ctp_jemalloc_layout *l, pid_t tid, uint64_t tp, uint64_t a, uint64_t d,
			 struct ctp_err *err)
{
	uint64_t addr, w[5];
	const char *why = NULL;
	if (!ctp_tls_counter_addr(l, tp, &addr) || addr < 8)
		why = "address arithmetic";
	struct iovec lo = { w, sizeof(w) }, re = { (void *)(uintptr_t)(addr - 8), sizeof(w) };
	if (!why && process_vm_readv(tid, &lo, 1, &re, 1, 0) != (ssize_t)sizeof(w))
		why = "tsd unreadable";
	else if (!why && w[0] > 6)
		why = "no tsd state byte before thread_allocated";
	else if (!why && ((w[2] && w[2] <= w[1]) || (w[4] && w[4] <= w[3])))
		why = "a next-event threshold below its counter";
	else if (!why && (w[1] < a || w[3] < d))
		why = "counters fell between two reads";
	if (why)
		ctp_err_set(err, CTP_E_RANGE, 0, "", "tid %d: %s (offsets %s): not measured", (int)tid, why,
			    ctp_layout_source_name((enum ctp_layout_source)l->source));
	return !why;
}
