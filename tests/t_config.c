/* t_config.c — the settings file (ui/config.c): defaults, every key, malformed lines reported as
 * file:line and skipped, save/load round trip keeping the user's comments, the XDG path rules
 * and the shipped data/ctprof-top.conf matching the built-in defaults. */
#include "../ui/config.c"

#include <sys/stat.h>

#include "tap.h"

static char tmpdir[256];

static void setenv_or_unset(const char *k, const char *v)
{
	if (v)
		setenv(k, v, 1);
	else
		unsetenv(k);
}

static void check_path(const char *xdg, const char *home, int want_rc, const char *want)
{
	struct ctp_buf b = CTP_BUF_INIT;
	setenv_or_unset("XDG_CONFIG_HOME", xdg);
	setenv_or_unset("HOME", home);
	int rc = ctp_config_path(&b);
	check_int(rc, ==, want_rc);
	check_str(b.buf, want);
	ctp_buf_release(&b);
}

static void test_defaults(void)
{
	struct ctp_config c;
	ctp_config_init(&c);
	ok(c.interval_s == 1.0, "default interval 1s");
	check_str(c.group_by, "pcomm");
	check_str(c.sort_by, "");
	check_str(c.columns, "sched");
	check_int(c.color, ==, 1);
	check_int(c.set, ==, 0);
}

static void test_parse_good(void)
{
	static const char text[] = "# comment\n\n  interval = 2.5  \ngroup_by=comm-exact\n"
				   "sort_by = run_time_ns:asc, avg_wait_ns\tcolumns = x\n" /* a tab does not end a value */
				   "columns = run_time_ns,wait_time_ns # trailing comment\ncolor = OFF\n";
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_config_init(&c);
	ctp_config_parse(&c, text, sizeof(text) - 1, "t.conf", &w);
	ok(c.interval_s == 2.5, "interval parsed as 2.5");
	check_str(c.group_by, "comm-exact");
	check_str(c.columns, "run_time_ns,wait_time_ns");
	check_int(c.color, ==, 0);
	/* "avg_wait_ns\tcolumns = x" is not a metric: the whole sort_by line is rejected */
	check_str(c.sort_by, "");
	check_str(w.buf, "t.conf:5: bad sort_by 'run_time_ns:asc, avg_wait_ns\tcolumns = x': unknown metric "
			 "'avg_wait_ns\tcolumns = x' (use the bare metric name, see metric-list); line ignored\n");
	check_int(c.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR);
	ctp_buf_reset(&w);

	static const char text2[] = "sort_by = run_time_ns:asc, avg_wait_ns\ninterval=.5\ncolumns = delays\ncolor=yes";
	ctp_config_parse(&c, text2, sizeof(text2) - 1, "t2", &w);
	check_str(c.sort_by, "run_time_ns:asc, avg_wait_ns");
	ok(c.interval_s == 0.5, "interval .5 parsed");
	check_str(c.columns, "delays");
	check_int(c.color, ==, 1);
	check_str(w.buf, "");
	ctp_buf_release(&w);
}

