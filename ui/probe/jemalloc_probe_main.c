/* jemalloc_probe_main.c — ctprof-jemalloc-probe: reads one process's per-thread jemalloc
 * allocated/deallocated counters, once or as N snapshots, printed as text or schema-3 JSON with
 * the reference CLI's flags, markers and exit codes (design/jemalloc-probe.md §5.3, App. A M1-M4).
 * Exit: 0 ok (or interrupted before any snapshot), 1 fatal / all failed / output error, 2 usage.
 * SIGTERM/SIGINT end the run after the current snapshot (whose stops the probe's per-sample
 * budget bounds; a second signal ends it at once); text from the target (names, paths in
 * errors) is escaped as the batch printer does. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/format.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "capture/procfs.h"
#include "capture/readfile.h"
#include "capture/textfile.h"
#include "probe/probe.h"

#define SCHEMA_VERSION 3

struct cli {
	pid_t pid;
	bool json;
	uint32_t snapshots;
	uint64_t interval_ms; /* 0 = absent */
	uint64_t abort_after_ms;
	bool no_debuginfod;
};

struct thread_out {
	uint32_t tid;
	char *comm; /* NULL = absent */
	bool have_start;
	uint64_t start;
	struct ctp_probe_thread_result r;
};

struct snap {
	uint64_t ts, elapsed_ns;
	struct thread_out *t;
	size_t n;
};

struct output {
	uint64_t started_at;
	bool interrupted;
	struct snap *s;
	size_t n;
};

static volatile sig_atomic_t cleanup_requested;
static uint64_t abort_ms;
static pid_t main_tid;

/* the first SIGINT/SIGTERM asks the run to stop (every thread is detached on the way out); a
 * second one ends the process at once, and the kernel detaches whatever is still traced */
static void on_sigint(int sig)
{
	if (cleanup_requested) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	cleanup_requested = 1;
}

static void on_sigalrm(int sig)
{
	(void)sig; /* interrupting a blocking syscall is the whole job */
}

static void install_handlers(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sa.sa_flags = 0; /* no SA_RESTART: a blocking call returns EINTR and the run winds down */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_sigalrm; /* likewise: the deadline must interrupt sleeps */
	sigaction(SIGALRM, &sa, NULL);
}

