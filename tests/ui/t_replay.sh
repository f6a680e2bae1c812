#!/bin/bash
# t_replay.sh — the live view over a recording (issue 15 item 4): --replay DIR opens at the first
# sample with the position line "HH:MM:SS · 1/N"; . , ) ( move it; [ on one sample and ] on a
# later one make their window the baseline (mode rate vs base rate) and the detail view's base/s
# of run_time is the base_rate that `-b --json -B first,last` prints for the same two files; a
# corrupt file is skipped with a notice; an empty or missing DIR exits 2 with one line.
. "$(dirname "$0")/lib.sh"
ui_init
SPIN="$CTP_BUILD/tests/helpers/spin_threads"
[ -x "$SPIN" ] || skip_all "$SPIN not built"

helper_start spin_threads
SP=$HELPER_PID
REC="$TMPD/rec"
"$BIN" --record "$REC" -d 0.25 -p "$SP" --no-probe 2>"$TMPD/rec.err" & RP=$!
for _ in $(seq 100); do [ "$(ls "$REC" 2>/dev/null | wc -l)" -ge 8 ] && break; sleep 0.1; done
kill -TERM "$RP"; wait "$RP"
n=$(ls "$REC" | wc -l)
check "a recording of $n files" test "$n" -ge 8
mapfile -t F < <(ls "$REC" | sort)

pos() { ui_pane | grep -oE 'replay [0-9]{2}:[0-9]{2}:[0-9]{2} · [0-9]+/[0-9]+' | head -1 | sed 's/.* //'; }
ui_start "--replay $REC" 200 40
check "replay opens at the first sample" ui_wait_re "replay [0-9]{2}:[0-9]{2}:[0-9]{2} · 1/$n" 10
check "the first sample's time is the first file's" ui_wait "replay ${F[0]:9:2}:${F[0]:11:2}:${F[0]:13:2} ·" 2
ui_keys .
check ". one forward" ui_wait "· 2/$n" 5
ui_keys ,
check ", one back" ui_wait "· 1/$n" 5
ui_keys ')'
check ") ten forward (or to the last)" ui_wait_re "· ($n|11)/$n" 5
ui_keys '('
check "( ten back (or to the first)" ui_wait "· 1/$n" 5
# @ HH:MM:SS: the last sample captured at or before it (files 0.25 s apart share a second)
hms=${F[4]:9:6}
want=0
for i in "${!F[@]}"; do [ "${F[$i]:9:6}" \< "$hms" ] || [ "${F[$i]:9:6}" = "$hms" ] && want=$((i + 1)); done
ui_keys @
ui_wait "jump to (HH:MM[:SS] UTC):" 5 >/dev/null
ui_type "${hms:0:2}:${hms:2:2}:${hms:4:2}"; ui_keys Enter
check "@ ${hms:0:2}:${hms:2:2}:${hms:4:2} goes to sample $want" ui_wait "· $want/$n" 5
ui_keys @
ui_wait "jump to (HH:MM[:SS] UTC):" 5 >/dev/null
ui_type "25:00"; ui_keys Enter
check "@ with a bad time: a message" ui_wait "jump: '25:00' is not HH:MM[:SS]" 5
ui_keys '('
ui_wait "· 1/$n" 5 >/dev/null
# [ at sample 2, ] at sample 6, then a later sample
ui_keys .
ui_wait "· 2/$n" 5 >/dev/null
ui_keys '['
check "[ marks the start" ui_wait "window start marked at sample 2" 5
ui_keys . . . .
ui_wait "· 6/$n" 5 >/dev/null
ui_keys ']'
check "] makes the window the baseline" ui_wait "mode: rate vs base rate" 5
check "the header names the window" ui_wait "window baseline ${F[1]} .. ${F[5]}" 3
ui_keys . .
check "a later sample" ui_wait "· 8/$n" 5
ui_wait_re "^ ?spin_threads " 5 >/dev/null
ui_keys d
ui_wait_re "BASE/S +LIVE/S" 5 >/dev/null
row=$(ui_pane | grep -E '^ ?run_time_ns ' | head -1)
diag "detail row: $row"
replay_base=$(echo "$row" | awk '{v = $2; sub(/%$/, "", v); print v / 100}')
"$BIN" -b --json -n 1 -d 0.2 -p "$SP" --no-probe -B "$REC/${F[1]},$REC/${F[5]}" >"$TMPD/b.json" 2>"$TMPD/b.err"
batch_base=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("table") == "groups" and r.get("group") == "spin_threads":
        print(r["run_time_ns"]["base_rate"] / 1e9)' "$TMPD/b.json")
diag "replay base/s $replay_base, batch -B first,last base_rate $batch_base s/s"
check "replay's window gives batch's base rate (3 digits shown)" \
	awk -v a="${replay_base:-0}" -v b="${batch_base:-1}" 'BEGIN {exit !(a > 0 && a >= b * 0.995 && a <= b * 1.005)}'
ui_keys d q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

# a corrupt file inside the recording is skipped with a notice
cp -a "$REC" "$TMPD/rec2"
printf 'not a snapshot' >"$TMPD/rec2/${F[1]}"
ui_start "--replay $TMPD/rec2" 200 40
ui_wait "· 1/$n" 10 >/dev/null
ui_keys .
check "the corrupt file is skipped with a notice" ui_wait "skipped 1 corrupt file" 5
check "the position moved past it" ui_wait "· 3/$n" 3
ui_keys q
check "still exits 0" test "$(ui_wait_exit 5)" = 0

# an empty or missing DIR: exit 2, one line
mkdir "$TMPD/empty"
for d in "$TMPD/empty" "$TMPD/missing"; do
	ui_start "--replay $d" 200 40
	check "--replay $(basename "$d"): exit 2" test "$(ui_wait_exit 10)" = 2
	check "--replay $(basename "$d"): one line naming it" \
		sh -c 'test "$(wc -l <"$1")" = 1 && grep -q "cannot replay: .*$2" "$1"' _ "$TMPD/stderr" "$(basename "$d")"
done
"$BIN" --replay "$REC" -b >/dev/null 2>"$TMPD/err"
check "--replay with -b is refused (exit 2)" test $? = 2
done_testing
