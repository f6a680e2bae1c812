#!/usr/bin/env bash
# exits.sh — threads that exited still count (issue 17 item 2): churn_burn starts 200 threads a
# second, each burning 2 ms of CPU and exiting; `-b` (rates between samples) with the taskstats
# exit listener gives its group a run_time rate within 10 % of the CPU the target reports from
# getrusage (its dead threads included) and an exited count within 5 % of the threads it
# created in the interval; with --no-taskstats (no listener) the rate is visibly lower (under
# half). Skips when taskstats exit records are unavailable (not root, a child pid namespace).
set -u
B=${CTP_BUILD:-build}/ctprof-top
CH=${CTP_BUILD:-build}/tests/helpers/churn_burn
T=$(mktemp -d /tmp/ctp-exits-XXXXXX)
CP=
trap '[ -n "$CP" ] && kill "$CP" 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

start() { # churn_burn for $1 seconds; CP its pid
	"$CH" "$1" >"$T/ch.out" & CP=$!
	for _ in $(seq 50); do grep -q '^ready' "$T/ch.out" && break; sleep 0.1; done
}
# "run_time_ns rate, exited, elapsed" of the churn_burn group in $1
group() {
	python3 - "$1" <<'PY'
import json, sys
el = None
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("table") == "sample":
        el = row.get("elapsed_s")
    if row.get("table") == "groups" and row.get("group") == "churn_burn":
        print(row["run_time_ns"]["delta"], row.get("exited", 0), el)
PY
}
done_line() { awk '/^done/ {print $3, $5, $7}' "$T/ch.out"; }

start 5
sleep 0.5
"$B" -b -n 1 -d 3 -p "$CP" --no-probe --json >"$T/on.json" 2>"$T/err"
rc=$?
wait "$CP"; CP=
read -r cpu_ns created secs < <(done_line)
if grep -q 'no taskstats exit records' "$T/err"; then
	echo "1..0 # skip $(head -1 "$T/err")"
	exit 0
fi
ok $rc "-b --json exits 0"
read -r rate exited el < <(group "$T/on.json")
true_rate=$(awk -v c="${cpu_ns:-0}" -v s="${secs:-1}" 'BEGIN {printf "%.0f", c / s}')
want_exited=$(awk -v m="${created:-0}" -v s="${secs:-1}" -v e="${el:-0}" 'BEGIN {printf "%.1f", m / s * e}')
echo "# with exit records: run_time ${rate:-?} ns/s, exited ${exited:-?} over ${el:-?}s; target: ${true_rate} ns/s (getrusage ${cpu_ns:-?} ns over ${secs:-?}s), ${want_exited} threads created in the interval"
awk -v r="${rate:-0}" -v t="$true_rate" 'BEGIN {exit !(t > 0 && r >= t * 0.9 && r <= t * 1.1)}'
ok $? "run_time rate within 10 % of the target's own CPU time"
awk -v x="${exited:-0}" -v w="$want_exited" 'BEGIN {exit !(w > 0 && x >= w * 0.95 && x <= w * 1.05)}'
ok $? "exited within 5 % of the threads created in the interval"

start 4
sleep 0.5
"$B" -b -n 1 -d 2 -p "$CP" --no-probe --no-taskstats --json >"$T/off.json" 2>"$T/err"
read -r off_rate off_exited _ < <(group "$T/off.json")
"$B" -b -n 1 -d 1 -p "$CP" --no-probe >"$T/on.txt" 2>"$T/err"
wait "$CP"; CP=
read -r cpu_ns2 _ secs2 < <(done_line)
true2=$(awk -v c="${cpu_ns2:-0}" -v s="${secs2:-1}" 'BEGIN {printf "%.0f", c / s}')
echo "# without (--no-taskstats): run_time ${off_rate:-?} ns/s, exited ${off_exited:-?}; target ${true2} ns/s"
awk -v r="${off_rate:-0}" -v t="$true2" 'BEGIN {exit !(t > 0 && r < t * 0.5)}'
ok $? "without exit records the rate is visibly lower (under half)"
[ "${off_exited:-x}" = 0 ]; ok $? "without exit records no exited count in JSON"
awk 'NR == 2 {for (i = 1; i <= NF; i++) if ($i == "exited") c = i} $1 == "churn_burn" && c {v = $c} END {exit !(v > 150 && v < 250)}' "$T/on.txt"
ok $? "text: an exited column, about 200 for churn_burn over 1 s"
[ $fail = 0 ] || sed 's/^/#   /' "$T/on.txt"
echo "1..$n"
exit $fail
