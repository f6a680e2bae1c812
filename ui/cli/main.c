/* main.c — ctprof-top's command line: parses options into struct ctp_options and dispatches
 * to the mode (live view, batch, capture to a file, offline compare, show). The only place
 * that prints usage and picks exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/batch.h"
#include "report/batchloop.h"
#include "report/metriclist.h"
#include "report/openmetrics.h"
#include "capture/capture.h"
#include "capture/fdcache.h"
#include "probe/probe.h"
#include "cli/config.h"
#include "base/format.h"
#include "cli/options.h"
#include "cli/record.h"
#include "snapshot/snapfile.h"
#include "live/replay.h"
#include "live/top.h"
#include "live/winbase.h"

#ifndef CTP_VERSION
#define CTP_VERSION "0.0.0"
#endif

enum long_only {
	OPT_COMPARE = 256, OPT_SHOW, OPT_PID, OPT_JSON, OPT_FILTER, OPT_NO_PROBE, OPT_NO_TASKSTATS,
	OPT_PROC_ROOT, OPT_SYS_ROOT, OPT_CGROUP_ROOT, OPT_NO_COLOR, OPT_LIMIT, OPT_MODE, OPT_METRIC_LIST,
	OPT_SHOW_IDLE, OPT_HIDE_UNCHANGED, OPT_SHOW_UNCHANGED, OPT_MAX_KEPT_FDS, OPT_SPREAD, OPT_WCHAN, OPT_NO_EXITS,
	OPT_WINDOW, OPT_RECORD, OPT_RECORD_MAX_SIZE, OPT_RECORD_MAX_AGE, OPT_REPLAY, OPT_SMOOTH, OPT_HISTORY,
	OPT_FAIL_IF, OPT_FAIL_IF_FILE, OPT_FORMAT, OPT_TEXTFILE,
	OPT_CGROUP_FLATTEN, OPT_NO_THREAD_NORMALIZE, OPT_NO_CG_NORMALIZE, OPT_DISPLAY_FORMAT, OPT_COLUMNS,
	OPT_SECTIONS, OPT_METRICS, OPT_WRAP,
	OPT_NO_DEBUGINFOD,
};

static const struct option long_opts[] = {
	{ "baseline", required_argument, NULL, 'B' },
	{ "output", required_argument, NULL, 'o' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "group-by", required_argument, NULL, 'g' },
	{ "sort-by", required_argument, NULL, 's' },
	{ "pids", required_argument, NULL, 'p' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "show-idle", no_argument, NULL, OPT_SHOW_IDLE },
	{ "hide-unchanged", no_argument, NULL, OPT_HIDE_UNCHANGED },
	{ "show-unchanged", no_argument, NULL, OPT_SHOW_UNCHANGED },
	{ "spread", no_argument, NULL, OPT_SPREAD },
	{ "wchan", no_argument, NULL, OPT_WCHAN },
	{ "no-exits", no_argument, NULL, OPT_NO_EXITS },
	{ "no-probe", no_argument, NULL, OPT_NO_PROBE },
	{ "no-debuginfod", no_argument, NULL, OPT_NO_DEBUGINFOD },
	{ "no-taskstats", no_argument, NULL, OPT_NO_TASKSTATS },
	{ "max-kept-fds", required_argument, NULL, OPT_MAX_KEPT_FDS },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
	{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT },
	{ "metric-list", no_argument, NULL, OPT_METRIC_LIST },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "record-max-size", required_argument, NULL, OPT_RECORD_MAX_SIZE },
	{ "record-max-age", required_argument, NULL, OPT_RECORD_MAX_AGE },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "smooth", required_argument, NULL, OPT_SMOOTH },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
	{ "fail-if-file", required_argument, NULL, OPT_FAIL_IF_FILE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	{ "cgroup-flatten", required_argument, NULL, OPT_CGROUP_FLATTEN },
	{ "no-thread-normalize", no_argument, NULL, OPT_NO_THREAD_NORMALIZE },
	{ "no-cg-normalize", no_argument, NULL, OPT_NO_CG_NORMALIZE },
	{ "display-format", required_argument, NULL, OPT_DISPLAY_FORMAT },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "sections", required_argument, NULL, OPT_SECTIONS },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "wrap", no_argument, NULL, OPT_WRAP },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("usage: ctprof-top [options]                 live per-thread view\n"
	      "       ctprof-top -B FILE                   live view, deltas vs a baseline snapshot\n"
	      "       ctprof-top -b -B A,B|DIR[@S..E]      batch: rates vs a window baseline's rates\n"
	      "       ctprof-top -o FILE [--pid P]         capture one snapshot to FILE ('-' = stdout)\n"
	      "       ctprof-top -o FILE --window SECS     FILE, then FILE's .end partner SECS later\n"
	      "       ctprof-top --record DIR [-d SECS]    a snapshot every SECS (10) into DIR\n"
	      "       ctprof-top --compare A B             compare two snapshots offline\n"
	      "       ctprof-top --compare A1,A2 B1,B2     compare the rates of two windows offline\n"
	      "       ctprof-top --show FILE               print one snapshot grouped\n"
	      "       ctprof-top -b [-n N] [-d SECS]       batch: N refreshes as text on stdout\n"
	      "\n"
	      "options:\n"
	      "  -B, --baseline FILE    baseline snapshot for the live view ('-' = stdin); A,B, FILE\n"
	      "                         with FILE.end, DIR[@START..END]: a window baseline (rates)\n"
	      "  -o, --output FILE      capture a snapshot and exit\n"
	      "      --pid PID          with -o: capture one process only\n"
	      "      --mode OCTAL       permissions of a written snapshot (default 0600 as root)\n"
	      "      --window SECS      with -o: also capture the window's end SECS later\n"
	      "      --record DIR       save a snapshot per interval as DIR/<UTC time>.ctprof.zst\n"
	      "      --record-max-size SIZE  remove the oldest recorded files past SIZE (512M)\n"
	      "      --record-max-age SECS   remove recorded files older than SECS (or 30m, 12h, 7d)\n"
	      "  -d, --delay SECS       refresh interval (default 1.0)\n"
	      "  -n, --iterations N     with -b: number of refreshes (default 1 after the first sample)\n"
	      "  -g, --group-by AXIS    pcomm | cgroup | comm | comm-exact | all\n"
	      "  -s, --sort-by SPEC     metric[:asc|desc][,metric...]\n"
	      "      --metric-list      list the metric names, units, rules and help, then exit\n"
	      "  -p, --pids PID,...     only these processes\n"
	      "      --filter REGEX     only groups whose name matches (extended regex, any case)\n"
	      "      --limit N          at most N rows\n"
	      "      --json             JSON output (compare, show, batch)\n"
	      "      --format FMT       text | json | openmetrics (-b, --show: Prometheus text, # EOF)\n"
	      "      --textfile DIR     with -b: write DIR/ctprof.prom atomically every -d SECS\n"
	      "      --fail-if RULES    --compare, -b -B: exit 3 when a rule trips (run_time_ns:+25%,\n"
	      "                         nr_migrations:x2, avg_wait_ns:+1ms[:min=V][@pcomm=GLOB])\n"
	      "      --fail-if-file FILE  the rules one a line ('#' comments)\n"
	      "      --show-idle        live view: also list groups with nothing to show (key z)\n"
	      "      --hide-unchanged   compare/show text: drop rows that are 0 -> 0 or - -> -\n"
	      "      --show-unchanged   keep them (over the config's hide_unchanged = true)\n"
	      "      --spread           -b: min, p50, p90, max, imbalance of per-thread deltas per group\n"
	      "      --wchan            what sleeping threads wait on: -b top channel, detail view rows\n"
	      "      --no-exits         -b: no taskstats exit records (threads gone between samples)\n"
	      "      --display-format F compare text: full | delta-only | no-pct | arrow (default) | pct-only\n"
	      "      --columns LIST     compare/show text cells: group,threads,metric,baseline,candidate,\n"
	      "                         delta,%,arrow (compare), value (show), tags, uptime\n"
	      "      --sections LIST    compare/show: only these tables (primary, taskstats-delay, derived,\n"
	      "                         cgroup-stats, cgroup-limits, memory-stat, memory-events, pressure,\n"
	      "                         host-pressure, smaps-rollup, sched-ext, host)\n"
	      "      --metrics LIST     compare/show: only these metrics' rows (primary, derived)\n"
	      "      --wrap             compare/show text on a terminal: fold cells to its width\n"
	      "      --cgroup-flatten GLOB  collapse matching cgroup paths to GLOB (repeatable)\n"
	      "      --no-thread-normalize  group by literal pcomm/comm (smaps by pcomm[pid])\n"
	      "      --no-cg-normalize  group by literal cgroup paths (after --cgroup-flatten)\n"
	      "      --no-color         no colours (also when NO_COLOR is set)\n"
	      "      --no-probe         do not read jemalloc counters (no ptrace)\n"
	      "      --no-debuginfod    the probe never asks DEBUGINFOD_URLS' servers for debug files\n"
	      "      --no-taskstats     do not query taskstats (delay accounting)\n"
	      "      --max-kept-fds N   fds kept open between refreshes (default 1024, 0 = none)\n"
	      "      --proc-root DIR, --sys-root DIR, --cgroup-root DIR   read another tree (tests)\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          print the version\n"
	      "\n"
	      "exit status: 0 success, 1 runtime failure, 2 bad usage or unreadable/invalid input,\n"
	      "             3 a --fail-if rule tripped\n",
	      f);
}

/* fmt has one %s: arg, escaped for the terminal */
static int bad_usage(const char *fmt, const char *arg)
{
	return ctp_cli_error(fmt, arg, true);
}

