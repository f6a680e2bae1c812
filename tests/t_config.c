/* t_config.c — the settings file (ui/cli/config.c): defaults, every key, malformed lines reported as
 * file:line and skipped, save/load round trip keeping the user's comments, the XDG path rules
 * and the shipped data/ctprof-top.conf matching the built-in defaults. And the confused deputy:
 * a symlinked, hard-linked, foreign, group/world-writable or FIFO config is ignored (never
 * echoed, never copied by a save), warnings never quote file text and escape the file name, and
 * a save never follows a symlinked directory that someone else could have planted. */
#include "../ui/cli/colsets.c"
#include "../ui/cli/config.c"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

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
	check_int(c.hide_idle, ==, 1);
	check_int(c.hide_unchanged, ==, 0);
	check_int(c.max_kept_fds, ==, 1024);
	check_int(c.set, ==, 0);
}

static char *slurp(const char *path);

/* issue 20: hide_idle (the live view's z key, --show-idle) and hide_unchanged (--hide-unchanged)
 * parse, save, reload and reach the options */
static void test_idle_unchanged(void)
{
	static const char text[] = "hide_idle = false\nhide_unchanged = yes\nhide_idle = maybe\nhide_unchanged = 2\n";
	struct ctp_config c, d;
	struct ctp_buf w = CTP_BUF_INIT;
	struct ctp_err err = { 0 };
	ctp_config_init(&c);
	ctp_config_parse(&c, text, sizeof(text) - 1, "f", &w);
	check_int(c.hide_idle, ==, 0);
	check_int(c.hide_unchanged, ==, 1);
	check_int(c.set, ==, CTP_CFG_HIDE_IDLE | CTP_CFG_HIDE_UNCHANGED);
	check_str(w.buf, "f:3: bad hide_idle (true or false); line ignored\n"
			 "f:4: bad hide_unchanged (true or false); line ignored\n");
	struct ctp_options o = { .interval_s = 1.0 };
	ctp_config_to_options(&c, &o);
	ok(o.show_idle && o.hide_unchanged, "hide_idle = false shows idle groups; hide_unchanged reaches the options");
	struct ctp_options o2 = { .interval_s = 1.0 };
	ctp_config_init(&d);
	ctp_config_to_options(&d, &o2);
	ok(!o2.show_idle && !o2.hide_unchanged, "defaults: idle groups hidden, unchanged rows kept");

	char path[512];
	snprintf(path, sizeof(path), "%s/idle/config", tmpdir);
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	char *t = slurp(path);
	ok(t && strstr(t, "\nhide_idle = false\nhide_unchanged = true\n"), "saved as hide_idle = false, hide_unchanged = true");
	free(t);
	ctp_buf_reset(&w);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	check_str(w.buf, "");
	ok(!d.hide_idle && d.hide_unchanged, "hide_idle / hide_unchanged round-trip");
	c.hide_idle = true;
	c.hide_unchanged = false;
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	ok(d.hide_idle && !d.hide_unchanged && (d.set & CTP_CFG_HIDE_IDLE), "saved back to true / false in place");
	ctp_buf_release(&w);
}

/* issue 14: max_kept_fds (--max-kept-fds) parses 0..1048576, saves, reloads and reaches the
 * options (0 = keep none, the options' -1; unset = the options' 0, the default) */
