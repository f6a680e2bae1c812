/* t_procfs.c — table-driven tests of every procfs parser against the examples of
 * snapshot-and-capture.md §2 and Appendix A (stat samples, dotted ns, schedstat, io, status,
 * sched, cgroup, smaps_rollup, cpulist incl. E4), plus the whole-file reader. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "snapshot/model.h"
#include "capture/procfs.h"
#include "capture/readfile.h"
#include "tap.h"
#include "base/util.h"

/* ---------------- dotted ns ---------------- */
static const struct {
	const char *in;
	enum ctp_dotted kind;
	uint64_t want;
} dotted[] = {
	{ "12345.678", CTP_DOTTED_OK, 12345678000ULL },
	{ "5000.25", CTP_DOTTED_OK, 5000250000ULL },
	{ "250.5", CTP_DOTTED_OK, 250500000ULL },
	{ "7.999", CTP_DOTTED_OK, 7999000ULL },
	{ "77.0", CTP_DOTTED_OK, 77000000ULL },
	{ "500", CTP_DOTTED_OK, 500ULL },
	{ "-5.0", CTP_DOTTED_NEGATIVE, 0 },
	{ "-5.000000", CTP_DOTTED_NEGATIVE, 0 },
	{ "0.-000500", CTP_DOTTED_NEGATIVE, 0 },
	{ "0. -1", CTP_DOTTED_NEGATIVE, 0 },
	{ "-500", CTP_DOTTED_NEGATIVE, 0 },
	{ "  3200.500000  ", CTP_DOTTED_OK, 3200500000ULL },
	{ "1.1234567", CTP_DOTTED_OK, 1123456ULL },
	{ "3.", CTP_DOTTED_OK, 3000000ULL },
	{ "0.000001", CTP_DOTTED_OK, 1ULL },
	{ "abc.5", CTP_DOTTED_MALFORMED, 0 },
	{ "1.5x", CTP_DOTTED_MALFORMED, 0 },
	{ "abc", CTP_DOTTED_MALFORMED, 0 },
	{ "", CTP_DOTTED_MALFORMED, 0 },
	{ "1.2.3", CTP_DOTTED_MALFORMED, 0 },
	{ "18446744073709.551615", CTP_DOTTED_OK, 18446744073709551615ULL },
	{ "18446744073709.551616", CTP_DOTTED_MALFORMED, 0 },
	{ "18446744073710.0", CTP_DOTTED_MALFORMED, 0 },
	{ "+7.5", CTP_DOTTED_OK, 7500000ULL },
};

static void test_dotted(void)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(dotted); i++) {
		uint64_t v = 0;
		enum ctp_dotted k = ctp_parse_dotted_ns(dotted[i].in, strlen(dotted[i].in), &v);
		bool good = k == dotted[i].kind && (k != CTP_DOTTED_OK || v == dotted[i].want);
		if (!ok(good, "dotted \"%s\" -> kind %d value %llu", dotted[i].in, (int)dotted[i].kind,
			(unsigned long long)dotted[i].want))
			diag("got kind %d value %llu", (int)k, (unsigned long long)v);
	}
}

/* ---------------- stat ---------------- */
struct stat_want {
	uint64_t minflt, majflt, utime, stime, start;
	int32_t priority, nice, processor;
	uint32_t rt;
	const char *policy;
};

static char *seq_line(const char *head, int upto)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_adds(&b, head);
	for (int i = 0; i <= upto; i++)
		ctp_buf_addf(&b, " %d", i);
	ctp_buf_addch(&b, '\n');
	return ctp_buf_detach(&b, NULL);
}

static void check_stat(const char *what, const char *text, const struct stat_want *w)
{
	struct ctp_thread t;
	ctp_thread_init(&t);
	ctp_parse_stat(text, strlen(text), &t);
	bool good = t.minflt == w->minflt && t.majflt == w->majflt && t.utime_clock_ticks == w->utime &&
		    t.stime_clock_ticks == w->stime && t.start_time_clock_ticks == w->start &&
		    t.priority == w->priority && t.nice == w->nice && t.processor == w->processor &&
		    t.rt_priority == w->rt && !strcmp(t.policy, w->policy);
	if (!ok(good, "stat: %s", what))
		diag("got minflt %llu majflt %llu utime %llu stime %llu start %llu prio %d nice %d proc %d rt %u "
		     "policy \"%s\"",
		     (unsigned long long)t.minflt, (unsigned long long)t.majflt, (unsigned long long)t.utime_clock_ticks,
		     (unsigned long long)t.stime_clock_ticks, (unsigned long long)t.start_time_clock_ticks, t.priority,
		     t.nice, t.processor, t.rt_priority, t.policy);
	ctp_thread_release(&t);
}

