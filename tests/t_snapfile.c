/* t_snapfile.c — snapshot file format: the spec's complete example round-trips byte-exactly,
 * every registry field survives JSON, u64 extremes survive, our extension keys round-trip and
 * validate, each kind of bad input is refused with its JSON path, and saves are atomic. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "snapshot/registry.h"
#include "snapshot/snapfile.h"
#include "tap.h"

static char tmpdir[256];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ctp_buf_add(&b, chunk, n);
	fclose(f);
	return ctp_buf_detach(&b, len);
}

static void spew(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
}

/* a frame with a content checksum, as ctp_snapfile_save writes */
static size_t ctp_test_compress_checked(char *dst, size_t cap, const char *src, size_t len)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	size_t n = ZSTD_compress2(cc, dst, cap, src, len);
	ZSTD_freeCCtx(cc);
	return n;
}

static char *to_json(const struct ctp_snapshot *s)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &b);
	return ctp_buf_detach(&b, NULL);
}

/* the file passes the independent reference validator (a TAP skip when it or zstd is missing) */
static void validate_file(const char *path)
{
	const char *validate = "../shared/tools/ctprof-validate";
	if (access(validate, X_OK) == 0 && system("command -v zstd >/dev/null 2>&1") == 0) {
		char cmd[1024];
		snprintf(cmd, sizeof(cmd), "%s %s", validate, path);
		check_int(system(cmd), ==, 0);
	} else {
		skip("ctprof-validate or zstd not available");
	}
}

static void test_example_roundtrip(void)
{
	size_t len, clen;
	char *pretty = slurp("tests/snapshots/example.json", &len);
	char *compact = slurp("tests/snapshots/example.compact.json", &clen);
	struct ctp_snapshot *s = NULL, *s2 = NULL;
	struct ctp_err err = { 0 };
	if (!ok(pretty && compact, "example fixtures present"))
		return;
	check_int(ctp_snapshot_from_json(pretty, len, &s, &err), ==, 0);
	if (!s) {
		diag("%s: %s", err.where, err.msg);
		return;
	}
	char *out = to_json(s);
	ok(strlen(out) == clen && !memcmp(out, compact, clen), "compact JSON of the example is byte-identical to ktstr's");
	check_u64(s->captured_at_unix_ns, ==, 1767225600123456789ull);
	check_int(s->nthreads, ==, 1);
	check_str(s->threads[0].pcomm, "demo");
	check_int(s->threads[0].state, ==, 'S');
	check_int(s->threads[0].cpu_affinity.n, ==, 2);
	check_u64(s->threads[0].voluntary_sleep_ns, ==, 2099750000ull);
	check_int(s->ncgroups, ==, 1);
	check_u64(s->cgroups[0].memory.min.v, ==, UINT64_MAX);
	ok(!s->cgroups[0].memory.max.set, "memory.max null stays null");
	check_int(s->cgroups[0].psi.irq.full.avg300, ==, 146);
	check_str(s->host->cpufreq_governor[1].governor, "performance");
	check_int(s->host->task_delayacct, ==, CTP_DELAYACCT_ON);

	char path[512];
	snprintf(path, sizeof(path), "%s/example.ctprof.zst", tmpdir);
	size_t zsize = 0;
	check_int(ctp_snapfile_save(path, s, &zsize, &err), ==, 0);
	ok(zsize > 0 && zsize < clen, "compressed size %zu < %zu", zsize, clen);
	check_int(ctp_snapfile_load(path, &s2, &err), ==, 0);
	if (s2) {
		char *out2 = to_json(s2);
		check_str(out2, out);
		free(out2);
	}
	validate_file(path);
	free(out);
	free(pretty);
	free(compact);
	ctp_snapshot_free(s);
	ctp_snapshot_free(s2);
}

