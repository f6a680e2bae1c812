/* t_failif.c — the regression gate's rules (compare/failif.h): every rule form parsed to its
 * kind, direction and raw threshold; every bad form refused with its one-line message; and
 * evaluation on a hand-built table: x2 and +50% trip on a group whose thread count and CPU
 * doubled, looser rules pass, min= keeps a tiny group quiet, new and gone groups. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/failif.h"
#include "cmp_fixture.h"
#include "tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

static void good(const char *text, int kind, bool fall, double thr)
{
	struct ctp_rules r = { 0 };
	struct ctp_err err = { 0 };
	char line[600];
	int rc = ctp_rules_parse(text, "--fail-if", false, &r, &err);
	if (!ok(rc == 0 && r.n == 1, "parses '%s'", text)) {
		diag("%s", ctp_err_str(&err, line, sizeof(line)));
	} else {
		ok(r.v[0].kind == (enum ctp_rule_kind)kind && r.v[0].fall == fall && near(r.v[0].threshold, thr),
		   "'%s': kind %d fall %d threshold %g (want %d %d %g)", text, r.v[0].kind, r.v[0].fall,
		   r.v[0].threshold, kind, fall, thr);
		check_str(r.v[0].text, text);
	}
	ctp_rules_release(&r);
}

static void bad(const char *text, const char *want)
{
	struct ctp_rules r = { 0 };
	struct ctp_err err = { 0 };
	char line[600];
	int rc = ctp_rules_parse(text, "--fail-if", false, &r, &err);
	ok(rc < 0, "'%s' refused", text);
	check_str(ctp_err_str(&err, line, sizeof(line)), want);
	ctp_rules_release(&r);
}

static void parse_forms(void)
{
	good("run_time_ns:+25%", CTP_RULE_PCT, false, 0.25);
	good("run_time_ns:25%", CTP_RULE_PCT, false, 0.25);
	good("thread_count:-50%", CTP_RULE_PCT, true, 0.5);
	good("nr_migrations:x2", CTP_RULE_FACTOR, false, 2);
	good("nr_migrations:x0.5", CTP_RULE_FACTOR, true, 0.5);
	good("avg_wait_ns:+1ms", CTP_RULE_ABS, false, 1e6);
	good("run_time_ns:-2.5s", CTP_RULE_ABS, true, 2.5e9);
	good("run_time_ns:+3us", CTP_RULE_ABS, false, 3000);
	good("run_time_ns:+3\xc2\xb5s", CTP_RULE_ABS, false, 3000);
	good("rchar:+4KiB", CTP_RULE_ABS, false, 4096);
	good("rchar:+2M", CTP_RULE_ABS, false, 2097152);
	good("rchar:+100", CTP_RULE_ABS, false, 100);
	good("timeslices:+1.5k", CTP_RULE_ABS, false, 1500);
	good("utime_clock_ticks:+2s", CTP_RULE_ABS, false, 2.0 * (double)ctp_clk_tck());
	good("utime_clock_ticks:+7ticks", CTP_RULE_ABS, false, 7);

	struct ctp_rules r = { 0 };
	struct ctp_err err = { 0 };
	ok(ctp_rules_parse(" run_time_ns:+25%:min=1ms@pcomm=nginx* , rchar:x2:min=1MiB", "--fail-if", false, &r,
			   &err) == 0 && r.n == 2, "two rules separated by a comma");
	if (r.n == 2) {
		ok(r.v[0].has_min && near(r.v[0].min, 1e6), "min=1ms is 1e6 ns");
		ok(r.v[0].has_glob && r.v[0].axis == CTP_AXIS_PCOMM, "glob on pcomm");
		check_str(r.v[0].glob, "nginx*");
		check_str(r.v[0].text, "run_time_ns:+25%:min=1ms@pcomm=nginx*");
		ok(r.v[1].has_min && near(r.v[1].min, 1048576) && !r.v[1].has_glob, "min=1MiB, no glob");
	}
	/* a glob may hold '@' and ':' (systemd instance units): it runs to the end */
	ctp_rules_release(&r);
	ok(ctp_rules_parse("run_time_ns:x2@cgroup=/system.slice/getty@*.service", "--fail-if", false, &r, &err) == 0,
	   "glob with '@'");
	check_str(r.n ? r.v[0].glob : NULL, "/system.slice/getty@*.service");
	ok(ctp_rules_check_axis(&r, CTP_AXIS_CGROUP, &err) == 0, "cgroup glob on the cgroup axis");
	char line[600];
	ok(ctp_rules_check_axis(&r, CTP_AXIS_PCOMM, &err) < 0, "cgroup glob on the pcomm axis refused");
	check_str(ctp_err_str(&err, line, sizeof(line)),
		  "--fail-if: rule 'run_time_ns:x2@cgroup=/system.slice/getty@*.service': groups are by pcomm here, "
		  "not cgroup (-g cgroup)");
	ctp_rules_release(&r);
}