static void test_stat(void)
{
	char *l;
	l = seq_line("1234 (weird)name)", 19);
	check_stat("comm with ')' -> start 19", l,
		   &(struct stat_want){ 7, 9, 11, 12, 19, 15, 16, 0, 0, "" });
	free(l);
	l = seq_line("1 (n)", 38);
	check_stat("0..38 -> every index", l,
		   &(struct stat_want){ 7, 9, 11, 12, 19, 15, 16, 36, 37, "SCHED_UNKNOWN(38)" });
	free(l);
	check_stat("only up to minflt", "1 (n) 0 1 2 3 4 5 6 7",
		   &(struct stat_want){ 7, 0, 0, 0, 0, 0, 0, 0, 0, "" });
	check_stat("spec fixture",
		   "4242 (proc (with) parens) R 1 2 3 4 5 6 7777 0 8888 0 10 11 12 13 14 -10 1 0 555555 100 "
		   "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1700 1800 0\n",
		   &(struct stat_want){ 7777, 8888, 10, 11, 555555, 14, -10, 1700, 1800, "SCHED_OTHER" });
	check_stat("no ')' -> all absent", "1 (n 0 1 2 3 4 5 6 7 8 9 10 11 12",
		   &(struct stat_want){ 0, 0, 0, 0, 0, 0, 0, 0, 0, "" });
	check_stat("empty", "", &(struct stat_want){ 0, 0, 0, 0, 0, 0, 0, 0, 0, "" });
	/* a name may hold '\n' (the kernel prints it raw): the LAST ')' of the whole text counts */
	check_stat("name with a newline", "1 (a\nb) S 0 1 2 3 4 5 6 7 8 9",
		   &(struct stat_want){ 6, 8, 0, 0, 0, 0, 0, 0, 0, "" });
	check_stat("kernel text of a thread named \"spin\\n\"",
		   "502 (spin\n) R 1 500 500 0 -1 4194368 13 0 3 0 152 22 0 0 20 0 6 0 7002 1000000 100 "
		   "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		   &(struct stat_want){ 13, 3, 152, 22, 7002, 20, 0, 1, 0, "SCHED_OTHER" });
	check_stat("name forging fields on its first line",
		   "7 () 1 2 3 4 5 6 7 8 9 10 11 12\n) S 1 1 1 0 -1 0 21 0 22 0 23 24 0 0 25 0 1 0 26"
		   " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 27 0 0\n",
		   &(struct stat_want){ 21, 22, 23, 24, 26, 25, 0, 27, 0, "SCHED_OTHER" });
	check_stat("invalid UTF-8 and ') (' in the name", "9 (\xff) (\xe5) S 0 1 2 3 4 5 6 7 8 9 10 11 12 13",
		   &(struct stat_want){ 6, 8, 10, 11, 0, 0, 0, 0, 0, "" });
	check_stat("fields end with the line of the last ')'", "1 (n) 0 1 2 3 4 5 6\n7 8 9 10 11 12",
		   &(struct stat_want){ 0, 0, 0, 0, 0, 0, 0, 0, 0, "" });
	check_stat("\\v is not a separator; bad field absent only", "1 (n) 0 1 2 3 4 5 6 7\v8 9 10 11 12",
		   &(struct stat_want){ 0, 10, 12, 0, 0, 0, 0, 0, 0, "" });
	/* per-field failures, negative processor, policy names */
	check_stat("overflow / junk / negative fields",
		   "9 (x) S 1 2 3 4 5 6 18446744073709551616 0 12abc 0 -1 +5 0 0 2147483648 -2147483648 1 0 "
		   "77 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -1 -3 5\n",
		   &(struct stat_want){ 0, 0, 0, 5, 77, 0, INT32_MIN, -1, 0, "SCHED_IDLE" });
	static const struct {
		const char *num, *name;
	} pols[] = { { "0", "SCHED_OTHER" }, { "1", "SCHED_FIFO" },    { "2", "SCHED_RR" },
		     { "3", "SCHED_BATCH" }, { "4", "SCHED_UNKNOWN(4)" }, { "5", "SCHED_IDLE" },
		     { "6", "SCHED_DEADLINE" }, { "7", "SCHED_EXT" }, { "-1", "SCHED_UNKNOWN(-1)" },
		     { "x", "" } };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(pols); i++) {
		char buf[256];
		size_t off = (size_t)snprintf(buf, sizeof(buf), "1 (n) S");
		for (int k = 1; k < 38; k++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, " 0");
		snprintf(buf + off, sizeof(buf) - off, " %s", pols[i].num);
		struct ctp_thread t;
		ctp_thread_init(&t);
		ctp_parse_stat(buf, strlen(buf), &t);
		check_str(t.policy, pols[i].name);
		ctp_thread_release(&t);
	}
}

