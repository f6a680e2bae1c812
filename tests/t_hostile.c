/* t_hostile.c — hostile snapshot files against the loader: truncated, bit-flipped, zstd bombs,
 * huge windows, deep nesting, huge arrays, duplicate keys, wrong types, bad numbers, bad UTF-8,
 * terminal escapes in keys; each must fail with one line naming the file and JSON path, in
 * bounded memory. Thousands of cgroups must load fast; hostile names must round-trip byte-exact.
 * `t_hostile --emit DIR` writes every case as DIR/<name>.ctprof.zst (+ <name>.want) for hostile.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "base/format.h"
#include "snapshot/snapfile.h"
#include "tap.h"

static struct ctp_buf example; /* tests/snapshots/example.compact.json */

static void load_example(void)
{
	const char *src = getenv("CTP_SRCDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/snapshots/example.compact.json", src ? src : ".");
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("# cannot open %s\n", path);
		skip_all("example snapshot missing (set CTP_SRCDIR)");
	}
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		ctp_buf_add(&example, tmp, n);
	fclose(f);
}

/* one zstd frame with content checksum (what ctp_snapfile_save writes) */
static void zstd_frame(const void *src, size_t n, int window_log, struct ctp_buf *out)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	if (window_log)
		ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, window_log);
	ZSTD_inBuffer in = { src, n, 0 };
	size_t r;
	do {
		ctp_buf_grow(out, 1 << 16);
		ZSTD_outBuffer ob = { out->buf + out->len, out->alloc - out->len - 1, 0 };
		r = ZSTD_compressStream2(cc, &ob, &in, ZSTD_e_end);
		out->len += ob.pos;
	} while (r && !ZSTD_isError(r));
	ZSTD_freeCCtx(cc);
}

/* example JSON with the first `from` replaced by `to` */
static void mutate(const char *from, const char *to, struct ctp_buf *json)
{
	const char *at = strstr(example.buf, from);
	if (!at) {
		printf("# mutation anchor %s not found\n", from);
		exit(1);
	}
	ctp_buf_add(json, example.buf, (size_t)(at - example.buf));
	ctp_buf_adds(json, to);
	ctp_buf_adds(json, at + strlen(from));
}

/* ------------------------------------------------------------- case builders ---- */
struct hcase {
	const char *name; /* file stem */
	void (*build)(const struct hcase *c, struct ctp_buf *file);
	const char *from, *to; /* mutation of the example JSON (build_mutation) */
	const char *want;      /* exact error text after "<file>: ", or "*PREFIX|SUFFIX" when the
				* JSON path is longer than struct ctp_err keeps */
};

static void build_mutation(const struct hcase *c, struct ctp_buf *file)
{
	struct ctp_buf json = CTP_BUF_INIT;
	mutate(c->from, c->to, &json);
	zstd_frame(json.buf, json.len, 0, file);
	ctp_buf_release(&json);
}

static void build_truncated(const struct hcase *c, struct ctp_buf *file)
{
	zstd_frame(example.buf, example.len, 0, file);
	file->len /= 2;
}

static void build_bitflip(const struct hcase *c, struct ctp_buf *file)
{
	zstd_frame(example.buf, example.len, 0, file);
	file->buf[file->len / 2] ^= 0x10;
}

static void build_checksum(const struct hcase *c, struct ctp_buf *file)
{
	zstd_frame(example.buf, example.len, 0, file);
	file->buf[file->len - 2] ^= 0x01; /* inside the 4-byte content checksum */
}

static void build_raw_json(const struct hcase *c, struct ctp_buf *file)
{
	ctp_buf_add(file, example.buf, example.len);
}

