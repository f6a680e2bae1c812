/* t_recording.c — recording.h on a temporary directory: file names round-trip (UTC, ms) and
 * foreign names are refused, a listing ignores foreign files, symlinks and directories, time
 * ranges (HH:MM[:SS], full dates, unix seconds, open ends, errors), window partner names and the
 * -B spec forms (FILE, FILE + .end partner, A,B, a FILE with a comma, DIR, DIR@range, errors). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/recording.h"
#include "tap.h"

static char tmp[] = "/tmp/t_recording.XXXXXX";

static void touch(const char *name, size_t size)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (size && ftruncate(fd, (off_t)size) != 0)
			diag("ftruncate %s failed", p);
		close(fd);
	}
}

static void names(void)
{
	char buf[CTP_REC_NAME_MAX];
	uint64_t ns;

	/* 2026-12-02T04:13:05.123Z */
	uint64_t t = 1796184785ull * 1000000000ull + 123456789ull;
	ctp_recording_name(t, buf, sizeof(buf));
	check_str(buf, "20261202T041305.123Z.ctprof.zst");
	check_int(ctp_recording_parse_name(buf, &ns), ==, 0);
	check_u64(ns, ==, 1796184785ull * 1000000000ull + 123000000ull);
	ctp_recording_name(0, buf, sizeof(buf));
	check_str(buf, "19700101T000000.000Z.ctprof.zst");

	static const char *const bad[] = {
		"20261202T041305.123Z.ctprof.zst.tmp", ".20261202T041305.123Z.ctprof.zst.tmp-abc123",
		"20261202T041305.123Z.ctprof", "20261202T041305Z.ctprof.zst", "20261302T041305.123Z.ctprof.zst",
		"20260230T041305.123Z.ctprof.zst", "20261202T241305.123Z.ctprof.zst", "2026120xT041305.123Z.ctprof.zst",
		"20261202T041305.123Z.end.ctprof.zst", "x.ctprof.zst", "",
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(bad); i++)
		ok(ctp_recording_parse_name(bad[i], &ns) == -1, "not ours: '%s'", bad[i]);
}

static void listing(void)
{
	struct ctp_recording r;
	struct ctp_err err = { 0 };
	char p[512], q[512];

	check_int(ctp_recording_list(tmp, &r, &err), ==, -1);
	ok(strstr(err.msg, "no recording files") && !strcmp(err.where, tmp), "empty dir: '%s: %s'", err.where, err.msg);

	/* 2026-12-02 04:13:05 + i*10 s, written out of order, plus foreign entries */
	const uint64_t base = 1796184785ull;
	for (int i = 4; i >= 0; i--) {
		char n[CTP_REC_NAME_MAX];
		ctp_recording_name((base + (uint64_t)i * 10) * 1000000000ull, n, sizeof(n));
		touch(n, 100 + (size_t)i);
	}
	touch("notes.txt", 5);
	touch("20261202T041305.123Z.ctprof.zst.tmp", 7);
	touch(".20261202T041400.000Z.ctprof.zst.tmp-Xy12ab", 7);
	snprintf(p, sizeof(p), "%s/20261202T050000.000Z.ctprof.zst", tmp);
	mkdir(p, 0700); /* a directory with our name */
	snprintf(p, sizeof(p), "%s/20261202T050100.000Z.ctprof.zst", tmp);
	snprintf(q, sizeof(q), "%s/notes.txt", tmp);
	if (symlink(q, p) != 0) /* a symlink with our name */
		diag("symlink failed");

	check_int(ctp_recording_list(tmp, &r, &err), ==, 0);
	check_u64(r.n, ==, 5);
	check_u64(r.total_size, ==, 100 + 101 + 102 + 103 + 104);
	snprintf(p, sizeof(p), "%s/20261202T041305.000Z.ctprof.zst", tmp);
	check_str(r.v[0].path, p);
	snprintf(p, sizeof(p), "%s/20261202T041345.000Z.ctprof.zst", tmp);
	check_str(r.n == 5 ? r.v[4].path : "", p);
	bool sorted = true;
	for (size_t i = 1; i < r.n; i++)
		sorted &= r.v[i - 1].unix_ns < r.v[i].unix_ns && r.v[i].size == 100 + i;
	ok(sorted, "oldest first, sizes from lstat");
	check_str(r.dir, tmp);
	ctp_recording_release(&r);

	check_int(ctp_recording_list("/nonexistent-ctprof-dir", &r, &err), ==, -1);
	ok(!strcmp(err.where, "/nonexistent-ctprof-dir") && strstr(err.msg, "cannot read"), "missing dir: '%s: %s'",
	   err.where, err.msg);
}