/* ---------------- schedstat ---------------- */
static const struct {
	const char *in;
	uint64_t run, wait, slices;
} schedstats[] = {
	{ "1 invalid 3", 1, 0, 3 },     { "12345", 12345, 0, 0 },   { "688855 415175 2\n", 688855, 415175, 2 },
	{ "1 2 3 4 5", 1, 2, 3 },       { "", 0, 0, 0 },            { "\n1 2 3", 0, 0, 0 },
	{ "  7\t8  9 ", 7, 8, 9 },      { "-1 2 3", 0, 2, 3 },      { "1\v2 3", 0, 3, 0 },
};

static void test_schedstat(void)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(schedstats); i++) {
		struct ctp_thread t;
		ctp_thread_init(&t);
		t.run_time_ns = t.wait_time_ns = t.timeslices = 99;
		ctp_parse_schedstat(schedstats[i].in, strlen(schedstats[i].in), &t);
		bool good = t.run_time_ns == schedstats[i].run && t.wait_time_ns == schedstats[i].wait &&
			    t.timeslices == schedstats[i].slices;
		if (!ok(good, "schedstat case %zu", i))
			diag("got %llu %llu %llu", (unsigned long long)t.run_time_ns, (unsigned long long)t.wait_time_ns,
			     (unsigned long long)t.timeslices);
		ctp_thread_release(&t);
	}
}

/* ---------------- io ---------------- */
static void test_io(void)
{
	const char *s = "rchar: 6976\nwchar: 12abc\nsyscr: +10\nsyscw: -1\nread_bytes:4096\n"
			"  write_bytes :  8192  \ncancelled_write_bytes: 18446744073709551615\nbogus: 5\nnocolon\n";
	struct ctp_thread t;
	ctp_thread_init(&t);
	ctp_parse_io(s, strlen(s), &t);
	check_u64(t.rchar, ==, 6976);
	check_u64(t.wchar, ==, 0);
	check_u64(t.syscr, ==, 10);
	check_u64(t.syscw, ==, 0);
	check_u64(t.read_bytes, ==, 4096);
	check_u64(t.write_bytes, ==, 8192);
	check_u64(t.cancelled_write_bytes, ==, UINT64_MAX);
	ctp_thread_release(&t);
}

/* ---------------- status ---------------- */
static void test_status(void)
{
	const char *s = "Name:\tcat\nState:\tS (sleeping)\nTgid:\t7\nPid:\t7\nThreads:\t5\n"
			"Cpus_allowed:\t3\nCpus_allowed_list:\t0-1, 3\n"
			"voluntary_ctxt_switches:\t42\nnonvoluntary_ctxt_switches:\t7\n";
	struct ctp_thread t;
	const char *cl = NULL;
	size_t cll = 99;
	ctp_thread_init(&t);
	t.tid = t.tgid = 7;
	ctp_parse_status(s, strlen(s), &t, &cl, &cll);
	check_int(t.state, ==, 'S');
	check_u64(t.voluntary_csw, ==, 42);
	check_u64(t.nonvoluntary_csw, ==, 7);
	check_u64(t.nr_threads, ==, 5);
	ok(cll == 6 && cl && !memcmp(cl, "0-1, 3", 6), "Cpus_allowed_list text returned trimmed");
	ctp_thread_release(&t);

	/* non-leader: Threads not written */
	ctp_thread_init(&t);
	t.tid = 8;
	t.tgid = 7;
	ctp_parse_status(s, strlen(s), &t, NULL, NULL);
	check_u64(t.nr_threads, ==, 0);
	check_u64(t.voluntary_csw, ==, 42);
	ctp_thread_release(&t);

	/* missing State -> '~'; empty value -> '~'; non-ASCII first char kept as a scalar */
	static const struct {
		const char *in;
		uint32_t want;
	} states[] = { { "Name:\tx\n", '~' },
		       { "State:\t\n", '~' },
		       { "State: R (running)\n", 'R' },
		       { "State:\tD (disk sleep)\n", 'D' },
		       { "State:\t\xc3\xa9t\xc3\xa9\n", 0xe9 } };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(states); i++) {
		ctp_thread_init(&t);
		cll = 5;
		ctp_parse_status(states[i].in, strlen(states[i].in), &t, &cl, &cll);
		check_int(t.state, ==, states[i].want);
		check_int(cll, ==, 0);
		ctp_thread_release(&t);
	}
	/* malformed counter -> that field only */
	const char *bad = "voluntary_ctxt_switches:\t-3\nnonvoluntary_ctxt_switches:\t9\n";
	ctp_thread_init(&t);
	ctp_parse_status(bad, strlen(bad), &t, NULL, NULL);
	check_u64(t.voluntary_csw, ==, 0);
	check_u64(t.nonvoluntary_csw, ==, 9);
	ctp_thread_release(&t);
}