/* 257 MiB of JSON whitespace after "{": a few KB compressed */
static void build_bomb(const struct hcase *c, struct ctp_buf *file)
{
	static char chunk[1 << 20];
	memset(chunk, ' ', sizeof(chunk));
	chunk[0] = '{';
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
	for (int i = 0; i < 257; i++) {
		ZSTD_inBuffer in = { chunk, sizeof(chunk), 0 };
		size_t r;
		do {
			ctp_buf_grow(file, 1 << 16);
			ZSTD_outBuffer ob = { file->buf + file->len, file->alloc - file->len - 1, 0 };
			r = ZSTD_compressStream2(cc, &ob, &in, i == 256 ? ZSTD_e_end : ZSTD_e_continue);
			file->len += ob.pos;
		} while (i == 256 ? r != 0 : in.pos < in.size);
		chunk[0] = ' ';
	}
	ZSTD_freeCCtx(cc);
}

/* a frame that asks for a 2 GiB window: must be refused before any allocation */
static void build_window(const struct hcase *c, struct ctp_buf *file)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 31);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_enableLongDistanceMatching, 1);
	/* streamed in two calls: the size is unknown when the header is written, so it keeps 2^31 */
	ZSTD_inBuffer in = { example.buf, example.len / 2, 0 };
	ctp_buf_grow(file, 1 << 16);
	ZSTD_outBuffer ob = { file->buf, file->alloc - 1, 0 };
	ZSTD_compressStream2(cc, &ob, &in, ZSTD_e_continue);
	in.size = example.len;
	ZSTD_compressStream2(cc, &ob, &in, ZSTD_e_end);
	file->len = ob.pos;
	ZSTD_freeCCtx(cc);
}

static void build_nested(const struct hcase *c, struct ctp_buf *file)
{
	struct ctp_buf json = CTP_BUF_INIT;
	ctp_buf_adds(&json, "{\"captured_at_unix_ns\":1,\"x\":"); /* unknown key: skipped */
	for (int i = 0; i < 100000; i++)
		ctp_buf_addch(&json, '[');
	zstd_frame(json.buf, json.len, 0, file);
	ctp_buf_release(&json);
}

/* threads[0].cpu_affinity with 2,000,000 CPUs and then a string */
static void build_huge_array(const struct hcase *c, struct ctp_buf *file)
{
	struct ctp_buf arr = CTP_BUF_INIT, json = CTP_BUF_INIT;
	ctp_buf_adds(&arr, "\"cpu_affinity\":[");
	for (unsigned i = 0; i < 2000000; i++)
		ctp_buf_addf(&arr, "%u,", i);
	ctp_buf_adds(&arr, "\"x\"]");
	mutate("\"cpu_affinity\":[0,1]", arr.buf, &json);
	zstd_frame(json.buf, json.len, 0, file);
	ctp_buf_release(&arr);
	ctp_buf_release(&json);
}

/* a million-element threads array of numbers */
static void build_huge_threads(const struct hcase *c, struct ctp_buf *file)
{
	struct ctp_buf json = CTP_BUF_INIT;
	ctp_buf_adds(&json, "{\"captured_at_unix_ns\":1,\"host\":null,\"threads\":[");
	for (int i = 0; i < 1000000; i++)
		ctp_buf_adds(&json, "{},");
	ctp_buf_adds(&json, "{}]}");
	zstd_frame(json.buf, json.len, 0, file);
	ctp_buf_release(&json);
}

