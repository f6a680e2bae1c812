#!/bin/bash
# t_start.sh — the live view starts in a 120x40 tmux pane, shows the header, the sources line
# and at least one group row with real numbers; q exits 0 and the terminal is restored.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init

ui_start "-d 0.5"
check "header shows the program and mode" ui_wait "ctprof-top" 10
check "header shows the mode and interval" ui_wait "mode: rates /s" 5
check "sources line lists procfs" ui_wait_re "PSI cpu [0-9.]+% .*procfs" 5
check "group column header" ui_wait "GROUP(pcomm)" 5
# a group row: name, thread count, then a number with a unit
check "a group row with real numbers" ui_wait_re "^[^ ].* +[0-9]+ +[+-]?[0-9.]+(ns|µs|ms|s) " 10
check "function bar" ui_wait "F1Help" 2
check "alternate screen while running" test "$(tmux_ display -p '#{alternate_on}')" = 1
# the second sample switches to per-second deltas
check "rate columns after the second sample" ui_wait "/s" 5
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
check "terminal restored (normal screen)" ui_restored
check "shell output visible after exit" ui_wait "EXITED" 3
check "nothing on stderr" test ! -s "$TMPD/stderr"
done_testing
