#!/bin/bash
# t_gates.sh — unmeasured is '-' (issue 20 item 2): on the gates-on/-off/-noconfig fixture trees the
# [SCHEDSTATS] metrics show values with schedstats on and '-' with them off (sysctl 0, or a kernel
# without the sysctl whose /proc/self/sched has no schedstats lines) in --show, --compare text and
# JSON, while nr_migrations keeps its value; written files still hold 0 and validate; the batch
# header and the live header name the gate with its hint. On this host (tmux): the sched column
# set's gated columns of a busy workload show '-' (all columns, scrolled right) and the header says
# schedstats✗ (on a kernel with schedstats: numbers and schedstats✓); with task_delayacct 0 the
# delays set's block-delay columns are '-' and the header says delayacct✗ with the sysctl; the man
# page's gate table comes from the same registry rows.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
export LC_ALL=C.UTF-8 # column positions below count characters (Δ, ▼)
FXD="$CTP_SRCDIR/tests/fixtures"
VALIDATE=/work/shared/tools/ctprof-validate
fx() { echo "--proc-root $FXD/gates-$1/proc --sys-root $FXD/gates-$1/sys --cgroup-root $TMPD/nocg --no-probe --no-taskstats"; }
for m in on off noconfig; do
	"$BIN" -o "$TMPD/$m.zst" $(fx $m) 2>/dev/null || skip_all "cannot capture the gates-$m fixture"
done

# show_val FILE METRIC — the value column of METRIC in --show text
show_val() { "$BIN" --show "$1" | awk -v m="$2" '$3 == m { print $4; exit }'; }
check "--show, schedstats on: nr_wakeups 350" test "$(show_val "$TMPD/on.zst" nr_wakeups)" = 350
check "--show, schedstats off (sysctl 0): nr_wakeups -" test "$(show_val "$TMPD/off.zst" nr_wakeups)" = -
check "--show, no CONFIG_SCHEDSTATS: nr_wakeups -" test "$(show_val "$TMPD/noconfig.zst" nr_wakeups)" = -
for m in wait_sum wait_max sleep_max block_sum iowait_count exec_max slice_max voluntary_sleep_ns \
	nr_forced_migrations core_forceidle_sum avg_wait_ns; do
	v=$(show_val "$TMPD/off.zst" $m)
	[ "$v" = - ] || bad="$bad $m=$v"
done
check "--show off: every gated metric and avg_wait_ns are - (not:${bad:- none})" test -z "$bad"
check "--show off: nr_migrations (se.nr_migrations, no schedstats) 18" test "$(show_val "$TMPD/off.zst" nr_migrations)" = 18
check "--show off: fair_slice_ns 3.000ms" test "$(show_val "$TMPD/off.zst" fair_slice_ns)" = 3.000ms
check "--show on: wait_sum 5.750s" test "$(show_val "$TMPD/on.zst" wait_sum)" = 5.750s

"$BIN" --compare "$TMPD/off.zst" "$TMPD/on.zst" -g pcomm >"$TMPD/cmp.txt"
row=$(grep -E '^svc +2 +nr_wakeups ' "$TMPD/cmp.txt")
check "--compare off on: nr_wakeups - → 350, delta - ($row)" sh -c 'printf "%s\n" "$1" | grep -Eq "nr_wakeups +- → 350 +- "' _ "$row"
"$BIN" --compare "$TMPD/off.zst" "$TMPD/on.zst" -g pcomm --json >"$TMPD/cmp.json"
check "--compare --json: base null, live 350, delta null" \
	grep -q '"metric":"nr_wakeups","base":null,"live":350,"delta":null,"pct":null,"base_text":"-","live_text":"350","delta_text":"-"' "$TMPD/cmp.json"
"$BIN" --show "$TMPD/noconfig.zst" --json >"$TMPD/show.json"
check "--show --json: live null, live_text -" grep -q '"metric":"wait_sum","base":null,"live":null,' "$TMPD/show.json"
check "--show --json: nr_migrations 18" grep -q '"metric":"nr_migrations","base":null,"live":18,' "$TMPD/show.json"

# the files keep ktstr's zeros and the key that says why
zstdcat "$TMPD/off.zst" >"$TMPD/off.json"
check "the off file holds nr_wakeups 0 and sched_schedstats 0" \
	sh -c 'grep -q "\"nr_wakeups\":0," "$1" && grep -q "\"sched_schedstats\":0}" "$1"' _ "$TMPD/off.json"
