#!/bin/sh
# delayacct_on.sh IN OUT — a copy of snapshot IN whose host says delay accounting was on and
# whose threads carry the block-delay flag: the "kernel switch between the sides" fixture of
# gateflip.sh and ui/t_gatenote_live.sh. Exit status: the pipeline's (zstd's last).
zstd -qdc "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["host"]["task_delayacct"] = "on"
for t in d["threads"]:
    t["delay_block_active"] = True
json.dump(d, sys.stdout)' | zstd -q -o "$2"
