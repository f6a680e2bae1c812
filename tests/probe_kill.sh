#!/bin/bash
# probe_kill.sh — process safety of the jemalloc ptrace probe: the probing process
# (ctprof-jemalloc-probe, ctprof-top -o --pid) is SIGKILLed (some SIGTERM/SIGINT) mid-cycle — half of
# the kills aimed at the moment a target thread shows a TracerPid, half at random delays — and
# after every kill no thread of the target may be left in `t`/`T` state or still traced; at the
# end the target still runs and handles signals. Skips without the probe pieces. TAP.
SRC=${CTP_SRCDIR:-$(pwd)}
B=${CTP_BUILD:-build}
case $B in /*) ;; *) B=$SRC/$B ;; esac
PROBE=$B/ctprof-jemalloc-probe
TOP=$B/ctprof-top
FJ=$B/tests/helpers/fake_jemalloc

[ -f "$SRC/src/probe/probe.h" ] || { echo "1..0 # SKIP src/probe/probe.h absent"; exit 0; }
[ -x "$PROBE" ] || { echo "1..0 # SKIP $PROBE not built"; exit 0; }
[ -x "$FJ" ] || { echo "1..0 # SKIP $FJ not built"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" -ge 1 ]; then
	echo "1..0 # SKIP yama ptrace_scope forbids ptrace of a sibling process as non-root"; exit 0
fi
W=$(mktemp -d /tmp/probekill.XXXXXX)
trap 'rm -rf "$W"' EXIT
# private copies: a concurrent relink must not fail the run
cp "$PROBE" "$W/probe" && cp "$FJ" "$W/fj" || exit 1
[ -x "$TOP" ] && cp "$TOP" "$W/top"

python3 - "$W" "${PROBE_KILL_ROUNDS:-40}" <<'EOF'
import os, random, signal, subprocess, sys, time

w, rounds = sys.argv[1], int(sys.argv[2])
n = 0
failed = 0

def tap(ok, msg):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, msg), flush=True)

def tasks(pid):
    try:
        return os.listdir("/proc/%d/task" % pid)
    except OSError:
        return []

def task_state(pid, tid):
    """(state letter, tracer pid) of one thread, or None when gone"""
    try:
        with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
            st, tracer = None, 0
            for line in f:
                if line.startswith("State:"):
                    st = line.split()[1]
                elif line.startswith("TracerPid:"):
                    tracer = int(line.split()[1])
            return st, tracer
    except OSError:
        return None

def any_traced(pid):
    for tid in tasks(pid):
        s = task_state(pid, tid)
        if s and s[1]:
            return True
    return False

def stuck(pid):
    """threads in tracing stop / stopped / still traced after the tracer died"""
    bad = []
    for tid in tasks(pid):
        s = task_state(pid, tid)
        if s and (s[0] in ("t", "T") or s[1]):
            bad.append("%s:%s/tracer=%d" % (tid, s[0], s[1]))
    return bad

target = subprocess.Popen([os.path.join(w, "fj"), "160"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
line = b""
deadline = time.time() + 10
while not line.startswith(b"READY") and time.time() < deadline:
    line = target.stdout.readline()
if not line.startswith(b"READY"):
    print("1..0 # SKIP fake_jemalloc did not start")
    target.kill()
    sys.exit(0)
pid = target.pid
nthreads = len(tasks(pid))

# sanity: an uninterrupted probe run works and leaves nothing behind
r = subprocess.run([os.path.join(w, "probe"), "--pid", str(pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
tap(r.returncode == 0 and sum(1 for l in r.stdout.splitlines() if l.startswith(b"tid=")) == nthreads,
    "uninterrupted probe of %d threads: exit %d" % (nthreads, r.returncode))

probers = [[os.path.join(w, "probe"), "--pid", str(pid), "--snapshots", "3", "--interval-ms", "1"]]
if os.path.exists(os.path.join(w, "top")):
    probers.append([os.path.join(w, "top"), "-o", os.path.join(w, "k.ctprof.zst"), "--pid", str(pid),
                    "--no-taskstats"])
random.seed(int(time.time()))
hits = killed = others = 0
bad_rounds = []
t0 = time.time()
# a probe now stops each thread for microseconds, so aimed kills land mid-cycle only sometimes:
# keep going (up to 5x the rounds) until an eighth of the planned rounds did
i = -1
while True:
    i += 1
    if i >= rounds and (hits >= rounds // 8 or i >= 5 * rounds):
        break
    cmd = probers[(i // 2) % len(probers)]  # both probers get aimed and random kills
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if i % 2 == 0:
        # aimed: kill the moment a target thread is traced (mid ptrace cycle)
        end = time.time() + 2
        while p.poll() is None and time.time() < end:
            if any_traced(pid):
                hits += 1
                break
    else:
        time.sleep(random.uniform(0, 0.06))
    if p.poll() is None:
        # mostly SIGKILL (no cleanup possible); every third round a catchable signal
        sig = (signal.SIGKILL, signal.SIGKILL, signal.SIGTERM if i % 4 < 2 else signal.SIGINT)[i % 3]
        p.send_signal(sig)
        killed += 1
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        bad_rounds.append((i, os.path.basename(cmd[0]), "ignored its signal for 10 s"))
        p.kill()
        p.wait()
    # The kernel detaches when the tracer dies, before wait() returns: no thread may be traced by
    # the dead prober. Another tool on this host (a ctprof-top sampling every process) may trace
    # a thread for a few ms, so a stop by someone else only counts if it lasts 3 s.
    bad = stuck(pid)
    mine = [b for b in bad if b.endswith("tracer=%d" % p.pid)]
    waited = 0
    while bad and not mine and waited < 3000:
        time.sleep(0.02); waited += 20
        bad = stuck(pid)
    if mine or bad:
        tr = (mine or bad)[0].split("tracer=")[1]
        try:
            tst = [l.strip() for l in open("/proc/%s/status" % tr) if l.startswith(("State", "Name"))]
        except OSError:
            tst = ["gone"]
        bad_rounds.append((i, os.path.basename(cmd[0]), "prober pid %d" % p.pid, (mine or bad)[:4], "tracer %s" % tst))
    elif waited:
        others += 1
    if target.poll() is not None:
        break
el = time.time() - t0
rounds_run = i
tap(not bad_rounds, "%d rounds (%d kills: SIGKILL, some SIGTERM/SIGINT; %d while a target thread was traced) in %.1f s: no thread left stopped or traced%s"
    % (rounds_run, killed, hits, el, "" if not bad_rounds else ": " + repr(bad_rounds[:3])))
if others:
    print("# %d round(s) saw a short trace by another process on this host (cleared)" % others)
tap(hits >= rounds // 8, "at least %d rounds killed the prober mid ptrace cycle (%d in %d rounds)" % (rounds // 8, hits, rounds_run))
tap(target.poll() is None, "target still alive")
tap(len(tasks(pid)) == nthreads, "target still has its %d threads (%d)" % (nthreads, len(tasks(pid))))
# it still runs: a signal is handled and answered on stdout
os.kill(pid, signal.SIGUSR2)
got = b""
end = time.time() + 5
while not got.startswith(b"SIGS") and time.time() < end:
    got = target.stdout.readline()
tap(got.startswith(b"SIGS"), "target answers SIGUSR2 (%s)" % got.strip().decode(errors="replace"))
r = subprocess.run([os.path.join(w, "probe"), "--pid", str(pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
tap(r.returncode == 0 and sum(1 for l in r.stdout.splitlines() if l.startswith(b"tid=")) == nthreads, "a probe after the storm still reads all threads")
target.kill()
target.wait()
print("1..%d" % n)
sys.exit(1 if failed else 0)
EOF
