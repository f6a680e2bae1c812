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

echo "1..$n"
exit $fail
