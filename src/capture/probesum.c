/* probesum.c — the snapshot's probe_summary from the jemalloc probe's counters: the counts, the
 * dominant failure (the reference's rule: most frequent non-routine tag, ties by name) and
 * whether ptrace refusals dominate. Split from capture.c, which fills it once per capture. */
#include <string.h>

#include "capture/capture.h"
#include "probe/probe.h"

void ctp_capture_probe_summary(const struct ctp_probe_counts *k, struct ctp_probe_summary *out)
{
	const char *best = NULL;
	uint64_t best_n = 0;
	memset(out, 0, sizeof(*out));
	out->tgids_walked = k->tgids_walked;
	out->jemalloc_detected = k->jemalloc_detected;
	out->probed_ok = k->probed_ok;
	out->failed = k->failed;
	for (int t = CTP_PT_PID_MISSING; t < CTP_PT_SELF_PROBE_REJECTED; t++) {
		const char *name = ctp_probe_tag_name((enum ctp_probe_tag)t);
		if (ctp_probe_tag_routine((enum ctp_probe_tag)t) || !k->tags[t])
			continue;
		if (k->tags[t] > best_n || (k->tags[t] == best_n && strcmp(name, best) < 0))
			best = name, best_n = k->tags[t];
	}
	out->dominant_failure = best ? ctp_xstrdup(best) : NULL;
	out->privilege_dominant =
		k->failed > 0 && 2 * (k->tags[CTP_PT_PTRACE_SEIZE] + k->tags[CTP_PT_PTRACE_INTERRUPT]) >= k->failed;
}
