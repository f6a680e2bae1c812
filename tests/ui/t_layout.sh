#!/bin/bash
# t_layout.sh — the live view reads at 80x24 (issue 20 item 7): five metric columns of the default
# set, a "→ N more" mark for the hidden ones, a long group name cut with "…", the function bar
# whole (Help ... bBase ... Quit), the status line cut between words; Right keeps GROUP and THR
# at the left and marks "← 1"; a sort column outside the set (-s blkio_delay_total_ns) is still
# shown with its ▼; ASCII terminals get "> N more" and "~".
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
# a process whose pcomm pattern is long: lay-{N}-{N}-{N}-{N}-{N}-{N} (27 cells), busy ~15% of a
# CPU so that it is listed (idle groups are hidden) near the top (rates mode: busiest first)
LAY="$TMPD/lay-1-2-3-4-5-6"
printf '#!/bin/bash\nwhile :; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.05; done\n' >"$LAY"
chmod +x "$LAY"
"$LAY" &
BG_PIDS="$BG_PIDS $!"

hdr() { ui_pane | grep -m1 -E '^GROUP\('; }
# metric titles on the header line: the words after GROUP and THR, the marks removed
nmetrics() { hdr | sed -E 's/(→|>) [0-9]+ more//; s/(←|<) [0-9]+//' | awk '{ print NF - 2 }'; }
line() { ui_pane | sed -n "$1p"; }

ui_start "-d 0.5 --no-probe" 80 24
check "80x24: groups view up" ui_wait "GROUP(pcomm)" 10
ui_wait_re "^GROUP.*_ns/s" 10 >/dev/null # the second sample: rates
ui_wait_re "^lay-" 10 >/dev/null
h=$(hdr)
check "five metric columns ($h)" test "$(nmetrics)" -ge 5
check "the hidden columns are counted: → N more at the right edge" sh -c 'printf "%s\n" "$1" | grep -qE "→ [0-9]+ more$"' _ "$h"
check "metric titles are the canonical names cut with …" sh -c 'printf "%s\n" "$1" | grep -qE "(Δ| )run_ti[a-z_/]*…"' _ "$h"
check "the long group name is cut with …" ui_wait_re "^lay-\{N\}-[^ ]*… " 5
bar=$(line 24)
check "function bar: Help first, Quit last, whole ($bar)" sh -c 'printf "%s\n" "$1" | grep -qE "^F1Help /Filter .* qQuit *$"' _ "$bar"
check "function bar shows bBase" sh -c 'printf "%s\n" "$1" | grep -q " bBase "' _ "$bar"
st=$(line 23); stw=$(printf '%s' "$st" | LC_ALL=C.UTF-8 wc -m)
# a status line that reaches the edge was cut between words: it ends "word…"
check "status line whole, or cut between words with … ($st)" sh -c '[ "$2" -lt 79 ] || printf "%s\n" "$1" | grep -qE "[^ ]…$"' _ "$st" "$stw"

ui_keys Right
check "Right: a ← 1 mark" ui_wait "← 1" 5
h=$(hdr)
check "Right: GROUP and THR stay at the left ($h)" sh -c 'printf "%s\n" "$1" | grep -qE "^GROUP\(pcomm\) +THR "' _ "$h"
check "Right: the first metric column scrolled away" sh -c '! printf "%s\n" "$1" | grep -q "run_time"' _ "$h"
check "Right: the workload's row keeps its name" ui_wait_re "^lay-\{N\}-" 3
ui_keys Left
check "Left: back, no ← mark" sh -c 'sleep 0.5; ! tmux -L '"$SOCK"' capture-pane -p | grep -q "← "'
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

ui_start "-d 0.5 --no-probe -s blkio_delay_total_ns" 80 24
check "-s blkio_delay_total_ns: view up" ui_wait "GROUP(pcomm)" 10
check "-s blkio_delay_total_ns: the sorted column is shown with ▼" ui_wait_re "^GROUP\(pcomm\) +THR .*blkio[^ ]*▼" 5
check "its full name is on the screen" ui_wait "blkio_delay_total_ns" 3
ui_keys q
ui_wait_exit 5 >/dev/null

ui_start "-d 0.5 --no-probe" 80 24 LANG=C LC_ALL=C
check "ASCII: view up" ui_wait "GROUP(pcomm)" 10
ui_wait_re "^lay-" 10 >/dev/null
check "ASCII: > N more" sh -c 'printf "%s\n" "$1" | grep -qE "> [0-9]+ more$"' _ "$(hdr)"
check "ASCII: names cut with ~" ui_wait_re "^lay-\{N\}-[^ ]*~ " 5
ui_keys q
ui_wait_exit 5 >/dev/null
done_testing
