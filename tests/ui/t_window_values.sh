#!/bin/bash
# t_window_values.sh — ratios are window values (issue 20 item 1), on fixture trees with exact
# numbers: a thread whose run/wait times go 870/130 ms at the baseline and 1470/530 ms live ran
# 600 of 1000 ms it wanted in the window, so cpu_efficiency reads 0.87→0.60 in the live view and
# batch text, base 0.87 / live 0.6 / delta -0.27 in batch JSON — not the difference of lifetime
# ratios (0.87 → 0.735) that ktstr's offline --compare keeps.
. "$(dirname "$0")/lib.sh"
ui_init

FXD="$CTP_SRCDIR/tests/fixtures"
mkdir -p "$TMPD/nocg"
tree() { # tree NAME RUN_NS WAIT_NS: the gates-on fixture with thread 501's schedstat set
	cp -a "$FXD/gates-on" "$TMPD/$1"
	printf '%s %s 50\n' "$2" "$3" >"$TMPD/$1/proc/500/task/501/schedstat"
}
fx() { echo "--proc-root $TMPD/$1/proc --sys-root $TMPD/$1/sys --cgroup-root $TMPD/nocg --no-probe --no-taskstats"; }
tree a 870000000 130000000
tree b 1470000000 530000000
"$BIN" -o "$TMPD/a.ctprof.zst" $(fx a) >/dev/null 2>&1
check "baseline captured from tree a" test -s "$TMPD/a.ctprof.zst"

# batch text and JSON
"$BIN" -b -n 1 -B "$TMPD/a.ctprof.zst" $(fx b) -g comm-exact >"$TMPD/batch.txt" 2>&1
check "batch: the worker's efficiency is the window pair 0.87→0.60" \
	grep -Eq '^svc-worker .* 0\.87→0\.60 ' "$TMPD/batch.txt"
"$BIN" -b -n 1 -B "$TMPD/a.ctprof.zst" $(fx b) -g comm-exact --json >"$TMPD/batch.json" 2>&1
eff=$(grep '"group":"svc-worker"' "$TMPD/batch.json" | grep -o '"cpu_efficiency":{[^}]*}')
diag "json: $eff"
check "json: base 0.87" sh -c 'printf "%s" "$1" | grep -Eq "\"base\":0\.87[,0]"' _ "$eff"
check "json: live 0.6 (the window, not the lifetime 0.735)" sh -c 'printf "%s" "$1" | grep -Eq "\"live\":0\.(6|59999)[0-9]*[,}]"' _ "$eff"
check "json: delta -0.27" sh -c 'printf "%s" "$1" | grep -Eq "\"delta\":-0\.2(7|69999)"' _ "$eff"

# offline --compare keeps ktstr's lifetime values
"$BIN" -o "$TMPD/b.ctprof.zst" $(fx b) >/dev/null 2>&1
"$BIN" --compare "$TMPD/a.ctprof.zst" "$TMPD/b.ctprof.zst" -g comm-exact >"$TMPD/cmp.txt" 2>&1
check "--compare: ktstr's lifetime ratios 0.870 → 0.735" grep -Eq 'cpu_efficiency.*0\.870 → 0\.735' "$TMPD/cmp.txt"

# the live view against the same baseline
ui_start "-d 0.5 -B $TMPD/a.ctprof.zst $(fx b) -g comm-exact" 120 30
check "live view up against the baseline" ui_wait "mode: vs baseline" 10
check "live: svc-worker reads 0.87→0.60 in the cpu_efficiency column" ui_wait_re "^svc-worker .* 0\.87→0\.60 " 10
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
