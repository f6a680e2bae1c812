#!/usr/bin/env bash
# batch20.sh — issue 20 in batch mode, on two svc_workload pools (A: 6 workers, B: 4; filtered
# with -p A,B so that other tests' workloads never count): new and gone groups read as in the
# live view (`svc-worker-4 new 0→1`, `-→0.42`; `gone 1→0`, `0.51→-`, unsigned sums); -b prints
# the columns asked for (--metrics, the config's columns, the sort metric added), every one of
# them (text in blocks, JSON all); rates mode shows a ratio as its window value (JSON delta and
# pct null); a window compare with --hide-unchanged drops `nice 0 0 +0` as the plain one does.
set -u
B=${CTP_BUILD:-build}/ctprof-top
SVC=${CTP_BUILD:-build}/tests/helpers/svc_workload
T=$(mktemp -d /tmp/ctp-b20-XXXXXX)
PA= PB=
trap '[ -n "$PA" ] && kill "$PA" 2>/dev/null; [ -n "$PB" ] && kill "$PB" 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
diag() { printf '# %s\n' "$@"; }
export XDG_CONFIG_HOME=$T/xdg
mkdir -p "$XDG_CONFIG_HOME/ctprof-top"

[ -x "$SVC" ] || { echo "1..0 # SKIP $SVC not built"; exit 0; }
mkfifo "$T/in" && exec 3<>"$T/in" # the pools' stdin: open for as long as the test runs
start() { # start NAME WORKERS: sets P<NAME>
	"$SVC" -w "$2" -t 60 <&3 >"$T/$1.out" &
	eval "P$1=$!"
	for _ in $(seq 50); do grep -q '^ready' "$T/$1.out" && break; sleep 0.1; done
}
start A 6
start B 4
grep -q ready "$T/A.out" && grep -q ready "$T/B.out"; ok $? "two pools ready (A $PA, B $PB)"
sleep 0.5
"$B" -o "$T/a.ctprof.zst" --pid "$PA" --no-probe 2>/dev/null && "$B" -o "$T/b.ctprof.zst" --pid "$PB" --no-probe 2>/dev/null
ok $? "a capture of each pool"
run() { "$B" -b -n 1 -d 0.4 --no-probe -p "$PA,$PB" -g comm-exact "$@" 2>&1; }
col() { # col FILE ROW_RE METRIC: the cell of METRIC's column on the row matching ROW_RE
	awk -v re="$2" -v m="$3" 'NR == 1 || /^comm / { for (i = 1; i <= NF; i++) if ($i == m || $i == m "/s") c = i }
		$0 ~ re && c { off = ($2 == "new" || $2 == "gone"); print $(c + off); exit }' "$1"
}

# ---- item 1: new and gone groups (vs the baseline B: A's svc-worker-4 and -5 are new) ----
run -B "$T/b.ctprof.zst" >"$T/new.txt"
sed -n '1,3p' "$T/new.txt" | sed 's/^/# /'
grep -Eq '^svc-worker-4 new +0→1 ' "$T/new.txt"; ok $? "a new group: 'svc-worker-4 new 0→1'"
v=$(col "$T/new.txt" '^svc-worker-4 new' cpu_efficiency)
printf '%s' "$v" | grep -Eq '^-→[0-9]+\.[0-9]{2}$'; ok $? "its ratio reads -→0.NN ($v)"
v=$(col "$T/new.txt" '^svc-worker-4 new' run_time_ns)
printf '%s' "$v" | grep -Eq '^[0-9.]+(ns|µs|ms|s)$'; ok $? "its run time is the live value, unsigned ($v)"

kill "$PA"; wait "$PA" 2>/dev/null; PA_OLD=$PA; PA=
sleep 0.3
# A is gone: against the baseline A, svc-worker-4 and -5 are gone (B has 0..3)
"$B" -b -n 1 -d 0.4 --no-probe -p "$PA_OLD,$PB" -g comm-exact -B "$T/a.ctprof.zst" >"$T/gone.txt" 2>&1
grep -Eq '^svc-worker-5 gone +1→0 ' "$T/gone.txt"; ok $? "a gone group: 'svc-worker-5 gone 1→0'"
v=$(col "$T/gone.txt" '^svc-worker-5 gone' cpu_efficiency)
printf '%s' "$v" | grep -Eq '^[0-9]+\.[0-9]{2}→-$'; ok $? "its ratio reads 0.NN→- ($v)"
v=$(col "$T/gone.txt" '^svc-worker-5 gone' run_time_ns)
printf '%s' "$v" | grep -Eq '^[0-9.]+(ns|µs|ms|s)$'; ok $? "its run time is the baseline value, unsigned ($v)"

