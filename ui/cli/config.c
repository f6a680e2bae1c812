/* config.c — reads and writes the user's settings file (config.h): `key = value` lines with
 * `#` comments, each value checked by the same parsers the command line uses (axis, sort spec,
 * metric names); malformed lines become "file:line: message" warnings (never quoting the line)
 * and are skipped. Only a trusted file is read or rewritten: see check_trusted. */
#include "cli/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/fdcache.h"
#include "cli/colsets.h"
#include "compare/compare.h"
#include "base/format.h"

#define CFG_SUBPATH "ctprof-top/config"
#define CFG_MAX_BYTES (1u << 20) /* a settings file is tiny; refuse a runaway one */

void ctp_config_init(struct ctp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->interval_s = 1.0;
	strcpy(c->group_by, "pcomm");
	strcpy(c->columns, ctp_colset_name(0));
	c->color = true;
	c->hide_idle = true;
	c->max_kept_fds = CTP_FDCACHE_CAP_DEFAULT;
}

int ctp_config_path(struct ctp_buf *out)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/') {
		ctp_buf_addf(out, "%s/" CFG_SUBPATH, xdg);
		return 0;
	}
	if (home && *home) {
		ctp_buf_addf(out, "%s/.config/" CFG_SUBPATH, home);
		return 0;
	}
	return -1;
}

/* ---------------------------------------------------------------- values ---- */

/* "1", "0.5", "2.25": digits with an optional fraction, no sign or exponent (locale-proof) */
static bool parse_seconds(const char *s, size_t n, double *out)
{
	const char *dot = memchr(s, '.', n);
	size_t il = dot ? (size_t)(dot - s) : n, fl = dot ? n - il - 1 : 0;
	uint64_t ip = 0, fp = 0;
	if ((il == 0 && fl == 0) || (il && (s[0] == '+' || !ctp_parse_u64(s, il, &ip))))
		return false;
	if (dot && (fl == 0 || fl > 9 || s[il + 1] == '+' || !ctp_parse_u64(dot + 1, fl, &fp)))
		return false;
	double frac = (double)fp;
	for (size_t i = 0; i < fl; i++)
		frac /= 10.0;
	*out = (double)ip + frac;
	return true;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" }, *const no[] = { "off", "no", "false", "0" };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = true, 0;
		if (!strcasecmp(v, no[i]))
			return *out = false, 0;
	}
	return -1;
}

static bool copy_value(char *dst, size_t dstlen, const char *v)
{
	size_t n = strlen(v);
	if (n >= dstlen)
		return false;
	memcpy(dst, v, n + 1);
	return true;
}

/* v is a comma list of names[] entries (any case); an empty entry or another name is not */
static bool name_list(const char *v, const char *const *names, size_t n)
{
	for (const char *p = v;;) {
		size_t l = strcspn(p, ","), i = 0;
		const char *e = p;
		ctp_trim(&e, &l);
		while (i < n && !(strlen(names[i]) == l && !strncasecmp(e, names[i], l)))
			i++;
		if (i == n)
			return false;
		p += strcspn(p, ",");
		if (!*p++)
			return true;
	}
}

/* the offline report's display keys (ktstr's --display-format, --columns, --wrap); 1 when key is
 * not one of them, else 0 or -1 as apply() */
static int apply_report(struct ctp_config *c, const char *key, const char *v, char *msg, size_t msglen)
{
	static const char *const formats[] = { "full", "delta-only", "no-pct", "arrow", "pct-only" };
	static const char *const cols[] = { "group", "threads", "metric", "baseline", "candidate", "delta",
					    "%", "arrow", "value", "tags", "uptime" };
	if (!strcmp(key, "display_format")) {
		if (!name_list(v, formats, CTP_ARRAY_SIZE(formats)) || strchr(v, ',') ||
		    !copy_value(c->display_format, sizeof(c->display_format), v)) {
			snprintf(msg, msglen, "bad display_format (full, delta-only, no-pct, arrow, pct-only)");
			return -1;
		}
		c->set |= CTP_CFG_DISPLAY_FORMAT;
	} else if (!strcmp(key, "compare_columns")) {
		if (!name_list(v, cols, CTP_ARRAY_SIZE(cols)) ||
		    !copy_value(c->compare_columns, sizeof(c->compare_columns), v)) {
			snprintf(msg, msglen, "bad compare_columns (group, threads, metric, baseline, candidate, delta, %%, "
					      "arrow, value, tags, uptime)");
			return -1;
		}
		c->set |= CTP_CFG_COMPARE_COLUMNS;
	} else if (!strcmp(key, "wrap")) {
		if (parse_bool(v, &c->wrap) < 0) {
			snprintf(msg, msglen, "bad wrap (true or false)");
			return -1;
		}
		c->set |= CTP_CFG_WRAP;
	} else
		return 1;
	return 0;
}

