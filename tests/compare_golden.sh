#!/bin/sh
# compare_golden.sh — runs the real binary's offline --compare / --show on the fixture snapshots
# and diffs against tests/golden (same files t_compare checks through the C entry points).
# Output is pinned: LC_ALL=C TZ=UTC NO_COLOR=1. Refresh goldens with CTP_REGEN=1 build/tests/t_compare;
# the --hide-unchanged ones (only here) with CTP_REGEN=1 tests/compare_golden.sh.
B=${CTP_BUILD:-build}
S=${CTP_SRCDIR:-.}
if [ ! -x "$B/ctprof-top" ]; then echo "1..0 # SKIP $B/ctprof-top not built"; exit 0; fi
BIN=$(cd "$B" && pwd)/ctprof-top
cd "$S" || exit 1
# relative paths: the orphan lists name the files as given (ktstr)
A=tests/snapshots/cmp-a.ctprof.zst
C=tests/snapshots/cmp-b.ctprof.zst
G=tests/golden
export LC_ALL=C TZ=UTC NO_COLOR=1
n=0; fail=0
check() { # name expected-file args...
	name=$1; exp=$2; shift 2
	n=$((n + 1))
	out=$("$BIN" "$@" 2>&1; echo "rc=$?")
	if [ "$out" = "$(cat "$exp"; echo "rc=0")" ]; then echo "ok $n - $name"
	else echo "not ok $n - $name"; fail=1
		printf '%s\n' "$out" | diff -u "$exp" - | head -20 | sed 's/^/# /'; fi
}
check "compare pcomm text" "$G/compare-pcomm.txt" --compare "$A" "$C" -g pcomm --limit 40
check "compare pcomm json" "$G/compare-pcomm.jsonl" --compare "$A" "$C" -g pcomm --limit 40 --json
check "compare comm sorted" "$G/compare-comm-sorted.txt" --compare "$A" "$C" -g comm -s run_time_ns,wait_sum:asc
check "compare cgroup" "$G/compare-cgroup.txt" --compare "$A" "$C" -g cgroup --limit 12
check "compare cgroup json" "$G/compare-cgroup.jsonl" --compare "$A" "$C" -g cgroup --limit 25 --json
check "compare all tree" "$G/compare-all.txt" --compare "$A" "$C" -g all --limit 25
check "show pcomm" "$G/show-pcomm.txt" --show "$A" -g pcomm --limit 30
# --hide-unchanged (issue 20 item 11): text drops the 0 -> 0 and - -> - rows; JSON keeps them all
regen() { # name file args... — checks, or with CTP_REGEN=1 rewrites file
	if [ -n "${CTP_REGEN:-}" ]; then (shift 2; "$BIN" "$@") >"$2" 2>&1; fi
	check "$@"
}
regen "compare pcomm --hide-unchanged" "$G/compare-pcomm-hide-unchanged.txt" --compare "$A" "$C" -g pcomm --limit 0 --hide-unchanged
regen "compare cgroup --hide-unchanged" "$G/compare-cgroup-hide-unchanged.txt" --compare "$A" "$C" -g cgroup --limit 0 --hide-unchanged
regen "compare all --hide-unchanged" "$G/compare-all-hide-unchanged.txt" --compare "$A" "$C" -g all --limit 25 --hide-unchanged
regen "show pcomm --hide-unchanged" "$G/show-pcomm-hide-unchanged.txt" --show "$A" -g pcomm --limit 0 --hide-unchanged
check "compare pcomm json ignores --hide-unchanged" "$G/compare-pcomm.jsonl" --compare "$A" "$C" -g pcomm --limit 40 --json --hide-unchanged
n=$((n + 1))
out=$("$BIN" --compare "$A" "$C" -g pcomm --limit 0 --hide-unchanged 2>&1)
arrow=$(printf '\342\206\222')
if ! printf '%s\n' "$out" | grep -q '^## Primary metrics' ||
	printf '%s\n' "$out" | grep -Eq " (0|0ns|0B|0ticks|-) $arrow (0|0ns|0B|0ticks|-)( |$)"; then
	echo "not ok $n - no 0 -> 0 or - -> - row is left"; fail=1
else echo "ok $n - no 0 -> 0 or - -> - row is left"; fi
# --filter applies to every section: the secondary tables keep only the groups it matches
n=$((n + 1))
out=$("$BIN" --compare "$A" "$C" -g cgroup --limit 0 --filter '^/$' 2>&1)
if printf '%s\n' "$out" | grep -q postgresql || ! printf '%s\n' "$out" | grep -q '^## host'; then
	echo "not ok $n - -g cgroup --filter '^/\$': no postgresql row in any section, host sections kept"; fail=1
else echo "ok $n - -g cgroup --filter '^/\$': no postgresql row in any section, host sections kept"; fi
n=$((n + 1))
out=$("$BIN" --compare "$A" "$C" -g pcomm --limit 0 --filter '^api$' 2>&1)
if printf '%s\n' "$out" | sed -n '/^## smaps_rollup/,/^$/p' | grep -q postgres; then
	echo "not ok $n - --filter '^api\$': the smaps-rollup section drops postgres"; fail=1
else echo "ok $n - --filter '^api\$': the smaps-rollup section drops postgres"; fi
n=$((n + 1))
err=$("$BIN" --compare /nonexistent.ctprof.zst "$C" 2>&1 >/dev/null); rc=$?
case "$rc:$err" in 2:/nonexistent.ctprof.zst*) echo "ok $n - bad file exits 2 naming the file";;
	*) echo "not ok $n - bad file exits 2 naming the file (rc=$rc: $err)"; fail=1;; esac
# the config's hide_unchanged = true hides them by default; --show-unchanged brings them back
X=$(mktemp -d)
mkdir -p "$X/ctprof-top" && printf 'hide_unchanged = true\n' >"$X/ctprof-top/config" && chmod 600 "$X/ctprof-top/config"
XDG_CONFIG_HOME=$X check "config hide_unchanged = true" "$G/compare-pcomm-hide-unchanged.txt" --compare "$A" "$C" -g pcomm --limit 0
XDG_CONFIG_HOME=$X check "--show-unchanged over the config" "$G/compare-pcomm.txt" --compare "$A" "$C" -g pcomm --limit 40 --show-unchanged
rm -rf "$X"
echo "1..$n"
exit $fail
