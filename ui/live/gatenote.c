/* gatenote.c — the live header's notice of kernel switches (issue 17 item 4): delay accounting
 * or schedstats off on one side of the table and on on the other, so that their columns read
 * off→on / on→off instead of a change (the batch mode's `note:` line, in one header line). */
#include <stdio.h>
#include <string.h>

#include "live/header.h"
#include "snapshot/registry.h"
#include "live/theme.h"

static bool is_off(enum ctp_gate_state g)
{
	return g == CTP_GSTATE_OFF || g == CTP_GSTATE_CONFIG_OFF;
}

/* the side the table compares with, and its name */
static const struct ctp_snapshot *base_side(const struct ctp_session *s, const char **name)
{
	double per_s;
	if (s->mode == CTP_TOP_WINDOW && s->win_b) {
		*name = "the baseline window";
		return s->win_b;
	}
	*name = s->mode == CTP_TOP_VS_BASELINE ? "the baseline" : s->mode == CTP_TOP_SINCE_START ? "the first sample"
											     : "the previous sample";
	return ctp_session_base(s, &per_s);
}

bool ctp_header_gate_note(const struct ctp_session *s, char *buf, size_t len)
{
	const char *name;
	const struct ctp_snapshot *base = base_side(s, &name);
	if (!base || !s->live || base == s->live)
		return false;
	size_t n = 0;
	bool any = false;
	for (int g = 1; g < CTP_NGATES && n < len; g++) {
		enum ctp_gate_state b = ctp_snapshot_gate_state(base, g), l = ctp_snapshot_gate_state(s->live, g);
		bool on = is_off(b) && l == CTP_GSTATE_ON, off = b == CTP_GSTATE_ON && is_off(l);
		if ((!on && !off) || !*ctp_gate_label(g))
			continue;
		const char *ar = ctp_theme_utf8() ? "\u2192" : "->";
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s in %s, %s now: its columns read %s%s%s, not a change",
				      any ? "; " : "note: ", ctp_gate_label(g), on ? "off" : "on", name, on ? "on" : "off",
				      on ? "off" : "on", ar, on ? "on" : "off");
		any = true;
	}
	return any;
}
