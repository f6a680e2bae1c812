#!/bin/bash
# t_baseline_errors.sh — a missing, corrupt, truncated or non-JSON baseline ends start-up with
# one line on stderr and exit 2 (no screen opened, no crash); a baseline from another host
# opens normally with a warning in the header.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init

bad_start() { # bad_start NAME FILE
	"$BIN" --baseline "$2" </dev/null >"$TMPD/out" 2>"$TMPD/err"; rc=$?
	check "$1: exit 2" test "$rc" = 2
	check "$1: exactly one line on stderr" test "$(wc -l < "$TMPD/err")" = 1
	check "$1: message names the file" grep -qF -- "$2" "$TMPD/err"
	check "$1: nothing on stdout (screen never opened)" test ! -s "$TMPD/out"
	diag "$(cat "$TMPD/err")"
}

bad_start "missing" "$TMPD/nope.ctprof.zst"
head -c 4096 /dev/urandom > "$TMPD/random.ctprof.zst"
bad_start "random bytes" "$TMPD/random.ctprof.zst"
: > "$TMPD/empty.ctprof.zst"
bad_start "empty file" "$TMPD/empty.ctprof.zst"
if command -v zstd >/dev/null; then
	echo '{"captured_at_unix_ns": "x"}' | zstd -q -c > "$TMPD/badjson.ctprof.zst"
	bad_start "zstd of bad JSON" "$TMPD/badjson.ctprof.zst"
else
	skip "zstd CLI missing: bad-JSON case"
fi
mkdir "$TMPD/dir.ctprof.zst"
bad_start "a directory" "$TMPD/dir.ctprof.zst"

# a good snapshot, then a truncated copy and a copy from "another host"
ui_start "-d 0.5"
ui_wait "GROUP(pcomm)" 10 >/dev/null
ui_keys s; ui_wait "save to:" 5 >/dev/null; ui_keys C-u; ui_type "$TMPD/good.ctprof.zst"; ui_keys Enter
ui_wait "saved" 10 >/dev/null
ui_keys q; ui_wait_exit 5 >/dev/null
check "good snapshot saved" test -s "$TMPD/good.ctprof.zst"
head -c $(( $(stat -c %s "$TMPD/good.ctprof.zst") / 2 )) "$TMPD/good.ctprof.zst" > "$TMPD/trunc.ctprof.zst"
bad_start "truncated" "$TMPD/trunc.ctprof.zst"

if command -v zstd >/dev/null && command -v python3 >/dev/null; then
	zstd -q -d -c "$TMPD/good.ctprof.zst" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
if d.get("host") is None:
    d["host"] = {}
d["host"]["cpu_model"] = "Imaginary CPU 9000 @ 1.00GHz"
sys.stdout.write(json.dumps(d, separators=(",", ":")))' | zstd -q -c > "$TMPD/other.ctprof.zst"
	ui_start "-d 0.5 --baseline $TMPD/other.ctprof.zst"
	check "another host: opens" ui_wait "mode: vs baseline" 10
	check "another host: warning in the header" ui_wait "baseline looks like another host (cpu model differs)" 5
	ui_keys q
	check "another host: exits 0" test "$(ui_wait_exit 5)" = 0
else
	skip "zstd/python3 missing: another-host case"
fi
done_testing
