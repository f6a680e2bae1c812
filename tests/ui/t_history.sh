#!/bin/bash
# t_history.sh — the live view's history ring (issue 15 item 5): , steps one sample back and the
# header says "HISTORY HH:MM:SS · N/M" while capture goes on (M grows, N stays); . steps forward,
# ( ten back, L returns to the newest; B on a past sample makes it the baseline; --history 0
# keeps none and says so.
. "$(dirname "$0")/lib.sh"
ui_init

pos() { ui_pane | grep -oE 'HISTORY [0-9]{2}:[0-9]{2}:[0-9]{2} · [0-9]+/[0-9]+' | head -1; }
num() { echo "$1" | sed -E 's|.* ([0-9]+)/([0-9]+)$|\1|'; }
tot() { echo "$1" | sed -E 's|.* ([0-9]+)/([0-9]+)$|\2|'; }

# one small process (-p): samples pack in well under a millisecond, so the packing budget
# (0.02 % of a core) keeps every few of them at -d 0.25 (fewer under the sanitizers)
sleep 600 & SLP=$!
BG_PIDS="$BG_PIDS $SLP"
ui_start "-d 0.25 --history 200 -p $SLP --show-idle" 200 40 # the ring does not fill during the test: its count grows
ui_wait "GROUP(pcomm)" 10 >/dev/null
sleep 8 # a few samples in the ring: two steps back must still leave an older one
check "no position line at the newest sample" sh -c '! tmux -L "$1" capture-pane -p | grep -q HISTORY' _ "$SOCK"
ui_keys ,
check ", shows the position line" ui_wait_re "HISTORY [0-9]{2}:[0-9]{2}:[0-9]{2} · [0-9]+/[0-9]+" 5
p1=$(pos)
diag "after ,: $p1"
check "one back: the ring's newest or older" test "$(num "$p1")" -le "$(tot "$p1")"
ui_keys ,
sleep 0.5
p2=$(pos)
diag "after , ,: $p2"
check "two back: an older position" test "$(num "$p2")" -lt "$(num "$p1")"
check "a past sample in rates mode: rates over it and the one before (not lifetime values)" \
	sh -c 'p=$(tmux -L "$1" capture-pane -p); echo "$p" | grep -q "mode: rates /s" && ! echo "$p" | grep -q "lifetime values"' _ "$SOCK"
# capture goes on: the ring grows (or the budget skips) while the screen stays on the sample
t0=$(tot "$p2")
for _ in $(seq 40); do p3=$(pos); [ "$(tot "$p3")" -gt "$t0" ] && break; sleep 0.25; done
diag "later: $p3"
check "capture goes on while stepping back (the count grows)" test "$(tot "$p3")" -gt "$t0"
check "the position stays" test "$(num "$p3")" = "$(num "$p2")"
ui_keys .
sleep 0.5
p4=$(pos)
diag "after .: $p4"
check ". steps forward" test "$(num "$p4")" = $(( $(num "$p2") + 1 ))
ui_keys '('
sleep 0.5
check "( goes ten back (or to the oldest)" test "$(num "$(pos)")" = 1 -o "$(num "$(pos)")" = $(( $(num "$p4") - 10 ))
ui_keys L
check "L: back to the newest" ui_wait "back to the newest sample" 5
check "L: no position line" sh -c '! tmux -L "$1" capture-pane -p | grep -q HISTORY' _ "$SOCK"
# B on a past sample
ui_keys ,
ui_wait "HISTORY" 5 >/dev/null
ui_keys B
check "B on a past sample: it is the baseline" ui_wait "is now the baseline" 5
check "B: mode vs baseline" ui_wait "mode: vs baseline" 3
check "B: the header names the sample" ui_wait "baseline: sample (" 3
ui_keys L
check "L after B: the newest against the past sample" ui_wait "back to the newest sample" 5
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

# --history 0: none kept
ui_start "-d 0.25 --history 0 -p $SLP" 200 40
ui_wait "GROUP(pcomm)" 10 >/dev/null
sleep 1
ui_keys ,
check "--history 0: , says there is none" ui_wait "no history kept (--history 0)" 5
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
