#!/bin/bash
# t_pool_restart.sh — issue 20 items 10 and 9 on svc_workload. A pool that doubled on one mutex:
# svc-worker-{N} THR 4→8, thread_cpu_share a window pair A%→B% with B < A (per-thread collapse).
# A restart: the svc-main drill-down pairs threads by comm (OLDTID→NEWTID), the extra worker is
# new, nothing gone, one row per comm, and the rows obey the sort key (> and I).
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
SVC="$CTP_BUILD/tests/helpers/svc_workload"
[ -x "$SVC" ] || skip_all "$SVC not built"
# another workload's threads would join our groups: wait a little for it to end, else skip
i=0; while pgrep -x svc-main >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pgrep -x svc-main >/dev/null && skip_all "another svc_workload (svc-main) is running"

# svc_start NAME ARGS... — the workload on a FIFO stdin (kept open on fd 3); sets SVC_PID
svc_start() {
	name=$1; shift
	rm -f "$TMPD/$name.in"; mkfifo "$TMPD/$name.in"
	"$SVC" "$@" -t 40 <"$TMPD/$name.in" >"$TMPD/$name.out" &
	SVC_PID=$!
	BG_PIDS="$BG_PIDS $SVC_PID"
	exec 3>"$TMPD/$name.in"
	i=0; while ! grep -q ready "$TMPD/$name.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q ready "$TMPD/$name.out"
}
svc_stop() { exec 3>&-; kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# tid_of PID COMM — the tid of the thread named COMM
tid_of() { grep -lx -- "$2" /proc/"$1"/task/*/comm 2>/dev/null | head -1 | awk -F/ '{ print $5 }'; }

# cell NAME COLUMN_RE — the cell of the table row named NAME (marker ' new'/' gone' skipped)
# under the header title matching COLUMN_RE; the pane is read once (or from $PANE)
cell() {
	{ [ -n "$PANE" ] && printf '%s\n' "$PANE" || ui_pane; } | awk -v name="$1" -v col="$2" '
	/^GROUP\(|^ *TID / { k = $1 == "TID" ? 2 : 1; for (i = 1; i <= NF; i++) if ($i ~ col) c = i; on = 1; next }
	on && /^\[/ { exit }
	on && c {
		if ($(k + 1) == "new" || $(k + 1) == "gone") { $(k + 1) = ""; $0 = $0 }
		if ($k == name) { print $c; exit }
	}'
}

# ---- item 10: a pool that doubled, on one mutex (the group's CPU stays about one CPU) ----
BASE="$TMPD/pool.ctprof.zst"
# 4 workers wanting 50 % of a CPU each inside one mutex: the lock is saturated with 4 already
svc_start pool -w 4 -m -b 4000 -s 4000 || skip_all "svc_workload did not start"
POOL_PID=$SVC_PID
sleep 1.5 # a lifetime share worth the name on the baseline side
"$BIN" -o "$BASE" --no-probe >/dev/null 2>&1 || skip_all "cannot capture a baseline"
kill -USR1 "$POOL_PID" # 8 workers from now on
ui_start "-d 0.5 --no-probe -B $BASE -g comm --filter '^svc-'" 160 40
check "vs baseline view on the comm axis" ui_wait "GROUP(comm)" 10 || { done_testing; exit 1; }
check "the worker pool doubled: svc-worker-{N} THR 4→8" ui_wait_re "^svc-worker-\{N\} +4→8 " 10
sleep 2 # a window long enough to be the 8-worker period
PANE=$(ui_pane)
share=$(cell 'svc-worker-{N}' '^thread_cpu_share')
run=$(cell 'svc-worker-{N}' '^Δrun_time_ns')
PANE=
diag "svc-worker-{N}: thread_cpu_share $share, Δrun_time_ns $run"
a=$(printf '%s\n' "$share" | sed -nE 's/^([0-9.]+)%→([0-9.]+)%$/\1/p')
b=$(printf '%s\n' "$share" | sed -nE 's/^([0-9.]+)%→([0-9.]+)%$/\2/p')
check "thread_cpu_share is a window pair A%→B% ($share)" test -n "$a" -a -n "$b"
check "the window side is above zero ($b%)" awk -v b="$b" 'BEGIN { exit !(b + 0 > 0) }'
check "per-thread share fell when the pool doubled on one mutex ($a% → $b%)" \
	awk -v a="$a" -v b="$b" 'BEGIN { exit !(a != "" && b + 0 < a + 0) }'
check "the group's run time grew ($run)" sh -c 'printf "%s\n" "$1" | grep -Eq "^\+[0-9.]*[1-9][0-9.]*(ns|µs|ms|s)$"' _ "$run"
ui_keys m
check "m: rates mode" ui_wait "mode: rates /s" 5
ui_wait " run_time_ns/s" 5 >/dev/null
rshare=$(cell 'svc-worker-{N}' '^thread_cpu_share')
check "rates mode: thread_cpu_share in percent ($rshare)" \
	sh -c 'printf "%s\n" "$1" | grep -Eq "^[0-9.]+%(→[0-9.]+%)?$"' _ "$rshare"
ui_keys q
ui_wait_exit 5 >/dev/null
svc_stop "$POOL_PID"

# ---- item 9: drill-down across a restart (new pid and tids, threads paired by comm) ----
BASE="$TMPD/restart.ctprof.zst"
svc_start old -w 3 || skip_all "svc_workload did not start"
OLD_PID=$SVC_PID
declare -A OLD NEW
for c in svc-main svc-worker-0 svc-worker-1 svc-worker-2; do OLD[$c]=$(tid_of "$OLD_PID" "$c"); done
"$BIN" -o "$BASE" --no-probe >/dev/null 2>&1 || skip_all "cannot capture a baseline"
svc_stop "$OLD_PID"
# the restarted service came back with one more worker: svc-worker-3 has no base twin
svc_start new -w 4 || skip_all "svc_workload did not restart"
NEW_PID=$SVC_PID
for c in svc-main svc-worker-0 svc-worker-1 svc-worker-2 svc-worker-3; do NEW[$c]=$(tid_of "$NEW_PID" "$c"); done
diag "tids before: ${OLD[*]} after: ${NEW[*]}"
ui_start "-d 0.5 --no-probe -B $BASE" 160 40
check "vs baseline view" ui_wait "GROUP(pcomm)" 10 || { done_testing; exit 1; }
ui_keys /
ui_wait "filter (regex, any case):" 3 >/dev/null
ui_type svc-main
ui_keys Enter
check "the filter keeps the svc-main group" ui_wait_re "^svc-main +4→5 " 5
ui_keys Enter
check "Enter drills into its threads" ui_wait "[threads of svc-main: 5]" 5
ui_wait_re "^ *[0-9]+→[0-9]+ svc-worker-2 " 5 >/dev/null
PANE=$(ui_pane)
for c in svc-main svc-worker-0 svc-worker-1 svc-worker-2; do
	want="${OLD[$c]}→${NEW[$c]}"
	check "$c pairs by name: TID $want" sh -c 'printf "%s\n" "$1" | grep -Eq "^ *$2 $3 "' _ "$PANE" "$want" "$c"
done
check "svc-worker-3 has no base twin: new, TID ${NEW[svc-worker-3]}" \
	sh -c 'printf "%s\n" "$1" | grep -Eq "^ *$2 svc-worker-3 new "' _ "$PANE" "${NEW[svc-worker-3]}"
check "no gone row: every base thread found its live twin" sh -c '! printf "%s\n" "$1" | grep -q " gone "' _ "$PANE"
comms=$(printf '%s\n' "$PANE" | awk '/^ *TID / { on = 1; next } on && /^\[/ { exit } on && NF { print $2 }')
check "5 thread rows, one per comm: none both new and gone ($(echo $comms))" \
	sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 5 ] && [ "$(printf "%s\n" "$1" | sort -u | wc -l)" -eq 5 ]' _ "$comms"
check "no svc-logger row without -f" sh -c '! printf "%s\n" "$1" | grep -q svc-logger' _ "$PANE"
PANE=
# the Δrun_time_ns cells of the thread rows in screen order, in ns (a new row: its live value)
col_ns() {
	ui_pane | awk '
	/^ *TID / { for (i = 1; i <= NF; i++) if ($i ~ /^Δrun_time_ns/) c = i; on = 1; next }
	on && /^\[/ { exit }
	on && NF {
		v = $c; if ($3 == "new" || $3 == "gone") v = $(c + 1)
		m = 1; if (v ~ /^-/) m = -1; sub(/^[+-]/, "", v)
		u = v; sub(/^[0-9.]+/, "", u); n = v + 0
		f = u == "s" ? 1e9 : u == "ms" ? 1e6 : u == "µs" ? 1e3 : u == "ns" ? 1 : -1
		if (f < 0) { print "unparsed " $c; next }
		printf "%.0f\n", m * n * f
	}'
}
check "the threads view names its order: largest change" ui_wait "sort: largest change" 3
ui_keys '>'
check "> sorts the threads by run_time_ns" ui_wait "sort: run_time_ns ▼" 3
ui_keys Space
ui_wait "[PAUSED]" 3 >/dev/null
col_ns >"$TMPD/col"
diag "Δrun_time_ns (ns) in row order: $(tr '\n' ' ' <"$TMPD/col")"
check "5 rows, descending by Δrun_time_ns" sh -c '[ "$(wc -l <"$1")" -eq 5 ] && sort -g -r -c "$1"' _ "$TMPD/col"
ui_keys I
check "I inverts: ascending marker" ui_wait "sort: run_time_ns ▲" 3
col_ns >"$TMPD/col"
check "5 rows, ascending by Δrun_time_ns" sh -c '[ "$(wc -l <"$1")" -eq 5 ] && sort -g -c "$1"' _ "$TMPD/col"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
svc_stop "$NEW_PID"
done_testing