/* each field gets a distinctive value derived from its index; JSON must bring it back */
static void test_every_field_roundtrips(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new(), *back = NULL;
	struct ctp_thread *t = ctp_snapshot_add_thread(s);
	for (size_t i = 0; i < CTP_NFIELDS; i++) {
		const struct ctp_metric *m = &ctp_fields[i];
		void *p = (char *)t + m->offset;
		switch (m->kind) {
		case CTP_KIND_U64: *(uint64_t *)p = UINT64_MAX - i; break;
		case CTP_KIND_U32: *(uint32_t *)p = UINT32_MAX - (uint32_t)i; break;
		case CTP_KIND_I32: *(int32_t *)p = INT32_MIN + (int32_t)i; break;
		case CTP_KIND_BOOL: *(bool *)p = true; break;
		case CTP_KIND_CHAR: *(uint32_t *)p = 0x00e9; break; /* é: one scalar, two bytes */
		case CTP_KIND_STR: free(*(char **)p); *(char **)p = ctp_xstrdup("a\"b\\c\n\x01é/☃"); break;
		case CTP_KIND_CPUSET: ctp_cpuset_set(p, (const uint32_t[]){ 7, 3, 3, UINT32_MAX }, 4); break;
		case CTP_KIND_KVMAP: ctp_kvmap_set(p, "Rss", UINT64_MAX); ctp_kvmap_set(p, "Anonymous", 1); break;
		}
	}
	s->captured_at_unix_ns = (1ull << 63) + 12345;
	char *json = to_json(s);
	struct ctp_err err = { 0 };
	check_int(ctp_snapshot_from_json(json, strlen(json), &back, &err), ==, 0);
	int bad = 0;
	for (size_t i = 0; back && i < CTP_NFIELDS; i++) {
		const struct ctp_metric *m = &ctp_fields[i];
		const void *a = (const char *)t + m->offset, *b = (const char *)&back->threads[0] + m->offset;
		bool same;
		switch (m->kind) {
		case CTP_KIND_STR: same = !strcmp(*(char *const *)a, *(char *const *)b); break;
		case CTP_KIND_CPUSET: {
			const struct ctp_cpuset *x = a, *y = b;
			same = x->n == y->n && x->n == 3 && !memcmp(x->cpus, y->cpus, 3 * sizeof(uint32_t));
			break;
		}
		case CTP_KIND_KVMAP: {
			const struct ctp_kvmap *x = a, *y = b;
			same = x->n == 2 && y->n == 2 && !strcmp(y->v[0].key, "Anonymous") && y->v[1].val == UINT64_MAX;
			break;
		}
		default: same = ctp_field_u64(t, m) == ctp_field_u64(&back->threads[0], m); break;
		}
		if (!same) {
			bad++;
			diag("field %s did not round-trip", m->name);
		}
	}
	check_int(bad, ==, 0);
	if (back)
		check_u64(back->captured_at_unix_ns, ==, (1ull << 63) + 12345);
	ok(strstr(json, "\"cpu_affinity\":[3,7,4294967295]") != NULL, "cpu list sorted and deduplicated on the wire");
	ok(strstr(json, "\"comm\":\"a\\\"b\\\\c\\n\\u0001é/☃\"") != NULL, "strings escaped the serde_json way");
	free(json);
	ctp_snapshot_free(s);
	ctp_snapshot_free(back);
}

/* the live view keeps its first sample and its history packed (pack.c): 300 idle-like threads
 * unpack to the same JSON, the fields a file does not hold (monotonic time, the sources read)
 * come back, the bytes are far fewer than the structs, and a cut pack is an error */
static void test_pack(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new(), *back = NULL;
	for (uint32_t i = 0; i < 300; i++) {
		struct ctp_thread *t = ctp_snapshot_add_thread(s);
		t->tid = 1000 + i;
		t->tgid = 1000;
		t->start_time_clock_ticks = 5000 + i;
		t->run_time_ns = 1000000ull * i;
		free(t->comm);
		t->comm = ctp_xstrdup("idle-worker");
	}
	s->captured_at_unix_ns = 1764650000000000000ull;
	s->captured_mono_ns = 987654321;
	s->sources_read = 0x1234;
	struct ctp_packed p = CTP_PACKED_INIT;
	struct ctp_err err = { 0 };
	check_int(ctp_snapshot_pack(s, &p, &err), ==, 0);
	check_int(p.nthreads, ==, 300);
	ok(p.z.len * 10 < 300 * sizeof(struct ctp_thread), "packed: %zu bytes for %zu bytes of structs", p.z.len,
	   300 * sizeof(struct ctp_thread));
	check_int(ctp_snapshot_unpack(&p, &back, &err), ==, 0);
	char *a = to_json(s), *b = back ? to_json(back) : ctp_xstrdup("");
	check_str(b, a);
	check_u64(back ? back->captured_mono_ns : 0, ==, 987654321);
	check_u64(back ? back->sources_read : 0, ==, 0x1234);
	free(a);
	free(b);
	struct ctp_snapshot *bad = NULL;
	p.z.len /= 2; /* cut short: an error, never a crash */
	check_int(ctp_snapshot_unpack(&p, &bad, &err), ==, -1);
	ok(bad == NULL, "a cut pack gives no snapshot");
	ctp_packed_release(&p);
	check_int(p.z.len, ==, 0);
	ctp_snapshot_free(s);
	ctp_snapshot_free(back);
}