static void parse_bad(void)
{
	bad("run_time:+5%", "--fail-if: rule 'run_time:+5%': unknown metric 'run_time'; did you mean run_time_ns? "
			    "(ctprof-top --metric-list lists them)");
	bad("zzzzqqq:+5%", "--fail-if: rule 'zzzzqqq:+5%': unknown metric 'zzzzqqq' (ctprof-top --metric-list lists them)");
	bad("run_time_ns", "--fail-if: rule 'run_time_ns': expected METRIC:THRESHOLD (run_time_ns:+25%)");
	bad(":+5%", "--fail-if: rule ':+5%': no metric before ':'");
	bad("run_time_ns:", "--fail-if: rule 'run_time_ns:': no threshold after ':' (+25%, x2, +1ms)");
	bad("run_time_ns:+abc", "--fail-if: rule 'run_time_ns:+abc': bad threshold '+abc' (+25%, -10%, x2, +1ms)");
	bad("run_time_ns:+5", "--fail-if: rule 'run_time_ns:+5': threshold '+5' of run_time_ns needs a time unit (ns, us, ms or s)");
	bad("run_time_ns:+5%%", "--fail-if: rule 'run_time_ns:+5%%': threshold '+5%%' of run_time_ns needs a time unit (ns, us, ms or s)");
	bad("timeslices:+5ms", "--fail-if: rule 'timeslices:+5ms': threshold '+5ms' of timeslices is a plain number (k, M or G allowed), not a time or size");
	bad("rchar:+5ms", "--fail-if: rule 'rchar:+5ms': threshold '+5ms' of rchar needs a byte unit (B, K, KiB, M, MiB, G, GiB) or none");
	bad("utime_clock_ticks:+5", "--fail-if: rule 'utime_clock_ticks:+5': threshold '+5' of utime_clock_ticks needs a time unit (ns, us, ms, s) or ticks");
	bad("run_time_ns:x1", "--fail-if: rule 'run_time_ns:x1': factor must be above 0 and not 1");
	bad("run_time_ns:x0", "--fail-if: rule 'run_time_ns:x0': factor must be above 0 and not 1");
	bad("run_time_ns:x", "--fail-if: rule 'run_time_ns:x': bad factor 'x' (x2, x1.5, x0.5)");
	bad("run_time_ns:x2y", "--fail-if: rule 'run_time_ns:x2y': bad factor 'x2y' (x2, x1.5, x0.5)");
	bad("run_time_ns:+0%", "--fail-if: rule 'run_time_ns:+0%': threshold must be above 0");
	bad("run_time_ns:+inf%", "--fail-if: rule 'run_time_ns:+inf%': bad threshold '+inf%' (+25%, -10%, x2, +1ms)");
	bad("run_time_ns:-150%", "--fail-if: rule 'run_time_ns:-150%': a value cannot fall more than 100%");
	bad("policy:x2", "--fail-if: rule 'policy:x2': metric 'policy' is categorical and has no value to compare");
	bad("cpu_affinity:+1", "--fail-if: rule 'cpu_affinity:+1': metric 'cpu_affinity' is categorical and has no value to compare");
	bad("run_time_ns:+5%:max=3", "--fail-if: rule 'run_time_ns:+5%:max=3': unknown option 'max=3' (min=VALUE)");
	bad("run_time_ns:+5%:min=", "--fail-if: rule 'run_time_ns:+5%:min=': bad min value ''");
	bad("run_time_ns:+5%:min=3", "--fail-if: rule 'run_time_ns:+5%:min=3': min '3' of run_time_ns needs a time unit (ns, us, ms or s)");
	bad("run_time_ns:+5%@pcomm", "--fail-if: rule 'run_time_ns:+5%@pcomm': expected @AXIS=GLOB after the threshold");
	bad("run_time_ns:+5%@host=x", "--fail-if: rule 'run_time_ns:+5%@host=x': unknown axis 'host' (pcomm, cgroup, comm, comm-exact, all)");
	bad("run_time_ns:+5%@pcomm=", "--fail-if: rule 'run_time_ns:+5%@pcomm=': empty glob after 'pcomm='");
	bad("run_time_ns:+5%@pcomm=a*:min=1ms", "--fail-if: rule 'run_time_ns:+5%@pcomm=a*:min=1ms': put min= before '@' (the glob runs to the end)");
	bad("run_time_ns:+5%,,rchar:x2", "--fail-if: empty rule (rules are separated by commas)");
	bad("run_time_ns:+5%,", "--fail-if: empty rule (rules are separated by commas)");
	bad("", "--fail-if: no rules");
	bad("  ", "--fail-if: no rules");
}