#define MUT(n, f, t, w) { n, build_mutation, f, t, w }
static const struct hcase cases[] = {
	{ "truncated", build_truncated, NULL, NULL, "truncated zstd frame" },
	{ "bitflip", build_bitflip, NULL, NULL, NULL }, /* any clean error: checked below */
	{ "checksum", build_checksum, NULL, NULL, "corrupt zstd data: Restored data doesn't match checksum" },
	{ "not-zstd", build_raw_json, NULL, NULL, "not a zstd-compressed snapshot (bad magic)" },
	{ "bomb", build_bomb, NULL, NULL, "decompression-bomb guard: more than 268435456 bytes of JSON" },
	{ "window", build_window, NULL, NULL, "corrupt zstd data: Frame requires too much memory for decoding" },
	{ "nested", build_nested, NULL, NULL, "*x[0][0][0]|: nesting deeper than 128 levels" },
	{ "huge-array", build_huge_array, NULL, NULL, "threads[0].cpu_affinity[2000000]: expected an unsigned 32-bit integer, got string" },
	{ "huge-threads", build_huge_threads, NULL, NULL, "threads[0]: missing field `tid`" },
	MUT("dup-key", "\"tid\":4242,", "\"tid\":4242,\"tid\":4243,", "threads[0].tid: duplicate field `tid`"),
	MUT("dup-top", "\"host\":{", "\"captured_at_unix_ns\":2,\"host\":{",
	    "captured_at_unix_ns: duplicate field `captured_at_unix_ns`"),
	MUT("wrong-type", "\"nice\":0", "\"nice\":\"0\"", "threads[0].nice: expected a signed 32-bit integer, got string"),
	MUT("threads-object", "\"threads\":[", "\"threads\":{\"a\":[", "threads: expected an array, got object"),
	MUT("nan", "\"run_time_ns\":1000000", "\"run_time_ns\":NaN", "threads[0].run_time_ns: JSON syntax error at byte 883: expected an unsigned 64-bit integer"),
	MUT("negative", "\"timeslices\":50", "\"timeslices\":-50", "threads[0].timeslices: integer -50 out of range for an unsigned 64-bit integer"),
	MUT("overflow", "\"captured_at_unix_ns\":1767225600123456789", "\"captured_at_unix_ns\":18446744073709551616",
	    "captured_at_unix_ns: integer 18446744073709551616 out of range for an unsigned 64-bit integer"),
	MUT("fraction", "\"voluntary_csw\":42", "\"voluntary_csw\":42.5", "threads[0].voluntary_csw: expected an unsigned 64-bit integer, got 42.5"),
	MUT("exponent", "\"nr_wakeups\":11", "\"nr_wakeups\":1e400", "threads[0].nr_wakeups: expected an unsigned 64-bit integer, got 1e400"),
	MUT("nice-range", "\"nice\":0", "\"nice\":2147483648", "threads[0].nice: integer 2147483648 out of range for a signed 32-bit integer"),
	MUT("bad-utf8", "\"comm\":\"demo\"", "\"comm\":\"de\xff" "mo\"", "threads[0].comm: invalid UTF-8 in string at byte 698"),
	MUT("surrogate", "\"comm\":\"demo\"", "\"comm\":\"\\ud800\"", "threads[0].comm: lone surrogate \\ud800 in string"),
	MUT("raw-escape", "\"comm\":\"demo\"", "\"comm\":\"\x1b[2J\"", "threads[0].comm: control character 0x1b inside string"),
	/* the key is quoted in the error path: its ESC/BEL must not reach the terminal */
	MUT("escape-key", "\"host\":{", "\"\\u001b]0;pwned\\u0007\":[1 2],\"host\":{",
	    "\\u001b]0;pwned\\u0007[0]: JSON syntax error at byte 69: expected ',' or ']'"),
	MUT("escape-variant", "\"task_delayacct\":\"on\"", "\"task_delayacct\":\"\\u001b[31mred\\u009b\"",
	    "host.task_delayacct: unknown variant \"?[31mred??\""),
	MUT("trailing", "\"enable_seq\":0}}", "\"enable_seq\":0}}{}", "trailing characters after the JSON value at byte 4728"),
	MUT("missing", "\"captured_at_unix_ns\":1767225600123456789,", "", "missing field `captured_at_unix_ns`"),
	MUT("state-long", "\"state\":\"S\"", "\"state\":\"SS\"", "threads[0].state: expected a one-character string, got 2 bytes"),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ------------------------------------------------------------------ checks ---- */
static bool one_safe_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static long maxrss_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static void check_case(const struct hcase *c)
{
	struct ctp_buf file = CTP_BUF_INIT;
	char name[128], line[600], want[600];
	snprintf(name, sizeof(name), "hostile-%s.ctprof.zst", c->name);
	c->build(c, &file);
	struct ctp_snapshot *s = (struct ctp_snapshot *)1;
	struct ctp_err err = { 0 };
	uint64_t t0 = ctp_now_monotonic_ns();
	int rc = ctp_snapfile_load_mem(name, file.buf, file.len, &s, &err);
	double ms = (double)(ctp_now_monotonic_ns() - t0) / 1e6;
	ctp_err_str(&err, line, sizeof(line));
	ok(rc == -1 && s == NULL, "%s: rejected (%zu bytes, %.0f ms)", c->name, file.len, ms);
	if (c->want && c->want[0] == '*') {
		const char *bar = strchr(c->want, '|');
		size_t ll = strlen(line), sl = strlen(bar + 1);
		snprintf(want, sizeof(want), "%s: %.*s", name, (int)(bar - c->want - 1), c->want + 1);
		ok(!strncmp(line, want, strlen(want)) && ll > sl && !strcmp(line + ll - sl, bar + 1), "%s: %s", c->name, line);
	} else if (c->want) {
		snprintf(want, sizeof(want), "%s: %s", name, c->want);
		check_str(line, want);
	} else {
		ok(!strncmp(line, name, strlen(name)) && strstr(line, "zstd"), "%s: error names the file: %s", c->name, line);
	}
	ok(one_safe_line(line), "%s: error is one line without control bytes", c->name);
	ctp_buf_release(&file);
}

/* 5000 cgroups (and a thread in each) save, load and keep every path */
static void check_many_cgroups(struct ctp_snapshot **keep)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	char path[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof(path), "/bench.slice/unit-%05d.scope", i);
		struct ctp_cgroup_stats *cg = ctp_snapshot_cgroup(s, path);
		cg->cpu.usage_usec = (uint64_t)i * 1000;
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		t->tid = t->tgid = (uint32_t)(1000 + i);
		free(t->cgroup);
		t->cgroup = ctp_xstrdup(path);
	}
	struct ctp_buf json = CTP_BUF_INIT, z = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &json);
	zstd_frame(json.buf, json.len, 0, &z);
	struct ctp_snapshot *l = NULL;
	struct ctp_err err = { 0 };
	uint64_t t0 = ctp_now_monotonic_ns();
	int rc = ctp_snapfile_load_mem("many-cgroups.ctprof.zst", z.buf, z.len, &l, &err);
	double ms = (double)(ctp_now_monotonic_ns() - t0) / 1e6;
	check_int(rc, ==, 0);
	if (l) {
		check_u64(l->ncgroups, ==, 5000);
		check_u64(l->nthreads, ==, 5000);
		check_str(l->cgroups[4999].path, "/bench.slice/unit-04999.scope");
		check_u64(l->cgroups[1234].cpu.usage_usec, ==, 1234000);
	}
	diag("5000 cgroups + 5000 threads (%zu KiB JSON) loaded in %.0f ms (speed is measured in make bench, not asserted here)", json.len / 1024, ms);
	ctp_snapshot_free(l);
	ctp_buf_release(&json);
	ctp_buf_release(&z);
	*keep = s;
}