# ---- item 2: the columns asked for ----
run -s avg_slice_ns >"$T/sort.txt"
grep -Eq '^comm .* avg_slice_ns( |$)' "$T/sort.txt"; ok $? "-s avg_slice_ns: its column is printed"
run --metrics run_time_ns,nr_migrations >"$T/m.txt"
hdr=$(sed -n 2p "$T/m.txt" | tr -s ' ')
[ "$hdr" = "comm threads run_time_ns/s nr_migrations/s " ] || [ "$hdr" = "comm threads run_time_ns/s nr_migrations/s" ]
ok $? "--metrics run_time_ns,nr_migrations: those columns, in that order ($hdr)"
printf 'columns = voluntary_csw,cpu_efficiency\n' >"$XDG_CONFIG_HOME/ctprof-top/config"
run >"$T/cfg.txt"
hdr=$(sed -n 2p "$T/cfg.txt" | tr -s ' ')
printf '%s\n' "$hdr" | grep -Eq '^comm threads voluntary_csw/s cpu_efficiency run_time_ns/s ?$'
ok $? "config columns, the default sort metric added last ($hdr)"
rm -f "$XDG_CONFIG_HOME/ctprof-top/config"
ALL=run_time_ns,wait_time_ns,cpu_efficiency,thread_cpu_share,voluntary_csw,nonvoluntary_csw,thread_vcsw_rate
ALL=$ALL,nr_migrations,timeslices,avg_slice_ns,utime_clock_ticks,stime_clock_ticks,minflt,majflt,rchar,wchar
ALL=$ALL,read_bytes,write_bytes,syscr,syscw,avg_wait_ns
run --metrics "$ALL" --json >"$T/all.json"
got=$(grep -m1 '"table":"groups"' "$T/all.json" | grep -o '"[a-z_]*":{"base"' | wc -l)
ok $(( got == 21 ? 0 : 1 )) "JSON carries all 21 chosen columns ($got)"
run --metrics "$ALL" >"$T/all.txt"
missing=0
for m in $(echo "$ALL" | tr , ' '); do grep -Eq "(^| )$m(/s)?( |$)" "$T/all.txt" || { missing=1; diag "no column $m"; }; done
ok $missing "text prints all 21 chosen columns (in blocks)"
grep -q '^(columns 15-21 of 21)$' "$T/all.txt"; ok $? "the second block says which columns it holds"

# ---- item 3: rates mode, a ratio is its window value ----
run --metrics cpu_efficiency,run_time_ns >"$T/r.txt"
v=$(col "$T/r.txt" '^svc-worker-0 ' cpu_efficiency)
printf '%s' "$v" | grep -Eq '^[0-9]+\.[0-9]{2}$'; ok $? "rates mode: cpu_efficiency is one number ($v)"
run --metrics cpu_efficiency,run_time_ns --json >"$T/r.json"
e=$(grep '"group":"svc-worker-0"' "$T/r.json" | grep -o '"cpu_efficiency":{[^}]*}')
diag "json: $e"
printf '%s' "$e" | grep -Eq '"live":0?\.?[0-9]' && printf '%s' "$e" | grep -q '"delta":null,"pct":null'
ok $? "rates JSON: cpu_efficiency live is the window value, delta and pct null"
e=$(grep '"group":"svc-worker-0"' "$T/r.json" | grep -o '"run_time_ns":{[^}]*}')
printf '%s' "$e" | grep -q '"pct":null' && printf '%s' "$e" | grep -Eq '"delta":[0-9]'
ok $? "rates JSON: run_time_ns has its rate and no percent ($e)"

# ---- item 5: window compare --hide-unchanged ----
cap() { "$B" -o "$T/$1" --pid "$PB" --no-probe 2>/dev/null; }
cap w1.ctprof.zst; sleep 0.5; cap w2.ctprof.zst; sleep 0.2; cap w3.ctprof.zst; sleep 0.5; cap w4.ctprof.zst
W="$T/w1.ctprof.zst,$T/w2.ctprof.zst $T/w3.ctprof.zst,$T/w4.ctprof.zst"
"$B" --compare $W -g comm-exact >"$T/wc.txt" 2>&1
grep -Eq '^svc-worker-0 +1 +nice +0 +0 ' "$T/wc.txt"; ok $? "window compare lists nice 0 0 by default"
"$B" --compare $W -g comm-exact --hide-unchanged >"$T/wch.txt" 2>&1
grep -q ' run_time_ns ' "$T/wch.txt" && ! grep -Eq ' nice +0 +0 ' "$T/wch.txt"
ok $? "--hide-unchanged drops it (as the plain compare does)"

echo "1..$n"
exit $fail