/* sort_by naming an unknown metric: -s's message for the first such item ("metric[:asc|desc]";
 * an item with another direction is no sort key and is not echoed) */
static bool sort_unknown(const char *v, char *msg, size_t msglen)
{
	for (const char *p = v; p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *colon = memchr(p, ':', n), *dir = colon ? colon + 1 : p;
		size_t dl = colon ? n - (size_t)(dir - p) : 0;
		if (colon)
			ctp_trim(&dir, &dl);
		bool dir_ok = !colon || (dl == 3 && !strncasecmp(dir, "asc", 3)) || (dl == 4 && !strncasecmp(dir, "desc", 4));
		if (dir_ok && ctp_columns_unknown_metric("sort_by", p, colon ? (size_t)(colon - p) : n, true, NULL, msg, msglen))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* applies key=value to c; 0, or -1 with msg filled (the key and what is wanted, never the value
 * beyond a name-shaped unknown metric: the file may not be what it claims, and its text is not
 * ours to print) */
static int apply(struct ctp_config *c, const char *key, const char *v, char *msg, size_t msglen)
{
	struct ctp_err err = { 0 };
	int rep = apply_report(c, key, v, msg, msglen);
	if (rep <= 0)
		return rep;
	if (!strcmp(key, "interval")) {
		double d;
		if (!parse_seconds(v, strlen(v), &d) || d < CTP_CFG_INTERVAL_MIN || d > CTP_CFG_INTERVAL_MAX) {
			snprintf(msg, msglen, "bad interval (seconds, 0.05 to 3600)");
			return -1;
		}
		c->interval_s = d;
		c->set |= CTP_CFG_INTERVAL;
	} else if (!strcmp(key, "group_by")) {
		enum ctp_axis a;
		if (ctp_axis_parse(v, &a, &err) < 0) {
			snprintf(msg, msglen, "bad group_by (pcomm, cgroup, comm, comm-exact, all)");
			return -1;
		}
		strcpy(c->group_by, ctp_axis_name(a));
		c->set |= CTP_CFG_GROUP_BY;
	} else if (!strcmp(key, "sort_by")) {
		struct ctp_sort s = { 0 };
		if (ctp_sort_parse(v, &s, &err) < 0 || !copy_value(c->sort_by, sizeof(c->sort_by), v)) {
			if (!sort_unknown(v, msg, msglen))
				snprintf(msg, msglen, "bad sort_by (metric[:asc|desc],... of sortable metrics; see ctprof-top(1))");
			return -1;
		}
		c->set |= CTP_CFG_SORT_BY;
	} else if (!strcmp(key, "columns")) {
		if (ctp_columns_parse(NULL, v, msg, msglen) < 0)
			return -1;
		if (!copy_value(c->columns, sizeof(c->columns), v)) {
			snprintf(msg, msglen, "columns value too long");
			return -1;
		}
		c->set |= CTP_CFG_COLUMNS;
	} else if (!strcmp(key, "color")) {
		if (parse_bool(v, &c->color) < 0) {
			snprintf(msg, msglen, "bad color (on or off)");
			return -1;
		}
		c->set |= CTP_CFG_COLOR;
	} else if (!strcmp(key, "hide_idle") || !strcmp(key, "hide_unchanged")) {
		bool idle = key[5] == 'i';
		if (parse_bool(v, idle ? &c->hide_idle : &c->hide_unchanged) < 0) {
			snprintf(msg, msglen, "bad %s (true or false)", key);
			return -1;
		}
		c->set |= idle ? CTP_CFG_HIDE_IDLE : CTP_CFG_HIDE_UNCHANGED;
	} else if (!strcmp(key, "max_kept_fds")) {
		uint64_t n;
		if (v[0] == '+' || !ctp_parse_u64(v, strlen(v), &n) || n > CTP_FDCACHE_CAP_MAX) {
			snprintf(msg, msglen, "bad max_kept_fds (a count of fds, 0 to %d)", CTP_FDCACHE_CAP_MAX);
			return -1;
		}
		c->max_kept_fds = (long)n;
		c->set |= CTP_CFG_MAX_KEPT_FDS;
	} else {
		snprintf(msg, msglen, "unknown key");
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------- lines ---- */

enum line_kind { LINE_BLANK, LINE_KV, LINE_BAD };

/* splits one line (no newline) into key and value, both trimmed and NUL-terminated copies
 * in kbuf/vbuf; a `#` starts a comment only at the start of the line or after whitespace */
static enum line_kind split_line(const char *s, size_t n, char *kbuf, size_t kl, char *vbuf, size_t vl,
				 char *msg, size_t msglen)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			n = i;
			break;
		}
	ctp_trim(&s, &n);
	if (n == 0)
		return LINE_BLANK;
	const char *eq = memchr(s, '=', n);
	if (!eq) {
		snprintf(msg, msglen, "expected 'key = value'");
		return LINE_BAD;
	}
	const char *k = s, *v = eq + 1;
	size_t klen = (size_t)(eq - s), vlen = (size_t)(s + n - v);
	ctp_trim(&k, &klen);
	ctp_trim(&v, &vlen);
	if (klen == 0 || klen >= kl || vlen >= vl || memchr(v, '\0', vlen)) {
		snprintf(msg, msglen, !klen ? "missing key before '='" : klen >= kl ? "unknown key" : "bad value (too long or a NUL byte)");
		return LINE_BAD;
	}
	memcpy(kbuf, k, klen);
	kbuf[klen] = 0;
	memcpy(vbuf, v, vlen);
	vbuf[vlen] = 0;
	return LINE_KV;
}

/* the name of a known key (for a warning), else NULL: an unknown key is file content */
static const char *known_key_name(const char *key);

void ctp_config_parse(struct ctp_config *c, const char *text, size_t n, const char *name,
		      struct ctp_buf *warnings)
{
	const char *p = text, *end = text + n;
	struct ctp_buf safe_name = CTP_BUF_INIT;
	ctp_sanitize_name(name, strlen(name), true, &safe_name);
	for (unsigned lineno = 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char key[64], val[1024], msg[2400]; /* an unknown metric lists the valid names */
		msg[0] = 0;
		enum line_kind k = split_line(p, len, key, sizeof(key), val, sizeof(val), msg, sizeof(msg));
		if (k == LINE_KV && !ctp_utf8_valid(val, strlen(val))) {
			const char *known = known_key_name(key);
			if (known)
				snprintf(msg, sizeof(msg), "value of '%s' is not UTF-8", known);
			else
				snprintf(msg, sizeof(msg), "unknown key");
			k = LINE_BAD;
		}
		if (k == LINE_KV && apply(c, key, val, msg, sizeof(msg)) < 0)
			k = LINE_BAD;
		if (k == LINE_BAD && warnings)
			ctp_buf_addf(warnings, "%s:%u: %s; line ignored\n", safe_name.buf, lineno, msg);
		p = nl ? nl + 1 : end;
	}
	ctp_buf_release(&safe_name);
}

/* --------------------------------------------------------------- trust ---- */

/* A settings file we read or rewrite must be owned by the effective user or root, not be
 * writable by group or others, and have one link: under `sudo -E` a user's file (or a hard link
 * to /etc/shadow) never steers root or leaks through warnings or a rewrite. */
static int check_trusted(const struct stat *st, const char *path, struct ctp_err *err)
{
	uid_t me = geteuid();
	if (st->st_uid != me && st->st_uid != 0)
		return ctp_err_set(err, CTP_E_PERM, EPERM, path, "owned by uid %u, not by the effective user (uid %u) or root",
				   (unsigned)st->st_uid, (unsigned)me);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return ctp_err_set(err, CTP_E_PERM, EPERM, path, "writable by group or others (chmod go-w)");
	if (st->st_nlink > 1)
		return ctp_err_set(err, CTP_E_PERM, EPERM, path, "has %lu hard links", (unsigned long)st->st_nlink);
	return 0;
}

/* the trusted regular file at path (not a symlink: O_NOFOLLOW; a FIFO or device is refused
 * without blocking) into out, with its stat in *st. 1 = read, 0 = there is no file, -1 = err */
static int read_trusted(const char *path, struct stat *st, struct ctp_buf *out, struct ctp_err *err)
{
	struct ctp_err e = { 0 };
	int rc = 1, fd = ctp_open_regular(path, O_NOFOLLOW, CFG_MAX_BYTES, st, &e);
	if (fd < 0 && e.code == CTP_E_IO && (e.sys_errno == ENOENT || e.sys_errno == ENOTDIR))
		return 0;
	if (fd < 0 && e.sys_errno == ELOOP)
		ctp_err_set(&e, CTP_E_PERM, ELOOP, path, "is a symbolic link (not followed)");
	if (fd < 0 || check_trusted(st, path, &e) < 0)
		rc = -1;
	if (rc > 0 && ctp_read_fd(fd, out, SIZE_MAX, CFG_MAX_BYTES, path, &e))
		rc = -1;
	if (fd >= 0)
		close(fd);
	if (rc < 0 && err)
		*err = e;
	return rc;
}

int ctp_config_load_file(struct ctp_config *c, const char *path, struct ctp_buf *warnings)
{
	struct ctp_buf text = CTP_BUF_INIT;
	struct ctp_err err = { 0 };
	struct stat st;
	ctp_config_init(c);
	int rc = read_trusted(path, &st, &text, &err);
	if (rc < 0 && warnings) {
		char line[600];
		ctp_buf_addf(warnings, "%s; file ignored, using defaults\n", ctp_err_str(&err, line, sizeof(line)));
	}
	if (rc > 0)
		ctp_config_parse(c, text.buf, text.len, path, warnings);
	ctp_buf_release(&text);
	return rc < 0 ? -1 : 0;
}

int ctp_config_load(struct ctp_config *c, struct ctp_buf *warnings)
{
	struct ctp_buf path = CTP_BUF_INIT;
	int rc = 0;
	if (ctp_config_path(&path) < 0)
		ctp_config_init(c);
	else
		rc = ctp_config_load_file(c, path.buf, warnings);
	ctp_buf_release(&path);
	return rc;
}

void ctp_config_to_options(const struct ctp_config *c, struct ctp_options *o)
{
	if (c->set & CTP_CFG_INTERVAL)
		o->interval_s = c->interval_s;
	if (c->set & CTP_CFG_GROUP_BY)
		o->group_by = c->group_by;
	if ((c->set & CTP_CFG_SORT_BY) && c->sort_by[0])
		o->sort_by = c->sort_by;
	if ((c->set & CTP_CFG_COLOR) && !c->color)
		o->no_color = true;
	if ((c->set & CTP_CFG_HIDE_IDLE) && !c->hide_idle)
		o->show_idle = true;
	if ((c->set & CTP_CFG_HIDE_UNCHANGED) && c->hide_unchanged)
		o->hide_unchanged = true;
	if (c->set & CTP_CFG_MAX_KEPT_FDS)
		o->max_kept_fds = c->max_kept_fds ? c->max_kept_fds : -1;
	if (c->set & CTP_CFG_DISPLAY_FORMAT)
		o->display_format = c->display_format;
	if (c->set & CTP_CFG_COMPARE_COLUMNS)
		o->report_columns = c->compare_columns;
	if (c->set & CTP_CFG_WRAP)
		o->wrap = c->wrap;
}

/* ---------------------------------------------------------------- saving ---- */

static const char *const known_keys[] = { "interval", "group_by", "sort_by", "columns", "color", "hide_idle",
					   "hide_unchanged", "max_kept_fds" };

static void format_value(const struct ctp_config *c, size_t key, struct ctp_buf *out)
{
	switch (key) {
	case 0: ctp_buf_addf(out, "interval = %g\n", c->interval_s); break;
	case 1: ctp_buf_addf(out, "group_by = %s\n", c->group_by); break;
	case 2: ctp_buf_addf(out, "sort_by = %s\n", c->sort_by); break;
	case 3: ctp_buf_addf(out, "columns = %s\n", c->columns); break;
	case 4: ctp_buf_addf(out, "color = %s\n", c->color ? "on" : "off"); break;
	case 5: ctp_buf_addf(out, "hide_idle = %s\n", c->hide_idle ? "true" : "false"); break;
	case 6: ctp_buf_addf(out, "hide_unchanged = %s\n", c->hide_unchanged ? "true" : "false"); break;
	default: ctp_buf_addf(out, "max_kept_fds = %ld\n", c->max_kept_fds); break;
	}
}

static int known_key(const char *key)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(known_keys); i++)
		if (!strcmp(key, known_keys[i]))
			return (int)i;
	return -1;
}