static void *deadline_thread(void *arg)
{
	(void)arg;
	struct timespec ts = { (time_t)(abort_ms / 1000), (long)(abort_ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	fprintf(stderr, "ktstr-probe-deadline: abort after %llums\n", (unsigned long long)abort_ms);
	cleanup_requested = 1;
	syscall(SYS_tgkill, getpid(), main_tid, SIGALRM);
	return NULL;
}

/* ---------- arguments ---------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: ctprof-jemalloc-probe --pid <PID> [--json] [--snapshots <N> --interval-ms <MS>]\n"
		   "                             [--abort-after-ms <MS>] [--no-debuginfod]\n\n"
		   "Read per-thread jemalloc allocated/deallocated byte counters from a running process.\n\n"
		   "Options:\n"
		   "      --pid <PID>             target process id (>= 1)\n"
		   "      --json                  emit JSON on stdout instead of text\n"
		   "      --snapshots <N>         number of snapshots, 1..=100000 (default 1)\n"
		   "      --interval-ms <MS>      wait between snapshots, 1..=3600000; required iff N > 1\n"
		   "      --abort-after-ms <MS>   self-abort deadline, 1..=3600000\n"
		   "      --no-debuginfod         never ask DEBUGINFOD_URLS' servers for debug files\n"
		   "  -h, --help                  print help\n"
		   "  -V, --version               print version\n");
}

static bool num_arg(const char *name, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (!ctp_parse_u64(s, strlen(s), out) || *out < lo || *out > hi) {
		fprintf(stderr, "error: invalid value '%s' for '--%s': expected %llu..=%llu\n\n", s, name,
			(unsigned long long)lo, (unsigned long long)hi);
		usage(stderr);
		return false;
	}
	return true;
}

/* 0 parsed, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },       { "json", no_argument, NULL, 'j' },
		{ "snapshots", required_argument, NULL, 's' }, { "interval-ms", required_argument, NULL, 'i' },
		{ "abort-after-ms", required_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },         { "no-debuginfod", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	bool have_pid = false;
	int o;
	memset(c, 0, sizeof(*c));
	c->snapshots = 1;
	opterr = 1;
	while ((o = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (!num_arg("pid", optarg, 1, INT32_MAX, &v))
				return 2;
			c->pid = (pid_t)v, have_pid = true;
			break;
		case 'j': c->json = true; break;
		case 'D': c->no_debuginfod = true; break;
		case 's':
			if (!num_arg("snapshots", optarg, 1, 100000, &v))
				return 2;
			c->snapshots = (uint32_t)v;
			break;
		case 'i':
			if (!num_arg("interval-ms", optarg, 1, 3600000, &c->interval_ms))
				return 2;
			break;
		case 'a':
			if (!num_arg("abort-after-ms", optarg, 1, 3600000, &c->abort_after_ms))
				return 2;
			break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("ctprof-jemalloc-probe %s\n", CTP_VERSION); return 1;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !have_pid) {
		fprintf(stderr, optind < argc ? "error: unexpected argument '%s'\n\n" : "error: --pid <PID> is required%s\n\n",
			optind < argc ? argv[optind] : "");
		usage(stderr);
		return 2;
	}
	if (c->snapshots > 1 && !c->interval_ms) {
		fprintf(stderr, "error: --snapshots %u requires --interval-ms <MS>; multi-snapshot sampling needs an "
				"explicit inter-snapshot wait\n", c->snapshots);
		return 2;
	}
	if (c->snapshots == 1 && c->interval_ms) {
		fprintf(stderr, "error: --interval-ms is only meaningful with --snapshots > 1; omit --interval-ms for a "
				"single-snapshot run\n");
		return 2;
	}
	return 0;
}

/* ---------- /proc helpers: the capture readers ---------- */

#define DENTS_SIZE 32768

/* sorted tids of /proc/pid/task into *tids; -1 (errno set) if unreadable */
static int list_tids(pid_t pid, struct ctp_u32vec *tids)
{
	char path[64], *dents = ctp_xmalloc(DENTS_SIZE);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	int r = ctp_list_numeric_at(AT_FDCWD, path, dents, DENTS_SIZE, tids), e = errno;
	free(dents);
	errno = e;
	return r;
}

/* the thread's name, trimmed; NULL when unreadable, not UTF-8 or empty */
static char *read_comm(pid_t pid, uint32_t tid)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/task/%u/comm", (int)pid, tid);
	char *s = ctp_read_trimmed_at(AT_FDCWD, path);
	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

/* field 22 (starttime) of the thread's stat */
static bool read_start(pid_t pid, uint32_t tid, struct ctp_buf *b, uint64_t *out)
{
	char path[96];
	const char *tok[20];
	size_t tl[20];
	snprintf(path, sizeof(path), "/proc/%d/task/%u/stat", (int)pid, tid);
	return ctp_read_file_at(AT_FDCWD, path, b) == 0 && ctp_stat_fields(b->buf, b->len, tok, tl, 20) == 20 &&
	       ctp_parse_u64(tok[19], tl[19], out);
}

static int exe_id(pid_t pid, struct stat *st)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return stat(path, st);
}

/* ---------- run ---------- */

struct fatal {
	const char *tag;
	char msg[512];
};

static uint64_t now_sec(void)
{
	return ctp_now_realtime_ns() / 1000000000ull;
}

static void take_snapshot(struct ctp_probe *p, pid_t pid, const uint32_t *tids, size_t n, uint64_t t0,
			  struct snap *s)
{
	uint64_t *starts = ctp_xcalloc(n ? n : 1, sizeof(*starts));
	struct ctp_probe_thread_result *r = ctp_xcalloc(n ? n : 1, sizeof(*r));
	s->ts = now_sec();
	s->elapsed_ns = ctp_now_monotonic_ns() - t0;
	struct ctp_buf b = CTP_BUF_INIT;
	s->t = ctp_xcalloc(n ? n : 1, sizeof(*s->t));
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		s->t[i].tid = tids[i];
		s->t[i].comm = read_comm(pid, tids[i]);
		s->t[i].have_start = read_start(pid, tids[i], &b, &starts[i]);
		s->t[i].start = starts[i];
	}
	ctp_buf_release(&b);
	ctp_probe_begin_sample(p);
	ctp_probe_process(p, pid, tids, starts, n, r);
	for (size_t i = 0; i < n; i++)
		s->t[i].r = r[i];
	free(starts);
	free(r);
}