static void test_max_kept_fds(void)
{
	static const char text[] = "max_kept_fds = 300\nmax_kept_fds = -1\nmax_kept_fds = 1048577\nmax_kept_fds = many\n";
	struct ctp_config c, d;
	struct ctp_buf w = CTP_BUF_INIT;
	struct ctp_err err = { 0 };
	ctp_config_init(&c);
	ctp_config_parse(&c, text, sizeof(text) - 1, "f", &w);
	check_int(c.max_kept_fds, ==, 300);
	check_int(c.set, ==, CTP_CFG_MAX_KEPT_FDS);
	check_str(w.buf, "f:2: bad max_kept_fds (a count of fds, 0 to 1048576); line ignored\n"
			 "f:3: bad max_kept_fds (a count of fds, 0 to 1048576); line ignored\n"
			 "f:4: bad max_kept_fds (a count of fds, 0 to 1048576); line ignored\n");
	struct ctp_options o = { .interval_s = 1.0 };
	ctp_config_to_options(&c, &o);
	check_int(o.max_kept_fds, ==, 300);

	char path[512];
	snprintf(path, sizeof(path), "%s/fds/config", tmpdir);
	c.max_kept_fds = 0;
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	char *t = slurp(path);
	ok(t && strstr(t, "\nmax_kept_fds = 0\n"), "saved as max_kept_fds = 0");
	free(t);
	ctp_buf_reset(&w);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	check_str(w.buf, "");
	check_int(d.max_kept_fds, ==, 0);
	ok(d.set & CTP_CFG_MAX_KEPT_FDS, "max_kept_fds = 0 round-trips");
	struct ctp_options o0 = { .interval_s = 1.0 };
	ctp_config_to_options(&d, &o0);
	check_int(o0.max_kept_fds, ==, -1); /* none */
	struct ctp_options od = { .interval_s = 1.0 };
	ctp_config_init(&d);
	ctp_config_to_options(&d, &od);
	check_int(od.max_kept_fds, ==, 0); /* unset: the engine's default */
	ctp_buf_release(&w);
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
	check_str(w.buf, "t.conf:5: bad sort_by (metric[:asc|desc],... of sortable metrics; see ctprof-top(1)); line ignored\n");
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
				   "columns = bogus metric\n"  /* 9 not a name: not echoed */
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
		"/home/u/.config/ctprof-top/config:2: expected 'key = value'; line ignored\n"
		"/home/u/.config/ctprof-top/config:3: missing key before '='; line ignored\n"
		"/home/u/.config/ctprof-top/config:4: bad interval (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:5: bad interval (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:6: bad interval (seconds, 0.05 to 3600); line ignored\n"
		"/home/u/.config/ctprof-top/config:7: bad group_by (pcomm, cgroup, comm, comm-exact, all); line ignored\n"
		"/home/u/.config/ctprof-top/config:8: bad sort_by (metric[:asc|desc],... of sortable metrics; see ctprof-top(1)); line ignored\n"
		"/home/u/.config/ctprof-top/config:9: bad columns (a set: sched cpu memory io delays jemalloc, or metric names); line ignored\n"
		"/home/u/.config/ctprof-top/config:10: bad color (on or off); line ignored\n"
		"/home/u/.config/ctprof-top/config:11: unknown key; line ignored\n";
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

/* the whole file (any type but a FIFO), or NULL */
static char *slurp(const char *path)
{
	struct ctp_buf b = CTP_BUF_INIT;
	char tmp[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		ctp_buf_add(&b, tmp, (size_t)n);
	close(fd);
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
			"columns = jemalloc\ncolor = off\nhide_idle = true\nhide_unchanged = false\nmax_kept_fds = 1024\n");
	free(text);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	check_str(w.buf, "");
	ok(d.interval_s == 0.25, "interval round-trips");
	check_str(d.group_by, "all");
	check_str(d.sort_by, "wait_time_ns:desc,run_time_ns");
	check_str(d.columns, "jemalloc");
	check_int(d.color, ==, 0);
	check_int(d.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR |
			     CTP_CFG_HIDE_IDLE | CTP_CFG_HIDE_UNCHANGED | CTP_CFG_MAX_KEPT_FDS);

	/* a hand-edited file keeps its comments, unknown and bad lines; values change in place */
	write_text(path, "# mine\ncolor = on   # I like colour\nmystery = 7\n\ninterval=3\ninterval = 4\n");
	ctp_config_init(&c);
	c.interval_s = 2;
	c.color = false;
	check_int(ctp_config_save_file(&c, path, &err), ==, 0);
	text = slurp(path);
	check_str(text, "# mine\ncolor = off\nmystery = 7\n\ninterval = 2\ninterval = 2\n"
			"group_by = pcomm\nsort_by = \ncolumns = sched\nhide_idle = true\nhide_unchanged = false\nmax_kept_fds = 1024\n");
	free(text);
	ctp_buf_reset(&w);
	check_int(ctp_config_load_file(&d, path, &w), ==, 0);
	ok(d.interval_s == 2.0 && !d.color, "edited file reloads with the saved values");
	struct ctp_buf want = CTP_BUF_INIT;
	ctp_buf_addf(&want, "%s:3: unknown key; line ignored\n", path);
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
	ctp_buf_addf(&want, "%s: not a regular file; file ignored, using defaults\n", path);
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
	ctp_buf_addf(&want, "%s:2: expected 'key = value'; line ignored\n", file);
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
	check_int(c.hide_idle, ==, d.hide_idle);
	check_int(c.hide_unchanged, ==, d.hide_unchanged);
	check_int(c.max_kept_fds, ==, d.max_kept_fds);
	check_int(c.set, ==, CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR |
			     CTP_CFG_HIDE_IDLE | CTP_CFG_HIDE_UNCHANGED | CTP_CFG_MAX_KEPT_FDS);
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

/* ---------------------------------------------------- the confused deputy (issue 12 item 5) */

#define SECRET "hunter2-SECRET"
static const char secret_text[] = "root:$6$" SECRET "$abc:19000:0:99999:7:::\n"
				  "password = " SECRET "\n"
				  "interval = " SECRET "\n"
				  "group_by = comm\n"
				  "# " SECRET " in a comment\n";

/* files under dir (recursively) holding SECRET, the secret file itself aside */
static int files_with_secret(const char *dir, const char *secret_path)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		char p[1024];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		struct stat sst;
		if (lstat(p, &st) || (stat(secret_path, &sst) == 0 && st.st_ino == sst.st_ino && st.st_dev == sst.st_dev))
			continue; /* the secret itself (or a hard link to it) */
		if (S_ISDIR(st.st_mode)) {
			n += files_with_secret(p, secret_path);
		} else if (S_ISREG(st.st_mode)) {
			char *t = slurp(p);
			if (t && strstr(t, SECRET)) {
				diag("%s holds the secret", p);
				n++;
			}
			free(t);
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* loads path: no setting applied, one warning naming the file with want, no secret anywhere */
static void check_ignored(const char *what, const char *path, const char *want)
{
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	int rc = ctp_config_load_file(&c, path, &w);
	ok(rc == -1 && c.set == 0, "%s: ignored (rc %d, set %#x)", what, rc, c.set);
	size_t lines = 0;
	for (const char *q = w.buf; (q = strchr(q, '\n')); q++)
		lines++;
	ok(lines == 1 && strstr(w.buf, path) && strstr(w.buf, want), "%s: one warning: %s", what, w.buf);
	ok(!strstr(w.buf, SECRET) && !strstr(w.buf, "root:"), "%s: no file content in the warning", what);
	ctp_buf_release(&w);
}

/* saving over path is refused and writes no secret anywhere under dir */
static void check_save_refused(const char *what, const char *dir, const char *path, const char *secret_path)
{
	struct ctp_config c;
	struct ctp_err err = { 0 };
	char line[600];
	ctp_config_init(&c);
	int rc = ctp_config_save_file(&c, path, &err);
	ok(rc == -1, "%s: save refused (%s)", what, rc ? ctp_err_str(&err, line, sizeof(line)) : "saved");
	check_int(files_with_secret(dir, secret_path), ==, 0);
}

static void test_symlinked_secret(const char *dir, const char *secret)
{
	char cfg[600];
	snprintf(cfg, sizeof(cfg), "%s/link-config", dir);
	symlink(secret, cfg);
	check_ignored("config symlinked to a secret", cfg, "symbolic link");
	check_save_refused("config symlinked to a secret", dir, cfg, secret);
	struct stat st;
	ok(lstat(cfg, &st) == 0 && S_ISLNK(st.st_mode), "the symlink is still a symlink");
	char *t = slurp(secret);
	ok(t && !strcmp(t, secret_text), "the secret file is unchanged");
	free(t);
	unlink(cfg);
}

static void test_hardlinked_secret(const char *dir, const char *secret)
{
	char cfg[600];
	snprintf(cfg, sizeof(cfg), "%s/hard-config", dir);
	if (link(secret, cfg)) {
		skip("link: %s", strerror(errno));
		return;
	}
	check_ignored("config hard-linked to a secret", cfg, "hard links");
	check_save_refused("config hard-linked to a secret", dir, cfg, secret);
	unlink(cfg);
}

/* a trusted file's bad lines: reported by number, their text never */
/* an unknown metric name in sort_by or columns is named (escaped) with the closest valid names
 * and the list of valid ones, like -s; what does not look like a metric name is never echoed */
static void test_unknown_metric(void)
{
	static const char text[] = "sort_by = wait_time\ncolumns = run_time_ns, wait_time\n"
				   "sort_by = run_time_ns:asc,avg_slic_ns\nsort_by = root:$6$abc\n";
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_config_init(&c);
	ctp_config_parse(&c, text, sizeof(text) - 1, "config", &w);
	const char *l1 = "config:1: sort_by: unknown metric 'wait_time' (did you mean wait_time_ns?); use the bare metric "
			 "name, one of: ";
	ok(!strncmp(w.buf, l1, strlen(l1)), "sort_by names the bad metric and the closest one: %.120s", w.buf);
	ok(strstr(w.buf, "one of: ") && strstr(w.buf, ", wait_time_ns, "), "and lists the valid names");
	const char *l2 = "\nconfig:2: columns: unknown metric 'wait_time' (did you mean wait_time_ns?); a set (sched cpu "
			 "memory io delays jemalloc) or metric names, one of: ";
	ok(strstr(w.buf, l2) != NULL, "columns names the bad metric, the closest one and the sets");
	ok(strstr(w.buf, "\nconfig:3: sort_by: unknown metric 'avg_slic_ns' (did you mean avg_slice_ns?)") != NULL,
	   "the bad item of a sort list");
	ok(strstr(w.buf, "\nconfig:4: bad sort_by (metric[:asc|desc],... of sortable metrics; see ctprof-top(1)); line "
			 "ignored\n") != NULL && !strstr(w.buf, "abc"), "a value that is no metric name is not echoed");
	ok(strstr(w.buf, "; line ignored\nconfig:2:") != NULL, "one line each");
	check_str(c.sort_by, "");
	check_str(c.columns, "sched");
	ctp_buf_release(&w);
}

static void test_no_echo(void)
{
	struct ctp_config c;
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_config_init(&c);
	ctp_config_parse(&c, secret_text, sizeof(secret_text) - 1, "f", &w);
	check_str(w.buf, "f:1: expected 'key = value'; line ignored\n"
			 "f:2: unknown key; line ignored\n"
			 "f:3: bad interval (seconds, 0.05 to 3600); line ignored\n");
	check_str(c.group_by, "comm");
	ctp_buf_reset(&w);
	/* a name with ESC, CSI and a right-to-left override is escaped; a bad value is not shown */
	static const char bad[] = "colour\x1b]0;x\x07 = 1\ncolor = \x1b[2J\xe2\x80\xae\ninterval = \xff\n";
	ctp_config_parse(&c, bad, sizeof(bad) - 1, "cfg\x1b[31m\xe2\x80\xae", &w);
	check_str(w.buf, "cfg\\x1b[31m\\xe2\\x80\\xae:1: unknown key; line ignored\n"
			 "cfg\\x1b[31m\\xe2\\x80\\xae:2: bad color (on or off); line ignored\n"
			 "cfg\\x1b[31m\\xe2\\x80\\xae:3: value of 'interval' is not UTF-8; line ignored\n");
	ctp_buf_release(&w);
}

/* a FIFO config is refused without waiting for a writer (in a child with an alarm: a hang
 * before the fix must fail the test, not stall it) */
static void test_fifo_config(const char *dir)
{
	char cfg[600];
	snprintf(cfg, sizeof(cfg), "%s/fifo-config", dir);
	if (mkfifo(cfg, 0600)) {
		skip("mkfifo: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		alarm(30);
		struct ctp_config c;
		struct ctp_buf w = CTP_BUF_INIT;
		int rc = ctp_config_load_file(&c, cfg, &w);
		_exit(rc == -1 && strstr(w.buf, "not a regular file") ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a FIFO config is refused without blocking (status %#x)", st);
	pid = fork();
	if (pid == 0) {
		alarm(30);
		struct ctp_config c;
		ctp_config_init(&c);
		_exit(ctp_config_save_file(&c, cfg, NULL) == -1 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	struct stat ls;
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && lstat(cfg, &ls) == 0 && S_ISFIFO(ls.st_mode),
	   "saving over a FIFO config is refused without blocking, the FIFO stays (status %#x)", st);
	unlink(cfg);
}

/* group/world-writable and foreign-owned files are ignored, and a save does not replace them */
static void test_untrusted_modes(const char *dir)
{
	static const struct {
		mode_t mode;
		uid_t uid; /* 0: the test's own uid */
		const char *want;
	} cases[] = {
		{ 0666, 0, "writable by group or others" },
		{ 0620, 0, "writable by group or others" },
		{ 0644, 65534, "owned by uid 65534" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		char cfg[600], what[80];
		snprintf(cfg, sizeof(cfg), "%s/mode-config-%zu", dir, i);
		snprintf(what, sizeof(what), "config mode %o uid %u", (unsigned)cases[i].mode, (unsigned)cases[i].uid);
		write_text(cfg, "group_by = comm\n");
		chmod(cfg, cases[i].mode);
		if (cases[i].uid && (geteuid() != 0 || chown(cfg, cases[i].uid, cases[i].uid))) {
			skip("%s: needs root to chown", what);
			unlink(cfg);
			continue;
		}
		check_ignored(what, cfg, cases[i].want);
		struct ctp_config c;
		struct ctp_err err = { 0 };
		ctp_config_init(&c);
		strcpy(c.group_by, "all");
		ok(ctp_config_save_file(&c, cfg, &err) == -1 && strstr(err.msg, cases[i].want), "%s: not replaced by a save (%s)",
		   what, err.msg);
		unlink(cfg);
	}
}

/* the saver walks the directories itself: a symlink planted in a directory another user owns
 * (or anyone can write) is not followed; one in a directory only we control is */
static void test_symlinked_dir(const char *dir)
{
	char home[600], target[600], link_[700], cfg[800], real[600], tlink[700];
	snprintf(home, sizeof(home), "%s/home", dir);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	mkdir(home, 0755);
	mkdir(target, 0755);
	if (geteuid() == 0)
		chown(home, 65534, 65534); /* a user's home, root saving under sudo -E */
	else
		chmod(home, 0777); /* a directory anyone could have planted the link in */
	snprintf(link_, sizeof(link_), "%s/.config", home);
	symlink(target, link_);
	snprintf(cfg, sizeof(cfg), "%s/ctprof-top/config", link_);
	struct ctp_config c;
	struct ctp_err err = { 0 };
	ctp_config_init(&c);
	int rc = ctp_config_save_file(&c, cfg, &err);
	ok(rc == -1 && strstr(err.msg, "symbolic link") && strstr(err.where, ".config"),
	   "symlinked .config in a foreign directory: not followed (%s: %s)", err.where, err.msg);
	DIR *d = opendir(target);
	int entries = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		entries += e->d_name[0] != '.';
	if (d)
		closedir(d);
	check_int(entries, ==, 0);
	/* our own link in our own 0700 directory: followed */
	snprintf(real, sizeof(real), "%s/real", dir);
	snprintf(tlink, sizeof(tlink), "%s/mine", dir);
	mkdir(real, 0755);
	symlink(real, tlink);
	snprintf(cfg, sizeof(cfg), "%s/ctprof-top/config", tlink);
	rc = ctp_config_save_file(&c, cfg, &err);
	snprintf(cfg, sizeof(cfg), "%s/ctprof-top/config", real);
	struct stat st;
	ok(rc == 0 && stat(cfg, &st) == 0 && S_ISREG(st.st_mode), "a symlink in a directory only we control is followed");
}

/* a save keeps the old file's permission bits; a new file gets 0666 & ~umask even as root */
static void test_save_modes(const char *dir)
{
	char cfg[600];
	struct ctp_config c;
	struct ctp_err err = { 0 };
	struct stat st;
	ctp_config_init(&c);
	snprintf(cfg, sizeof(cfg), "%s/new/config", dir);
	int rc = ctp_config_save_file(&c, cfg, &err);
	unsigned m = stat(cfg, &st) ? 0 : (unsigned)(st.st_mode & 0777);
	ok(rc == 0 && m == 0644, "new config file is 0644 under umask 022 (%o)", m);
	chmod(cfg, 0600);
	rc = ctp_config_save_file(&c, cfg, &err);
	m = stat(cfg, &st) ? 0 : (unsigned)(st.st_mode & 0777);
	ok(rc == 0 && m == 0600, "a 0600 config stays 0600 after a save (%o)", m);
}

static void test_deputy(void)
{
	char dir[600], secret[700];
	snprintf(dir, sizeof(dir), "%s/deputy", tmpdir);
	mkdir(dir, 0700);
	snprintf(secret, sizeof(secret), "%s/shadow", dir);
	write_text(secret, secret_text);
	chmod(secret, 0600);
	test_symlinked_secret(dir, secret);
	test_hardlinked_secret(dir, secret);
	test_no_echo();
	test_fifo_config(dir);
	test_untrusted_modes(dir);
	test_symlinked_dir(dir);
	test_save_modes(dir);
}

int main(void)
{
	umask(022);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t_config.XXXXXX");
	if (!mkdtemp(tmpdir))
		skip_all("cannot create a temporary directory");
	test_defaults();
	test_idle_unchanged();
	test_max_kept_fds();
	test_parse_good();
	test_malformed();
	test_unknown_metric();
	test_round_trip();
	test_missing_and_unreadable();
	test_xdg();
	test_shipped_default();
	test_to_options();
	test_deputy();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return test_done();
}
