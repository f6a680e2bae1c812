#!/bin/sh
# install.sh — `make install DESTDIR=... PREFIX=...` puts exactly the expected files (binaries
# 0755, the rest 0644) in the FHS places, the installed binary runs, the pages name the chosen
# prefix, and `make uninstall` removes every file again. Both PREFIX=/usr/local and /usr.
B=${CTP_BUILD:-build}
S=${CTP_SRCDIR:-$(pwd)}
T=$(mktemp -d)
n=0
fails=0
okk() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
trap 'rm -rf "$T"' EXIT
[ -x "$S/$B/ctprof-top" ] || [ -x "$B/ctprof-top" ] || { echo "1..0 # SKIP $B/ctprof-top not built"; exit 0; }
command -v install >/dev/null || { echo "1..0 # SKIP install(1) missing"; exit 0; }

# a clean sub-make: no jobserver or overrides inherited from the `make test` that runs us
mk() {
	san=
	case $B in *build-san*) san=SAN=1 ;; esac
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$S" O="$B" $san "$@" >"$T/make.out" 2>&1
}

probe=
[ -f "$S/ui/probe/jemalloc_probe_main.c" ] && probe=1

check_prefix() {
	prefix=$1
	root=$T/root${prefix}
	p=${prefix#/}
	mk install DESTDIR="$root" PREFIX="$prefix"
	rc=$?
	okk $rc "make install PREFIX=$prefix DESTDIR=... (rc $rc)"
	[ $rc = 0 ] || sed 's/^/# /' "$T/make.out"
	{
		echo "0755 $p/bin/ctprof-remote"
		echo "0755 $p/bin/ctprof-top"
		[ -n "$probe" ] && echo "0755 $p/bin/ctprof-jemalloc-probe"
		echo "0644 $p/share/bash-completion/completions/ctprof-top"
		echo "0644 $p/share/ctprof-top/ctprof-top.conf"
		echo "0644 $p/share/ctprof-top/derived.def"
		echo "0644 $p/share/ctprof-top/metrics.def"
		echo "0644 $p/share/man/man1/ctprof-remote.1"
		echo "0644 $p/share/man/man1/ctprof-top.1"
		[ -n "$probe" ] && echo "0644 $p/share/man/man1/ctprof-jemalloc-probe.1"
		echo "0644 $p/share/man/man5/ctprof.5"
	} | sort -k2 >"$T/want"
	(cd "$root" && find . -type f -printf '%m %P\n' | sed 's/^\([0-7][0-7][0-7]\) /0\1 /' | sort -k2) >"$T/got"
	if diff -u "$T/want" "$T/got" >"$T/diff"; then okk 0 "installed file list and modes ($(wc -l <"$T/got") files)"; else
		okk 1 "installed file list and modes"; sed 's/^/# /' "$T/diff"; fi
	"$root/$p/bin/ctprof-top" --version | grep -q '^ctprof-top [0-9]'
	okk $? "installed ctprof-top --version runs"
	grep -q "^\.I $prefix/share/ctprof\\\\-top/ctprof\\\\-top.conf" "$root/$p/share/man/man1/ctprof-top.1"
	okk $? "ctprof-top.1 FILES names $prefix/share/ctprof-top/ctprof-top.conf"
	cmp -s "$S/data/ctprof-top.conf" "$root/$p/share/ctprof-top/ctprof-top.conf"
	okk $? "default config installed verbatim"
	mk uninstall DESTDIR="$root" PREFIX="$prefix"
	left=$(find "$root" -type f | wc -l)
	okk "$left" "make uninstall removes every file ($left left)"
	[ ! -d "$root/$p/share/ctprof-top" ]
	okk $? "make uninstall removes share/ctprof-top/"
}

check_prefix /usr/local
check_prefix /usr
mk man # leave the build's pages at the default prefix
echo "1..$n"
[ $fails = 0 ]
