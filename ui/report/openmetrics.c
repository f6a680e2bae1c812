/* openmetrics.c — the fleet export (openmetrics.h): metric and label names and escaping, the
 * exposition of one snapshot (groups, host, cgroups), the -b loop to stdout or to
 * DIR/ctprof.prom for node_exporter, --show FILE, and the option checks of --format,
 * --textfile and --fail-if. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "report/openmetrics.h"
#include "snapshot/snapfile.h"

/* ------------------------------------------------------------ options ---- */
bool ctp_om_wanted(const struct ctp_options *o)
{
	return o->textfile_dir || (o->format && !strcmp(o->format, "openmetrics"));
}

static const char *check_format(struct ctp_options *o)
{
	if (!o->format)
		return NULL;
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "openmetrics"))
		return "--format: not text, json or openmetrics";
	if (o->mode != CTP_MODE_BATCH && o->mode != CTP_MODE_COMPARE && o->mode != CTP_MODE_SHOW)
		return "--format goes with -b, --compare or --show";
	if (!strcmp(o->format, "json"))
		o->json = true;
	else if (o->json)
		return "--json is --format json: give one format";
	return NULL;
}

const char *ctp_export_check(struct ctp_options *o)
{
	const char *why = check_format(o);
	if (why)
		return why;
	if (o->textfile_dir && o->mode != CTP_MODE_BATCH)
		return "--textfile DIR goes with -b";
	if (o->textfile_dir && (o->json || (o->format && strcmp(o->format, "openmetrics"))))
		return "--textfile writes the openmetrics format only";
	if (ctp_om_wanted(o) && o->mode == CTP_MODE_COMPARE)
		return "--format openmetrics exports one snapshot's values: use --show FILE (a change between "
		       "two captures is a query over the scraped series)";
	if (ctp_om_wanted(o) && o->mode == CTP_MODE_BATCH && o->baseline)
		return "--format openmetrics and --textfile export live values: -B FILE is not used there";
	if ((o->fail_if || o->fail_if_file) && o->mode == CTP_MODE_LIVE && o->baseline)
		return "--fail-if goes with --compare A B or -b -B FILE (the live view does not evaluate rules)";
	if ((o->fail_if || o->fail_if_file) && !(o->mode == CTP_MODE_COMPARE || (o->mode == CTP_MODE_BATCH && o->baseline)))
		return "--fail-if needs a baseline: --compare A B, or -b -B FILE";
	return NULL;
}

/* -------------------------------------------------------------- names ---- */
struct om_metric {
	char name[96];  /* family name (counters end in _total) */
	double scale;   /* raw -> exported unit */
	bool counter;
};

static bool strip(char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n > k && !strcmp(s + n - k, suffix)) {
		s[n - k] = 0;
		return true;
	}
	return false;
}

/* the exported name of compare metric i; false when it is not exported */
static bool om_metric(size_t i, struct om_metric *m)
{
	const struct ctp_cmetric *cm = ctp_cmetric(i);
	char stem[80];
	const char *unit = "";
	if (!cm || cm->csection == CTP_CSEC_DERIVED || (cm->rule != CTP_CR_SUM && cm->rule != CTP_CR_MAX))
		return false;
	snprintf(stem, sizeof(stem), "%s", cm->name);
	m->counter = cm->monotonic;
	m->scale = 1;
	if (cm->field < 0) /* thread_count */
		snprintf(stem, sizeof(stem), "threads");
	switch (cm->ladder) {
	case CTP_LADDER_NS: strip(stem, "_ns"), unit = "_seconds", m->scale = 1e-9; break;
	case CTP_LADDER_US:
		if (!strip(stem, "_usec"))
			strip(stem, "_us");
		unit = "_seconds", m->scale = 1e-6;
		break;
	case CTP_LADDER_TICKS:
		if (!strip(stem, "_clock_ticks"))
			strip(stem, "_ticks");
		unit = "_seconds", m->scale = 1.0 / (double)ctp_clk_tck();
		break;
	case CTP_LADDER_BYTES: strip(stem, "_bytes"), unit = "_bytes"; break;
	default: break;
	}
	if (m->counter)
		strip(stem, "_total");
	snprintf(m->name, sizeof(m->name), "ctprof_%s%s%s", stem, unit, m->counter ? "_total" : "");
	return true;
}

/* a label value: \ " and newline escaped, invalid UTF-8 as U+FFFD */
static void om_label_value(struct ctp_buf *out, const char *s)
{
	struct ctp_buf u = CTP_BUF_INIT;
	ctp_utf8_lossy(s, strlen(s), &u);
	for (const char *p = u.buf; *p; p++) {
		if (*p == '\\' || *p == '"')
			ctp_buf_addch(out, '\\'), ctp_buf_addch(out, *p);
		else if (*p == '\n')
			ctp_buf_adds(out, "\\n");
		else
			ctp_buf_addch(out, *p);
	}
	ctp_buf_release(&u);
}

