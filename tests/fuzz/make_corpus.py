#!/usr/bin/env python3
# make_corpus.py — regenerates the seed corpora tests/fuzz/corpus/<harness>/ from the example
# snapshot, the fixture trees and hand-written hostile names. Run from the repo root:
#   python3 tests/fuzz/make_corpus.py        (needs the zstd CLI for the container seeds)
# Files named by a 40-hex SHA-1 are not made here: they are a long run's corpus, minimized with
#   build-fuzz/<h> -merge=1 -max_len=4096 NEWDIR build-fuzz/corpus/<h>   (json, compare, snapfile)
import os, struct, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")

def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(*p):
    with open(os.path.join(ROOT, *p), "rb") as f:
        return f.read()

def zstd(data, *args):
    return subprocess.run(["zstd", "-q", "-c", *args], input=data, stdout=subprocess.PIPE, check=True).stdout

NAMES = [
    b"worker-12", b"kworker/u8:3-events_unbound", b"tokio-runtime-w", b"\x1b[2J\x1b[31mevil", b"a\x07b\x08c\x7f",
    b"\x1b]0;title\x07", b"bad\xff\xfeutf8", b"\xc0\x80overlong", b"\xed\xa0\x80surrogate", b"rtl\xe2\x80\xaeevil",
    b"wide\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80", b"c1\xc2\x9b[31m", b"tab\tnl\ncr\r", b"/user.slice/user@1000.service/app.slice",
    b"/system.slice/getty@tty1.service", b"/a/b@x_y.service/c-12.scope", b"pool-7-thread-3", b"", b"0x1f2e", b"12345",
]

def names():
    for i, n in enumerate(NAMES):
        put("fuzz_names", "seed-%02d" % i, n)

def json_seeds():
    ex, exc = read("tests/snapshots/example.json"), read("tests/snapshots/example.compact.json")
    put("fuzz_json", "example.compact.json", exc)
    put("fuzz_json", "example.json", ex)
    put("fuzz_json", "minimal", b'{"captured_at_unix_ns":1,"host":null,"threads":[],"cgroup_stats":{}}')
    put("fuzz_json", "nested", b"[" * 200)
    put("fuzz_json", "numbers", b'[18446744073709551615,18446744073709551616,-0,1e5,1.5,-1,NaN]')
    put("fuzz_json", "strings", b'["\\u0000","\\ud800","\\ud83d\\ude00","\\u001b[31m"]')
    put("fuzz_snapfile", "example.zst", zstd(exc))
    put("fuzz_snapfile", "example-check.zst", zstd(exc, "--check"))
    put("fuzz_snapfile", "truncated.zst", zstd(exc)[:60])
    skippable = struct.pack("<II", 0x184D2A50, 4) + b"skip"
    put("fuzz_snapfile", "skippable.zst", skippable + zstd(exc))
    put("fuzz_snapfile", "two-frames.zst", zstd(exc[:100]) + zstd(exc[100:]))
    put("fuzz_snapfile", "not-zstd", exc[:64])

PROCFS = ["stat", "schedstat", "io", "status", "sched", "cgroup", "smaps_rollup", "cpulist", "dotted", "comm", "psi", "psi_centi"]

def procfs():
    task = os.path.join(ROOT, "tests", "fixtures", "proc-full")
    n = 0
    for dp, _, fs in os.walk(task):
        for f in sorted(fs):
            if f in PROCFS:
                put("fuzz_procfs", "%s-%d" % (f, n), bytes([PROCFS.index(f)]) + read(dp, f))
                n += 1
            if dp.endswith("pressure"):
                put("fuzz_procfs", "psi-%s" % f, bytes([PROCFS.index("psi")]) + read(dp, f))
    for i, s in enumerate([b"0-3,8,10-11", b",,", b"0-4294967295", b"5-1", b" 0 - 1 "]):
        put("fuzz_procfs", "cpulist-%d" % i, bytes([PROCFS.index("cpulist")]) + s)
    for i, s in enumerate([b"12345.678901", b"-1.5", b"123", b"1.", b".5", b"18446744073709551615.999999"]):
        put("fuzz_procfs", "dotted-%d" % i, bytes([PROCFS.index("dotted")]) + s)
    for i, s in enumerate([b"18.59", b"100.00", b"0.0", b"655.36", b"1e3", b"-1"]):
        put("fuzz_procfs", "centi-%d" % i, bytes([PROCFS.index("psi_centi")]) + s)