if [ -x "$VALIDATE" ]; then
	check "ctprof-validate accepts the off file" "$VALIDATE" "$TMPD/off.zst"
else
	skip "$VALIDATE not present"
fi

b=$("$BIN" -b -n 1 -d 0.1 $(fx off) | head -1)
check "batch header names the gates and their hints ($b)" sh -c 'printf "%s\n" "$1" | grep -q "threads  delayacct off (sysctl kernel.task_delayacct=1)  schedstats off (sysctl kernel.sched_schedstats=1)$"' _ "$b"
b=$("$BIN" -b -n 1 -d 0.1 $(fx noconfig) | head -1)
check "batch header: the kernel lacks it ($b)" sh -c 'printf "%s\n" "$1" | grep -q "  schedstats off (needs CONFIG_SCHEDSTATS=y)$"' _ "$b"
b=$("$BIN" -b -n 1 -d 0.1 $(fx on) | head -1)
check "batch header: nothing named with schedstats on ($b)" sh -c '! printf "%s\n" "$1" | grep -q schedstats' _ "$b"

ui_start "-d 0.5 $(fx off)" 200 12
check "live header (fixture, sysctl 0): schedstats✗ and the sysctl" ui_wait "schedstats✗ sysctl kernel.sched_schedstats=1 " 10
ui_start "-d 0.5 $(fx on)" 200 12
check "live header (fixture, on): schedstats✓" ui_wait " schedstats✓ " 10

# NAMES: "name gate" of every metric, derived ones gated when an input is (data/*.def)
NAMES=$(sed -n 's/^M(\([a-z_0-9]*\), *[^,]*, *[^,]*, *[^,]*, *[^,]*, *[^,]*, *[^,]*, *\([A-Z_]*\),.*/\1 \2/p' \
	"$CTP_SRCDIR/data/metrics.def")
while read -r d a b; do
	g=$(printf '%s\n' "$NAMES" | awk -v a="$a" -v b="$b" '($1 == a || $1 == b) && $2 != "ALWAYS" { print $2; exit }')
	NAMES="$NAMES
