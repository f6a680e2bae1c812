#!/usr/bin/env bash
# record.sh — `--record DIR` and `-o BASE --window SECS` end to end: files named by UTC time that
# pass ctprof-validate, one start line and nothing per interval, retention by size and age that
# never touches a foreign file, SIGTERM/SIGINT leaving no temp or partial file, a full disk
# (tmpfs) reported once while the recorder keeps running, the window pair, usage errors.
set -u
B=${CTP_BUILD:-build}/ctprof-top
V=${CTP_SRCDIR:-.}/../shared/tools/ctprof-validate
T=$(mktemp -d /tmp/ctp-record-XXXXXX)
MNT=""
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
skip() { n=$((n+1)); echo "ok $n # skip $1"; }
NAME_RE='^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z\.ctprof\.zst$'
ours() { ls -A "$1" | grep -E "$NAME_RE"; }
temps() { ls -A "$1" | grep -c 'tmp'; }
# every recording file of DIR loads (--show); prints the bad ones
all_load() {
	local f bad=0
	[ -n "$(ours "$1")" ] || { echo "# no recording files in $1"; return 1; }
	for f in $(ours "$1"); do
		"$B" --show "$1/$f" >/dev/null 2>&1 || { echo "# does not load: $f"; bad=1; }
	done
	return $bad
}
# runs the recorder in the background until CONDITION holds (checked every 0.1 s, at most
# 20 s), then SECS more, then sends SIGNAL: record DIR CONDITION SECS SIGNAL ARGS...
record() {
	local dir=$1 cond=$2 secs=$3 sig=$4
	shift 4
	"$B" --record "$dir" --no-probe "$@" 2>"$T/err" &
	local pid=$!
	for _ in $(seq 200); do eval "$cond" && break; sleep 0.1; done
	sleep "$secs"
	kill -"$sig" $pid
	wait $pid
}
count_ge() { [ "$(ours "$1" 2>/dev/null | wc -l)" -ge "$2" ]; }

# ---- usage errors: one line, exit 2 ----
usage() { # expected-text args...
	local want=$1
	shift
	"$B" "$@" </dev/null >/dev/null 2>"$T/err"; local rc=$?
	[ $rc = 2 ] && grep -qF -- "$want" "$T/err"
	ok $? "usage: $* -> exit 2, '$want'"
	[ $rc = 2 ] || echo "# rc=$rc: $(head -2 "$T/err")"
}
touch "$T/plainfile"
ln -s "$T" "$T/link"
usage "--window goes with -o FILE" --window 1
usage "--window writes two files" -o - --window 1
usage "--record DIR goes without -o" --record "$T/r0" -o "$T/x"
usage "--record DIR goes without -o" -o "$T/x" --record "$T/r0"
usage "--record-max-size and --record-max-age go with --record" --record-max-size 1M
usage "--record-max-size: '12Q' is not a size" --record "$T/r0" --record-max-size 12Q
usage "--record-max-size: '0' is not a size" --record "$T/r0" --record-max-size 0
usage "--record-max-age: 'soon' is not a duration" --record "$T/r0" --record-max-age soon
usage "is a symbolic link" --record "$T/link"
usage "not a directory" --record "$T/plainfile"
[ ! -e "$T/r0" ] && [ ! -e "$T/x" ]; ok $? "refused runs wrote nothing"

# ---- -o BASE --window: BASE and BASE.end.ctprof.zst ----
"$B" -o "$T/w.ctprof.zst" --window 0.5 --no-probe 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "wrote [0-9]* threads to $T/w.ctprof.zst (" "$T/err" &&
	grep -q "wrote [0-9]* threads to $T/w.end.ctprof.zst (.*0.50 s later" "$T/err"; ok $? "--window writes and names both files"