static void test_malformed(void)
{
	static const char text[] = "interval = 2\n"           /* 1 ok */
				   "this line has no equals\n" /* 2 */
				   "= 5\n"                     /* 3 */
				   "interval = 0.01\n"         /* 4 below minimum */
				   "interval = 1e3\n"          /* 5 */
				   "interval = -1\n"           /* 6 */
				   "group_by = process\n"      /* 7 */
				   "sort_by = policy\n"        /* 8 categorical */
				   "columns = bogus_metric\n"  /* 9 */
				   "color = maybe\n"           /* 10 */
				   "colour = on\n"             /* 11 unknown key */
				   "group_by = cgroup\n";      /* 12 ok */
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_config_init(&c);
	ctp_config_parse(&c, text, sizeof(text) - 1, "/home/u/.config/ctprof-top/config", &w);
	ok(c.interval_s == 2.0, "the good interval line still applies");
	check_str(c.group_by, "cgroup");
	check_str(c.sort_by, "");
	check_str(c.columns, "sched");
	check_int(c.color, ==, 1);
	check_int(c.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY);
	const char *want =
		"/home/u/.config/ctprof-top/config:2: expected 'key = value', got 'this line has no equals'; line ignored\n"
		"/home/u/.config/ctprof-top/config:3: missing key before '='; line ignored\n"
		"/home/u/.config/ctprof-top/config:4: bad interval '0.01' (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:5: bad interval '1e3' (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:6: bad interval '-1' (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:7: bad group_by 'process' (pcomm, cgroup, comm, comm-exact, all); line ignored\n"
		"/home/u/.config/ctprof-top/config:8: bad sort_by 'policy': metric 'policy' is categorical and cannot be sorted; line ignored\n"
		"/home/u/.config/ctprof-top/config:9: unknown metric 'bogus_metric' in columns; line ignored\n"
		"/home/u/.config/ctprof-top/config:10: bad color 'maybe' (on or off); line ignored\n"
		"/home/u/.config/ctprof-top/config:11: unknown key 'colour'; line ignored\n";
	check_str(w.buf, want);
	/* NULL warnings buffer is allowed */
	ctp_config_parse(&c, "junk\n", 5, "x", NULL);
	ok(1, "NULL warnings accepted");
	ctp_buf_release(&w);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	struct ctp_buf b = CTP_BUF_INIT;
	if (read_file(path, &b) < 0)
		return NULL;
	return ctp_buf_detach(&b, NULL);
}

static void test_round_trip(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/rt/a/b/config", tmpdir);
	struct ctp_config c, d;
	struct ctp_err err = { 0 };
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_config_init(&c);
	c.interval_s = 0.25;
	strcpy(c.group_by, "all");
	strcpy(c.sort_by, "wait_time_ns:desc,run_time_ns");
	strcpy(c.columns, "jemalloc");
	c.color = false;
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	char *text = slurp(path);
	check_str(text, "# ctprof-top settings (see ctprof-top(1), FILES). key = value; '#' comments.\n"
			"# Command-line options override these.\n"
			"interval = 0.25\ngroup_by = all\nsort_by = wait_time_ns:desc,run_time_ns\n"
			"columns = jemalloc\ncolor = off\n");
	free(text);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	check_str(w.buf, "");
	ok(d.interval_s == 0.25, "interval round-trips");
	check_str(d.group_by, "all");
	check_str(d.sort_by, "wait_time_ns:desc,run_time_ns");
	check_str(d.columns, "jemalloc");
	check_int(d.color, ==, 0);
	check_int(d.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR);

	/* a hand-edited file keeps its comments, unknown and bad lines; values change in place */
	write_text(path, "# mine\ncolor = on   # I like colour\nmystery = 7\n\ninterval=3\ninterval = 4\n");
	ctp_config_init(&c);
	c.interval_s = 2;
	c.color = false;
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	text = slurp(path);
	check_str(text, "# mine\ncolor = off\nmystery = 7\n\ninterval = 2\ninterval = 2\n"
			"group_by = pcomm\nsort_by = \ncolumns = sched\n");
	free(text);
	ctp_buf_reset(&w);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	ok(d.interval_s == 2.0 && !d.color, "edited file reloads with the saved values");
	struct ctp_buf want = CTP_BUF_INIT;
	ctp_buf_addf(&want, "%s:3: unknown key 'mystery'; line ignored\n", path);
	check_str(w.buf, want.buf); /* kept, still reported: never silently dropped */
	ctp_buf_release(&want);
	ctp_buf_release(&w);
}

static void test_missing_and_unreadable(void)
{
	char path[512];
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	snprintf(path, sizeof(path), "%s/nope/config", tmpdir);
	c.interval_s = 99;
	check_int(ctp_config_load_file(&c, path, &w), ==, 0);
	ok(c.interval_s == 1.0 && c.set == 0, "missing file gives defaults");
	check_str(w.buf, "");
	snprintf(path, sizeof(path), "%s/isdir", tmpdir);
	mkdir(path, 0755);
	check_int(ctp_config_load_file(&c, path, &w), ==, -1);
	struct ctp_buf want = CTP_BUF_INIT;
	ctp_buf_addf(&want, "%s: cannot read: Is a directory; using defaults\n", path);
	check_str(w.buf, want.buf);
	ctp_buf_release(&want);
	ctp_buf_release(&w);
}

