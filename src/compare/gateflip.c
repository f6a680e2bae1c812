/* gateflip.c — honest comparisons of kernel switches (issue 17 item 4): the host-wide gates
 * (delay accounting, schedstats) whose state differs between the two sides of a table, and the
 * gates each compare metric depends on, so that a cell whose delta a switched gate prevents
 * says "off→on" / "on→off" instead of a blank or a delta against zeros. */
#include <string.h>

#include "internal.h"

static unsigned field_gate(int field)
{
	enum ctp_gate g = ctp_fields[field].gate;
	return g == CTP_GATE_ALWAYS ? 0 : 1u << g;
}

unsigned ctp_cmetric_gates(size_t m)
{
	const struct ctp_cmetric *c = ctp_cmetric(m);
	if (!c)
		return 0;
	if (c->field >= 0)
		return field_gate(c->field);
	if (c->derived < 0)
		return 0;
	const struct ctp_dmetric *d = ctp_dmetric((size_t)c->derived);
	unsigned bits = 0;
	if (d->op == CTP_DOP_OFFCPU) {
		for (size_t i = 0; i < sizeof(ctp_offcpu_fields) / sizeof(*ctp_offcpu_fields); i++)
			bits |= field_gate(ctp_offcpu_fields[i]);
		return bits;
	}
	if (d->a >= 0)
		bits |= ctp_cmetric_gates((size_t)d->a);
	if (d->b >= 0)
		bits |= ctp_cmetric_gates((size_t)d->b);
	return bits;
}

static bool is_off(enum ctp_gate_state s)
{
	return s == CTP_GSTATE_OFF || s == CTP_GSTATE_CONFIG_OFF;
}

void ctp_table_gate_flips(struct ctp_table *t, const struct ctp_snapshot *base, const struct ctp_snapshot *live)
{
	t->gates_turned_on = t->gates_turned_off = 0;
	for (int g = 1; base && live && g < CTP_NGATES; g++) {
		enum ctp_gate_state b = ctp_snapshot_gate_state(base, g), l = ctp_snapshot_gate_state(live, g);
		if (is_off(b) && l == CTP_GSTATE_ON)
			t->gates_turned_on |= 1u << g;
		else if (b == CTP_GSTATE_ON && is_off(l))
			t->gates_turned_off |= 1u << g;
	}
}

const char *ctp_cell_gate_flip(const struct ctp_table *t, const struct ctp_row *r, size_t metric, bool ascii)
{
	if (!(t->gates_turned_on | t->gates_turned_off) || r->status != CTP_ROW_MATCHED || r->cells[metric].delta_ok)
		return NULL;
	unsigned g = ctp_cmetric_gates(metric);
	if (g & t->gates_turned_on)
		return ascii ? "off->on" : "off\u2192on";
	if (g & t->gates_turned_off)
		return ascii ? "on->off" : "on\u2192off";
	return NULL;
}