CGFILES = ["cpu.stat", "cpu.max", "cpu.weight", "cpu.weight.nice", "memory.current", "memory.max", "memory.high",
           "memory.low", "memory.min", "memory.stat", "memory.events", "pids.current", "pids.max", "cpu.pressure",
           "memory.pressure", "io.pressure", "irq.pressure", "self/mountinfo"]

def cgroup():
    chunks = []
    for dp, _, fs in os.walk(os.path.join(ROOT, "tests", "fixtures")):
        for f in sorted(fs):
            if f in CGFILES or f == "mountinfo":
                idx = CGFILES.index("self/mountinfo") if f == "mountinfo" else CGFILES.index(f)
                data = read(dp, f).replace(b"\0", b"")
                chunks.append(bytes([idx]) + data)
                put("fuzz_cgroup", "%s-%d" % (f, len(chunks)), bytes([idx]) + data)
    put("fuzz_cgroup", "all", b"\0".join(chunks[:12]))

def fmt():
    vals = [0.0, -0.0, 1.0, -1.5, 999.0, 1000.0, 1e9, 1.5e12, 2**53, 2**64, 1e308, -1e308, 5e-324,
            float("nan"), float("inf"), -float("inf"), 0.5, 123.4]
    for i, v in enumerate(vals):
        for sel in (0, 1, 2, 3, 4, 5, 0xc2):
            put("fuzz_format", "v%02d-%02x" % (i, sel), struct.pack("<d", v) + bytes([sel]))

def json_dict():
    """libFuzzer dictionary: every key the loader knows, plus JSON tokens"""
    import re
    keys = re.findall(rb'^M\((\w+),', read("data/metrics.def"), re.M)
    keys += re.findall(rb'"([a-z_0-9]+)":', read("tests/snapshots/example.json"))
    toks = [b"null", b"true", b"false", b"{}", b"[]", b"18446744073709551615", b"-1", b"1e3", b"0.5",
            b'"\\u0000"', b'"\\ud800"', b'"\\u001b"', b'"SCHED_OTHER"']
    esc = lambda t: b'"' + t.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    lines = [esc(b'"%s":' % k) for k in sorted(set(keys))] + [esc(t) for t in toks]
    for h in ("fuzz_json", "fuzz_compare"):
        with open(os.path.join(ROOT, "tests", "fuzz", h + ".dict"), "wb") as f:
            f.write(b"# %s.dict - generated by make_corpus.py: snapshot keys and JSON tokens\n" % h.encode())
            f.write(b"\n".join(lines) + b"\n")

def compare_seeds():
    exc = read("tests/snapshots/example.compact.json")
    big = (exc.replace(b'"run_time_ns":1000000', b'"run_time_ns":18446744073709551615')
              .replace(b'"nice":0', b'"nice":-20').replace(b'"wait_count":15', b'"wait_count":0')
              .replace(b'"voluntary_csw":42', b'"voluntary_csw":0'))
    two = exc.replace(b'"tid":4242,', b'"tid":4243,')
    for opt in range(0, 256, 37):
        put("fuzz_compare", "self-%02x" % opt, bytes([opt]) + exc)
        put("fuzz_compare", "extreme-%02x" % opt, bytes([opt]) + exc + b"\0" + big)
        put("fuzz_compare", "newtid-%02x" % opt, bytes([opt]) + big + b"\0" + two)

names(); json_seeds(); procfs(); cgroup(); fmt(); json_dict(); compare_seeds()
