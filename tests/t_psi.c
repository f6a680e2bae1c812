/* t_psi.c — PSI parsing: the centi-percent examples of snapshot-and-capture.md §2.13, line and
 * token handling, and host/cgroup reads from the fixture trees (missing files -> zeros). */
#include <string.h>

#include "capture/psi.h"
#include "tap.h"
#include "base/util.h"

static const struct {
	const char *in;
	unsigned want;
} centi[] = {
	{ "18.59", 1859 }, { "1.5", 150 },     { "1.501", 150 }, { "3.", 300 },   { "42", 4200 },
	{ "100.00", 10000 }, { "100.99", 10099 }, { "NaN", 0 },   { "0.00", 0 },  { "", 0 },
	{ "-1.00", 0 },      { "1.x", 100 },     { "655.35", 65535 }, { "655.36", 65535 },
	{ "99999.99", 65535 }, { "+1.25", 125 }, { "1.-5", 100 },  { ".5", 0 },   { "0.05", 5 },
};

static void test_centi(void)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(centi); i++) {
		unsigned got = ctp_psi_centi(centi[i].in, strlen(centi[i].in));
		if (!ok(got == centi[i].want, "centi(\"%s\") = %u", centi[i].in, centi[i].want))
			diag("got %u", got);
	}
}

static void test_parse(void)
{
	const char *t = "some avg10=18.59 avg60=24.31 avg300=20.49 total=78097519837\n"
			"full avg10=0.10 avg60=0.00 avg300=0.00 total=7\n"
			"bogus avg10=9.00\n"
			"  some\tavg10=1.00 unknown=5 noeq total=12 avg60=2.00";
	struct ctp_psi_resource r;
	ctp_psi_parse(t, strlen(t), &r);
	/* the later "some" line overwrites only the keys it carries */
	check_int(r.some.avg10, ==, 100);
	check_int(r.some.avg60, ==, 200);
	check_int(r.some.avg300, ==, 2049);
	check_u64(r.some.total_usec, ==, 12);
	check_int(r.full.avg10, ==, 10);
	check_u64(r.full.total_usec, ==, 7);

	const char *bad = "some total=12abc avg10=1.00\nfull total=-3";
	ctp_psi_parse(bad, strlen(bad), &r);
	check_u64(r.some.total_usec, ==, 0);
	check_int(r.some.avg10, ==, 100);
	check_u64(r.full.total_usec, ==, 0);

	ctp_psi_parse("", 0, &r);
	check_int(r.some.avg10 + r.full.avg10, ==, 0);
}

static void test_host(const char *src)
{
	char root[4096];
	snprintf(root, sizeof(root), "%s/tests/fixtures/proc-full", src);
	struct ctp_psi p;
	memset(&p, 0xff, sizeof(p));
	check_int(ctp_psi_read_host(root, &p), ==, 4);
	check_int(p.cpu.some.avg10, ==, 1859);
	check_int(p.cpu.some.avg60, ==, 2431);
	check_int(p.cpu.some.avg300, ==, 2049);
	check_u64(p.cpu.some.total_usec, ==, 78097519837ULL);
	check_u64(p.cpu.full.total_usec, ==, 0);
	check_int(p.memory.some.avg10, ==, 150);
	check_int(p.memory.some.avg60, ==, 150);
	check_int(p.memory.some.avg300, ==, 300);
	check_u64(p.memory.some.total_usec, ==, 123);
	check_int(p.memory.full.avg10, ==, 4200);
	check_int(p.memory.full.avg60, ==, 10000);
	check_int(p.memory.full.avg300, ==, 10099);
	check_u64(p.memory.full.total_usec, ==, 456);
	check_int(p.io.some.avg10, ==, 0);
	check_int(p.io.some.avg60, ==, 10);
	check_u64(p.io.some.total_usec, ==, 0);
	check_u64(p.io.full.total_usec, ==, 99);
	check_int(p.irq.some.avg10, ==, 0);
	check_u64(p.irq.some.total_usec, ==, 0);
	check_int(p.irq.full.avg10, ==, 109);
	check_int(p.irq.full.avg60, ==, 108);
	check_int(p.irq.full.avg300, ==, 146);
	check_u64(p.irq.full.total_usec, ==, 80506377366ULL);

	/* a tree without pressure/: all four unreadable -> zeros */
	snprintf(root, sizeof(root), "%s/tests/fixtures/no-such-dir", src);
	memset(&p, 0xff, sizeof(p));
	check_int(ctp_psi_read_host(root, &p), ==, 0);
	check_u64(p.irq.full.total_usec, ==, 0);
	check_int(p.cpu.some.avg10, ==, 0);
}

static void test_cgroup(const char *src)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/cgroup-psi", src);
	struct ctp_psi p;
	memset(&p, 0xff, sizeof(p));
	check_int(ctp_psi_read_cgroup(dir, &p), ==, 2);
	check_int(p.cpu.some.avg10, ==, 1859);
	check_u64(p.cpu.some.total_usec, ==, 78097519837ULL);
	check_int(p.irq.full.avg10, ==, 109);
	check_u64(p.irq.full.total_usec, ==, 80506377366ULL);
	check_int(p.memory.some.avg10, ==, 0);
	/* invalid UTF-8 -> read failure -> zero resource */
	check_u64(p.io.some.total_usec, ==, 0);
}

static void test_live(void)
{
	struct ctp_psi p;
	int n = ctp_psi_read_host("/proc", &p);
	if (n == 0) {
		skip("/proc/pressure not readable (CONFIG_PSI off or psi=0)");
		return;
	}
	ok(n >= 3, "host /proc/pressure: %d of 4 files readable", n);
	ok(p.cpu.some.total_usec > 0, "host cpu some total > 0");
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	if (!src)
		src = ".";
	test_centi();
	test_parse();
	test_host(src);
	test_cgroup(src);
	test_live();
	return test_done();
}
