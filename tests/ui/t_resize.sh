#!/bin/bash
# t_resize.sh — the live view survives resizes during a run: 120x40 -> 60x20 -> 250x60 -> 80x24
# -> 15x4 -> 120x40; columns drop by priority when narrow and appear when wide; no crash.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
# number of column headers on the GROUP header line
ncols() { ui_pane | awk '/^GROUP\(/ { print NF; exit }'; }
resize() { tmux_ resize-window -x "$1" -y "$2"; sleep 0.3; }

ui_start "-d 0.5"
check "starts at 120x40" ui_wait "GROUP(pcomm)" 10
ui_wait "run_time_ns/s" 10 >/dev/null
n120=$(ncols)
resize 60 20
check "pane is 60 wide" test "$(tmux_ display -p '#{pane_width}x#{pane_height}')" = 60x20
check "60x20: header still drawn" ui_wait "GROUP(pcomm)" 5
check "60x20: function bar on the last line" sh -c "tmux -L $SOCK capture-pane -p | sed -n 20p | grep -q '^F1Help'"
n60=$(ncols)
check "60x20: fewer columns ($n60 < $n120)" test "$n60" -lt "$n120"
check "60x20: run_time column kept (highest priority), its title cut" ui_wait " run_ti" 3
check "60x20: header not wrapped (column header on line 3)" sh -c "tmux -L $SOCK capture-pane -p | sed -n 3p | grep -q '^GROUP(pcomm)'"
resize 250 60
check "250x60: header" ui_wait "GROUP(pcomm)" 5
sleep 0.6
n250=$(ncols)
check "250x60: more columns ($n250 > $n120)" test "$n250" -gt "$n120"
check "250x60: function bar on line 60" sh -c "tmux -L $SOCK capture-pane -p | sed -n 60p | grep -q '^F1Help'"
resize 80 24
check "80x24: header and rows" ui_wait_re "^[^ ].* +[0-9]+ +[+-]?[0-9.]+(ns|µs|ms|s|%)" 5
check "80x24: function bar" sh -c "tmux -L $SOCK capture-pane -p | sed -n 24p | grep -q '^F1Help'"
resize 15 4
check "15x4: tiny terminal message" ui_wait "terminal" 5
resize 120 40
check "back to 120x40" ui_wait "GROUP(pcomm)" 5
check "still running" test ! -e "$TMPD/exit"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
check "terminal restored" ui_restored
done_testing