static void one_range(const struct ctp_recording *r, const char *range, int want_first, int want_last)
{
	size_t f = 99, l = 99;
	struct ctp_err err = { 0 };
	int rc = ctp_recording_range(r, range, &f, &l, &err);
	if (want_first < 0) {
		ok(rc == -1 && !strcmp(err.where, range), "range '%s' refused: '%s: %s'", range, err.where, err.msg);
		return;
	}
	ok(rc == 0 && (int)f == want_first && (int)l == want_last, "range '%s' -> [%zu, %zu] (want [%d, %d]) %s",
	   range, f, l, want_first, want_last, rc ? err.msg : "");
}

static void ranges(void)
{
	struct ctp_recording r;
	struct ctp_err err = { 0 };

	if (ctp_recording_list(tmp, &r, &err) < 0) {
		skip("no listing: %s", err.msg);
		return;
	}
	/* entries at 04:13:05, :15, :25, :35, :45 */
	one_range(&r, "..", 0, 4);
	one_range(&r, "04:13:15..", 1, 4);
	one_range(&r, "..04:13:35", 0, 3);
	one_range(&r, "04:13:10..04:13:40", 1, 3);
	one_range(&r, "04:13..04:13", 0, 4); /* a minute-precision end includes the whole minute */
	one_range(&r, "2026-12-02T04:13:15..2026-12-02T04:13:25", 1, 2);
	one_range(&r, "1796184795..1796184805", 1, 2);
	one_range(&r, "04:13:40..", -1, -1);   /* one file only */
	one_range(&r, "04:20..04:21", -1, -1); /* none */
	one_range(&r, "04:13:30..04:13:10", -1, -1);
	one_range(&r, "04:13:10", -1, -1);
	one_range(&r, "4:13..", -1, -1);
	one_range(&r, "25:00..", -1, -1);
	one_range(&r, "2026-02-30T04:13..", -1, -1);
	one_range(&r, "yesterday..", -1, -1);
	ctp_recording_release(&r);
}

static void end_paths(void)
{
	char buf[64];
	check_int(ctp_window_end_path("/x/base.ctprof.zst", buf, sizeof(buf)), ==, 0);
	check_str(buf, "/x/base.end.ctprof.zst");
	check_int(ctp_window_end_path("base.zst", buf, sizeof(buf)), ==, 0);
	check_str(buf, "base.zst.end");
	check_int(ctp_window_end_path(".ctprof.zst", buf, sizeof(buf)), ==, 0);
	check_str(buf, ".ctprof.zst.end");
	check_int(ctp_window_end_path("/a/rather/long/name.ctprof.zst", buf, 20), ==, -1);
}

static void spec(const char *s, const char *want_a, const char *want_b, bool found, bool dir)
{
	struct ctp_basespec b;
	struct ctp_err err = { 0 };
	int rc = ctp_basespec_resolve(s, &b, &err);
	ok(rc == 0 && b.a && !strcmp(b.a, want_a) && (want_b ? b.b && !strcmp(b.b, want_b) : !b.b) &&
		   b.b_found == found && b.from_dir == dir,
	   "-B %s -> a=%s b=%s found=%d dir=%d %s", s, rc ? "-" : b.a, rc || !b.b ? "-" : b.b, rc ? 0 : b.b_found,
	   rc ? 0 : b.from_dir, rc ? err.msg : "");
	ctp_basespec_release(&b);
}

