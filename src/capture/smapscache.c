/* smapscache.c — smaps_rollup kept per process between partial captures (smapscache.h): a
 * tgid-keyed table of the last read, its time, the leader's start time and whether it failed. */
#include "capture/smapscache.h"

#include "capture/capture.h"

struct smaps_entry {
	uint32_t tgid;           /* first: the tidmap key */
	uint32_t gen;            /* capture that last met the process */
	uint64_t start, read_ns; /* the leader's start time; CLOCK_MONOTONIC of the read */
	bool failed;             /* the read failed: a reuse tallies the failure again */
	struct ctp_kvmap kv;
};

void ctp_smapscache_init(struct ctp_smapscache *sc)
{
	sc->gen = 0;
	ctp_tidmap_init(&sc->map, sizeof(struct smaps_entry));
}

/* tidmap filter: keeps the processes met by this capture (gen NULL: none), frees the rest */
static bool smaps_current(void *entry, void *arg)
{
	struct smaps_entry *e = entry;
	const uint32_t *gen = arg;
	if (gen && e->gen == *gen)
		return true;
	ctp_kvmap_release(&e->kv);
	return false;
}

void ctp_smapscache_release(struct ctp_smapscache *sc)
{
	ctp_tidmap_rebuild(&sc->map, sc->map.cap, smaps_current, NULL);
	ctp_tidmap_release(&sc->map);
}

void ctp_smapscache_begin(struct ctp_smapscache *sc)
{
	sc->gen++;
}

void ctp_smapscache_sweep(struct ctp_smapscache *sc, bool planned)
{
	if (sc->map.n)
		ctp_tidmap_rebuild(&sc->map, sc->map.cap, smaps_current, planned ? &sc->gen : NULL);
}

void ctp_smapscache_read(struct ctp_smapscache *sc, struct ctp_procfs_ctx *px, bool full, int dirfd, int *slots,
			 struct ctp_thread *t, struct ctp_pending *p)
{
	uint64_t now = ctp_now_monotonic_ns();
	struct smaps_entry *e = ctp_tidmap_find(&sc->map, t->tgid);
	if (e && !full && e->start == t->start_time_clock_ticks && now - e->read_ns < CTP_SMAPS_REFRESH_NS) {
		ctp_kvmap_assign(&t->smaps_rollup_kib, &e->kv);
		p->fail[CTP_TF_SMAPS_ROLLUP] += e->failed;
		e->gen = sc->gen;
		return;
	}
	uint64_t fails = p->fail[CTP_TF_SMAPS_ROLLUP];
	ctp_procfs_read_smaps(px, dirfd, slots, t, p);
	if (!e) {
		struct smaps_entry ne = { .tgid = t->tgid };
		e = ctp_tidmap_add(&sc->map, &ne, 64, NULL, NULL);
	}
	ctp_kvmap_assign(&e->kv, &t->smaps_rollup_kib);
	e->gen = sc->gen;
	e->start = t->start_time_clock_ticks;
	e->read_ns = now;
	e->failed = p->fail[CTP_TF_SMAPS_ROLLUP] != fails;
}
