#!/bin/sh
# fuzz.sh — short smoke run of every libFuzzer harness (tests/fuzz/fuzz_*.c) inside `make test`:
# builds them into build-fuzz/ (make fuzz-build), replays the seed corpus and fuzzes each for
# FUZZ_SMOKE_SECONDS (default: 14 s shared by all harnesses). TAP; skips when clang or the
# libFuzzer runtime is missing. Long runs: `make fuzz FUZZ_SECONDS=...` (see Makefile).
SRC=${CTP_SRCDIR:-$(pwd)}
cd "$SRC" || exit 1
FO=build-fuzz
harnesses=$(ls tests/fuzz/fuzz_*.c 2>/dev/null | sed 's|.*/||; s|\.c$||')
n=$(echo $harnesses | wc -w)

if ! command -v clang >/dev/null 2>&1; then
	echo "1..0 # SKIP clang not installed (apt-get install clang)"; exit 0
fi
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
	rm -rf "$probe"; echo "1..0 # SKIP clang cannot link -fsanitize=fuzzer (libclang-rt-dev missing)"; exit 0
fi
rm -rf "$probe"
if [ "$n" = 0 ]; then echo "1..0 # SKIP no harnesses in tests/fuzz"; exit 0; fi

echo "1..$((n + 1))"
# a nested make must not inherit the outer make's jobserver
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 fuzz-build >"$FO.build.log" 2>&1; then
	echo "ok 1 - fuzz harnesses build (clang, ASan+UBSan, libFuzzer)"
else
	echo "not ok 1 - fuzz harnesses build"; sed 's/^/# /' "$FO.build.log" | tail -n 30
	i=1; for h in $harnesses; do i=$((i + 1)); echo "not ok $i - $h not built"; done; exit 1
fi
rm -f "$FO.build.log"

total=${FUZZ_SMOKE_SECONDS:-14}
# about 1 s of each run is start-up and the final stats; the rest is fuzzing
per=$(((total - n) / n)); [ "$per" -ge 1 ] || per=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
i=1; fail=0
for h in $harnesses; do
	i=$((i + 1))
	mkdir -p "$work/$h"
	# new units go to the scratch dir (first), the seeds are read-only input
	dict=; [ -f "tests/fuzz/$h.dict" ] && dict=-dict=tests/fuzz/$h.dict
	"$FO/$h" -max_total_time="$per" -rss_limit_mb=1024 -max_len=16384 -print_final_stats=1 $dict \
		-artifact_prefix="$work/$h-" "$work/$h" "tests/fuzz/corpus/$h" >"$work/$h.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.log")
	seeds=$(ls "tests/fuzz/corpus/$h" 2>/dev/null | wc -l)
	if [ "$rc" = 0 ] && [ -n "$execs" ]; then
		echo "ok $i - $h: ${per}s, $execs execs from $seeds seeds, no finding"
	else
		fail=1
		echo "not ok $i - $h: exit $rc"
		grep -E 'ERROR|SUMMARY|#[0-9]+ in |Test unit written' "$work/$h.log" | head -n 25 | sed 's/^/# /'
		for a in "$work/$h"-*; do
			[ -f "$a" ] || continue
			mkdir -p "$FO/artifacts"; cp "$a" "$FO/artifacts/"
			echo "# reproducer kept: $FO/artifacts/${a##*/}"
		done
	fi
done
exit $fail
