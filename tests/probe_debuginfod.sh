#!/bin/sh
# probe_debuginfod.sh — issue 19 item 3 end to end: a fully stripped worker whose debug file only
# Debian's debuginfod -F serves (free port, temp database and client cache) is read exactly by
# ctprof-jemalloc-probe (two snapshots) and ctprof-top -o; --no-debuginfod never contacts the
# server; with it stopped both finish in time. Skips when debuginfod cannot start.
B=${CTP_BUILD:-build}
PROBE=$B/ctprof-jemalloc-probe
TOP=$B/ctprof-top
W=$B/tests/helpers/dbg_fake_je
T=$(mktemp -d /tmp/ctp-dbgd.XXXXXX)
n=0
fails=0
okk() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
cleanup() {
	[ -n "${WPID:-}" ] && kill -9 "$WPID" 2>/dev/null
	[ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

for f in "$PROBE" "$TOP" "$W"; do [ -x "$f" ] || { echo "1..0 # SKIP $f not built"; exit 0; }; done
for c in debuginfod objcopy strip readelf python3 zstd; do
	command -v $c >/dev/null || { echo "1..0 # SKIP $c missing (make deps)"; exit 0; }
done

# the stripped target and its debug file, which only the server has
mkdir -p "$T/bin" "$T/srv" "$T/empty" || exit 1
objcopy --only-keep-debug "$W" "$T/srv/w.debug" && strip --strip-all -o "$T/bin/w" "$W" || exit 1
ID=$(readelf -n "$T/bin/w" | sed -n 's/.*Build ID: *//p')
[ -n "$ID" ] || { echo "1..0 # SKIP the helper has no build-id"; exit 0; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
debuginfod -F -d "$T/db.sqlite" -p "$PORT" -t 0 -g 0 -c 1 -v "$T/srv" >"$T/dbgd.log" 2>&1 &
DPID=$!
# up and indexed: the debug file is served (bounded: 20 s)
python3 - "$PORT" "$ID" <<'EOF' || { echo "1..0 # SKIP debuginfod did not serve within 20 s: $(tail -c 300 "$T/dbgd.log")"; exit 0; }
import sys, time, urllib.request
url = "http://127.0.0.1:%s/buildid/%s/debuginfo" % (sys.argv[1], sys.argv[2])
end = time.time() + 20
while time.time() < end:
    try:
        if urllib.request.urlopen(url, timeout=2).status == 200:
            sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(1)
EOF
requests() { grep -c "buildid/$ID/debuginfo" "$T/dbgd.log"; }

export DEBUGINFOD_URLS="http://127.0.0.1:$PORT"
"$T/bin/w" 4 >"$T/w.out" &
WPID=$!
i=0
while ! grep -q READY "$T/w.out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done

# exact FILE SNAPSHOT_KEY: every thread of the last snapshot (probe JSON or ctprof-top's) equals
# the worker's T lines, and no snapshot holds a wrong value
exact() {
	python3 - "$1" "$T/w.out" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = {}
for l in open(sys.argv[2]):
    if l.startswith("T "):
        f = l.split()
        want[int(f[1])] = (int(f[2]), int(f[3]))
assert len(want) == 5, want
snaps = d["snapshots"] if sys.argv[3] == "probe" else [d]
for s in snaps:
    if sys.argv[3] == "probe":
        got = {t["tid"]: (t["allocated_bytes"], t["deallocated_bytes"]) for t in s["threads"] if "allocated_bytes" in t}
    else:
        got = {t["tid"]: (t["allocated_bytes"], t["deallocated_bytes"]) for t in s["threads"] if t["jemalloc_measured"]}
    assert all(want.get(k) == v for k, v in got.items()), (got, want)
assert got == want, (got, want)
EOF
}

# 1. --no-debuginfod: the server is never asked (its log), nothing lands in the client cache
before=$(requests)
DEBUGINFOD_CACHE_PATH=$T/cache0 "$PROBE" --pid "$WPID" --json --no-debuginfod >"$T/n.json" 2>"$T/n.err"
rc=$?
[ $rc = 1 ] && grep -q "^ktstr-probe-fatal: jemalloc-not-found$" "$T/n.err" && [ "$(requests)" = "$before" ] &&
	[ ! -e "$T/cache0/$ID" ]
okk $? "--no-debuginfod: not measured, the server not contacted (exit $rc: $(tail -1 "$T/n.err" | head -c 150))"
DEBUGINFOD_CACHE_PATH=$T/cache0 "$TOP" -o - --pid "$WPID" --no-taskstats --no-debuginfod 2>/dev/null | zstd -dc >"$T/n.o.json" 2>/dev/null
python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(d["probe_summary"]["jemalloc_detected"] != 0)' "$T/n.o.json" &&
	[ "$(requests)" = "$before" ]
okk $? "ctprof-top -o --no-debuginfod: not detected, the server not contacted"

# 2. with debuginfod: exact over two snapshots (the second from the caches), the file cached
export DEBUGINFOD_CACHE_PATH=$T/cache
"$PROBE" --pid "$WPID" --json --snapshots 2 --interval-ms 100 >"$T/p.json" 2>"$T/p.err"
okk $? "probe CLI through debuginfod exits 0 ($(head -c 200 "$T/p.err"))"
exact "$T/p.json" probe
okk $? "probe CLI: all 5 threads exact in both snapshots"
[ -s "$T/cache/$ID/debuginfo" ] && [ "$(requests)" -gt "$before" ]
okk $? "the server was asked and the client cache holds the debug file"
"$TOP" -o - --pid "$WPID" --no-taskstats 2>"$T/o.err" | zstd -dc >"$T/o.json" 2>/dev/null
exact "$T/o.json" top
okk $? "ctprof-top -o: all 5 threads exact (from the client cache)"

# 3. the server stopped, a fresh client cache: both finish, well within a generous bound
kill "$DPID" && wait "$DPID" 2>/dev/null
DPID=
export DEBUGINFOD_CACHE_PATH=$T/cache2
t0=$(date +%s%N)
"$PROBE" --pid "$WPID" --json >"$T/s.json" 2>"$T/s.err"
rc=$?
"$TOP" -o - --pid "$WPID" --no-taskstats 2>/dev/null | zstd -dc >"$T/s.o.json" 2>/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# server stopped: probe CLI and ctprof-top -o took $ms ms together (budget 2 s each)"
[ $rc = 1 ] && grep -q "debuginfod: " "$T/s.err" && [ $ms -lt 15000 ] &&
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(d["probe_summary"]["jemalloc_detected"] != 0)' "$T/s.o.json"
okk $? "server stopped: not measured, the reason names debuginfod, done in $ms ms (< 15 s)"

echo "1..$n"
[ $fails = 0 ]
