/* t_exits.c — threads that exited still count (issue 17 item 2), engine and parser on hand-built
 * data: exit records (snapshot.exits) add final - base to their group's per-thread deltas (from
 * 0 for a thread born in the interval), exited counts the records, a record of a thread still
 * in live is left to it, one no group takes is dropped; without exit records the old rule
 * stands; on the comm axis an unseen name joins its pattern's group; an exit message parses;
 * live (root): the listener gets one record per thread this test ends, attributed through its
 * leader, and a receive buffer too small for them counts lost records without blocking. */
#include <errno.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stddef.h>
#include <string.h>

#include "capture/exits.h"
#include "capture/taskstats.h"
#include "cmp_fixture.h"
#include "tap.h"

static struct ctp_thread *add_exit(struct ctp_snapshot *s, uint32_t tid, uint32_t tgid, const char *pcomm,
				   const char *comm, uint64_t start, uint64_t run)
{
	s->exits = ctp_xrealloc(s->exits, (s->nexits + 1) * sizeof(*s->exits));
	struct ctp_thread *t = &s->exits[s->nexits++];
	memset(t, 0, sizeof(*t));
	ctp_thread_init(t);
	t->tid = tid, t->tgid = tgid;
	fx_setstr(&t->pcomm, pcomm);
	fx_setstr(&t->comm, comm);
	fx_setstr(&t->cgroup, "/");
	t->start_time_clock_ticks = start;
	t->run_time_ns = run;
	s->exits_on = true;
	return t;
}

/* base: p threads 10 (1000 ns), 11 (1200); live: 10 (1500); q thread 20 in both */
static void sides(struct ctp_snapshot *b, struct ctp_snapshot *l)
{
	fx_thread(b, 10, 10, "p", "worker-1", "/")->run_time_ns = 1000;
	fx_thread(b, 11, 10, "p", "worker-2", "/")->run_time_ns = 1200;
	fx_thread(l, 10, 10, "p", "worker-1", "/")->run_time_ns = 1500;
	fx_thread(b, 20, 20, "q", "q", "/")->run_time_ns = 5;
	fx_thread(l, 20, 20, "q", "q", "/")->run_time_ns = 5;
	b->captured_at_unix_ns = 1000000000ull;
	l->captured_at_unix_ns = 2000000000ull;
}

static struct ctp_table *cmp(const struct ctp_snapshot *b, const struct ctp_snapshot *l, enum ctp_axis axis)
{
	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.axis = axis;
	o.mode = CTP_DELTA_BASELINE;
	o.tid_deltas = true;
	return ctp_compare(b, l, &o, &err);
}

static void engine(void)
{
	struct ctp_snapshot *b = ctp_snapshot_new(), *l = ctp_snapshot_new();
	sides(b, l);
	struct ctp_table *t = cmp(b, l, CTP_AXIS_PCOMM);
	const struct ctp_row *r = fx_row(t, "p");
	ok(r && fx_cell(r, "run_time_ns")->delta == 500 && r->exited == 1 && !t->exits_on,
	   "no exit records: thread 11's work is gone (delta 500), exited 1 (only in base)");
	ctp_table_free(t);
	add_exit(l, 11, 10, "p", "worker-2", 1011, 2000);   /* was in base: +800 */
	add_exit(l, 12, 10, "p", "worker-3", 0, 300);       /* born and gone: +300 */
	add_exit(l, 10, 10, "p", "worker-1", 1010, 9999);   /* still in live: left to it */
	add_exit(l, 30, 30, "gone", "gone", 0, 123456);     /* no group: dropped */
	t = cmp(b, l, CTP_AXIS_PCOMM);
	r = fx_row(t, "p");
	ok(t->exits_on, "the table says exit records counted");
	ok(r && fx_cell(r, "run_time_ns")->delta == 1600, "delta 500 + 800 + 300 = 1600, got %g",
	   r ? fx_cell(r, "run_time_ns")->delta : -1);
	ok(r && r->exited == 2 && r->born == 1, "exited 2 (the records), born 1 (thread 12), got %zu/%zu",
	   r ? r->exited : 0, r ? r->born : 0);
	ok(r && r->nthreads_live == 1 && fx_cell(r, "thread_count")->live == 1, "live threads stay 1");
	ok(!fx_row(t, "gone") && fx_row(t, "q") && fx_row(t, "q")->exited == 0, "no row for a record without a group");
	ctp_table_free(t);
	t = cmp(b, l, CTP_AXIS_COMM);
	r = fx_row(t, "worker-{N}");
	ok(r && fx_cell(r, "run_time_ns")->delta == 1600 && r->exited == 2,
	   "comm axis: worker-3 (unseen) joins worker-{N}: delta 1600, exited 2");
	ctp_table_free(t);
	ctp_snapshot_free(b);
	ctp_snapshot_free(l);
}

