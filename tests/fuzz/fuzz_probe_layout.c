/* fuzz_probe_layout.c — libFuzzer harness for the jemalloc probe's attach (src/probe/attach.c,
 * debugfile.c, dwarflayout.c) on hostile ELF/DWARF images, and for layout acceptance + counter
 * decoding on hostile spans.
 * File modes write the parts into a private fake /proc tree (exe, its .debuginfo, a debuglink
 * target, a dwz alt file, or a DSO named in maps) and run the real ctp_probe_attach on it.
 * Invariants: an accepted layout passes ctp_probe_layout_check and decodes inside its span. */
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/probe_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* input: byte 0 picks the mode (% 4) and, with bit 2, files only root can write (the probe
 * maps those; others it reads with pread); file modes then hold parts, each but the last
 * prefixed with its u16 little-endian length */
enum { M_EXE, M_DEBUG, M_DSO, M_LAYOUT, M_NMODES };
#define PID 4242

static char root[64];            /* the fake tree: root/proc/PID/{exe,root,maps}, root/bin/... */
static bool verbose;             /* CTP_FUZZ_VERBOSE=1: print each attach verdict (seed checks) */
static mode_t file_mode;         /* of the files written for this input */
static const char *const part_names[] = { "bin/prog", "bin/prog.debuginfo", "bin/prog.dbg", "bin/prog.alt" };
static const char *const dso_names[] = { "bin/prog", "bin/lib.so" };

static void path_in(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", root, rel);
}

static void cleanup(void)
{
	static const char *const all[] = { "bin/prog", "bin/prog.debuginfo", "bin/prog.dbg", "bin/prog.alt",
					   "bin/lib.so", "proc/4242/exe", "proc/4242/root", "proc/4242/maps",
					   "proc/4242", "proc", "bin" };
	char p[128];
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		path_in(p, sizeof(p), all[i]);
		if (unlink(p) < 0)
			rmdir(p);
	}
	rmdir(root);
}

static void setup(void)
{
	char p[128], target[128], maps[512];
	snprintf(root, sizeof(root), "%s/ctp-fuzz-probe.XXXXXX", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	verbose = getenv("CTP_FUZZ_VERBOSE") != NULL;
	path_in(p, sizeof(p), "bin");
	mkdir(p, 0700);
	path_in(p, sizeof(p), "proc");
	mkdir(p, 0700);
	path_in(p, sizeof(p), "proc/4242");
	mkdir(p, 0700);
	/* the target sees the host root: <exe>.debuginfo etc. land next to root/bin/prog */
	path_in(p, sizeof(p), "proc/4242/root");
	if (symlink("/", p))
		abort();
	path_in(target, sizeof(target), "bin/prog");
	path_in(p, sizeof(p), "proc/4242/exe");
	if (symlink(target, p))
		abort();
	int n = snprintf(maps, sizeof(maps),
			 "00400000-00401000 r-xp 00000000 00:00 1 %s/bin/prog\n"
			 "7f0000000000-7f0000001000 r-xp 00000000 00:00 2 %s/bin/lib.so\n",
			 root, root);
	path_in(p, sizeof(p), "proc/4242/maps");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, maps, (size_t)n) != n)
		abort();
	close(fd);
}

/* writes (or, when empty, removes) one file of the tree */
static void put(const char *rel, const uint8_t *d, size_t n)
{
	char p[128];
	path_in(p, sizeof(p), rel);
	if (!n) {
		unlink(p);
		return;
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, file_mode) || write(fd, d, n) != (ssize_t)n)
		abort();
	close(fd);
}

/* splits d into nparts files (length-prefixed but the last) and writes them to names */
static void put_parts(const uint8_t *d, size_t n, const char *const *names, size_t nparts)
{
	for (size_t i = 0; i < nparts; i++) {
		size_t len = n;
		if (i + 1 < nparts) {
			len = n >= 2 ? (size_t)(d[0] | d[1] << 8) : 0;
			d += n >= 2 ? 2 : n;
			n -= n >= 2 ? 2 : n;
			if (len > n)
				len = n;
		}
		put(names[i], d, len);
		d += len;
		n -= len;
	}
}

