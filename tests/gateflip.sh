#!/usr/bin/env bash
# gateflip.sh — honest comparisons of kernel switches (issue 17 item 4) through batch: a baseline
# whose host had delay accounting on (this host's capture with task_delayacct set to "on" and
# every thread's delay_block_active true) against live captures with it off (this host; skipped
# when it is on) — the text names the switch in a note line, JSON in a notice line (the cells'
# "on→off" marking is t_gateflip's).
set -u
B=${CTP_BUILD:-build}/ctprof-top
T=$(mktemp -d /tmp/ctp-gateflip-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
if [ "$(cat /proc/sys/kernel/task_delayacct 2>/dev/null)" != 0 ] || ! command -v zstd >/dev/null; then
	echo "1..0 # skip needs kernel.task_delayacct=0 here and zstd"
	exit 0
fi
sleep 30 & SL=$!
"$B" -o "$T/b.ctprof.zst" -p "$SL" --no-probe 2>/dev/null
ok $? "baseline captured"
"${CTP_SRCDIR:-.}/tests/helpers/delayacct_on.sh" "$T/b.ctprof.zst" "$T/on.ctprof.zst"
ok $? "the baseline's host says delay accounting on"
"$B" -b -n 1 -B "$T/on.ctprof.zst" -p "$SL" --no-probe >"$T/t.txt" 2>"$T/err"
ok $? "-b -B exits 0"
grep -q '^note: delayacct on in the baseline, off now: its columns read on→off, not a change;' "$T/t.txt"
ok $? "text: the note names delayacct turned off"
"$B" -b -n 1 -B "$T/on.ctprof.zst" -p "$SL" --no-probe --json --sort-by blkio_delay_total_ns >"$T/j.json" 2>"$T/err"
grep -q '^{"table":"notice","gates_turned_off":\["delayacct"\]}$' "$T/j.json"
ok $? "JSON: the notice line"
[ $fail = 0 ] || { sed 's/^/#   /' "$T/t.txt"; head -3 "$T/j.json" | cut -c1-300 | sed 's/^/#   /'; }
kill "$SL" 2>/dev/null
echo "1..$n"
exit $fail
