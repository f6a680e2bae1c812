/* cgroup.c — cgroup v2 statistics of one cgroup directory with ktstr's exact file rules
 * (snapshot-and-capture.md §2.14: limits "max" -> null, floors "max" -> u64::MAX, cpu.max period
 * default 100000, strict integers), PSI through psi.c, and discovery of the cgroup2 mount. */
#include "capture/cgroup.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/readfile.h"
#include "capture/psi.h"
#include "capture/textfile.h"
#include "base/util.h"

enum max_rule { MAX_IS_NULL, MAX_IS_U64_MAX };

/* "max" -> null or u64::MAX per rule, a u64 -> value, anything else (or no file) -> null */
static struct ctp_opt_u64 read_limit(int dir, const char *name, enum max_rule rule)
{
	struct ctp_opt_u64 o = { false, 0 };
	char *s = ctp_read_trimmed_at(dir, name);
	if (!s)
		return o;
	if (!strcmp(s, "max")) {
		if (rule == MAX_IS_U64_MAX)
			o = (struct ctp_opt_u64){ true, UINT64_MAX };
	} else if (ctp_parse_u64(s, strlen(s), &o.v)) {
		o.set = true;
	}
	free(s);
	return o;
}

static struct ctp_opt_u64 read_opt_u64(int dir, const char *name)
{
	struct ctp_opt_u64 o = { false, 0 };
	o.set = ctp_read_u64_at(dir, name, &o.v);
	return o;
}

/* cpu.stat: "key value" lines; the three keys ktstr keeps (not a number -> 0) and nr_bursts
 * (ours: not a number -> unknown), others ignored */
static void parse_cpu_stat(const char *text, size_t len, struct ctp_cgroup_stats *out)
{
	const char *cur = text, *end = text + len, *line;
	size_t ll;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		const char *lc = line, *eol = line + ll, *k, *v;
		size_t kn, vn;
		if (!ctp_next_ascii_token(&lc, eol, &k, &kn) || !ctp_next_ascii_token(&lc, eol, &v, &vn))
			continue;
		uint64_t *dst = NULL;
		if (kn == 10 && !memcmp(k, "usage_usec", 10))
			dst = &out->cpu.usage_usec;
		else if (kn == 12 && !memcmp(k, "nr_throttled", 12))
			dst = &out->cpu.nr_throttled;
		else if (kn == 14 && !memcmp(k, "throttled_usec", 14))
			dst = &out->cpu.throttled_usec;
		if (dst && !ctp_parse_u64(v, vn, dst))
			*dst = 0;
		if (kn == 9 && !memcmp(k, "nr_bursts", 9))
			out->cpu.nr_bursts.set = ctp_parse_u64(v, vn, &out->cpu.nr_bursts.v);
	}
}

/* cpu.max: "<quota|max> <period>"; quota not a number -> null, period not a number -> 100000 */
static void parse_cpu_max(const char *text, size_t len, struct ctp_cgroup_stats *out)
{
	const char *cur = text, *end = text + len, *q, *p;
	size_t qn, pn;
	if (ctp_next_ascii_token(&cur, end, &q, &qn))
		out->cpu.max_quota_us.set = ctp_parse_u64(q, qn, &out->cpu.max_quota_us.v);
	if (!ctp_next_ascii_token(&cur, end, &p, &pn) || !ctp_parse_u64(p, pn, &out->cpu.max_period_us))
		out->cpu.max_period_us = 100000;
}

/* memory.stat / memory.events: "key u64" lines, malformed lines skipped */
static void parse_kv_lines(const char *text, size_t len, struct ctp_kvmap *m)
{
	const char *cur = text, *end = text + len, *line;
	size_t ll;
	struct ctp_buf key = CTP_BUF_INIT;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		const char *lc = line, *eol = line + ll, *k, *v;
		size_t kn, vn;
		uint64_t val;
		if (!ctp_next_ascii_token(&lc, eol, &k, &kn) || !ctp_next_ascii_token(&lc, eol, &v, &vn) ||
		    !ctp_parse_u64(v, vn, &val))
			continue;
		ctp_buf_reset(&key);
		ctp_buf_add(&key, k, kn);
		ctp_kvmap_set(m, key.buf, val);
	}
	ctp_buf_release(&key);
}

