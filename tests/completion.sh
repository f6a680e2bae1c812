#!/bin/sh
# completion.sh — contrib/bash-completion/ctprof-top sourced in a real bash: --group-by values
# (also -g, --group-by=), --sort-by names derived from data/metrics.def (103 sortable, the
# categorical ones left out, :asc/:desc after a colon, comma lists), *.ctprof.zst files for the
# snapshot options, and option names taken from `ctprof-top --help`.
B=${CTP_BUILD:-build}
S=${CTP_SRCDIR:-$(pwd)}
case $B in /*) ;; *) B=$S/$B ;; esac
command -v bash >/dev/null || { echo "1..0 # SKIP bash missing"; exit 0; }
[ -x "$B/ctprof-top" ] || { echo "1..0 # SKIP $B/ctprof-top not built"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/snaps/sub" "$T/bin"
: >"$T/snaps/a.ctprof.zst"
: >"$T/snaps/b.ctprof.zst"
: >"$T/snaps/notes.txt"
# the binary is reached through PATH as users do; the data dir is found from it (../data)
ln -s "$B/ctprof-top" "$T/bin/ctprof-top"
mkdir -p "$T/data"
cp "$S/data/metrics.def" "$S/data/derived.def" "$T/data/"

export T
CTP_COMPLETION=$S/contrib/bash-completion/ctprof-top PATH="$T/bin:$PATH" bash --norc --noprofile <<'EOF'
. "$CTP_COMPLETION"
n=0 fails=0
# complete LINE: runs the completion function as readline would, result in "${COMPREPLY[*]}"
complete_line() {
	COMP_LINE=$1 COMP_POINT=${#1}
	COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
	read -ra COMP_WORDS <<<"$1"
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	[[ $1 =~ [[:space:]]$ ]] && COMP_CWORD=${#COMP_WORDS[@]}
	COMPREPLY=()
	_ctprof_top ctprof-top "" ""
}
is() { # is LINE "expected words (sorted)" description
	complete_line "$1"
	local got
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	n=$((n + 1))
	if [[ $got == "$2 " ]]; then echo "ok $n - $3"; else
		echo "not ok $n - $3"; echo "#   line: '$1'"; echo "#    got: '$got'"; echo "#   want: '$2 '"; fails=$((fails + 1)); fi
}
is "ctprof-top --group-by " "all cgroup comm comm-exact pcomm" "--group-by lists the five axes"
is "ctprof-top -g c" "cgroup comm comm-exact" "-g c narrows to cgroup comm comm-exact"
is "ctprof-top -g comm-" "comm-exact" "-g comm- gives comm-exact"
is "ctprof-top --group-by=p" "pcomm" "--group-by=p (after '=') gives pcomm"
is "ctprof-top -b --group-by x" "" "no axis starts with x"
is "ctprof-top -s run_ti" "run_time_ns" "-s run_ti gives run_time_ns"
is "ctprof-top --sort-by avg_wa" "avg_wait_ns" "derived metrics complete (avg_wait_ns)"
is "ctprof-top -s poli" "" "categorical policy is not offered"
is "ctprof-top -s wait_time_ns:" "asc desc" "after ':' the directions (readline word after the colon)"
is "ctprof-top -s wait_time_ns:d" "desc" "':d' gives desc"
# readline's word starts after the ':' here, so the reply is the text after it
is "ctprof-top -s run_time_ns:asc,nr_wakeups_l" "asc,nr_wakeups_local" "second entry of a comma list after a colon"
is "ctprof-top -s run_time_ns,nr_wakeups_l" "run_time_ns,nr_wakeups_local" "second entry of a comma list"
complete_line "ctprof-top -s "
n=$((n + 1)); c=${#COMPREPLY[@]}
if [[ $c == 103 ]]; then echo "ok $n - 103 sortable metric names"; else echo "not ok $n - $c sortable names, want 103 (106 - 3 categorical)"; fails=$((fails + 1)); fi
n=$((n + 1))
if printf '%s\n' "${COMPREPLY[@]}" | grep -qx thread_count && ! printf '%s\n' "${COMPREPLY[@]}" | grep -qxE 'tid|state|ext_enabled|taskstats_measured|smaps_rollup_kib'; then
	echo "ok $n - thread_count offered; identity, categorical, flag and map keys not"; else echo "not ok $n - wrong sort name set"; fails=$((fails + 1)); fi
cd "$T/snaps" || exit 1
is "ctprof-top --show " "a.ctprof.zst b.ctprof.zst sub" "--show: *.ctprof.zst and directories only"
is "ctprof-top -B a" "a.ctprof.zst" "-B a gives a.ctprof.zst"
is "ctprof-top --compare a.ctprof.zst b" "b.ctprof.zst" "second --compare file"
is "ctprof-top --baseline=b" "b.ctprof.zst" "--baseline=b"
is "ctprof-top -o n" "notes.txt" "-o completes any file"
is "ctprof-top --no-" "--no-cg-normalize --no-color --no-debuginfod --no-exits --no-probe --no-taskstats --no-thread-normalize" "options come from --help"
is "ctprof-top --display-format " "arrow delta-only full no-pct pct-only" "--display-format: the five formats"
is "ctprof-top --sections primary,s" "primary,sched-ext primary,smaps-rollup" "--sections: names after the last comma"
is "ctprof-top --columns=t" "tags threads" "--columns=t"
is "ctprof-top --gr" "--group-by" "--gr gives --group-by"
is "ctprof-top -o x --mode 06" "0600 0640 0644" "--mode offers the usual modes"
is "ctprof-top -b --format " "json openmetrics text" "--format offers the three formats"
is "ctprof-top -b -B x --fail-if run_ti" "run_time_ns:" "--fail-if: metric names with their ':'"
is "ctprof-top -b -B x --fail-if run_time_ns:x2,nr_mig" "x2,nr_migrations:" "--fail-if: the next rule of a comma list"
is "ctprof-top -b --textfile s" "sub" "--textfile completes directories"
is "ctprof-top --record s" "sub" "--record completes directories"
is "ctprof-top --record d --record-max-size " "1G 4G 512M 64M" "--record-max-size offers sizes"
is "ctprof-top -o x --window " "" "--window takes a typed number"
complete_line "ctprof-top -"
n=$((n + 1))
if printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- -B && printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- --compare; then
	echo "ok $n - '-' lists short and long options (${#COMPREPLY[@]})"; else echo "not ok $n - '-' options: ${COMPREPLY[*]}"; fails=$((fails + 1)); fi
n=$((n + 1))
if complete -p ctprof-top | grep -q -- '-F _ctprof_top'; then echo "ok $n - registered for ctprof-top"; else echo "not ok $n - not registered"; fails=$((fails + 1)); fi
echo "1..$n"
[[ $fails == 0 ]]
EOF
