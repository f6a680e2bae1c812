#!/usr/bin/env bash
# bench_textfile.sh — issue 18's figure: what `ctprof-top -b --textfile DIR -d 10` costs with
# 2,000 extra idle threads (tests/helpers/idle_threads), as CPU % of one core over a window
# of whole refreshes (utime + stime of the exporter from just after its first write to the end),
# plus the file's size and series count. It measures, it never fails on a number.
# BENCH_TEXTFILE_SECS (40) sets the window, BENCH_TEXTFILE_DELAY (10) the -d,
# BENCH_TEXTFILE_EXTRA (2000) the extra threads.
set -u
SECS=${BENCH_TEXTFILE_SECS:-40}
DELAY=${BENCH_TEXTFILE_DELAY:-10}
EXTRA=${BENCH_TEXTFILE_EXTRA:-2000}
. "${CTP_SRCDIR:-.}/tests/bench/lib.inc"

start_helper "$EXTRA"
mkdir "$T/tf"
"$B/ctprof-top" -b --textfile "$T/tf" -d "$DELAY" --no-probe &
CTP=$!
for _ in $(seq 300); do [ -f "$T/tf/ctprof.prom" ] && break; sleep 0.1; done
[ -f "$T/tf/ctprof.prom" ] || { echo "bench_textfile: no $T/tf/ctprof.prom after 30 s"; exit 1; }
cpu_window "$CTP" "$SECS"
size=$(stat -c %s "$T/tf/ctprof.prom")
series=$(grep -vc '^#' "$T/tf/ctprof.prom")
awk -v pct="$WIN_PCT" -v secs="$WIN_SECS" -v got="$GOT" -v d="$DELAY" -v size="$size" -v series="$series" 'BEGIN {
	printf "--textfile at -d %s with %s extra threads: %.2f %% of a core (%.0f s window, %.0f ms CPU per refresh; ctprof.prom %d KiB, %d series)\n",
		d, got, pct, secs, 10 * pct * d, size / 1024, series
}'