/* ---------------- sched ---------------- */
static void test_sched(void)
{
	const char *s = "demo (4242, #threads: 1)\n"
			"-------------------------------------------------------------------\n"
			"se.exec_start                                :       4352837.496624\n"
			"se.nr_migrations                             :                    9\n"
			"se.statistics.nr_wakeups                     :                   11\n"
			"stats.nr_wakeups_local                       :                    8\n"
			"nr_wakeups_remote                            :                    3\n"
			"nr_wakeups_sync : 2\nnr_wakeups_migrate : 1\nnr_wakeups_affine : 12\n"
			"nr_wakeups_affine_attempts : 20\nnr_forced_migrations : 7\n"
			"nr_failed_migrations_affine : 1\nnr_failed_migrations_running : 2\n"
			"nr_failed_migrations_hot : 3\nnr_wakeups_idle : 77\nnr_migrations_cold : 66\n"
			"sum_sleep_runtime : 3200.50\nsum_block_runtime : 1100.75\n"
			"wait_sum : 5000.25\nwait_count : 15\nwait_max : 250.5\nsleep_max : 180.250000\n"
			"block_max : 60.75\niowait_sum : 77.0\niowait_count : 18\nexec_max : 90.0\n"
			"slice_max : 400.5\ncore_forceidle_sum : 7.999\n"
			"policy : 0\nse.slice : 3000000\next.enabled : 1\n";
	struct ctp_thread t;
	struct ctp_pending p = { 0 };
	ctp_thread_init(&t);
	ctp_parse_sched(s, strlen(s), &t, &p);
	check_u64(t.nr_migrations, ==, 9);
	check_u64(t.nr_wakeups, ==, 11);
	check_u64(t.nr_wakeups_local, ==, 8);
	check_u64(t.nr_wakeups_remote, ==, 3);
	check_u64(t.nr_wakeups_sync, ==, 2);
	check_u64(t.nr_wakeups_migrate, ==, 1);
	check_u64(t.nr_wakeups_affine, ==, 12);
	check_u64(t.nr_wakeups_affine_attempts, ==, 20);
	check_u64(t.nr_forced_migrations, ==, 7);
	check_u64(t.nr_failed_migrations_affine, ==, 1);
	check_u64(t.nr_failed_migrations_running, ==, 2);
	check_u64(t.nr_failed_migrations_hot, ==, 3);
	check_u64(t.voluntary_sleep_ns, ==, 2099750000ULL);
	check_u64(t.block_sum, ==, 1100750000ULL);
	check_u64(t.wait_sum, ==, 5000250000ULL);
	check_u64(t.wait_count, ==, 15);
	check_u64(t.wait_max, ==, 250500000ULL);
	check_u64(t.sleep_max, ==, 180250000ULL);
	check_u64(t.block_max, ==, 60750000ULL);
	check_u64(t.iowait_sum, ==, 77000000ULL);
	check_u64(t.iowait_count, ==, 18);
	check_u64(t.exec_max, ==, 90000000ULL);
	check_u64(t.slice_max, ==, 400500000ULL);
	check_u64(t.core_forceidle_sum, ==, 7999000ULL);
	check_u64(t.fair_slice_ns, ==, 3000000ULL);
	check_int(t.ext_enabled, ==, 1);
	check_u64(p.negative_dotted, ==, 0);
	ctp_thread_release(&t);

	/* negatives (both forms) count once per occurrence; malformed does not; later lines win,
	 * a later unparsable line overwrites with absent (O8); block only -> voluntary sleep 0 */
	const char *n = "wait_max : -5.0\nexec_max : 0.-000500\nexec_max : 0.-000500\nsleep_max : abc.5\n"
			"nr_wakeups : 5\nse.statistics.nr_wakeups : x\nwait_count : 3\nwait_count : 4\n"
			"sum_block_runtime : 10.0\next.enabled : yes\nse.ext.enabled : 1\n";
	ctp_thread_init(&t);
	memset(&p, 0, sizeof(p));
	ctp_parse_sched(n, strlen(n), &t, &p);
	check_u64(p.negative_dotted, ==, 3);
	check_u64(t.wait_max, ==, 0);
	check_u64(t.exec_max, ==, 0);
	check_u64(t.sleep_max, ==, 0);
	check_u64(t.nr_wakeups, ==, 0);
	check_u64(t.wait_count, ==, 4);
	check_u64(t.block_sum, ==, 10000000ULL);
	check_u64(t.voluntary_sleep_ns, ==, 0);
	check_int(t.ext_enabled, ==, 0);
	ctp_thread_release(&t);

	/* sleep < block saturates to 0; a negative sleep total makes it absent; ext.enabled 0 */
	const char *sat = "sum_sleep_runtime : 1.0\nsum_block_runtime : 2.0\next.enabled : 0\n";
	ctp_thread_init(&t);
	memset(&p, 0, sizeof(p));
	ctp_parse_sched(sat, strlen(sat), &t, &p);
	check_u64(t.voluntary_sleep_ns, ==, 0);
	check_u64(t.block_sum, ==, 2000000ULL);
	check_int(t.ext_enabled, ==, 0);
	ctp_thread_release(&t);
	const char *neg = "sum_sleep_runtime : 5.0\nsum_sleep_runtime : -1.0\nsum_block_runtime : 2.0\n";
	ctp_thread_init(&t);
	memset(&p, 0, sizeof(p));
	ctp_parse_sched(neg, strlen(neg), &t, &p);
	check_u64(t.voluntary_sleep_ns, ==, 0);
	check_u64(p.negative_dotted, ==, 1);
	ctp_thread_release(&t);
	const char *ok2 = "sum_sleep_runtime : 3200.500000\nsum_block_runtime : 1100.750000\n";
	ctp_thread_init(&t);
	ctp_parse_sched(ok2, strlen(ok2), &t, NULL);
	check_u64(t.voluntary_sleep_ns, ==, 2099750000ULL);
	ctp_thread_release(&t);
}