/* ------------------------------------------------------------ hostile names ---- */
static const char *const names[] = {
	"\x1b[2J\x1b[31mred-evil",        /* clear screen + colour */
	"\x1b]0;owned\x07title",          /* OSC window title */
	"ctl\x01\x02\x7f" "del",          /* C0 + DEL */
	"rtl\xe2\x80\x8f\xe2\x80\xae" "evil-lmth.exe", /* RLM + RLO */
	"wide\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80", /* CJK + emoji */
	"c1\xc2\x9b" "31mcsi",            /* U+009B CSI */
	"tab\tnl\ncr\r",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static struct ctp_snapshot *names_snapshot(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	for (size_t i = 0; i < NNAMES; i++) {
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		t->tid = t->tgid = (uint32_t)(500 + i);
		t->run_time_ns = 1000000 * (i + 1);
		free(t->comm);
		free(t->pcomm);
		free(t->cgroup);
		t->comm = ctp_xstrdup(names[i]);
		t->pcomm = ctp_xstrdup(names[i]);
		char cg[128];
		snprintf(cg, sizeof(cg), "/evil/%s.scope", names[i]);
		t->cgroup = ctp_xstrdup(cg);
		struct ctp_cgroup_stats *c = ctp_snapshot_cgroup(s, cg);
		ctp_kvmap_set(&c->memory.stat, names[i], i);
		ctp_kvmap_set(&c->memory.events, names[i], i);
		/* every other string a file carries: policy (Mode text), state letter, smaps keys */
		free(t->policy);
		t->policy = ctp_xstrdup(names[i]);
		t->state = i % 2 ? 0x1b : 0x202e;
		ctp_kvmap_set(&t->smaps_rollup_kib, names[i], 4 * i);
	}
	s->host = ctp_xcalloc(1, sizeof(*s->host));
	s->host->kernel_release = ctp_xstrdup(names[0]);
	s->host->cpu_model = ctp_xstrdup(names[3]);
	s->host->has_sched_tunables = true;
	ctp_strmap_set(&s->host->sched_tunables, names[1], names[5]);
	s->sched_ext = ctp_xcalloc(1, sizeof(*s->sched_ext));
	s->sched_ext->state = ctp_xstrdup(names[0]);
	/* invalid UTF-8 cannot live in a JSON string: the writer stores U+FFFD per bad byte */
	struct ctp_thread *t = ctp_snapshot_add_thread(s);
	t->tid = t->tgid = 600;
	free(t->comm);
	t->comm = ctp_xstrdup("bad\xff\xfeutf8");
	return s;
}

static void check_names(const char *dir)
{
	struct ctp_snapshot *s = names_snapshot(), *l = NULL;
	char path[4096];
	struct ctp_err err = { 0 };
	snprintf(path, sizeof(path), "%s/names.ctprof.zst", dir);
	check_int(ctp_snapfile_save(path, s, NULL, &err), ==, 0);
	check_int(ctp_snapfile_load(path, &l, &err), ==, 0);
	if (!l) {
		ctp_snapshot_free(s);
		return;
	}
	check_u64(l->nthreads, ==, NNAMES + 1);
	for (size_t i = 0; i < NNAMES && i < l->nthreads; i++) {
		const struct ctp_thread *t = &l->threads[i];
		uint64_t v = 99;
		ok(!strcmp(t->comm, names[i]) && !strcmp(t->pcomm, names[i]) && !strncmp(t->cgroup, "/evil/", 6) &&
			   !strcmp(t->policy, names[i]) && t->state == (i % 2 ? 0x1bu : 0x202eu) &&
			   ctp_kvmap_get(&t->smaps_rollup_kib, names[i], &v) && v == 4 * i,
		   "name %zu kept byte-exact through save/load (%zu bytes)", i, strlen(names[i]));
	}
	if (l->nthreads > NNAMES)
		check_str(l->threads[NNAMES].comm, "bad\xef\xbf\xbd\xef\xbf\xbdutf8");
	ok(l->host && l->host->kernel_release && !strcmp(l->host->kernel_release, names[0]) && l->sched_ext &&
		   !strcmp(l->sched_ext->state, names[0]) && l->host->sched_tunables.n == 1 &&
		   !strcmp(l->host->sched_tunables.v[0].key, names[1]),
	   "host, sched_tunables and sched_ext strings kept byte-exact");
	/* saving what was loaded gives the very same file */
	char path2[4200];
	snprintf(path2, sizeof(path2), "%s/names2.ctprof.zst", dir);
	check_int(ctp_snapfile_save(path2, l, NULL, &err), ==, 0);
	struct ctp_buf a = CTP_BUF_INIT, b = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &a);
	ctp_snapshot_to_json(l, &b);
	ok(a.len == b.len && !memcmp(a.buf, b.buf, a.len), "re-serialized JSON identical (%zu bytes)", a.len);
	/* the display form: no control byte, no ESC, no bidi override */
	for (size_t i = 0; i < NNAMES; i++) {
		struct ctp_buf d = CTP_BUF_INIT;
		ctp_sanitize_name(names[i], strlen(names[i]), true, &d);
		ok(one_safe_line(d.buf) && !strstr(d.buf, "\xe2\x80\xae") && !strstr(d.buf, "\xc2\x9b"),
		   "name %zu displays as %s", i, d.buf);
		ctp_buf_release(&d);
	}
	struct ctp_buf d = CTP_BUF_INIT;
	ctp_sanitize_name(names[3], strlen(names[3]), false, &d);
	check_str(d.buf, "rtl??evil-lmth.exe");
	ctp_buf_reset(&d);
	ctp_sanitize_name(names[4], strlen(names[4]), false, &d);
	check_str(d.buf, names[4]); /* wide characters pass through */
	ctp_buf_release(&d);
	ctp_buf_release(&a);
	ctp_buf_release(&b);
	unlink(path2);
	ctp_snapshot_free(s);
	ctp_snapshot_free(l);
}

