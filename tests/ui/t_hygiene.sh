#!/bin/bash
# t_hygiene.sh — terminal hygiene: a process name with an escape sequence is drawn escaped (no raw
# ESC reaches the terminal), ASCII glyphs under LC_ALL=C, SIGTERM / SIGHUP / SIGINT restore the
# terminal, and the column chooser builds a custom column set.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init

busy_start 30 1 $'ctp\033[7mevil'
ui_start "-d 0.5 --filter evil"
check "hostile name shown escaped" ui_wait_re "ctp\?\[(7|\{N\})mevil" 10
no_raw_esc() { ! tmux_ capture-pane -p -e | grep -qF "$(printf 'ctp\033')"; }
check "no raw ESC from the name in the pane" no_raw_esc
ui_keys Enter
check "drill-down title escaped too" ui_wait_re "\[threads of ctp\?\[(7|\{N\})mevil" 5
ui_keys Escape '\' q
ui_wait_exit 5 >/dev/null

ui_start "-d 0.5" 120 40 LANG=C LC_ALL=C
check "C locale: ASCII separators" ui_wait " | mode: rates" 10
check "C locale: ASCII sort marker" ui_wait_re "run_time_ns/s?v" 5
check "C locale: no UTF-8 box drawing" sh -c "! tmux -L $SOCK capture-pane -p | grep -q '│'"
ui_keys q
ui_wait_exit 5 >/dev/null

for sig in TERM HUP INT; do
	ui_start "-d 0.5"
	ui_wait "GROUP(pcomm)" 10 >/dev/null
	shell=$(tmux_ display -p '#{pane_pid}')
	pid=$(pgrep -P "$shell" -f ctprof-top | head -1)
	[ -n "$pid" ] && kill -"$sig" "$pid"
	rc=$(ui_wait_exit 5)
	check "SIG$sig: clean exit ($rc)" test "$rc" = 0
	check "SIG$sig: terminal restored" ui_restored
done

ui_start "-d 0.5"
ui_wait "GROUP(pcomm)" 10 >/dev/null
ui_keys c
check "c opens the column chooser" ui_wait "[columns: sched]" 5
check "chooser marks the preset's columns" ui_wait_re "^\[x\] run_time_ns" 3
ui_keys Home Down Space
check "Space toggles a metric into a custom set" ui_wait "[columns: custom]" 3
ui_keys Escape
check "custom set shown in the groups view" ui_wait "[custom]" 3
check "toggled metric became a column" ui_wait_re "GROUP\(pcomm\) +THR +[^ ]*policy" 5
ui_keys q
check "exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
