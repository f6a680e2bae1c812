/* config.h — the user's ctprof-top settings file ($XDG_CONFIG_HOME/ctprof-top/config, else
 * ~/.config/ctprof-top/config): hand-editable `key = value` lines, `#` comments. Loading never
 * fails on bad content: each malformed line becomes one "file:line: message" warning (which
 * never quotes the line) and is ignored. Saving rewrites values in place, keeps comments and
 * unknown lines, and is atomic. Only a trusted file is read or rewritten: a regular file, not a
 * symlink, owned by the effective user or root, not group/world-writable, one hard link. */
#ifndef CTP_CONFIG_H
#define CTP_CONFIG_H

#include <stdbool.h>

#include "cli/options.h"
#include "base/util.h"

/* bits of ctp_config.set: which keys the file gave (the rest are defaults) */
enum {
	CTP_CFG_INTERVAL = 1 << 0,
	CTP_CFG_GROUP_BY = 1 << 1,
	CTP_CFG_SORT_BY = 1 << 2,
	CTP_CFG_COLUMNS = 1 << 3,
	CTP_CFG_COLOR = 1 << 4,
	CTP_CFG_HIDE_IDLE = 1 << 5,
	CTP_CFG_HIDE_UNCHANGED = 1 << 6,
	CTP_CFG_MAX_KEPT_FDS = 1 << 7,
	CTP_CFG_DISPLAY_FORMAT = 1 << 8,
	CTP_CFG_COMPARE_COLUMNS = 1 << 9,
	CTP_CFG_WRAP = 1 << 10,
};

#define CTP_CFG_INTERVAL_MIN 0.05 /* the same range as -d */
#define CTP_CFG_INTERVAL_MAX 3600.0

/* plain value object: no heap, copy freely, nothing to release */
struct ctp_config {
	double interval_s;  /* refresh interval (-d), CTP_CFG_INTERVAL_MIN..MAX; default 1.0 */
	char group_by[16];  /* pcomm | cgroup | comm | comm-exact | all (-g); default "pcomm" */
	char sort_by[256];  /* "m1[:asc|desc],m2" as -s; "" = ktstr default order; default "" */
	char columns[512];  /* a column set (sched cpu memory io delays jemalloc) or a comma list
	                     * of metric names; default "sched" */
	bool color;         /* default true; NO_COLOR / --no-color still win at run time */
	bool hide_idle;     /* live view hides groups with nothing to show (key z); default true */
	bool hide_unchanged; /* --compare/--show text drops 0 -> 0 and - -> - rows; default false */
	long max_kept_fds;  /* live loop's kept fds (--max-kept-fds), 0 = none, at most
	                     * CTP_FDCACHE_CAP_MAX; default CTP_FDCACHE_CAP_DEFAULT (1024) */
	/* --compare/--show text (ktstr's display options); a file without them keeps ktstr's defaults */
	char display_format[16];   /* --display-format: full|delta-only|no-pct|arrow|pct-only */
	char compare_columns[128]; /* --columns of the long layout: group,threads,metric,... */
	bool wrap;                 /* --wrap */
	unsigned set;       /* CTP_CFG_* bits of the keys the loaded file set */
};

/* the defaults above; set = 0 */
void ctp_config_init(struct ctp_config *c);

/* the config path: $XDG_CONFIG_HOME/ctprof-top/config when XDG_CONFIG_HOME is set, non-empty
 * and absolute, else $HOME/.config/ctprof-top/config. Appends to out (not reset); -1 when
 * neither variable is usable. */
int ctp_config_path(struct ctp_buf *out);

/* init c, then read the file at ctp_config_path(). A missing file (or no usable path) is not an
 * error: c keeps the defaults. Bad lines append "path:line: message\n" to warnings (may be NULL)
 * and are ignored; the path is escaped for a terminal. Returns 0, or -1 (with one warning, the
 * file ignored) when the file exists but cannot be read or is not trusted (see above). */
int ctp_config_load(struct ctp_config *c, struct ctp_buf *warnings);
/* same for an explicit path; a missing file is still 0 with defaults */
int ctp_config_load_file(struct ctp_config *c, const char *path, struct ctp_buf *warnings);
/* parse text (len n) into c without resetting it first; name labels warnings ("name:line: ...") */
void ctp_config_parse(struct ctp_config *c, const char *text, size_t n, const char *name,
		      struct ctp_buf *warnings);

/* copies the keys the file set into o: interval_s, group_by, sort_by (pointers into c, which
 * must outlive o), no_color (color = off), show_idle (hide_idle = false), hide_unchanged and
 * max_kept_fds (0 becomes the options' -1, none).
 * Call it before parsing the command line so that options override the file. columns has no
 * option; the live view reads c->columns itself. */
void ctp_config_to_options(const struct ctp_config *c, struct ctp_options *o);

/* render c as a config file into out (appended). old (may be NULL) is the existing file: its
 * comments, blank, unknown and malformed lines are kept verbatim, each known key's line gets the
 * new value, keys it lacks are appended at the end. */
void ctp_config_format(const struct ctp_config *c, const char *old, size_t oldlen, struct ctp_buf *out);

/* write c to ctp_config_path() (creating the directories), keeping the old file's comments and
 * permission bits; atomic (temp file + rename). The directories are walked one by one and
 * created without following a symlink unless it sits in a directory only root or the effective
 * user can change. An existing file that is not trusted is neither read nor replaced: -1.
 * 0, or -1 with err filled. */
int ctp_config_save(const struct ctp_config *c, struct ctp_err *err);
int ctp_config_save_file(const struct ctp_config *c, const char *path, struct ctp_err *err);

#endif
