#!/bin/bash
# t_outliers.sh — the thread view marks outlier threads (issue 17 item 1): hot_threads runs 8
# workers, worker-0 burning 8x the CPU of the others; Enter on its group lists the threads by
# run_time and only worker-0 reads 'worker-0 !' (more than 4x the group's median). F1 documents
# the marker.
. "$(dirname "$0")/lib.sh"
ui_init

helper_start hot_threads
HP=$HELPER_PID
check "hot_threads is ready" grep -q "^ready $HP\$" "$TMPD/hot_threads.out"

ui_start "-d 1 -p $HP --no-probe" 160 120
check "live view up" ui_wait "hot_threads" 10
ui_keys Enter
check "thread view" ui_wait "[threads of hot_threads" 10
check "worker-0 is marked as an outlier" ui_wait_re "^ *[0-9]+ worker-0 ! " 10
sleep 1.2 # another refresh
diag "$(ui_pane | grep -E 'worker|TID')"
check "worker-0 still marked" ui_wait_re "^ *[0-9]+ worker-0 ! " 5
check "no other thread is marked" sh -c "[ \$(tmux -L $SOCK capture-pane -p | grep -cE '^ *[0-9]+ [a-z_]+(-[0-9])? ! ') = 1 ]"
ui_keys F1
check "help documents the marker" ui_wait "name !" 5
ui_keys q
ui_keys q
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
