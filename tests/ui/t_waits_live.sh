#!/bin/bash
# t_waits_live.sh — what threads wait on, on screen (issue 17 item 3): with --wchan, the detail
# view (d) of a group whose 6 threads wait in pthread_cond_wait lists "wait futex_do_wait" (a
# futex function) first with 86% (6) of its 7 sleeping threads; without --wchan no wait rows.
. "$(dirname "$0")/lib.sh"
ui_init

helper_start waiters futex 6
WP=$HELPER_PID
check "waiters is ready" grep -q "^ready $WP\$" "$TMPD/waiters.out"

ui_start "-d 1 -p $WP --no-probe --wchan" 200 50
check "live view up" ui_wait "w_futex" 10
ui_keys d
check "detail view: the futex channel first, 86% (6)" ui_wait_re "^ *wait [a-z_]*futex[a-z_]* .* 86% \(6\)" 10
row=$(ui_pane | grep -E '^ *wait ' | head -2 | tr '\n' '|')
diag "wait rows: $row"
ui_keys q
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

ui_start "-d 1 -p $WP --no-probe" 200 50
check "live view up without --wchan" ui_wait "w_futex" 10
ui_keys d
check "detail view up" ui_wait "run_time_ns" 10
check "no wait rows without --wchan" sh -c '! tmux -L "$1" capture-pane -p | grep -qE "^ *wait "' _ "$SOCK"
ui_keys q
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