/* a TASKSTATS_CMD_NEW message as a listener receives it */
static void parse(void)
{
	unsigned char m[1024] = { 0 };
	struct taskstats st = { 0 };
	st.version = TASKSTATS_VERSION;
	st.ac_pid = 4242;
	st.ac_tgid = 4200;
	st.ac_utime = 30000;
	st.ac_stime = 10000;
	st.cpu_run_virtual_total = 2000000;
	st.nvcsw = 7;
	st.read_char = 99;
	strcpy(st.ac_comm, "burner");
	size_t stlen = sizeof(st), off = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlattr aggr = { (uint16_t)(NLA_HDRLEN + 8 + NLA_HDRLEN + stlen), TASKSTATS_TYPE_AGGR_PID };
	struct nlattr pid = { NLA_HDRLEN + 4, TASKSTATS_TYPE_PID }, sta = { (uint16_t)(NLA_HDRLEN + stlen), TASKSTATS_TYPE_STATS };
	uint32_t tid = 4242;
	memcpy(m + off, &aggr, 4);
	memcpy(m + off + 4, &pid, 4);
	memcpy(m + off + 8, &tid, 4);
	memcpy(m + off + 12, &sta, 4);
	memcpy(m + off + 16, &st, stlen);
	struct nlmsghdr h = { (uint32_t)(off + 16 + stlen), 30, 0, 0, 0 };
	struct genlmsghdr g = { TASKSTATS_CMD_NEW, 1, 0 };
	memcpy(m, &h, sizeof(h));
	memcpy(m + NLMSG_HDRLEN, &g, sizeof(g));
	struct ctp_taskstats_exit e;
	ok(ctp_taskstats_parse_exit(m, h.nlmsg_len, &e) == 0 && e.tid == 4242 && e.tgid == 4200, "exit record: tid 4242, tgid 4200");
	struct ctp_thread t;
	struct ctp_acct_flags fl = { CTP_DELAYACCT_RUNTIME_OFF, CTP_XACCT_ON };
	memset(&t, 0, sizeof(t));
	ctp_thread_init(&t);
	ctp_exits_fill(&t, &e, &fl);
	long hz = ctp_clk_tck();
	ok(t.run_time_ns == 2000000 && t.voluntary_csw == 7 && t.rchar == 99 && !strcmp(t.comm, "burner") &&
		   t.utime_clock_ticks == (uint64_t)(3 * hz / 100) && t.stime_clock_ticks == (uint64_t)(hz / 100),
	   "its final counters: run 2 ms, 7 switches, rchar 99, comm, 30/10 ms as ticks");
	ctp_thread_release(&t);
	ok(ctp_taskstats_parse_exit(m, 20, &e) < 0, "a cut message is refused");
}

static void *nothing(void *arg)
{
	return arg;
}

static void end_threads(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, nothing, NULL) == 0)
			pthread_join(t, NULL);
	}
}

/* this process's leader only: records of its threads attribute through it */
static struct ctp_snapshot *me(void)
{
	struct ctp_snapshot *s = ctp_snapshot_new();
	fx_thread(s, (uint32_t)getpid(), (uint32_t)getpid(), "t_exits", "t_exits", "/");
	return s;
}

static void live(void)
{
	struct ctp_err err = { 0 };
	struct ctp_exits *x = ctp_exits_open(NULL, &err);
	if (!x) {
		skip("taskstats exit listener unavailable: %s", err.msg);
		skip("taskstats exit listener unavailable");
		return;
	}
	struct ctp_acct_flags fl = { CTP_DELAYACCT_RUNTIME_OFF, CTP_XACCT_ON };
	struct ctp_snapshot *s = me();
	ctp_exits_collect(x, s, &fl); /* whatever came before */
	ctp_snapshot_free(s);
	end_threads(100);
	s = me();
	ctp_exits_collect(x, s, &fl);
	size_t mine = 0;
	for (size_t i = 0; i < s->nexits; i++)
		mine += s->exits[i].tgid == (uint32_t)getpid() && !strcmp(s->exits[i].pcomm, "t_exits");
	ok(s->exits_on && mine == 100 && s->exits_lost == 0, "100 threads ended: 100 records of t_exits, none lost (got %zu)", mine);
	ctp_snapshot_free(s);
	int small = 1;
	setsockopt(ctp_exits_fd(x), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	end_threads(400);
	s = me();
	uint64_t t0 = ctp_now_monotonic_ns();
	ctp_exits_collect(x, s, &fl);
	ok(s->exits_lost > 0 && s->nexits < 400 && ctp_now_monotonic_ns() - t0 < 5000000000ull,
	   "a full buffer: lost records counted (%llu overflows, %zu records kept), no blocking",
	   (unsigned long long)s->exits_lost, s->nexits);
	ctp_snapshot_free(s);
	ctp_exits_close(x);
}

int main(void)
{
	engine();
	parse();
	live();
	return test_done();
}