/* an accepted layout must be bounded, and decoding must stay inside its exact-size span */
static void check_decode(const struct ctp_jemalloc_layout *l, const uint8_t *fill, size_t nfill)
{
	struct ctp_err err = { 0 };
	uint64_t a, d, addr;
	if (!ctp_probe_layout_check(l, &err))
		return;
	if (l->off_dealloc <= l->off_alloc || l->off_dealloc - l->off_alloc > CTP_PROBE_SPAN_MAX - 8)
		abort();
	size_t span = (size_t)(l->off_dealloc + 8 - l->off_alloc);
	unsigned char *b = malloc(span);
	for (size_t i = 0; i < span; i++)
		b[i] = nfill ? fill[i % nfill] : (unsigned char)i;
	ctp_probe_decode_pair(l, b, &a, &d);
	if (memcmp(&a, b, 8) || memcmp(&d, b + span - 8, 8))
		abort();
	free(b);
	ctp_tls_counter_addr(l, 0x7f0000001000ull, &addr);
}

static uint64_t le64(const uint8_t *d)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | d[i];
	return v;
}

static void run_layout(const uint8_t *d, size_t n)
{
	struct ctp_jemalloc_layout l = { 0 };
	uint64_t f[7] = { 0 };
	for (size_t i = 0; i < 7 && n >= 8; i++, d += 8, n -= 8)
		f[i] = le64(d);
	l.st_value = f[0];
	l.tls_offset = f[1];
	l.p_align = f[2];
	l.e_machine = (uint16_t)f[3];
	l.off_alloc = f[4];
	l.off_dealloc = f[5];
	check_decode(&l, d, n);
	uint64_t addr;
	ctp_tls_counter_addr(&l, f[6], &addr);
}

static void run_attach(void)
{
	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	char proc[96], msg[512];
	snprintf(proc, sizeof(proc), "%s/proc", root);
	enum ctp_probe_tag t = ctp_probe_attach(proc, PID, &l, &err);
	if ((unsigned)t >= CTP_PT_NTAGS || !memchr(l.elf_path, 0, sizeof(l.elf_path)) ||
	    !memchr(err.msg, 0, sizeof(err.msg)))
		abort();
	ctp_err_str(&err, msg, sizeof(msg));
	if (verbose)
		fprintf(stderr, "attach: %s%s%s (alloc %llu, dealloc %llu)\n", ctp_probe_tag_name(t), t ? ": " : "",
			t ? msg : "", (unsigned long long)l.off_alloc, (unsigned long long)l.off_dealloc);
	if (t != CTP_PT_OK) {
		if (strchr(msg, 0x1b))
			abort(); /* paths and names from the file are escaped */
		return;
	}
	struct ctp_err lerr = { 0 };
	if (!ctp_probe_layout_check(&l, &lerr) || l.e_machine != EM_X86_64)
		abort(); /* attach accepted an unbounded span, or a foreign machine */
	check_decode(&l, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!root[0])
		setup();
	if (size < 1)
		return 0;
	int mode = data[0] % M_NMODES;
	file_mode = data[0] & 4 ? 0600 : 0660;
	data++, size--;
	static const uint8_t none[1];
	switch (mode) {
	case M_EXE: put_parts(data, size, part_names, 1); put_parts(none, 0, part_names + 1, 3); break;
	case M_DEBUG: put_parts(data, size, part_names, 4); break;
	case M_DSO: put_parts(data, size, dso_names, 2); put_parts(none, 0, part_names + 1, 3); break;
	case M_LAYOUT: run_layout(data, size); return 0;
	}
	run_attach();
	if (mode == M_DSO)
		put("bin/lib.so", none, 0);
	return 0;
}
