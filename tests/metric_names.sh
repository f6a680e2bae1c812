#!/usr/bin/env bash
# metric_names.sh — one name per metric (issue 20 items 6 and 12): --metric-list prints every
# compare metric once (count taken from data/metrics.def and data/derived.def) with its unit,
# rule and the help of the group value; an unknown -s name is answered with the closest names.
set -u
B=${CTP_BUILD:-build}/ctprof-top
T=$(mktemp -d /tmp/ctp-names-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

"$B" --metric-list >"$T/list" 2>"$T/err"; ok $? "--metric-list exits 0"
[ ! -s "$T/err" ]; ok $? "--metric-list writes nothing on stderr"
# compare metrics: thread_count, every registry field with a display position (disp > 0), every derived row
want=$(( 1 + $(awk -F, '/^M\(/ && $9 + 0 > 0' data/metrics.def | wc -l) + $(grep -c '^D(' data/derived.def) ))
got=$(grep -c '^[a-z][a-z0-9_]*  ' "$T/list")
[ "$got" = "$want" ]; ok $? "one line per compare metric ($got, want $want)"
[ "$(awk 'NR > 1 { print $1 }' "$T/list" | sort | uniq -d | wc -l)" = 0 ]; ok $? "no name twice"
head -1 "$T/list" | grep -q '^METRIC  *UNIT  *RULE  *TAGS  *HELP'; ok $? "header names the columns"
grep -Eq '^cpu_delay_min_ns +ns +max +\[TASKSTATS\] \[TASK_DELAY_ACCT\] +largest per-thread shortest CPU run-queue delay$' "$T/list"
ok $? "cpu_delay_min_ns: Max rule over per-thread minimums, said as such"
grep -Eq "^run_time_ns +ns +sum +\[SCHED_INFO\] +time on CPU, summed over the group's threads$" "$T/list"
ok $? "run_time_ns: a sum over the group's threads"
grep -Eq '^cpu_efficiency +ratio +derived +.*from the group.s sums: run_time_ns / \(run_time_ns \+ wait_time_ns\)$' "$T/list"
ok $? "cpu_efficiency: a ratio from the group's sums, its formula"
grep -Eq '^utime_clock_ticks +ticks +sum ' "$T/list"; ok $? "the canonical name is the registry name (utime_clock_ticks)"

# -s: the error names the closest valid names and where the list is
# (the line may start with "ctprof-top: ": the modes differ there, not in the message)
check_sort() { # spec expected-message
	"$B" --compare tests/snapshots/cmp-a.ctprof.zst tests/snapshots/cmp-b.ctprof.zst -s "$1" >/dev/null 2>"$T/err"; rc=$?
	# then ", one of: " and every valid name, sorted (ktstr; t_parity16 checks the list)
	[ $rc = 2 ] && [ "$(head -1 "$T/err" | sed 's/^ctprof-top: //; s/, one of: .*$//')" = "$2" ]; ok $? "-s $1: exit 2, '$2'"
	[ $rc = 2 ] || echo "# rc=$rc: $(cat "$T/err")"
}
check_sort wait_time "--sort-by: unknown metric 'wait_time' (did you mean wait_time_ns?); use the bare metric name"
check_sort utime "--sort-by: unknown metric 'utime' (did you mean utime_clock_ticks?); use the bare metric name"
check_sort wait "--sort-by: unknown metric 'wait' (did you mean wait_time_ns, wait_sum or wait_count?); use the bare metric name"
check_sort qqqq "--sort-by: unknown metric 'qqqq'; use the bare metric name"
# every name the list prints is accepted by -s (categorical ones are refused as such, not as unknown)
bad=0
for m in $(awk 'NR > 1 { print $1 }' "$T/list"); do
	"$B" --compare tests/snapshots/cmp-a.ctprof.zst tests/snapshots/cmp-b.ctprof.zst -s "$m" --limit 1 >/dev/null 2>"$T/err" ||
		grep -q "categorical" "$T/err" || { bad=$((bad+1)); echo "# -s $m: $(head -1 "$T/err")"; }
done
[ $bad = 0 ]; ok $? "every listed name works with -s"
echo "1..$n"
exit $fail
