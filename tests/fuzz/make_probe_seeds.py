#!/usr/bin/env python3
# make_probe_seeds.py — regenerates tests/fuzz/corpus/fuzz_probe_layout/: tiny static ELFs with
# a jemalloc-shaped tsd_s in TLS (-O0 -g, DWARF 4 and 5, type units, zlib-compressed sections,
# a split-DWARF skeleton), stripped exes with their debug file, a debuglink target, a dwz alt
# file, a DSO carrying the symbol, and raw layouts; framed as fuzz_probe_layout.c reads them.
# Run from anywhere: python3 tests/fuzz/make_probe_seeds.py   (needs gcc and binutils)
import os, re, struct, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus", "fuzz_probe_layout")
M_EXE, M_DEBUG, M_DSO, M_LAYOUT = 0, 1, 2, 3

TSD = r"""
#include <stdint.h>
struct tsd_s {
	uint8_t cant_access_tsd_items_directly_use_a_getter_or_setter_tcache_enabled;
	uint8_t state;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_allocated_next_event_fast;
	uint64_t cant_access_tsd_items_directly_use_a_getter_or_setter_thread_deallocated;
};
__thread char pad[8] = { 1 };
__thread struct tsd_s je_tsd_tls;
"""
START = "void _start(void) { je_tsd_tls.state = (uint8_t)pad[0]; for (;;) ; }\n"
PLAIN = "int x; void _start(void) { for (;;) x++; }\n"
# small files: no page-aligned padding, no sections the probe never reads
LD = ["-nostdlib", "-fno-asynchronous-unwind-tables", "-Wl,--build-id", "-Wl,-z,max-page-size=0x10",
      "-Wl,-z,common-page-size=0x10", "-Wl,-z,norelro", "-Wl,-z,noseparate-code"]
DROP = [".comment", ".debug_aranges", ".debug_line", ".debug_frame", ".debug_rnglists", ".debug_loclists"]


def run(*cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stderr=subprocess.DEVNULL)


def build(tmp, name, src, *flags, static=True):
    with open(os.path.join(tmp, name + ".c"), "w") as f:
        f.write(src)
    run("gcc", "-O0", "-g", *flags, *(["-static"] if static else []), *LD, "-o", name, name + ".c", cwd=tmp)
    run("objcopy", *[a for s in DROP for a in ("--remove-section", s)], name, cwd=tmp)
    return name


def data(tmp, name):
    with open(os.path.join(tmp, name), "rb") as f:
        return f.read()


def build_id(tmp, name):
    out = subprocess.run(["readelf", "-n", name], cwd=tmp, stdout=subprocess.PIPE, check=True).stdout.decode()
    return bytes.fromhex(re.search(r"Build ID: ([0-9a-f]+)", out).group(1))


def frame(mode, *parts):
    """mode byte, then each part but the last prefixed with its u16 LE length"""
    out = bytes([mode])
    for p in parts[:-1]:
        out += struct.pack("<H", len(p)) + p
    return out + parts[-1]


def put(name, blob):
    assert len(blob) < 16384, (name, len(blob))  # tests/fuzz.sh replays with -max_len=16384
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(blob)


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for v in (4, 5):
            put("exe-dwarf%d" % v, frame(M_EXE, data(tmp, build(tmp, "e%d" % v, TSD + START, "-gdwarf-%d" % v))))
        put("exe-type-units", frame(M_EXE, data(tmp, build(tmp, "et", TSD + START, "-gdwarf-4", "-fdebug-types-section"))))
        put("exe-zlib", frame(M_EXE, data(tmp, build(tmp, "ez", TSD + START, "-gdwarf-5", "-gz=zlib"))))
        put("exe-split-skeleton", frame(M_EXE, data(tmp, build(tmp, "es", TSD + START, "-gdwarf-5", "-gsplit-dwarf"))))
        # stripped exe + its .debuginfo; the same with a .gnu_debuglink target instead
        run("objcopy", "--only-keep-debug", "e5", "e5.debug", cwd=tmp)
        run("objcopy", "--strip-debug", "e5", "e5.stripped", cwd=tmp)
        put("debuginfo", frame(M_DEBUG, data(tmp, "e5.stripped"), data(tmp, "e5.debug"), b"", b""))
        run("cp", "e5.debug", "prog.dbg", cwd=tmp)
        run("objcopy", "--add-gnu-debuglink=prog.dbg", "e5.stripped", "e5.linked", cwd=tmp)
        put("debuglink", frame(M_DEBUG, data(tmp, "e5.linked"), b"", data(tmp, "prog.dbg"), b""))
        # a debug file naming a dwz alt file (prog.alt, next to it) by name and build id
        alt = build(tmp, "alt", PLAIN, "-gdwarf-5")
        with open(os.path.join(tmp, "alt.link"), "wb") as f:
            f.write(b"prog.alt\0" + build_id(tmp, alt))
        run("objcopy", "--add-section", ".gnu_debugaltlink=alt.link", "e5.debug", "e5.withalt", cwd=tmp)
        put("dwz-alt", frame(M_DEBUG, data(tmp, "e5.stripped"), data(tmp, "e5.withalt"), b"", data(tmp, alt)))
        # no symbol in the exe; the DSO named in maps has it
        plain = build(tmp, "plain", PLAIN, "-gdwarf-5")
        lib = build(tmp, "lib", TSD + "int get(void) { return je_tsd_tls.state; }\n", "-gdwarf-5", "-shared", "-fPIC",
                    static=False)
        put("dso", frame(M_DSO, data(tmp, plain), data(tmp, lib)))
    le = lambda *v: b"".join(struct.pack("<Q", x) for x in v)
    # st_value, tls_offset, p_align, e_machine, off_alloc, off_dealloc, tp, then span bytes
    put("layout-ok", frame(M_LAYOUT, le(8, 48, 8, 62, 8, 24, 0x7f0000002000) + bytes(range(24))))
    put("layout-1mib", frame(M_LAYOUT, le(8, 48, 8, 62, 8, 8 + (1 << 20), 0x7f0000002000) + bytes(16)))
    put("layout-wrap", frame(M_LAYOUT, le(0, 0, 0, 183, 2 ** 64 - 4, 4, 2 ** 64 - 1)))


if __name__ == "__main__":
    main()
