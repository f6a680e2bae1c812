#!/usr/bin/env bash
# parity16.sh — ktstr parity round two (issue 16) through the binary: --compare groups by all
# and --show by pcomm unless -g says otherwise, --show refuses -g all, --limit defaults to 500
# lines per table offline, orphan lists name their file, --json keeps u64 values above 2^53.
# Fixtures: tests/snapshots/cmp-{a,b} and what t_parity16 --emit writes. TAP.
set -u
SRC=${CTP_SRCDIR:-$(pwd)}
BD=${CTP_BUILD:-build}
case $BD in /*) ;; *) BD=$SRC/$BD ;; esac
B=$BD/ctprof-top
T=$(mktemp -d /tmp/ctp-parity16-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
[ -x "$B" ] && [ -x "$BD/tests/t_parity16" ] || { echo "1..0 # SKIP $B or t_parity16 not built"; exit 0; }
export LC_ALL=C TZ=UTC NO_COLOR=1 XDG_CONFIG_HOME=$T/xdg
cd "$SRC" || exit 1
A=tests/snapshots/cmp-a.ctprof.zst
C=tests/snapshots/cmp-b.ctprof.zst
"$BD/tests/t_parity16" --emit "$T"; ok $? "fixtures written"

# ktstr: compare defaults to --group-by all, show to pcomm
"$B" --compare "$A" "$C" >"$T/def" 2>&1 && "$B" --compare "$A" "$C" -g all >"$T/all" 2>&1
cmp -s "$T/def" "$T/all"; ok $? "--compare without -g is -g all"
head -2 "$T/def" | tail -1 | grep -q '^comm  ' && grep -q '^  postgresql@{I}.service$' "$T/def"
ok $? "the default compare is the cgroup tree"
"$B" --show "$A" >"$T/def" 2>&1 && "$B" --show "$A" -g pcomm >"$T/pc" 2>&1
cmp -s "$T/def" "$T/pc"; ok $? "--show without -g is -g pcomm"
"$B" --show "$A" -g all >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^--show: -g all joins two snapshots" "$T/err"
ok $? "--show -g all: exit 2, one line (rc $rc: $(head -c 100 "$T/err"))"
# the config's group_by is the live view's preference: offline defaults stay ktstr's
mkdir -p "$T/xdg/ctprof-top" && printf 'group_by = cgroup\n' >"$T/xdg/ctprof-top/config"
"$B" --compare "$A" "$C" >"$T/cfg" 2>&1; cmp -s "$T/cfg" "$T/all"; ok $? "config group_by does not move --compare off all"
rm -f "$T/xdg/ctprof-top/config"

# ktstr: --limit 500 lines per table by default; 0 = all
"$B" --compare "$T/big-a.ctprof.zst" "$T/big-b.ctprof.zst" -g pcomm >"$T/out" 2>&1
lines=$(sed -n '/^## Primary metrics/,/^\.\.\. /p' "$T/out" | sed '1,2d;$d' | wc -l)
grep -q '^\.\.\. [0-9]* more lines truncated (use --limit 0 for unlimited)$' "$T/out" && [ "$lines" = 500 ]
ok $? "default --limit: 500 primary rows then the truncation notice (got $lines)"
"$B" --compare "$T/big-a.ctprof.zst" "$T/big-b.ctprof.zst" -g pcomm --limit 0 >"$T/out" 2>&1
! grep -q 'more lines truncated' "$T/out"; ok $? "--limit 0: nothing cut"

# ktstr orphans.rs: "N group(s) only in baseline (PATH):"
"$B" --compare "$A" "$C" -g pcomm >"$T/out" 2>&1
grep -qx "1 group(s) only in baseline ($A):" "$T/out" && grep -qx "1 group(s) only in candidate ($C):" "$T/out"
ok $? "orphan lists name the baseline and candidate files"

# the path is escaped for a terminal (issue 12): an ESC in a file name prints as \x1b
cp "$A" "$T/evil$(printf '\033')[2J.ctprof.zst"
"$B" --compare "$T/evil$(printf '\033')[2J.ctprof.zst" "$C" -g pcomm >"$T/out" 2>&1
! grep -q "$(printf '\033')" "$T/out" && grep -qF 'only in baseline ('"$T"'/evil\x1b[2J.ctprof.zst):' "$T/out"
ok $? "an escape byte in the file name is escaped in the orphan header"

# --json: u64 exact above 2^53 (smaps sums)
"$B" --compare "$T/u64-a.ctprof.zst" "$T/u64-b.ctprof.zst" -g pcomm --json >"$T/out" 2>&1
grep -q '"section":"smaps-rollup","group":"big","name":"Pss","base":9007199254742016,"live":9007199254743040,' "$T/out"
ok $? "smaps-rollup JSON: Pss 9007199254742016 -> 9007199254743040 bytes exactly"

# --json: counters above 2^53 exact in the primary table (a double would print ...976 for both)
"$B" --compare "$T/u64-a.ctprof.zst" "$T/u64-b.ctprof.zst" -g pcomm --json >"$T/out" 2>&1
grep -q '"metric":"run_time_ns","base":1152921504606846977,"live":1152921504606846978,"delta":1,' "$T/out"
ok $? "run_time_ns 2^60+1 -> 2^60+2: base, live and delta exact in JSON"
"$B" --show "$T/u64-a.ctprof.zst" --json >"$T/out" 2>&1
grep -q '"metric":"run_time_ns","base":null,"live":1152921504606846977,' "$T/out"; ok $? "--show --json: the live value exact"

# ktstr full_pipeline_with_disk_roundtrip: --display-format full
P="--compare $T/pipe-a.ctprof.zst $T/pipe-b.ctprof.zst -g pcomm"
"$B" $P --display-format full >"$T/out" 2>&1
sed -n 2p "$T/out" | grep -Eq '^pcomm +threads +metric +baseline +candidate +delta +%$' &&
	grep -Eq '^integration_proc +1 +run_time_ns +1\.000ms +3\.500ms +\+2\.500ms +\+250\.0%$' "$T/out" &&
	grep -Eq '^integration_proc +1 +nr_wakeups +100 +350 +\+250 +\+250\.0%$' "$T/out"
ok $? "full: baseline, candidate, delta and % columns (ktstr's +2.500ms, +250.0%)"
# ktstr compare_columns_for: each format's cells
hdr() { "$B" $P "$@" 2>&1 | sed -n 2p | tr -s ' '; }
[ "$(hdr)" = "pcomm threads metric value delta % %uptime" ]; ok $? "default (arrow): value, delta, %, %uptime"
[ "$(hdr --display-format delta-only)" = "pcomm threads metric delta %" ]; ok $? "delta-only"
[ "$(hdr --display-format no-pct)" = "pcomm threads metric baseline candidate delta" ]; ok $? "no-pct"
[ "$(hdr --display-format pct-only)" = "pcomm threads metric %" ]; ok $? "pct-only"
[ "$(hdr --display-format arrow --columns metric,arrow,tags)" = "metric value tags" ]; ok $? "--columns wins over the format"
"$B" $P --columns metric,tags --metrics wait_sum,nr_wakeups_affine >"$T/out" 2>&1
grep -Eq '^wait_sum +\[non-ext\] \[SCHEDSTATS\]$' "$T/out" && grep -Eq '^nr_wakeups_affine +\[cfs-only\] \[SCHEDSTATS\]$' "$T/out" &&
	[ "$(grep -c '^[a-z]' "$T/out")" = 3 ]
ok $? "--columns tags, --metrics keeps two rows: $(tr '\n' '|' <"$T/out" | head -c 200)"
"$B" --show "$T/pipe-a.ctprof.zst" --columns group,metric,value --metrics run_time_ns --sections primary >"$T/out" 2>&1
[ "$(tr -s ' ' <"$T/out")" = "## Primary metrics
pcomm metric value
integration_proc run_time_ns 1.000ms" ]; ok $? "--show --columns/--metrics/--sections: one row, nothing else"
# unknown values: one line naming the option and the choices, exit 2
bad() { # option value expected-line
	"$B" $P "$1" "$2" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && [ ! -s "$T/out" ] && [ "$(cat "$T/err")" = "$3" ]; ok $? "$1 $2: exit 2, one line (rc $rc: $(head -c 160 "$T/err"))"
}
bad --display-format wide "--display-format: unknown format 'wide' (full, delta-only, no-pct, arrow, pct-only)"
bad --columns metric,value "--columns: no column 'value' (group, threads, metric, baseline, candidate, delta, %, arrow, tags, uptime)"
bad --columns metric,,delta "--columns: empty entry in 'metric,,delta'; entries are comma-separated"
bad --columns arrow,baseline "--columns: 'arrow' already shows baseline -> candidate; pair it with delta and % instead"
bad --sections primary,bogus "--sections: unknown section 'bogus' (primary, taskstats-delay, derived, cgroup-stats, cgroup-limits, memory-stat, memory-events, pressure, host-pressure, smaps-rollup, sched-ext, host)"
bad --metrics run_time "--metrics: unknown metric 'run_time'; did you mean run_time_ns? (ctprof-top --metric-list lists them)"
"$B" --show "$A" --columns baseline >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qx -- "--columns: no column 'baseline' (group, threads, metric, value, tags, uptime)" "$T/err"; ok $? "--show --columns baseline: refused"
# ktstr: a cgroup-only section under another axis is a warning, not an error
"$B" $P --sections memory-stat >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -qx "ctprof-top: section 'memory-stat' requires --group-by cgroup; omitted under --group-by pcomm" "$T/err"
ok $? "--sections memory-stat under -g pcomm: a warning (rc $rc)"

# ktstr cgroup_flatten_joins_pods_with_different_ids: one group, the one-cell "100µs → 400µs (+300µs)"
K="--compare $T/kube-a.ctprof.zst $T/kube-b.ctprof.zst -g cgroup"
"$B" $K --cgroup-flatten '/kubepods/burstable/*/container' >"$T/out" 2>"$T/err"
! grep -q 'only in' "$T/out" && grep -q '^## /kubepods/burstable/\*$' "$T/out" && grep -q '^## CgroupStats$' "$T/out" &&
	grep -Eq '^/kubepods/burstable/\*/container +cpu_usage_usec +100µs → 400µs \(\+300µs\)$' "$T/out" && [ ! -s "$T/err" ]
