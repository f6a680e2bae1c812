/* t_derived.c — each of ktstr's 17 derived metrics (data/derived.def, compare.md §2.4) with exact
 * values from hand-built groups: ratios, shares, signed heap estimate, the eight delay means and
 * total off-CPU delay with max(swapin, thrashing); absent inputs and zero denominators give "-";
 * ratio rows carry a delta (percentage points) but never a percent. Our per-thread means need
 * thread ages (the capture time since boot), which hand-built and loaded snapshots lack: "-"
 * (their values: t_window.c). */
#include "cmp_fixture.h"
#include "tap.h"

static void fill(struct ctp_thread *t, uint64_t k)
{
	t->nr_wakeups_affine = 3 * k;
	t->nr_wakeups_affine_attempts = 4 * k;
	t->wait_sum = 1000 * k;
	t->wait_count = 8 * k;
	t->run_time_ns = 7000 * k;
	t->wait_time_ns = 1000 * k;
	t->timeslices = 7 * k;
	t->voluntary_csw = 3 * k;
	t->nonvoluntary_csw = 1 * k;
	t->read_bytes = 300 * k;
	t->rchar = 200 * k;
	t->allocated_bytes = 1024 * k;
	t->deallocated_bytes = 3072 * k;
	t->jemalloc_measured = true;
	t->iowait_sum = 900 * k;
	t->iowait_count = 3 * k;
	t->taskstats_measured = t->cpu_delay_active = t->delay_block_active = true;
	t->cpu_delay_total_ns = 100 * k, t->cpu_delay_count = 1 * k;
	t->blkio_delay_total_ns = 200 * k, t->blkio_delay_count = 2 * k;
	t->swapin_delay_total_ns = 300 * k, t->swapin_delay_count = 3 * k;
	t->freepages_delay_total_ns = 400 * k, t->freepages_delay_count = 4 * k;
	t->thrashing_delay_total_ns = 500 * k, t->thrashing_delay_count = 5 * k;
	t->compact_delay_total_ns = 600 * k, t->compact_delay_count = 6 * k;
	t->wpcopy_delay_total_ns = 700 * k, t->wpcopy_delay_count = 7 * k;
	t->irq_delay_total_ns = 800 * k, t->irq_delay_count = 8 * k;
}

int main(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	fill(fx_thread(b, 1, 1, "g", "g", "/"), 1);
	fill(fx_thread(l, 1, 1, "g", "g", "/"), 1);
	fill(fx_thread(l, 2, 1, "g", "g", "/"), 2); /* live sums = 3x */
	struct ctp_thread *z = fx_thread(l, 3, 1, "z", "z", "/"); /* all zero, unmeasured */
	z->run_time_ns = 0;
	struct ctp_thread *zb = fx_thread(b, 3, 1, "z", "z", "/");
	zb->rchar = 10;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	struct ctp_err err = { 0 };
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	const struct ctp_row *g = fx_row(t, "g"), *zr = fx_row(t, "z");
	ok(g && zr, "rows present");
	static const struct {
		const char *name, *base, *live, *delta, *pct;
	} want[] = {
		{ "affine_success_ratio", "0.750", "0.750", "+0.000", "-" },
		{ "avg_wait_ns", "125.00ns", "125.00ns", "+0.00ns", "+0.0%" },
		{ "cpu_efficiency", "0.875", "0.875", "+0.000", "-" },
		{ "avg_slice_ns", "1.000\xc2\xb5s", "1.000\xc2\xb5s", "+0.00ns", "+0.0%" },
		{ "involuntary_csw_ratio", "0.250", "0.250", "+0.000", "-" },
		{ "disk_io_fraction", "1.500", "1.500", "+0.000", "-" },
		{ "live_heap_estimate", "-2.000KiB", "-6.000KiB", "-4.000KiB", "+200.0%" },
		{ "avg_iowait_ns", "300.00ns", "300.00ns", "+0.00ns", "+0.0%" },
		{ "avg_cpu_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_blkio_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_swapin_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_freepages_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_thrashing_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_compact_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_wpcopy_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		{ "avg_irq_delay_ns", "100.00ns", "100.00ns", "+0.00ns", "+0.0%" },
		/* 100+200+400+600+700+800 + max(300, 500) = 3300 */
		{ "total_offcpu_delay_ns", "3.300\xc2\xb5s", "9.900\xc2\xb5s", "+6.600\xc2\xb5s", "+200.0%" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(want); i++) {
		check_str(fx_val(g, want[i].name, 0), want[i].base);
		check_str(fx_val(g, want[i].name, 1), want[i].live);
		check_str(fx_delta(g, want[i].name), want[i].delta);
		check_str(fx_pct(g, want[i].name), want[i].pct);
	}
	ok(fx_cell(g, "cpu_efficiency")->live == 0.875, "cpu_efficiency exact");
	check_str(fx_val(g, "thread_cpu_share", 0), "-");
	check_str(fx_val(g, "thread_vcsw_rate", 1), "-");
	ok(fx_cell(g, "total_offcpu_delay_ns")->live == 9900, "offcpu exact");
	/* zero denominators and absent inputs */
	for (size_t i = 0; i < CTP_ARRAY_SIZE(want); i++)
		check_str(fx_val(zr, want[i].name, 1), "-");
	check_str(fx_val(zr, "disk_io_fraction", 0), "0.000"); /* 0/10 is a value */
	check_str(fx_delta(zr, "disk_io_fraction"), "-");
	/* a ratio delta is percentage points: 0.5 -> 0.6 shows +0.100 */
	ctp_table_free(t);
	struct ctp_snapshot *b2 = ctp_snapshot_new(), *l2 = ctp_snapshot_new();
	struct ctp_thread *x = fx_thread(b2, 1, 1, "r", "r", "/");
	x->run_time_ns = 50, x->wait_time_ns = 50;
	x = fx_thread(l2, 1, 1, "r", "r", "/");
	x->run_time_ns = 60, x->wait_time_ns = 40;
	t = ctp_compare(b2, l2, &o, &err);
	check_str(fx_delta(fx_row(t, "r"), "cpu_efficiency"), "+0.100");
	check_str(fx_pct(fx_row(t, "r"), "cpu_efficiency"), "-");
	check_str(fx_val(fx_row(t, "r"), "total_offcpu_delay_ns", 1), "-"); /* taskstats not measured */
	ctp_table_free(t);
	ctp_snapshot_free(b2);
	ctp_snapshot_free(l2);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
	return test_done();
}
