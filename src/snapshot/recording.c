/* recording.c — recording directories (recording.h): file names by UTC capture time (ms), the
 * time-ordered listing of a directory's own files (others ignored), START..END ranges of a
 * recording, the ".end" partner of a window capture and the -B spec (FILE, A,B, DIR[@range]).
 * Only lstat/stat and directory reads here: loading stays in snapfile.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "snapshot/recording.h"

#define REC_SUFFIX ".ctprof.zst"
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

void ctp_recording_name(uint64_t unix_ns, char *buf, size_t len)
{
	time_t t = (time_t)(unix_ns / NS_PER_S);
	unsigned ms = (unsigned)(unix_ns % NS_PER_S / NS_PER_MS);
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "%s", "");
		return;
	}
	snprintf(buf, len, "%04d%02d%02dT%02d%02d%02d.%03uZ" REC_SUFFIX, tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

/* n ASCII digits at s as a number; -1 when any is not a digit */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* broken-down UTC fields to unix seconds; -1 when they are not a real time (Feb 30, 25:00) */
static int64_t utc_seconds(int year, int mon, int mday, int hour, int min, int sec)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = mday,
			 .tm_hour = hour, .tm_min = min, .tm_sec = sec };
	struct tm back;
	time_t t;

	if (year < 1970 || mon < 1 || mon > 12 || mday < 1 || hour > 23 || min > 59 || sec > 59)
		return -1;
	t = timegm(&tm);
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != mday || back.tm_mon != mon - 1)
		return -1;
	return (int64_t)t;
}

int ctp_recording_parse_name(const char *name, uint64_t *unix_ns)
{
	/* YYYYMMDDTHHMMSS.mmmZ.ctprof.zst */
	int64_t t;
	int ms;

	*unix_ns = 0;
	if (strlen(name) != 20 + strlen(REC_SUFFIX) || strcmp(name + 20, REC_SUFFIX) != 0)
		return -1;
	if (name[8] != 'T' || name[15] != '.' || name[19] != 'Z')
		return -1;
	ms = digits(name + 16, 3);
	if (ms < 0 || digits(name, 8) < 0 || digits(name + 9, 6) < 0)
		return -1;
	t = utc_seconds(digits(name, 4), digits(name + 4, 2), digits(name + 6, 2), digits(name + 9, 2),
			digits(name + 11, 2), digits(name + 13, 2));
	if (t < 0)
		return -1;
	*unix_ns = (uint64_t)t * NS_PER_S + (uint64_t)ms * NS_PER_MS;
	return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct ctp_rec_entry *a = pa, *b = pb;
	if (a->unix_ns != b->unix_ns)
		return a->unix_ns < b->unix_ns ? -1 : 1;
	return strcmp(a->path, b->path);
}

int ctp_recording_list(const char *dir, struct ctp_recording *out, struct ctp_err *err)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;

	memset(out, 0, sizeof(*out));
	d = opendir(dir);
	if (!d)
		return ctp_err_set(err, CTP_E_IO, errno, dir, "cannot read recording directory: %s", strerror(errno));
	out->dir = ctp_xstrdup(dir);
	while ((errno = 0, de = readdir(d))) {
		struct stat st;
		uint64_t ns;

		if (ctp_recording_parse_name(de->d_name, &ns) < 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			out->v = ctp_xrealloc(out->v, alloc * sizeof(*out->v));
		}
		struct ctp_buf p = CTP_BUF_INIT;
		ctp_buf_addf(&p, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		out->v[out->n++] = (struct ctp_rec_entry){ ctp_buf_detach(&p, NULL), ns, (uint64_t)st.st_size };
		out->total_size += (uint64_t)st.st_size;
	}
	int rerr = errno;
	closedir(d);
	if (rerr) {
		ctp_recording_release(out);
		return ctp_err_set(err, CTP_E_IO, rerr, dir, "cannot read recording directory: %s", strerror(rerr));
	}
	if (!out->n) {
		ctp_recording_release(out);
		return ctp_err_set(err, CTP_E_IO, 0, dir, "no recording files (*" REC_SUFFIX " named by UTC time)");
	}
	qsort(out->v, out->n, sizeof(*out->v), entry_cmp);
	return 0;
}