static bool sleep_with_cancel(uint64_t ms)
{
	uint64_t end = ctp_now_monotonic_ns() + ms * 1000000ull;
	for (;;) {
		if (cleanup_requested)
			return true;
		uint64_t now = ctp_now_monotonic_ns();
		if (now >= end)
			return false;
		uint64_t left = end - now, tick = 10000000ull;
		struct timespec ts = { 0, (long)(left < tick ? left : tick) };
		nanosleep(&ts, NULL);
	}
}

static bool exe_changed(pid_t pid, const struct stat *base, const char *when, struct fatal *f)
{
	struct stat st;
	if (exe_id(pid, &st) < 0) {
		snprintf(f->msg, sizeof(f->msg), "stat /proc/%d/exe: %s", (int)pid, strerror(errno));
		f->tag = "exe-identity-changed";
		return true;
	}
	if (st.st_dev == base->st_dev && st.st_ino == base->st_ino)
		return false;
	snprintf(f->msg, sizeof(f->msg),
		 "target pid %d /proc/<pid>/exe changed %s (captured dev=%#llx ino=%llu, now dev=%#llx ino=%llu); "
		 "target execve'd or pid recycled, TLS offsets invalid",
		 (int)pid, when, (unsigned long long)base->st_dev, (unsigned long long)base->st_ino,
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	f->tag = "exe-identity-changed";
	return true;
}

/* fills out; returns false with *f set on a fatal error */
static bool run(const struct cli *c, struct ctp_probe *p, struct output *out, struct fatal *f)
{
	char path[64];
	struct stat base, st;
	uint64_t t0 = ctp_now_monotonic_ns();
	out->started_at = now_sec();
	if (c->pid == getpid()) {
		f->tag = "self-probe-rejected";
		snprintf(f->msg, sizeof(f->msg),
			 "refusing to probe self (pid %d == ctprof-jemalloc-probe's own pid). ptrace(PTRACE_SEIZE) rejects "
			 "self-attach; run the probe from a separate process against the target's pid",
			 (int)c->pid);
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)c->pid);
	if (stat(path, &st) < 0) {
		f->tag = "pid-missing";
		snprintf(f->msg, sizeof(f->msg), "pid %d does not exist", (int)c->pid);
		return false;
	}
	if (exe_id(c->pid, &base) < 0) {
		f->tag = "pid-missing";
		snprintf(f->msg, sizeof(f->msg), "stat /proc/%d/exe: %s", (int)c->pid, strerror(errno));
		return false;
	}
	enum ctp_probe_tag t = ctp_probe_process(p, c->pid, NULL, NULL, 0, NULL);
	if (t != CTP_PT_OK) {
		f->tag = ctp_probe_tag_name(t);
		snprintf(f->msg, sizeof(f->msg), "%s", ctp_probe_last_error(p));
		return false;
	}
	if (exe_changed(c->pid, &base, "during ELF/DWARF parse", f))
		return false;
	out->s = ctp_xcalloc(c->snapshots, sizeof(*out->s));
	for (uint32_t i = 0; i < c->snapshots; i++) {
		struct ctp_u32vec tids = { 0 };
		if (cleanup_requested) {
			out->interrupted = true;
			break;
		}
		if (i > 0 && exe_changed(c->pid, &base, "between snapshots", f))
			return false;
		if (list_tids(c->pid, &tids) < 0) {
			f->tag = "tid-enumeration-failure";
			snprintf(f->msg, sizeof(f->msg), "read_dir /proc/%d/task: %s", (int)c->pid, strerror(errno));
			return false;
		}
		take_snapshot(p, c->pid, tids.v, tids.n, t0, &out->s[out->n++]);
		free(tids.v);
		if (i + 1 < c->snapshots && sleep_with_cancel(c->interval_ms)) {
			out->interrupted = true;
			break;
		}
	}
	if (cleanup_requested)
		out->interrupted = true;
	return true;
}

