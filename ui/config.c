/* config.c — reads and writes the user's settings file (config.h): `key = value` lines with
 * `#` comments, each value checked by the same parsers the command line uses (axis, sort spec,
 * metric names); malformed lines become "file:line: message" warnings and are skipped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/compare.h"

#define CFG_SUBPATH "ctprof-top/config"

/* the column sets of the live view's 1..6 keys (ui/keys.c) */
static const char *const column_sets[] = { "sched", "cpu", "memory", "io", "delays", "jemalloc" };

void ctp_config_init(struct ctp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->interval_s = 1.0;
	strcpy(c->group_by, "pcomm");
	strcpy(c->columns, "sched");
	c->color = true;
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

/* a column set name, or a comma list of compare metric names; msg says what is wrong */
static int check_columns(const char *v, char *msg, size_t msglen)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(column_sets); i++)
		if (!strcmp(v, column_sets[i]))
			return 0;
	const char *p = v;
	do {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *name = p;
		ctp_trim(&name, &n);
		char nm[128];
		if (n == 0 || n >= sizeof(nm)) {
			snprintf(msg, msglen, "bad columns '%s' (a set: sched cpu memory io delays jemalloc, or metric names)", v);
			return -1;
		}
		memcpy(nm, name, n);
		nm[n] = 0;
		if (ctp_cmetric_find(nm) < 0) {
			snprintf(msg, msglen, "unknown metric '%s' in columns", nm);
			return -1;
		}
		p = comma ? comma + 1 : NULL;
	} while (p);
	return 0;
}

static bool copy_value(char *dst, size_t dstlen, const char *v)
{
	size_t n = strlen(v);
	if (n >= dstlen)
		return false;
	memcpy(dst, v, n + 1);
	return true;
}

/* applies key=value to c; 0, or -1 with msg filled */
static int apply(struct ctp_config *c, const char *key, const char *v, char *msg, size_t msglen)
{
	struct ctp_err err = { 0 };
	if (!strcmp(key, "interval")) {
		double d;
		if (!parse_seconds(v, strlen(v), &d) || d < CTP_CFG_INTERVAL_MIN || d > CTP_CFG_INTERVAL_MAX) {
			snprintf(msg, msglen, "bad interval '%s' (seconds, 0.05 to 3600)", v);
			return -1;
		}
		c->interval_s = d;
		c->set |= CTP_CFG_INTERVAL;
	} else if (!strcmp(key, "group_by")) {
		enum ctp_axis a;
		if (ctp_axis_parse(v, &a, &err) < 0) {
			snprintf(msg, msglen, "bad group_by '%s' (pcomm, cgroup, comm, comm-exact, all)", v);
			return -1;
		}
		strcpy(c->group_by, ctp_axis_name(a));
		c->set |= CTP_CFG_GROUP_BY;
	} else if (!strcmp(key, "sort_by")) {
		struct ctp_sort s = { 0 };
		if (ctp_sort_parse(v, &s, &err) < 0 || !copy_value(c->sort_by, sizeof(c->sort_by), v)) {
			snprintf(msg, msglen, "bad sort_by '%.64s': %s", v, err.msg[0] ? err.msg : "too long");
			return -1;
		}
		c->set |= CTP_CFG_SORT_BY;
	} else if (!strcmp(key, "columns")) {
		if (check_columns(v, msg, msglen) < 0)
			return -1;
		if (!copy_value(c->columns, sizeof(c->columns), v)) {
			snprintf(msg, msglen, "columns value too long");
			return -1;
		}
		c->set |= CTP_CFG_COLUMNS;
	} else if (!strcmp(key, "color")) {
		if (parse_bool(v, &c->color) < 0) {
			snprintf(msg, msglen, "bad color '%s' (on or off)", v);
			return -1;
		}
		c->set |= CTP_CFG_COLOR;
	} else {
		snprintf(msg, msglen, "unknown key '%.64s'", key);
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
		snprintf(msg, msglen, "expected 'key = value', got '%.*s'", (int)(n > 64 ? 64 : n), s);
		return LINE_BAD;
	}
	const char *k = s, *v = eq + 1;
	size_t klen = (size_t)(eq - s), vlen = (size_t)(s + n - v);
	ctp_trim(&k, &klen);
	ctp_trim(&v, &vlen);
	if (klen == 0 || klen >= kl || vlen >= vl || memchr(v, '\0', vlen)) {
		snprintf(msg, msglen, klen ? "value too long" : "missing key before '='");
		return LINE_BAD;
	}
	memcpy(kbuf, k, klen);
	kbuf[klen] = 0;
	memcpy(vbuf, v, vlen);
	vbuf[vlen] = 0;
	return LINE_KV;
}

