/* record.c — captures saved to files (record.h): `-o FILE` once, `-o FILE --window SECS` as a
 * window pair (FILE and its .end partner, recording.h), and the `--record DIR` daemon loop: one
 * full capture per interval saved atomically under its UTC name, the oldest of its own files
 * removed past --record-max-size / --record-max-age, SIGTERM/SIGINT taken between writes. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "base/text.h"
#include "capture/capture.h"
#include "cli/record.h"
#include "snapshot/recording.h"
#include "snapshot/snapfile.h"

#define DEFAULT_INTERVAL_S 10.0
#define DEFAULT_MAX_SIZE (512ull << 20)

int ctp_record_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	int shift = 0;
	if (s[0] < '0' || s[0] > '9' || errno || !(v > 0))
		return -1;
	if (*end) {
		const char *u = strchr(units, *end & ~0x20);
		if (!u || !(*end & ~0x20))
			return -1;
		shift = 10 * (int)(u - units + 1);
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
	}
	if (*end || v * pow(2, shift) >= 0x1p63 || v * pow(2, shift) < 1)
		return -1;
	*bytes = (uint64_t)(v * pow(2, shift));
	return 0;
}

int ctp_record_parse_age(const char *s, double *secs)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end), mul = 1;
	static const char units[] = "smhd";
	static const double muls[] = { 1, 60, 3600, 86400 };
	if (s[0] < '0' || s[0] > '9' || errno || !(v > 0) || !isfinite(v))
		return -1;
	if (*end) {
		const char *u = strchr(units, *end);
		if (!u || end[1])
			return -1;
		mul = muls[u - units];
	}
	*secs = v * mul;
	return 0;
}

/* saves s at path (--mode), says "wrote N threads to PATH (X bytes)" unless stdout; 0 or 1 */
static int save_and_say(const struct ctp_options *o, const char *path, const struct ctp_snapshot *s, const char *extra)
{
	struct ctp_err err = { 0 };
	char line[600];
	size_t size = 0;
	if (ctp_snapfile_save_mode(path, s, o->save_mode, &size, &err)) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, line, sizeof(line)));
		return 1;
	}
	if (strcmp(path, "-")) {
		struct ctp_buf safe = CTP_BUF_INIT;
		ctp_sanitize_name(path, strlen(path), true, &safe);
		fprintf(stderr, "ctprof-top: wrote %zu threads to %s (%zu bytes)%s\n", s->nthreads, safe.buf, size, extra);
		ctp_buf_release(&safe);
	}
	return 0;
}

/* one capture; 0, or 1 after one line on stderr */
static int capture_one(struct ctp_capture *c, struct ctp_snapshot **s)
{
	struct ctp_err err = { 0 };
	char line[600];
	if (ctp_capture_run(c, s, &err) == 0)
		return 0;
	fprintf(stderr, "ctprof-top: capture failed: %s\n", ctp_err_str(&err, line, sizeof(line)));
	return 1;
}

/* sleeps until the CLOCK_MONOTONIC time deadline_ns; with sigs non-NULL (blocked signals) it
 * wakes early when one arrives and returns its number, else 0 */
static int wait_until(uint64_t deadline_ns, const sigset_t *sigs)
{
	for (;;) {
		uint64_t now = ctp_now_monotonic_ns();
		if (now >= deadline_ns)
			return 0;
		uint64_t left = deadline_ns - now;
		struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
		if (!sigs) {
			nanosleep(&ts, NULL);
			continue;
		}
		int sig = sigtimedwait(sigs, NULL, &ts);
		if (sig > 0)
			return sig;
	}
}