void ctp_recording_release(struct ctp_recording *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].path);
	free(r->v);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}

/* one side of a range: [*lo, *hi] the ns interval it names (its precision: a minute, a second);
 * day_ns is the UTC midnight of the recording's first entry. 1 = empty side, 0 = set, -1 = bad */
static int range_side(const char *s, size_t n, uint64_t day_ns, uint64_t *lo, uint64_t *hi)
{
	char tmp[40];
	int Y = 0, M = 0, D = 0, h, m, sec = 0, prec;
	int64_t t;

	if (!n)
		return 1;
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	uint64_t secs;
	if (ctp_parse_u64(tmp, n, &secs)) { /* unix seconds */
		if (secs > UINT64_MAX / NS_PER_S - 1)
			return -1;
		*lo = secs * NS_PER_S;
		*hi = *lo + NS_PER_S - 1;
		return 0;
	}
	const char *c = tmp;
	if (n > 10 && tmp[10] == 'T') {
		if (tmp[4] != '-' || tmp[7] != '-' || (Y = digits(tmp, 4)) < 0 || (M = digits(tmp + 5, 2)) < 0 ||
		    (D = digits(tmp + 8, 2)) < 0)
			return -1;
		c = tmp + 11;
	}
	size_t cl = strlen(c);
	if ((cl != 5 && cl != 8) || c[2] != ':' || (h = digits(c, 2)) < 0 || (m = digits(c + 3, 2)) < 0)
		return -1;
	if (cl == 8 && (c[5] != ':' || (sec = digits(c + 6, 2)) < 0))
		return -1;
	prec = cl == 8 ? 1 : 60;
	if (c == tmp) { /* a time of day on the recording's first day */
		if (h > 23 || m > 59 || sec > 59)
			return -1;
		t = (int64_t)(day_ns / NS_PER_S) + h * 3600 + m * 60 + sec;
	} else if ((t = utc_seconds(Y, M, D, h, m, sec)) < 0) {
		return -1;
	}
	*lo = (uint64_t)t * NS_PER_S;
	*hi = *lo + (uint64_t)prec * NS_PER_S - 1;
	return 0;
}

int ctp_recording_range(const struct ctp_recording *r, const char *range, size_t *first, size_t *last,
			struct ctp_err *err)
{
	const char *dots = strstr(range, "..");
	uint64_t day, slo = 0, shi, elo, ehi = UINT64_MAX;
	size_t i, j;

	*first = *last = 0;
	if (!r->n)
		return ctp_err_set(err, CTP_E_ARG, 0, range, "empty recording");
	if (!dots)
		return ctp_err_set(err, CTP_E_ARG, 0, range, "bad range: START..END expected (HH:MM[:SS], "
			"YYYY-MM-DDTHH:MM[:SS] or unix seconds, UTC; either side may be empty)");
	day = r->v[0].unix_ns - r->v[0].unix_ns % (86400 * NS_PER_S);
	if (range_side(range, (size_t)(dots - range), day, &slo, &shi) < 0 ||
	    range_side(dots + 2, strlen(dots + 2), day, &elo, &ehi) < 0)
		return ctp_err_set(err, CTP_E_ARG, 0, range, "bad time in range (HH:MM[:SS], "
			"YYYY-MM-DDTHH:MM[:SS] or unix seconds, UTC)");
	if (slo > ehi)
		return ctp_err_set(err, CTP_E_ARG, 0, range, "range starts after it ends");
	for (i = 0; i < r->n && r->v[i].unix_ns < slo; i++)
		;
	for (j = r->n; j > 0 && r->v[j - 1].unix_ns > ehi; j--)
		;
	if (i >= j || j - i < 2)
		return ctp_err_set(err, CTP_E_ARG, 0, range, "range selects %zu of %zu recording files, a window needs two",
				   i < j ? j - i : 0, r->n);
	*first = i;
	*last = j - 1;
	return 0;
}

