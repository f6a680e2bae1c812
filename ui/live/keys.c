/* keys.c — the one key table of the live view ({key, action, help}, after tmux's notes per
 * binding). Lookup, the help screen and the bottom function bar all walk these rows. */
#include "live/keys.h"

#include <curses.h>

#define CTRL(c) ((c) & 0x1f)

static const struct ctp_key keys[] = {
	{ KEY_F(1), "F1", CTP_ACT_HELP, "Help", "show this help" },
	{ 'h', "h", CTP_ACT_HELP, NULL, NULL },
	{ '?', "?", CTP_ACT_HELP, NULL, NULL },
	{ '/', "/", CTP_ACT_FILTER, "Filter", "filter groups: an extended regex, any case (the rule of --filter)" },
	{ KEY_F(4), "F4", CTP_ACT_FILTER, NULL, NULL },
	{ '\\', "\\", CTP_ACT_FILTER_CLEAR, NULL, "clear the filter" },
	{ 'g', "g", CTP_ACT_GROUP_CYCLE, "Group", "cycle grouping: pcomm, cgroup, comm, comm-exact, all" },
	{ '>', ">", CTP_ACT_SORT_NEXT, "Sort", "sort by the next column (or click a column header); with a base, the default order (largest change) is one stop" },
	{ KEY_F(6), "F6", CTP_ACT_SORT_NEXT, NULL, NULL },
	{ '<', "<", CTP_ACT_SORT_PREV, NULL, "sort by the previous column" },
	{ 'I', "I", CTP_ACT_SORT_INVERT, NULL, "invert the sort order" },
	{ 'm', "m", CTP_ACT_MODE, "Mode", "cycle mode: vs baseline, rates, since start, absolute" },
	{ '\n', "Enter", CTP_ACT_ENTER, "Threads", "drill into the selected group's threads (exact per-thread deltas)" },
	{ KEY_ENTER, "Enter", CTP_ACT_ENTER, NULL, NULL },
	{ '\r', "Enter", CTP_ACT_ENTER, NULL, NULL },
	{ 27, "Esc", CTP_ACT_BACK, NULL, "back to the previous view" },
	{ KEY_BACKSPACE, "Bksp", CTP_ACT_BACK, NULL, NULL },
	{ 'd', "d", CTP_ACT_DETAIL, "Detail", "every metric of the selected group: baseline | live | delta | %" },
	{ 'z', "z", CTP_ACT_IDLE, NULL, "show / hide idle groups (every visible cell 0 or -; hidden by default, --show-idle)" },
	{ 'a', "a", CTP_ACT_ALL_ROWS, NULL, "detail view: show / hide the unchanged rows (0 -> 0, - -> -; hidden by default)" },
	{ '1', "1", CTP_ACT_COLSET1, NULL, "column sets 1 to 6" },
	{ '2', "2", CTP_ACT_COLSET2, NULL, NULL },
	{ '3', "3", CTP_ACT_COLSET3, NULL, NULL },
	{ '4', "4", CTP_ACT_COLSET4, NULL, NULL },
	{ '5', "5", CTP_ACT_COLSET5, NULL, NULL },
	{ '6', "6", CTP_ACT_COLSET6, NULL, NULL },
	{ 'c', "c", CTP_ACT_COLUMNS, NULL, "column chooser" },
	{ KEY_F(2), "F2", CTP_ACT_COLUMNS, NULL, NULL },
	{ 'C', "C", CTP_ACT_CGROUPS, NULL, "cgroup view (cpu.stat, memory, pids, PSI per cgroup)" },
	{ 'H', "H", CTP_ACT_HOST, NULL, "host view (host context, baseline vs live)" },
	{ 's', "s", CTP_ACT_SAVE, "Save", "save the current sample to a .ctprof.zst file" },
	{ 'S', "S", CTP_ACT_SAVE_SETTINGS, NULL, "save settings (interval, grouping, sort, columns, colour, idle groups) to the config file" },
	{ 'b', "b", CTP_ACT_LOAD_BASELINE, "Base", "load another baseline: a file, or a window as -B takes it (A,B, FILE with its .end, DIR[@START..END])" },
	{ 'B', "B", CTP_ACT_REBASE, NULL, "the current sample (or the past one on screen) becomes the baseline" },
	{ 'w', "w", CTP_ACT_SMOOTH, NULL, "live rates over the last 1, 5 or 10 refreshes (rates and window modes)" },
	{ ',', ",", CTP_ACT_STEP_BACK, NULL, "history / replay: one sample back (capture goes on)" },
	{ '.', ".", CTP_ACT_STEP_FWD, NULL, "one sample forward" },
	{ '(', "(", CTP_ACT_STEP_BACK10, NULL, "ten samples back" },
	{ ')', ")", CTP_ACT_STEP_FWD10, NULL, "ten samples forward" },
	{ 'L', "L", CTP_ACT_LIVE, NULL, "back to the newest sample (live)" },
	{ '@', "@", CTP_ACT_JUMP, NULL, "jump to a time (HH:MM[:SS] UTC) in the history or the replay" },
	{ '[', "[", CTP_ACT_MARK_START, NULL, "mark the sample on screen as a window baseline's start" },
	{ ']', "]", CTP_ACT_MARK_END, NULL, "mark it as the end: rate vs base rate against any later sample" },
	{ ' ', "Space", CTP_ACT_PAUSE, "Pause", "pause / resume sampling" },
	{ 'Z', "Z", CTP_ACT_PAUSE, NULL, NULL },
	{ '+', "+", CTP_ACT_SLOWER, NULL, "longer refresh interval" },
	{ '-', "-", CTP_ACT_FASTER, NULL, "shorter refresh interval" },
	{ CTRL('l'), "^L", CTP_ACT_REDRAW, NULL, "redraw the screen" },
	{ KEY_UP, "Up", CTP_ACT_UP, NULL, "move the selection" },
	{ 'k', "k", CTP_ACT_UP, NULL, NULL },
	{ KEY_DOWN, "Down", CTP_ACT_DOWN, NULL, NULL },
	{ 'j', "j", CTP_ACT_DOWN, NULL, NULL },
	{ KEY_PPAGE, "PgUp", CTP_ACT_PGUP, NULL, "page up / down" },
	{ CTRL('b'), "^B", CTP_ACT_PGUP, NULL, NULL },
	{ KEY_NPAGE, "PgDn", CTP_ACT_PGDN, NULL, NULL },
	{ CTRL('f'), "^F", CTP_ACT_PGDN, NULL, NULL },
	{ KEY_HOME, "Home", CTP_ACT_HOME, NULL, "first / last row" },
	{ KEY_END, "End", CTP_ACT_END, NULL, NULL },
	{ KEY_LEFT, "Left", CTP_ACT_LEFT, NULL, "scroll columns left / right" },
	{ KEY_RIGHT, "Right", CTP_ACT_RIGHT, NULL, NULL },
	{ KEY_MOUSE, "click", CTP_ACT_MOUSE, NULL, "click a column header to sort by it, a row to select it" },
	{ 'q', "q", CTP_ACT_QUIT, "Quit", "quit" },
	{ KEY_F(10), "F10", CTP_ACT_QUIT, NULL, NULL },
};

enum ctp_action ctp_keys_lookup(int key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].key == key)
			return keys[i].action;
	return CTP_ACT_NONE;
}

const struct ctp_key *ctp_keys_table(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}