static const char *known_key_name(const char *key)
{
	int k = known_key(key);
	return k < 0 ? NULL : known_keys[k];
}

void ctp_config_format(const struct ctp_config *c, const char *old, size_t oldlen, struct ctp_buf *out)
{
	bool written[CTP_ARRAY_SIZE(known_keys)] = { false };
	const char *p = old, *end = old ? old + oldlen : NULL;
	if (!old || !oldlen)
		ctp_buf_adds(out, "# ctprof-top settings (see ctprof-top(1), FILES). key = value; '#' comments.\n"
				  "# Command-line options override these.\n");
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char key[64], val[1024], msg[2400]; /* an unknown metric lists the valid names */
		int k = -1;
		if (split_line(p, len, key, sizeof(key), val, sizeof(val), msg, sizeof(msg)) == LINE_KV)
			k = known_key(key);
		if (k >= 0) {
			format_value(c, (size_t)k, out);
			written[k] = true;
		} else {
			ctp_buf_add(out, p, len);
			ctp_buf_addch(out, '\n');
		}
		p = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < CTP_ARRAY_SIZE(known_keys); i++)
		if (!written[i])
			format_value(c, i, out);
}

/* a directory nobody but root or the effective user can change: a symlink in it was put
 * there by one of them */
static bool dir_trusted(int dfd)
{
	struct stat st;
	return fstat(dfd, &st) == 0 && (st.st_uid == 0 || st.st_uid == geteuid()) && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* directory name inside dfd, made (0755) when missing; a symlink is followed only inside a
 * trusted directory (so /home -> /var/home works, a link planted in a user's directory under
 * sudo does not). label is the path so far, for errors. The new fd, or -1 with err set. */
static int open_component(int dfd, const char *name, const char *label, struct ctp_err *err)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST)
			return ctp_err_set(err, CTP_E_IO, errno, label, "cannot create directory: %s", strerror(errno));
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	struct stat st;
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode)) {
		if (!dir_trusted(dfd))
			return ctp_err_set(err, CTP_E_PERM, ELOOP, label,
					   "is a symbolic link in a directory others can change; not followed");
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return ctp_err_set(err, CTP_E_IO, errno, label, "cannot open directory: %s", strerror(errno));
	return fd;
}