/* HELP text: \ and newline escaped */
static void om_help(struct ctp_buf *out, const char *name, const char *help, const char *type)
{
	ctp_buf_addf(out, "# HELP %s ", name);
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			ctp_buf_adds(out, "\\\\");
		else if (*p == '\n')
			ctp_buf_adds(out, "\\n");
		else
			ctp_buf_addch(out, *p);
	}
	ctp_buf_addf(out, "\n# TYPE %s %s\n", name, type);
}

/* a sample: name{labels} value; labels is "" or 'k="v",...' already escaped */
static void om_sample(struct ctp_buf *out, const char *name, const char *labels, double v)
{
	if (!isfinite(v))
		return;
	if (v == floor(v) && fabs(v) < 9007199254740992.0) /* integers exactly, the rest to 15 digits */
		ctp_buf_addf(out, "%s{%s} %.0f\n", name, labels, v);
	else
		ctp_buf_addf(out, "%s{%s} %.15g\n", name, labels, v);
}

/* ---------------------------------------------------------- exposition ---- */
static void group_labels(struct ctp_buf *out, const struct ctp_table *t, const struct ctp_row *r, const char *host)
{
	ctp_buf_adds(out, "group=\"");
	om_label_value(out, r->label);
	ctp_buf_addf(out, "\",axis=\"%s\",host=\"", ctp_axis_name(t->axis));
	om_label_value(out, host);
	ctp_buf_addch(out, '"');
}

static void om_groups(struct ctp_buf *out, const struct ctp_table *t, const char *host)
{
	struct ctp_buf *labels = ctp_xcalloc(t->nview ? t->nview : 1, sizeof(*labels));
	for (size_t v = 0; v < t->nview; v++) {
		labels[v] = (struct ctp_buf)CTP_BUF_INIT;
		group_labels(&labels[v], t, &t->rows[t->view[v]], host);
	}
	for (size_t i = 0; i < ctp_cmetric_primary_count(); i++) {
		struct om_metric m;
		if (!om_metric(i, &m))
			continue;
		om_help(out, m.name, ctp_cmetric(i)->help, m.counter ? "counter" : "gauge");
		for (size_t v = 0; v < t->nview; v++) {
			const struct ctp_cell *c = &t->rows[t->view[v]].cells[i];
			if (c->live_ok)
				om_sample(out, m.name, labels[v].buf, c->live * m.scale);
		}
	}
	for (size_t v = 0; v < t->nview; v++)
		ctp_buf_release(&labels[v]);
	free(labels);
}

static const struct ctp_psi_resource *psi_of(const struct ctp_psi *p, int r)
{
	return r == 0 ? &p->cpu : r == 1 ? &p->memory : r == 2 ? &p->io : &p->irq;
}

static void om_psi(struct ctp_buf *out, const struct ctp_psi *psi, const char *hl)
{
	static const char *const res[4] = { "cpu", "memory", "io", "irq" };
	bool any = false;
	for (int r = 0; r < 4; r++)
		any |= psi_of(psi, r)->some.total_usec || psi_of(psi, r)->full.total_usec;
	if (!any) /* no PSI on this host */
		return;
	for (int pass = 0; pass < 2; pass++) {
		const char *name = pass ? "ctprof_host_pressure_ratio" : "ctprof_host_pressure_stall_seconds_total";
		om_help(out, name, pass ? "host PSI average share of time stalled (/proc/pressure, avg10/60/300 as 0..1)"
					: "host PSI time stalled (/proc/pressure total)",
			pass ? "gauge" : "counter");
		for (int r = 0; r < 4; r++)
			for (int full = 0; full < 2; full++) {
				const struct ctp_psi_half *h = full ? &psi_of(psi, r)->full : &psi_of(psi, r)->some;
				char lb[160];
				if (!pass) {
					snprintf(lb, sizeof(lb), "resource=\"%s\",kind=\"%s\",%s", res[r], full ? "full" : "some", hl);
					om_sample(out, name, lb, (double)h->total_usec / 1e6);
					continue;
				}
				static const char *const win[3] = { "10s", "60s", "300s" };
				uint16_t avg[3] = { h->avg10, h->avg60, h->avg300 };
				for (int k = 0; k < 3; k++) {
					snprintf(lb, sizeof(lb), "resource=\"%s\",kind=\"%s\",window=\"%s\",%s", res[r],
						 full ? "full" : "some", win[k], hl);
					om_sample(out, name, lb, avg[k] / 10000.0);
				}
			}
	}
}

