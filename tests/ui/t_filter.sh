#!/bin/bash
# t_filter.sh — one --filter rule for batch and live: on the proc-full fixture tree, each filter
# string (a case difference, anchors, alternation, escaped parentheses) selects the same groups in
# the live view (--filter and the / prompt) as in batch mode; a bad regex is refused by both (live:
# exit 2 at start-up, an error and the filter unchanged at the prompt).
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
FXD="$CTP_SRCDIR/tests/fixtures"
FX="--proc-root $FXD/proc-full --sys-root $FXD/sys-full --cgroup-root $FXD/cgroup-full --no-probe --no-taskstats"

# batch_groups FILTER — group names batch mode prints, sorted, joined by '|' (an escaped byte
# becomes '?' as on the pane)
batch_groups() {
	"$BIN" -b -n 1 -d 0.1 $FX --filter "$1" 2>/dev/null | sed -n '/^pcomm /,/^$/p' | sed '1d;/^$/d;s/  .*//;s/\\x[0-9a-f][0-9a-f]/?/g' |
		LC_ALL=C sort | paste -sd '|'
}
# live_groups — group names of the groups view on the pane, the same way
live_groups() {
	ui_pane | awk '/^GROUP\(/ { on = 1; next } on && /^\[/ { exit } on && /^[^ ]/' | sed 's/  .*//' |
		LC_ALL=C sort | paste -sd '|'
}
# same FILTER COUNT — the live view shows COUNT groups, the very ones batch mode prints
same() {
	ui_wait "[$2 groups]" 10 >/dev/null
	want=$(batch_groups "$1"); got=$(live_groups)
	check "'$1': live shows what batch prints ($want)" test "$got" = "$want"
	[ "$got" = "$want" ] || diag "live: $got"
}
# set_filter TEXT — / prompt, the text, Enter
set_filter() { ui_keys /; ui_wait "filter (regex" 5 >/dev/null; ui_keys C-u; ui_type "$1"; ui_keys Enter; }

check "batch: PROC matches whatever the case" test "$(batch_groups PROC)" = "proc (with) parens"
ui_start "-d 0.5 $FX --show-idle --filter PROC" # a fixture tree does not move: every group is idle
same PROC 1
set_filter '^(sys|PROC)'
same '^(sys|PROC)' 2
set_filter '\(WITH\)'
same '\(WITH\)' 1
set_filter 'S$'
same 'S$' 1
set_filter '(with'
check "a bad regex at the prompt is an error" ui_wait "bad regex '(with'" 5
check "the filter is unchanged" ui_wait "[filter: S\$]" 3
same 'S$' 1
ui_keys '\'
same '' 4
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

timeout 20 "$BIN" $FX --filter '(with' </dev/null >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "live --filter '(with': exit 2 before the screen opens" test "$rc" = 2 -a ! -s "$TMPD/out"
"$BIN" -b -n 1 $FX --filter '(with' >/dev/null 2>"$TMPD/berr"
check "live and batch refuse it with the same line" cmp -s "$TMPD/err" "$TMPD/berr"
diag "$(cat "$TMPD/err")"
done_testing
