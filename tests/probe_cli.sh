#!/bin/sh
# probe_cli.sh — ctprof-jemalloc-probe end to end against the fake_jemalloc helper: exact JSON
# values and schema-3 shape, multi-snapshot, the fatal markers (pid-missing, self-probe-rejected,
# jemalloc-not-found), usage errors (exit 2), the --abort-after-ms deadline and SIGINT.
B=${CTP_BUILD:-build}
PROBE=$B/ctprof-jemalloc-probe
FAKE=$B/tests/helpers/fake_jemalloc
T=$(mktemp -d)
n=0
fails=0
okk() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
cleanup() { [ -n "${FPID:-}" ] && kill -9 "$FPID" 2>/dev/null; [ -n "${SPID:-}" ] && kill -9 "$SPID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

if [ ! -x "$PROBE" ] || [ ! -x "$FAKE" ]; then echo "1..0 # SKIP probe binary or fake_jemalloc not built"; exit 0; fi
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }

"$FAKE" 3 >"$T/fake.out" &
FPID=$!
i=0
while ! grep -q READY "$T/fake.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

# 1. single snapshot JSON: exact values for every reported thread
"$PROBE" --pid "$FPID" --json >"$T/one.json" 2>"$T/one.err"
okk $? "single snapshot exits 0"
python3 - "$T/one.json" "$T/fake.out" "$FPID" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = {int(l.split()[1]): (int(l.split()[2]), int(l.split()[3])) for l in open(sys.argv[2]) if l.startswith("T ")}
assert d["schema_version"] == 3 and d["pid"] == int(sys.argv[3]) and d["interrupted"] is False
assert "interval_ms" not in d and len(d["snapshots"]) == 1
keys = list(d.keys())
assert keys == ["schema_version", "pid", "tool_version", "started_at_unix_sec", "interrupted", "snapshots"], keys
th = d["snapshots"][0]["threads"]
assert len(th) == 4 and [t["tid"] for t in th] == sorted(t["tid"] for t in th)
got = {t["tid"]: (t["allocated_bytes"], t["deallocated_bytes"]) for t in th}
assert got == want, (got, want)
assert all(list(t.keys()) == ["tid", "comm", "start_time_jiffies", "allocated_bytes", "deallocated_bytes"] for t in th)
assert d["snapshots"][0]["timestamp_unix_sec"] >= d["started_at_unix_sec"]
EOF
okk $? "JSON shape and exact counters of all 4 threads"

# 2. multi snapshot
"$PROBE" --pid "$FPID" --json --snapshots 3 --interval-ms 20 >"$T/multi.json"
okk $? "multi snapshot exits 0"
python3 - "$T/multi.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["snapshots"]
assert d["interval_ms"] == 20 and len(s) == 3 and not d["interrupted"]
assert all(s[i]["timestamp_unix_sec"] <= s[i + 1]["timestamp_unix_sec"] for i in range(2))
assert all(s[i]["elapsed_since_start_ns"] < s[i + 1]["elapsed_since_start_ns"] for i in range(2))
assert all(t == s[0]["threads"] for t in [x["threads"] for x in s])
EOF
okk $? "3 snapshots, ordered timestamps, identical counters"

# 3. text output
"$PROBE" --pid "$FPID" >"$T/text.out"
okk $? "text mode exits 0"
head -1 "$T/text.out" | grep -q "^pid=$FPID tool_version=" && grep -q "^--- snapshot 1/1 @ [0-9]*s ---$" "$T/text.out" &&
	[ "$(grep -c '^tid=[0-9]* comm=fake_jemalloc allocated_bytes=[0-9]* deallocated_bytes=[0-9]*$' "$T/text.out")" = 4 ]
okk $? "text lines"

# 4. fatal markers
"$PROBE" --pid 999999999 --json >"$T/f.out" 2>"$T/f.err"
rc=$?
[ $rc = 1 ] && [ ! -s "$T/f.out" ] && grep -q '^ktstr-probe-fatal: pid-missing$' "$T/f.err"
okk $? "vanished pid: exit 1, no JSON, pid-missing marker"
sh -c 'exec "$0" --pid $$' "$PROBE" >"$T/f.out" 2>"$T/f.err"
rc=$?
[ $rc = 1 ] && grep -q '^ktstr-probe-fatal: self-probe-rejected$' "$T/f.err"
okk $? "own pid: self-probe-rejected"
sleep 30 &
SPID=$!
sleep 0.1
"$PROBE" --pid "$SPID" >"$T/f.out" 2>"$T/f.err"
rc=$?
[ $rc = 1 ] && grep -q '^ktstr-probe-fatal: jemalloc-not-found$' "$T/f.err" && grep -q '^error: ' "$T/f.err"
okk $? "non-jemalloc target: jemalloc-not-found"

# 5. usage errors exit 2, help/version exit 0
for args in "--pid 0" "--pid -3" "--pid $FPID --abort-after-ms 0" "--pid $FPID --abort-after-ms 3600001" \
	"--pid $FPID --snapshots 2" "--pid $FPID --interval-ms 5" "--pid $FPID --snapshots 0 --interval-ms 5" \
	"--pid $FPID --snapshots 100001 --interval-ms 5" "--pid $FPID --snapshots 2 --interval-ms 3600001" \
	"--json" "--pid $FPID --bogus"; do
	"$PROBE" $args >/dev/null 2>&1
	[ $? = 2 ]
	okk $? "usage error exits 2: $args"
done
"$PROBE" --help >/dev/null && "$PROBE" --version | grep -q '^ctprof-jemalloc-probe '
okk $? "--help and --version exit 0"
"$PROBE" --pid "$FPID" --abort-after-ms 3600000 >/dev/null
okk $? "--abort-after-ms upper bound accepted"

# 6. deadline: partial output, interrupted, exit 0
"$PROBE" --pid "$FPID" --json --snapshots 100 --interval-ms 100 --abort-after-ms 300 >"$T/dl.json" 2>"$T/dl.err"
okk $? "deadline run exits 0"
grep -q '^ktstr-probe-deadline: abort after 300ms$' "$T/dl.err" && python3 - "$T/dl.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and 1 <= len(d["snapshots"]) < 100, len(d["snapshots"])
EOF
okk $? "deadline marker, interrupted true, 1 <= snapshots < 100"

# 7. SIGINT mid-run
"$PROBE" --pid "$FPID" --json --snapshots 50 --interval-ms 100 >"$T/int.json" 2>/dev/null &
PP=$!
sleep 0.35
kill -INT $PP
wait $PP
okk $? "SIGINT run exits 0"
python3 - "$T/int.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and 1 <= len(d["snapshots"]) < 50
EOF
okk $? "SIGINT: interrupted true, partial snapshots"

# 8. the target was never left stopped
st=$(for f in /proc/$FPID/task/*/stat; do sed 's/.*) \(.\).*/\1/' "$f"; done | sort -u | tr -d '\n')
case "$st" in *t*) r=1 ;; *) r=0 ;; esac
okk $r "no task of the target in tracing stop (states: $st)"
kill -0 "$FPID"
okk $? "target still running"

echo "1..$n"
[ $fails = 0 ]
