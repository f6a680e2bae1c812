/* format.h — render-only number formatting shared by the curses views and the batch printers:
 * ktstr's unit ladders (compare.md §4.2) for value / delta / derived cells, percent cells,
 * compact top-style cells for narrow columns (escaping untrusted names: base/text.h).
 * Sorting never looks at these strings; it uses the raw doubles of struct ctp_cell. */
#ifndef CTP_FORMAT_H
#define CTP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/text.h"
#include "base/util.h"

/* a unit ladder: the base unit and the steps a value climbs when |v| >= the threshold */
enum ctp_ladder {
	CTP_LADDER_NONE,     /* no unit, never stepped (ranges, modes, ratios) */
	CTP_LADDER_NS,       /* ns -> µs (1e3) -> ms (1e6) -> s (1e9) */
	CTP_LADDER_US,       /* µs -> ms (1e3) -> s (1e6): cgroup usage, PSI totals */
	CTP_LADDER_BYTES,    /* B -> KiB -> MiB -> GiB -> TiB (x1024) */
	CTP_LADDER_TICKS,    /* ticks -> Kticks (1e3) -> Mticks (1e6) */
	CTP_LADDER_UNITLESS, /* "" -> K (1e3) -> M (1e6) -> G (1e9) */
};

/* every formatter writes at most CTP_FMT_MAX bytes including the NUL and returns buf */
#define CTP_FMT_MAX 64

/* base-unit suffix of a ladder: "ns", "µs", "B", "ticks", "" */
const char *ctp_ladder_suffix(enum ctp_ladder l);

/* Sum/Max value cell: not stepped -> exact integer + unit ("50ns", "22ticks", "0B", "5");
 * stepped -> 3 decimals + unit ("1.500µs", "7.500GiB", "101.154K"). Non-integral unstepped
 * values (rates, midpoints) print with 3 decimals ("0.500"). */
char *ctp_fmt_value(char *buf, double v, enum ctp_ladder l);
/* signed delta cell: not stepped and integral -> "%+d"+unit ("+50ns", "+0ns", "-26");
 * otherwise "%+.3f"+unit ("+50.500ns", "+2.000ms", "-1.500s") */
char *ctp_fmt_delta(char *buf, double v, enum ctp_ladder l);
/* derived value: ratio -> "%.3f" ("0.874"); not stepped -> "%.2f"+unit ("123.40ns");
 * stepped -> "%.3f"+unit ("2.500ms", "-1.907MiB"). with_sign adds '+' (derived delta cells) */
char *ctp_fmt_derived(char *buf, double v, enum ctp_ladder l, bool is_ratio, bool with_sign);
/* percent cell from a fraction: 0.5 -> "+50.0%", -0.5 -> "-50.0%" */
char *ctp_fmt_pct(char *buf, double frac);
/* compact top-style cell for narrow columns (≤ 8 columns typical): "1.21s", "80ms", "3.1MiB",
 * "+1.2k", "950", "12": 3 significant digits at most, trailing zeros dropped; clock ticks print
 * as time (ctp_fmt_ticks_hz at ctp_clk_tck()). with_sign prefixes '+' to positive values (deltas).
 * The one number format of the live table, the detail view and batch (compare.h ctp_cell_show);
 * ktstr's report keeps ctp_fmt_value/delta/derived above. */
char *ctp_fmt_compact(char *buf, double v, enum ctp_ladder l, bool with_sign);
/* per-second cell of a counter's rate (rates mode): time per second as percent of one CPU
 * ("80.2%", "0.4%", "180%" = 1.8 CPUs: one decimal below 100%, none from 100% on),
 * ticks per second converted to time first (at ctp_clk_tck()), counts and bytes per second as
 * plain compact numbers ("44", "1.2k", "3.1MiB"; the header says "/s"); with_sign prefixes '+' */
char *ctp_fmt_rate(char *buf, double per_s, enum ctp_ladder l, bool with_sign);
/* ctp_fmt_rate with an explicit clock-tick rate (Hz) for the TICKS ladder */
char *ctp_fmt_rate_hz(char *buf, double per_s, enum ctp_ladder l, bool with_sign, long hz);
/* a count of clock ticks as time, compact: 1938 ticks at 100 Hz -> "19.38s", 5 -> "50ms";
 * seconds keep two decimals below 100 s (a tick is 10 ms), one below 1000 s, none above */
char *ctp_fmt_ticks_hz(char *buf, double ticks, long hz, bool with_sign);
/* sysconf(_SC_CLK_TCK); 100 when unknown */
long ctp_clk_tck(void);
/* the "absent / not available" cell */
#define CTP_FMT_ABSENT "-"

#endif
