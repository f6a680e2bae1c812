#!/bin/bash
# probe_hostile_files.sh — issue 12 items 2 and 8 (probe CLI): `nobody` runs a program with a
# jemalloc tsd_tls symbol but no usable DWARF from a directory it owns, and plants what the probe
# will look for: a FIFO as <prog>.debuginfo, a FIFO as the .gnu_debuglink target, a symlink to
# /dev/zero or /dev/tty, a dwz alt link to a FIFO. `ctprof-jemalloc-probe`, `ctprof-top -o -` and `-b` finish and name the refused
# file; SIGTERM ends the probe CLI promptly (target never left in `t`); thread names carrying
# ESC/OSC sequences never reach the terminal raw. Needs root (to become nobody). TAP.
SRC=${CTP_SRCDIR:-$(pwd)}
B=${CTP_BUILD:-build}
case $B in /*) ;; *) B=$SRC/$B ;; esac
PROBE=$B/ctprof-jemalloc-probe
TOP=$B/ctprof-top
EVIL=$B/tests/helpers/evil_debugfile
FJ=$B/tests/helpers/fake_jemalloc

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root to switch to nobody"; exit 0; }
for f in "$PROBE" "$TOP" "$EVIL" "$FJ"; do [ -x "$f" ] || { echo "1..0 # SKIP $f not built"; exit 0; }; done
for t in setpriv timeout mkfifo python3 zstd; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t missing"; exit 0; }
done
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# every run is bounded: a hang shows as exit 124/137 instead of hanging the suite
T=(timeout -k 3 20)

W=$(mktemp -d /tmp/probefiles.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
chmod 0755 "$W"
cp "$EVIL" "$W/evil" && cp "$FJ" "$W/fj" && chmod 0755 "$W/evil" "$W/fj" || exit 1
D=$W/nobody # the attacker's own directory
mkdir "$D" && chown 65534:65534 "$D" || exit 1

n=0; fail=0
check() {
	n=$((n + 1))
	if eval "$1"; then echo "ok $n - $2"; else fail=1; echo "not ok $n - $2"; fi
}

# starts "$D/$1" as nobody with the remaining arguments; sets TPID once it printed READY
start_target() {
	local prog=$1; shift
	"${AS_NOBODY[@]}" "$D/$prog" "$@" >"$W/$prog.out" 2>/dev/null &
	TPID=$!; pids+=($TPID)
	for _ in $(seq 100); do grep -q READY "$W/$prog.out" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}

# no thread of pid in tracing stop / stopped, none traced
untouched() {
	local s
	for s in /proc/"$1"/task/*/status; do
		grep -qE '^State:[[:space:]]+[tT]' "$s" 2>/dev/null && return 1
		grep -qE '^TracerPid:[[:space:]]+[1-9]' "$s" 2>/dev/null && return 1
	done
	return 0
}

snap_probe_failure() {
	zstd -dc "$1" 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin)["probe_summary"]["dominant_failure"])'
}

# ---- 1. FIFO as <prog>.debuginfo ----
"${AS_NOBODY[@]}" sh -c 'cp "$1" "$2/prog" && mkfifo "$2/prog.debuginfo"' sh "$W/evil" "$D" || exit 1
start_target prog x || { echo "1..0 # SKIP target did not start as nobody"; exit 0; }
P=$TPID
"${T[@]}" "$PROBE" --pid "$P" >"$W/p1.out" 2>"$W/p1.err"
rc=$?
check '[ $rc = 1 ]' "probe CLI, FIFO .debuginfo: finishes with exit 1 (got $rc; 124/137 = hung)"
check 'grep -q "^ktstr-probe-fatal: dwarf-parse-failure$" "$W/p1.err" &&
	grep -q "refused [^ ]*/prog\.debuginfo: not a regular file" "$W/p1.err"' \
	"probe CLI names the refused FIFO: $(tail -n 1 "$W/p1.err")"
"${T[@]}" "$TOP" -o - --pid "$P" --no-taskstats >"$W/s1.zst" 2>"$W/s1.err"
rc=$?
check '[ $rc = 0 ] && [ "$(snap_probe_failure "$W/s1.zst")" = dwarf-parse-failure ]' \
	"ctprof-top -o - --pid: finishes (exit $rc), probe summary says dwarf-parse-failure"