int ctp_window_end_path(const char *path, char *buf, size_t len)
{
	size_t n = strlen(path), sl = strlen(REC_SUFFIX);
	int w;

	if (n > sl && !strcmp(path + n - sl, REC_SUFFIX))
		w = snprintf(buf, len, "%.*s.end" REC_SUFFIX, (int)(n - sl), path);
	else
		w = snprintf(buf, len, "%s.end", path);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_regular(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* DIR with an optional range (NULL: the whole recording) */
static int resolve_dir(const char *dir, const char *range, struct ctp_basespec *out, struct ctp_err *err)
{
	struct ctp_recording r;
	size_t first = 0, last;

	if (ctp_recording_list(dir, &r, err) < 0)
		return -1;
	last = r.n - 1;
	if (range && ctp_recording_range(&r, range, &first, &last, err) < 0) {
		ctp_recording_release(&r);
		return -1;
	}
	if (!range && r.n < 2) {
		ctp_recording_release(&r);
		return ctp_err_set(err, CTP_E_ARG, 0, dir, "one recording file, a window needs two");
	}
	out->a = ctp_xstrdup(r.v[first].path);
	out->b = ctp_xstrdup(r.v[last].path);
	out->from_dir = true;
	out->first = first;
	out->last = last;
	out->count = r.n;
	ctp_recording_release(&r);
	return 0;
}

/* "A,B": the split whose two names both exist, else the only comma */
static int resolve_pair(const char *spec, struct ctp_basespec *out, struct ctp_err *err)
{
	size_t n = strlen(spec), commas = 0, at = 0;

	for (size_t i = 0; i < n; i++) {
		if (spec[i] != ',')
			continue;
		commas++;
		char *a = ctp_xstrndup(spec, i);
		bool both = is_regular(a) && is_regular(spec + i + 1);
		free(a);
		if (both || commas == 1)
			at = i;
		if (both)
			break;
	}
	out->a = ctp_xstrndup(spec, at);
	out->b = ctp_xstrdup(spec + at + 1);
	if (!out->a[0] || !out->b[0]) {
		ctp_basespec_release(out);
		return ctp_err_set(err, CTP_E_ARG, 0, spec, "window baseline A,B needs two file names");
	}
	const char *bad = !is_regular(out->a) ? out->a : !is_regular(out->b) ? out->b : NULL;
	if (bad) {
		int e = access(bad, F_OK) < 0 ? errno : 0;
		ctp_err_set(err, CTP_E_IO, e, bad, "%s", e ? strerror(e) : "not a regular file");
		ctp_basespec_release(out);
		return -1;
	}
	return 0;
}

int ctp_basespec_resolve(const char *spec, struct ctp_basespec *out, struct ctp_err *err)
{
	char end[4096];
	const char *at;

	memset(out, 0, sizeof(*out));
	if (!spec[0])
		return ctp_err_set(err, CTP_E_ARG, 0, "-B", "empty baseline name");
	if (is_dir(spec))
		return resolve_dir(spec, NULL, out, err);
	at = strrchr(spec, '@');
	if (at && !is_regular(spec)) {
		char *dir = ctp_xstrndup(spec, (size_t)(at - spec));
		int rc = 1;
		if (is_dir(dir))
			rc = resolve_dir(dir, at + 1, out, err);
		free(dir);
		if (rc <= 0)
			return rc;
	}
	if (strchr(spec, ',') && strcmp(spec, "-") && !is_regular(spec))
		return resolve_pair(spec, out, err);
	out->a = ctp_xstrdup(spec);
	if (strcmp(spec, "-") && ctp_window_end_path(spec, end, sizeof(end)) == 0 && is_regular(end)) {
		out->b = ctp_xstrdup(end);
		out->b_found = true;
	}
	return 0;
}

void ctp_basespec_release(struct ctp_basespec *b)
{
	free(b->a);
	free(b->b);
	memset(b, 0, sizeof(*b));
}
