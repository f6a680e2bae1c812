/* batchloop.c — batch mode `ctprof-top -b [-n N] [-d SECS] [--json]`: samples the host like the
 * live view and prints each refresh as a text table (top -b style) or JSON lines, comparing
 * against the baseline file (-B), a window baseline (-B A,B: rate vs baseline rate) or the
 * previous sample (per-second rates). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/batch.h"
#include "cli/colsets.h"
#include "report/batchloop.h"
#include "report/verdict.h"
#include "capture/capture.h"
#include "snapshot/snapfile.h"
#include "base/jsonw.h"
#include "report/jsonl.h"
#include "report/winreport.h"

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int fail(const char *what, const struct ctp_err *err)
{
	char line[600];
	fprintf(stderr, "ctprof-top: %s%s\n", what, ctp_err_str(err, line, sizeof(line)));
	return err->code == CTP_E_JSON || err->code == CTP_E_FORMAT || err->code == CTP_E_IO || err->code == CTP_E_ARG ? 2 : 1;
}

static int setup_compare(const struct ctp_options *o, struct ctp_compare_opts *co, struct ctp_err *err)
{
	if (ctp_options_compare_opts(o, co, err) < 0)
		return -1;
	if (!o->sort_by) {
		co->sort.k[0].metric = ctp_cmetric_find("run_time_ns");
		co->sort.n = 1;
	}
	co->limit = o->limit > 0 ? (size_t)o->limit : 0;
	co->mode = o->baseline ? CTP_DELTA_BASELINE : CTP_DELTA_RATE;
	/* between two live samples, sum exact per-thread deltas: a thread born or exited in the
	 * interval must not swing its group by its whole lifetime */
	co->tid_deltas = !o->baseline;
	co->window_derived = true; /* ratios and means over the window, as the live view */
	return 0;
}

/* the reference of a sample: "interval 1.00s" (the previous sample), or with -B the time since
 * the baseline was captured ("since baseline 42.3s", "12m03s", "3h07m", "2d05h"; "?" when the
 * file's clock is ahead or missing) */
static void span_text(double s, bool since_base, char *buf, size_t len)
{
	long long v = (long long)s;
	if (!since_base)
		snprintf(buf, len, "interval %.2fs", s);
	else if (!(s >= 0))
		snprintf(buf, len, "since baseline ?");
	else if (s < 60)
		snprintf(buf, len, "since baseline %.1fs", s);
	else if (s < 3600)
		snprintf(buf, len, "since baseline %lldm%02llds", v / 60, v % 60);
	else if (s < 86400)
		snprintf(buf, len, "since baseline %lldh%02lldm", v / 3600, v % 3600 / 60);
	else
		snprintf(buf, len, "since baseline %lldd%02lldh", v / 86400, v % 86400 / 3600);
}

/* the end of a text header: the kernel gates off (their metrics print '-') and the newline */
static void print_gates_off(const struct ctp_snapshot *live)
{
	const char *hint;
	for (int g = 0; g < CTP_NGATES; g++)
		if ((hint = ctp_snapshot_gate_off(live, g)))
			printf(*hint ? "  %s off (%s)" : "  %s off", ctp_gate_label(g), hint);
	putchar('\n');
}

static void print_sample_header(const struct ctp_snapshot *live, long index, double elapsed, bool since_base,
				bool json)
{
	if (json) {
		char el[32] = "null";
		if (isfinite(elapsed))
			snprintf(el, sizeof(el), "%.3f", elapsed);
		printf("{\"table\":\"sample\",\"index\":%ld,\"captured_at_unix_ns\":%llu,\"elapsed_s\":%s,\"threads\":%zu",
		       index, (unsigned long long)live->captured_at_unix_ns, el, live->nthreads);
		if (live->exits_lost) /* the kernel dropped exit records (ENOBUFS) */
			printf(",\"exits_lost\":%llu", (unsigned long long)live->exits_lost);
		printf("}\n");
		return;
	}
	time_t now = (time_t)(live->captured_at_unix_ns / 1000000000u);
	char when[32], span[48];
	span_text(elapsed, since_base, span, sizeof(span));
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
	printf("ctprof-top batch  %s  sample %ld  %s  %zu threads", when, index, span, live->nthreads);
	if (live->exits_lost)
		printf("  exit records lost (%llu overflows)", (unsigned long long)live->exits_lost);
	print_gates_off(live);
}

/* issue 17: kernel switches flipped between the sides — text: one line naming them; JSON:
 * {"table":"notice","gates_turned_on":[...],"gates_turned_off":[...]}; nothing when none */