/* the live view keeps its previous sample slim between refreshes (pack.c): threads whose fields
 * vary (every kind, strings and CPU sets per thread, NULL strings) next to constant columns come
 * back byte-for-byte in JSON; while slim the snapshot shows no threads and frees cleanly */
static void fill_varied(struct ctp_thread *t, uint32_t i)
{
	for (size_t f = 0; f < CTP_NFIELDS; f++) {
		const struct ctp_metric *m = &ctp_fields[f];
		void *p = (char *)t + m->offset;
		bool vary = f % 3 != 0; /* every third column stays at its default in every thread */
		switch (m->kind) {
		case CTP_KIND_U64: if (vary) *(uint64_t *)p = UINT64_MAX - i * 7919u - f; break;
		case CTP_KIND_U32: if (vary) *(uint32_t *)p = 100000u + i + (uint32_t)f; break;
		case CTP_KIND_I32: if (vary) *(int32_t *)p = -(int32_t)(i + f); break;
		case CTP_KIND_BOOL: if (vary) *(bool *)p = i % 2; break;
		case CTP_KIND_CHAR: if (vary) *(uint32_t *)p = i % 2 ? 'S' : 'R'; break;
		case CTP_KIND_STR: {
			char b[32];
			snprintf(b, sizeof(b), "w-%u-%zu", i % 5, f);
			free(*(char **)p);
			*(char **)p = i == 3 ? NULL : ctp_xstrdup(b);
			break;
		}
		case CTP_KIND_CPUSET: ctp_cpuset_set(p, (const uint32_t[]){ i % 4, 9 }, i % 3); break;
		case CTP_KIND_KVMAP: if (i % 2) ctp_kvmap_set(p, "Rss", i); break;
		}
	}
	t->tid = 2000 + i;
}

static void test_slim(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	for (uint32_t i = 0; i < 40; i++)
		fill_varied(ctp_snapshot_add_thread(s), i);
	s->wchan = ctp_xcalloc(40, sizeof(*s->wchan));
	s->wchan[5] = ctp_xstrdup("futex_wait_queue");
	char *before = to_json(s);
	size_t fat = s->nthreads * sizeof(struct ctp_thread);
	ctp_snapshot_slim(s);
	ok(s->threads == NULL && s->nthreads == 0 && s->slim, "slim: no threads until fattened");
	ok(s->slim && s->slim->len < fat, "slim: %zu bytes for %zu bytes of structs", s->slim ? s->slim->len : 0, fat);
	ctp_snapshot_slim(s); /* a no-op */
	ctp_snapshot_fatten(s);
	check_int(s->nthreads, ==, 40);
	ok(s->slim == NULL, "fattened: the raw columns are gone");
	char *after = to_json(s);
	check_str(after, before);
	ctp_snapshot_fatten(s); /* a no-op */
	check_int(s->nthreads, ==, 40);
	ctp_snapshot_slim(s); /* freed while slim: the wchan entries too (ASan) */
	ctp_snapshot_free(s);
	free(before);
	free(after);
}

/* replaces the first occurrence of from in s (freed) with to; NULL when absent */
static char *replace1(char *s, const char *from, const char *to)
{
	char *at = s ? strstr(s, from) : NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	if (!at) {
		free(s);
		return NULL;
	}
	ctp_buf_add(&b, s, (size_t)(at - s));
	ctp_buf_adds(&b, to);
	ctp_buf_adds(&b, at + strlen(from));
	free(s);
	return ctp_buf_detach(&b, NULL);
}

/* our own keys (man 5 ctprof EXTENSIONS): host.sched_schedstats and cgroup cpu.nr_bursts load,
 * are written back in place (last key of their object) byte-exactly, pass the reference
 * validator (ktstr ignores unknown keys) and vanish again when unknown */