static int cg_by_usage(const void *a, const void *b, void *arg)
{
	const struct ctp_cgroup_stats *cg = arg;
	uint64_t x = cg[*(const size_t *)a].cpu.usage_usec, y = cg[*(const size_t *)b].cpu.usage_usec;
	return x < y ? 1 : x > y ? -1 : *(const size_t *)a < *(const size_t *)b ? -1 : 1; /* ties: path order */
}

/* per cgroup: the busiest limit ones by cpu usage */
static void om_cgroups(struct ctp_buf *out, const struct ctp_snapshot *s, size_t limit, const char *host)
{
	static const struct {
		const char *name, *help, *type;
	} fam[5] = {
		{ "ctprof_cgroup_cpu_usage_seconds_total", "cgroup cpu.stat usage_usec", "counter" },
		{ "ctprof_cgroup_cpu_throttled_seconds_total", "cgroup cpu.stat throttled_usec", "counter" },
		{ "ctprof_cgroup_cpu_throttled_periods_total", "cgroup cpu.stat nr_throttled", "counter" },
		{ "ctprof_cgroup_memory_bytes", "cgroup memory.current", "gauge" },
		{ "ctprof_cgroup_pids", "cgroup pids.current", "gauge" },
	};
	size_t n = s->ncgroups, *idx = ctp_xcalloc(n ? n : 1, sizeof(*idx));
	struct ctp_buf *lb = ctp_xcalloc(n ? n : 1, sizeof(*lb));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cg_by_usage, s->cgroups);
	if (limit && n > limit)
		n = limit;
	for (size_t i = 0; i < n; i++) {
		lb[i] = (struct ctp_buf)CTP_BUF_INIT;
		ctp_buf_adds(&lb[i], "cgroup=\"");
		om_label_value(&lb[i], s->cgroups[idx[i]].path);
		ctp_buf_adds(&lb[i], "\",host=\"");
		om_label_value(&lb[i], host);
		ctp_buf_addch(&lb[i], '"');
	}
	for (int f = 0; n && f < 5; f++) {
		om_help(out, fam[f].name, fam[f].help, fam[f].type);
		for (size_t i = 0; i < n; i++) {
			const struct ctp_cgroup_stats *c = &s->cgroups[idx[i]];
			double v = f == 0 ? c->cpu.usage_usec / 1e6 : f == 1 ? c->cpu.throttled_usec / 1e6
				 : f == 2 ? (double)c->cpu.nr_throttled : f == 3 ? (double)c->memory.current
				 : c->pids.current.set ? (double)c->pids.current.v : NAN;
			om_sample(out, fam[f].name, lb[i].buf, v);
		}
	}
	for (size_t i = 0; i < n; i++)
		ctp_buf_release(&lb[i]);
	free(lb);
	free(idx);
}

static void om_host_gauge(struct ctp_buf *out, const char *name, const char *help, const char *hl, double v)
{
	if (!isfinite(v))
		return;
	om_help(out, name, help, "gauge");
	om_sample(out, name, hl, v);
}

void ctp_om_write(struct ctp_buf *out, const struct ctp_snapshot *s, const struct ctp_table *t, const char *host,
		  double capture_s, size_t limit)
{
	struct ctp_buf hl = CTP_BUF_INIT;
	ctp_buf_adds(&hl, "host=\"");
	om_label_value(&hl, host ? host : "");
	ctp_buf_addch(&hl, '"');
	om_groups(out, t, host ? host : "");
	om_host_gauge(out, "ctprof_groups", "groups on the axis (-g) before the --limit cap", hl.buf, (double)t->nrows);
	om_host_gauge(out, "ctprof_groups_exported", "groups exported: at most --limit (500), in the sort order", hl.buf,
		      (double)t->nview);
	om_host_gauge(out, "ctprof_host_threads", "threads captured on the host", hl.buf, (double)s->nthreads);
	om_host_gauge(out, "ctprof_capture_duration_seconds", "how long ctprof-top's capture took", hl.buf,
		      capture_s >= 0 ? capture_s : NAN);
	om_host_gauge(out, "ctprof_capture_timestamp_seconds", "when the snapshot was captured (Unix time)", hl.buf,
		      s->captured_at_unix_ns ? (double)s->captured_at_unix_ns / 1e9 : NAN);
	om_psi(out, &s->psi, hl.buf);
	om_cgroups(out, s, limit, host ? host : "");
	ctp_buf_adds(out, "# EOF\n");
	ctp_buf_release(&hl);
}

/* ----------------------------------------------------------------- runs ---- */
static int om_opts(const struct ctp_options *o, struct ctp_compare_opts *co)
{
	struct ctp_err err = { 0 };
	char line[600];
	if (ctp_options_compare_opts(o, co, &err) < 0) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, line, sizeof(line)));
		return 2;
	}
	if (!o->sort_by) {
		co->sort.k[0].metric = ctp_cmetric_find("run_time_ns");
		co->sort.n = 1;
	}
	co->mode = CTP_DELTA_ABSOLUTE;
	co->limit = o->limit > 0 ? (size_t)o->limit : CTP_OM_DEFAULT_LIMIT;
	return 0;
}