static bool all_failed(const struct output *o)
{
	for (size_t i = 0; i < o->n; i++)
		for (size_t j = 0; j < o->s[i].n; j++)
			if (o->s[i].t[j].r.ok)
				return false;
	return true;
}

/* ---------- output ---------- */

static void json_thread(struct ctp_buf *b, const struct thread_out *t, bool last)
{
	ctp_buf_addf(b, "        {\n          \"tid\": %u", t->tid);
	if (t->comm) {
		ctp_buf_adds(b, ",\n          \"comm\": ");
		ctp_json_str(b, t->comm);
	}
	if (t->have_start)
		ctp_buf_addf(b, ",\n          \"start_time_jiffies\": %llu", (unsigned long long)t->start);
	if (t->r.ok) {
		ctp_buf_addf(b, ",\n          \"allocated_bytes\": %llu,\n          \"deallocated_bytes\": %llu",
			     (unsigned long long)t->r.allocated, (unsigned long long)t->r.deallocated);
	} else {
		ctp_buf_adds(b, ",\n          \"error\": ");
		ctp_json_str(b, t->r.error);
		ctp_buf_addf(b, ",\n          \"error_kind\": \"%s\"", ctp_probe_tag_name(t->r.tag));
	}
	ctp_buf_adds(b, last ? "\n        }\n" : "\n        },\n");
}

static void json_output(struct ctp_buf *b, const struct cli *c, const struct output *o)
{
	ctp_buf_addf(b, "{\n  \"schema_version\": %d,\n  \"pid\": %d,\n  \"tool_version\": \"%s\",\n"
			"  \"started_at_unix_sec\": %llu,\n",
		     SCHEMA_VERSION, (int)c->pid, CTP_VERSION, (unsigned long long)o->started_at);
	if (c->interval_ms)
		ctp_buf_addf(b, "  \"interval_ms\": %llu,\n", (unsigned long long)c->interval_ms);
	ctp_buf_addf(b, "  \"interrupted\": %s,\n  \"snapshots\": %s", o->interrupted ? "true" : "false",
		     o->n ? "[\n" : "[]\n}\n");
	for (size_t i = 0; i < o->n; i++) {
		const struct snap *s = &o->s[i];
		ctp_buf_addf(b, "    {\n      \"timestamp_unix_sec\": %llu,\n      \"elapsed_since_start_ns\": %llu,\n"
				"      \"threads\": %s",
			     (unsigned long long)s->ts, (unsigned long long)s->elapsed_ns, s->n ? "[\n" : "[]\n");
		for (size_t j = 0; j < s->n; j++)
			json_thread(b, &s->t[j], j + 1 == s->n);
		if (s->n)
			ctp_buf_adds(b, "      ]\n");
		ctp_buf_adds(b, i + 1 == o->n ? "    }\n" : "    },\n");
	}
	if (o->n)
		ctp_buf_adds(b, "  ]\n}\n");
}

/* appends s escaped as the batch printer does: controls, bidi and invalid UTF-8 become \xNN */
static void add_safe(struct ctp_buf *b, const char *s)
{
	ctp_sanitize_name(s, strlen(s), true, b);
}

static void add_comm(struct ctp_buf *b, const struct thread_out *t)
{
	if (t->comm) {
		ctp_buf_adds(b, " comm=");
		add_safe(b, t->comm);
	}
}

