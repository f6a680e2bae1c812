/* t_gateflip.c — honest comparisons of kernel switches (issue 17 item 4): a baseline captured
 * with delay accounting off (kernel.task_delayacct=0) against a live capture with it on: the
 * block-delay columns are not compared (no delta from the baseline's zeros) and say so
 * ("off→on" in the cell, the table's gates_turned_on bit), the CPU delay (kept by sched_info
 * either way) is compared as usual; the reverse says "on→off"; equal states mark nothing;
 * the schedstats gate likewise. */
#include <string.h>

#include "cmp_fixture.h"
#include "tap.h"

static struct ctp_snapshot *side(enum ctp_delayacct da, uint64_t blkio, uint64_t cpu_delay)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	s->host->task_delayacct = da;
	struct ctp_thread *t = fx_thread(s, 10, 10, "db", "db", "/");
	t->taskstats_measured = true;
	t->cpu_delay_active = true;
	t->delay_block_active = da == CTP_DELAYACCT_ON;
	t->blkio_delay_total_ns = blkio;
	t->blkio_delay_count = blkio ? 100 : 0;
	t->cpu_delay_total_ns = cpu_delay;
	t->cpu_delay_count = 10;
	return s;
}

static struct ctp_table *cmp(const struct ctp_snapshot *b, const struct ctp_snapshot *l)
{
	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.tid_deltas = true;
	return ctp_compare(b, l, &o, &err);
}

static const char *cell(const struct ctp_table *t, const char *metric, char *buf)
{
	return ctp_cell_show(t, fx_row(t, "db"), (size_t)ctp_cmetric_find(metric), CTP_SHOW_CELL, buf);
}

int main(void)
{
	char buf[CTP_FMT_MAX];
	/* the baseline's zeros (delay accounting off) against 5 s of block delay live */
	struct ctp_snapshot *b = side(CTP_DELAYACCT_RUNTIME_OFF, 0, 1000), *l = side(CTP_DELAYACCT_ON, 5000000000ull, 3000);
	struct ctp_table *t = cmp(b, l);
	const struct ctp_row *r = fx_row(t, "db");
	ok(r && !fx_cell(r, "blkio_delay_total_ns")->delta_ok, "blkio delay: no delta from the baseline's zeros");
	ok(t->gates_turned_on == 1u << CTP_GATE_BLOCK_DELAY && t->gates_turned_off == 0,
	   "the table: block-delay gate turned on (%#x/%#x)", t->gates_turned_on, t->gates_turned_off);
	check_str(cell(t, "blkio_delay_total_ns", buf), "off\u2192on");
	check_str(cell(t, "total_offcpu_delay_ns", buf), "off\u2192on");
	ok(ctp_cmetric_gates((size_t)ctp_cmetric_find("blkio_delay_total_ns")) & (1u << CTP_GATE_BLOCK_DELAY),
	   "ctp_cmetric_gates: blkio is gated by block delay");
	check_str(cell(t, "cpu_delay_total_ns", buf), "+2µs"); /* sched_info kept it: compared */
	ctp_table_free(t);
	t = cmp(l, b); /* the reverse */
	ok(t->gates_turned_off == 1u << CTP_GATE_BLOCK_DELAY && !t->gates_turned_on, "on in the baseline, off live");
	check_str(cell(t, "blkio_delay_total_ns", buf), "on\u2192off");
	ctp_table_free(t);
	t = cmp(l, l);
	ok(!t->gates_turned_on && !t->gates_turned_off, "same states: nothing marked");
	check_str(cell(t, "blkio_delay_total_ns", buf), "+0ns");
	ctp_table_free(t);
	/* schedstats: off in the baseline, on live */
	b->host->sched_schedstats = (struct ctp_opt_u64){ true, 0 };
	l->host->sched_schedstats = (struct ctp_opt_u64){ true, 1 };
	l->host->task_delayacct = CTP_DELAYACCT_RUNTIME_OFF;
	l->threads[0].delay_block_active = false;
	t = cmp(b, l);
	ok(t->gates_turned_on == 1u << CTP_GATE_SCHEDSTATS, "schedstats turned on (%#x)", t->gates_turned_on);
	int sm = -1;
	for (size_t m = 1; m < ctp_cmetric_primary_count() && sm < 0; m++)
		if (ctp_cmetric_gates(m) & (1u << CTP_GATE_SCHEDSTATS))
			sm = (int)m;
	ok(sm > 0 && !strcmp(ctp_cell_show(t, fx_row(t, "db"), (size_t)sm, CTP_SHOW_CELL | CTP_SHOW_ASCII, buf), "off->on"),
	   "a schedstats metric (%s): off->on", sm > 0 ? ctp_cmetric((size_t)sm)->name : "?");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
	return test_done();
}
