/* smapscache.h — the live loop's smaps_rollup per process. Reading it takes the target's mmap
 * lock (atop users saw Redis stall on smaps reads), so a partial capture reuses a process's last
 * value for CTP_SMAPS_REFRESH_NS; a full capture, a new process or another one under its pid
 * (another leader start time) reads it afresh. */
#ifndef CTP_SMAPSCACHE_H
#define CTP_SMAPSCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/tidmap.h"
#include "capture/procfs.h"

struct ctp_smapscache {
	struct ctp_tidmap map; /* tgid -> the last read */
	uint32_t gen;          /* capture count: entries not met by this one are swept */
};
void ctp_smapscache_init(struct ctp_smapscache *sc);
void ctp_smapscache_release(struct ctp_smapscache *sc);
/* a capture starts */
void ctp_smapscache_begin(struct ctp_smapscache *sc);
/* t's smaps_rollup_kib (t->tgid, t->start_time_clock_ticks set) through dirfd/slots as
 * ctp_procfs_read_smaps reads it, or the kept value; a reused failed read tallies again in p */
void ctp_smapscache_read(struct ctp_smapscache *sc, struct ctp_procfs_ctx *px, bool full, int dirfd, int *slots,
			 struct ctp_thread *t, struct ctp_pending *p);
/* a capture ended: drops the processes it did not meet, or everything when smaps was not planned */
void ctp_smapscache_sweep(struct ctp_smapscache *sc, bool planned);

#endif
