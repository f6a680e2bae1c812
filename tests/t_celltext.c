/* t_celltext.c — the display formatter of the live table, detail view and batch (ctp_cell_show,
 * ctp_cell_unit): rates as percent of a CPU, ticks as time, counts plain, derived ratios and means
 * as a base→live window pair, percent on a tiny base as "≫"/"new", ASCII forms; and that ktstr's
 * report cells (ctp_cell_value/delta/pct_text) keep their formats. Tables are built by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "compare/compare.h"
#include "tap.h"

#define MU "\xc2\xb5"
#define ARROW "\xe2\x86\x92"
#define MUCH_MORE "\xe2\x89\xab"

static size_t idx(const char *name)
{
	int i = ctp_cmetric_find(name);
	if (i < 0) {
		diag("no metric %s", name);
		exit(1);
	}
	return (size_t)i;
}

/* sets one cell: NAN = that side is missing; delta/pct are computed like the engine's */
static void set(struct ctp_row *r, const char *name, double base, double live)
{
	struct ctp_cell *c = &r->cells[idx(name)];
	*c = (struct ctp_cell){ .base = base, .live = live, .base_ok = !isnan(base), .live_ok = !isnan(live) };
	c->delta_ok = c->base_ok && c->live_ok;
	c->delta = c->delta_ok ? live - base : 0;
	c->pct_ok = c->delta_ok && base != 0 && !ctp_cmetric(idx(name))->is_ratio;
	c->pct = c->pct_ok ? c->delta / base : 0;
}

static const char *show(const struct ctp_table *t, const struct ctp_row *r, const char *name, int what)
{
	static char buf[CTP_FMT_MAX];
	return ctp_cell_show(t, r, idx(name), (enum ctp_show)what, buf);
}

static void rates(struct ctp_row *r)
{
	struct ctp_table t = { .mode = CTP_DELTA_RATE, .has_base = true, .elapsed_s = 1 };
	set(r, "run_time_ns", 1e9, 1e9);
	r->cells[idx("run_time_ns")].delta = 0.802e9; /* per second */
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "80.2%");
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_DELTA), "80.2%");
	ok(ctp_cell_kind(&t, idx("run_time_ns")) == CTP_CELL_RATE, "a counter in rates mode is a rate (a level, unsigned)");
	ok(ctp_cell_kind(&t, idx("hiwater_rss_bytes")) == CTP_CELL_LIVE, "a peak in rates mode shows its live value");
	t.mode = CTP_DELTA_BASELINE;
	ok(ctp_cell_kind(&t, idx("cpu_efficiency")) == CTP_CELL_PAIR, "a ratio against a baseline is a window pair");
	ok(ctp_cell_kind(&t, idx("run_time_ns")) == CTP_CELL_DELTA, "a counter against a baseline is a change");
	t.mode = CTP_DELTA_RATE;
	check_str(ctp_cell_unit(&t, idx("run_time_ns")), "%cpu");
	check_str(ctp_cell_raw_unit(&t, idx("run_time_ns")), "ns/s");
	set(r, "utime_clock_ticks", 100, 144);
	if (ctp_clk_tck() == 100)
		check_str(show(&t, r, "utime_clock_ticks", CTP_SHOW_CELL), "44.0%");
	else
		skip("CLK_TCK is %ld, not 100", ctp_clk_tck());
	check_str(ctp_cell_unit(&t, idx("utime_clock_ticks")), "%cpu");
	check_str(ctp_cell_raw_unit(&t, idx("utime_clock_ticks")), "ticks/s");
	set(r, "voluntary_csw", 10, 54);
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_CELL), "44");
	check_str(ctp_cell_unit(&t, idx("voluntary_csw")), "/s");
	set(r, "rchar", 0, 3.1 * 1024 * 1024);
	check_str(show(&t, r, "rchar", CTP_SHOW_CELL), "3.1MiB");
	check_str(ctp_cell_unit(&t, idx("rchar")), "B/s");
	/* derived sums are ordinary rates; gauges show their live value */
	set(r, "total_offcpu_delay_ns", 0, 0.5e9);
	check_str(show(&t, r, "total_offcpu_delay_ns", CTP_SHOW_CELL), "50.0%");
	check_str(ctp_cell_unit(&t, idx("total_offcpu_delay_ns")), "%cpu");
	set(r, "hiwater_rss_bytes", 1024, 2048);
	check_str(show(&t, r, "hiwater_rss_bytes", CTP_SHOW_CELL), "2KiB");
	check_str(ctp_cell_unit(&t, idx("hiwater_rss_bytes")), "B");
	/* a ratio in rates mode is a level like every rate: the window value alone, no unit, no
	 * delta (base is the previous sample's own value) */
	set(r, "cpu_efficiency", 0.39, 0.57);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.57");
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_DELTA), "-");
	ok(ctp_cell_kind(&t, idx("cpu_efficiency")) == CTP_CELL_LIVE, "a ratio in rates mode is its window value");
	check_str(ctp_cell_unit(&t, idx("cpu_efficiency")), "");
	/* a per-thread share of one CPU reads as a percent */
	set(r, "thread_cpu_share", 0.802, 0.45);
	check_str(show(&t, r, "thread_cpu_share", CTP_SHOW_CELL), "45.0%");
	check_str(show(&t, r, "thread_cpu_share", CTP_SHOW_DELTA), "-");
	check_str(ctp_cell_unit(&t, idx("thread_cpu_share")), "%cpu");
	/* no percent in rates mode (a rate over a lifetime total says nothing) */
	set(r, "voluntary_csw", 10, 54);
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_PCT), "-");
	/* JSON's view of the cells: a level keeps base and live, no delta; no percent */
	struct ctp_cell jc;
	set(r, "cpu_efficiency", 0.39, 0.57);
	ctp_cell_reported(&t, r, idx("cpu_efficiency"), &jc);
	ok(jc.base_ok && jc.live_ok && jc.live == 0.57 && !jc.delta_ok && !jc.pct_ok, "rates JSON: a ratio's base, live, delta null");
	ctp_cell_reported(&t, r, idx("voluntary_csw"), &jc);
	ok(jc.delta_ok && !jc.pct_ok, "rates JSON: a counter's rate, no percent");
}