/* --mode: octal permission bits 1..0777 */
static int parse_mode(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 8);
	if (s[0] < '0' || s[0] > '7' || errno || *end || v < 1 || v > 0777)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_long(const char *s, long min, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return -1;
	*out = v;
	return 0;
}

/* "12,345" -> o->pid_list; -1 on a bad entry */
static int parse_pid_list(struct ctp_options *o)
{
	char *dup = ctp_xstrdup(o->pids), *save = NULL;
	size_t n = 0;
	o->pid_list = ctp_xcalloc(strlen(o->pids) / 2 + 1, sizeof(*o->pid_list));
	for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (parse_long(tok, 1, &v) || v > INT32_MAX) {
			free(dup);
			return -1;
		}
		o->pid_list[n++] = (uint32_t)v;
	}
	free(dup);
	o->npid_list = n;
	return n ? 0 : -1;
}

/* an option taking a number: -1 when parsed, 2 when bad (said), 0 when c is not one */
static int number_opt(int c, struct ctp_options *o)
{
	long v;
	char *end;
	switch (c) {
	case 'n':
		if (parse_long(optarg, 1, &o->iterations))
			return bad_usage("-n: '%s' is not a positive count", optarg);
		break;
	case 'd':
		o->interval_s = strtod(optarg, &end);
		if (end == optarg || *end || !(o->interval_s >= 0.05 && o->interval_s <= 3600))
			return bad_usage("-d: '%s' is not an interval between 0.05 and 3600 seconds", optarg);
		o->interval_given = true;
		break;
	case OPT_PID:
		if (parse_long(optarg, 1, &v))
			return bad_usage("--pid: '%s' is not a process id", optarg);
		o->pid = (pid_t)v;
		break;
	case OPT_MODE:
		if (parse_mode(optarg, &o->save_mode))
			return bad_usage("--mode: '%s' is not a file mode (octal, 1 to 0777)", optarg);
		break;
	case OPT_LIMIT:
		if (parse_long(optarg, 0, &o->limit))
			return bad_usage("--limit: '%s' is not a count", optarg);
		break;
	case OPT_MAX_KEPT_FDS:
		if (parse_long(optarg, 0, &v) || v > CTP_FDCACHE_CAP_MAX)
			return bad_usage("--max-kept-fds: '%s' is not a count of fds (0 to 1048576)", optarg);
		o->max_kept_fds = v ? v : -1;
		break;
	case OPT_WINDOW:
		o->window_s = strtod(optarg, &end);
		if (end == optarg || *end || !(o->window_s >= 0.05 && o->window_s <= 86400))
			return bad_usage("--window: '%s' is not a duration between 0.05 and 86400 seconds", optarg);
		break;
	case OPT_SMOOTH:
		if (parse_long(optarg, 1, &o->smooth) || o->smooth > 600)
			return bad_usage("--smooth: '%s' is not a count of refreshes (1 to 600)", optarg);
		break;
	case OPT_HISTORY:
		if (parse_long(optarg, 0, &v) || v > 100000)
			return bad_usage("--history: '%s' is not a count of samples (0 to 100000)", optarg);
		o->history = v ? v : -1;
		break;
	default: return 0;
	}
	return -1;
}

