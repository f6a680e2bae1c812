/* actions.c — the global actions of the live view (actions.h): the prompts for a save path, a
 * baseline file and the filter; saving the sample (a full capture, through the session) and the
 * settings (config file, comments kept); and the setting keys, each through the session,
 * answered with a reaction. */
#include "live/actions.h"

#include <stdio.h>
#include <time.h>

#include "cli/config.h"
#include "live/prompt.h"

/* a prompt ended by a signal quits; otherwise the screen is redrawn whole */
static struct ctp_reaction after_prompt(enum ctp_prompt_rc rc)
{
	return ctp_react(rc == CTP_PROMPT_INTERRUPTED ? CTP_REACT_QUIT : CTP_REACT_REDRAW);
}

static struct ctp_reaction save_sample(struct ctp_session *s)
{
	if (!s->live || s->pending_save) { /* refused before asking: the session says why */
		ctp_session_save(s, NULL);
		return ctp_react(CTP_REACT_HANDLED);
	}
	char def[64], path[1024];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(def, sizeof(def), "ctprof-%Y%m%d-%H%M%S.ctprof.zst", &tm);
	enum ctp_prompt_rc rc = ctp_prompt("save to: ", def, path, sizeof(path));
	if (rc != CTP_PROMPT_OK || !path[0]) {
		ctp_session_msg(s, false, "save cancelled");
		return after_prompt(rc);
	}
	ctp_session_save(s, path);
	return after_prompt(rc);
}

/* b: the file loads on its own thread (the session takes the result); one load at a time */
static struct ctp_reaction ask_baseline(struct ctp_session *s)
{
	char path[1024];
	if (s->loading) { /* refused before asking: the message names the file still loading */
		ctp_session_start_load(s, NULL);
		return ctp_react(CTP_REACT_HANDLED);
	}
	enum ctp_prompt_rc rc = ctp_prompt("baseline file: ", s->baseline_path ? s->baseline_path : "", path, sizeof(path));
	if (rc != CTP_PROMPT_OK || !path[0])
		ctp_session_msg(s, false, "baseline unchanged");
	else
		ctp_session_start_load(s, path);
	return after_prompt(rc);
}

static struct ctp_reaction filter_prompt(struct ctp_session *s)
{
	char f[256];
	enum ctp_prompt_rc rc = ctp_prompt("filter (regex, any case): ", s->filter ? ctp_filter_pattern(s->filter) : "",
					   f, sizeof(f));
	if (rc != CTP_PROMPT_OK)
		return after_prompt(rc);
	ctp_session_set_filter(s, f);
	return ctp_react(CTP_REACT_REBUILD); /* top.c redraws the whole screen after a rebuild too */
}

/* S: interval, grouping, sort ("" = the default order), columns, colour and hide_idle go to the
 * config file (comments kept) */
static void save_settings(struct ctp_session *s)
{
	struct ctp_config c;
	struct ctp_err err = { 0 };
	struct ctp_buf path = CTP_BUF_INIT;
	char eb[600];
	ctp_config_init(&c);
	c.interval_s = s->interval_s;
	snprintf(c.group_by, sizeof(c.group_by), "%s", ctp_axis_name(s->axis));
	if (s->sort_col >= 0)
		snprintf(c.sort_by, sizeof(c.sort_by), "%s:%s", ctp_cmetric((size_t)s->sort_col)->name,
			 s->sort_desc ? "desc" : "asc");
	ctp_columns_format(&s->cols, c.columns, sizeof(c.columns));
	c.color = !s->opts->no_color;
	c.hide_idle = !s->show_idle;
	c.set = CTP_CFG_INTERVAL | CTP_CFG_GROUP_BY | CTP_CFG_SORT_BY | CTP_CFG_COLUMNS | CTP_CFG_COLOR | CTP_CFG_HIDE_IDLE;
	if (ctp_config_save(&c, &err) < 0)
		ctp_session_msg(s, true, "cannot save settings: %s", ctp_err_str(&err, eb, sizeof(eb)));
	else if (ctp_config_path(&path) == 0)
		ctp_session_msg(s, false, "settings saved to %s", path.buf);
	ctp_buf_release(&path);
}