int ctp_capture_to_file(const struct ctp_options *o)
{
	struct ctp_capture_opts co;
	struct ctp_snapshot *s = NULL;
	char end[4096];
	if (o->window_s > 0 && !strcmp(o->output, "-")) {
		fprintf(stderr, "ctprof-top: --window writes two files: give -o a file name, not '-'\n");
		return 2;
	}
	if (o->window_s > 0 && ctp_window_end_path(o->output, end, sizeof(end))) {
		fprintf(stderr, "ctprof-top: -o: file name too long for its .end partner\n");
		return 2;
	}
	ctp_options_capture_opts(o, &co);
	struct ctp_capture *c = ctp_capture_new(&co);
	uint64_t t0 = ctp_now_monotonic_ns();
	int rc = capture_one(c, &s);
	if (!rc && o->pid && s->nthreads == 0) {
		fprintf(stderr, "ctprof-top: --pid %d: no such process\n", (int)o->pid);
		rc = 2;
	}
	if (!rc)
		rc = save_and_say(o, o->output, s, "");
	if (!rc && o->window_s > 0) {
		char extra[64];
		ctp_snapshot_free(s);
		s = NULL;
		wait_until(t0 + (uint64_t)(o->window_s * 1e9), NULL);
		rc = capture_one(c, &s);
		snprintf(extra, sizeof(extra), ", the window's end (%.2f s later)", o->window_s);
		if (!rc)
			rc = save_and_say(o, end, s, extra);
	}
	ctp_capture_free(c);
	ctp_snapshot_free(s);
	return rc;
}

/* ---- --record DIR ---- */

struct recorder {
	const struct ctp_options *o;
	const char *dir;
	uint64_t max_size;
	double max_age_s; /* 0 = none */
	double interval_s;
	unsigned failures; /* consecutive failed intervals (one message when they start) */
};

static int record_usage(const char *fmt, const char *arg)
{
	return ctp_cli_error(fmt, arg, false);
}

/* DIR: created 0700 when missing; a symlink or a non-directory is refused. 0 or an exit status */
static int prepare_dir(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT)
			return record_usage("--record: %s: cannot stat", dir);
		if (mkdir(dir, 0700) < 0) {
			int e = errno;
			record_usage("--record: %s: cannot create the directory", dir);
			fprintf(stderr, "ctprof-top: (%s)\n", strerror(e));
			return 1;
		}
		return 0;
	}
	if (S_ISLNK(st.st_mode))
		return record_usage("--record: %s: is a symbolic link; give the directory itself", dir);
	if (!S_ISDIR(st.st_mode))
		return record_usage("--record: %s: not a directory", dir);
	if (access(dir, W_OK | X_OK) < 0)
		return record_usage("--record: %s: not writable", dir);
	return 0;
}

/* a temp file our own save left behind when killed (".<recording name>.tmp-XXXXXX"): removed
 * at start; nothing else is touched */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		char name[CTP_REC_NAME_MAX];
		uint64_t ns;
		struct stat st;
		const char *t = strstr(de->d_name, ".tmp-");
		size_t n = t ? (size_t)(t - de->d_name) : 0;
		if (de->d_name[0] != '.' || !t || n < 2 || n - 1 >= sizeof(name) || strlen(t) != 11)
			continue;
		memcpy(name, de->d_name + 1, n - 1);
		name[n - 1] = 0;
		if (ctp_recording_parse_name(name, &ns) == 0 &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* removes the oldest of our files (never the newest) while over the size cap or past the age */
static void retention(const struct recorder *r)
{
	struct ctp_recording rec;
	uint64_t now = ctp_now_realtime_ns();
	uint64_t age_ns = r->max_age_s > 0 ? (uint64_t)(r->max_age_s * 1e9) : 0;
	if (ctp_recording_list(r->dir, &rec, NULL) < 0)
		return;
	uint64_t total = rec.total_size;
	for (size_t i = 0; i + 1 < rec.n; i++) {
		bool old = age_ns && rec.v[i].unix_ns + age_ns < now;
		if (total <= r->max_size && !old)
			break;
		if (unlink(rec.v[i].path) == 0 || errno == ENOENT)
			total -= rec.v[i].size;
	}
	ctp_recording_release(&rec);
}

/* DIR/<UTC name of s> that is not taken yet (a clock stepped back); 0, or -1 */
static int free_name(const struct recorder *r, const struct ctp_snapshot *s, struct ctp_buf *path)
{
	uint64_t ns = s->captured_at_unix_ns;
	for (int i = 0; i < 1000; i++, ns += 1000000) {
		char name[CTP_REC_NAME_MAX];
		struct stat st;
		ctp_recording_name(ns, name, sizeof(name));
		ctp_buf_reset(path);
		ctp_buf_addf(path, "%s/%s", r->dir, name);
		if (lstat(path->buf, &st) < 0 && errno == ENOENT)
			return 0;
	}
	return -1;
}

/* one interval: capture, save, retention. A failure says one line when a run of failures
 * starts (not every interval) and the next interval retries */
static void record_once(struct recorder *r, struct ctp_capture *c)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_buf path = CTP_BUF_INIT;
	struct ctp_err err = { 0 };
	char line[600];
	int rc = ctp_capture_run(c, &s, &err);
	const char *what = rc ? "capture failed: " : "";
	if (rc == 0 && free_name(r, s, &path) < 0)
		rc = ctp_err_set(&err, CTP_E_IO, EEXIST, r->dir, "no free file name for this capture time");
	if (rc == 0)
		rc = ctp_snapfile_save_mode(path.buf, s, r->o->save_mode, NULL, &err);
	if (rc == 0) {
		if (r->failures)
			fprintf(stderr, "ctprof-top: --record: writing again after %u failed interval%s\n", r->failures,
				r->failures == 1 ? "" : "s");
		r->failures = 0;
		retention(r);
	} else if (r->failures++ == 0) {
		fprintf(stderr, "ctprof-top: --record: %s%s (retrying every %g s)\n", what,
			ctp_err_str(&err, line, sizeof(line)), r->interval_s);
	}
	ctp_buf_release(&path);
	ctp_snapshot_free(s);
}

