#!/usr/bin/env bash
# failif.sh — the regression gate end to end (issue 18): --compare of the cmp-a/cmp-b fixtures
# (postgres: run_time 6ms -> 30ms, 3 -> 4 threads; a 1ns -> 2ns group) exits 3 with the verdict
# block when x2 / +50% rules trip, 0 with looser rules, 2 for each bad rule or rules file with
# its one-line message; JSON gets a {"table":"verdict"} line; -b -B FILE gates a live run of a
# busy helper whose CPU grows; --fail-if without a baseline is a usage error. TAP.
set -u
SRC=${CTP_SRCDIR:-$(pwd)}
BD=${CTP_BUILD:-build}
case $BD in /*) ;; *) BD=$SRC/$BD ;; esac
B=$BD/ctprof-top
A=$SRC/tests/snapshots/cmp-a.ctprof.zst
C=$SRC/tests/snapshots/cmp-b.ctprof.zst
T=$(mktemp -d /tmp/ctp-failif-XXXXXX)
BUSY=
trap '[ -n "$BUSY" ] && kill $BUSY 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
[ -x "$B" ] || { echo "1..0 # SKIP $B not built"; exit 0; }

# gate RC ARGS...: runs --compare A C -g pcomm ARGS (--compare alone groups by all), checks the exit status
gate() {
	local want=$1; shift
	"$B" --compare "$A" "$C" -g pcomm "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = "$want" ]; ok $? "--compare $* exits $want (got $rc)"
}

gate 3 --fail-if run_time_ns:x2
grep -qx 'FAIL run_time_ns:x2 pcomm=postgres 6ms → 30ms (+400.0%)' "$T/out"; ok $? "postgres listed in the verdict"
grep -qx 'FAIL: 1 of 1 rule tripped' "$T/out"; ok $? "verdict summary line"
[ "$(grep -c '^FAIL run_time_ns:x2 ' "$T/out")" = 2 ]; ok $? "the 1ns -> 2ns group trips x2 too"
gate 3 --fail-if 'run_time_ns:x2:min=1ms'
[ "$(grep -c '^FAIL run_time_ns' "$T/out")" = 1 ] && grep -q 'pcomm=postgres' "$T/out"; ok $? "min=1ms keeps the 1ns group quiet"
gate 3 --fail-if 'run_time_ns:+50%:min=1ms'
gate 3 --fail-if 'thread_count:+30%,run_time_ns:x100'
grep -qx 'FAIL thread_count:+30% pcomm=postgres 3 → 4 (+33.3%)' "$T/out"; ok $? "thread count 3 -> 4 trips +30%"
grep -qx 'FAIL: 1 of 2 rules tripped' "$T/out"; ok $? "one of two rules tripped"
gate 3 --fail-if 'run_time_ns:+20ms@pcomm=post*'
grep -qx 'FAIL run_time_ns:+20ms@pcomm=post\* pcomm=postgres 6ms → 30ms (+24ms)' "$T/out"; ok $? "absolute rule with a glob"
# looser rules pass
gate 0 --fail-if 'run_time_ns:x10,thread_count:x2'
grep -qx 'PASS: 2 rules, 0 tripped' "$T/out"; ok $? "PASS line"
gate 0 --fail-if 'run_time_ns:+50%:min=1s'
gate 0 --fail-if 'run_time_ns:x2@pcomm=api'
# JSON
gate 3 --json --fail-if 'run_time_ns:x2:min=1ms'
tail -n 1 "$T/out" | grep -qx '{"table":"verdict","result":"fail","rules":1,"tripped":1,"trips":\[{"rule":"run_time_ns:x2:min=1ms","metric":"run_time_ns","axis":"pcomm","group":"postgres","status":"matched","base":6000000,"live":30000000,"change":4,"base_text":"6ms","live_text":"30ms"}\]}'
ok $? "JSON verdict line"
gate 0 --format json --fail-if 'run_time_ns:x10'
tail -n 1 "$T/out" | grep -qx '{"table":"verdict","result":"pass","rules":1,"tripped":0,"trips":\[\]}'; ok $? "JSON pass line (--format json)"
# a rules file
printf '# nightly gate\nrun_time_ns:x10   # CPU\n\nthread_count:x2, nr_migrations:x2\n' >"$T/rules"
gate 0 --fail-if-file "$T/rules"
grep -qx 'PASS: 3 rules, 0 tripped' "$T/out"; ok $? "three rules from the file"
gate 3 --fail-if-file "$T/rules" --fail-if 'run_time_ns:x2:min=1ms'
grep -qx 'FAIL: 1 of 4 rules tripped' "$T/out"; ok $? "file and option rules together"

# bad rules and files: exit 2, one line on stderr, nothing on stdout
bad() {
	local want=$1; shift
	"$B" --compare "$A" "$C" -g pcomm "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -qxF -- "$want" "$T/err"
	ok $? "$* -> exit 2: $want (got $rc: $(head -c 300 "$T/err"))"
}
bad "ctprof-top: --fail-if: rule 'run_time:x2': unknown metric 'run_time'; did you mean run_time_ns? (ctprof-top --metric-list lists them)" --fail-if run_time:x2
bad "ctprof-top: --fail-if: rule 'run_time_ns': expected METRIC:THRESHOLD (run_time_ns:+25%)" --fail-if run_time_ns
bad "ctprof-top: --fail-if: rule 'run_time_ns:+5': threshold '+5' of run_time_ns needs a time unit (ns, us, ms or s)" --fail-if run_time_ns:+5
bad "ctprof-top: --fail-if: rule 'run_time_ns:x1': factor must be above 0 and not 1" --fail-if run_time_ns:x1
bad "ctprof-top: --fail-if: rule 'policy:x2': metric 'policy' is categorical and has no value to compare" --fail-if policy:x2
bad "ctprof-top: --fail-if: rule 'run_time_ns:+5%:max=1': unknown option 'max=1' (min=VALUE)" --fail-if run_time_ns:+5%:max=1
bad "ctprof-top: --fail-if: empty rule (rules are separated by commas)" --fail-if 'run_time_ns:x2,'
bad "ctprof-top: --fail-if: rule 'run_time_ns:x2@cgroup=/a*': groups are by pcomm here, not cgroup (-g cgroup)" --fail-if 'run_time_ns:x2@cgroup=/a*'
printf 'run_time_ns:x2\nwait_time_ns:+10\n' >"$T/bad"
bad "ctprof-top: $T/bad:2: rule 'wait_time_ns:+10': threshold '+10' of wait_time_ns needs a time unit (ns, us, ms or s)" --fail-if-file "$T/bad"
bad "ctprof-top: --fail-if-file: $T/missing: cannot open: No such file or directory" --fail-if-file "$T/missing"
"$B" -b -n 1 -d 0.1 --fail-if run_time_ns:x2 >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qx "ctprof-top: --fail-if needs a baseline: --compare A B, or -b -B FILE" "$T/err"; ok $? "--fail-if without a baseline: usage error"
"$B" -B "$A" --fail-if run_time_ns:x2 </dev/null >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qx "ctprof-top: --fail-if goes with --compare A B or -b -B FILE (the live view does not evaluate rules)" "$T/err"
ok $? "the live view refuses --fail-if"
"$B" --show "$C" --fail-if run_time_ns:x2 >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "needs a baseline" "$T/err"; ok $? "--show --fail-if: usage error"

# -b -B FILE on a live target: the busy helper's CPU grows from its baseline
if [ -x "$BD/tests/helpers/busy" ]; then
	"$BD/tests/helpers/busy" 20 1 ctpgate >/dev/null 2>&1 &
	BUSY=$!
	sleep 0.3
	"$B" -o "$T/base.ctprof.zst" --pid $BUSY --no-probe 2>/dev/null; ok $? "baseline of the busy helper"
	sleep 1
	"$B" -b -B "$T/base.ctprof.zst" -p $BUSY -n 1 --no-probe --fail-if 'run_time_ns:+1ms@pcomm=ctpgate' >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 3 ] && grep -q '^FAIL run_time_ns:+1ms@pcomm=ctpgate pcomm=ctpgate ' "$T/out"; ok $? "-b -B: CPU grew, exit 3 (got $rc)"
	"$B" -b -B "$T/base.ctprof.zst" -p $BUSY -n 2 -d 0.2 --no-probe --json --fail-if 'thread_count:x2' >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ "$(grep -c '"table":"verdict","result":"pass"' "$T/out")" = 2 ]; ok $? "-b -B -n 2 --json: a pass verdict per sample, exit 0 (got $rc)"
	kill $BUSY 2>/dev/null; wait $BUSY 2>/dev/null; BUSY=
else
	n=$((n+1)); echo "ok $n # skip busy helper not built"
fi
echo "1..$n"
exit $fail