/* new and gone rows (one side only) alike on every surface */
static void one_sided(struct ctp_row *r)
{
	struct ctp_table t = { .mode = CTP_DELTA_BASELINE, .has_base = true };
	r->status = CTP_ROW_GONE;
	set(r, "run_time_ns", 2e9, NAN);
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "2s"); /* the present side, unsigned */
	set(r, "cpu_efficiency", 0.51, NAN);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.51" ARROW "-");
	set(r, "hiwater_rss_bytes", 2048, NAN);
	check_str(show(&t, r, "hiwater_rss_bytes", CTP_SHOW_CELL), "2KiB");
	r->status = CTP_ROW_NEW;
	set(r, "run_time_ns", NAN, 1.21e9);
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "1.21s");
	set(r, "cpu_efficiency", NAN, 0.42);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL | CTP_SHOW_ASCII), "-->0.42");
	/* rates mode: a new row its rate (counted from 0), a gone row '-' in every cell */
	t.mode = CTP_DELTA_RATE;
	set(r, "run_time_ns", NAN, 1.21e9);
	r->cells[idx("run_time_ns")].delta = 0.5e9, r->cells[idx("run_time_ns")].delta_ok = true;
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "50.0%");
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.42");
	r->status = CTP_ROW_GONE;
	set(r, "run_time_ns", 2e9, NAN);
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "-");
	set(r, "cpu_efficiency", 0.51, NAN);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "-");
	set(r, "hiwater_rss_bytes", 2048, NAN);
	check_str(show(&t, r, "hiwater_rss_bytes", CTP_SHOW_CELL), "-");
	r->status = CTP_ROW_MATCHED;
}

