/* options.h — the parsed command line shared by every front-end mode (live, batch, offline
 * compare, show, capture). ui/cli/main.c fills it; the mode entry points only read it. */
#ifndef CTP_OPTIONS_H
#define CTP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ctp_capture_opts;
struct ctp_compare_opts;
struct ctp_err;

enum ctp_mode { CTP_MODE_LIVE, CTP_MODE_BATCH, CTP_MODE_CAPTURE, CTP_MODE_COMPARE, CTP_MODE_SHOW, CTP_MODE_RECORD };

struct ctp_options {
	enum ctp_mode mode;
	const char *baseline;     /* --baseline/-B FILE */
	const char *output;       /* -o FILE ("-" = stdout) */
	int save_mode;            /* --mode OCTAL for written snapshots; 0 = CTP_FILE_MODE_DEFAULT */
	const char *compare_a, *compare_b; /* --compare A B */
	const char *show;         /* --show FILE */
	double interval_s;        /* -d SECS, default 1.0 */
	bool interval_given;      /* -d was on the command line (--record's default is 10 s) */
	long iterations;          /* -n N (batch), 0 = forever */
	const char *group_by;     /* -g AXIS: pcomm|cgroup|comm|comm-exact|all (NULL = mode default) */
	const char *sort_by;      /* -s m1[:asc|desc],m2... */
	const char *filter;       /* --filter REGEX */
	const char *pids;         /* -p PID,... as given */
	uint32_t *pid_list;       /* -p parsed (owned by main) */
	size_t npid_list;
	pid_t pid;                /* --pid P (capture one process) */
	long limit;               /* --limit N rows, 0 = all, -1 = not given (--compare/--show: 500) */
	bool json;                /* --json */
	const char *columns;      /* live view column set name or metric list (config file) */
	bool no_color;            /* --no-color or NO_COLOR set */
	bool no_probe, no_taskstats;
	bool no_debuginfod; /* --no-debuginfod: the probe never asks DEBUGINFOD_URLS' servers */
	long max_kept_fds;        /* --max-kept-fds / config max_kept_fds: 0 = default, -1 = none */
	const char *proc_root, *sys_root, *cgroup_root; /* test roots */
	/* compare/show grouping knobs (ktstr ctprof compare flags); zero = ktstr defaults */
	const char *const *cgroup_flatten; /* --cgroup-flatten GLOB (repeatable), NULL-terminated or NULL */
	bool no_thread_normalize;          /* --no-thread-normalize */
	bool no_cg_normalize;              /* --no-cg-normalize */
	bool no_fudge;                     /* --no-fudge: all axis without orphan cgroup pairing */
	bool show_idle;                    /* live view: keep groups whose visible cells are all 0 or
	                                    * '-' (--show-idle, config hide_idle = false); default
	                                    * false = they are hidden */
	/* ktstr's display options of --compare/--show (report/ldisplay.h); NULL = not given */
	const char *display_format;        /* --display-format full|delta-only|no-pct|arrow|pct-only */
	const char *report_columns;        /* --columns NAME,... (the long layout's cells) */
	const char *sections;              /* --sections NAME,... */
	const char *metrics;               /* --metrics NAME,... */
	bool wrap;                         /* --wrap: fold cells to the terminal's width */
	bool hide_unchanged;               /* --hide-unchanged: --compare/--show text drops 0 -> 0 and
	                                    * - -> - rows (config hide_unchanged) */
	bool spread;                       /* --spread: per-thread spread in batch (issue 17) */
	bool wchan;                        /* --wchan: wait channels of S/D threads in batch (issue 17) */
	bool no_exits;                     /* --no-exits: -b without the taskstats exit listener */
	/* window baselines, recording, replay (-B A,B / DIR[@range] is baseline's text) */
	double window_s;                   /* -o FILE --window SECS: FILE, then its .end partner SECS
	                                    * later (recording.h); 0 = one file */
	const char *record_dir;            /* --record DIR (mode RECORD) */
	const char *record_max_size;       /* --record-max-size SIZE as given (NULL = 512 MiB) */
	const char *record_max_age;        /* --record-max-age SECS as given (NULL = no age limit) */
	const char *replay;                /* --replay DIR[@START..END]: the live view over a recording */
	long smooth;                       /* --smooth K: live rates over the last K refreshes; 0 = 1 */
	long history;                      /* --history N: samples kept to step back through; 0 = the
	                                    * default (60), -1 = none */
	/* regression gate and fleet export */
	const char *fail_if;               /* --fail-if RULES */
	const char *fail_if_file;          /* --fail-if-file FILE */
	const char *format;                /* --format text|json|openmetrics as given (NULL = text) */
	const char *textfile_dir;          /* --textfile DIR: ctprof.prom every -d seconds */
};

/* a usage or input error on stderr: "ctprof-top: " and fmt, whose one %s is arg escaped for the
 * terminal (controls, bidi overrides), then "Try 'ctprof-top --help'." when try_help. Returns 2,
 * the exit status of bad usage */
int ctp_cli_error(const char *fmt, const char *arg, bool try_help) __attribute__((format(printf, 1, 0)));

/* the capture settings every mode derives from the options (roots, pid filters, sources) */
void ctp_options_capture_opts(const struct ctp_options *o, struct ctp_capture_opts *co);
/* the compare settings every mode derives from the options: axis (-g), sort keys (-s), --filter
 * (checked here, so a bad regex stops a mode before any I/O) and the cgroup knobs; mode, limit
 * and a default sort are each mode's own. 0, or -1 with err filled */
int ctp_options_compare_opts(const struct ctp_options *o, struct ctp_compare_opts *co, struct ctp_err *err);

#endif
