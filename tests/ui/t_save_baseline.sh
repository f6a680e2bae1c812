#!/bin/bash
# t_save_baseline.sh — s + Enter saves the current sample atomically (status line names path and
# size); --show reads it back; a restart with --baseline on it shows non-zero deltas for the
# ctpbusy helper started in between; bad paths for s and b give status messages, not crashes.
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
SNAP="$TMPD/snap.ctprof.zst"

ui_start "-d 0.5" 200 40 # wide: the status line's messages follow the groups/sort crumb
ui_wait "GROUP(pcomm)" 10 || true
ui_keys s
check "s opens a save prompt" ui_wait "save to: ctprof-" 5
check "default name carries a timestamp" ui_wait_re "save to: ctprof-[0-9]{8}-[0-9]{6}\.ctprof\.zst" 2
ui_keys C-u
ui_type "$SNAP"
ui_keys Enter
check "status line confirms path and size" ui_wait_re "saved .*snap\.ctprof\.zst \([0-9]+ bytes" 10
check "snapshot file written" test -s "$SNAP"
check "no temp file left behind" test "$(ls "$TMPD" | grep -c snap)" = 1
check "file is zstd" sh -c "head -c 4 '$SNAP' | od -An -tx1 | grep -q '28 b5 2f fd'"

# saving into a missing directory: an error on the status line, still running
ui_keys s; ui_wait "save to:" 5 >/dev/null; ui_keys C-u; ui_type "$TMPD/no/such/dir/x.ctprof.zst"; ui_keys Enter
check "save error shown" ui_wait "save failed" 5
# b with a corrupt file: status line message, still running
printf 'not a snapshot' > "$TMPD/bad.ctprof.zst"
ui_keys b; ui_wait "baseline file:" 5 >/dev/null; ui_keys C-u; ui_type "$TMPD/bad.ctprof.zst"; ui_keys Enter
check "bad baseline via b reported" ui_wait "cannot load baseline" 5
# B: the current sample becomes the baseline
ui_keys B
check "B rebases" ui_wait "current sample is now the baseline" 5
check "mode switched to vs baseline" ui_wait "mode: vs baseline" 3
# b with the good file replaces the shared B baseline
ui_keys b; ui_wait "baseline file:" 5 >/dev/null; ui_keys C-u; ui_type "$SNAP"; ui_keys Enter
check "b loads a good baseline" ui_wait_re "baseline .*snap\.ctprof\.zst loaded \([0-9]+ threads\)" 5
check "header names the loaded baseline" ui_wait "baseline: snap.ctprof.zst (" 3
ui_keys q
check "exit 0 after errors" test "$(ui_wait_exit 5)" = 0

if "$BIN" --help 2>&1 | grep -q -- '--show'; then
	"$BIN" --show "$SNAP" >"$TMPD/show.out" 2>&1; rc=$?
	check "--show of the saved file exits 0" test "$rc" = 0
	check "--show prints the groups (ctprof-top itself among them)" grep -q ctprof-top "$TMPD/show.out"
else
	skip "--show: $BIN has no --show yet"
	skip "--show prints groups"
fi

busy_start 30 2
sleep 1
ui_start "-d 0.5 --baseline $SNAP"
check "baseline mode" ui_wait "mode: vs baseline" 10
check "header names the baseline" ui_wait "baseline: snap.ctprof.zst" 3
ui_wait "GROUP(pcomm)" 10 >/dev/null
ui_keys /
ui_wait "filter" 3 >/dev/null
ui_type ctpbusy
ui_keys Enter
check "filter narrows to one group" ui_wait "[1 groups]" 5
check "ctpbusy (started after the snapshot) is new with its run time" ui_wait_re "^ctpbusy new +0→[0-9]+ +[1-9][0-9.]*(µs|ms|s) " 10
row=$(ui_row 'ctpbusy'); diag "row: $row"
ui_keys q
check "exit 0" test "$(ui_wait_exit 5)" = 0
done_testing