/* --cgroup-flatten is repeatable: a NULL-terminated list (freed by main) */
static void add_flatten(struct ctp_options *o, const char *glob)
{
	size_t k = 0;
	while (o->cgroup_flatten && o->cgroup_flatten[k])
		k++;
	const char **globs = ctp_xrealloc((void *)o->cgroup_flatten, (k + 2) * sizeof(*globs));
	globs[k] = glob;
	globs[k + 1] = NULL;
	o->cgroup_flatten = globs;
}

/* an option that sets a string or a flag: false when c is not one */
static bool plain_opt(int c, struct ctp_options *o)
{
	switch (c) {
	case 'B': o->baseline = optarg; break;
	case 'o': o->output = optarg; o->mode = CTP_MODE_CAPTURE; break;
	case 'b': o->mode = CTP_MODE_BATCH; break;
	case 'g': o->group_by = optarg; break;
	case 's': o->sort_by = optarg; break;
	case 'p': o->pids = optarg; break;
	case OPT_SHOW: o->show = optarg; o->mode = CTP_MODE_SHOW; break;
	case OPT_FILTER: o->filter = optarg; break;
	case OPT_JSON: o->json = true; break;
	case OPT_NO_COLOR: o->no_color = true; break;
	case OPT_SHOW_IDLE: o->show_idle = true; break;
	case OPT_HIDE_UNCHANGED: o->hide_unchanged = true; break;
	case OPT_SHOW_UNCHANGED: o->hide_unchanged = false; break;
	case OPT_SPREAD: o->spread = true; break;
	case OPT_WCHAN: o->wchan = true; break;
	case OPT_NO_EXITS: o->no_exits = true; break;
	case OPT_NO_PROBE: o->no_probe = true; break;
	case OPT_NO_DEBUGINFOD: o->no_debuginfod = true; break;
	case OPT_NO_TASKSTATS: o->no_taskstats = true; break;
	case OPT_PROC_ROOT: o->proc_root = optarg; break;
	case OPT_SYS_ROOT: o->sys_root = optarg; break;
	case OPT_CGROUP_ROOT: o->cgroup_root = optarg; break;
	case OPT_RECORD: o->record_dir = optarg; o->mode = CTP_MODE_RECORD; break;
	case OPT_RECORD_MAX_SIZE: o->record_max_size = optarg; break;
	case OPT_RECORD_MAX_AGE: o->record_max_age = optarg; break;
	case OPT_REPLAY: o->replay = optarg; break;
	case OPT_FAIL_IF: o->fail_if = optarg; break;
	case OPT_FAIL_IF_FILE: o->fail_if_file = optarg; break;
	case OPT_FORMAT: o->format = optarg; break;
	case OPT_TEXTFILE: o->textfile_dir = optarg; break;
	case OPT_CGROUP_FLATTEN: add_flatten(o, optarg); break;
	case OPT_NO_THREAD_NORMALIZE: o->no_thread_normalize = true; break;
	case OPT_NO_CG_NORMALIZE: o->no_cg_normalize = true; break;
	case OPT_DISPLAY_FORMAT: o->display_format = optarg; break;
	case OPT_COLUMNS: o->report_columns = optarg; break;
	case OPT_SECTIONS: o->sections = optarg; break;
	case OPT_METRICS: o->metrics = optarg; break;
	case OPT_WRAP: o->wrap = true; break;
	default: return false;
	}
	return true;
}