"${T[@]}" "$TOP" -b -n 1 -d 0.2 -p "$P" --no-taskstats >"$W/b1.out" 2>"$W/b1.err"
rc=$?
check '[ $rc = 0 ] && grep -q prog "$W/b1.out"' "ctprof-top -b -p: finishes (exit $rc) and lists the target"

# SIGTERM while the probe would be stuck on the FIFO (it was unkillable: SA_RESTART)
"$PROBE" --pid "$P" >/dev/null 2>&1 &
PP=$!; pids+=($PP)
sleep 1
kill -TERM $PP 2>/dev/null
for _ in $(seq 100); do kill -0 $PP 2>/dev/null || break; sleep 0.1; done
kill -0 $PP 2>/dev/null && alive=1 || alive=0
check '[ $alive = 0 ]' "probe CLI gone within 10 s of SIGTERM (FIFO target)"
kill -9 $PP 2>/dev/null
check 'untouched $P' "FIFO target: no thread stopped or traced"

# ---- 2. FIFO as the .gnu_debuglink target (no .debuginfo/.debug) ----
"${AS_NOBODY[@]}" sh -c 'cd "$2" && cp "$1" prog2 && : >evil.dbg && objcopy --add-gnu-debuglink=evil.dbg prog2 &&
	rm evil.dbg && mkfifo evil.dbg' sh "$W/evil" "$D" 2>"$W/objcopy.err"
if [ -p "$D/evil.dbg" ] && start_target prog2 y; then
	"${T[@]}" "$PROBE" --pid "$TPID" >"$W/p2.out" 2>"$W/p2.err"
	rc=$?
	check '[ $rc = 1 ] && grep -q "refused [^ ]*/evil\.dbg: not a regular file" "$W/p2.err"' \
		"probe CLI, FIFO debuglink target: exit $rc, refused: $(tail -n 1 "$W/p2.err")"
	"${T[@]}" "$TOP" -o - --pid "$TPID" --no-taskstats >"$W/s2.zst" 2>/dev/null
	rc=$?
	check '[ $rc = 0 ] && [ "$(snap_probe_failure "$W/s2.zst")" = dwarf-parse-failure ]' \
		"ctprof-top -o - --pid, FIFO debuglink target: finishes (exit $rc)"
else
	n=$((n + 1)); echo "ok $n # SKIP objcopy --add-gnu-debuglink unavailable: $(head -c 200 "$W/objcopy.err")"
fi

# ---- 3. <prog>.debuginfo -> /dev/zero: a device is never read ----
"${AS_NOBODY[@]}" sh -c 'cp "$1" "$2/prog3" && ln -s /dev/zero "$2/prog3.debuginfo"' sh "$W/evil" "$D" || exit 1
start_target prog3 z || exit 1
"${T[@]}" "$PROBE" --pid "$TPID" >"$W/p3.out" 2>"$W/p3.err"
rc=$?
check '[ $rc = 1 ] && grep -q "refused [^ ]*/prog3\.debuginfo: not a regular file" "$W/p3.err"' \
	"probe CLI, /dev/zero symlink: exit $rc, refused: $(tail -n 1 "$W/p3.err")"

# ---- 3a. <prog>.debuginfo -> /dev/tty: the driver never sees an open() (without a controlling
# terminal, opening /dev/tty fails ENXIO; checking the type first says "not a regular file") ----
"${AS_NOBODY[@]}" sh -c 'cp "$1" "$2/prog7" && ln -s /dev/tty "$2/prog7.debuginfo"' sh "$W/evil" "$D" || exit 1
start_target prog7 v || exit 1
setsid "${T[@]}" "$PROBE" --pid "$TPID" >"$W/p7.out" 2>"$W/p7.err" </dev/null
rc=$?
check '[ $rc = 1 ] && grep -q "refused [^ ]*/prog7\.debuginfo: not a regular file" "$W/p7.err"' \
	"probe CLI, /dev/tty symlink: device not opened, exit $rc: $(tail -n 1 "$W/p7.err")"

