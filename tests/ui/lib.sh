#!/bin/bash
# lib.sh — shared helpers for the tmux UI tests: TAP output, a private tmux server (socket
# ctp<pid>) of fixed size running the real $CTP_BUILD/ctprof-top, polling capture-pane for text
# with a timeout, and cleanup of the server, temp dir and helper processes at exit.
# Source it, then: ui_init; ui_start "args"; ui_wait "text" || ...; ui_keys q; ui_wait_exit

if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run directly (prove): not a test by itself
	echo "1..0 # SKIP helper library, sourced by tests/ui/t_*.sh"
	exit 0
fi

: "${CTP_BUILD:=build}"
: "${CTP_SRCDIR:=$(pwd)}"
BIN="$CTP_BUILD/ctprof-top"
SOCK="ctp$$"
SOCK_N=0
TMPD=""
T_N=0
T_FAIL=0
BG_PIDS=""

tmux_() { tmux -L "$SOCK" "$@"; }

ui_cleanup() {
	tmux_ kill-server >/dev/null 2>&1
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}

# skip_all REASON — no tmux / binary: a TAP skip, never a silent pass
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ui_init() {
	command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed"
	[ -x "$BIN" ] || skip_all "$BIN not built"
	TMPD=$(mktemp -d /tmp/ctp-ui.XXXXXX)
	trap ui_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
check() { # check "description" command...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
skip() { T_N=$((T_N + 1)); echo "ok $T_N # SKIP $*"; }
diag() { echo "# $*" | sed '2,$s/^/# /'; }
done_testing() { echo "1..$T_N"; [ "$T_FAIL" -eq 0 ]; }

# ui_start "ARGS" [WIDTH HEIGHT] [ENV...] — runs the binary in a fresh tmux server; its exit
# status lands in $TMPD/exit and the pane stays open to show the restored terminal
ui_start() {
	args=$1; w=${2:-120}; h=${3:-40}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	rm -f "$TMPD/exit"
	tmux_ kill-server >/dev/null 2>&1
	SOCK_N=$((SOCK_N + 1)); SOCK="ctp$$_$SOCK_N" # a fresh server: no race with the dying one
	envs="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $*"
	tmux_ -f /dev/null new-session -d -x "$w" -y "$h" \
		"env $envs $BIN $args 2>$TMPD/stderr; echo \$? > $TMPD/exit; echo EXITED; exec sleep 600"
}

ui_pane() { tmux_ capture-pane -p "$@" 2>/dev/null; }

# ui_wait TEXT [TIMEOUT_S=10] — polls the pane until TEXT (grep -F) appears
ui_wait() {
	text=$1; tmo=${2:-10}; i=0
	while [ "$i" -lt $((tmo * 10)) ]; do
		ui_pane | grep -qF -- "$text" && return 0
		sleep 0.1; i=$((i + 1))
	done
	diag "timed out waiting for '$text'; pane:"; diag "$(ui_pane)"
	return 1
}

# ui_wait_re REGEX [TIMEOUT_S=10] — like ui_wait with an extended regex
ui_wait_re() {
	re=$1; tmo=${2:-10}; i=0
	while [ "$i" -lt $((tmo * 10)) ]; do
		ui_pane | grep -qE -- "$re" && return 0
		sleep 0.1; i=$((i + 1))
	done
	diag "timed out waiting for /$re/; pane:"; diag "$(ui_pane)"
	return 1
}

ui_keys() { tmux_ send-keys "$@"; }
ui_type() { tmux_ send-keys -l "$1"; }

# ui_wait_exit [TIMEOUT_S=10] — waits for the binary to end; prints its exit status
ui_wait_exit() {
	tmo=${1:-10}; i=0
	while [ ! -s "$TMPD/exit" ] && [ "$i" -lt $((tmo * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$TMPD/exit" ] && cat "$TMPD/exit" || echo timeout
}

# 0 when the pane is back on the normal screen (curses left the alternate screen)
ui_restored() { [ "$(tmux_ display -p '#{alternate_on}')" = 0 ]; }

# the table row whose first cell is NAME (leading spaces trimmed)
ui_row() { ui_pane | grep -E "^[ +-]?$1( |$)" | head -1; }

# helper_start NAME [ARGS...] — runs tests/helpers/NAME in the background (killed at exit), its
# output in $TMPD/NAME.out, and waits up to 5 s for its "ready PID" line; sets HELPER_PID
helper_start() {
	local name=$1
	shift
	"$CTP_BUILD/tests/helpers/$name" "$@" >"$TMPD/$name.out" &
	HELPER_PID=$!
	BG_PIDS="$BG_PIDS $HELPER_PID"
	for _ in $(seq 50); do grep -q '^ready' "$TMPD/$name.out" && break; sleep 0.1; done
}

# busy_start SECS THREADS [NAME] — runs the ctpbusy helper in the background; sets BUSY_PID
busy_start() {
	"$CTP_BUILD/tests/helpers/busy" "$@" >"$TMPD/busy.pid" &
	BUSY_PID=$!
	BG_PIDS="$BG_PIDS $BUSY_PID"
}