/* options that go only with others: -1 when fine, else 2 (said) */
static int check_combinations(struct ctp_options *o)
{
	if (o->iterations && o->mode != CTP_MODE_BATCH)
		return bad_usage("-n needs -b%s", "");
	if (o->pid && o->mode != CTP_MODE_CAPTURE)
		return bad_usage("--pid goes with -o FILE%s", "");
	if (o->window_s > 0 && o->mode != CTP_MODE_CAPTURE)
		return bad_usage("--window goes with -o FILE%s", "");
	if (o->record_dir && (o->mode != CTP_MODE_RECORD || o->output))
		return bad_usage("--record DIR goes without -o, -b, --compare and --show%s", "");
	if (o->replay && o->mode != CTP_MODE_LIVE)
		return bad_usage("--replay DIR opens the live view: it goes without -o, -b, --compare, --show and --record%s", "");
	if ((o->record_max_size || o->record_max_age) && !o->record_dir)
		return bad_usage("--record-max-size and --record-max-age go with --record DIR%s", "");
	if (o->mode == CTP_MODE_COMPARE && !strcmp(o->compare_a, "-") && !strcmp(o->compare_b, "-"))
		return bad_usage("--compare: standard input can be read only once; give '-' for one file at most%s", "");
	if (o->pids && parse_pid_list(o))
		return bad_usage("-p: '%s' is not a list of process ids", o->pids);
	const char *why = ctp_export_check(o); /* --format, --textfile, --fail-if */
	if (why)
		return bad_usage("%s", why);
	return -1;
}