/* the options --record takes; 0 or an exit status */
static int record_setup(const struct ctp_options *o, struct recorder *r)
{
	*r = (struct recorder){ .o = o, .dir = o->record_dir, .max_size = DEFAULT_MAX_SIZE,
				.interval_s = o->interval_given ? o->interval_s : DEFAULT_INTERVAL_S };
	if (!r->dir[0])
		return record_usage("--record: empty directory name%s", "");
	if (o->record_max_size && ctp_record_parse_size(o->record_max_size, &r->max_size))
		return record_usage("--record-max-size: '%s' is not a size (bytes, or a number with K, M, G or T)",
				    o->record_max_size);
	if (o->record_max_age && ctp_record_parse_age(o->record_max_age, &r->max_age_s))
		return record_usage("--record-max-age: '%s' is not a duration (seconds, or a number with s, m, h or d)",
				    o->record_max_age);
	return prepare_dir(r->dir);
}

int ctp_record_run(const struct ctp_options *o)
{
	struct recorder r;
	struct ctp_capture_opts co;
	sigset_t sigs, old;
	int rc = record_setup(o, &r), sig = 0;
	if (rc)
		return rc;
	remove_stale_temps(r.dir);
	/* blocked, then taken by sigtimedwait between captures: a write always completes (or
	 * fails and removes its temp) before the recorder ends */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	struct ctp_buf safe = CTP_BUF_INIT;
	ctp_sanitize_name(r.dir, strlen(r.dir), true, &safe);
	fprintf(stderr, "ctprof-top: recording to %s every %g s, at most %llu MiB", safe.buf, r.interval_s,
		(unsigned long long)((r.max_size + (1 << 20) - 1) >> 20));
	if (r.max_age_s > 0)
		fprintf(stderr, " and %g s", r.max_age_s);
	fprintf(stderr, " (SIGTERM or SIGINT ends it)\n");
	ctp_options_capture_opts(o, &co);
	struct ctp_capture *c = ctp_capture_new(&co);
	uint64_t step = (uint64_t)(r.interval_s * 1e9), next = ctp_now_monotonic_ns();
	while (!sig) {
		record_once(&r, c);
		next += step;
		for (uint64_t now = ctp_now_monotonic_ns(); next < now;) /* a late interval is skipped */
			next += step;
		struct timespec zero = { 0, 0 };
		sig = sigtimedwait(&sigs, NULL, &zero);
		if (sig <= 0)
			sig = wait_until(next, &sigs);
	}
	ctp_capture_free(c);
	fprintf(stderr, "ctprof-top: recording to %s stopped (%s)\n", safe.buf, strsignal(sig));
	ctp_buf_release(&safe);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}
