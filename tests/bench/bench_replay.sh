#!/usr/bin/env bash
# bench_replay.sh — issue 15's replay figure: key-to-screen time of one step (.) in
# `ctprof-top --replay DIR` over a recording of 360 samples of this host with 2,000 extra idle
# threads (tests/helpers/idle_threads), from the key sent to tmux until the pane shows the new
# position, in rates mode (one file loaded per step) and after ( ten back. The recording is one
# real capture under 360 names one second apart (the step cost is the load, compare and draw,
# not the values). It measures, it never fails on a number. BENCH_REPLAY_STEPS (30) steps are
# timed; BENCH_REPLAY_EXTRA (2000) extra threads.
set -u
B=${CTP_BUILD:-build}
STEPS=${BENCH_REPLAY_STEPS:-30}
EXTRA=${BENCH_REPLAY_EXTRA:-2000}
N=360
SOCK=ctpreplay$$
T=$(mktemp -d)
HELPER=
command -v tmux >/dev/null || { echo "bench_replay: tmux missing, skipped"; exit 0; }
tmux_() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	tmux_ kill-server 2>/dev/null
	if [ -n "$HELPER" ]; then
		exec 7>&- # EOF on its stdin: it joins its threads and exits
		kill "$HELPER" 2>/dev/null
		wait "$HELPER" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : 0 }'; }

if [ "$EXTRA" -gt 0 ]; then
	mkfifo "$T/in"
	"$B/tests/helpers/idle_threads" "$EXTRA" 3600 <"$T/in" >"$T/out" &
	HELPER=$!
	exec 7>"$T/in"
	for _ in $(seq 600); do grep -q '^ready' "$T/out" 2>/dev/null && break; sleep 0.1; done
fi
"$B/ctprof-top" -o "$T/one.ctprof.zst" --no-probe 2>"$T/err" || { echo "bench_replay: capture failed"; cat "$T/err"; exit 1; }
threads=$(awk '{ for (i = 1; i < NF; i++) if ($i == "wrote") print $(i + 1) }' "$T/err")
mkdir "$T/rec"
base=$(date -u +%s)
for i in $(seq 0 $((N - 1))); do
	cp "$T/one.ctprof.zst" "$T/rec/$(date -u -d "@$((base - N + i))" +%Y%m%dT%H%M%S).000Z.ctprof.zst"
done

tmux_ new-session -d -x 120 -y 40 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $B/ctprof-top --replay $T/rec; exec sleep 600"
waitpos() { # waitpos K: polls until the pane shows "· K/360"; prints the ms it took from $1's start
	local t0=$2
	for _ in $(seq 2000); do
		tmux_ capture-pane -p | grep -q "· $1/$N" && { echo $(($(now_ms) - t0)); return 0; }
	done
	echo 99999
}
waitpos 1 "$(now_ms)" >/dev/null
sleep 1
: >"$T/steps"
for k in $(seq 2 $((STEPS + 1))); do
	t0=$(now_ms)
	tmux_ send-keys .
	waitpos "$k" "$t0" >>"$T/steps"
done
t0=$(now_ms)
tmux_ send-keys '('
back=$(waitpos $((STEPS + 1 - 10)) "$t0")
med=$(median <"$T/steps")
max=$(sort -n "$T/steps" | tail -1)
echo "replay stepping over $N samples of $threads threads (+$EXTRA idle): key-to-screen median ${med} ms, max ${max} ms over $STEPS steps of one (goal <= 100 ms); ten back ${back} ms"
