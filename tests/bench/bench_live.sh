#!/usr/bin/env bash
# bench_live.sh — issue 14's acceptance figures of the live view, measured in one run against
# `top -H -d 1` running side by side in the same window (each in its own tmux pane, 1 s refresh):
# CPU ratios with 0, 2000 and 10000 extra idle threads (tests/helpers/idle_threads, 64 KiB
# stacks); at 2000 extra, SUnreclaim growth, open fds and RSS growth per tracked thread; and the
# same window with --max-kept-fds 0 (does pread on kept fds still win once its kernel memory is
# counted?). It measures, it never fails on a missed goal. Both run in a default 80x24 terminal
# (the live view reads only the columns on screen); at 2000 extra a 200x50 window (every sched
# column on screen) is measured too. BENCH_LIVE_SECS (20) sets the window, BENCH_LIVE_WARM (5) the
# warm-up, BENCH_LIVE_COUNTS ("0 2000 10000") the extra threads, BENCH_LIVE_SIZE (80x24) the size.
set -u
SECS=${BENCH_LIVE_SECS:-20}
WARM=${BENCH_LIVE_WARM:-5}
COUNTS=${BENCH_LIVE_COUNTS:-"0 2000 10000"}
SIZE=${BENCH_LIVE_SIZE:-80x24}
SOCK=ctpbench$$
. "${CTP_SRCDIR:-.}/tests/bench/lib.inc"
command -v tmux >/dev/null || { echo "bench_live: tmux missing, skipped"; exit 0; }
have_top=1
command -v top >/dev/null || have_top=0
tmux_() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null; bench_cleanup' EXIT

sunreclaim() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; } # KiB
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; } # KiB
# CPU time of a process in ns: the sum of its threads' schedstat run time (ns, where utime+stime
# count 10 ms ticks: at the host's own threads a 20 s window holds only a few ticks of either
# tool). Both tools keep their threads for the whole window, so none of its time is lost.
cpu_ns() {
	local t sum=0 v
	for t in /proc/"$1"/task/*/schedstat; do
		read -r v _ <"$t" 2>/dev/null && sum=$((sum + v))
	done
	echo "$sum"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : 0 }'; }

# one window: top first, SUnreclaim before ours starts, ctprof-top ARGS, warm-up, then SECS
# seconds of both. Sets CP TP (CPU % of a core), SU (SUnreclaim growth KiB, median of samples
# in the window), FDS (ctprof-top's open fds), RSSK (its RSS KiB, median of the samples 15 s or
# more after start: a capture in flight holds one more sample for a moment, and the first ten
# refreshes still read the first full sample's wider plan)
window() {
	local w=${SIZE%x*} h=${SIZE#*x}
	tmux_ kill-server 2>/dev/null
	[ $have_top = 1 ] && tmux_ new-session -d -s top -x "$w" -y "$h" "exec env TERM=screen-256color top -H -d 1"
	sleep 1
	local su0 pc pt c0 t0 c1 t1
	su0=$(sunreclaim)
	if [ $have_top = 1 ]; then
		tmux_ new-window -d -t top: -n ctp "exec env TERM=screen-256color $B/ctprof-top -d 1 --no-probe $*"
	else
		tmux_ new-session -d -s top -n ctp -x "$w" -y "$h" "exec env TERM=screen-256color $B/ctprof-top -d 1 --no-probe $*"
	fi
	sleep "$WARM"
	pc=$(tmux_ display -p -t top:ctp '#{pane_pid}')
	pt=$(tmux_ display -p -t top:0 '#{pane_pid}')
	[ $have_top = 1 ] || pt=$$
	c0=$(cpu_ns "$pc"); t0=$(cpu_ns "$pt")
	: >"$T/su"
	: >"$T/rss"
	local left=$SECS step
	while [ "$left" -gt 0 ]; do
		step=$((left < 4 ? left : 4))
		sleep "$step"
		left=$((left - step))
		echo $(($(sunreclaim) - su0)) >>"$T/su"
		# RSS in the steady state: after the first full sample's wide plan has left (its
		# columns stay planned for 10 refreshes, CTP_SHOWN_LINGER: ~+1 KiB a thread until then)
		[ $((WARM + SECS - left)) -ge 15 ] && rss "$pc" >>"$T/rss"
	done
	[ -s "$T/rss" ] || rss "$pc" >>"$T/rss" # a short window: its end
	c1=$(cpu_ns "$pc"); t1=$(cpu_ns "$pt")
	FDS=$(ls "/proc/$pc/fd" 2>/dev/null | wc -l)
	RSSK=$(median <"$T/rss")
	SU=$(median <"$T/su")
	CP=$(awk -v d=$((c1 - c0)) -v s="$SECS" 'BEGIN { printf "%.3f", 100 * d / 1e9 / s }')
	TP=$(awk -v d=$((t1 - t0)) -v s="$SECS" 'BEGIN { printf "%.3f", 100 * d / 1e9 / s }')
	[ $have_top = 1 ] || TP=0
	tmux_ kill-server 2>/dev/null
	sleep 0.5
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%+.1f MiB", k / 1024 }'; }

line="live view vs top:"
detail=""
rss0= rss2k= got2k=0
for n in $COUNTS; do
	start_helper "$n"
	window
	line="$line $n extra $(ratio "$CP" "$TP"),"
	detail="$detail $n+$GOT: ctprof-top $CP%, top $TP%;"
	[ "$n" = 0 ] && rss0=$RSSK
	if [ "$n" = 2000 ]; then
		rss2k=$RSSK su2k=$SU fds2k=$FDS cp2k=$CP tp2k=$TP got2k=$GOT
		window --max-kept-fds 0
		nk_ratio=$(ratio "$CP" "$TP") nk_su=$SU nk_fds=$FDS nk_cp=$CP nk_tp=$TP
		SIZE=200x50 window
		wide="at 2000 extra in 200x50 (all 16 sched columns on screen): $(ratio "$CP" "$TP") top (ctprof-top $CP%, top $TP%), $FDS fds"
	fi
	stop_helper
done
echo "${line%,} (goal ≤ 1.0 / ≤ 0.5 / ≤ 1.0; $SIZE)"
echo "  CPU % of one core, ${SECS} s windows after ${WARM} s warm-up (extra+made):$detail"
[ $have_top = 1 ] || echo "  note: top missing: no ratios"
if [ "$got2k" -gt 0 ]; then
	per=$(awk -v a="${rss2k:-0}" -v b="${rss0:-0}" -v n="$got2k" 'BEGIN { printf "%.2f", (a - b) / n }')
	echo "live view at 2000 extra: SUnreclaim $(mib "$su2k") (goal ≤ 4 MiB), open fds $fds2k (goal ≤ 1,100)," \
	     "RSS growth $per KiB/thread (goal ≤ 2 KiB/thread; RSS $((${rss0:-0} / 1024)) MiB at 0 extra," \
	     "$((rss2k / 1024)) MiB at 2000)"
	echo "kept fds vs none at 2000 extra: default cap $(ratio "$cp2k" "$tp2k") top, SUnreclaim $(mib "$su2k"), $fds2k fds;" \
	     "--max-kept-fds 0 $nk_ratio top, SUnreclaim $(mib "$nk_su"), $nk_fds fds (ctprof-top $nk_cp%, top $nk_tp%)"
	echo "$wide"
fi
exit 0
