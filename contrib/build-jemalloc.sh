#!/bin/sh
# build-jemalloc.sh — fetch jemalloc's source from Debian (apt-get source), build the static
# library with -g into a cache dir, and link tests/helpers/je_worker.c against it. Used by
# tests/t_probe_jemalloc.c; idempotent (exits 0 at once when the cache is complete).
# Usage: contrib/build-jemalloc.sh [CACHE_DIR]   (default: build/jemalloc)
# Exit: 0 built/cached, 77 source unobtainable (message on stderr), 1 build failure.
set -eu

SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${1:-$SRCDIR/build/jemalloc}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
LIB=$CACHE/install/lib/libjemalloc.a
WORKER=$CACHE/je_worker
LOG=$CACHE/build.log

worker() {
	cc -std=gnu11 -O0 -g -pthread -DCTP_HAVE_JEMALLOC -I"$CACHE/install/include" \
		-o "$WORKER" "$SRCDIR/tests/helpers/je_worker.c" "$LIB" -lm -ldl
}

if [ -f "$LIB" ]; then
	if [ ! -x "$WORKER" ] || [ "$SRCDIR/tests/helpers/je_worker.c" -nt "$WORKER" ]; then
		worker
	fi
	exit 0
fi

unobtainable() {
	echo "build-jemalloc: jemalloc source unobtainable: $*" >&2
	exit 77
}

# one lock so parallel test runs do not build twice
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$LIB" ]; then worker; exit 0; fi

command -v dpkg-source >/dev/null 2>&1 || unobtainable "dpkg-source missing (apt-get install dpkg-dev)"
command -v apt-get >/dev/null 2>&1 || unobtainable "apt-get missing"

# add a deb-src entry mirroring the first configured deb entry, if none exists
if ! apt-cache showsrc jemalloc >/dev/null 2>&1 || [ -z "$(apt-cache showsrc jemalloc 2>/dev/null)" ]; then
	[ "$(id -u)" = 0 ] || unobtainable "no deb-src entry and not root to add one"
	SRCLIST=/etc/apt/sources.list.d/ctprof-deb-src.sources
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		awk 'BEGIN{RS="";ORS="\n\n"} /Types:.*deb/ {sub(/Types:[^\n]*/,"Types: deb-src"); print; exit}' \
			/etc/apt/sources.list.d/debian.sources >"$SRCLIST"
	elif [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | head -1 | sed 's/^deb /deb-src /' \
			>/etc/apt/sources.list.d/ctprof-deb-src.list
	fi
	apt-get update -qq >>"$LOG" 2>&1 || unobtainable "apt-get update failed (see $LOG)"
fi

rm -rf "$CACHE/src"
mkdir -p "$CACHE/src"
(cd "$CACHE/src" && apt-get source -qq jemalloc >>"$LOG" 2>&1) ||
	unobtainable "apt-get source jemalloc failed (see $LOG)"
JSRC=$(find "$CACHE/src" -mindepth 1 -maxdepth 1 -type d -name 'jemalloc-*' | head -1)
[ -n "$JSRC" ] && [ -x "$JSRC/configure" ] || unobtainable "no configure script in the source package"

echo "build-jemalloc: building $(basename "$JSRC") in $CACHE (log: $LOG)" >&2
(
	cd "$JSRC"
	./configure --prefix="$CACHE/install" --disable-cxx --disable-shared \
		EXTRA_CFLAGS="-g" >>"$LOG" 2>&1
	make -j"$(nproc)" build_lib_static >>"$LOG" 2>&1
	mkdir -p "$CACHE/install/lib" "$CACHE/install/include/jemalloc"
	cp include/jemalloc/jemalloc.h "$CACHE/install/include/jemalloc/"
	cp lib/libjemalloc.a "$LIB.tmp"
) || { echo "build-jemalloc: build failed (see $LOG)" >&2; exit 1; }
mv "$LIB.tmp" "$LIB"
worker
echo "build-jemalloc: done: $LIB" >&2
