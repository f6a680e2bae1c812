#!/bin/bash
# t_gatenote_live.sh — the live header says when a kernel switch differs between the sides
# (issue 17 item 4): a baseline whose host had delay accounting on (this host's capture edited,
# as tests/gateflip.sh) against live samples with it off: one header line 'note: delayacct on in
# the baseline, off now ...'; rates mode (both sides live) has no note. Skips when delay
# accounting is on here.
. "$(dirname "$0")/lib.sh"
ui_init
if [ "$(cat /proc/sys/kernel/task_delayacct 2>/dev/null)" != 0 ] || ! command -v zstd >/dev/null; then
	skip_all "needs kernel.task_delayacct=0 here and zstd"
fi
sleep 60 &
SL=$!
BG_PIDS="$BG_PIDS $SL"
"$BIN" -o "$TMPD/b.ctprof.zst" -p "$SL" --no-probe 2>/dev/null
check "baseline captured" test -s "$TMPD/b.ctprof.zst"
"${CTP_SRCDIR:-.}/tests/helpers/delayacct_on.sh" "$TMPD/b.ctprof.zst" "$TMPD/on.ctprof.zst"
check "the baseline's host says delay accounting on" test -s "$TMPD/on.ctprof.zst"

ui_start "-d 1 -B $TMPD/on.ctprof.zst -p $SL --no-probe" 200 20
check "vs baseline: the header's note names delayacct" \
	ui_wait "note: delayacct on in the baseline, off now: its columns read on→off, not a change" 10
ui_keys m
check "rates mode" ui_wait "mode: rates" 5
sleep 2.5
check "rates mode: no note (both sides live)" sh -c "! tmux -L $SOCK capture-pane -p | grep -q 'note: '"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