/* sched headers: the raw thread name cannot inject "key: value" lines */
static void test_sched_header(void)
{
	static const char dash[] = "-------------------------------------------------------------------\n";
	static const struct {
		const char *head, *body;
		int ext;
		uint64_t wakeups, wait_max;
	} cases[] = {
		/* a thread named "\next.enabled:1\n" on a kernel without sched_ext */
		{ "\next.enabled:1\n (504, #threads: 6)\n", "nr_wakeups : 45\n", 0, 45, 0 },
		{ "x\nnr_wakeups:9\n (1, #threads: 1)\n", "wait_max : 2.5\n", 0, 0, 2500000 },
		{ "-\n-\nwait_max:7\n (1, #threads: 1)\n", "nr_wakeups : 3\n", 0, 3, 0 },
		{ "\xff\xfe (9, #threads: 2)\n", "nr_wakeups : 4\next.enabled : 1\n", 1, 4, 0 },
		/* no line of dashes: parsed whole (the kernel always prints one) */
		{ "", "nr_wakeups : 8\n", 0, 8, 0 },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		struct ctp_buf b = CTP_BUF_INIT;
		ctp_buf_adds(&b, cases[i].head);
		if (cases[i].head[0])
			ctp_buf_adds(&b, dash);
		ctp_buf_adds(&b, cases[i].body);
		struct ctp_thread t;
		struct ctp_pending p = { 0 };
		ctp_thread_init(&t);
		ctp_parse_sched(b.buf, b.len, &t, &p);
		if (!ok(t.ext_enabled == cases[i].ext && t.nr_wakeups == cases[i].wakeups &&
				t.wait_max == cases[i].wait_max,
			"sched header case %zu: ext %d wakeups %llu wait_max %llu", i, cases[i].ext,
			(unsigned long long)cases[i].wakeups, (unsigned long long)cases[i].wait_max))
			diag("got ext %d wakeups %llu wait_max %llu", t.ext_enabled, (unsigned long long)t.nr_wakeups,
			     (unsigned long long)t.wait_max);
		ctp_thread_release(&t);
		ctp_buf_release(&b);
	}
}

/* ---------------- cgroup ---------------- */
static const struct {
	const char *in, *want; /* want NULL = none */
} cgroups[] = {
	{ "12:cpuset:/x\n0::/unified/path", "/unified/path" },
	{ "0::", NULL },
	{ "0::\n0::/second\n", "/second" },
	{ "4:memory:/a\n1:cpu:/b\n", NULL },
	{ "0::/\n", "/" },
	{ "0::  /padded  \n", "/padded" },
	{ "0::/system.slice/x (deleted)\n", "/system.slice/x (deleted)" },
	{ "0::/../escape\n", "/../escape" },
	{ " 0::/x\n", NULL },
	{ "", NULL },
};

static void test_cgroup(void)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cgroups); i++) {
		const char *p = NULL;
		size_t pl = 0;
		bool got = ctp_parse_cgroup(cgroups[i].in, strlen(cgroups[i].in), &p, &pl);
		bool good = cgroups[i].want ? got && pl == strlen(cgroups[i].want) && !memcmp(p, cgroups[i].want, pl) : !got;
		ok(good, "cgroup case %zu -> %s", i, cgroups[i].want ? cgroups[i].want : "none");
	}
}

/* ---------------- smaps_rollup ---------------- */
static void test_smaps(void)
{
	const char *s = "5648c2d41000-7ffc64f27000 ---p 00000000 00:00 0                          [rollup]\n"
			"Rss:                1776 kB\nPss:                 396 kB\nPss_Dirty:           112 kB\n"
			"Anonymous:           112 kB\nSwap:                  0 kB\nbad-key:   5 kB\n"
			"Bad Key:   6 kB\nNoValue:   x kB\nEmpty:\nRss:   1777 kB\nRaw:7\n";
	struct ctp_kvmap m = { 0 };
	ctp_parse_smaps_rollup(s, strlen(s), &m);
	check_int(m.n, ==, 6);
	static const char *const keys[] = { "Anonymous", "Pss", "Pss_Dirty", "Raw", "Rss", "Swap" };
	static const uint64_t vals[] = { 112, 396, 112, 7, 1777, 0 };
	for (size_t i = 0; i < 6 && i < m.n; i++) {
		check_str(m.v[i].key, keys[i]);
		check_u64(m.v[i].val, ==, vals[i]);
	}
	ctp_kvmap_release(&m);
	ctp_parse_smaps_rollup("", 0, &m);
	check_int(m.n, ==, 0);
}