static void test_extensions(void)
{
	size_t clen;
	char *ext = replace1(replace1(slurp("tests/snapshots/example.compact.json", &clen),
				      "\"config_task_xacct\":\"unknown\"}", "\"config_task_xacct\":\"unknown\",\"sched_schedstats\":1}"),
			     "\"weight_nice\":0},\"memory\"", "\"weight_nice\":0,\"nr_bursts\":5},\"memory\"");
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (!ok(ext != NULL, "example with the extension keys built"))
		return;
	check_int(ctp_snapshot_from_json(ext, strlen(ext), &s, &err), ==, 0);
	if (!s) {
		diag("%s: %s", err.where, err.msg);
		free(ext);
		return;
	}
	char *out = to_json(s);
	ok(!strcmp(out, ext), "extension keys written back byte-exactly, after the reference's keys");
	free(out);
	char path[300];
	snprintf(path, sizeof(path), "%s/ext.ctprof.zst", tmpdir);
	check_int(ctp_snapfile_save(path, s, NULL, &err), ==, 0);
	validate_file(path);
	ctp_snapshot_free(s);
	/* null reads as unknown, and unknown is left out: the reference's bytes again */
	ext = replace1(replace1(ext, "\"sched_schedstats\":1", "\"sched_schedstats\":null"), "\"nr_bursts\":5", "\"nr_bursts\":null");
	check_int(ctp_snapshot_from_json(ext, strlen(ext), &s, &err), ==, 0);
	char *compact = slurp("tests/snapshots/example.compact.json", &clen);
	out = s ? to_json(s) : NULL;
	ok(out && compact && !strcmp(out, compact), "unknown extension values are omitted (ktstr's bytes)");
	free(out);
	free(compact);
	free(ext);
	ctp_snapshot_free(s);
}

/* bad JSON documents: a mutation of the example and the exact error it must produce */
struct bad_case {
	const char *from, *to; /* replace first occurrence of from with to in the compact example */
	const char *where, *msg_part;
};

static const struct bad_case bad_cases[] = {
	{ "\"nice\":0", "\"nice\":\"x\"", "threads[0].nice", "expected a signed 32-bit integer, got string" },
	{ "\"nice\":0", "\"nice\":2147483648", "threads[0].nice", "out of range" },
	{ "\"nice\":0", "\"nice\":-0", "threads[0].nice", "expected a signed 32-bit integer, got -0" },
	{ "\"tid\":4242", "\"tid\":4242.0", "threads[0].tid", "got 4242.0" },
	{ "\"tid\":4242", "\"tid\":-1", "threads[0].tid", "out of range" },
	{ "\"tid\":4242", "\"tid\":1e3", "threads[0].tid", "got 1e3" },
	{ "\"run_time_ns\":1000000", "\"run_time_ns\":18446744073709551616", "threads[0].run_time_ns", "out of range" },
	{ "\"pcomm\":\"demo\",", "", "threads[0]", "missing field `pcomm`" },
	{ "\"comm\":\"demo\"", "\"comm\":\"demo\",\"comm\":\"x\"", "threads[0].comm", "duplicate field `comm`" },
	{ "\"state\":\"S\"", "\"state\":\"SS\"", "threads[0].state", "one-character string" },
	{ "\"state\":\"S\"", "\"state\":null", "threads[0].state", "got null" },
	{ "\"avg10\":1859", "\"avg10\":65536", "cgroup_stats./user.slice/demo.service.psi.cpu.some.avg10", "out of range" },
	{ "\"psi\":{\"cpu\":{\"some\":{\"avg10\":100", "\"psx\":{\"cpu\":{\"some\":{\"avg10\":100", "", "missing field `psi`" },
	{ "\"taskstats_measured\":true,", "", "threads[0]", "missing field `taskstats_measured`" },
	{ "\"pcomm\":\"demo\"", "\"pcomm\":\"de\\ud800mo\"", "threads[0].pcomm", "lone surrogate" },
	{ "\"pcomm\":\"demo\"", "\"pcomm\":\"de\xffmo\"", "threads[0].pcomm", "invalid UTF-8" },
	{ "\"pcomm\":\"demo\"", "\"pcomm\":\"de\x01mo\"", "threads[0].pcomm", "control character" },
	{ "\"task_delayacct\":\"on\"", "\"task_delayacct\":\"maybe\"", "host.task_delayacct", "unknown variant" },
	{ "\"cpu_affinity\":[0,1]", "\"cpu_affinity\":[0,\"1\"]", "threads[0].cpu_affinity[1]", "got string" },
	{ "\"threads\":[", "\"threads\":{", "threads", "expected an array, got object" },
	{ "\"sched_ext\":{\"state\":\"disabled\"", "\"sched_ext\":{\"state\":7", "sched_ext.state", "expected a string, got number" },
	{ "\"enable_seq\":0}}", "\"enable_seq\":0}} x", "", "trailing characters" },
	{ "\"demo\",\"comm\"", "\"demo\" \"comm\"", "threads[0].pcomm", "expected ',' or '}'" },
};