static void print_gate_notice(const struct ctp_table *t, bool json)
{
	struct ctp_buf b = CTP_BUF_INIT;
	if (!(t->gates_turned_on | t->gates_turned_off))
		return;
	ctp_buf_adds(&b, json ? "{\"table\":\"notice\"" : "note:");
	for (int on = 1; on >= 0; on--) {
		unsigned bits = on ? t->gates_turned_on : t->gates_turned_off;
		bool any = false;
		if (!bits)
			continue;
		ctp_buf_addf(&b, json ? ",\"gates_turned_%s\":[" : " ", on ? "on" : "off");
		for (int g = 1; g < CTP_NGATES; g++)
			if ((bits & (1u << g)) && *ctp_gate_label(g)) {
				ctp_buf_addf(&b, json ? "%s\"%s\"" : "%s%s", any ? (json ? "," : "/") : "", ctp_gate_label(g));
				any = true;
			}
		if (json)
			ctp_buf_addch(&b, ']');
		else
			ctp_buf_addf(&b, " %s in the baseline, %s now: its columns read %s, not a change;", on ? "off" : "on",
				     on ? "on" : "off", on ? "off\u2192on" : "on\u2192off");
	}
	ctp_buf_adds(&b, json ? "}\n" : "\n");
	fwrite(b.buf, 1, b.len, stdout);
	ctp_buf_release(&b);
}

static int print_refresh(const struct ctp_snapshot *base, const struct ctp_snapshot *live, long index,
			 const struct ctp_options *o, struct ctp_compare_opts *co, const struct ctp_batch_style *st,
			 const struct ctp_failgate *gate)
{
	struct ctp_err err = { 0 };
	double elapsed = base && base->captured_mono_ns && live->captured_mono_ns > base->captured_mono_ns
				 ? (double)(live->captured_mono_ns - base->captured_mono_ns) / 1e9
				 : 0;
	if (o->baseline) /* a loaded file has no monotonic time: the wall clocks, NAN when unknown */
		elapsed = base->captured_at_unix_ns && live->captured_at_unix_ns >= base->captured_at_unix_ns
				  ? (double)(live->captured_at_unix_ns - base->captured_at_unix_ns) / 1e9
				  : NAN;
	co->elapsed_s = isfinite(elapsed) ? elapsed : 0;
	struct ctp_table *t = ctp_compare(base, live, co, &err);
	if (!t)
		return fail("", &err);
	print_sample_header(live, index, elapsed, o->baseline != NULL, o->json);
	print_gate_notice(t, o->json);
	int rc = ctp_batch_print_table(stdout, t, o->json, st);
	if (!rc)
		rc = ctp_failgate_report(stdout, gate, t, o->json); /* -B with --fail-if: 3 when a rule trips */
	if (!o->json)
		putchar('\n');
	fflush(stdout);
	ctp_table_free(t);
	return rc == CTP_EXIT_TRIPPED ? rc : rc ? 1 : 0;
}

/* ------------------------------------------------------ window baseline ---- */
/* -B A,B, -B BASE with its .end partner, -B DIR[@START..END]: two files, rate vs baseline rate */
struct winbase {
	struct ctp_basespec spec;
	struct ctp_window w; /* w.a NULL: no window (a single-file -B, or none) */
};

static void winbase_release(struct winbase *wb)
{
	ctp_window_release(&wb->w);
	ctp_basespec_release(&wb->spec);
}

/* resolves -B SPEC: a window into wb, a single file (today's -B FILE) into *base; on failure
 * wb is released */
static int load_baseline(const char *spec, struct winbase *wb, struct ctp_snapshot **base, struct ctp_err *err)
{
	int rc = ctp_basespec_resolve(spec, &wb->spec, err);
	if (rc == 0)
		rc = !wb->spec.b ? ctp_snapfile_load(wb->spec.a, base, err)
				 : ctp_window_load(wb->spec.a, wb->spec.b, &wb->w, err);
	if (rc < 0)
		winbase_release(wb);
	return rc;
}

/* "window baseline A .. B (Δt s) vs live rate over the last N s"; JSON: the sample line with
 * window_s, base_window_s, baseline_a and baseline_b */
static void print_window_header(const struct winbase *wb, const struct ctp_table *t, const struct ctp_snapshot *live,
				long index, bool json)
{
	struct ctp_buf b = CTP_BUF_INIT;
	const struct ctp_basespec *sp = &wb->spec;
	char note[96] = "";
	if (json) {
		bool first = true;
		ctp_buf_addch(&b, '{');
		ctp_jl_str(&b, &first, "table", "sample");
		ctp_jl_num(&b, &first, "index", true, (double)index);
		ctp_json_key(&b, &first, "captured_at_unix_ns"); /* u64: past a double's integers */
		ctp_buf_addf(&b, "%llu", (unsigned long long)live->captured_at_unix_ns);
		ctp_jl_num(&b, &first, "elapsed_s", true, t->elapsed_s);
		ctp_jl_num(&b, &first, "threads", true, (double)live->nthreads);
		ctp_jl_num(&b, &first, "window_s", true, t->elapsed_s);
		ctp_jl_num(&b, &first, "base_window_s", true, t->base_window_s);
		ctp_jl_str(&b, &first, "baseline_a", sp->a);
		ctp_jl_str(&b, &first, "baseline_b", sp->b);
		ctp_buf_adds(&b, "}\n");
		fwrite(b.buf, 1, b.len, stdout);
		ctp_buf_release(&b);
		return;
	}
	time_t now = (time_t)(live->captured_at_unix_ns / 1000000000u);
	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
	if (sp->b_found)
		snprintf(note, sizeof(note), ".end partner found");
	else if (sp->from_dir)
		snprintf(note, sizeof(note), "recording samples %zu..%zu of %zu", sp->first + 1, sp->last + 1, sp->count);
	ctp_window_text(sp->a, sp->b, t->base_window_s, note[0] ? note : NULL, &b);
	printf("ctprof-top batch  %s  sample %ld  window baseline %s vs live rate over the last %.2fs  %zu threads", when,
	       index, b.buf, t->elapsed_s, live->nthreads);
	ctp_buf_release(&b);
	print_gates_off(live);
}

