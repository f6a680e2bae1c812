#!/usr/bin/env bash
# bench_live.sh — steady-state CPU of the live view at 1 s refresh with 2000 extra idle threads
# on the host, against `top -H -d 1` over the same window (both in their own tmux panes).
# Prints each one's CPU use in percent of one core and the ratio. BENCH_LIVE_SECS sets the window.
set -u
B=${CTP_BUILD:-build}
THREADS=${BENCH_LIVE_THREADS:-2000}
SECS=${BENCH_LIVE_SECS:-20}
SOCK=ctpbench$$
command -v tmux >/dev/null && command -v top >/dev/null || { echo "bench_live: tmux or top missing, skipped"; exit 0; }
tmux_() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null; [ -n "${IDLE:-}" ] && kill "$IDLE" 2>/dev/null; }
trap cleanup EXIT

coproc IDLE_P { exec "$B/tests/helpers/idle_threads" "$THREADS" $((SECS + 60)); }
IDLE=$IDLE_P_PID
read -r _ _ got <&"${IDLE_P[0]}"

cpu_ticks() { # utime + stime of a pid, clock ticks
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
tmux_ new-session -d -s ctp -x 200 -y 50 "exec env TERM=screen-256color $B/ctprof-top -d 1 --no-probe"
tmux_ new-session -d -s top -x 200 -y 50 "exec env TERM=screen-256color top -H -d 1"
sleep 5 # warm-up: first samples, caches
pc=$(tmux_ display -p -t ctp '#{pane_pid}'); pt=$(tmux_ display -p -t top '#{pane_pid}')
c0=$(cpu_ticks "$pc"); t0=$(cpu_ticks "$pt")
sleep "$SECS"
c1=$(cpu_ticks "$pc"); t1=$(cpu_ticks "$pt")
hz=$(getconf CLK_TCK)
awk -v c=$((c1 - c0)) -v t=$((t1 - t0)) -v hz="$hz" -v s="$SECS" -v n="$got" 'BEGIN {
	cp = 100 * c / hz / s; tp = 100 * t / hz / s
	printf "live view, %d extra threads, 1 s refresh, %d s window: ctprof-top %.1f%% CPU, top -H %.1f%% CPU, ratio %.2fx\n",
	       n, s, cp, tp, (tp > 0 ? cp / tp : 0) }'