ok $? "--cgroup-flatten joins the pods; cgroup-stats in the one-cell form"
"$B" $K >"$T/out" 2>&1; grep -q 'only in baseline' "$T/out"; ok $? "without it the pods are orphans"
"$B" $K --cgroup-flatten '/nowhere/*' --cgroup-flatten '/kubepods/burstable/*/container' >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ "$(cat "$T/err")" = "ctprof-top: notice: --cgroup-flatten '/nowhere/*' matches no cgroup" ] && ! grep -q 'only in' "$T/out"
ok $? "a glob matching nothing: a notice, the other glob still applies (rc $rc)"
"$B" $K --display-format full --cgroup-flatten '/kubepods/burstable/*/container' >"$T/out" 2>&1
grep -Eq '^/kubepods/burstable/\*/container +cpu_usage_usec +100µs → 400µs +\+300µs$' "$T/out"
ok $? "other formats: value and delta columns"
# --no-cg-normalize / --no-thread-normalize reach the engine (t_compare checks the keys)
"$B" --compare "$A" "$C" -g pcomm --no-thread-normalize --sections smaps-rollup >"$T/out" 2>&1
grep -q '^    postgres\[100\] ' "$T/out"; ok $? "--no-thread-normalize: smaps rows by pcomm[pid]"
# ktstr smaps.rs: the long layout's cells, "    <process>", the key as metric, delta and %; under
# -g all the process sits under its cgroup segments
"$B" --compare "$A" "$C" -g pcomm --sections smaps-rollup >"$T/out" 2>&1
sed -n '/^## smaps_rollup/,$p' "$T/out" | tr -s ' ' >"$T/s"
[ "$(cat "$T/s")" = "## smaps_rollup
pcomm threads metric value delta % %uptime
 postgres Rss 200.000MiB → 400.000MiB +200.000MiB +100.0%" ]; ok $? "smaps_rollup in ktstr's columns: $(tr '\n' '|' <"$T/s")"
"$B" --compare "$A" "$C" --sections smaps-rollup >"$T/out" 2>&1
[ "$(sed -n '/^## smaps_rollup/,$p' "$T/out" | sed -n '3,5p' | sed 's/ *Rss .*//')" = "system.slice
  postgresql@{I}.service
        postgres" ]; ok $? "-g all: smaps_rollup under the cgroup tree"
# config keys: display_format, compare_columns, wrap (the command line wins)
printf 'display_format = full\n' >"$T/xdg/ctprof-top/config"
[ "$(hdr)" = "pcomm threads metric baseline candidate delta %" ] && [ "$(hdr --display-format pct-only)" = "pcomm threads metric %" ]
ok $? "config display_format = full; --display-format wins"
printf 'compare_columns = metric,delta\nwrap = true\n' >"$T/xdg/ctprof-top/config"
[ "$(hdr)" = "metric delta" ]; ok $? "config compare_columns"
"$B" --show "$A" >"$T/out" 2>&1; rc=$?
[ $rc = 0 ] && sed -n 2p "$T/out" | grep -Eq '^pcomm +threads +metric +value$'; ok $? "config compare_columns leaves --show's cells alone (rc $rc)"
printf 'display_format = wide\n' >"$T/xdg/ctprof-top/config"
"$B" $P >/dev/null 2>"$T/err"; grep -q "bad display_format (full, delta-only, no-pct, arrow, pct-only); line ignored" "$T/err"
ok $? "config: a bad display_format is a warning naming the choices"
rm -f "$T/xdg/ctprof-top/config"
# --wrap: piped output stays unwrapped, byte for byte (ktstr)
"$B" $P >"$T/a" 2>&1; "$B" $P --wrap >"$T/b" 2>&1; cmp -s "$T/a" "$T/b"; ok $? "--wrap into a pipe: unchanged"

# --wrap on a terminal (script(1) gives one 70 columns wide): every line fits, cells fold
if command -v script >/dev/null 2>&1; then
	script -qc "stty cols 70; NO_COLOR=1 '$B' --compare '$A' '$C' -g pcomm --limit 5 --sections primary --wrap" /dev/null |
		tr -d '\r' >"$T/w"
	long=$(sed 's/→/>/g; s/µ/u/g' "$T/w" | awk '{ if (length($0) > 70) n++ } END { print n + 0 }')
	[ "$long" = 0 ] && grep -q '^postgres ' "$T/w" && [ "$(wc -l <"$T/w")" -gt 8 ]
	ok $? "--wrap at 70 columns: no line longer ($long), cells folded onto more lines"
else
	echo "ok $((n += 1)) # skip script(1) not installed"
fi

echo "1..$n"
exit $fail
