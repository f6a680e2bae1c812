#!/bin/bash
# t_frame_writes.sh — a refresh reaches the terminal in a write or two: ncurses 6.4 flushed at
# every cursor move until the screen had once been suspended (~40 small writes a refresh at
# 80x24), so the view now suspends and resumes once at start. Counted from /proc/PID/io syscw
# (every write(2) of the process: the sampler's one wake-up byte a sample included).
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init

ui_start "-d 0.5 --no-probe" 80 24
check "live view up" ui_wait "GROUP(pcomm)" 10 || { done_testing; exit 1; }
PID=$(pgrep -P "$(tmux_ display -p '#{pane_pid}')" | head -1)
syscw() { awk '/^syscw:/ { print $2 }' "/proc/$PID/io" 2>/dev/null; }
sleep 1
w0=$(syscw)
sleep 4 # about 8 refreshes at -d 0.5, each redrawing the changed cells of a busy host
w1=$(syscw)
n=$((w1 - w0))
check "8 refreshes in 4 s took $n writes (at most 4 a refresh: one wake-up, the frame)" test "$n" -gt 0 -a "$n" -le 32
check "the screen is whole after them" ui_wait_re "^\[[0-9]+ groups" 3
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