static void parse_file(void)
{
	char path[] = "/tmp/t_failif.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "# gate of the nightly run\n"
			   "run_time_ns:+25%   # CPU\n"
			   "\n"
			   "nr_migrations:x2, wait_time_ns:+10%@pcomm=nginx*\n"
			   "avg_wait_ns:+1\n";
	ok(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "rules file written");
	close(fd);
	struct ctp_rules r = { 0 };
	struct ctp_err err = { 0 };
	char line[600], want[700];
	ok(ctp_rules_load(path, &r, &err) < 0, "a bad rule on line 5 refuses the file");
	snprintf(want, sizeof(want), "%s:5: rule 'avg_wait_ns:+1': threshold '+1' of avg_wait_ns needs a time unit (ns, us, ms or s)", path);
	check_str(ctp_err_str(&err, line, sizeof(line)), want);
	check_int(r.n, ==, 3); /* the ones before it */
	ctp_rules_release(&r);
	fd = open(path, O_WRONLY | O_TRUNC);
	text = "# only comments\n\n   # and blanks\n";
	ok(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "comments-only file written");
	close(fd);
	ok(ctp_rules_load(path, &r, &err) < 0, "a file without rules is refused");
	snprintf(want, sizeof(want), "%s: no rules", path);
	check_str(ctp_err_str(&err, line, sizeof(line)), want);
	ctp_rules_release(&r);
	fd = open(path, O_WRONLY | O_TRUNC);
	text = "run_time_ns:+25%   # CPU\nnr_migrations:x2, wait_time_ns:+10%@pcomm=nginx*\n";
	ok(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "good file written");
	close(fd);
	ok(ctp_rules_load(path, &r, &err) == 0 && r.n == 3, "three rules from two lines");
	check_str(r.n == 3 ? r.v[2].glob : NULL, "nginx*");
	ctp_rules_release(&r);
	unlink(path);
	ok(ctp_rules_load(path, &r, &err) < 0 && err.code == CTP_E_IO, "a missing file is an I/O error");
	ok(ctp_rules_load("/tmp", &r, &err) < 0, "a directory is refused");
	ctp_rules_release(&r);
}

/* base: web 2 threads x 100ms, tiny 1 x 1µs, steady 1 x 1s, old 2 x 10ms; live: web 4 x 200ms
 * (threads x2, CPU x4), tiny 3µs, steady 1.1s, old gone, newbie 1 x 5ms */