static void spec_err(const char *s, const char *where, const char *msg)
{
	struct ctp_basespec b;
	struct ctp_err err = { 0 };
	int rc = ctp_basespec_resolve(s, &b, &err);
	ok(rc == -1 && !strcmp(err.where, where) && strstr(err.msg, msg) && !b.a && !b.b, "-B %s refused: '%s: %s'", s,
	   err.where, err.msg);
	if (!rc)
		ctp_basespec_release(&b);
}

static void specs(void)
{
	char a[512], e[512], c[512], d[512], s[1200], rec[512], r0[600], r1[600], r4[600];

	snprintf(rec, sizeof(rec), "%s", tmp); /* the recording of listing() */
	snprintf(r0, sizeof(r0), "%s/20261202T041305.000Z.ctprof.zst", tmp);
	snprintf(r1, sizeof(r1), "%s/20261202T041315.000Z.ctprof.zst", tmp);
	snprintf(r4, sizeof(r4), "%s/20261202T041345.000Z.ctprof.zst", tmp);
	snprintf(d, sizeof(d), "%s/w", tmp);
	mkdir(d, 0700);
	touch("w/base.ctprof.zst", 1);
	touch("w/solo.ctprof.zst", 1);
	touch("w/base.end.ctprof.zst", 1);
	touch("w/odd,name.ctprof.zst", 1);
	snprintf(a, sizeof(a), "%s/w/base.ctprof.zst", tmp);
	snprintf(e, sizeof(e), "%s/w/base.end.ctprof.zst", tmp);

	spec(a, a, e, true, false); /* FILE finds its .end partner */
	snprintf(c, sizeof(c), "%s/w/solo.ctprof.zst", tmp);
	spec(c, c, NULL, false, false);
	spec("-", "-", NULL, false, false);
	spec("/nonexistent/x.ctprof.zst", "/nonexistent/x.ctprof.zst", NULL, false, false); /* the load says why */
	snprintf(s, sizeof(s), "%s,%s", c, a);
	spec(s, c, a, false, false);
	snprintf(c, sizeof(c), "%s/w/odd,name.ctprof.zst", tmp);
	spec(c, c, NULL, false, false); /* an existing FILE with a comma stays a FILE */
	snprintf(s, sizeof(s), "%s,%s", c, a);
	spec(s, c, a, false, false); /* A with a comma, B */
	spec(rec, r0, r4, false, true);
	snprintf(s, sizeof(s), "%s@04:13:15..04:13:45", rec);
	spec(s, r1, r4, false, true);

	snprintf(s, sizeof(s), "%s,/nonexistent/b.ctprof.zst", a);
	spec_err(s, "/nonexistent/b.ctprof.zst", "No such file");
	snprintf(s, sizeof(s), "%s,", a);
	spec_err(s, s, "two file names");
	snprintf(s, sizeof(s), "%s@04:20..", rec);
	spec_err(s, "04:20..", "a window needs two");
	snprintf(s, sizeof(s), "%s@bad", rec);
	spec_err(s, "bad", "START..END");
	spec_err(d, d, "no recording files"); /* a directory without recording files */
	spec_err("", "-B", "empty");
	{
		char one[600];
		snprintf(one, sizeof(one), "%s/one", tmp);
		mkdir(one, 0700);
		touch("one/20261202T041305.000Z.ctprof.zst", 1);
		spec_err(one, one, "a window needs two");
	}
}

int main(void)
{
	if (!mkdtemp(tmp))
		skip_all("mkdtemp failed");
	names();
	listing();
	ranges();
	end_paths();
	specs();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		diag("cleanup failed");
	return test_done();
}