static void text_output(struct ctp_buf *b, const struct cli *c, const struct output *o)
{
	struct ctp_buf w = CTP_BUF_INIT;
	ctp_buf_addf(b, "pid=%d tool_version=%s\n", (int)c->pid, CTP_VERSION);
	for (size_t i = 0; i < o->n; i++) {
		ctp_buf_addf(b, "--- snapshot %zu/%zu @ %llus ---\n", i + 1, o->n, (unsigned long long)o->s[i].ts);
		for (size_t j = 0; j < o->s[i].n; j++) {
			const struct thread_out *t = &o->s[i].t[j];
			if (t->r.ok) {
				ctp_buf_addf(b, "tid=%u", t->tid);
				add_comm(b, t);
				ctp_buf_addf(b, " allocated_bytes=%llu deallocated_bytes=%llu\n",
					     (unsigned long long)t->r.allocated, (unsigned long long)t->r.deallocated);
			} else {
				/* stderr lines go out in order with the stdout ones */
				fwrite(b->buf, 1, b->len, stdout);
				fflush(stdout);
				ctp_buf_reset(b);
				ctp_buf_reset(&w);
				ctp_buf_addf(&w, "warning: tid %u", t->tid);
				add_comm(&w, t);
				ctp_buf_addf(&w, " [%s]: ", ctp_probe_tag_name(t->r.tag));
				add_safe(&w, t->r.error);
				ctp_buf_adds(&w, "\n");
				fwrite(w.buf, 1, w.len, stderr);
			}
		}
	}
	ctp_buf_release(&w);
}

static bool print_output(const struct cli *c, const struct output *o)
{
	struct ctp_buf b = CTP_BUF_INIT;
	if (c->json)
		json_output(&b, c, o);
	else
		text_output(&b, c, o);
	bool ok = fwrite(b.buf, 1, b.len, stdout) == b.len;
	ok = fflush(stdout) == 0 && ok;
	ctp_buf_release(&b);
	return ok;
}

static void output_free(struct output *o)
{
	for (size_t i = 0; i < o->n; i++) {
		for (size_t j = 0; j < o->s[i].n; j++)
			free(o->s[i].t[j].comm);
		free(o->s[i].t);
	}
	free(o->s);
}

int main(int argc, char **argv)
{
	struct cli c;
	struct output out = { 0 };
	struct fatal f = { 0 };
	pthread_t th;
	int rc = parse_args(argc, argv, &c);
	if (rc)
		return rc == 1 ? 0 : 2;
	install_handlers();
	main_tid = (pid_t)syscall(SYS_gettid);
	if (c.abort_after_ms) {
		abort_ms = c.abort_after_ms;
		if (pthread_create(&th, NULL, deadline_thread, NULL) == 0)
			pthread_detach(th);
	}
	ctp_probe_debuginfod_default(!c.no_debuginfod);
	struct ctp_probe *p = ctp_probe_new("/proc");
	bool ok = run(&c, p, &out, &f);
	if (ctp_probe_debuginfod_note(p)) /* DEBUGINFOD_URLS set, libdebuginfod.so.1 missing: once */
		fprintf(stderr, "note: %s\n", ctp_probe_debuginfod_note(p));
	ctp_probe_free(p); /* detaches anything a slow path could not release */
	if (!ok) {
		struct ctp_buf m = CTP_BUF_INIT;
		add_safe(&m, f.msg);
		fprintf(stderr, "ktstr-probe-fatal: %s\nerror: %.*s\n", f.tag, (int)m.len, m.len ? m.buf : "");
		ctp_buf_release(&m);
		output_free(&out);
		return 1;
	}
	rc = 0;
	if (out.n && all_failed(&out)) {
		print_output(&c, &out);
		fprintf(stderr, "ktstr-probe-all-failed: %s\nerror: all threads failed probe%s\n",
			c.snapshots > 1 ? "multi" : "single", c.snapshots > 1 ? " in every snapshot" : "");
		rc = 1;
	} else if (!print_output(&c, &out)) {
		fprintf(stderr, "error writing output: %s\n", strerror(errno));
		rc = 1;
	}
	output_free(&out);
	return rc;
}
