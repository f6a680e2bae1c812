#!/usr/bin/env bash
# valgrind.sh — the snapshot loader tests (well-formed, bad and hostile files) under valgrind
# memcheck: no invalid access, no uninitialised use, no leak. Skipped in the ASan build (the two
# cannot be combined) and when valgrind is not installed.
B=${CTP_BUILD:-build}
case "$B" in *san*) echo "1..0 # SKIP valgrind does not run ASan binaries"; exit 0 ;; esac
command -v valgrind >/dev/null 2>&1 || { echo "1..0 # SKIP valgrind not installed"; exit 0; }
n=0 fail=0
for t in t_snapfile t_hostile; do
	n=$((n + 1))
	if valgrind --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite,indirect -q \
		"$B/tests/$t" >"$B/tests/$t.valgrind.log" 2>&1; then
		echo "ok $n - $t clean under valgrind memcheck"
	else
		echo "not ok $n - $t under valgrind (see $B/tests/$t.valgrind.log)"
		grep -E '^==[0-9]+== ' "$B/tests/$t.valgrind.log" | head -20 | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
