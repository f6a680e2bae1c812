#!/bin/bash
# t_keys.sh — keys against the real binary with the ctpbusy helper running: sort order of the
# run-time column (rates mode's default: the first column descending, as "80.2%" of a CPU; I
# inverts, > moves the sort), Space pause, / filter, Enter/Esc drill in and out, d detail, g
# grouping header, m mode, 1-6 column sets, help, cgroup and host views.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init

# the first percent cell (run time per second, % of a CPU) of every table row of the pane,
# one a line (new and gone groups are left out: they sort by their present side)
col_ns() {
	ui_pane | awk '
	/^GROUP\(/ { on = 1; next }
	on && /^\[/ { exit }
	on && / (new|gone) / { next }
	on {
		for (i = 1; i <= NF; i++) if ($i ~ /^-?[0-9.]+%$/) {
			v = $i; sub(/%$/, "", v); printf "%s\n", v; break
		}
	}'
}
sorted_desc() { col_ns > "$TMPD/col"; [ "$(wc -l < "$TMPD/col")" -ge 3 ] && sort -s -g -r -c "$TMPD/col"; }
sorted_asc() { col_ns > "$TMPD/col"; [ "$(wc -l < "$TMPD/col")" -ge 3 ] && sort -s -g -c "$TMPD/col"; }
first_row() { ui_pane | awk '/^GROUP\(|^ *TID/ { getline; print; exit }'; }

busy_start 40 4 # 4 spinners: top of the run-time column even on a loaded machine
ui_start "-d 0.5"
check "rates after two samples: per-second titles, no Δ (a rate is a level)" ui_wait " run_time_ns/s" 10
check "default order: the first column descending" ui_wait "sort: run_time_ns ▼" 3
check "descending marker on the column" ui_wait " run_time_ns/s▼" 3
check "ctpbusy (4 spinning threads) becomes the top row" ui_wait_re "^ctpbusy +[0-9]+ +[0-9.]+%" 10
ui_keys Space
check "Space pauses" ui_wait "[PAUSED]" 3
check "run-time column is in descending order" sorted_desc
frozen=$(first_row)
sleep 1.2
check "paused view does not change" test "$(first_row)" = "$frozen"
ui_keys I
check "I inverts: ascending marker" ui_wait "sort: run_time_ns ▲" 3
check "run-time column is in ascending order" sorted_asc
check "ctpbusy no longer first" sh -c "! printf '%s' \"\$1\" | grep -q '^ctpbusy '" _ "$(first_row)"
ui_keys '>'
check "> moves the sort to the next column" ui_wait "sort: wait_time_ns ▼" 3
ui_keys '<'
check "< moves it back" ui_wait "sort: run_time_ns ▼" 3
ui_keys Space
check "Space resumes" ui_wait "resumed" 3

ui_keys /
ui_wait "filter (regex, any case):" 3 >/dev/null
ui_type ctpbusy
ui_keys Enter
check "filter narrows to the busy process" ui_wait "[1 groups]" 5
check "only ctpbusy left" test "$(first_row | awk '{print $1}')" = ctpbusy
ui_keys Enter
check "Enter drills into the threads" ui_wait "[threads of ctpbusy: 5]" 5
check "thread rows with exact rates (% of a CPU)" ui_wait_re "^ *[0-9]+ ctpbusy-w +[0-9.]+%" 5
ui_keys d
check "d on a thread shows its detail" ui_wait "[detail of thread" 3
check "detail lists every metric" ui_wait_re "^run_time_ns +" 3
ui_keys Escape
check "Esc back to the threads" ui_wait "[threads of ctpbusy" 3
ui_keys Escape
check "Esc back to the groups" ui_wait "[1 groups]" 3
ui_keys d
check "d shows the group detail" ui_wait "[detail of ctpbusy]" 3
check "detail columns" ui_wait_re "METRIC +PREVIOUS +LIVE +DELTA" 3
ui_keys Escape
ui_keys '\'
check "\\ clears the filter" ui_wait "filter cleared" 3
ui_keys g
check "g: group header changes to cgroup" ui_wait "GROUP(cgroup)" 5
ui_keys g
check "g again: comm" ui_wait "GROUP(comm)" 5
check "comm axis shows the worker thread name" ui_wait_re "^ctpbusy-w +4 " 5
ui_keys m
check "m cycles to since start" ui_wait "mode: since start" 3
ui_keys m
check "m cycles to absolute" ui_wait "mode: absolute" 3
ui_keys 2
check "2 selects the cpu column set" ui_wait "[cpu]" 3
check "cpu columns" ui_wait "utime" 3
ui_keys 1
ui_keys h
check "h opens the help" ui_wait "show this help" 3
check "help lists keys from the table" ui_wait_re "^  / F4 +filter groups" 3
ui_keys Escape
ui_keys C
check "C opens the cgroup view" ui_wait "[cgroup view" 5
ui_keys H
check "H switches to the host view" ui_wait "[host view" 5
ui_keys Escape
check "back to the groups" ui_wait "GROUP(comm)" 3
ui_keys +
check "+ lengthens the interval" ui_wait "refresh every 1s" 3
ui_keys -
check "- shortens it again" ui_wait "refresh every 0.5s" 3
ui_keys C-l
check "Ctrl-L redraws the whole screen" ui_wait "GROUP(comm)" 3
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
check "terminal restored" ui_restored
done_testing