"$B" --show "$T/w.end.ctprof.zst" >"$T/show" 2>&1 && grep -q "thread_count" "$T/show"; ok $? "--show loads the .end partner"
d=$(python3 -c "import json,subprocess,sys
t=[json.loads(subprocess.run(['zstd','-dcq',f],capture_output=True).stdout)['captured_at_unix_ns'] for f in sys.argv[1:]]
print('%.3f' % ((t[1]-t[0])/1e9))" "$T/w.ctprof.zst" "$T/w.end.ctprof.zst" 2>/dev/null)
python3 -c "import sys; sys.exit(0 if 0.45 <= float(sys.argv[1] or 0) <= 5 else 1)" "$d"
ok $? "the .end capture is ~0.5 s after the first (${d:-none} s)"

# ---- --record -d 0.2 for ~3 s ----
R=$T/rec
record "$R" 'count_ge "$R" 10' 0 TERM -d 0.2; rc=$?
cnt=$(ours "$R" | wc -l)
[ $rc = 0 ] && [ "$cnt" -ge 10 ]; ok $? "--record -d 0.2 for ~2 s: $cnt files (>= 10), exit $rc"
[ "$(stat -c %a "$R")" = 700 ]; ok $? "DIR created 0700"
[ "$(ls -A "$R" | wc -l)" = "$cnt" ]; ok $? "nothing but recording files in DIR (no temps)"
[ "$(wc -l <"$T/err")" = 2 ] && head -1 "$T/err" | grep -q "^ctprof-top: recording to $R every 0.2 s, at most 512 MiB" &&
	tail -1 "$T/err" | grep -q "stopped"; ok $? "one start line, one stop line, nothing per interval"
[ $(( $(ours "$R" | sort | tail -1 | cut -c1-8) )) -ge 20000101 ]; ok $? "names are UTC dates"
if [ -x "$V" ]; then
	vb=0
	[ "$(ours "$R" | wc -l)" -ge 5 ] || vb=1
	for f in $(ours "$R" | sed -n '1p;5p;$p'); do "$V" "$R/$f" >/dev/null 2>&1 || { vb=1; echo "# invalid: $f"; }; done
	ok $vb "first, fifth and last recorded files pass ctprof-validate"
else
	skip "ctprof-validate not found at $V"
fi

# ---- retention by size: the oldest of ours go, foreign files stay ----
R=$T/ret
mkdir -m 700 "$R"
echo keep >"$R/notes.txt"
echo keep >"$R/20200101T000000.000Z.ctprof.zst.bak"
echo keep >"$T/outside"
ln -s "$T/outside" "$R/20200101T000001.000Z.ctprof.zst"  # our name, but a symlink
mkdir "$R/20200101T000002.000Z.ctprof.zst"                # our name, but a directory
head -c 4000 /dev/zero >"$R/20200101T000003.000Z.ctprof.zst" # ours, the oldest
# this shell's process only (-p): a file size that other processes on the host do not change
"$B" -o "$T/one.ctprof.zst" -p $$ --no-probe 2>/dev/null
sz=$(stat -c %s "$T/one.ctprof.zst")
cap=$(( sz * 3 + sz / 2 ))
record "$R" '[ ! -e "$R/20200101T000003.000Z.ctprof.zst" ] && count_ge "$R" 3' 1 TERM -d 0.2 -p $$ --record-max-size $cap; rc=$?
cnt=$(cd "$R" && find . -maxdepth 1 -type f -name '2*Z.ctprof.zst' | wc -l)
total=$(cd "$R" && find . -maxdepth 1 -type f -name '2*Z.ctprof.zst' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
[ $rc = 0 ] && [ "$cnt" -ge 2 ] && [ "$cnt" -le 4 ] && [ "$total" -le $(( cap + sz )) ]
ok $? "--record-max-size $cap keeps 2..4 files of ~$sz bytes ($cnt, $total bytes)"
[ ! -e "$R/20200101T000003.000Z.ctprof.zst" ]; ok $? "the oldest of ours is removed"
[ -f "$R/notes.txt" ] && [ -f "$R/20200101T000000.000Z.ctprof.zst.bak" ] && [ -L "$R/20200101T000001.000Z.ctprof.zst" ] &&
	[ -d "$R/20200101T000002.000Z.ctprof.zst" ] && [ "$(cat "$T/outside")" = keep ]
ok $? "foreign files, a symlink and a directory with our name are never removed"
newest=$(ours "$R" | sort | tail -1)
[ -n "$newest" ] && [ "${newest:0:8}" != 20200101 ]; ok $? "the newest file stays ($newest)"

# ---- retention by age ----
R=$T/age
mkdir -m 700 "$R"
head -c 100 /dev/zero >"$R/20200101T000000.000Z.ctprof.zst"
record "$R" 'count_ge "$R" 4' 1.5 INT -d 0.2 -p $$ --record-max-age 1; rc=$?
cnt=$(ours "$R" | wc -l)
[ $rc = 0 ] && [ ! -e "$R/20200101T000000.000Z.ctprof.zst" ] && [ "$cnt" -ge 1 ] && [ "$cnt" -le 7 ]
ok $? "--record-max-age 1 keeps the last second at -d 0.2 ($cnt files), SIGINT exits 0"

# ---- SIGTERM mid-write: no temp, no partial file ----
R=$T/term
record "$R" 'count_ge "$R" 3' 0.3 TERM -d 0.05; rc=$?
cnt=$(ours "$R" | wc -l)
[ $rc = 0 ] && [ "$cnt" -ge 3 ] && [ "$(temps "$R")" = 0 ]; ok $? "SIGTERM at -d 0.05: exit 0, $cnt files, no temp left"
all_load "$R"; ok $? "every file left after SIGTERM loads"
# a temp of ours left by a killed recorder is swept at start; a foreign temp is not
R=$T/stale
mkdir -m 700 "$R"
echo x >"$R/.20200101T000000.000Z.ctprof.zst.tmp-AbC123"
echo x >"$R/.other.tmp-AbC123"
record "$R" 'count_ge "$R" 1' 0 TERM -d 0.2
[ ! -e "$R/.20200101T000000.000Z.ctprof.zst.tmp-AbC123" ] && [ -e "$R/.other.tmp-AbC123" ]
ok $? "a stale temp of ours is removed at start, a foreign one stays"

# ---- a full disk: one message naming the file, the recorder keeps running ----
MNT=$T/full
mkdir -m 700 "$MNT"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=100k,mode=0700 tmpfs "$MNT" 2>/dev/null; then
	"$B" --record "$MNT" --no-probe -p $$ -d 0.05 2>"$T/err" &
	pid=$!
	for _ in $(seq 200); do grep -q "No space left" "$T/err" && break; sleep 0.1; done
	grep -q "^ctprof-top: --record: $MNT/[0-9]\{8\}T[0-9.]*Z.ctprof.zst: write failed: No space left on device (retrying every 0.05 s)$" "$T/err"
	ok $? "full disk: one line naming the file"
	sleep 0.5
	kill -0 $pid 2>/dev/null; ok $? "the recorder keeps running on a full disk"
	[ "$(grep -c "No space" "$T/err")" = 1 ]; ok $? "the error is said once, not every interval"
	ours "$MNT" | head -3 | sed "s|^|$MNT/|" | xargs rm -f
	for _ in $(seq 50); do grep -q "writing again" "$T/err" && break; sleep 0.1; done
	grep -q "^ctprof-top: --record: writing again after [0-9]* failed intervals$" "$T/err"; ok $? "space freed: it writes again"
	kill -TERM $pid; wait $pid; rc=$?
	[ $rc = 0 ] && [ "$(temps "$MNT")" = 0 ]; ok $? "stopped cleanly, no temp on the full disk"
	umount "$MNT" && MNT=""
else
	for w in "one line" "keeps running" "said once" "writes again" "no temp"; do
		skip "full disk ($w): cannot mount a tmpfs (needs root and CAP_SYS_ADMIN)"
	done
fi

echo "1..$n"
exit $fail
