#!/usr/bin/env bash
# openmetrics.sh — the fleet export (issue 18): `-b --format openmetrics` passes `promtool check
# metrics` with no output, ends with "# EOF", names counters in seconds and bytes; processes and
# threads named with quotes, backslashes, newlines and invalid UTF-8 are escaped so the
# exposition still parses; --limit caps the groups; --show FILE exports a file; the option
# checks; --textfile DIR writes DIR/ctprof.prom atomically (a symlinked or non-directory DIR is
# refused); and a real scrape: Debian's prometheus-node-exporter on 127.0.0.1 reads our file
# with its textfile collector and serves our series over HTTP. TAP; each part skips with a
# reason when its tool is missing.
set -u
SRC=${CTP_SRCDIR:-$(pwd)}
BD=${CTP_BUILD:-build}
case $BD in /*) ;; *) BD=$SRC/$BD ;; esac
B=$BD/ctprof-top
T=$(mktemp -d /tmp/ctp-om-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
KEEP=${KEEP:-}
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
skip() { n=$((n+1)); echo "ok $n # skip $1"; }
[ -x "$B" ] || { echo "1..0 # SKIP $B not built"; exit 0; }
PROMTOOL=$(command -v promtool)
# check FILE LABEL: promtool reads it with no complaint (or the test skips)
check() {
	if [ -z "$PROMTOOL" ]; then skip "promtool missing (Debian package prometheus)"; return; fi
	"$PROMTOOL" check metrics <"$1" >"$T/lint" 2>&1; local rc=$?
	[ $rc = 0 ] && [ ! -s "$T/lint" ]; ok $? "$2: promtool check metrics is silent (rc $rc$(head -c 300 "$T/lint" | tr '\n' ' '))"
}

"$B" -b --format openmetrics --no-probe >"$T/live.prom" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$T/err" ]; ok $? "-b --format openmetrics exits 0 (got $rc)"
check "$T/live.prom" "live capture"
[ "$(tail -n 1 "$T/live.prom")" = "# EOF" ]; ok $? "# EOF is the last line"
grep -q '^# TYPE ctprof_run_time_seconds_total counter$' "$T/live.prom" &&
	grep -q '^# HELP ctprof_run_time_seconds_total time on CPU, summed over the group' "$T/live.prom"; ok $? "run time: a counter in seconds with the registry's help"
grep -q '^# TYPE ctprof_hiwater_rss_bytes gauge$' "$T/live.prom" && grep -q '^# TYPE ctprof_rchar_bytes_total counter$' "$T/live.prom"
ok $? "bytes: gauge and counter named _bytes"
grep -q '^# TYPE ctprof_utime_seconds_total counter$' "$T/live.prom"; ok $? "clock ticks exported as seconds"
grep -q '^ctprof_threads{group="[^"]*",axis="pcomm",host="'"$(hostname)"'"} [0-9]' "$T/live.prom"; ok $? "thread counts with group, axis and host labels"
grep -q '^ctprof_capture_duration_seconds{host=".*"} [0-9.e-]*$' "$T/live.prom"; ok $? "the capture's own duration"
if [ -r /proc/pressure/cpu ]; then
	grep -q '^ctprof_host_pressure_stall_seconds_total{resource="cpu",kind="some",host=' "$T/live.prom"; ok $? "host PSI"
else
	skip "no /proc/pressure on this kernel"
fi
# the exported groups are the first of the sort order; ctprof_groups counts all
"$B" -b --format openmetrics --no-probe --limit 3 >"$T/l3.prom"
[ "$(grep -c '^ctprof_threads{' "$T/l3.prom")" = 3 ] && grep -qx 'ctprof_groups_exported{host=".*"} 3' "$T/l3.prom"
ok $? "--limit 3: three groups"
all=$(sed -n 's/^ctprof_groups{host=".*"} //p' "$T/live.prom")
exp=$(sed -n 's/^ctprof_groups_exported{host=".*"} //p' "$T/live.prom")
[ -n "$all" ] && [ "$exp" -le 500 ] && { [ "$all" -gt 500 ] || [ "$exp" = "$all" ]; }; ok $? "default cap 500 ($exp of $all groups)"
"$B" --show "$SRC/tests/snapshots/cmp-b.ctprof.zst" --format openmetrics >"$T/show.prom"; ok $? "--show FILE --format openmetrics"
check "$T/show.prom" "--show of cmp-b (a group named with ESC)"
grep -qF 'ctprof_run_time_seconds_total{group="postgres",axis="pcomm",host=""} 0.03' "$T/show.prom"; ok $? "postgres 30ms as 0.03 s"

# hostile names: a process named q"b\<newline><0xff> (busy) and evil_names' threads by comm
if [ -x "$BD/tests/helpers/busy" ] && [ -x "$BD/tests/helpers/evil_names" ]; then
	"$BD/tests/helpers/busy" 20 1 $'q"b\\\n\xff' >/dev/null 2>&1 &
	P1=$!; PIDS+=("$P1")
	mkfifo "$T/evil.in"
	"$BD/tests/helpers/evil_names" 20 10 0 <"$T/evil.in" >"$T/evil.out" 2>/dev/null &
	P2=$!; PIDS+=("$P2")
	exec 8>"$T/evil.in" # its stdin stays open: the threads wait, named, until we close it
	for _ in $(seq 100); do grep -q ready "$T/evil.out" && break; sleep 0.1; done
	"$B" -b --format openmetrics --no-probe -p "$P1,$P2" >"$T/evil.prom"; ok $? "hostile names exported"
	check "$T/evil.prom" "hostile process names"
	grep -qF 'ctprof_threads{group="q\"b\\\n'$'\xef\xbf\xbd''",axis="pcomm"' "$T/evil.prom"; ok $? "quote, backslash, newline escaped, 0xff as U+FFFD"
	"$B" -b --format openmetrics --no-probe -p "$P2" -g comm-exact >"$T/evilc.prom"
	check "$T/evilc.prom" "hostile thread names (-g comm-exact)"
	grep -qF 'group="a) (b",axis="comm-exact"' "$T/evilc.prom" && grep -qF 'group="'$'\xef\xbf\xbd''x",axis="comm-exact"' "$T/evilc.prom"
	ok $? "thread names: \\xffx with U+FFFD, 'a) (b' as is"
else
	skip "busy or evil_names helper not built"
fi

# option checks
bad() {
	local want=$1; shift
	"$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 2 ] && [ ! -s "$T/out" ] && grep -qF -- "$want" "$T/err"; ok $? "$* -> exit 2: $want (got $rc: $(head -n 1 "$T/err" | head -c 200))"
}
bad "ctprof-top: --format: not text, json or openmetrics" -b --format yaml
bad "ctprof-top: --json is --format json: give one format" -b --json --format openmetrics
bad "ctprof-top: --format openmetrics exports one snapshot's values: use --show FILE" --compare "$SRC/tests/snapshots/cmp-a.ctprof.zst" "$SRC/tests/snapshots/cmp-b.ctprof.zst" --format openmetrics
bad "ctprof-top: --textfile DIR goes with -b" --textfile "$T"
bad "ctprof-top: --textfile writes the openmetrics format only" -b --textfile "$T" --format json
"$B" -b --format json -n 1 -d 0.1 --no-probe -p $$ >"$T/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -q '^{"table":"sample"' "$T/out"; ok $? "--format json is --json"

# --textfile DIR
mkdir "$T/tf"
"$B" -b --textfile "$T/tf" -n 1 --no-probe >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ -f "$T/tf/ctprof.prom" ] && [ ! -s "$T/out" ]; ok $? "--textfile writes DIR/ctprof.prom, nothing on stdout"
[ "$(ls -A "$T/tf")" = ctprof.prom ]; ok $? "no temp file left"
[ "$(stat -c %a "$T/tf/ctprof.prom")" = 644 ]; ok $? "mode 0644 (node_exporter reads it)"
check "$T/tf/ctprof.prom" "textfile"
ln -s "$T/tf" "$T/link"
bad "ctprof-top: --textfile: $T/link: is a symlink (give the directory itself)" -b --textfile "$T/link" -n 1
bad "ctprof-top: --textfile: $T/tf/ctprof.prom: not a directory" -b --textfile "$T/tf/ctprof.prom" -n 1
# -n 2 -d 0.2: the file is replaced (a new inode each refresh: rename, never written in place)
ino1=$(stat -c %i "$T/tf/ctprof.prom")
exec 9<"$T/tf/ctprof.prom" # held open: its inode number cannot be reused
"$B" -b --textfile "$T/tf" -n 2 -d 0.2 --no-probe; ok $? "--textfile -n 2"
[ "$(stat -c %i "$T/tf/ctprof.prom")" != "$ino1" ]; ok $? "the file was replaced by rename"
exec 9<&-

# a real scrape through node_exporter's textfile collector
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
if [ -z "$NE" ]; then
	skip "prometheus-node-exporter missing (Debian package prometheus-node-exporter)"
elif ! command -v python3 >/dev/null; then
	skip "python3 missing (free port, HTTP read)"
else
	[ -n "${P1:-}" ] && "$B" -b --textfile "$T/tf" -n 1 --no-probe -p "$P1,$P2"
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$NE" --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$T/tf" >"$T/ne.log" 2>&1 &
	PIDS+=($!)
	got=1
	for _ in $(seq 100); do
		if python3 - "$PORT" >"$T/scrape" 2>/dev/null <<'PY'
import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode("utf-8", "replace"))
PY
		then got=0; break; fi
		sleep 0.2
	done
	ok $got "node_exporter on 127.0.0.1:$PORT answered"
	grep -q '^ctprof_run_time_seconds_total{axis="pcomm",group="[^"]*",host=".*"} [0-9]' "$T/scrape"; ok $? "our counters in the scrape"
	grep -qx 'node_textfile_scrape_error 0' "$T/scrape"; ok $? "the textfile collector read our file without error"
	if [ -n "${P1:-}" ]; then
		grep -qF 'group="q\"b\\\n'$'\xef\xbf\xbd''"' "$T/scrape"; ok $? "the hostile name came through the scrape"
	fi
fi
echo "1..$n"
exit $fail
