#!/usr/bin/env bash
# spread.sh — spread within a group (issue 17 item 1) end to end: hot_threads runs 8 workers, one
# burning 8x the CPU of the others (1 ms vs 8 ms of thread CPU time per 40 ms); `-b --spread
# --json` gives its group's run_time_ns spread p50 ≈ a cold worker (25 ms/s), max ≈ the hot one
# (200 ms/s), imbalance ≈ 8 (±15 %), min 0 (the idle main thread); the text table names it;
# without --spread there is no spread object.
set -u
B=${CTP_BUILD:-build}/ctprof-top
HOT=${CTP_BUILD:-build}/tests/helpers/hot_threads
T=$(mktemp -d /tmp/ctp-spread-XXXXXX)
HP=
trap '[ -n "$HP" ] && kill "$HP" 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

"$HOT" >"$T/hot.out" & HP=$!
for _ in $(seq 50); do grep -q '^ready' "$T/hot.out" && break; sleep 0.1; done
grep -q "^ready $HP\$" "$T/hot.out"; ok $? "hot_threads is ready"
sleep 0.5
"$B" -b -n 1 -d 3 -p "$HP" --no-probe --json --spread >"$T/s.json" 2>"$T/err"
ok $? "-b --json --spread exits 0"
# "min p50 p90 max imbalance threads" of the group's run_time_ns
read -r mn p50 p90 mx imb thr < <(python3 - "$T/s.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("table") == "groups" and row.get("group") == "hot_threads":
        s = row["run_time_ns"].get("spread", {})
        print(*(s.get(k) for k in ("min", "p50", "p90", "max", "imbalance", "threads")))
PY
)
echo "# run_time_ns spread: min ${mn:-?} p50 ${p50:-?} p90 ${p90:-?} max ${mx:-?} ns/s, imbalance ${imb:-?}, ${thr:-?} threads"
within() { awk -v v="${1:-x}" -v want="$2" 'BEGIN {exit !(v + 0 == v && v >= want * 0.85 && v <= want * 1.15)}'; }
[ "${thr:-}" = 9 ] && [ "${mn:-}" = 0 ]; ok $? "9 threads, min 0 (the main thread waits in pause)"
within "${p50:-}" 25000000; ok $? "p50 ≈ a cold worker's 25 ms/s (±15 %)"
within "${mx:-}" 200000000; ok $? "max ≈ the hot worker's 200 ms/s (±15 %)"
within "${imb:-}" 8; ok $? "imbalance ≈ 8 (±15 %)"

"$B" -b -n 1 -d 1 -p "$HP" --no-probe --spread >"$T/s.txt" 2>"$T/err"
grep -q '^## spread' "$T/s.txt" &&
	awk '$1 == "hot_threads" && $2 == "run_time_ns" && $3 == 9 {ok = $8 > 6 && $8 < 10} END {exit !ok}' "$T/s.txt"
ok $? "text: the spread table's run_time_ns line, 9 threads, imbalance about 8"
[ $fail = 0 ] || { echo "# text:"; sed 's/^/#   /' "$T/s.txt"; }

"$B" -b -n 1 -d 0.5 -p "$HP" --no-probe --json >"$T/n.json" 2>"$T/err"
! grep -q '"spread"' "$T/n.json" && grep -q '"run_time_ns"' "$T/n.json"; ok $? "without --spread: no spread object"
"$B" -b -n 1 -d 0.5 -p "$HP" --no-probe >"$T/n.txt" 2>"$T/err"
! grep -q '^## spread' "$T/n.txt"; ok $? "without --spread: no spread table"
echo "1..$n"
exit $fail
