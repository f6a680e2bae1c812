#!/bin/bash
# t_numbers2.sh — issue 20's gaps in the live view: in rates mode a group that is new only
# because its process renamed itself (rename_burn: 1.5 s of CPU, then idle under a new name)
# sorts by the rate its cells show, below a busy group; the sort column stays on screen with
# Right; a window baseline's per-second columns say /s; at 80 columns the header keeps every
# kernel gate's label (schedstats✗, delayacct✗) whole; -p PID with a whole-host baseline shows
# no gone group.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
RB="$CTP_BUILD/tests/helpers/rename_burn"
[ -x "$RB" ] || skip_all "$RB not built"
[ -x "$CTP_BUILD/tests/helpers/busy" ] || skip_all "busy helper not built"

# the rows of the groups view, one a line; the column titles
rows() { ui_pane | awk '/^GROUP\(/ { on = 1; next } on && /^\[/ { exit } on && NF'; }
titles() { ui_pane | grep -E '^GROUP\(' | head -1; }
# line of the first row whose name starts NAME in a pane capture (0 = none)
line_of() { printf '%s\n' "$1" | grep -nE "^ ?$2" | head -1 | cut -d: -f1; }

busy_start 60 1 l20busy
"$RB" -a l20rn-old -b l20rn-new -c 1.5 -t 60 >"$TMPD/rb.out" &
RB_PID=$!
BG_PIDS="$BG_PIDS $RB_PID"
for _ in $(seq 300); do grep -q '^ready' "$TMPD/rb.out" && break; sleep 0.1; done
check "rename_burn burnt its CPU" grep -q "^ready $RB_PID\$" "$TMPD/rb.out"

# 1. rates mode, -s run_time_ns: the renamed group is new, its cell is its rate since the last
# sample (0 %); it must not rank on its lifetime run time (1.5 s over a 1 s interval)
ui_start "-d 1 --no-probe -p $BUSY_PID,$RB_PID --show-idle -s run_time_ns" 120 30
check "rates mode" ui_wait "mode: rates /s" 10
check "both groups listed, rates (not the first sample)" ui_wait_re "^ ?l20rn-old +1 +[0-9.]+%" 10
ui_wait_re "^ ?l20busy +2 +[0-9.]+%" 5 >/dev/null
kill -USR1 "$RB_PID"
pane=""
for _ in $(seq 100); do
	pane=$(ui_pane)
	printf '%s\n' "$pane" | grep -qE '^ ?l20rn-new new ' && break
	sleep 0.1
done
diag "$(printf '%s\n' "$pane" | grep -E '^ ?(l20|GROUP)')"
nb=$(line_of "$pane" l20busy) nr=$(line_of "$pane" "l20rn-new new")
check "the renamed group is new for one refresh" test "${nr:-0}" -gt 0
check "...and sorts below the busy group (line $nr, busy $nb)" test "${nb:-0}" -gt 0 -a "${nr:-0}" -gt "${nb:-0}"
ui_keys q
ui_wait_exit 5 >/dev/null

# 2. the sort column stays visible when Right scrolls the metric columns (80 columns)
ui_start "-d 1 --no-probe -p $BUSY_PID" 80 24
check "sorted by the first column" ui_wait "sort: run_time_ns ▼" 10
ui_wait_re "^ ?l20busy +[0-9]+ +[0-9.]+%" 5 >/dev/null
ui_keys Right
check "Right scrolls: a ← mark" ui_wait_re "^GROUP\(pcomm\) +THR +run_time[^ ]*▼ +← 1 " 5
ui_keys Right
check "Right again: the sort column still pinned after THR ($(titles))" ui_wait_re "^GROUP\(pcomm\) +THR +run_time[^ ]*▼ +← 2 " 5
check "...with its cell in the row" ui_wait_re "^ ?l20busy +[0-9]+ +[0-9.]+% " 5
ui_keys Left Left '>'
check "> sorts by the second column" ui_wait_re "sort: [a-z_]+ ▼\]" 5
ui_keys Right Right Right
check "the picked sort column is pinned too ($(titles))" ui_wait_re "^GROUP\(pcomm\) +THR +[a-z_…]+▼ +← 3 " 5
ui_keys q
ui_wait_exit 5 >/dev/null

