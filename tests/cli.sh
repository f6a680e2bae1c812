#!/usr/bin/env bash
# cli.sh — the command line as a user meets it: capture to a file (and stdout), show it,
# --help/--version, and bad input: each a single line naming the file and JSON path, exit 2.
# Hostile targets and inputs: FIFOs, devices, symlinks, directories, /dev/fd/N, --mode, and
# paths with ESC or bidi overrides (escaped in every message).
set -u
B=${CTP_BUILD:-build}/ctprof-top
T=$(mktemp -d /tmp/ctp-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

"$B" --version | grep -Eq '^ctprof-top [0-9]+\.[0-9]+\.[0-9]+$'; ok $? "--version prints name and version"
"$B" --help | grep -q -- '--baseline FILE'; ok $? "--help lists --baseline"
"$B" --bogus >/dev/null 2>"$T/err"; ok $(( $? == 2 ? 0 : 1 )) "unknown option exits 2"
"$B" -d abc 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "^ctprof-top: -d: 'abc' is not an interval" "$T/err"; ok $? "bad -d explained, exit 2"

"$B" -o "$T/self.ctprof.zst" --pid $$ --no-probe 2>"$T/err"; ok $? "-o --pid captures one process"
grep -q "wrote [0-9]* threads to $T/self.ctprof.zst" "$T/err"; ok $? "capture reports what it wrote"
if [ -x ../shared/tools/ctprof-validate ] && command -v zstd >/dev/null; then
	../shared/tools/ctprof-validate "$T/self.ctprof.zst" >/dev/null; ok $? "captured file passes ctprof-validate"
else
	n=$((n+1)); echo "ok $n # skip ctprof-validate or zstd not available"
fi
"$B" --show "$T/self.ctprof.zst" >"$T/show" 2>&1; ok $? "--show of the capture exits 0"
grep -q "^bash .*thread_count" "$T/show"; ok $? "--show lists this shell's process"
"$B" -o - --pid $$ --no-probe 2>/dev/null | "$B" --show - >"$T/show2" 2>&1; ok $? "-o - piped into --show - works"
grep -q "^bash " "$T/show2"; ok $? "stdin snapshot shows this shell"
"$B" -o "$T/x" --pid 999999999 2>"$T/err"; ok $(( $? == 2 ? 0 : 1 )) "--pid of a missing process exits 2"

out=$("$B" -b -n 1 -d 0.2 -p $$ --no-probe 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^bash " && [ "$(echo "$out" | grep -c '^[a-z]')" -le 3 ]; ok $? "-p limits batch mode to the listed process"
"$B" -p x,1 </dev/null >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "^ctprof-top: -p: 'x,1' is not a list of process ids" "$T/err"; ok $? "bad -p list exits 2"

# bad input files: expected first line of stderr for each
python3 - "$T" <<'PY'
import json, subprocess, sys
t = sys.argv[1]
doc = json.load(open("tests/snapshots/example.json"))
def z(name, obj=None, raw=None):
    data = raw if raw is not None else json.dumps(obj, separators=(",", ":")).encode()
    if raw is None or name.endswith(".zst"):
        data = subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True).stdout
    open(f"{t}/{name}", "wb").write(data)
d = json.loads(json.dumps(doc)); d["threads"][0]["nice"] = "x"; z("type.zst", d)
d = json.loads(json.dumps(doc)); del d["threads"][0]["comm"]; z("missing.zst", d)
open(f"{t}/plain.json", "w").write(json.dumps(doc))
full = subprocess.run(["zstd", "-q", "-c"], input=json.dumps(doc).encode(), capture_output=True).stdout
open(f"{t}/trunc.zst", "wb").write(full[: len(full) // 2])
PY
check_bad() { # file expected-line
	"$B" --show "$T/$1" >/dev/null 2>"$T/err"; rc=$?
	lines=$(wc -l <"$T/err")
	[ $rc = 2 ] && [ "$lines" = 1 ] && grep -qF "$2" "$T/err"
	ok $? "bad $1: exit 2, one line: $2"
	[ $rc = 2 ] || echo "# rc=$rc: $(cat "$T/err")"
}
check_bad type.zst "$T/type.zst: threads[0].nice: expected a signed 32-bit integer, got string"
check_bad missing.zst "$T/missing.zst: threads[0]: missing field \`comm\`"
check_bad plain.json "$T/plain.json: not a zstd-compressed snapshot (bad magic)"
check_bad trunc.zst "$T/trunc.zst: truncated zstd frame"
check_bad nonexistent.zst "$T/nonexistent.zst: cannot open: No such file or directory"
"$B" --compare "$T/self.ctprof.zst" "$T/type.zst" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qF "$T/type.zst: threads[0].nice" "$T/err"; ok $? "--compare with a bad file exits 2 naming it"

# ---- inputs that must not hang or flood (issue 12 item 8) ----
mkfifo "$T/fifo"
timeout 60 "$B" -b -n 1 -d 0.1 -p $$ --no-probe -B "$T/fifo" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "$T/fifo: not a regular file" "$T/err"; ok $? "-B FIFO without a writer: refused at once, exit 2 (rc $rc)"
timeout 60 "$B" --show /dev/zero >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "^/dev/zero: not a regular file" "$T/err"; ok $? "--show /dev/zero: a device is refused before any read (rc $rc)"
timeout 60 "$B" --show - </dev/zero >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "<stdin>: not a zstd-compressed snapshot (bad magic)" "$T/err"; ok $? "--show - from /dev/zero: bad magic at the first read (rc $rc)"
"$B" --compare - - </dev/null >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "standard input can be read only once" "$T/err"; ok $? "--compare - - is a usage error (rc $rc)"

# ---- what is at the -o target decides (issue 12 item 4) ----
(timeout 60 cat "$T/fifo" >"$T/from-fifo") & rd=$!
# the reader must have the FIFO open before -o looks for one (else: "no process is reading")
for _ in $(seq 200); do
	find /proc/[0-9]*/fd -lname "$T/fifo" 2>/dev/null | grep -q . && break
	sleep 0.05
done
timeout 60 "$B" -o "$T/fifo" --pid $$ --no-probe 2>"$T/err"; rc=$?
wait $rd
[ $rc = 0 ] && [ -p "$T/fifo" ] && "$B" --show "$T/from-fifo" >/dev/null 2>&1; ok $? "-o FIFO with a reader: streamed into it, still a FIFO (rc $rc)"
timeout 60 "$B" -o "$T/fifo" --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 1 ] && [ -p "$T/fifo" ] && grep -q "no process is reading the fifo" "$T/err"; ok $? "-o FIFO without a reader: exit 1 at once, still a FIFO (rc $rc)"
"$B" -o /dev/fd/3 --pid $$ --no-probe 3>"$T/fd3.zst" 2>"$T/err"; rc=$?
[ $rc = 0 ] && "$B" --show "$T/fd3.zst" >/dev/null 2>&1; ok $? "-o /dev/fd/3 writes to descriptor 3 (rc $rc)"
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
	"$B" -o "$T/null" --pid $$ --no-probe 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ -c "$T/null" ]; ok $? "-o onto a character device 1:3 leaves it a character device (rc $rc)"
else
	n=$((n+1)); echo "ok $n # skip mknod needs root"
fi
mkdir "$T/dir"
"$B" -o "$T/dir" --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 1 ] && [ -d "$T/dir" ] && grep -q "^ctprof-top: $T/dir: is a directory; not written$" "$T/err"; ok $? "-o DIR: refused in one line (rc $rc)"
echo keep >"$T/target"; ln -s "$T/target" "$T/link"
"$B" -o "$T/link" --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 1 ] && [ -L "$T/link" ] && [ "$(cat "$T/target")" = keep ] && grep -q "symbolic link; not replaced" "$T/err"
ok $? "-o SYMLINK: refused, link and target untouched (rc $rc)"
long=$T/$(printf 'n%.0s' $(seq 250))
"$B" -o "$long" --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ -f "$long" ]; ok $? "-o with a 250-byte file name (rc $rc)"

