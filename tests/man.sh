#!/bin/sh
# man.sh — the man pages: regenerated from man/*.in by mangen, each lints clean under
# `groff -ww -z -man`; the built pages are not stale; ctprof.5 lists every ThreadState key of
# data/metrics.def in wire order; ctprof-top.1 lists every compare metric, every option of
# `ctprof-top --help` and every key of ui/live/keys.c, plus exit status, environment and privileges.
B=${CTP_BUILD:-build}
S=${CTP_SRCDIR:-$(pwd)}
case $B in /*) ;; *) B=$S/$B ;; esac
T=$(mktemp -d)
n=0
fails=0
okk() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
trap 'rm -rf "$T"' EXIT
command -v groff >/dev/null || { echo "1..0 # SKIP groff missing (apt-get install groff-base; make deps)"; exit 0; }
[ -x "$B/man/mangen" ] || { echo "1..0 # SKIP $B/man/mangen not built (make man)"; exit 0; }

prefix=/usr/local
[ -r "$B/man/prefix.stamp" ] && prefix=$(cat "$B/man/prefix.stamp")
for in in "$S"/man/*.in; do
	page=$(basename "$in" .in)
	"$B/man/mangen" "$in" VERSION=0.0.0-test PREFIX="$prefix" >"$T/$page"
	okk $? "mangen $page"
	rc=0
	for dev in ps utf8 ascii; do groff -ww -z -man -T$dev "$T/$page" || rc=1; done >"$T/lint" 2>&1
	[ $rc = 0 ] && [ ! -s "$T/lint" ]
	okk $? "groff -ww -z -man $page is clean (ps, utf8, ascii devices)"
	sed 's/^/# /' "$T/lint"
	if [ -f "$B/man/$page" ]; then
		sed 's/ctprof-top [0-9][^"]*"/V"/' "$B/man/$page" >"$T/built"
		sed 's/ctprof-top [0-9][^"]*"/V"/' "$T/$page" | cmp -s - "$T/built"
		okk $? "$B/man/$page is up to date with its template and the tables"
	fi
done

# the `.B name` lines right after a `.TP` between `.SH TITLE` and the next `.SH`
section_names() {
	sed -n "/^\\.SH $2\$/,/^\\.SH /p" "$1" | awk 'tp && /^\.B [a-z0-9_]+$/ { print $2 } { tp = ($0 == ".TP") }'
}

awk -F, '/^M\(/ { name = $1; sub(/^M\(/, "", name); print name }' "$S/data/metrics.def" >"$T/wire"
section_names "$T/ctprof.5" "THREAD OBJECT" >"$T/wire.man"
diff "$T/wire" "$T/wire.man" >/dev/null
okk $? "ctprof.5 lists the $(wc -l <"$T/wire") ThreadState keys in wire order"

{
	echo thread_count
	awk -F, '/^M\(/ { name = $1; sub(/^M\(/, "", name); agg = $5; gsub(/[ \t]/, "", agg); if (agg != "NONE") print name }' \
		"$S/data/metrics.def"
	awk -F, '/^D\(/ { name = $1; sub(/^D\(/, "", name); gsub(/[ \t]/, "", name); print name }' "$S/data/derived.def"
} | sort >"$T/cmetrics"
section_names "$T/ctprof-top.1" METRICS | sort >"$T/cmetrics.man"
diff "$T/cmetrics" "$T/cmetrics.man" >"$T/d"
okk $? "ctprof-top.1 METRICS lists all $(wc -l <"$T/cmetrics") compare metrics"
sed 's/^/# /' "$T/d"

# every option the programs print in --help is documented (\- escaped in roff)
opts_documented() { # BINARY PAGE
	"$1" --help 2>&1 | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[ ,]*//' | sort -u >"$T/opts"
	missing=
	while read -r o; do
		esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$esc" "$2" || missing="$missing $o"
	done <"$T/opts"
	[ -s "$T/opts" ] && [ -z "$missing" ] && return 0
	echo "# undocumented:$missing"
	return 1
}
if [ -x "$B/ctprof-top" ] && "$B/ctprof-top" --help 2>&1 | grep -q -- --compare; then
	opts_documented "$B/ctprof-top" "$T/ctprof-top.1"
	okk $? "ctprof-top.1 documents every option of ctprof-top --help ($(wc -l <"$T/opts"))"
else
	skip "ctprof-top --help has no options yet (ui/cli/main.c not landed)"
fi
if [ -x "$B/ctprof-jemalloc-probe" ]; then
	opts_documented "$B/ctprof-jemalloc-probe" "$T/ctprof-jemalloc-probe.1"
	okk $? "ctprof-jemalloc-probe.1 documents every option ($(wc -l <"$T/opts"))"
else
	skip "ctprof-jemalloc-probe not built"
fi
opts_documented "$S/contrib/ctprof-remote" "$T/ctprof-remote.1"
okk $? "ctprof-remote.1 documents every option ($(wc -l <"$T/opts"))"

# every key name of the table in ui/live/keys.c, as \fBname\fR in KEYS
sed -n 's/^[[:space:]]*{ *[^,]*, *"\([^"]*\)", *CTP_ACT_.*/\1/p' "$S/ui/live/keys.c" | sed 's/\\\\/\\/g' | sort -u >"$T/keys"
sed -n '/^\.SH KEYS$/,/^\.SH /p' "$T/ctprof-top.1" >"$T/keys.man"
missing=
while IFS= read -r k; do
	esc=$(printf '%s' "$k" | sed 's/\\/\\e/g; s/-/\\-/g')
	grep -qF "\\fB$esc\\fR" "$T/keys.man" || missing="$missing $k"
done <"$T/keys"
[ -s "$T/keys" ] && [ -z "$missing" ]
okk $? "ctprof-top.1 KEYS has all $(wc -l <"$T/keys") key names of ui/live/keys.c${missing:+ (missing:$missing)}"

# required content
has() { grep -q -- "$2" "$T/$1"; }
has ctprof-top.1 '^\.SH EXIT STATUS' && has ctprof-top.1 '^\.B 0$' && has ctprof-top.1 '^\.B 1$' && has ctprof-top.1 '^\.B 2$'
okk $? "ctprof-top.1 EXIT STATUS 0/1/2"
has ctprof-top.1 '^\.B NO_COLOR' && has ctprof-top.1 '^\.B XDG_CONFIG_HOME'
okk $? "ctprof-top.1 ENVIRONMENT: NO_COLOR, XDG_CONFIG_HOME"
has ctprof-top.1 'CAP_SYS_PTRACE' && has ctprof-top.1 'CAP_NET_ADMIN' && has ctprof-top.1 'task_delayacct=1' &&
	has ctprof-top.1 'sched_schedstats=1'
okk $? "ctprof-top.1 PRIVILEGES: ptrace, net_admin, delayacct, schedstats"
has ctprof-top.1 "$prefix/share/ctprof\\\\-top/ctprof\\\\-top.conf" && has ctprof-top.1 'ctprof\\-top/config'
okk $? "ctprof-top.1 FILES: personal config and $prefix default"
has ctprof.5 '268435456' && has ctprof.5 '^\.SH NULL AND ABSENT VALUES' && has ctprof.5 '^\.SH COMPATIBILITY WITH KTSTR'
okk $? "ctprof.5: container cap, null rules, ktstr compatibility"

echo "1..$n"
[ $fails = 0 ]