static void read_cpu(int dir, struct ctp_buf *b, struct ctp_cgroup_stats *out)
{
	if (ctp_read_text_at(dir, "cpu.stat", b) == 0)
		parse_cpu_stat(b->buf, b->len, out);
	out->cpu.max_quota_us.set = false;
	out->cpu.max_period_us = 100000;
	if (ctp_read_text_at(dir, "cpu.max", b) == 0)
		parse_cpu_max(b->buf, b->len, out);
	out->cpu.weight = read_opt_u64(dir, "cpu.weight");
	char *s = ctp_read_trimmed_at(dir, "cpu.weight.nice");
	out->cpu.weight_nice.set = s && ctp_parse_i32(s, strlen(s), &out->cpu.weight_nice.v);
	free(s);
}

static void read_memory(int dir, struct ctp_buf *b, struct ctp_cgroup_stats *out)
{
	uint64_t cur = 0;
	out->memory.current = ctp_read_u64_at(dir, "memory.current", &cur) ? cur : 0;
	out->memory.max = read_limit(dir, "memory.max", MAX_IS_NULL);
	out->memory.high = read_limit(dir, "memory.high", MAX_IS_NULL);
	out->memory.low = read_limit(dir, "memory.low", MAX_IS_U64_MAX);
	out->memory.min = read_limit(dir, "memory.min", MAX_IS_U64_MAX);
	if (ctp_read_text_at(dir, "memory.stat", b) == 0)
		parse_kv_lines(b->buf, b->len, &out->memory.stat);
	if (ctp_read_text_at(dir, "memory.events", b) == 0)
		parse_kv_lines(b->buf, b->len, &out->memory.events);
}

void ctp_cgroup_read_stats(const char *cgroup_root, struct ctp_cgroup_stats *out)
{
	struct ctp_buf dir = CTP_BUF_INIT, b = CTP_BUF_INIT;
	const char *rel = out->path ? out->path : "";
	while (*rel == '/')
		rel++;
	ctp_buf_adds(&dir, cgroup_root ? cgroup_root : "/sys/fs/cgroup");
	if (*rel) {
		ctp_buf_addch(&dir, '/');
		ctp_buf_adds(&dir, rel);
	}
	int fd = ctp_open_dir(dir.buf);
	read_cpu(fd, &b, out);
	read_memory(fd, &b, out);
	out->pids.current = read_opt_u64(fd, "pids.current");
	out->pids.max = read_limit(fd, "pids.max", MAX_IS_NULL);
	if (fd >= 0)
		close(fd);
	ctp_psi_read_cgroup(dir.buf, &out->psi);
	ctp_buf_release(&b);
	ctp_buf_release(&dir);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape_octal(const char *s, size_t n, struct ctp_buf *out)
{
	ctp_buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			ctp_buf_addch(out, (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			ctp_buf_addch(out, s[i]);
		}
	}
}

/* one mountinfo line: is its filesystem type cgroup2? If so, its mount point goes to mnt */
static bool mountinfo_cgroup2(const char *line, const char *eol, struct ctp_buf *mnt)
{
	const char *cur = line, *tok, *mp = NULL;
	size_t n, mpn = 0;
	for (int field = 0; ctp_next_ascii_token(&cur, eol, &tok, &n); field++) {
		if (field == 4) {
			mp = tok;
			mpn = n;
		}
		if (field >= 6 && n == 1 && tok[0] == '-') {
			if (!mp || !ctp_next_ascii_token(&cur, eol, &tok, &n))
				return false;
			if (n != 7 || memcmp(tok, "cgroup2", 7))
				return false;
			unescape_octal(mp, mpn, mnt);
			return true;
		}
	}
	return false;
}

const char *ctp_cgroup_find_root(const char *proc_root, char *buf, size_t buflen)
{
	struct ctp_buf path = CTP_BUF_INIT, text = CTP_BUF_INIT, mnt = CTP_BUF_INIT;
	bool found = false;
	ctp_buf_addf(&path, "%s/self/mountinfo", proc_root ? proc_root : "/proc");
	if (ctp_read_text_at(AT_FDCWD, path.buf, &text) == 0) {
		const char *cur = text.buf, *end = text.buf + text.len, *line;
		size_t ll;
		while (ctp_next_line(&cur, end, &line, &ll)) {
			bool hit = mountinfo_cgroup2(line, line + ll, &mnt);
			/* first cgroup2 mount wins, but the canonical path beats any other */
			if (hit && (!found || !strcmp(mnt.buf, "/sys/fs/cgroup"))) {
				snprintf(buf, buflen, "%s", mnt.buf);
				found = true;
			}
		}
	}
	if (!found)
		snprintf(buf, buflen, "/sys/fs/cgroup");
	ctp_buf_release(&path);
	ctp_buf_release(&text);
	ctp_buf_release(&mnt);
	return buf;
}