/* the exposition of s into out; -1 after a message on a compare failure */
static int om_render(struct ctp_buf *out, const struct ctp_snapshot *s, const struct ctp_compare_opts *co,
		     const char *host, double capture_s)
{
	struct ctp_err err = { 0 };
	char line[600];
	struct ctp_table *t = ctp_compare(NULL, s, co, &err);
	if (!t) {
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, line, sizeof(line)));
		return -1;
	}
	ctp_om_write(out, s, t, host, capture_s, co->limit);
	ctp_table_free(t);
	return 0;
}

/* DIR for --textfile: a real directory (not a symlink to one); the fd, or -1 after a message */
static int open_textfile_dir(const char *dir)
{
	struct ctp_buf safe = CTP_BUF_INIT;
	struct stat st;
	/* O_NOFOLLOW | O_DIRECTORY on a symlink to a directory says ENOTDIR: lstat tells it apart */
	bool link = !lstat(dir, &st) && S_ISLNK(st.st_mode);
	int fd = link ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = link ? ELOOP : errno;
		ctp_sanitize_name(dir, strlen(dir), true, &safe);
		fprintf(stderr, "ctprof-top: --textfile: %s: %s\n", safe.buf,
			e == ELOOP ? "is a symlink (give the directory itself)"
			: e == ENOTDIR ? "not a directory" : strerror(e));
		ctp_buf_release(&safe);
	}
	return fd;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* one refresh: capture, render, write to stdout or DIR/ctprof.prom. 0 or 1 */
static int om_once(struct ctp_capture *cap, int dirfd, const struct ctp_options *o, const struct ctp_compare_opts *co,
		   const char *host)
{
	struct ctp_err err = { 0 };
	struct ctp_snapshot *s = NULL;
	struct ctp_buf out = CTP_BUF_INIT;
	char line[600];
	int rc = 0;
	double t0 = mono_s();
	if (ctp_capture_run(cap, &s, &err)) {
		fprintf(stderr, "ctprof-top: capture failed: %s\n", ctp_err_str(&err, line, sizeof(line)));
		return 1;
	}
	if (om_render(&out, s, co, host, mono_s() - t0) < 0) {
		rc = 1;
	} else if (dirfd >= 0) {
		if (ctp_save_file_at(dirfd, CTP_OM_FILE, o->textfile_dir, out.buf, out.len, 0644, &err) < 0) {
			fprintf(stderr, "ctprof-top: --textfile: %s\n", ctp_err_str(&err, line, sizeof(line)));
			rc = 1;
		}
	} else if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout)) {
		rc = 1;
	}
	ctp_buf_release(&out);
	ctp_snapshot_free(s);
	return rc;
}

int ctp_om_run(const struct ctp_options *o)
{
	struct ctp_compare_opts co;
	struct ctp_capture_opts copts;
	char host[256] = "";
	int rc = om_opts(o, &co), dirfd = -1;
	if (rc)
		return rc;
	if (o->textfile_dir && (dirfd = open_textfile_dir(o->textfile_dir)) < 0)
		return 2;
	gethostname(host, sizeof(host) - 1);
	ctp_options_capture_opts(o, &copts);
	struct ctp_capture *cap = ctp_capture_new(&copts);
	/* stdout: -n refreshes (1 by default); --textfile: forever unless -n */
	long n = o->iterations > 0 ? o->iterations : o->textfile_dir ? 0 : 1;
	for (long i = 1; rc == 0 && (n == 0 || i <= n); i++) {
		if (i > 1)
			sleep_s(o->interval_s > 0 ? o->interval_s : 1.0);
		rc = om_once(cap, dirfd, o, &co, host);
	}
	ctp_capture_free(cap);
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}

int ctp_om_show(const struct ctp_options *o)
{
	struct ctp_compare_opts co;
	struct ctp_err err = { 0 };
	struct ctp_snapshot *s = NULL;
	struct ctp_buf out = CTP_BUF_INIT;
	char line[600];
	int rc = om_opts(o, &co);
	if (rc)
		return rc;
	if (ctp_snapfile_load(o->show, &s, &err) < 0) {
		fprintf(stderr, "%s\n", ctp_err_str(&err, line, sizeof(line)));
		return 2;
	}
	rc = om_render(&out, s, &co, "", -1) < 0 ? 2 : 0;
	if (!rc && (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout)))
		rc = 1;
	ctp_buf_release(&out);
	ctp_snapshot_free(s);
	return rc;
}