void ctp_config_parse(struct ctp_config *c, const char *text, size_t n, const char *name,
		      struct ctp_buf *warnings)
{
	const char *p = text, *end = text + n;
	for (unsigned lineno = 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char key[64], val[1024], msg[320];
		msg[0] = 0;
		enum line_kind k = split_line(p, len, key, sizeof(key), val, sizeof(val), msg, sizeof(msg));
		if (k == LINE_KV && !ctp_utf8_valid(val, strlen(val))) {
			snprintf(msg, sizeof(msg), "value of '%s' is not UTF-8", key);
			k = LINE_BAD;
		}
		if (k == LINE_KV && apply(c, key, val, msg, sizeof(msg)) < 0)
			k = LINE_BAD;
		if (k == LINE_BAD && warnings)
			ctp_buf_addf(warnings, "%s:%u: %s; line ignored\n", name, lineno, msg);
		p = nl ? nl + 1 : end;
	}
}

/* whole file into out; -1 with errno set on failure */
static int read_file(const char *path, struct ctp_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		ctp_buf_grow(out, 4096);
		ssize_t r = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = errno;
			close(fd);
			errno = e;
			return r < 0 ? -1 : 0;
		}
		out->len += (size_t)r;
		out->buf[out->len] = 0;
		if (out->len > (1u << 20)) { /* a settings file is tiny; refuse a runaway one */
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
}

int ctp_config_load_file(struct ctp_config *c, const char *path, struct ctp_buf *warnings)
{
	struct ctp_buf text = CTP_BUF_INIT;
	ctp_config_init(c);
	if (read_file(path, &text) < 0) {
		int e = errno;
		ctp_buf_release(&text);
		if (e == ENOENT || e == ENOTDIR)
			return 0;
		if (warnings)
			ctp_buf_addf(warnings, "%s: cannot read: %s; using defaults\n", path, strerror(e));
		return -1;
	}
	ctp_config_parse(c, text.buf, text.len, path, warnings);
	ctp_buf_release(&text);
	return 0;
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
}

/* ---------------------------------------------------------------- saving ---- */

static const char *const known_keys[] = { "interval", "group_by", "sort_by", "columns", "color" };

static void format_value(const struct ctp_config *c, size_t key, struct ctp_buf *out)
{
	switch (key) {
	case 0: ctp_buf_addf(out, "interval = %g\n", c->interval_s); break;
	case 1: ctp_buf_addf(out, "group_by = %s\n", c->group_by); break;
	case 2: ctp_buf_addf(out, "sort_by = %s\n", c->sort_by); break;
	case 3: ctp_buf_addf(out, "columns = %s\n", c->columns); break;
	default: ctp_buf_addf(out, "color = %s\n", c->color ? "on" : "off"); break;
	}
}

static int known_key(const char *key)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(known_keys); i++)
		if (!strcmp(key, known_keys[i]))
			return (int)i;
	return -1;
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
		char key[64], val[1024], msg[320];
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

/* mkdir -p of path's parent directories */
static int make_parents(const char *path, struct ctp_err *err)
{
	char *dup = ctp_xstrdup(path);
	for (char *s = dup + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		if (mkdir(dup, 0755) < 0 && errno != EEXIST) {
			int e = errno;
			ctp_err_set(err, CTP_E_IO, e, dup, "cannot create directory: %s", strerror(e));
			free(dup);
			return -1;
		}
		*s = '/';
	}
	free(dup);
	return 0;
}

int ctp_config_save_file(const struct ctp_config *c, const char *path, struct ctp_err *err)
{
	struct ctp_buf old = CTP_BUF_INIT, text = CTP_BUF_INIT;
	int rc = -1;
	if (make_parents(path, err) < 0)
		goto out;
	if (read_file(path, &old) < 0 && errno != ENOENT) {
		ctp_err_set(err, CTP_E_IO, errno, path, "cannot read: %s", strerror(errno));
		goto out;
	}
	ctp_config_format(c, old.buf, old.len, &text);
	rc = ctp_write_file_atomic(path, text.buf, text.len, err);
out:
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
