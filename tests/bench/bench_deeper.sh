#!/usr/bin/env bash
# bench_deeper.sh — issue 17's cost figures at 2,000 extra idle threads
# (tests/helpers/idle_threads) while churn_burn starts 200 threads a second that burn 2 ms and
# exit (exit records flow): bench_deeper_cost times three capture contexts in turn — plain, with
# the taskstats exit listener (item 2), with the wait channels of sleeping threads (item 3,
# --wchan) — and prints each addition as ms of CPU and a share of a plain refresh. It measures,
# it never fails on a number. BENCH_DEEPER_EXTRA (2000) threads, BENCH_DEEPER_RUNS (15) rounds.
set -u
EXTRA=${BENCH_DEEPER_EXTRA:-2000}
. "${CTP_SRCDIR:-.}/tests/bench/lib.inc"

start_helper "$EXTRA"
"$B/tests/helpers/churn_burn" 600 200 2000 >"$T/churn" &
CHURN=$!
trap 'kill "$CHURN" 2>/dev/null; bench_cleanup' EXIT
echo "bench_deeper: $GOT extra idle threads, churn_burn at 200 threads/s"
BENCH_DEEPER_CHILD=1 "$B/tests/bench/bench_deeper_cost"