$d ${g:-ALWAYS}"
done < <(sed -n 's/^D(\([a-z_0-9]*\), *[A-Z]*, *\([a-z_0-9]*\), *\([a-z_0-9]*\),.*/\1 \2 \3/p' "$CTP_SRCDIR/data/derived.def")
# gate_of TOKEN — the gate of the metrics a header token can name ("Δname/s▼", "name", the
# name without _ns, or a prefix cut with …): SCHEDSTATS or ALWAYS when all agree, else MIXED
gate_of() {
	local core=${1#Δ} cut=0 g=
	core=${core%%[/▼▲]*}
	case $core in *…) core=${core%…} cut=1 ;; esac
	while read -r n ng; do
		if [ "$n" = "$core" ] || [ "$n" = "${core}_ns" ] || { [ $cut = 1 ] && [ "${n#"$core"}" != "$n" ]; }; then
			[ -z "$g" ] && g=$ng
			[ "$g" = "$ng" ] || g=MIXED
		fi
	done <<<"$NAMES"
	echo "${g:-NONE}"
}
# cells HEAD ROW — "token gate cell" for each metric column (cells are right-aligned: the span
# from the end of the previous header token to the end of this one)
cells() {
	# positions in characters, not bytes (the tests run under LC_ALL=C): a cell with µ or a
	# title with ▼ or ← would shift every span after it by a byte or two
	local LC_ALL=C.UTF-8
	local head=$1 row=$2 rest=$1 pos=0 prev=0 lead tok end n=0
	while [[ $rest =~ ^(\ *)([^ ]+) ]]; do
		lead=${BASH_REMATCH[1]} tok=${BASH_REMATCH[2]}
		end=$((pos + ${#lead} + ${#tok}))
		n=$((n + 1))
		[ $n -gt 2 ] && printf '%s %s %s\n' "$tok" "$(gate_of "$tok")" "$(printf '%s' "${row:$prev:$((end - prev))}" | tr -d ' ')"
		prev=$end pos=$end rest=${head:$end}
	done
}

SVC="$CTP_BUILD/tests/helpers/svc_workload"
[ -x "$SVC" ] || { skip "$SVC not built"; done_testing; exit; }
mkfifo "$TMPD/svc.in"
"$SVC" -w 3 -t 40 <"$TMPD/svc.in" >"$TMPD/svc.out" &
BG_PIDS="$BG_PIDS $!"
exec 3>"$TMPD/svc.in"
i=0; while ! grep -q ready "$TMPD/svc.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(awk '/ready/ { print $2 }' "$TMPD/svc.out")
if grep -q '^nr_wakeups ' /proc/self/sched; then want=num; else want=-; fi
ui_start "-d 0.5 --no-probe -p $pid" 200 14
ui_wait_re "^svc-main +[0-9]" 10 >/dev/null
ui_wait_re "^svc-main .*[1-9]" 10 >/dev/null
sleep 1 # a sample or two more: the rates of a full interval
pane=$(ui_pane)
head=$(printf '%s\n' "$pane" | grep -m1 '^GROUP(')
row=$(printf '%s\n' "$pane" | grep -m1 '^svc-main ')
diag "$head"
diag "$row"
# every column: the first screen, then scrolled right (GROUP and THR stay) while more are hidden
all_cells() { # ROWNAME OUT
	local pane i
	: >"$2"
	for i in 1 2 3 4 5 6; do
		pane=$(ui_pane)
		cells "$(printf '%s\n' "$pane" | grep -m1 '^GROUP(')" "$(printf '%s\n' "$pane" | grep -m1 "^$1 ")" |
			grep -v ' NONE ' >>"$2"
		printf '%s\n' "$pane" | grep -m1 '^GROUP(' | grep -q 'more *$' || break
		ui_keys Right
		sleep 0.3
	done
	sort -u -k1,1 -o "$2" "$2"
	for i in 1 2 3 4 5 6; do ui_keys Left; done
}
all_cells svc-main "$TMPD/cells"
diag "$(cat "$TMPD/cells")"
gated=$(grep -c ' SCHEDSTATS ' "$TMPD/cells")
check "the sched set has gated columns ($gated)" test "$gated" -ge 3
if [ $want = - ]; then
	check "this host (no schedstats): every gated column is -" sh -c '! grep " SCHEDSTATS " "$1" | grep -qv " -$"' _ "$TMPD/cells"
else
	check "this host (schedstats): gated columns hold numbers" sh -c '! grep " SCHEDSTATS " "$1" | grep -v " -$" | grep -qv "[0-9]$"' _ "$TMPD/cells"
fi
check "run_time is measured" grep -Eq '^Δ?run_time[^ ]* ALWAYS .*[1-9]' "$TMPD/cells"
if [ $want = - ]; then
	check "the header names the gate: schedstats✗" ui_wait "schedstats✗ " 3
else
	check "the header: schedstats✓" ui_wait "schedstats✓ " 3
fi

# delay accounting: the per-thread flag (delay_block_active) gates the delays set (key 5)
ui_keys 5
ui_wait "[delays]" 5 >/dev/null
sleep 1
all_cells svc-main "$TMPD/dcells"
diag "$(cat "$TMPD/dcells")"
if [ "$(cat /proc/sys/kernel/task_delayacct 2>/dev/null)" = 0 ]; then
	check "task_delayacct 0: the block-delay columns are -" \
		sh -c 'grep -q " BLOCK_DELAY " "$1" && ! grep " BLOCK_DELAY " "$1" | grep -qv " -$"' _ "$TMPD/dcells"
	check "the header names it: delayacct✗ sysctl kernel.task_delayacct=1" ui_wait "delayacct✗ sysctl kernel.task_delayacct=1" 3
else
	skip "delay accounting is on here: no block-delay gate to see"
fi
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

# the man page's gate table comes from the same registry rows
if [ -x "$CTP_BUILD/man/mangen" ]; then
	"$CTP_BUILD/man/mangen" "$CTP_SRCDIR/man/ctprof-top.1.in" VERSION=t PREFIX=/usr >"$TMPD/top.1"
	check "ctprof-top.1 lists the schedstats gate with its metrics and both hints" \
		sh -c 'tr "\n" " " <"$1" | grep -q "\.TP \.B schedstats \.BR nr_wakeups , [^T]*\.B core_forceidle_sum [^T]*sysctl kernel\.sched_schedstats=1[^T]*needs CONFIG_SCHEDSTATS=y"' _ "$TMPD/top.1"
else
	skip "$CTP_BUILD/man/mangen not built"
fi
done_testing
