#!/bin/bash
# t_exits_live.sh — threads that exited still count in the live view (issue 17 item 2):
# churn_burn starts 200 threads a second, each burning 2 ms and exiting. The rates view's group
# row reads 'churn_burn exited N' with N about 200 a refresh and a run_time rate within 10 % of
# the CPU the target reports (getrusage); since start counts the exits of every refresh; with
# --no-exits no 'exited' and a visibly lower rate. Skips without taskstats exit records.
. "$(dirname "$0")/lib.sh"
ui_init

"$BIN" -b -n 1 -d 0.2 -p $$ --no-probe >/dev/null 2>"$TMPD/probe.err"
if grep -q 'no taskstats exit records' "$TMPD/probe.err"; then
	skip_all "$(head -1 "$TMPD/probe.err")"
fi

churn() { # churn_burn for $1 seconds; CP its pid
	helper_start churn_burn "$1"
	CP=$HELPER_PID
}
# the churn_burn row's "EXITED RATE%" (rates view: GROUP exited N THR run_time_ns/s ...)
row_vals() { ui_pane | awk '$1 == "churn_burn" && $2 == "exited" { sub(/%/, "", $5); print $3, $5 }' | head -1; }
# samples 5 refreshes of the row into $TMPD/vals
collect() {
	: >"$TMPD/vals"
	last=
	for _ in $(seq 100); do
		v=$(row_vals)
		if [ -n "$v" ] && [ "$v" != "$last" ]; then echo "$v" >>"$TMPD/vals"; last=$v; fi
		[ "$(wc -l <"$TMPD/vals")" -ge 5 ] && break
		sleep 0.2
	done
}

churn 9
ui_start "-d 1 -p $CP --no-probe" 200 20
check "the churn group shows 'exited N'" ui_wait_re "churn_burn exited [0-9]+ " 10
collect
ui_keys m
check "m: since start" ui_wait_re "mode: since start" 5
i=0
since_ok() { ui_pane | awk '$1 == "churn_burn" && $2 == "exited" && $3 + 0 > 400 {f = 1} END {exit !f}'; }
while [ $i -lt 50 ] && ! since_ok; do sleep 0.1; i=$((i + 1)); done
check "since start: the exits of every refresh add up (over 400)" since_ok
wait "$CP"
read -r cpu_ns created secs < <(awk '/^done/ {print $3, $5, $7}' "$TMPD/churn_burn.out")
true_pct=$(awk -v c="${cpu_ns:-0}" -v s="${secs:-1}" 'BEGIN {printf "%.1f", c / s / 1e7}')
diag "exited, run_time %cpu per refresh: $(tr '\n' ',' <"$TMPD/vals"); target ${true_pct}% (getrusage ${cpu_ns:-?} ns over ${secs:-?}s, ${created:-?} threads)"
med() { sort -n | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : 0}'; }
rate=$(awk '{print $2}' "$TMPD/vals" | med)
exited=$(awk '{print $1}' "$TMPD/vals" | med)
check "run_time rate (median ${rate}%) within 10 % of the target's CPU (${true_pct}%)" \
	awk -v r="$rate" -v t="$true_pct" 'BEGIN {exit !(t > 0 && r >= t * 0.9 && r <= t * 1.1)}'
check "exited (median $exited) about 200 a 1 s refresh" awk -v x="$exited" 'BEGIN {exit !(x >= 170 && x <= 230)}'
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

churn 5
ui_start "-d 1 -p $CP --no-probe --no-exits" 200 20
check "--no-exits: the group shows" ui_wait_re "^churn_burn +[0-9]" 10
sleep 2.5
off=$(ui_pane | awk '$1 == "churn_burn" { sub(/%/, "", $3); print $3 }' | head -1)
diag "--no-exits: run_time ${off:-?}%"
check "--no-exits: no 'exited' on screen" sh -c "! tmux -L $SOCK capture-pane -p | grep -q exited"
check "--no-exits: the rate is visibly lower (under half the target's)" \
	awk -v r="${off:-999}" -v t="$true_pct" 'BEGIN {exit !(r < t * 0.5)}'
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
wait "$CP"
done_testing
