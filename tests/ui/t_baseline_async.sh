#!/bin/bash
# t_baseline_async.sh — `b` loads the baseline off the UI thread: while a load is held back (the
# CTP_TEST_LOAD_GATE hook waits for a file, so nothing depends on timing) the title says
# "loading baseline", h opens the help and Esc leaves it, a second b is refused, B cancels, q
# quits at once; released, the load lands. A file with 400k smaps keys in descending order
# (21 s to load before the loader sorted once) loads while the keys keep working.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
BIN="$CTP_BUILD/tests/ctprof-top-hooks" # the test build: CTP_TEST_LOAD_GATE works there only
ui_init
command -v zstd >/dev/null || skip_all "zstd CLI missing"
command -v python3 >/dev/null || skip_all "python3 missing"

SNAP="$TMPD/example.ctprof.zst"
BIG="$TMPD/big.ctprof.zst"
GATE="$TMPD/gate"
zstd -q -c "$CTP_SRCDIR/tests/snapshots/example.compact.json" > "$SNAP"
python3 - "$CTP_SRCDIR/tests/snapshots/example.compact.json" <<'PY' | zstd -q -c > "$BIG"
import re, sys
doc = open(sys.argv[1]).read()
keys = ",".join('"k%07d":%d' % (i, i) for i in range(399999, -1, -1))
sys.stdout.write(re.sub(r'"smaps_rollup_kib":\{[^}]*\}', lambda m: '"smaps_rollup_kib":{' + keys + '}', doc, count=1))
PY
check "big baseline generated" test -s "$BIG"

no_text() { ! ui_pane | grep -qF -- "$1"; }
# ui_wait_gone TEXT TIMEOUT_S — polls until TEXT is no longer on the pane
ui_wait_gone() {
	i=0
	while [ "$i" -lt $(($2 * 10)) ]; do no_text "$1" && return 0; sleep 0.1; i=$((i + 1)); done
	diag "'$1' still shown; pane:"; diag "$(ui_pane)"
	return 1
}

# b_load FILE — b, the path, Enter
b_load() {
	ui_keys b; ui_wait "baseline file:" 5 >/dev/null; ui_keys C-u; ui_type "$1"; ui_keys Enter
}

ui_start "--no-probe -d 0.5" 160 40 "CTP_TEST_LOAD_GATE=$GATE"
ui_wait "GROUP(pcomm)" 10 || true
b_load "$SNAP"
check "the title shows the load in progress" ui_wait "loading baseline" 5
check "the status line names the file being loaded" ui_wait "loading baseline $SNAP..." 3
ui_keys h
check "h opens the help while the load runs" ui_wait "show this help" 5
check "the load is still running" ui_wait "loading baseline" 1
ui_keys Escape
check "Esc leaves the help while the load runs" ui_wait_gone "show this help" 5
ui_keys b
check "a second b while loading is refused" ui_wait "still loading baseline" 5
touch "$GATE"
check "released, the load lands" ui_wait_re "baseline .*example\.ctprof\.zst loaded \(1 threads\)" 10
check "header names the loaded baseline" ui_wait "baseline: example.ctprof.zst (" 3
check "no loading notice once done" no_text "loading baseline"
check "mode switched to vs baseline" ui_wait "mode: vs baseline" 3

# B cancels a held-back load; q while a load is held back exits at once
rm -f "$GATE"
b_load "$SNAP"
ui_wait "loading baseline" 5 >/dev/null
ui_keys B
check "B cancels the running load" ui_wait "current sample is now the baseline (file load cancelled)" 5
touch "$GATE"
b_load "$TMPD/missing.ctprof.zst"
check "a missing file is reported by the loader" ui_wait "cannot load baseline" 10
rm -f "$GATE"
b_load "$SNAP"
ui_wait "loading baseline" 5 >/dev/null
ui_keys q
check "q while a load runs exits 0 without waiting for it" test "$(ui_wait_exit 5)" = 0

# the big descending file (no probe in this test: its captures stay quick whatever runs on the host): loads, and keys answer while it does
ui_start "--no-probe -d 0.5" 160 40
ui_wait "GROUP(pcomm)" 10 || true
b_load "$BIG"
ui_keys h
check "h answers right after b on a 400k-key file" ui_wait "show this help" 10
check "the 400k-key file loads" ui_wait_re "baseline .*big\.ctprof\.zst loaded \(1 threads\)" 15
ui_keys Escape; ui_wait_gone "show this help" 5 >/dev/null
ui_keys q
st=$(ui_wait_exit 10)
check "exit 0 ($st)" test "$st" = 0
[ "$st" = 0 ] || diag "$(cat "$TMPD/stderr")"
done_testing
