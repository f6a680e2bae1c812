#!/usr/bin/env bash
# waits.sh — what threads wait on (issue 17 item 3) end to end: a target with 6 threads parked in
# pthread_cond_wait and one with 3 threads in nanosleep; `-b --wchan` names a futex function as
# the first group's top wait channel (6 of its 7 sleeping threads) and a nanosleep one as the
# second's, in JSON and in the text's "top wait" column; without --wchan neither appears.
set -u
B=${CTP_BUILD:-build}/ctprof-top
W=${CTP_BUILD:-build}/tests/helpers/waiters
T=$(mktemp -d /tmp/ctp-waits-XXXXXX)
P1= P2=
trap 'kill $P1 $P2 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

"$W" futex 6 >"$T/f.out" & P1=$!
"$W" sleep 3 >"$T/s.out" & P2=$!
for _ in $(seq 50); do grep -q '^ready' "$T/f.out" && grep -q '^ready' "$T/s.out" && break; sleep 0.1; done
sleep 0.3
"$B" -b -n 1 -d 0.5 -p "$P1,$P2" --no-probe --wchan --json >"$T/w.json" 2>"$T/err"
ok $? "-b --wchan --json exits 0"
top() {
	python3 - "$T/w.json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get("table") == "groups" and row.get("group") == sys.argv[2]:
        w = row.get("waits", {})
        ch = w.get("channels") or [{}]
        print(w.get("top"), w.get("top_share"), ch[0].get("threads"), w.get("sleeping"))
PY
}
read -r ft fs fn fsl < <(top w_futex)
read -r st ss sn ssl < <(top w_sleep)
echo "# w_futex: ${ft:-?} ${fs:-?} (${fn:-?} of ${fsl:-?}); w_sleep: ${st:-?} ${ss:-?} (${sn:-?} of ${ssl:-?})"
[[ "${ft:-}" == *futex* ]] && [ "${fn:-}" = 6 ] && [ "${fsl:-}" = 7 ]
ok $? "w_futex: the top channel is a futex function, 6 of 7 sleeping threads"
[[ "${st:-}" == *nanosleep* ]] && [ "${sn:-}" = 3 ] && [ "${ssl:-}" = 4 ]
ok $? "w_sleep: the top channel is a nanosleep function, 3 of 4 sleeping threads"
"$B" -b -n 1 -d 0.5 -p "$P1,$P2" --no-probe --wchan >"$T/w.txt" 2>"$T/err"
grep -q 'top wait' "$T/w.txt" && grep -Eq '^w_futex .*futex[a-z_]* 86% \(base 86%\)' "$T/w.txt" &&
	grep -Eq '^w_sleep .*nanosleep 75% \(base 75%\)' "$T/w.txt"
ok $? "text: the top wait column with the share and the previous sample's"
[ $fail = 0 ] || sed 's/^/#   /' "$T/w.txt"
"$B" -b -n 1 -d 0.3 -p "$P1,$P2" --no-probe --json >"$T/n.json" 2>"$T/err"
! grep -q '"waits"' "$T/n.json"; ok $? "without --wchan: no waits object"
echo "1..$n"
exit $fail
