/* t_wchan.c — what threads wait on (issue 17 item 3): the channel text of a thread's files
 * (running "0" is none, compiler suffixes cut, a D thread's syscall), a group's histogram per
 * side from snapshot.wchan (most threads first, ties by name, share of the sleeping), the top
 * text with the baseline's share beside, nothing when not asked or not captured. */
#include <stdlib.h>
#include <string.h>

#include "capture/wchan.h"
#include "cmp_fixture.h"
#include "tap.h"

static bool text_is(const char *w, const char *sc, bool d, const char *want)
{
	char *got = ctp_wchan_text(w, strlen(w), sc, sc ? strlen(sc) : 0, d);
	bool same = want ? got && !strcmp(got, want) : !got;
	if (!same)
		diag("'%s' -> '%s', want '%s'", w, got ? got : "(null)", want ? want : "(null)");
	free(got);
	return same;
}

static void text(void)
{
	ok(text_is("futex_do_wait", NULL, false, "futex_do_wait"), "a plain channel");
	ok(text_is("0", NULL, false, NULL) && text_is("", NULL, false, NULL), "\"0\" and empty: running, none");
	ok(text_is("poll_schedule_timeout.constprop.0", NULL, false, "poll_schedule_timeout"), "suffix cut");
	ok(text_is("io_schedule", "0 0x3 0x7ffd 0x10", true, "io_schedule (D, syscall 0)"), "D: the syscall number");
	ok(text_is("io_schedule", "running", true, "io_schedule (D)"), "D without a syscall number");
}

/* a snapshot of group g: n threads, channels given (NULL = running / not S) */
static struct ctp_snapshot *snap(const char *const *ch, size_t n)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	for (size_t i = 0; i < n; i++)
		fx_thread(s, 100 + (uint32_t)i, 100, "g", "g", "/");
	s->wchan = ctp_xcalloc(n, sizeof(*s->wchan));
	for (size_t i = 0; i < n; i++)
		s->wchan[i] = ch[i] ? ctp_xstrdup(ch[i]) : NULL;
	return s;
}

static void histogram(void)
{
	const char *const base[] = { "futex_do_wait", "ep_poll", "ep_poll", "ep_poll", "ep_poll", NULL };
	const char *const live[] = { "futex_do_wait", "futex_do_wait", "futex_do_wait", "ep_poll", "hrtimer_nanosleep", NULL };
	struct ctp_snapshot *b = snap(base, 6), *l = snap(live, 6);
	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.waits = true;
	struct ctp_table *t = ctp_compare(b, l, &o, &err);
	const struct ctp_row *r = fx_row(t, "g");
	ok(r && r->waits && r->waits[1].ok && r->waits[1].sleeping == 5 && r->waits[1].n == 3, "live: 5 sleeping, 3 channels");
	if (r && r->waits && r->waits[1].n == 3) {
		const struct ctp_waits *w = &r->waits[1];
		ok(!strcmp(w->v[0].name, "futex_do_wait") && w->v[0].threads == 3 && !strcmp(w->v[1].name, "ep_poll") &&
			   !strcmp(w->v[2].name, "hrtimer_nanosleep"),
		   "most threads first, ties by name");
	}
	char buf[128];
	check_str(ctp_waits_top_text(r, buf, sizeof(buf)), "futex_do_wait 60% (base 20%)");
	ctp_table_free(t);
	t = ctp_compare(NULL, l, &o, &err); /* no base: no base share */
	check_str(ctp_waits_top_text(fx_row(t, "g"), buf, sizeof(buf)), "futex_do_wait 60%");
	ctp_table_free(t);
	o.waits = false;
	t = ctp_compare(b, l, &o, &err);
	ok(fx_row(t, "g") && !fx_row(t, "g")->waits, "not asked: no histogram");
	ctp_table_free(t);
	free(l->wchan[0]), free(l->wchan[1]), free(l->wchan[2]), free(l->wchan[3]), free(l->wchan[4]);
	free(l->wchan);
	l->wchan = NULL;
	o.waits = true;
	t = ctp_compare(b, l, &o, &err);
	r = fx_row(t, "g");
	ok(r && r->waits && !r->waits[1].ok && r->waits[0].ok, "a live capture without channels: that side not ok");
	check_str(ctp_waits_top_text(r, buf, sizeof(buf)), "-");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

int main(void)
{
	text();
	histogram();
	return test_done();
}
