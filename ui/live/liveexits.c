/* liveexits.c — issue 17 in the live view's since-start mode: each sample carries the exit records
 * since the previous capture only, so the session keeps those of every sample after the first
 * full one; the since-start compare sees the newest sample with all of them, so a group's totals
 * since start include the work of its threads that exited since (at most CTP_START_EXITS_MAX). */
#include <stdlib.h>

#include "base/util.h"
#include "live/session.h"

void ctp_liveexits_add(struct ctp_session *s, const struct ctp_snapshot *snap)
{
	for (size_t i = 0; i < snap->nexits; i++) {
		if (s->nstart_exits >= CTP_START_EXITS_MAX) {
			s->start_exits_lost += snap->nexits - i;
			return;
		}
		if (s->nstart_exits == s->start_exits_alloc) {
			s->start_exits_alloc = s->start_exits_alloc ? s->start_exits_alloc * 2 : 256;
			s->start_exits = ctp_xrealloc(s->start_exits, s->start_exits_alloc * sizeof(*s->start_exits));
		}
		struct ctp_thread *t = &s->start_exits[s->nstart_exits++];
		ctp_thread_copy(t, &snap->exits[i]);
	}
	s->start_exits_lost += snap->exits_lost;
}

void ctp_liveexits_free(struct ctp_session *s)
{
	ctp_threads_free(s->start_exits, s->nstart_exits);
	s->start_exits = NULL;
	s->nstart_exits = s->start_exits_alloc = 0;
	s->start_exits_lost = 0;
}

const struct ctp_snapshot *ctp_liveexits_live(const struct ctp_session *s, struct ctp_snapshot *tmp)
{
	if (s->mode != CTP_TOP_SINCE_START || !s->live || !s->live->exits_on || s->hseq)
		return s->live;
	*tmp = *s->live; /* a shallow copy: the compare only reads it */
	tmp->exits = s->start_exits;
	tmp->nexits = s->nstart_exits;
	tmp->exits_lost = s->start_exits_lost;
	return tmp;
}
