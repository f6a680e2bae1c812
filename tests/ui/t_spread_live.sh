#!/bin/bash
# t_spread_live.sh — spread within a group on screen (issue 17 item 1): hot_threads runs 8
# workers, one burning 8x the CPU of the others; the live view's detail view (d) of its group
# shows MIN P50 P90 MAX IMB columns, and run_time_ns's imbalance reads about 8 (±15 %).
. "$(dirname "$0")/lib.sh"
ui_init

helper_start hot_threads
HP=$HELPER_PID
check "hot_threads is ready" grep -q "^ready $HP\$" "$TMPD/hot_threads.out"

ui_start "-d 1 -p $HP --no-probe" 200 50
check "live view up" ui_wait "hot_threads" 10
ui_keys d
check "detail view with the spread columns" ui_wait_re "METRIC .* MIN +P50 +P90 +MAX +IMB" 10
# the rates mode's second sample gives the deltas; IMB is the 10th column (METRIC PREVIOUS LIVE
# DELTA(/s) UNIT MIN P50 P90 MAX IMB: no % column in rates mode)
imb_ok() {
	ui_pane | awk '$1 == "run_time_ns" && NF >= 10 { v = $10 } END { exit !(v >= 6.8 && v <= 9.2) }'
}
i=0
while [ $i -lt 100 ] && ! imb_ok; do sleep 0.1; i=$((i + 1)); done
row=$(ui_pane | grep -E '^ *run_time_ns ' | head -1)
diag "row: $row"
check "run_time_ns: imbalance about 8 (±15 %)" imb_ok
ui_keys q
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
