#!/usr/bin/env bash
# config_deputy.sh — the settings file cannot turn the root viewer into a deputy (issue 12 item 5).
# With XDG_CONFIG_HOME kept (as under `sudo -E`), a config that is a symlink to a secret, a FIFO,
# group/world-writable or owned by another user is ignored with one warning that never quotes it,
# start-up never blocks on it, and a trusted file's bad lines are reported by number only.
set -u
B=${CTP_BUILD:-build}/ctprof-top
T=$(mktemp -d /tmp/ctp-cfg-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
# one batch refresh of this shell only, with the test's config directory
run() { XDG_CONFIG_HOME="$T/xdg" timeout 60 "$B" -b -n 1 -d 0.1 -p $$ --no-probe >"$T/out" 2>"$T/err"; }
no_secret() { ! grep -q SECRET "$T/err" "$T/out"; }
umask 022
mkdir -p "$T/xdg/ctprof-top"
cfg=$T/xdg/ctprof-top/config
esc=$(printf '\033')
printf 'root:$6$SECRET-hash$x:19000:0:99999:7:::\npassword = SECRET-pw\ninterval = SECRET-iv\n' >"$T/secret"
chmod 600 "$T/secret"

ln -s "$T/secret" "$cfg"
run; rc=$?
[ $rc = 0 ] && grep -qx "$cfg: is a symbolic link (not followed); file ignored, using defaults" "$T/err"
ok $? "config symlinked to a secret: one warning, file ignored (rc $rc)"
no_secret; ok $? "no byte of the secret on stderr or stdout"
rm -f "$cfg"

mkfifo "$cfg"
run; rc=$?
[ $rc = 0 ] && grep -qx "$cfg: not a regular file; file ignored, using defaults" "$T/err"
ok $? "FIFO config: start-up does not wait for a writer (rc $rc, 124 = hung)"
rm -f "$cfg"

printf 'group_by = comm\n' >"$cfg"
chmod 666 "$cfg"
run; rc=$?
[ $rc = 0 ] && grep -qx "$cfg: writable by group or others (chmod go-w); file ignored, using defaults" "$T/err"
ok $? "world-writable config: ignored with a warning (rc $rc)"
chmod 644 "$cfg"

if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$cfg"
	run; rc=$?
	[ $rc = 0 ] && grep -q "^$cfg: owned by uid 65534, not by the effective user (uid 0) or root; file ignored" "$T/err"
	ok $? "config of another user under root (sudo -E): ignored (rc $rc)"
	chown 0:0 "$cfg"
else
	n=$((n+1)); echo "ok $n # skip chown to another user needs root"
fi

# a trusted file: bad lines by number, never their text; an ESC in a value is not echoed
printf 'SECRET-line\npassword = SECRET-pw\ninterval = SECRET-iv\ncolor = \033[2J\n' >"$cfg"
run; rc=$?
[ $rc = 0 ] && [ "$(grep -c '; line ignored$' "$T/err")" = 4 ] && grep -qx "$cfg:1: expected 'key = value'; line ignored" "$T/err" &&
	grep -qx "$cfg:2: unknown key; line ignored" "$T/err" && grep -qx "$cfg:3: bad interval (seconds, 0.05 to 3600); line ignored" "$T/err"
ok $? "bad lines reported by number and key only (rc $rc)"
no_secret && ! grep -q "$esc" "$T/err"; ok $? "no line text and no ESC in the warnings"

echo "1..$n"
exit $fail
