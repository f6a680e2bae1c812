#!/bin/bash
# t_mouse.sh — a mouse click on a column header sorts by that column, a second click inverts it,
# a click on a row selects it (d then shows that row's detail). Clicks are X10 mouse reports
# (ESC [ M b x y, press then release) typed into the pane, as a terminal sends them.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
# click COLUMN_TEXT — presses button 1 on the header cell that starts with COLUMN_TEXT
click() {
	line=$(ui_pane | grep -m1 '^GROUP(')
	y=$(ui_pane | grep -n -m1 '^GROUP(' | cut -d: -f1)
	pre=${line%%"$1"*}
	[ "$pre" = "$line" ] && return 1
	x=$(printf '%s' "$pre" | LC_ALL=C.UTF-8 wc -m)
	cx=$(printf '\\%03o' $((33 + x + 1))); cy=$(printf '\\%03o' $((32 + y)))
	tmux_ send-keys -l "$(printf '\033[M %b%b\033[M#%b%b' "$cx" "$cy" "$cx" "$cy")"
}
# click_row N — clicks the N-th table row (1 = first) in column 3; prints the first word of its name
click_row() {
	y=$(( $(ui_pane | grep -n -m1 '^GROUP(' | cut -d: -f1) + $1 ))
	# its first word: a long name may touch THR ('name 1→2'), and a prefix of the name is enough
	ui_pane | sed -n "${y}p" | sed 's/ .*//'
	cy=$(printf '\\%03o' $((32 + y)))
	tmux_ send-keys -l "$(printf '\033[M #%b\033[M##%b' "$cy" "$cy")"
}

ui_start "-d 0.5"
ui_wait "run_time_ns/s▼" 10 >/dev/null
check "click on the wait_time header" click " wait_time"
check "sort moved to wait_time" ui_wait "wait_time_ns/s▼" 3
check "status names the sort" ui_wait "sort by wait_time_ns desc" 3
click " wait_time"
check "second click inverts" ui_wait "wait_time_ns/s▲" 3
ui_keys Space
ui_wait "[PAUSED]" 3 >/dev/null
name=$(click_row 3)
ui_keys d
check "clicked row selected: d shows its detail ($name)" ui_wait "[detail of ${name%…}" 3 # a cut name ends with …
ui_keys Escape Space
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
