#!/usr/bin/env bash
# window_batch.sh — window baselines in batch and offline (issue 15): a helper spinning one thread
# in the base window (two -o captures) and two in the live window shows base ≈ 1.0 s/s and live ≈
# 2.0 s/s of run_time for its group in `-b --json -B A,B` (±5 %), -B BASE finds its .end partner,
# a plain single-file -B keeps the cumulative difference, `--compare A1,A2 B1,B2` compares two
# windows, and bad windows (wrong order, other host, a window vs a file) exit 2 with one line.
set -u
B=${CTP_BUILD:-build}/ctprof-top
SPIN=${CTP_BUILD:-build}/tests/helpers/spin_threads
T=$(mktemp -d /tmp/ctp-winb-XXXXXX)
SP=
trap '[ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
skip() { n=$((n+1)); echo "ok $n # skip $1"; }

# run time of the helper's threads so far (ns), from the kernel, to tell a loaded machine
runtime() { cat /proc/"$SP"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
now_ns() { date +%s%N; }

"$SPIN" >"$T/spin.out" & SP=$!
for _ in $(seq 50); do grep -q '^ready' "$T/spin.out" && break; sleep 0.1; done
grep -q "^ready $SP\$" "$T/spin.out"; ok $? "spin_threads is ready"
sleep 0.5
cap() { "$B" -o "$T/$1" -p "$SP" --no-probe 2>/dev/null; }
cap base.ctprof.zst; r0=$(runtime) t0=$(now_ns)
sleep 1.5
cap base.end.ctprof.zst; r1=$(runtime) t1=$(now_ns)
kill -USR1 "$SP"
sleep 0.5
cap live.ctprof.zst; r4=$(runtime) t4=$(now_ns)
sleep 1.5
cap live.end.ctprof.zst
ok $? "four captures of the helper"
r5=$(runtime) t5=$(now_ns)
got() { awk -v r="$1" -v t="$2" 'BEGIN {printf "%.3f", r / t}'; }
base_got=$(got $((r1 - r0)) $((t1 - t0))) win_got=$(got $((r5 - r4)) $((t5 - t4)))

# -b against a window baseline: the live window is one -d interval
r2=$(runtime) t2=$(now_ns)
"$B" -b -n 1 -d 1.5 -p "$SP" --no-probe --json -B "$T/base.ctprof.zst,$T/base.end.ctprof.zst" >"$T/b.json" 2>"$T/err"
rc=$?
r3=$(runtime) t3=$(now_ns)
live_got=$(got $((r3 - r2)) $((t3 - t2)))
ok $rc "-b --json -B A,B exits 0"
# "base live window_s base_window_s" of the helper's group, from the wide JSON row
rates() {
	python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("table") == "groups" and row.get("group") == "spin_threads":
        c = row["run_time_ns"]
        print(c["base_rate"] / 1e9, c["live_rate"] / 1e9, c["window_s"], c["base_window_s"], c["unit"])
PY
}
read -r base live wins bwins unit < <(rates "$T/b.json")
echo "# batch: base ${base:-?} live ${live:-?} s/s over ${wins:-?}s / ${bwins:-?}s (kernel: ${base_got} and ${live_got} s/s)"
[ "${unit:-}" = "ns/s" ] && awk -v w="${wins:-0}" -v b="${bwins:-0}" 'BEGIN {exit !(w > 1.3 && w < 3 && b > 1.3 && b < 3)}'
ok $? "JSON carries base_rate, live_rate, window_s, base_window_s, unit ns/s"
within() { awk -v v="${1:-0}" -v want="$2" 'BEGIN {exit !(v >= want * 0.95 && v <= want * 1.05)}'; }
if awk -v b="$base_got" -v l="$live_got" 'BEGIN {exit !(b >= 0.95 && l >= 1.9)}'; then
	within "$base" 1.0; ok $? "base window: run_time ≈ 1.0 s/s (${base:-?})"
	within "$live" 2.0; ok $? "live window: run_time ≈ 2.0 s/s (${live:-?})"
else
	skip "machine too loaded: the helper got ${base_got} and ${live_got} s/s of CPU"
	skip "machine too loaded"
fi
near() { awk -v v="${1:-0}" -v k="$2" 'BEGIN {exit !(v >= k * 0.85 && v <= k * 1.15)}'; }
near "$base" "$base_got" && near "$live" "$live_got"
ok $? "the rates agree with the kernel's run time around each window (±15 %)"
grep -q '"table":"sample".*"window_s":.*"base_window_s":.*"baseline_a":' "$T/b.json"; ok $? "the sample line names the window"

# -B BASE finds BASE.end; the text header says so
"$B" -b -n 1 -d 0.3 -p "$SP" --no-probe -B "$T/base.ctprof.zst" >"$T/b.txt" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "window baseline $T/base.ctprof.zst .. $T/base.end.ctprof.zst (.end partner found, [0-9.]*s) vs live rate over the last 0\.[0-9]*s" "$T/b.txt"
ok $? "-B BASE: the .end partner, named in the header"
grep -q '^spin_threads ' "$T/b.txt"; ok $? "text rows show the group"

# -B DIR: a recording's first and last files (names by UTC time, as --record writes them)
mkdir -p "$T/rec" "$T/empty"
cp "$T/base.ctprof.zst" "$T/rec/20260101T000000.000Z.ctprof.zst"
cp "$T/base.end.ctprof.zst" "$T/rec/20260101T000001.500Z.ctprof.zst"
"$B" -b -n 1 -d 0.3 -p "$SP" --no-probe -B "$T/rec" >"$T/d.txt" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "window baseline $T/rec/20260101T000000.000Z.ctprof.zst .. $T/rec/20260101T000001.500Z.ctprof.zst (recording samples 1..2 of 2, " "$T/d.txt"
ok $? "-B DIR: the recording's first and last files"
"$B" -b -n 1 -d 0.3 -B "$T/empty" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -qF "$T/empty" "$T/err"
ok $? "-B of an empty directory: exit 2, one line naming it"
[ $rc = 2 ] || echo "# rc=$rc: $(cat "$T/err")"

# a plain single-file baseline: the cumulative difference, as before
cp "$T/base.end.ctprof.zst" "$T/single.ctprof.zst"
"$B" -b -n 1 -p "$SP" --no-probe --json -B "$T/single.ctprof.zst" >"$T/s.json" 2>"$T/err"; rc=$?
python3 - "$T/s.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("table") == "groups" and row.get("group") == "spin_threads":
        c = row["run_time_ns"]
        assert "base_rate" not in c and c["unit"] == "ns", c
        assert abs(c["delta"] - (c["live"] - c["base"])) < 1e6 and c["delta"] > 2e9, c
        sys.exit(0)
sys.exit(1)
PY
ok $(( rc | $? )) "single-file -B: delta = live - base of the cumulative run time"
grep -q "since baseline" "$T/s.json" || "$B" -b -n 1 -p "$SP" --no-probe -B "$T/single.ctprof.zst" 2>/dev/null | grep -q "since baseline"
ok $? "single-file -B header: since baseline"

# offline: two windows
"$B" --compare "$T/base.ctprof.zst,$T/base.end.ctprof.zst" "$T/live.ctprof.zst,$T/live.end.ctprof.zst" --json >"$T/c.json" 2>"$T/err"
rc=$?
read -r cb cl < <(python3 - "$T/c.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("group") == "spin_threads" and row.get("metric") == "run_time_ns":
        print(row["base_rate"] / 1e9, row["live_rate"] / 1e9)
PY
)
echo "# compare: base ${cb:-?} live ${cl:-?} s/s (kernel: ${base_got} and ${win_got} s/s)"
[ $rc = 0 ] && awk -v b="${cb:-0}" -v l="${cl:-0}" 'BEGIN {exit !(b > 0.1 && b < 1.05 && l > 0.1 && l < 2.1)}'
ok $? "--compare A1,A2 B1,B2 --json: base_rate and live_rate of two windows"
if awk -v b="$base_got" -v l="$win_got" 'BEGIN {exit !(b >= 0.95 && l >= 1.9)}'; then
	within "$cb" 1.0 && within "$cl" 2.0; ok $? "--compare of windows: 1.0 and 2.0 s/s"
else
	skip "machine too loaded: the helper got ${base_got} and ${win_got} s/s of CPU"
fi
"$B" --compare "$T/base.ctprof.zst,$T/base.end.ctprof.zst" "$T/live.ctprof.zst,$T/live.end.ctprof.zst" >"$T/c.txt" 2>&1
grep -q "^rate vs baseline rate: window $T/base.ctprof.zst .. $T/base.end.ctprof.zst" "$T/c.txt" &&
	grep -Eq '^spin_threads +2[^ ]+3 +run_time_ns +[0-9.]+% +[0-9.]+% +[-+][0-9.]+% .*%cpu' "$T/c.txt"
ok $? "--compare of windows, text: rates per second in %cpu"
"$B" --compare "$T/base.ctprof.zst" "$T/live.end.ctprof.zst" >"$T/plain.txt" 2>&1
grep -q "^## Primary metrics" "$T/plain.txt" && ! grep -q "rate vs baseline" "$T/plain.txt"
ok $? "--compare A B unchanged (no .end partner lookup)"

# refusals: one line naming both files, exit 2
one_line() { # what rc file expected...
	local what=$1 rc=$2 f=$3; shift 3
	local good=0
	[ "$rc" = 2 ] && [ "$(wc -l <"$f")" = 1 ] || good=1
	for s in "$@"; do grep -qF -- "$s" "$f" || good=1; done
	ok $good "$what"
	[ $good = 0 ] || echo "# rc=$rc: $(cat "$f")"
}
"$B" -b -n 1 -d 0.2 -p "$SP" --no-probe -B "$T/base.end.ctprof.zst,$T/base.ctprof.zst" >/dev/null 2>"$T/err"
one_line "-b: a window in the wrong order" $? "$T/err" "$T/base.end.ctprof.zst, $T/base.ctprof.zst: out of order"
python3 - "$T" <<'PY'
import json, subprocess, sys
t = sys.argv[1]
raw = subprocess.run(["zstd", "-q", "-d", "-c", f"{t}/base.end.ctprof.zst"], capture_output=True).stdout
doc = json.loads(raw)
doc.setdefault("host", {}) ; doc["host"] = doc["host"] or {}
doc["host"]["kernel_release"] = "0.0.1-elsewhere"
data = subprocess.run(["zstd", "-q", "-c"], input=json.dumps(doc).encode(), capture_output=True).stdout
open(f"{t}/other.ctprof.zst", "wb").write(data)
PY
"$B" --compare "$T/base.ctprof.zst,$T/other.ctprof.zst" "$T/live.ctprof.zst,$T/live.end.ctprof.zst" >/dev/null 2>"$T/err"
one_line "--compare: a window across two hosts" $? "$T/err" "$T/base.ctprof.zst, $T/other.ctprof.zst: different hosts: kernel_release"
"$B" --compare "$T/live.end.ctprof.zst,$T/live.ctprof.zst" "$T/base.ctprof.zst,$T/base.end.ctprof.zst" >/dev/null 2>"$T/err"
one_line "--compare: the first window in the wrong order" $? "$T/err" "$T/live.end.ctprof.zst, $T/live.ctprof.zst: out of order"
"$B" --compare "$T/base.ctprof.zst,$T/base.end.ctprof.zst" "$T/live.ctprof.zst" >/dev/null 2>"$T/err"
one_line "--compare: a window against one file" $? "$T/err" "--compare: a window (A1,A2) compares with a window only"
"$B" -b -n 1 -B "$T/base.ctprof.zst,$T/missing.ctprof.zst" >/dev/null 2>"$T/err"
one_line "-b: a missing file of a window" $? "$T/err" "$T/missing.ctprof.zst"

echo "1..$n"
exit $fail