/* a refresh against a window baseline: the live window is the previous refresh -> this one */
static int print_window(const struct winbase *wb, const struct ctp_snapshot *prev, const struct ctp_snapshot *live,
			long index, const struct ctp_options *o, const struct ctp_compare_opts *co,
			const struct ctp_batch_style *st, const struct ctp_failgate *gate)
{
	struct ctp_err err = { 0 };
	struct ctp_window lw = { prev, live };
	struct ctp_table *t = ctp_compare_window(&wb->w, &lw, co, &err);
	if (!t)
		return fail("", &err);
	print_window_header(wb, t, live, index, o->json);
	int rc = ctp_batch_print_table(stdout, t, o->json, st);
	if (!rc)
		rc = ctp_failgate_report(stdout, gate, t, o->json); /* rules on Δ/s and percent */
	if (!o->json)
		putchar('\n');
	fflush(stdout);
	ctp_table_free(t);
	return rc == CTP_EXIT_TRIPPED ? rc : rc ? 1 : 0;
}

int ctp_batch_run(const struct ctp_options *o)
{
	struct ctp_err err = { 0 };
	struct ctp_compare_opts co;
	struct ctp_snapshot *base = NULL, *prev = NULL, *live = NULL;
	struct winbase wb = { 0 };
	struct ctp_failgate gate;
	if (setup_compare(o, &co, &err))
		return fail("", &err);
	if (ctp_failgate_open(o, co.axis, &gate))
		return 2;
	if (o->baseline && load_baseline(o->baseline, &wb, &base, &err)) {
		ctp_failgate_close(&gate);
		return fail("", &err);
	}
	int cols[512], sort[CTP_SORT_MAX]; /* --metrics, the config's columns, the sort metric */
	size_t ncols;
	for (size_t i = 0; i < co.sort.n; i++)
		sort[i] = co.sort.k[i].metric;
	if (ctp_columns_pick_batch(o->metrics, o->columns, sort, co.sort.n, cols, CTP_ARRAY_SIZE(cols), &ncols, &err)) {
		ctp_failgate_close(&gate);
		winbase_release(&wb);
		ctp_snapshot_free(base);
		return fail("", &err);
	}
	struct ctp_batch_style st = { .color = !o->json && ctp_batch_want_color(stdout, o->no_color),
				      .limit = co.limit, .columns = cols, .ncolumns = ncols };
	struct ctp_capture_opts copts;
	ctp_options_capture_opts(o, &copts);
	copts.exits = !o->baseline && !o->no_exits; /* rates between samples: the threads gone in between */
	copts.wchan = o->wchan;
	struct ctp_capture *cap = ctp_capture_new(&copts);
	if (copts.exits && !copts.no_taskstats && !ctp_capture_status(cap)->exits) /* once, on stderr */
		fprintf(stderr, "ctprof-top: no taskstats exit records (%s): threads that exit between samples are not counted\n",
			strerror(ctp_capture_status(cap)->exits_errno ? ctp_capture_status(cap)->exits_errno : ENOSYS));
	long iterations = o->iterations > 0 ? o->iterations : 1;
	int rc = 0, tripped = 0;
	if (!base && ctp_capture_run(cap, &prev, &err)) {
		rc = fail("capture failed: ", &err);
		goto out;
	}
	for (long i = 1; i <= iterations && rc == 0; i++) {
		if (!base || i > 1)
			sleep_seconds(o->interval_s > 0 ? o->interval_s : 1.0);
		if (ctp_capture_run(cap, &live, &err)) {
			rc = fail("capture failed: ", &err);
			break;
		}
		rc = wb.w.a ? print_window(&wb, prev, live, i, o, &co, &st, &gate)
			    : print_refresh(base ? base : prev, live, i, o, &co, &st, &gate);
		if (rc == CTP_EXIT_TRIPPED) /* the exit status says a rule tripped in any sample */
			tripped = rc, rc = 0;
		ctp_snapshot_free(prev);
		prev = live;
		live = NULL;
	}
out:
	ctp_failgate_close(&gate);
	ctp_capture_free(cap);
	ctp_snapshot_free(prev);
	ctp_snapshot_free(base);
	winbase_release(&wb);
	return rc ? rc : tripped;
}