# ---- snapshot permissions: 0600 as root unless --mode (issue 12 item 8) ----
"$B" -o "$T/m1.zst" --pid $$ --no-probe 2>/dev/null
want=600; [ "$(id -u)" = 0 ] || want=$(printf '%o' $((0666 & ~$(umask))))
m=$(stat -c %a "$T/m1.zst" 2>/dev/null); [ "$m" = "$want" ]; ok $? "snapshot mode $m (want $want)"
"$B" -o "$T/m2.zst" --mode 0644 --pid $$ --no-probe 2>/dev/null
m=$(stat -c %a "$T/m2.zst" 2>/dev/null); [ "$m" = 644 ]; ok $? "--mode 0644 gives $m"
"$B" -o "$T/m3.zst" --mode 888 --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "^ctprof-top: --mode: '888' is not a file mode" "$T/err"; ok $? "bad --mode exits 2"

# ---- paths and arguments with ESC or a bidi override are escaped in messages (issue 12 item 8) ----
esc=$(printf '\033'); rlo=$(printf '\342\200\256')
evil="$T/x${rlo}y${esc}[31mz"
"$B" --show "$evil" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qF 'x\xe2\x80\xaey\x1b[31mz: cannot open' "$T/err" && ! grep -q "$esc" "$T/err" && ! grep -q "$rlo" "$T/err"
ok $? "--show: the path's ESC and RLO are escaped in the error"
"$B" -o "$evil" --pid $$ --no-probe 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -qF 'x\xe2\x80\xaey\x1b[31mz (' "$T/err" && ! grep -q "$esc" "$T/err" && ! grep -q "$rlo" "$T/err"
ok $? "-o: 'wrote ... to' escapes the path"
"$B" "a${rlo}b${esc}]0;t" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qF "unexpected argument 'a\\xe2\\x80\\xaeb\\x1b]0;t'" "$T/err" && ! grep -q "$esc" "$T/err"
ok $? "an unexpected argument is escaped"
"$B" "--x${esc}[2J" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qF "unrecognized option '--x\\x1b[2J'" "$T/err" && ! grep -q "$esc" "$T/err"
ok $? "an unknown option is escaped (getopt's own message is not used)"

