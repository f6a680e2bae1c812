#!/bin/bash
# t_nocolor.sh — NO_COLOR=1 and --no-color: the pane carries no SGR colour codes (capture-pane -e)
# but keeps reverse/bold; without them the colour scheme is on (so the check can fail).
. "${CTP_SRCDIR:-.}/tests/ui/lib.sh"
ui_init
# count of SGR sequences that set a foreground/background colour (30-38, 40-48, 90-97, 100-107)
colour_sgr() {
	tmux_ capture-pane -p -e | perl -ne '
		while (/\e\[([0-9;:]*)m/g) {
			my @p = split /[;:]/, $1;
			for (my $i = 0; $i < @p; $i++) {
				my $v = $p[$i];
				if ($v =~ /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/) { $n++; last }
			}
		}
		END { print $n + 0, "\n" }'
}
has_reverse() { tmux_ capture-pane -p -e | grep -q $'\e\\[[0-9;]*7[;m]'; }

ui_start "-d 0.5" 120 40
ui_wait "run_time_ns/s" 10 >/dev/null
check "with colours: colour codes present (the check can fail)" test "$(colour_sgr)" -gt 0
ui_keys q; ui_wait_exit 5 >/dev/null

ui_start "-d 0.5" 120 40 NO_COLOR=1
check "NO_COLOR: view drawn" ui_wait "run_time_ns/s" 10
check "NO_COLOR: no colour codes" test "$(colour_sgr)" = 0
check "NO_COLOR: header still in reverse video" has_reverse
ui_keys h; ui_wait "show this help" 3 >/dev/null
check "NO_COLOR: help has no colour codes" test "$(colour_sgr)" = 0
ui_keys Escape q
check "NO_COLOR: exits 0" test "$(ui_wait_exit 5)" = 0

ui_start "-d 0.5 --no-color" 120 40
check "--no-color: view drawn" ui_wait "run_time_ns/s" 10
check "--no-color: no colour codes" test "$(colour_sgr)" = 0
ui_keys q
check "--no-color: exits 0" test "$(ui_wait_exit 5)" = 0

ui_start "-d 0.5" 120 40 TERM=vt100
check "monochrome terminal (vt100): view drawn" ui_wait "GROUP(pcomm)" 10
check "vt100: no colour codes" test "$(colour_sgr)" = 0
ui_keys q
check "vt100: exits 0" test "$(ui_wait_exit 5)" = 0
done_testing
