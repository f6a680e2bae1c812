/* dbg_fake_je.c — debug-file test target (issue 19 item 3): fake_jemalloc's threads (tsd_s with
 * jemalloc 5.3's mangled members, je_tsd_tls) plus jemalloc's message prefix in .rodata, so that a
 * fully stripped copy is worth a debug file lookup; the tests strip it and serve its debug file
 * (build-id path, .gnu_debuglink, dwz alt file, debuginfod). It has no malloc fast path to read. */
#include "fake_jemalloc.c"

__attribute__((used)) static const char je_marker[] = "<jemalloc>: debug-file test target";