/* mkdir -p of dir, one component at a time from / (or the current directory): the fd of dir */
static int open_dir_path(const char *dir, struct ctp_err *err)
{
	char *dup = ctp_xstrdup(dir), *save = NULL;
	struct ctp_buf label = CTP_BUF_INIT;
	int fd = open(dir[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		ctp_err_set(err, CTP_E_IO, errno, dir, "cannot open directory: %s", strerror(errno));
	for (char *c = strtok_r(dup, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		if (label.len || dir[0] == '/')
			ctp_buf_addch(&label, '/');
		ctp_buf_adds(&label, c);
		int next = open_component(fd, c, label.buf, err);
		close(fd);
		fd = next;
	}
	free(dup);
	ctp_buf_release(&label);
	return fd;
}

/* The old file is read only when it is trusted (else the save is refused: a symlink, FIFO,
 * foreign or hard-linked file is never copied or replaced) and only when it is the very file in
 * the directory we walked to; the new one keeps its permission bits. */
int ctp_config_save_file(const struct ctp_config *c, const char *path, struct ctp_err *err)
{
	struct ctp_buf old = CTP_BUF_INIT, text = CTP_BUF_INIT;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = slash ? ctp_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : ctp_xstrdup(".");
	int rc = -1, mode = CTP_FILE_MODE_UMASK, dfd = -1;
	struct stat ls, st;
	if (!*base) {
		ctp_err_set(err, CTP_E_ARG, EISDIR, path, "not a file name");
		goto out;
	}
	if ((dfd = open_dir_path(dir, err)) < 0)
		goto out;
	if (fstatat(dfd, base, &ls, AT_SYMLINK_NOFOLLOW) == 0) {
		int r = read_trusted(path, &st, &old, err);
		if (r < 0)
			goto out;
		if (r == 0 || st.st_dev != ls.st_dev || st.st_ino != ls.st_ino) {
			ctp_err_set(err, CTP_E_IO, EAGAIN, path, "changed while being saved; not replaced");
			goto out;
		}
		mode = (int)(st.st_mode & 0777);
	} else if (errno != ENOENT) {
		ctp_err_set(err, CTP_E_IO, errno, path, "cannot stat: %s", strerror(errno));
		goto out;
	}
	ctp_config_format(c, old.buf, old.len, &text);
	rc = ctp_save_file_at(dfd, base, path, text.buf, text.len, mode, err);
out:
	if (dfd >= 0)
		close(dfd);
	free(dir);
	ctp_buf_release(&old);
	ctp_buf_release(&text);
	return rc;
}

int ctp_config_save(const struct ctp_config *c, struct ctp_err *err)
{
	struct ctp_buf path = CTP_BUF_INIT;
	int rc;
	if (ctp_config_path(&path) < 0)
		rc = ctp_err_set(err, CTP_E_ARG, 0, "config", "neither XDG_CONFIG_HOME nor HOME is set");
	else
		rc = ctp_config_save_file(c, path.buf, err);
	ctp_buf_release(&path);
	return rc;
}
