#!/usr/bin/env bash
# bench_record.sh — issue 15's recorder figures: the disk cost of one snapshot at this host's
# thread count and with 2,000 extra idle threads (tests/helpers/idle_threads), and the CPU of
# `ctprof-top --record DIR -d 10` with those extra threads, as % of one core over a window of whole
# intervals (utime + stime from just after its first write to the end). It measures, it never
# fails on a number. BENCH_RECORD_SECS (60) sets the window, BENCH_RECORD_DELAY (10) the -d,
# BENCH_RECORD_EXTRA (2000) the extra threads.
set -u
SECS=${BENCH_RECORD_SECS:-60}
DELAY=${BENCH_RECORD_DELAY:-10}
EXTRA=${BENCH_RECORD_EXTRA:-2000}
. "${CTP_SRCDIR:-.}/tests/bench/lib.inc"
# one capture's file: "THREADS BYTES"
snapshot_cost() {
	"$B/ctprof-top" -o "$T/one.ctprof.zst" --no-probe 2>"$T/err" || { echo "0 0"; return; }
	awk '{ for (i = 1; i < NF; i++) if ($i == "wrote") t = $(i + 1) } END { printf "%s ", t }' "$T/err"
	stat -c %s "$T/one.ctprof.zst"
}

read -r t0 b0 <<<"$(snapshot_cost)"
start_helper "$EXTRA"
read -r t1 b1 <<<"$(snapshot_cost)"
awk -v t0="$t0" -v b0="$b0" -v t1="$t1" -v b1="$b1" -v got="$GOT" 'BEGIN {
	printf "snapshot on disk: %d threads %.1f KiB (%.0f bytes/thread); +%d idle threads: %d threads %.1f KiB (%.0f bytes/thread)\n",
		t0, b0 / 1024, t0 ? b0 / t0 : 0, got, t1, b1 / 1024, t1 ? b1 / t1 : 0
}'

"$B/ctprof-top" --record "$T/rec" -d "$DELAY" --no-probe 2>/dev/null &
CTP=$!
for _ in $(seq 300); do [ -n "$(ls "$T/rec" 2>/dev/null)" ] && break; sleep 0.1; done
[ -n "$(ls "$T/rec" 2>/dev/null)" ] || { echo "bench_record: nothing recorded in $T/rec after 30 s"; exit 1; }
cpu_window "$CTP" "$SECS"
files=$(ls "$T/rec" | wc -l)
awk -v pct="$WIN_PCT" -v secs="$WIN_SECS" -v got="$GOT" -v d="$DELAY" -v files="$files" 'BEGIN {
	printf "--record at -d %s with %s extra threads: %.2f %% of a core (%.0f s window, %.0f ms CPU per snapshot, %d files)\n",
		d, got, pct, secs, 10 * pct * d, files
}'
