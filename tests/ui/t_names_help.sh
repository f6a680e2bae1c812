#!/bin/bash
# t_names_help.sh — issue 20 items 6 and 12 on screen: the metric -s names is the name the
# column title and the sort line show (the registry's, /s added in rates mode), and the detail
# view's help describes the group value from its rule (cpu_delay_min_ns: the largest per-thread
# minimum, as --metric-list and the man page say), not the thread field's help.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
[ -x "$CTP_BUILD/tests/helpers/busy" ] || skip_all "busy helper not built"
busy_start 60 1 n20busy

# tall enough for the detail view to list every metric without scrolling
ui_start "-d 1 --no-probe --show-idle -p $BUSY_PID -s wait_time_ns" 200 130
check "live view up" ui_wait_re "^n20busy +[0-9]+ " 10 || { done_testing; exit 1; }
check "the sort line names -s's metric" ui_wait "sort: wait_time_ns ▼" 10
check "its column title is the same name (per second in rates mode)" ui_wait_re "^GROUP\(pcomm\) +THR .* wait_time_ns/s▼ " 5
want=$("$BIN" --metric-list 2>/dev/null | awk '$1 == "cpu_delay_min_ns"' | head -1)
check "--metric-list describes cpu_delay_min_ns as the largest per-thread minimum" \
	sh -c 'printf "%s\n" "$1" | grep -q "largest per-thread"' _ "$want"
ui_keys d
check "d: detail view of the group" ui_wait "[detail of n20busy]" 5
ui_keys a
check "a: every row shown" ui_wait "all rows" 5
row=$(ui_pane | grep -E "^cpu_delay_min_ns " | head -1)
diag "row: $row"
check "the detail help of cpu_delay_min_ns is the group value's" \
	sh -c 'printf "%s\n" "$1" | grep -q "largest per-thread shortest"' _ "$row"
check "...and the same words as --metric-list" \
	sh -c 'printf "%s\n" "$1" | grep -q "largest per-thread shortest"' _ "$want"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