/* ------------------------------------------------------------------- emit ---- */
static int write_file(const char *dir, const char *name, const void *data, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "t_hostile: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* hostile.sh input: <name>.ctprof.zst and <name>.want (expected error after "<path>: ") */
static int emit(const char *dir)
{
	for (size_t i = 0; i < NCASES; i++) {
		struct ctp_buf file = CTP_BUF_INIT;
		char fn[160];
		cases[i].build(&cases[i], &file);
		snprintf(fn, sizeof(fn), "%s.ctprof.zst", cases[i].name);
		if (write_file(dir, fn, file.buf, file.len))
			return 1;
		snprintf(fn, sizeof(fn), "%s.want", cases[i].name);
		const char *w = cases[i].want ? cases[i].want : "";
		if (write_file(dir, fn, w, strlen(w)))
			return 1;
		ctp_buf_release(&file);
	}
	struct ctp_snapshot *s = names_snapshot();
	struct ctp_err err = { 0 };
	char path[4096];
	snprintf(path, sizeof(path), "%s/names.ok.zst", dir);
	if (ctp_snapfile_save(path, s, NULL, &err))
		return 1;
	ctp_snapshot_free(s);
	check_many_cgroups(&s);
	snprintf(path, sizeof(path), "%s/many-cgroups.ok.zst", dir);
	if (ctp_snapfile_save(path, s, NULL, &err))
		return 1;
	ctp_snapshot_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	load_example();
	if (argc == 3 && !strcmp(argv[1], "--emit"))
		return emit(argv[2]);
	for (size_t i = 0; i < NCASES; i++)
		check_case(&cases[i]);
#if defined(__SANITIZE_ADDRESS__)
	skip("peak RSS not meaningful under ASan (quarantine keeps freed blocks): %ld MiB", maxrss_mib());
#else
	long rss = maxrss_mib();
	ok(rss < 800, "peak RSS over all hostile loads %ld MiB (< 800: the bomb stops at the 256 MiB cap)", rss);
#endif

	struct ctp_snapshot *many = NULL;
	check_many_cgroups(&many);
	ctp_snapshot_free(many);

	char dir[] = "/tmp/t_hostile.XXXXXX";
	if (!mkdtemp(dir)) {
		skip("mkdtemp failed: %s", strerror(errno));
	} else {
		check_names(dir);
		char p[64];
		snprintf(p, sizeof(p), "%s/names.ctprof.zst", dir);
		unlink(p);
		rmdir(dir);
	}
	ctp_buf_release(&example);
	return test_done();
}
