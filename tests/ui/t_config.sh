#!/bin/bash
# t_config.sh — settings round trip through the UI: S writes the config file (grouping, sort,
# column set, interval), a restart reads it back, and a malformed line only warns (file:line).
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
XDG="$TMPD/xdg"
CFG="$XDG/ctprof-top/config"

ui_start "-d 0.5 --no-probe" 120 40 "XDG_CONFIG_HOME=$XDG"
check "view up" ui_wait "GROUP(pcomm)" 10
ui_keys g                       # pcomm -> cgroup (the cycle order of the g key)
check "g changed the grouping" ui_wait "GROUP(cgroup)" 5
ui_keys 3                       # column set: memory
ui_keys +                       # longer interval
ui_keys '>'                     # a sort key (the default order saves none)
ui_keys S
check "S confirms the save" ui_wait "settings saved to $CFG" 5
check "config file written" test -s "$CFG"
check "file has the grouping" grep -Eq "^group_by *= *cgroup$" "$CFG"
check "file has the column set" grep -Eq '^columns *= *memory$' "$CFG"
check "file has a sort" grep -Eq '^sort_by *= *[a-z_]+:(asc|desc)$' "$CFG"
check "file has the interval" grep -Eq '^interval *= *1(\.0+)?$' "$CFG"
check "file has hide_idle" grep -Eq '^hide_idle *= *(true|false)$' "$CFG"
check "file has hide_unchanged" grep -Eq '^hide_unchanged *= *false$' "$CFG"
ui_keys q
check "q exits 0" test "$(ui_wait_exit 5)" = 0

# restart: the file's settings apply without any option
ui_start "--no-probe" 120 40 "XDG_CONFIG_HOME=$XDG"
check "restart groups by cgroup from the file" ui_wait "GROUP(cgroup)" 10
check "restart uses the saved interval" ui_wait_re "mode: [a-z /]+ │ 1s" 5
check "restart shows the memory column set" ui_wait "[memory]" 5
ui_keys q
check "q exits 0 again" test "$(ui_wait_exit 5)" = 0

# a malformed line warns with file:line and is ignored; options still win over the file
printf '# mine\ninterval = fast\ngroup_by = comm\n' > "$CFG"
ui_start "-g pcomm --no-probe" 120 40 "XDG_CONFIG_HOME=$XDG"
check "option -g overrides the file" ui_wait "GROUP(pcomm)" 10
ui_keys q
ui_wait_exit 5 >/dev/null
check "malformed line warned with file:line" grep -q "^$CFG:2: " "$TMPD/stderr"
done_testing