/* ---------------- cpulist ---------------- */
static const struct {
	const char *in;
	bool some;
	const char *want; /* "0,1,2,3" */
} cpulists[] = {
	{ "3,0-2,1,2", true, "0,1,2,3" },
	{ "0,1,", true, "0,1" },
	{ "0-3", true, "0,1,2,3" },
	{ "8", true, "8" },
	{ " 0 , 2", true, "0,2" },
	{ "\t0-1\n", true, "0,1" },
	{ ",", true, "" },
	{ ",,", true, "" },
	{ "5-3", false, NULL },
	{ "abc", false, NULL },
	{ "0-", false, NULL },
	{ "-3", false, NULL },
	{ "0-65536", false, NULL },
	{ "0 - 3", false, NULL },
	{ "1,abc", false, NULL },
	{ "", false, NULL },
	{ "   ", false, NULL },
	{ "4294967295", true, "4294967295" },
	{ "4294967296", false, NULL },
	{ "2-2", true, "2" },
};

static void cpus_str(const struct ctp_cpuset *c, char *out, size_t n)
{
	out[0] = '\0';
	size_t off = 0;
	for (size_t i = 0; i < c->n && off < n; i++)
		off += (size_t)snprintf(out + off, n - off, "%s%u", i ? "," : "", c->cpus[i]);
}

static void test_cpulist(void)
{
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cpulists); i++) {
		struct ctp_cpuset c = { 0 };
		bool got = ctp_parse_cpulist(cpulists[i].in, strlen(cpulists[i].in), &c);
		char s[256];
		cpus_str(&c, s, sizeof(s));
		bool good = got == cpulists[i].some && (!got || !strcmp(s, cpulists[i].want));
		if (!ok(good, "cpulist case %zu -> %s", i, cpulists[i].some ? cpulists[i].want : "none"))
			diag("got %s [%s]", got ? "some" : "none", s);
		ctp_cpuset_release(&c);
	}
	struct ctp_cpuset c = { 0 };
	ok(ctp_parse_cpulist("0-65535", 7, &c) && c.n == 65536 && c.cpus[65535] == 65535, "0-65535 -> 65536 cpus");
	ctp_cpuset_release(&c);
}

/* ---------------- comm ---------------- */
static void test_comm(void)
{
	static const struct {
		const char *in, *want;
	} comms[] = { { "bash\n", "bash" },         { "  a) (b \n", "a) (b" },     { "nbsp\xc2\xa0\n", "nbsp" },
		      { "\xe3\x80\x80x\xe2\x80\xa8", "x" }, { "a\nb\n", "a\nb" },        { "\n", "" },
		      { "v\v", "v" } };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(comms); i++) {
		char *s = ctp_comm_dup(comms[i].in, strlen(comms[i].in));
		check_str(s, comms[i].want);
		free(s);
	}
	/* names that are not UTF-8 are kept, decoded lossily, then trimmed */
	static const struct {
		const char *in, *want;
	} lossy[] = {
		{ "\xffx\n", "\xef\xbf\xbdx" },
		{ "spin\n\n", "spin" },
		/* "ab日本語の名前" cut at 15 bytes by the kernel, inside 名 */
		{ "ab\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe5\n",
		  "ab\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xef\xbf\xbd" },
		{ "\xc2\xa0" "bad\xff\xfe\xc2\xa0\n", "bad\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe3\x80\n", "\xef\xbf\xbd" },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(lossy); i++) {
		char *s = ctp_comm_dup(lossy[i].in, strlen(lossy[i].in));
		check_str(s, lossy[i].want);
		free(s);
	}
}

