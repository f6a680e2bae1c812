/* t_format.c — unit ladders and cell formats of compare.md §4.2 (every listed example), compact
 * cells for the TUI, rates-mode cells (percent of a CPU, ticks as time), percent, and
 * ctp_sanitize_name on control bytes and invalid UTF-8. */
#include <math.h>
#include <string.h>

#include "base/format.h"
#include "snapshot/registry.h"
#include "tap.h"

#define MU "\xc2\xb5"

int main(void)
{
	char b[CTP_FMT_MAX];
	static const struct {
		double v;
		enum ctp_ladder l;
		const char *value, *delta;
	} cases[] = {
		{ 50, CTP_LADDER_NS, "50ns", "+50ns" },
		{ -50, CTP_LADDER_NS, "-50ns", "-50ns" },
		{ 0, CTP_LADDER_NS, "0ns", "+0ns" },
		{ 999, CTP_LADDER_NS, "999ns", "+999ns" },
		{ 1500, CTP_LADDER_NS, "1.500" MU "s", "+1.500" MU "s" },
		{ 2e6, CTP_LADDER_NS, "2.000ms", "+2.000ms" },
		{ -1.5e9, CTP_LADDER_NS, "-1.500s", "-1.500s" },
		{ 50.5, CTP_LADDER_NS, "50.500ns", "+50.500ns" },
		{ 22, CTP_LADDER_TICKS, "22ticks", "+22ticks" },
		{ 195, CTP_LADDER_TICKS, "195ticks", "+195ticks" },
		{ 2500, CTP_LADDER_TICKS, "2.500Kticks", "+2.500Kticks" },
		{ 3e6, CTP_LADDER_TICKS, "3.000Mticks", "+3.000Mticks" },
		{ 0, CTP_LADDER_BYTES, "0B", "+0B" },
		{ 1023, CTP_LADDER_BYTES, "1023B", "+1023B" },
		{ 1024, CTP_LADDER_BYTES, "1.000KiB", "+1.000KiB" },
		{ 7.5 * 1024 * 1024 * 1024, CTP_LADDER_BYTES, "7.500GiB", "+7.500GiB" },
		{ 2.0 * 1024 * 1024 * 1024 * 1024, CTP_LADDER_BYTES, "2.000TiB", "+2.000TiB" },
		{ 5, CTP_LADDER_UNITLESS, "5", "+5" },
		{ 26, CTP_LADDER_UNITLESS, "26", "+26" },
		{ 101154, CTP_LADDER_UNITLESS, "101.154K", "+101.154K" },
		{ 4e9, CTP_LADDER_UNITLESS, "4.000G", "+4.000G" },
		{ -1.5e6, CTP_LADDER_US, "-1.500s", "-1.500s" },
		{ 1500, CTP_LADDER_US, "1.500ms", "+1.500ms" },
		{ 34, CTP_LADDER_NONE, "34", "+34" },
		{ 0.5, CTP_LADDER_NONE, "0.500", "+0.500" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		check_str(ctp_fmt_value(b, cases[i].v, cases[i].l), cases[i].value);
		check_str(ctp_fmt_delta(b, cases[i].v, cases[i].l), cases[i].delta);
	}
	/* derived cells */
	check_str(ctp_fmt_derived(b, 0.874, CTP_LADDER_NONE, true, false), "0.874");
	check_str(ctp_fmt_derived(b, 1.5, CTP_LADDER_NONE, true, false), "1.500");
	check_str(ctp_fmt_derived(b, 0.1, CTP_LADDER_NONE, true, true), "+0.100");
	check_str(ctp_fmt_derived(b, 123.4, CTP_LADDER_NS, false, false), "123.40ns");
	check_str(ctp_fmt_derived(b, 2.5e6, CTP_LADDER_NS, false, false), "2.500ms");
	check_str(ctp_fmt_derived(b, -2048, CTP_LADDER_BYTES, false, false), "-2.000KiB");
	check_str(ctp_fmt_derived(b, -2000000, CTP_LADDER_BYTES, false, false), "-1.907MiB");
	check_str(ctp_fmt_derived(b, 12.5, CTP_LADDER_NS, false, true), "+12.50ns");
	/* percent */
	check_str(ctp_fmt_pct(b, 10.631), "+1063.1%");
	check_str(ctp_fmt_pct(b, -0.5), "-50.0%");
	check_str(ctp_fmt_pct(b, 3.777777), "+377.8%");
	/* compact */
	check_str(ctp_fmt_compact(b, 1.21e9, CTP_LADDER_NS, true), "+1.21s");
	check_str(ctp_fmt_compact(b, 8e7, CTP_LADDER_NS, false), "80ms");
	check_str(ctp_fmt_compact(b, 1200, CTP_LADDER_UNITLESS, true), "+1.2k");
	check_str(ctp_fmt_compact(b, 3.1 * 1024 * 1024, CTP_LADDER_BYTES, false), "3.1MiB");
	check_str(ctp_fmt_compact(b, 950, CTP_LADDER_UNITLESS, false), "950");
	check_str(ctp_fmt_compact(b, 0, CTP_LADDER_NS, true), "+0ns");
	check_str(ctp_fmt_compact(b, -2.5, CTP_LADDER_NONE, true), "-2.5");
	/* rates mode (issue 20 item 5): time per second as percent of one CPU, ticks per second
	 * converted to time first, counts and bytes per second as plain compact numbers */
	check_str(ctp_fmt_rate(b, 0.802e9, CTP_LADDER_NS, false), "80.2%");
	check_str(ctp_fmt_rate(b, 0.802e9, CTP_LADDER_NS, true), "+80.2%");
	check_str(ctp_fmt_rate(b, 0.004e9, CTP_LADDER_NS, false), "0.4%");
	check_str(ctp_fmt_rate(b, 1.8e9, CTP_LADDER_NS, false), "180%");
	check_str(ctp_fmt_rate(b, -0.25e9, CTP_LADDER_NS, true), "-25.0%");
	check_str(ctp_fmt_rate(b, 0, CTP_LADDER_NS, true), "+0.0%");
	check_str(ctp_fmt_rate(b, 5e5, CTP_LADDER_US, false), "50.0%");
	check_str(ctp_fmt_rate_hz(b, 44, CTP_LADDER_TICKS, false, 100), "44.0%");
	check_str(ctp_fmt_rate_hz(b, 44, CTP_LADDER_TICKS, true, 250), "+17.6%");
	check_str(ctp_fmt_rate(b, 44, CTP_LADDER_UNITLESS, false), "44");
	check_str(ctp_fmt_rate(b, 1200, CTP_LADDER_UNITLESS, true), "+1.2k");
	check_str(ctp_fmt_rate(b, 3.1 * 1024 * 1024, CTP_LADDER_BYTES, false), "3.1MiB");
	check_str(ctp_fmt_rate(b, 12.5, CTP_LADDER_NONE, false), "12.5");
	/* absolute tick values as time: 1938 ticks at 100 Hz = 19.38 s (ticks have 10 ms grain) */
	check_str(ctp_fmt_ticks_hz(b, 1938, 100, false), "19.38s");
	check_str(ctp_fmt_ticks_hz(b, 1938, 100, true), "+19.38s");
	check_str(ctp_fmt_ticks_hz(b, 150, 100, false), "1.5s");
	check_str(ctp_fmt_ticks_hz(b, 5, 100, false), "50ms");
	check_str(ctp_fmt_ticks_hz(b, 0, 100, true), "+0s");
	check_str(ctp_fmt_ticks_hz(b, 12345, 100, false), "123.5s");
	check_str(ctp_fmt_ticks_hz(b, 123456, 100, false), "1235s");
	check_int(ctp_clk_tck(), >, 0);
	if (ctp_clk_tck() == 100) {
		check_str(ctp_fmt_compact(b, 1938, CTP_LADDER_TICKS, false), "19.38s");
		check_str(ctp_fmt_rate(b, 44, CTP_LADDER_TICKS, false), "44.0%");
	} else {
		skip("CLK_TCK is %ld, not 100: the sysconf-based cases", ctp_clk_tck());
	}
	/* ktstr's report cells keep ticks as ticks */
	check_str(ctp_fmt_value(b, 1938, CTP_LADDER_TICKS), "1.938Kticks");
	/* non-finite and huge inputs still give a short, non-empty cell */
	static const double odd[] = { NAN, INFINITY, -INFINITY, 1e308, -1e308, 5e-324 };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(odd); i++)
		for (int l = CTP_LADDER_NONE; l <= CTP_LADDER_UNITLESS; l++) {
			size_t n = strlen(ctp_fmt_rate(b, odd[i], (enum ctp_ladder)l, true));
			ok(n > 0 && n < CTP_FMT_MAX, "rate cell of %g on ladder %d is %zu bytes", odd[i], l, n);
			n = strlen(ctp_fmt_compact(b, odd[i], (enum ctp_ladder)l, true));
			ok(n > 0 && n < CTP_FMT_MAX, "compact cell of %g on ladder %d is %zu bytes", odd[i], l, n);
		}
	check_str(ctp_ladder_suffix(CTP_LADDER_US), MU "s");
	check_int(ctp_unit_ladder(CTP_UNIT_COUNT), ==, CTP_LADDER_UNITLESS);
	check_int(ctp_unit_ladder(CTP_UNIT_ORDINAL), ==, CTP_LADDER_NONE);
	/* sanitize */
	static const struct {
		const char *in;
		size_t n;
		bool hex;
		const char *out;
		size_t bad;
	} san[] = {
		{ "plain", 5, true, "plain", 0 },
		{ "a\x1b[31mb", 7, true, "a\\x1b[31mb", 1 },
		{ "a\nb\x7f", 4, false, "a?b?", 2 },
		{ "w\xc3\xb6rker", 7, true, "w\xc3\xb6rker", 0 },
		{ "bad\xff\xfe", 5, true, "bad\\xff\\xfe", 2 },
		{ "trunc\xe2\x82", 7, false, "trunc??", 2 },
		{ "c1\xc2\x9b", 4, true, "c1\\xc2\\x9b", 2 },
		{ "a\0b", 3, true, "a\\x00b", 1 },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(san); i++) {
		struct ctp_buf o = CTP_BUF_INIT;
		size_t bad = ctp_sanitize_name(san[i].in, san[i].n, san[i].hex, &o);
		check_str(o.buf, san[i].out);
		check_int(bad, ==, san[i].bad);
		ctp_buf_release(&o);
	}
	return test_done();
}