static char *mutate(const char *doc, const char *from, const char *to)
{
	const char *at = strstr(doc, from);
	if (!at)
		return NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_add(&b, doc, (size_t)(at - doc));
	ctp_buf_adds(&b, to);
	ctp_buf_adds(&b, at + strlen(from));
	return ctp_buf_detach(&b, NULL);
}

static void test_bad_json(void)
{
	size_t clen;
	char *compact = slurp("tests/snapshots/example.compact.json", &clen);
	for (size_t i = 0; compact && i < CTP_ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *doc = mutate(compact, c->from, c->to);
		if (!ok(doc != NULL, "case %zu applies", i))
			continue;
		struct ctp_snapshot *s = NULL;
		struct ctp_err err = { 0 };
		int rc = ctp_snapshot_from_json(doc, strlen(doc), &s, &err);
		bool good = rc == -1 && !s && !strcmp(err.where, c->where) && strstr(err.msg, c->msg_part);
		ok(good, "bad input %zu rejected at '%s' with '%s'", i, c->where, c->msg_part);
		if (!good)
			diag("got rc=%d where='%s' msg='%s'", rc, err.where, err.msg);
		free(doc);
	}
	/* deep nesting in an ignored key is bounded, not a stack overflow */
	struct ctp_buf deep = CTP_BUF_INIT;
	ctp_buf_adds(&deep, "{\"x\":");
	for (int i = 0; i < 100000; i++)
		ctp_buf_addch(&deep, '[');
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	check_int(ctp_snapshot_from_json(deep.buf, deep.len, &s, &err), ==, -1);
	ok(strstr(err.msg, "nesting deeper") != NULL, "deep nesting refused: %s", err.msg);
	ctp_buf_release(&deep);
	/* unknown keys are ignored, duplicate map keys: last wins */
	char *doc = mutate(compact, "\"threads\":[", "\"future_key\":{\"a\":[1,2,{\"b\":null}]},\"threads\":[");
	check_int(ctp_snapshot_from_json(doc, strlen(doc), &s, &err), ==, 0);
	ctp_snapshot_free(s);
	free(doc);
	doc = mutate(compact, "\"Anonymous\":136", "\"Anonymous\":1,\"Anonymous\":136");
	s = NULL;
	check_int(ctp_snapshot_from_json(doc, strlen(doc), &s, &err), ==, 0);
	if (s) {
		uint64_t v = 0;
		ok(ctp_kvmap_get(&s->threads[0].smaps_rollup_kib, "Anonymous", &v) && v == 136, "map duplicate: last wins");
	}
	ctp_snapshot_free(s);
	free(doc);
	/* state may be missing: '~' */
	doc = mutate(compact, "\"state\":\"S\",", "");
	s = NULL;
	check_int(ctp_snapshot_from_json(doc, strlen(doc), &s, &err), ==, 0);
	if (s)
		check_int(s->threads[0].state, ==, '~');
	ctp_snapshot_free(s);
	free(doc);
	free(compact);
}

static int load_error(const char *path, struct ctp_err *err)
{
	struct ctp_snapshot *s = NULL;
	int rc = ctp_snapfile_load(path, &s, err);
	ctp_snapshot_free(s);
	return rc;
}