/* ---------------- lossy UTF-8 (Rust String::from_utf8_lossy) ---------------- */
#define R "\xef\xbf\xbd" /* U+FFFD */
#define L(lit) lit, sizeof(lit) - 1
static void test_lossy(void)
{
	/* the Rust documentation's example, and the cases of Rust's own test_from_utf8_lossy */
	static const struct {
		const char *in;
		size_t n; /* L() gives both */
		const char *want;
		size_t bad;
	} cases[] = {
		{ L("Hello \xF0\x90\x80World"), "Hello " R "World", 1 },
		{ L("hello"), "hello", 0 },
		{ "\xe0\xb8\xa8\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2\xe4\xb8\xad\xe5\x8d\x8e", 18,
		  "\xe0\xb8\xa8\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2\xe4\xb8\xad\xe5\x8d\x8e", 0 },
		{ L("Hello\xC2 There\xFF Goodbye"), "Hello" R " There" R " Goodbye", 2 },
		{ L("Hello\xC0\x80 There\xE6\x83 Goodbye"), "Hello" R R " There" R " Goodbye", 3 },
		{ L("\xF5" "foo\xF5\x80" "bar"), R "foo" R R "bar", 3 },
		{ L("\xF5" "foo\xF5\xC2"), R "foo" R R, 3 },
		{ L("\xF1" "foo\xF1\x80" "bar\xF1\x80\x80" "baz"), R "foo" R "bar" R "baz", 3 },
		{ L("\xF4" "foo\xF4\x80" "bar\xF4\xBF" "baz"), R "foo" R "bar" R R "baz", 4 },
		{ L("\xF0\x80\x80\x80" "foo\xF0\x90\x80\x80" "bar"), R R R R "foo\xF0\x90\x80\x80" "bar", 4 },
		{ L("\xF0\x90\x80" "foo"), R "foo", 1 },
		{ L("\xF0\x80\x80"), R R R, 3 },
		{ L("\xED\xA0\x80"), R R R, 3 },
		{ L("\xED\xA0\x80" "foo\xED\xBF\xBF" "bar"), R R R "foo" R R R "bar", 6 },
		/* truncated at the end: one U+FFFD per maximal subpart; NUL bytes kept */
		{ L("x\xE3\x80"), "x" R, 1 },
		{ L("\xF4\x8F\xBF"), R, 1 },
		{ L("\xF4\x8F\xBF\xBF\xF4\x90"), "\xF4\x8F\xBF\xBF" R R, 2 },
		{ L(""), "", 0 },
	};
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cases); i++) {
		struct ctp_buf b = CTP_BUF_INIT;
		ctp_buf_adds(&b, "<");
		size_t bad = ctp_utf8_lossy(cases[i].in, cases[i].n, &b);
		size_t wl = strlen(cases[i].want);
		bool good = bad == cases[i].bad && b.len == wl + 1 && !memcmp(b.buf + 1, cases[i].want, wl) &&
			    ctp_utf8_valid(b.buf, b.len);
		if (!ok(good, "from_utf8_lossy case %zu: %zu replacements", i, cases[i].bad)) {
			char hex[256] = "";
			for (size_t k = 0, o = 0; k < b.len && o + 4 < sizeof(hex); k++)
				o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%02x ", (unsigned char)b.buf[k]);
			diag("got %zu replacements: %s", bad, hex);
		}
		ctp_buf_release(&b);
	}
	struct ctp_buf b = CTP_BUF_INIT;
	check_int(ctp_utf8_lossy("a\0\xff", 3, &b), ==, 1);
	ok(b.len == 5 && !memcmp(b.buf, "a\0" R, 5), "NUL bytes are copied");
	ctp_buf_release(&b);
}
#undef R
#undef L

/* ---------------- whole-file reader ---------------- */
static void test_reader(void)
{
	char path[] = "/tmp/t_procfs.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		skip("mkstemp failed: %s", strerror(errno));
		return;
	}
	/* 100 000 bytes: forces grow-and-reread past the first buffer */
	char *big = malloc(100000);
	for (int i = 0; i < 100000; i++)
		big[i] = (char)('a' + i % 26);
	ok(write(fd, big, 100000) == 100000, "wrote big temp file");
	close(fd);
	struct ctp_buf b = CTP_BUF_INIT;
	check_int(ctp_read_file_at(AT_FDCWD, path, &b), ==, 0);
	ok(b.len == 100000 && !memcmp(b.buf, big, 100000) && b.buf[b.len] == '\0', "big file read whole");
	size_t alloc = b.alloc;
	char *p = b.buf;
	check_int(ctp_read_text_at(AT_FDCWD, path, &b), ==, 0);
	ok(b.alloc == alloc && b.buf == p, "buffer reused without reallocation");

	fd = open(path, O_WRONLY | O_TRUNC);
	ok(write(fd, "ok\xff\n", 4) == 4, "wrote invalid UTF-8");
	close(fd);
	check_int(ctp_read_file_at(AT_FDCWD, path, &b), ==, 0);
	check_int(b.len, ==, 4);
	errno = 0;
	check_int(ctp_read_text_at(AT_FDCWD, path, &b), ==, -1);
	check_int(errno, ==, EILSEQ);
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	check_int(ctp_read_text_at(AT_FDCWD, path, &b), ==, 0);
	check_int(b.len, ==, 0);
	unlink(path);
	errno = 0;
	check_int(ctp_read_text_at(AT_FDCWD, path, &b), ==, -1);
	check_int(errno, ==, ENOENT);
	ctp_buf_release(&b);
	free(big);

	/* a live seq_file larger than one page */
	check_int(ctp_read_text_at(AT_FDCWD, "/proc/self/status", &b), ==, 0);
	ok(b.len > 200 && strstr(b.buf, "voluntary_ctxt_switches:"), "/proc/self/status read whole");
	ctp_buf_release(&b);
}