static struct ctp_table *fixture(struct ctp_snapshot **b, struct ctp_snapshot **l)
{
	*b = ctp_snapshot_new();
	*l = ctp_snapshot_new();
	for (uint32_t i = 0; i < 2; i++)
		fx_thread(*b, 10 + i, 10, "web", "web", "/")->run_time_ns = 100000000;
	for (uint32_t i = 0; i < 4; i++)
		fx_thread(*l, 10 + i, 10, "web", "web", "/")->run_time_ns = 200000000;
	fx_thread(*b, 20, 20, "tiny", "tiny", "/")->run_time_ns = 1000;
	fx_thread(*l, 20, 20, "tiny", "tiny", "/")->run_time_ns = 3000;
	fx_thread(*b, 30, 30, "steady", "steady", "/")->run_time_ns = 1000000000;
	fx_thread(*l, 30, 30, "steady", "steady", "/")->run_time_ns = 1100000000;
	fx_thread(*b, 40, 40, "old", "old", "/")->run_time_ns = 10000000;
	fx_thread(*b, 41, 40, "old", "old", "/")->run_time_ns = 10000000;
	fx_thread(*l, 50, 50, "newbie", "newbie", "/")->run_time_ns = 5000000;
	struct ctp_compare_opts o;
	ctp_compare_opts_init(&o);
	o.limit = 1; /* the gate reads every row, not the view */
	struct ctp_err err = { 0 };
	return ctp_compare(*b, *l, &o, &err);
}

/* the groups that trip rules, "web,tiny" in row order of each trip */
static const char *tripped(const struct ctp_table *t, const char *rules)
{
	static char out[256];
	struct ctp_rules r = { 0 };
	struct ctp_verdict v = { 0 };
	struct ctp_err err = { 0 };
	out[0] = 0;
	if (ctp_rules_parse(rules, "--fail-if", false, &r, &err) < 0)
		return "(bad rule)";
	size_t n = ctp_rules_eval(&r, t, &v);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strncat(out, t->rows[v.v[i].row].label, sizeof(out) - strlen(out) - 2);
	}
	check_int(v.nrules, ==, r.n);
	ctp_verdict_release(&v);
	ctp_rules_release(&r);
	return out;
}

static void evaluate(void)
{
	struct ctp_snapshot *b, *l;
	struct ctp_table *t = fixture(&b, &l);
	ok(t && t->nrows == 5 && t->nview == 1, "fixture table: 5 rows, 1 in the view");
	check_str(tripped(t, "thread_count:x2"), "web");
	check_str(tripped(t, "thread_count:+50%"), "web");
	check_str(tripped(t, "run_time_ns:x2"), "web,tiny");
	check_str(tripped(t, "run_time_ns:+50%"), "web,tiny");
	/* looser rules pass */
	check_str(tripped(t, "thread_count:x3"), "");
	check_str(tripped(t, "thread_count:+150%"), "");
	check_str(tripped(t, "run_time_ns:x5"), "");
	check_str(tripped(t, "run_time_ns:+500%"), "");
	/* min= keeps the tiny group quiet */
	check_str(tripped(t, "run_time_ns:x2:min=1ms"), "web");
	check_str(tripped(t, "run_time_ns:+50%:min=2us"), "web");
	check_str(tripped(t, "run_time_ns:+50%:min=1us"), "web,tiny");
	/* absolute: a new group counts from 0 (5ms >= 1ms), unless min= asks for a base */
	check_str(tripped(t, "run_time_ns:+1ms"), "web,steady,newbie");
	check_str(tripped(t, "run_time_ns:+1ms:min=1ns"), "web,steady");
	check_str(tripped(t, "run_time_ns:+100ms"), "web,steady");
	check_str(tripped(t, "run_time_ns:+101ms"), "web");
	/* a percent or factor has no base in a new group: never trips */
	check_str(tripped(t, "run_time_ns:+1%@pcomm=new*"), "");
	/* falls: the gone group counts as live 0 */
	check_str(tripped(t, "thread_count:-50%"), "old");
	check_str(tripped(t, "run_time_ns:x0.5"), "old");
	check_str(tripped(t, "run_time_ns:-20ms"), "old");
	check_str(tripped(t, "run_time_ns:-21ms"), "");
	/* globs and several rules: rule order, then row order */
	check_str(tripped(t, "run_time_ns:+50%@pcomm=w*"), "web");
	check_str(tripped(t, "run_time_ns:+50%@pcomm=[st]*,thread_count:x2"), "tiny,web");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

int main(void)
{
	parse_forms();
	parse_bad();
	parse_file();
	evaluate();
	return test_done();
}