static void test_bad_files(void)
{
	char path[512];
	struct ctp_err err = { 0 };
	snprintf(path, sizeof(path), "%s/missing.ctprof.zst", tmpdir);
	check_int(load_error(path, &err), ==, -1);
	ok(err.sys_errno == ENOENT && !strcmp(err.where, path), "missing file names the path: %s", err.msg);

	snprintf(path, sizeof(path), "%s/plain.json", tmpdir);
	spew(path, "{\"a\":1}", 7);
	check_int(load_error(path, &err), ==, -1);
	ok(strstr(err.msg, "not a zstd") != NULL, "plain JSON refused: %s", err.msg);

	snprintf(path, sizeof(path), "%s/empty.zst", tmpdir);
	spew(path, "", 0);
	check_int(load_error(path, &err), ==, -1);
	ok(strstr(err.msg, "empty") != NULL, "empty file refused: %s", err.msg);

	/* truncated and bit-flipped frames of the real example */
	size_t clen;
	char *compact = slurp("tests/snapshots/example.compact.json", &clen);
	size_t bound = ZSTD_compressBound(clen);
	char *z = malloc(bound);
	size_t zn = ZSTD_compress(z, bound, compact, clen, 3);
	snprintf(path, sizeof(path), "%s/trunc.zst", tmpdir);
	spew(path, z, zn / 2);
	check_int(load_error(path, &err), ==, -1);
	ok(strstr(err.msg, "truncated") || strstr(err.msg, "corrupt"), "truncated frame refused: %s", err.msg);
	zn = ctp_test_compress_checked(z, bound, compact, clen);
	z[zn / 2] ^= 0x5a;
	snprintf(path, sizeof(path), "%s/flip.zst", tmpdir);
	spew(path, z, zn);
	int rc = load_error(path, &err);
	check_int(rc, ==, -1);
	ok(strstr(err.msg, "corrupt zstd data") != NULL, "bit flip caught by the frame checksum: %s", err.msg);

	/* JSON error carries file and path */
	char *doc = mutate(compact, "\"nice\":0", "\"nice\":true");
	zn = ZSTD_compress(z, bound, doc, strlen(doc), 3);
	snprintf(path, sizeof(path), "%s/badtype.ctprof.zst", tmpdir);
	spew(path, z, zn);
	check_int(load_error(path, &err), ==, -1);
	char want[600], line[600];
	snprintf(want, sizeof(want), "%s: threads[0].nice: expected a signed 32-bit integer, got boolean", path);
	check_str(ctp_err_str(&err, line, sizeof(line)), want);
	free(doc);
	free(z);
	free(compact);

	/* decompression bomb: 256 MiB + 1 of spaces (valid JSON whitespace) is refused */
	size_t big = CTP_SNAPFILE_MAX_JSON + 1;
	char *spaces = malloc(big);
	memset(spaces, ' ', big);
	size_t bb = ZSTD_compressBound(big);
	char *zb = malloc(bb);
	size_t zbn = ZSTD_compress(zb, bb, spaces, big, 1);
	free(spaces);
	snprintf(path, sizeof(path), "%s/bomb.zst", tmpdir);
	spew(path, zb, zbn);
	free(zb);
	check_int(load_error(path, &err), ==, -1);
	ok(strstr(err.msg, "decompression-bomb guard") != NULL, "bomb refused (%zu compressed bytes): %s", zbn, err.msg);
}

static void test_atomic_save(void)
{
	size_t len;
	char *pretty = slurp("tests/snapshots/example.json", &len);
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	ctp_snapshot_from_json(pretty, len, &s, &err);
	char path[512];
	snprintf(path, sizeof(path), "%s/keep.ctprof.zst", tmpdir);
	check_int(ctp_snapfile_save(path, s, NULL, &err), ==, 0);
	struct stat before;
	stat(path, &before);
	/* a directory we cannot write into: the save fails, the old file is untouched */
	if (geteuid() == 0) {
		skip("root bypasses directory permissions; save failure checked via missing directory only");
	} else {
		chmod(tmpdir, 0555);
		check_int(ctp_snapfile_save(path, s, NULL, &err), ==, -1);
		chmod(tmpdir, 0755);
	}
	char bad[600];
	snprintf(bad, sizeof(bad), "%s/no/such/dir/x.ctprof.zst", tmpdir);
	check_int(ctp_snapfile_save(bad, s, NULL, &err), ==, -1);
	ok(strstr(err.msg, "directory") != NULL && err.sys_errno == ENOENT, "failed save explains: %s", err.msg);
	struct stat after;
	stat(path, &after);
	ok(before.st_ino == after.st_ino && before.st_size == after.st_size, "existing file untouched");
	/* replacing a file goes through rename: new inode, no temp files left behind */
	check_int(ctp_snapfile_save(path, s, NULL, &err), ==, 0);
	stat(path, &after);
	ok(after.st_ino != before.st_ino, "save replaced the file by rename");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ls -a %s | grep -q tmp-", tmpdir);
	ok(system(cmd) != 0, "no temporary files left");
	ctp_snapshot_free(s);
	free(pretty);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ctp-snapfile-XXXXXX");
	if (!mkdtemp(tmpdir))
		skip_all("cannot create a temp dir");
	test_example_roundtrip();
	test_every_field_roundtrips();
	test_pack();
	test_slim();
	test_extensions();
	test_bad_json();
	test_bad_files();
	test_atomic_save();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	return test_done();
}