/* burns ms of this thread's CPU time */
static void burn_ms(int ms)
{
	struct timespec a, n;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	volatile uint64_t x = 0;
	do {
		for (int i = 0; i < 10000; i++)
			x++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &n);
	} while ((n.tv_sec - a.tv_sec) * 1000 + (n.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static int exit_pipe[2];
static volatile pid_t waiter_tid;

/* publishes its tid, then waits for EOF on exit_pipe */
static void *waiter_thread(void *arg)
{
	char ch;
	(void)arg;
	waiter_tid = (pid_t)syscall(SYS_gettid);
	while (read(exit_pipe[0], &ch, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* kept fds: a pread at offset 0 through the same fd sees fresh values; a failed re-read
 * (thread gone) closes the fd and reopens afresh, failing like ctp_read_text_at */
static void test_kept_fds(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%ld", (long)syscall(SYS_gettid));
	int dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		skip("%s: %s", path, strerror(errno));
		return;
	}
	struct ctp_buf b = CTP_BUF_INIT;
	struct ctp_thread t = { 0 };
	int slot = -1;
	check_int(ctp_read_text_slot(dir, "stat", &slot, &b), ==, 0);
	ok(slot >= 0, "fresh read keeps its fd");
	ctp_parse_stat(b.buf, b.len, &t);
	uint64_t ticks0 = t.utime_clock_ticks + t.stime_clock_ticks, start0 = t.start_time_clock_ticks;
	int kept = slot;
	burn_ms(60); /* > 3 clock ticks at 100 Hz */
	check_int(ctp_read_text_slot(dir, "stat", &slot, &b), ==, 0);
	check_int(slot, ==, kept);
	ctp_parse_stat(b.buf, b.len, &t);
	ok(t.utime_clock_ticks + t.stime_clock_ticks > ticks0, "stat re-read via pread: cpu ticks %llu -> %llu",
	   (unsigned long long)ticks0, (unsigned long long)(t.utime_clock_ticks + t.stime_clock_ticks));
	check_u64(t.start_time_clock_ticks, ==, start0);
	free(t.policy);
	close(slot);

	slot = -1;
	check_int(ctp_read_text_slot(dir, "status", &slot, &b), ==, 0);
	ctp_parse_status(b.buf, b.len, &t, NULL, NULL);
	uint64_t vcsw0 = t.voluntary_csw;
	kept = slot;
	for (int i = 0; i < 3; i++)
		usleep(1000);
	check_int(ctp_read_text_slot(dir, "status", &slot, &b), ==, 0);
	check_int(slot, ==, kept);
	ctp_parse_status(b.buf, b.len, &t, NULL, NULL);
	ok(t.voluntary_csw >= vcsw0 + 3, "status re-read via pread: voluntary switches %llu -> %llu",
	   (unsigned long long)vcsw0, (unsigned long long)t.voluntary_csw);
	close(slot);
	close(dir);

	/* a thread that exits: its kept fd fails, the fresh open fails too, the slot ends closed */
	pthread_t th;
	if (pipe(exit_pipe) < 0 || pthread_create(&th, NULL, waiter_thread, NULL) != 0) {
		skip("pipe/pthread_create: %s", strerror(errno));
		ctp_buf_release(&b);
		return;
	}
	while (!waiter_tid)
		usleep(1000);
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)waiter_tid);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	slot = -1;
	check_int(ctp_read_text_slot(dir, "sched", &slot, &b), ==, 0);
	ok(slot >= 0, "waiter's sched kept open");
	close(exit_pipe[1]);
	pthread_join(th, NULL);
	int r = 0;
	for (int i = 0; i < 1000 && (r = ctp_read_text_slot(dir, "sched", &slot, &b)) == 0; i++)
		usleep(1000); /* the task is reaped just after the join returns */
	check_int(r, ==, -1);
	check_int(slot, ==, -1);
	close(exit_pipe[0]);
	close(dir);
	ctp_buf_release(&b);
}

static void test_tokens(void)
{
	check_str(ctp_tally_token(CTP_TF_CGROUP), "cgroup");
	check_str(ctp_tally_token(CTP_TF_STAT), "stat");
	check_str(ctp_tally_token(CTP_TF_SCHEDSTAT), "schedstat");
	check_str(ctp_tally_token(CTP_TF_IO), "io");
	check_str(ctp_tally_token(CTP_TF_STATUS), "status");
	check_str(ctp_tally_token(CTP_TF_SCHED), "sched");
	check_str(ctp_tally_token(CTP_TF_SMAPS_ROLLUP), "smaps_rollup");
}

int main(void)
{
	test_dotted();
	test_stat();
	test_schedstat();
	test_io();
	test_status();
	test_sched();
	test_sched_header();
	test_cgroup();
	test_smaps();
	test_cpulist();
	test_comm();
	test_lossy();
	test_reader();
	test_kept_fds();
	test_tokens();
	return test_done();
}