# ---- 3b. a debug file whose .gnu_debugaltlink (dwz) names a FIFO: libdw would open() it
# itself, blocking; the probe opens alt files on its own and refuses this one ----
"${AS_NOBODY[@]}" sh -c 'cd "$3" && cp "$1" prog6 && cp "$2" prog6.debuginfo && mkfifo alt.fifo &&
	python3 -c "import sys; open(\"alt.link\", \"wb\").write(sys.argv[1].encode() + b\"\\0\" + bytes(range(20)))" "$3/alt.fifo" &&
	objcopy --add-section .gnu_debugaltlink=alt.link prog6.debuginfo' sh "$W/evil" "$W/fj" "$D" 2>"$W/objcopy6.err"
if start_target prog6 w && [ -s "$D/alt.link" ]; then
	"${T[@]}" "$PROBE" --pid "$TPID" >"$W/p6.out" 2>"$W/p6.err"
	rc=$?
	check '[ $rc = 1 ] && grep -q "refused [^ ]*/alt\.fifo: not a regular file" "$W/p6.err"' \
		"probe CLI, dwz alt link to a FIFO: exit $rc, refused: $(tail -n 1 "$W/p6.err")"
else
	n=$((n + 1)); echo "ok $n # SKIP objcopy --add-section unavailable: $(head -c 200 "$W/objcopy6.err")"
fi

# ---- 4. a regular debug file is still used; hostile thread names are escaped ----
"${AS_NOBODY[@]}" sh -c 'cp "$1" "$3/prog4" && cp "$2" "$3/prog4.debuginfo"' sh "$W/evil" "$W/fj" "$D" || exit 1
start_target prog4 'evil\e]0;pwned\a' '\e[2J' || exit 1
P4=$TPID
"${T[@]}" "$PROBE" --pid "$P4" >"$W/p4.out" 2>"$W/p4.err"
rc=$?
check '[ $rc = 0 ] && [ "$(grep -c "^tid=[0-9]* comm=.* allocated_bytes=[0-9]* deallocated_bytes=[0-9]*$" "$W/p4.out")" = 3 ]' \
	"regular .debuginfo next to the program: attach works, 3 thread lines (exit $rc)"
check '! grep -q "$(printf "\033")" "$W/p4.out" "$W/p4.err"' "probe CLI text output holds no ESC byte"
check 'grep -qF "comm=evil\x1b]0;pwned\x07 " "$W/p4.out" && grep -qF "comm=\x1b[2J " "$W/p4.out"' \
	"names shown escaped as the batch printer does (\\xNN)"
"${T[@]}" "$PROBE" --pid "$P4" --json >"$W/p4.json" 2>"$W/p4j.err"
check '! grep -q "$(printf "\033")" "$W/p4.json" "$W/p4j.err" && python3 -c "
import json, sys
names = sorted(t.get(\"comm\", \"\") for t in json.load(open(sys.argv[1]))[\"snapshots\"][0][\"threads\"])
assert names == sorted([\"prog4\", \"evil\x1b]0;pwned\x07\", \"\x1b[2J\"]), names" "$W/p4.json"' \
	"JSON keeps the exact names, escaped as JSON (no raw ESC byte)"

# ---- 5. SIGTERM mid-run: threads stuck in vfork never stop for the probe (each one cost a
# 500 ms wait before the per-sample budget; the run was deaf to SIGTERM until it ended) ----
"${AS_NOBODY[@]}" sh -c 'cp "$1" "$3/prog5" && cp "$2" "$3/prog5.debuginfo"' sh "$W/evil" "$W/fj" "$D" || exit 1
start_target prog5 --vfork 40 || exit 1
P5=$TPID
"$PROBE" --pid "$P5" --json --snapshots 100000 --interval-ms 1 >"$W/p5.json" 2>"$W/p5.err" &
PP=$!; pids+=($PP)
sleep 1
kill -TERM $PP
t0=$(date +%s)
for _ in $(seq 100); do kill -0 $PP 2>/dev/null || break; sleep 0.1; done
kill -0 $PP 2>/dev/null && alive=1 || alive=0
wait $PP 2>/dev/null
rc=$?
check '[ $alive = 0 ] && [ $rc = 0 ]' "SIGTERM mid-run on 40 vfork-stuck threads: probe gone within 10 s ($(($(date +%s) - t0)) s), exit $rc"
check 'python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"interrupted\"] is True" "$W/p5.json"' \
	"interrupted run still prints its JSON with interrupted: true"
sleep 0.5
check 'untouched $P5' "vfork target: no thread left stopped or traced after SIGTERM"
check 'kill -0 $P5' "vfork target still alive"

echo "1..$n"
exit $fail