# ---- --filter: a case-insensitive POSIX extended regex on the group name (the live view's /
# key uses the same rule: tests/ui/t_filter.sh runs these strings through both) ----
FX="--proc-root tests/fixtures/proc-full --sys-root tests/fixtures/sys-full --cgroup-root tests/fixtures/cgroup-full --no-probe --no-taskstats"
# groups FILTER — the group names batch mode prints for the fixture tree, one a line, sorted
groups() { "$B" -b -n 1 -d 0.1 $FX --filter "$1" 2>"$T/err" | sed -n '/^pcomm /,/^$/p' | sed '1d;/^$/d;s/  .*//' | LC_ALL=C sort | paste -sd '|'; }
g=$(groups PROC); [ "$g" = "proc (with) parens" ]; ok $? "--filter PROC matches 'proc (with) parens' whatever the case ($g)"
g=$(groups '^(SYS|proc) '); [ "$g" = "proc (with) parens" ]; ok $? "--filter anchors and alternation ($g)"
g=$(groups '^(sys|PROC)'); [ "$g" = "proc (with) parens|systemd" ]; ok $? "--filter '^(sys|PROC)' matches two groups ($g)"
g=$(groups '\(WITH\)'); [ "$g" = "proc (with) parens" ]; ok $? "--filter with escaped parentheses ($g)"
g=$(groups 'x^'); [ -z "$g" ]; ok $? "--filter matching nothing prints no group ($g)"
"$B" -b -n 1 -d 0.1 $FX --filter '(with' >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^ctprof-top: --filter: bad regex '(with'" "$T/err"; ok $? "--filter '(with' is a bad regex: one line, exit 2 (rc $rc)"

# ---- no terminal, no live view (issue 20 item 8): refused at once with a hint, never spins ----
# notty.py MODE — runs the live view without a terminal and prints "rc wall_s cpu_s" then its
# stderr: MODE null = stdin </dev/null and stdout a pipe, pipe = stdin a terminal (a pty) and
# stdout a pipe, bg = a background job of a shell with job control on a pty
cat >"$T/notty.py" <<'PY'
import os, pty, resource, select, signal, subprocess, sys, time
b, mode = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)  # python's own start-up children count too
if mode == "bg":
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("bash", ["bash", "-c", 'set -m; "$0" --no-probe & echo "pid=$!"; wait $!; echo "rc=$?"', b])
    out = b""
    while time.monotonic() - t0 < 10 and b"rc=" not in out:
        r, _, _ = select.select([fd], [], [], 0.2)
        try:
            out += os.read(fd, 4096) if r else b""
        except OSError:
            break
    time.sleep(0.1)
    m = out.decode(errors="replace").replace("\r", "")
    job = m.split("pid=")[1].split()[0] if "pid=" in m else None
    if "rc=" not in m and job:
        os.kill(int(job), signal.SIGKILL)
    if "rc=" not in m:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    rc = m.split("rc=")[1].split()[0] if "rc=" in m else "timeout"
    err = "\n".join(l for l in m.split("\n") if l.startswith("ctprof-top"))  # not bash's pid= and job lines
else:
    stdin = subprocess.DEVNULL
    if mode == "pipe":
        master, slave = pty.openpty()
        stdin = slave
    try:
        p = subprocess.run([b, "--no-probe"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
        rc, err = p.returncode, p.stderr.decode(errors="replace").strip()
    except subprocess.TimeoutExpired:
        rc, err = "timeout", ""
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, "%.2f" % (time.monotonic() - t0), "%.3f" % (ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime))
print(err)
PY
hint="ctprof-top: the live view needs a terminal (standard input and output); use -b for batch output"
for mode in null pipe bg; do
	python3 "$T/notty.py" "$B" $mode >"$T/notty" 2>&1
	read -r rc wall cpu <"$T/notty"
	msg=$(sed -n 2p "$T/notty")
	[ "$rc" = 2 ] && [ "$(sed 1d "$T/notty" | wc -l)" = 1 ] && case "$msg" in "$hint"*) true;; *) false;; esac &&
		awk -v w="$wall" -v c="$cpu" 'BEGIN { exit !(w < 1 && c < 0.1) }'
	ok $? "live view without a terminal ($mode): refused with the -b hint, exit 2, ${wall}s wall, ${cpu}s CPU (rc $rc: $msg)"