/* @: a UTC time on the day of the sample on screen; the last sample at or before it */
static struct ctp_reaction jump_prompt(struct ctp_session *s)
{
	char t[64];
	enum ctp_prompt_rc rc = ctp_prompt("jump to (HH:MM[:SS] UTC): ", "", t, sizeof(t));
	if (rc != CTP_PROMPT_OK || !t[0] || !s->live)
		return after_prompt(rc);
	unsigned hh, mm, ss = 0;
	char extra;
	int n = sscanf(t, "%u:%u:%u%c", &hh, &mm, &ss, &extra);
	if ((n != 2 && n != 3) || hh > 23 || mm > 59 || ss > 60) {
		ctp_session_msg(s, true, "jump: '%s' is not HH:MM[:SS]", t);
		return after_prompt(rc);
	}
	uint64_t day = s->live->captured_at_unix_ns / 1000000000ull / 86400 * 86400;
	uint64_t when = (day + hh * 3600ull + mm * 60ull + ss) * 1000000000ull + 999999999ull;
	ctp_session_jump(s, when);
	return ctp_react(CTP_REACT_REBUILD); /* redraws the whole screen too */
}

/* , . ( ) L [ ]: the position in the history ring or the recording */
static struct ctp_reaction stepping(struct ctp_session *s, enum ctp_action a)
{
	bool moved;
	switch (a) {
	case CTP_ACT_STEP_BACK: moved = ctp_session_step(s, -1); break;
	case CTP_ACT_STEP_FWD: moved = ctp_session_step(s, 1); break;
	case CTP_ACT_STEP_BACK10: moved = ctp_session_step(s, -10); break;
	case CTP_ACT_STEP_FWD10: moved = ctp_session_step(s, 10); break;
	case CTP_ACT_LIVE: moved = ctp_session_step(s, 0); break;
	case CTP_ACT_MARK_START: moved = ctp_session_mark(s, false); break;
	case CTP_ACT_MARK_END: moved = ctp_session_mark(s, true); break;
	default: return ctp_react(CTP_REACT_IGNORED);
	}
	return ctp_react(moved ? CTP_REACT_REBUILD : CTP_REACT_HANDLED);
}

/* the keys that change a setting and need every view rebuilt, or just a message */
static struct ctp_reaction setting(struct ctp_session *s, enum ctp_action a)
{
	switch (a) {
	case CTP_ACT_FILTER_CLEAR:
		ctp_session_set_filter(s, NULL);
		ctp_session_msg(s, false, "filter cleared");
		return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_MODE: ctp_session_cycle_mode(s); return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_IDLE: ctp_session_toggle_idle(s); return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_SMOOTH: ctp_session_cycle_smooth(s); return ctp_react(CTP_REACT_REBUILD);
	case CTP_ACT_PAUSE: ctp_session_toggle_pause(s); break;
	case CTP_ACT_FASTER: ctp_session_step_interval(s, -1); break;
	case CTP_ACT_SLOWER: ctp_session_step_interval(s, +1); break;
	case CTP_ACT_SAVE_SETTINGS: save_settings(s); break;
	case CTP_ACT_REBASE: return ctp_react(ctp_session_rebase(s) ? CTP_REACT_REBUILD : CTP_REACT_HANDLED);
	default: return stepping(s, a);
	}
	return ctp_react(CTP_REACT_HANDLED);
}

struct ctp_reaction ctp_action_run(struct ctp_session *s, enum ctp_action a)
{
	switch (a) {
	case CTP_ACT_QUIT: return ctp_react(CTP_REACT_QUIT);
	case CTP_ACT_BACK: return ctp_react(CTP_REACT_POP);
	case CTP_ACT_REDRAW: return ctp_react(CTP_REACT_REDRAW);
	case CTP_ACT_HELP: return ctp_react_push(ctp_view_help_new());
	case CTP_ACT_CGROUPS: return ctp_react_push(ctp_view_cgroups_new());
	case CTP_ACT_HOST: return ctp_react_push(ctp_view_host_new());
	case CTP_ACT_COLUMNS: return ctp_react_push(ctp_view_columns_new());
	case CTP_ACT_FILTER: return filter_prompt(s);
	case CTP_ACT_SAVE: return save_sample(s);
	case CTP_ACT_LOAD_BASELINE: return ask_baseline(s);
	case CTP_ACT_JUMP: return jump_prompt(s);
	default: return setting(s, a);
	}
}