# 3. a window baseline (rate vs base rate): per-second columns say /s, as batch's titles do
cap() { "$BIN" -o "$TMPD/$1" -p "$BUSY_PID" --no-probe 2>/dev/null; }
cap wa.ctprof.zst
sleep 1
cap wb.ctprof.zst
ui_start "-d 1 --no-probe -p $BUSY_PID -B $TMPD/wa.ctprof.zst,$TMPD/wb.ctprof.zst" 200 30
check "window mode" ui_wait "mode: rate vs base rate" 10
check "run time's column is Δrun_time_ns/s" ui_wait_re "^GROUP\(pcomm\) +THR +Δrun_time_ns/s(▼)? " 10
b=$("$BIN" -b -n 1 -d 0.2 --no-probe -p "$BUSY_PID" -B "$TMPD/wa.ctprof.zst,$TMPD/wb.ctprof.zst" 2>/dev/null |
	grep -m1 -E '^pcomm ')
check "batch says run_time_ns/s as well ($b)" sh -c 'printf "%s\n" "$1" | grep -q " run_time_ns/s "' _ "$b"
ui_keys q
ui_wait_exit 5 >/dev/null

# 4. at 80 columns every kernel gate's label stays on the sources line
ui_start "-d 1 --no-probe -p $BUSY_PID" 80 24
ui_wait "thr " 10 >/dev/null || ui_wait "schedstats" 5 >/dev/null
src=$(ui_pane | sed -n 2p)
diag "sources: $src"
if [ "$(cat /proc/sys/kernel/sched_schedstats 2>/dev/null)" = 1 ]; then
	skip "schedstats on here: no schedstats✗ label"
else
	check "schedstats✗ on the sources line" sh -c 'printf "%s\n" "$1" | grep -q "schedstats✗"' _ "$src"
fi
if [ "$(cat /proc/sys/kernel/task_delayacct 2>/dev/null)" = 1 ]; then
	skip "delay accounting on here: no delayacct✗ label"
else
	check "delayacct✗ on the sources line" sh -c 'printf "%s\n" "$1" | grep -q "delayacct✗"' _ "$src"
fi
check "no hint cut mid-word: a cut line ends with …" sh -c \
	'[ "$(printf "%s" "$1" | wc -m)" -lt 80 ] || printf "%s\n" "$1" | grep -q "…$"' _ "$src"
ui_keys q
ui_wait_exit 5 >/dev/null

# 5. -p PID with a baseline of the whole host: only that process on both sides, no gone group
"$BIN" -o "$TMPD/host.ctprof.zst" --no-probe 2>/dev/null
ui_start "-d 1 --no-probe -p $BUSY_PID -B $TMPD/host.ctprof.zst --show-idle" 120 30
check "vs baseline" ui_wait "mode: vs baseline" 10
check "the process is matched (THR 2)" ui_wait_re "^ ?l20busy +2 " 10
check "no gone group ($(rows | grep -c ' gone '))" sh -c '! printf "%s\n" "$1" | grep -q " gone "' _ "$(rows)"
check "one group" ui_wait "[1 groups" 5
b=$("$BIN" -b -n 1 -d 0.2 --no-probe -p "$BUSY_PID" -B "$TMPD/host.ctprof.zst" 2>/dev/null |
	awk '/^pcomm / { on = 1; next } on && !NF { exit } on')
check "batch -p -B: the process's row alone ($(printf '%s\n' "$b" | wc -l) rows)" \
	sh -c '[ "$(printf "%s\n" "$1" | wc -l)" = 1 ] && printf "%s\n" "$1" | grep -q "^l20busy "' _ "$b"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
