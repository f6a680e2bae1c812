#!/bin/bash
# t_numbers.sh — numbers that say what they mean in the live view (issue 20), on the svc_workload
# helper started after a baseline: its group is `new` with THR 0→5 and unsigned live values and
# comes first in the default order (largest change); idle groups are hidden (status line), z shows
# them, S saves hide_idle; rates mode shows run time as a percent of a CPU; the detail view hides
# unchanged rows (a shows them); after B and the workload's exit its group is `gone` with 5→0
# and its ratio cells read `0.51→-` (the side that does not exist is '-').
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
SVC="$CTP_BUILD/tests/helpers/svc_workload"
[ -x "$SVC" ] || skip_all "$SVC not built"
BASE="$TMPD/base.ctprof.zst"
XDG="$TMPD/xdg"
CFG="$XDG/ctprof-top/config"
# the group must be born after the baseline: wait for another test's workload to end
i=0; while pgrep -x svc-main >/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
pgrep -x svc-main >/dev/null && skip_all "another svc_workload is running (its group would be in the baseline)"
"$BIN" -o "$BASE" --no-probe >/dev/null 2>&1 || skip_all "cannot capture a baseline"

# the workload: 4 workers + main = 5 threads; it exits when fd 3 closes (its stdin is the FIFO)
mkfifo "$TMPD/svc.in"
"$SVC" -w 4 -t 40 <"$TMPD/svc.in" >"$TMPD/svc.out" &
SVC_PID=$!
BG_PIDS="$BG_PIDS $SVC_PID"
exec 3>"$TMPD/svc.in"
i=0; while ! grep -q ready "$TMPD/svc.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# the rows of the groups view, one a line (header and status excluded)
rows() { ui_pane | awk '/^GROUP\(/ { on = 1; next } on && /^\[/ { exit } on && NF'; }
first_row() { rows | head -1; }
# metric cells of a row (after GROUP, marker and THR): no sign anywhere
unsigned_row() { printf '%s\n' "$1" | grep -qE ' [0-9.]+(ns|µs|ms|s)( |$)' && ! printf '%s\n' "$1" | grep -qE ' [+-][0-9]'; }

F='^(svc|rcu_|ksoftirqd|cpuhp|kdevtmpfs|kthreadd)' # no kworker: they come and go by work item
ui_start "-d 0.5 --no-probe -B $BASE --filter '$F'" 200 40 "XDG_CONFIG_HOME=$XDG"
check "vs baseline view up" ui_wait "GROUP(pcomm)" 10 || { done_testing; exit 1; }
check "the workload's group is new: THR 0→5 and a new marker" ui_wait_re "^svc-main new +0→5 " 10
row=$(ui_row "svc-main")
check "its cells are the live values, unsigned ($row)" unsigned_row "$row"
check "default order: largest change" ui_wait "sort: largest change" 3
check "the new group is the first row" sh -c 'printf "%s\n" "$1" | grep -q "^svc-main new "' _ "$(first_row)"
check "idle groups hidden, counted on the status line" ui_wait_re "groups, [0-9]+ idle hidden\]" 3
check "an idle kernel thread group is not listed" sh -c '! printf "%s\n" "$1" | grep -q "^kdevtmpfs "' _ "$(rows)"
ui_keys z
check "z shows the idle groups" ui_wait_re "^kdevtmpfs +1 " 5
check "the status line no longer counts hidden groups" sh -c '! printf "%s\n" "$1" | grep -q "idle hidden"' _ "$(ui_pane)"
ui_keys S
check "S confirms the save" ui_wait "settings saved to $CFG" 5
check "S saved hide_idle = false after z" grep -Eq '^hide_idle *= *false$' "$CFG"
ui_keys z
check "z hides them again" ui_wait "idle hidden" 5
ui_keys '>'
check "> leaves the default order for the first column" ui_wait "sort: run_time_ns ▼" 3
ui_keys '<'
check "< comes back to the largest change" ui_wait "sort: largest change" 3

ui_keys m
check "m: rates mode" ui_wait "mode: rates /s" 5
check "rates mode: first column descending is the default order" ui_wait_re "sort: [a-z_]+ ▼" 5
check "rates mode: run time per second as a percent of a CPU" ui_wait_re "^svc-main +5 .* [0-9.]+%" 5

ui_keys B
check "B: the current sample is the baseline" ui_wait "current sample is now the baseline" 5
ui_wait_re "^svc-main +5 " 5 >/dev/null
ui_keys Home
ui_type d
check "d: detail of the first group" ui_wait "[detail of" 5
check "the detail title counts the unchanged rows it hides" ui_wait_re "[0-9]+ unchanged hidden" 5
ZERO='^[a-z_]+ +(-|0(\.0+)?[a-zA-Zµ]*) +(-|0(\.0+)?[a-zA-Zµ]*) '
pane=$(ui_pane)
diag "$(printf '%s\n' "$pane" | grep -E "$ZERO")"
check "no 0 → 0 or - → - row listed" sh -c '! printf "%s\n" "$1" | grep -qE "$2"' _ "$pane" "$ZERO"
ui_type a
check "a shows every row" ui_wait_re "$ZERO" 5
ui_keys Escape

exec 3>&- # the workload exits
kill "$SVC_PID" 2>/dev/null
check "after the workload exits its group is gone: THR 5→0" ui_wait_re "^svc-main gone +5→0 " 10
row=$(ui_row "svc-main")
check "its cells are the baseline values, unsigned ($row)" unsigned_row "$row"
check "its ratio (cpu_efficiency) reads base→- ($row)" sh -c 'printf "%s\n" "$1" | grep -qE " [0-9]+\.[0-9]{2}→- "' _ "$row"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
