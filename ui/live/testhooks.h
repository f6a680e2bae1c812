/* testhooks.h — seams the tmux tests use to take timing out of their checks. The shipped
 * ctprof-top defines none of them: they are weak, so their address is NULL and they are never
 * called. The test build ($(O)/tests/ctprof-top-hooks) links tests/ui/hooks.c, which defines them. */
#ifndef CTP_TESTHOOKS_H
#define CTP_TESTHOOKS_H

#include <stdint.h>

/* the sampler thread, after each capture (a test makes captures slow) */
void ctp_hook_after_capture(void) __attribute__((weak));
/* the sampler thread, before each capture: the plan it applies (a test logs it) */
void ctp_hook_before_capture(uint32_t plan) __attribute__((weak));
/* the baseline loader thread, before it reads the file (a test holds the load back) */
void ctp_hook_before_load(void) __attribute__((weak));

#endif