static void baseline(struct ctp_row *r)
{
	struct ctp_table t = { .mode = CTP_DELTA_BASELINE, .has_base = true };
	/* the window pair of ratios and means, UTF-8 and ASCII */
	set(r, "cpu_efficiency", 0.872, 0.6);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.87" ARROW "0.60");
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL | CTP_SHOW_ASCII), "0.87->0.60");
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_DELTA), "-0.27");
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_PCT), "-");
	set(r, "avg_cpu_delay_ns", 132e3, 295e3);
	check_str(show(&t, r, "avg_cpu_delay_ns", CTP_SHOW_CELL), "132" MU "s" ARROW "295" MU "s");
	check_str(show(&t, r, "avg_cpu_delay_ns", CTP_SHOW_DELTA), "+163" MU "s");
	set(r, "avg_cpu_delay_ns", NAN, 295e3); /* new group: the side that does not exist is '-' */
	check_str(show(&t, r, "avg_cpu_delay_ns", CTP_SHOW_CELL), "-" ARROW "295" MU "s");
	set(r, "avg_cpu_delay_ns", NAN, NAN);
	check_str(show(&t, r, "avg_cpu_delay_ns", CTP_SHOW_CELL), "-");
	/* derived sums are deltas */
	set(r, "total_offcpu_delay_ns", 1e6, 3e6);
	check_str(show(&t, r, "total_offcpu_delay_ns", CTP_SHOW_CELL), "+2ms");
	/* ticks print as time, counts compact: the same formatter as the table */
	set(r, "utime_clock_ticks", 1000, 1938);
	if (ctp_clk_tck() == 100) {
		check_str(show(&t, r, "utime_clock_ticks", CTP_SHOW_LIVE), "19.38s");
		check_str(show(&t, r, "utime_clock_ticks", CTP_SHOW_BASE), "10s");
		check_str(show(&t, r, "utime_clock_ticks", CTP_SHOW_CELL), "+9.38s");
	} else {
		skip("CLK_TCK is %ld, not 100", ctp_clk_tck());
	}
	check_str(ctp_cell_unit(&t, idx("utime_clock_ticks")), "s");
	check_str(ctp_cell_raw_unit(&t, idx("utime_clock_ticks")), "ticks");
	set(r, "voluntary_csw", 12200, 16048);
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_LIVE), "16k");
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_BASE), "12.2k");
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_CELL), "+3.85k");
	check_str(show(&t, r, "voluntary_csw", CTP_SHOW_PCT), "+31.5%");
	check_str(ctp_cell_unit(&t, idx("voluntary_csw")), "");
	/* percent on a tiny base: 3 -> 4083.99 is +136033%, shown as much more; base 0 is new */
	set(r, "nr_migrations", 3, 4083.99);
	check_str(show(&t, r, "nr_migrations", CTP_SHOW_PCT), MUCH_MORE);
	check_str(show(&t, r, "nr_migrations", CTP_SHOW_PCT | CTP_SHOW_ASCII), ">>");
	set(r, "nr_migrations", 100, 9999); /* +9899%: live under 100 x base, still a percent */
	check_str(show(&t, r, "nr_migrations", CTP_SHOW_PCT), "+9899.0%");
	set(r, "nr_migrations", 0, 5);
	check_str(show(&t, r, "nr_migrations", CTP_SHOW_PCT), "new");
	set(r, "nr_migrations", 0, 0);
	check_str(show(&t, r, "nr_migrations", CTP_SHOW_PCT), "-");
	set(r, "live_heap_estimate", 10, -5000); /* sign flip on a tiny base */
	check_str(show(&t, r, "live_heap_estimate", CTP_SHOW_PCT | CTP_SHOW_ASCII), "<<");
	/* no percent for ordinal and range metrics: a CPU number or a priority is no quantity */
	set(r, "processor", 0, 1);
	check_str(show(&t, r, "processor", CTP_SHOW_PCT), "-");
	set(r, "nice", 1, 0);
	check_str(show(&t, r, "nice", CTP_SHOW_PCT), "-");
	set(r, "nr_threads", 4, 8);
	check_str(show(&t, r, "nr_threads", CTP_SHOW_PCT), "-");
	set(r, "thread_count", 4, 8); /* a pool that doubled: a quantity */
	check_str(show(&t, r, "thread_count", CTP_SHOW_PCT), "+100.0%");
	struct ctp_cell jc;
	set(r, "nr_threads", 4, 8);
	ctp_cell_reported(&t, r, idx("nr_threads"), &jc);
	ok(jc.delta_ok && jc.delta == 4 && !jc.pct_ok, "JSON: an ordinal metric's delta, no percent");
	/* ktstr's report cells are unchanged */
	char buf[CTP_FMT_MAX];
	set(r, "utime_clock_ticks", 1000, 1938);
	check_str(ctp_cell_value_text(r, idx("utime_clock_ticks"), 1, buf), "1.938Kticks");
	check_str(ctp_cell_delta_text(r, idx("utime_clock_ticks"), buf), "+938ticks");
	set(r, "nr_migrations", 3, 4083.99);
	check_str(ctp_cell_pct_text(r, idx("nr_migrations"), buf), "+136033.0%");
	set(r, "cpu_efficiency", 0.872, 0.6);
	check_str(ctp_cell_value_text(r, idx("cpu_efficiency"), 0, buf), "0.872");
	check_str(ctp_cell_delta_text(r, idx("cpu_efficiency"), buf), "-0.272");
}

static void absolute(struct ctp_row *r)
{
	struct ctp_table t = { .mode = CTP_DELTA_ABSOLUTE };
	set(r, "cpu_efficiency", NAN, 0.6);
	check_str(show(&t, r, "cpu_efficiency", CTP_SHOW_CELL), "0.60");
	set(r, "run_time_ns", NAN, 1.21e9);
	check_str(show(&t, r, "run_time_ns", CTP_SHOW_CELL), "1.21s");
	check_str(ctp_cell_unit(&t, idx("run_time_ns")), "ns");
	set(r, "avg_cpu_delay_ns", NAN, NAN);
	check_str(show(&t, r, "avg_cpu_delay_ns", CTP_SHOW_CELL), "-");
}

int main(void)
{
	struct ctp_row r = { .status = CTP_ROW_MATCHED };
	r.cells = calloc(ctp_cmetric_count(), sizeof(*r.cells));
	rates(&r);
	baseline(&r);
	absolute(&r);
	one_sided(&r);
	free(r.cells);
	return test_done();
}
