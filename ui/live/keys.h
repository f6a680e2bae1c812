/* keys.h — the key table of the live view: each row is {key, action, bar label, help}, and the
 * same rows feed key lookup, the help screen and the function bar, so they cannot drift. */
#ifndef CTP_KEYS_H
#define CTP_KEYS_H

#include <stddef.h>

enum ctp_action {
	CTP_ACT_NONE,
	CTP_ACT_QUIT,
	CTP_ACT_HELP,
	CTP_ACT_SORT_PREV,
	CTP_ACT_SORT_NEXT,
	CTP_ACT_SORT_INVERT,
	CTP_ACT_GROUP_CYCLE,
	CTP_ACT_FILTER,
	CTP_ACT_FILTER_CLEAR,
	CTP_ACT_ENTER,
	CTP_ACT_BACK,
	CTP_ACT_DETAIL,
	CTP_ACT_MODE,
	CTP_ACT_COLSET1,
	CTP_ACT_COLSET2,
	CTP_ACT_COLSET3,
	CTP_ACT_COLSET4,
	CTP_ACT_COLSET5,
	CTP_ACT_COLSET6,
	CTP_ACT_COLUMNS,
	CTP_ACT_PAUSE,
	CTP_ACT_FASTER,
	CTP_ACT_SLOWER,
	CTP_ACT_CGROUPS,
	CTP_ACT_HOST,
	CTP_ACT_REDRAW,
	CTP_ACT_SAVE,
	CTP_ACT_SAVE_SETTINGS,
	CTP_ACT_LOAD_BASELINE,
	CTP_ACT_REBASE,
	CTP_ACT_IDLE,
	CTP_ACT_ALL_ROWS,
	CTP_ACT_UP,
	CTP_ACT_DOWN,
	CTP_ACT_PGUP,
	CTP_ACT_PGDN,
	CTP_ACT_HOME,
	CTP_ACT_END,
	CTP_ACT_LEFT,
	CTP_ACT_RIGHT,
	CTP_ACT_MOUSE,
	CTP_ACT_SMOOTH,
	CTP_ACT_STEP_BACK,
	CTP_ACT_STEP_FWD,
	CTP_ACT_STEP_BACK10,
	CTP_ACT_STEP_FWD10,
	CTP_ACT_LIVE,
	CTP_ACT_JUMP,
	CTP_ACT_MARK_START,
	CTP_ACT_MARK_END,
	CTP_NACTIONS
};

struct ctp_key {
	int key;            /* curses key code or character */
	const char *name;   /* how the help screen spells the key */
	enum ctp_action action;
	const char *bar;    /* function bar label, NULL = not on the bar */
	const char *help;   /* one line for the help screen; NULL = alias of the row above */
};

/* action bound to a key, CTP_ACT_NONE if unbound */
enum ctp_action ctp_keys_lookup(int key);
/* the whole table (borrowed, static) */
const struct ctp_key *ctp_keys_table(size_t *n);

#endif