done
# stdin hangs up while the view runs (a closed pane with SIGHUP not reaching it): the view ends.
# The pty is not its controlling terminal, so closing the master sends no SIGHUP; reads then fail.
python3 - "$B" >"$T/hup" 2>&1 <<'PY'
import os, pty, resource, select, subprocess, sys, time
master, slave = pty.openpty()
env = dict(os.environ, TERM="xterm", LC_ALL="C")
ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
p = subprocess.Popen([sys.argv[1], "--no-probe", "-p", str(os.getpid()), "-d", "5"], stdin=slave, stdout=slave,
                     stderr=subprocess.DEVNULL, env=env, start_new_session=True)
os.close(slave)
seen, t0 = b"", time.monotonic()
while b"GROUP" not in seen and time.monotonic() - t0 < 20:
    if select.select([master], [], [], 0.2)[0]:
        seen += os.read(master, 65536)
os.close(master)
t1 = time.monotonic()
try:
    rc = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "timeout"
    p.wait()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(b"GROUP" in seen, rc, "%.2f" % (time.monotonic() - t1), "%.3f" % (ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime))
PY
read -r drew rc wall cpu <"$T/hup"
[ "$drew" = True ] && [ "$rc" != timeout ] && awk -v w="$wall" 'BEGIN { exit !(w < 5) }'
ok $? "stdin hangs up under the running view: it ends in ${wall}s (drew $drew, rc $rc, ${cpu}s CPU in all)"
timeout 10 "$B" -n 3 </dev/null >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(head -1 "$T/err")" = "ctprof-top: -n needs -b" ]; ok $? "-n 3 without -b: '-n needs -b', exit 2 (rc $rc: $(head -1 "$T/err"))"
timeout 10 "$B" --compare tests/snapshots/cmp-a.ctprof.zst tests/snapshots/cmp-b.ctprof.zst -n 2 >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "^ctprof-top: -n needs -b" "$T/err"; ok $? "-n with --compare is refused too (rc $rc)"

# ---- batch: per-second headers, JSON units, the time since a -B baseline (issue 20 item 5) ----
"$B" -b -n 1 -d 0.2 -p $$ --no-probe >"$T/rates" 2>&1
hdr=$(grep '^pcomm ' "$T/rates")
case " $hdr " in *" run_time_ns/s "*" voluntary_csw/s "*) ! echo "$hdr" | grep -q "thread_count/s";; *) false;; esac
ok $? "rates batch header labels per-second columns run_time_ns/s, voluntary_csw/s, not thread_count ($hdr)"
"$B" -b -n 1 -d 0.2 -p $$ --no-probe --json >"$T/rates.json" 2>&1
python3 - "$T/rates.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if '"groups"' in l]
u = {k: v.get("unit") for k, v in rows[0].items() if isinstance(v, dict)}
ok = u["run_time_ns"] in ("ns/s", "%cpu") and u["voluntary_csw"] == "/s" and u["thread_count"] == ""
print("#", u)
sys.exit(0 if ok else 1)
PY
ok $? "rates batch JSON: a unit per metric (run_time_ns per second, voluntary_csw /s, thread_count none)"
"$B" -o "$T/base.zst" --pid $$ --no-probe 2>/dev/null
sleep 1.2
"$B" -b -n 1 -p $$ --no-probe -B "$T/base.zst" >"$T/since" 2>&1; rc=$?
head1=$(head -1 "$T/since")
[ $rc = 0 ] && echo "$head1" | grep -Eq "  since baseline ([1-9]|[1-5][0-9])\.[0-9]s  " && ! echo "$head1" | grep -q "interval 0.00s"
ok $? "-B batch prints the time since the baseline ($head1)"
hdr=$(grep '^pcomm ' "$T/since")
case " $hdr " in *" run_time_ns "*) ! echo "$hdr" | grep -q "/s";; *) false;; esac; ok $? "-B batch headers carry no /s ($hdr)"
"$B" -b -n 1 -p $$ --no-probe -B "$T/base.zst" --json 2>/dev/null | grep -q '"run_time_ns":{[^}]*"unit":"ns"'
ok $? "-B batch JSON: run_time_ns unit ns"

echo "1..$n"
exit $fail