/* returns -1 to continue, else an exit status */
static int parse_args(int argc, char **argv, struct ctp_options *o)
{
	int c, rc;
	char opt[3] = "-?";
	opterr = 0; /* our own messages: getopt's would print argv unescaped */
	while ((c = getopt_long(argc, argv, ":B:o:bn:d:g:s:p:hV", long_opts, NULL)) != -1) {
		if (plain_opt(c, o))
			continue;
		if ((rc = number_opt(c, o)) != 0) {
			if (rc > 0)
				return rc;
			continue;
		}
		switch (c) {
		case OPT_COMPARE:
			if (optind >= argc)
				return bad_usage("--compare needs two files%s", "");
			o->compare_a = optarg;
			o->compare_b = argv[optind++];
			o->mode = CTP_MODE_COMPARE;
			break;
		case OPT_METRIC_LIST: return ctp_metric_list_print(stdout) ? 1 : 0;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ctprof-top %s\n", CTP_VERSION); return 0;
		case ':': /* the option was the last word: optind is past it */
			return bad_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			opt[1] = (char)optopt;
			return bad_usage("unrecognized option '%s'", optopt ? opt : argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	return check_combinations(o);
}

/* the live view reads keys from a terminal and draws on one, in the foreground: without that
 * (stdin at EOF or a pipe, output to a file, a background job) it would wait or spin, so it is
 * refused at once. 0 to go on, else the exit status after one line on stderr */
static int live_needs_terminal(const struct ctp_options *o)
{
	const char *why = "";
	struct ctp_compare_opts co;
	struct ctp_err err = { 0 };
	char line[2400];
	if (ctp_options_compare_opts(o, &co, &err) < 0) { /* a bad -g/-s/--filter first, as batch says it */
		fprintf(stderr, "ctprof-top: %s\n", ctp_err_str(&err, line, sizeof(line)));
		return 2;
	}
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		pid_t fg = tcgetpgrp(STDIN_FILENO); /* -1: not our controlling terminal; fine */
		if (fg < 0 || fg == getpgrp())
			return 0;
		why = " (this is a background job)";
	} else if (o->replay) { /* a recording that cannot be replayed is named */
		struct ctp_replay *r = ctp_replay_open(o->replay, &err);
		ctp_replay_free(r);
		if (!r) {
			fprintf(stderr, "ctprof-top: cannot replay: %s\n", ctp_err_str(&err, line, sizeof(line)));
			return 2;
		}
	} else if (o->baseline && !strcmp(o->baseline, "-")) {
		why = " (-B - takes standard input, which the live view needs for keys)";
	} else if (o->baseline) { /* a bad baseline (file, window) is still named, as the live view would */
		struct ctp_livebase lb;
		int rc = ctp_livebase_load(o->baseline, &lb, &err);
		ctp_livebase_release(&lb);
		if (rc < 0) {
			fprintf(stderr, "ctprof-top: cannot load baseline: %s\n", ctp_err_str(&err, line, sizeof(line)));
			return 2;
		}
	}
	fprintf(stderr, "ctprof-top: the live view needs a terminal (standard input and output); "
			"use -b for batch output%s\n", why);
	return 2;
}

static int run_mode(struct ctp_options *o)
{
	const char *nc = getenv("NO_COLOR"); /* read here only: no-color.org, present and non-empty */
	if (nc && *nc)
		o->no_color = true;
	switch (o->mode) {
	case CTP_MODE_CAPTURE: return ctp_capture_to_file(o);
	case CTP_MODE_COMPARE: return ctp_batch_compare(o);
	case CTP_MODE_SHOW: return ctp_om_wanted(o) ? ctp_om_show(o) : ctp_batch_show(o);
	case CTP_MODE_BATCH: return ctp_om_wanted(o) ? ctp_om_run(o) : ctp_batch_run(o);
	case CTP_MODE_RECORD: return ctp_record_run(o);
	case CTP_MODE_LIVE: break;
	}
	int rc = live_needs_terminal(o);
	return rc ? rc : ctp_top_run(o);
}

int main(int argc, char **argv)
{
	struct ctp_options o = { .mode = CTP_MODE_LIVE, .interval_s = 1.0, .limit = -1 };
	setlocale(LC_CTYPE, ""); /* character widths for column alignment; numbers stay C */
#ifdef __GLIBC__
	/* big arrays (a snapshot's threads, ~750 bytes each) from mmap, back to the kernel when
	 * freed: glibc's sliding threshold would move them into the heap, which keeps every peak.
	 * One arena: the sampler's strings, freed by the UI thread, are reused by both threads
	 * instead of holding a second arena's free space (~0.3 MB at 2,000 threads) */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_ARENA_MAX, 1);
#endif
	/* the config file sets defaults; options override it. static: o points into it */
	static struct ctp_config cfg;
	struct ctp_buf warnings = CTP_BUF_INIT;
	ctp_config_load(&cfg, &warnings);
	if (warnings.len)
		fprintf(stderr, "%s", warnings.buf);
	ctp_buf_release(&warnings);
	ctp_config_to_options(&cfg, &o);
	if (cfg.set & CTP_CFG_COLUMNS)
		o.columns = cfg.columns;
	int rc = parse_args(argc, argv, &o);
	ctp_probe_debuginfod_default(!o.no_debuginfod);
	/* the config's group_by is the live view's: offline compare/show keep ktstr's defaults */
	if ((o.mode == CTP_MODE_COMPARE || o.mode == CTP_MODE_SHOW) && o.group_by == cfg.group_by)
		o.group_by = NULL;
	if (o.mode == CTP_MODE_SHOW && o.report_columns == cfg.compare_columns) /* compare's cells */
		o.report_columns = NULL;
	if (rc < 0)
		rc = run_mode(&o);
	free(o.pid_list);
	free((void *)o.cgroup_flatten);
	return rc;
}
