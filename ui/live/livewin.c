/* livewin.c — the live view's tables by mode (session.h ctp_session_table): in window mode,
 * rate vs baseline rate (ctp_compare_window of the window baseline and the live window); the
 * live window's length and its smoothing over 1, 5 or 10 refreshes (w). */
#include <stdio.h>

#include "live/history.h"
#include "live/session.h"

struct ctp_table *ctp_session_table(const struct ctp_session *s, const struct ctp_snapshot *base,
				    const struct ctp_compare_opts *o, const char *key, size_t keylen, bool threads,
				    struct ctp_err *err)
{
	struct ctp_snapshot tmp;
	const struct ctp_snapshot *live = ctp_liveexits_live(s, &tmp); /* since start: all exits */
	if (threads)
		return ctp_compare_threads(base, live, key, keylen, o, err);
	if (s->mode == CTP_TOP_WINDOW && s->win_a && base) {
		struct ctp_window bw = { s->win_a, s->win_b }, lw = { base, s->live };
		return ctp_compare_window(&bw, &lw, o, err);
	}
	return ctp_compare(base, live, o, err); /* no live window yet: lifetime values */
}

double ctp_session_live_window(const struct ctp_session *s, int *k)
{
	double per_s = 0;
	*k = 0;
	if ((s->mode != CTP_TOP_RATES && s->mode != CTP_TOP_WINDOW) || !ctp_session_base(s, &per_s))
		return 0;
	uint64_t end = s->hseq ? s->hseq : s->seq;
	*k = s->prev_seq && end > s->prev_seq ? (int)(end - s->prev_seq) : 1;
	return per_s;
}

void ctp_session_cycle_smooth(struct ctp_session *s)
{
	s->smooth = s->smooth < 5 ? 5 : s->smooth < 10 ? 10 : 1;
	if (s->smooth > 1 && !s->hist) /* --history 0: a ring for the smoothing only */
		s->hist = ctp_history_new(11);
	ctp_session_sync_prev(s);
	size_t have = ctp_history_count(s->hist);
	ctp_session_msg(s, false, "live rate over the last %d refresh%s%s", s->smooth, s->smooth > 1 ? "es" : "",
			s->smooth > 1 && have <= (size_t)s->smooth ? " (as the samples come)" : "");
}