static void test_xdg(void)
{
	char dir[512], file[600];
	check_path("/x/cfg", "/home/u", 0, "/x/cfg/ctprof-top/config");
	check_path("", "/home/u", 0, "/home/u/.config/ctprof-top/config");
	check_path("relative/dir", "/home/u", 0, "/home/u/.config/ctprof-top/config");
	check_path(NULL, "/home/u", 0, "/home/u/.config/ctprof-top/config");
	check_path(NULL, NULL, -1, "");

	/* load/save through the environment: XDG first, HOME fallback */
	snprintf(dir, sizeof(dir), "%s/xdg", tmpdir);
	struct ctp_config c;
	struct ctp_err err = { 0 };
	struct ctp_buf w = CTP_BUF_INIT;
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("HOME", tmpdir, 1);
	ctp_config_init(&c);
	strcpy(c.group_by, "comm");
	check_int(ctp_config_save(&c, &err), ==, 0);
	snprintf(file, sizeof(file), "%s/ctprof-top/config", dir);
	struct stat st;
	check_int(stat(file, &st), ==, 0);
	check_int(ctp_config_load(&c, &w), ==, 0);
	check_str(c.group_by, "comm");
	unsetenv("XDG_CONFIG_HOME");
	check_int(ctp_config_load(&c, &w), ==, 0);
	check_str(c.group_by, "pcomm"); /* ~/.config/ctprof-top/config does not exist yet */
	snprintf(file, sizeof(file), "%s/.config/ctprof-top/config", tmpdir);
	snprintf(dir, sizeof(dir), "%s/.config", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/.config/ctprof-top", tmpdir);
	mkdir(dir, 0755);
	write_text(file, "group_by = cgroup\nbad line\n");
	check_int(ctp_config_load(&c, &w), ==, 0);
	check_str(c.group_by, "cgroup");
	struct ctp_buf want = CTP_BUF_INIT;
	ctp_buf_addf(&want, "%s:2: expected 'key = value', got 'bad line'; line ignored\n", file);
	check_str(w.buf, want.buf);
	ctp_buf_release(&want);
	unsetenv("HOME");
	check_int(ctp_config_save(&c, &err), ==, -1);
	check_str(err.msg, "neither XDG_CONFIG_HOME nor HOME is set");
	ctp_buf_release(&w);
}

static void test_shipped_default(void)
{
	const char *src = getenv("CTP_SRCDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/data/ctprof-top.conf", src ? src : ".");
	struct ctp_config c, d;
	struct ctp_buf w = CTP_BUF_INIT;
	check_int(ctp_config_load_file(&c, path, &w), ==, 0);
	check_str(w.buf, "");
	ctp_config_init(&d);
	ok(c.interval_s == d.interval_s, "shipped interval = built-in default");
	check_str(c.group_by, d.group_by);
	check_str(c.sort_by, d.sort_by);
	check_str(c.columns, d.columns);
	check_int(c.color, ==, d.color);
	check_int(c.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR);
	ctp_buf_release(&w);
}

static void test_to_options(void)
{
	struct ctp_config c;
	struct ctp_options o = { .interval_s = 1.0 };
	ctp_config_init(&c);
	ctp_config_to_options(&c, &o); /* nothing set in a file: options untouched */
	ok(o.interval_s == 1.0 && !o.group_by && !o.sort_by && !o.no_color, "defaults leave the options alone");
	static const char text[] = "interval = 2\ngroup_by = cgroup\nsort_by = wait_time_ns\ncolor = off\n";
	ctp_config_parse(&c, text, sizeof(text) - 1, "x", NULL);
	ctp_config_to_options(&c, &o);
	ok(o.interval_s == 2.0, "interval copied");
	check_str(o.group_by, "cgroup");
	check_str(o.sort_by, "wait_time_ns");
	check_int(o.no_color, ==, 1);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t_config.XXXXXX");
	if (!mkdtemp(tmpdir))
		skip_all("cannot create a temporary directory");
	test_defaults();
	test_parse_good();
	test_malformed();
	test_round_trip();
	test_missing_and_unreadable();
	test_xdg();
	test_shipped_default();
	test_to_options();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return test_done();
}
