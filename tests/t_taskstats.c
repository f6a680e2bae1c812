/* t_taskstats.c — taskstats: reply parsing on hand-built netlink messages (fixed offsets,
 * short payloads, hiwater saturation, tid mismatch, raw NLMSG_ERROR errnos), tally and apply
 * rules, the delayacct / CONFIG_TASK_XACCT probes on fixture roots, and live queries against
 * this kernel: counts moving for a sleeping thread, EPERM as nobody, ESRCH for an exited tid,
 * pipelined batches equal to one-at-a-time queries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "snapshot/model.h"
#include "tap.h"
#include "capture/taskstats.h"
#include "base/util.h"

static char fixtures[4096];

/* ---- hand-built replies ---- */

static const uint16_t off_count[8] = { 16, 32, 48, 312, 328, 352, 400, 416 };
static const uint16_t off_total[8] = { 24, 40, 56, 320, 336, 360, 408, 424 };
static const uint16_t off_max[8] = { 432, 448, 464, 480, 496, 512, 528, 544 };

static size_t put_nla(unsigned char *p, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { (uint16_t)(NLA_HDRLEN + n), type };
	memcpy(p, &a, NLA_HDRLEN);
	if (n)
		memcpy(p + NLA_HDRLEN, data, n);
	memset(p + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	return NLA_HDRLEN + NLA_ALIGN(n);
}

/* stats payload of `plen` bytes where the u64 at offset o holds 1000 + o */
static size_t make_reply(unsigned char *buf, uint32_t pid_attr, size_t plen, bool with_aggr, uint64_t rss_kb)
{
	unsigned char stats[1024] = { 0 }, aggr[1200];
	for (size_t o = 0; o + 8 <= plen; o += 8) {
		uint64_t v = 1000 + o;
		memcpy(stats + o, &v, 8);
	}
	if (rss_kb && plen >= 208) {
		uint64_t vm = 4;
		memcpy(stats + 200, &rss_kb, 8);
		memcpy(stats + 208, &vm, 8);
	}
	size_t an = put_nla(aggr, 1, &pid_attr, 4);
	an += put_nla(aggr + an, 6, NULL, 0); /* TASKSTATS_TYPE_NULL padding */
	an += put_nla(aggr + an, 3, stats, plen);
	size_t off = 20;
	uint32_t junk = 7;
	off += put_nla(buf + off, 9, &junk, 4); /* an unknown top-level attribute first */
	if (with_aggr)
		off += put_nla(buf + off, 4, aggr, an);
	struct nlmsghdr h = { (uint32_t)off, 30, 0, 1, 0 };
	memcpy(buf, &h, 16);
	memset(buf + 16, 0, 4);
	buf[16] = 2; /* TASKSTATS_CMD_NEW */
	return off;
}

static size_t make_error(unsigned char *buf, int32_t e, uint32_t len)
{
	struct nlmsghdr h = { len, NLMSG_ERROR, 0, 1, 0 };
	memset(buf, 0, 64);
	memcpy(buf, &h, 16);
	memcpy(buf + 16, &e, 4);
	return len;
}

static void test_parse(void)
{
	unsigned char buf[2048];
	struct ctp_taskstats_result r;
	size_t n = make_reply(buf, 4242, 560, true, 0);
	check_int(ctp_taskstats_parse_reply(buf, n, 4242, &r), ==, 0);
	check_int(r.err, ==, 0);
	bool all = true;
	for (int c = 0; c < 8; c++)
		all = all && r.count[c] == 1000u + off_count[c] && r.total_ns[c] == 1000u + off_total[c] &&
		      r.max_ns[c] == 1000u + off_max[c] && r.min_ns[c] == 1000u + off_max[c] + 8;
	ok(all, "full v16+ payload: all 32 delay fields at their fixed offsets");
	check_u64(r.hiwater_rss_bytes, ==, (1000 + 200) * 1024);
	check_u64(r.hiwater_vm_bytes, ==, (1000 + 208) * 1024);

	n = make_reply(buf, 4242, 320, true, 0);
	check_int(ctp_taskstats_parse_reply(buf, n, 4242, &r), ==, 0);
	check_u64(r.count[0], ==, 1016);
	check_u64(r.total_ns[2], ==, 1056);
	check_u64(r.count[3], ==, 1312); /* offset 312 + 8 == 320 still fits */
	check_u64(r.total_ns[3], ==, 0); /* 320 + 8 does not */
	check_u64(r.count[7], ==, 0);
	check_u64(r.max_ns[0], ==, 0);
	check_u64(r.min_ns[7], ==, 0);
	check_u64(r.hiwater_vm_bytes, ==, 1208 * 1024);

	n = make_reply(buf, 4242, 100, true, 0);
	check_int(ctp_taskstats_parse_reply(buf, n, 4242, &r), ==, 0);
	ok(r.count[0] == 1016 && r.hiwater_rss_bytes == 0, "100-byte payload: early fields only");

	n = make_reply(buf, 4242, 560, true, UINT64_MAX / 512);
	ctp_taskstats_parse_reply(buf, n, 4242, &r);
	check_u64(r.hiwater_rss_bytes, ==, UINT64_MAX);
	check_u64(r.hiwater_vm_bytes, ==, 4096);

	n = make_reply(buf, 4243, 560, true, 0);
	check_int(ctp_taskstats_parse_reply(buf, n, 4242, &r), ==, -1);
	check_int(r.err, ==, -1);
	ok(r.count[0] == 0, "tid mismatch leaves the result zeroed");

	n = make_reply(buf, 4242, 560, false, 0);
	ctp_taskstats_parse_reply(buf, n, 4242, &r);
	check_int(r.err, ==, -1); /* no AGGR_PID */

	static const struct {
		int32_t raw;
		uint32_t len;
		int want;
	} errs[] = { { -1, 36, EPERM }, { -3, 36, ESRCH }, { -13, 36, EACCES }, { -2, 36, ENOENT },
		     { 0, 36, -1 },     { -1, 18, -1 },    { 5, 36, -1 } };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(errs); i++) {
		n = make_error(buf, errs[i].raw, errs[i].len);
		ctp_taskstats_parse_reply(buf, n, 4242, &r);
		ok(r.err == errs[i].want, "NLMSG_ERROR %d (len %u) -> err %d (got %d)", errs[i].raw, errs[i].len,
		   errs[i].want, r.err);
	}
	n = make_reply(buf, 4242, 560, true, 0);
	ctp_taskstats_parse_reply(buf, 12, 4242, &r);
	check_int(r.err, ==, -1); /* shorter than a header */
	ctp_taskstats_parse_reply(buf, n - 8, 4242, &r);
	check_int(r.err, ==, -1); /* nlmsg_len beyond the datagram */
	struct nlattr bad = { 2, 4 };
	memcpy(buf + 20, &bad, 4);
	ctp_taskstats_parse_reply(buf, n, 4242, &r);
	check_int(r.err, ==, -1); /* nla_len < 4 stops the scan */
}

static void test_tally_apply(void)
{
	static const int errs[] = { 0, 0, EPERM, ESRCH, EACCES, -1, ENOENT, ETIMEDOUT, ENOSYS };
	struct ctp_taskstats_summary s = { 0 };
	for (size_t i = 0; i < CTP_ARRAY_SIZE(errs); i++)
		ctp_taskstats_tally(&s, errs[i]);
	ok(s.ok_count == 2 && s.eperm_count == 1 && s.esrch_count == 1 && s.other_err_count == 5,
	   "tally: ok 2 eperm 1 esrch 1 other 5 (got %llu %llu %llu %llu)", (unsigned long long)s.ok_count,
	   (unsigned long long)s.eperm_count, (unsigned long long)s.esrch_count, (unsigned long long)s.other_err_count);

	static const struct {
		enum ctp_delayacct d;
		enum ctp_xacct x;
		bool cpu, block, xacct;
	} flags[] = {
		{ CTP_DELAYACCT_CONFIG_OFF, CTP_XACCT_UNKNOWN, false, false, true },
		{ CTP_DELAYACCT_RUNTIME_OFF, CTP_XACCT_OFF, true, false, false },
		{ CTP_DELAYACCT_ON, CTP_XACCT_ON, true, true, true },
	};
	unsigned char buf[2048];
	struct ctp_taskstats_result r;
	ctp_taskstats_parse_reply(buf, make_reply(buf, 9, 560, true, 0), 9, &r);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(flags); i++) {
		struct ctp_acct_flags f = { flags[i].d, flags[i].x };
		struct ctp_thread t;
		ctp_thread_init(&t);
		ctp_taskstats_apply(&t, &r, &f);
		ok(t.taskstats_measured && t.cpu_delay_active == flags[i].cpu && t.delay_block_active == flags[i].block &&
			   t.xacct_active == flags[i].xacct,
		   "apply flags %s/%s -> cpu %d block %d xacct %d", ctp_delayacct_name(flags[i].d),
		   ctp_xacct_name(flags[i].x), flags[i].cpu, flags[i].block, flags[i].xacct);
		if (i == 0) {
			check_u64(t.cpu_delay_count, ==, 1016);
			check_u64(t.cpu_delay_total_ns, ==, 1024);
			check_u64(t.blkio_delay_max_ns, ==, 1448);
			check_u64(t.freepages_delay_count, ==, 1312);
			check_u64(t.compact_delay_total_ns, ==, 1360);
			check_u64(t.wpcopy_delay_min_ns, ==, 1536);
			check_u64(t.irq_delay_count, ==, 1416);
			check_u64(t.irq_delay_min_ns, ==, 1552);
			check_u64(t.hiwater_rss_bytes, ==, 1200 * 1024);
		}
		ctp_thread_release(&t);
	}
	struct ctp_thread t;
	struct ctp_acct_flags f = { CTP_DELAYACCT_ON, CTP_XACCT_ON };
	ctp_thread_init(&t);
	r.err = ESRCH;
	ctp_taskstats_apply(&t, &r, &f);
	ok(!t.taskstats_measured && !t.cpu_delay_active && t.cpu_delay_count == 0, "failed query: thread untouched");
	ctp_thread_release(&t);
}

/* ---- accounting flags ---- */

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void write_gz(const char *path, const char *text)
{
	gzFile g = gzopen(path, "wb");
	gzwrite(g, text, (unsigned)strlen(text));
	gzclose(g);
}

static void test_acct_flags(void)
{
	char tmpl[] = "/tmp/ctp-acct-XXXXXX", path[512], boot[4200], proc[4200];
	struct ctp_acct_flags f;
	snprintf(boot, sizeof(boot), "%s/host-a/boot", fixtures);
	snprintf(proc, sizeof(proc), "%s/host-a/proc", fixtures);
	ctp_acct_flags_read_at(proc, boot, "6.1.0-test", &f);
	ok(f.delayacct == CTP_DELAYACCT_ON && f.xacct == CTP_XACCT_ON, "host-a: delayacct on, boot config xacct on");
	ctp_acct_flags_read_at(proc, boot, "6.1.0-off", &f);
	check_int(f.xacct, ==, CTP_XACCT_OFF);
	ctp_acct_flags_read_at(proc, boot, "6.1.0-nosym", &f);
	check_int(f.xacct, ==, CTP_XACCT_UNKNOWN); /* and no config.gz in host-a/proc */
	ctp_acct_flags_read(proc, &f);
	check_int(f.xacct, ==, CTP_XACCT_UNKNOWN); /* fixture proc_root: /boot is not consulted */
	snprintf(proc, sizeof(proc), "%s/host-c/proc", fixtures);
	ctp_acct_flags_read_at(proc, NULL, NULL, &f);
	check_int(f.delayacct, ==, CTP_DELAYACCT_RUNTIME_OFF);
	snprintf(proc, sizeof(proc), "%s/host-b/proc", fixtures);
	ctp_acct_flags_read_at(proc, NULL, NULL, &f);
	check_int(f.delayacct, ==, CTP_DELAYACCT_CONFIG_OFF); /* file missing */

	if (!mkdtemp(tmpl)) {
		skip("cannot create a temp dir for config.gz cases");
		return;
	}
	snprintf(path, sizeof(path), "%s/sys", tmpl);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", tmpl);
	mkdir(path, 0755);
	static const struct {
		const char *delayacct; /* NULL: no file */
		enum ctp_delayacct want;
	} d[] = { { "", CTP_DELAYACCT_CONFIG_OFF }, { " 1 \n", CTP_DELAYACCT_ON }, { "0\n", CTP_DELAYACCT_RUNTIME_OFF },
		  { "2\n", CTP_DELAYACCT_RUNTIME_OFF }, { "\xff\n", CTP_DELAYACCT_CONFIG_OFF } };
	snprintf(path, sizeof(path), "%s/sys/kernel/task_delayacct", tmpl);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(d); i++) {
		write_file(path, d[i].delayacct);
		ctp_acct_flags_read_at(tmpl, NULL, NULL, &f);
		ok(f.delayacct == d[i].want, "task_delayacct case %zu -> %s", i, ctp_delayacct_name(d[i].want));
	}
	unlink(path);
	static const struct {
		const char *text;
		bool gz;
		enum ctp_xacct want;
	} x[] = {
		{ "CONFIG_A=y\nCONFIG_TASK_XACCT=y\n", true, CTP_XACCT_ON },
		{ "# CONFIG_TASK_XACCT is not set\nCONFIG_TASK_XACCT=y\n", true, CTP_XACCT_OFF },
		{ "CONFIG_TASK_XACCT=m\n", true, CTP_XACCT_UNKNOWN },
		{ "CONFIG_TASK_XACCT=y\n", false, CTP_XACCT_UNKNOWN }, /* not gzip at all */
	};
	snprintf(path, sizeof(path), "%s/config.gz", tmpl);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(x); i++) {
		if (x[i].gz)
			write_gz(path, x[i].text);
		else
			write_file(path, x[i].text);
		ctp_acct_flags_read_at(tmpl, boot, "6.1.0-nosym", &f);
		ok(f.xacct == x[i].want && f.delayacct == CTP_DELAYACCT_CONFIG_OFF, "config.gz case %zu -> %s", i,
		   ctp_xacct_name(x[i].want));
	}
	write_gz(path, "CONFIG_TASK_XACCT=y\n");
	ctp_acct_flags_read_at(tmpl, boot, "6.1.0-off", &f);
	check_int(f.xacct, ==, CTP_XACCT_OFF); /* /boot decides before config.gz */
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/kernel", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", tmpl);
	rmdir(path);
	rmdir(tmpl);
}

/* what this host says, found independently of the code under test */
static void test_acct_flags_live(void)
{
	struct ctp_acct_flags f;
	char buf[16] = "";
	ctp_acct_flags_read(NULL, &f);
	FILE *p = fopen("/proc/sys/kernel/task_delayacct", "r");
	enum ctp_delayacct want = CTP_DELAYACCT_CONFIG_OFF;
	if (p) {
		if (fgets(buf, sizeof(buf), p))
			want = buf[0] == '1' && (buf[1] == '\n' || !buf[1]) ? CTP_DELAYACCT_ON : CTP_DELAYACCT_RUNTIME_OFF;
		fclose(p);
	}
	ok(f.delayacct == want, "live delayacct %s", ctp_delayacct_name(f.delayacct));
	p = popen("(cat /boot/config-$(uname -r) 2>/dev/null || zcat /proc/config.gz 2>/dev/null) | "
		  "grep -E -x -m1 'CONFIG_TASK_XACCT=y|# CONFIG_TASK_XACCT is not set'",
		  "r");
	buf[0] = 0;
	if (p) {
		if (!fgets(buf, sizeof(buf), p))
			buf[0] = 0;
		pclose(p);
	}
	enum ctp_xacct wx = !buf[0] ? CTP_XACCT_UNKNOWN : buf[0] == 'C' ? CTP_XACCT_ON : CTP_XACCT_OFF;
	ok(f.xacct == wx, "live CONFIG_TASK_XACCT %s", ctp_xacct_name(f.xacct));
}

/* ---- live queries ---- */

static uint32_t gettid_(void)
{
	return (uint32_t)syscall(SYS_gettid);
}

/* a "Key: N kB" line of /proc/self/status */
static long status_kb(const char *fmt)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

struct sleeper {
	int go[2], done[2];
	volatile uint32_t tid;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	char c;
	s->tid = gettid_();
	if (write(s->done[1], "r", 1) != 1 || read(s->go[0], &c, 1) != 1)
		return NULL;
	for (int i = 0; i < 20; i++) {
		struct timespec t = { 0, 1000000 };
		nanosleep(&t, NULL);
	}
	if (write(s->done[1], "d", 1) != 1 || read(s->go[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

static void *exit_main(void *arg)
{
	*(uint32_t *)arg = gettid_();
	return NULL;
}

static char saved_delayacct[16];
static bool delayacct_changed;

static void restore_delayacct(void)
{
	if (delayacct_changed) { /* open/write only: also runs from a signal handler */
		int fd = open("/proc/sys/kernel/task_delayacct", O_WRONLY);
		if (fd >= 0) {
			if (write(fd, saved_delayacct, strlen(saved_delayacct)) < 0)
				delayacct_changed = true;
			close(fd);
		}
		delayacct_changed = false;
	}
}

static void on_signal(int sig)
{
	restore_delayacct();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* turns delay accounting on for the test (root only), restored at exit */
static bool enable_delayacct(void)
{
	FILE *f = fopen("/proc/sys/kernel/task_delayacct", "r");
	if (!f)
		return false;
	bool got = fgets(saved_delayacct, sizeof(saved_delayacct), f) != NULL;
	fclose(f);
	if (!got || geteuid() != 0)
		return false;
	if (saved_delayacct[0] == '1')
		return true;
	atexit(restore_delayacct);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	delayacct_changed = true;
	if (write_file("/proc/sys/kernel/task_delayacct", "1\n") != 0) {
		delayacct_changed = false;
		return false;
	}
	return true;
}

static void test_counts_move(struct ctp_taskstats *ts)
{
	struct sleeper s;
	pthread_t th;
	char c;
	struct ctp_taskstats_result a, b;
	if (pipe(s.go) < 0 || pipe(s.done) < 0 || pthread_create(&th, NULL, sleeper_main, &s) != 0) {
		skip("cannot start the sleeper thread");
		return;
	}
	if (read(s.done[0], &c, 1) != 1)
		diag("sleeper did not report");
	uint32_t tid = s.tid;
	ctp_taskstats_query(ts, &tid, 1, &a);
	if (write(s.go[1], "g", 1) != 1 || read(s.done[0], &c, 1) != 1)
		diag("sleeper did not finish");
	ctp_taskstats_query(ts, &tid, 1, &b);
	check_int(a.err, ==, 0);
	check_int(b.err, ==, 0);
	diag("sleeper tid %u: cpu_count %llu -> %llu, cpu_delay_total %llu -> %llu ns, max %llu min %llu", tid,
	     (unsigned long long)a.count[0], (unsigned long long)b.count[0], (unsigned long long)a.total_ns[0],
	     (unsigned long long)b.total_ns[0], (unsigned long long)b.max_ns[0], (unsigned long long)b.min_ns[0]);
	/* every nanosleep wakes the thread once: at least 20 more runs on a CPU */
	check_u64(b.count[0], >=, a.count[0] + 20);
	check_u64(b.total_ns[0], >=, a.total_ns[0]);
	ok(b.count[0] == 0 || b.max_ns[0] >= b.min_ns[0], "cpu delay max >= min");
	check_u64(b.hiwater_rss_bytes % 1024, ==, 0);
	ok(b.hiwater_vm_bytes >= b.hiwater_rss_bytes && b.hiwater_rss_bytes > 0, "hiwater vm >= rss > 0");
	if (write(s.go[1], "q", 1) != 1)
		diag("cannot stop sleeper");
	pthread_join(th, NULL);
	close(s.go[0]);
	close(s.go[1]);
	close(s.done[0]);
	close(s.done[1]);
}

/* a tid of a joined thread: gone, so ESRCH. pthread_join returns when the kernel clears the
 * thread's tid word, which is before the task is released: wait (at most 5 s) until its
 * /proc/self/task entry is gone too, or taskstats may still answer for it */
static uint32_t exited_tid(void)
{
	pthread_t th;
	uint32_t tid = 0;
	if (pthread_create(&th, NULL, exit_main, &tid) == 0)
		pthread_join(th, NULL);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%u", tid);
	for (int i = 0; i < 5000 && access(path, F_OK) == 0; i++)
		usleep(1000);
	return tid;
}

static void test_esrch(struct ctp_taskstats *ts, struct ctp_taskstats_summary *sum)
{
	uint32_t tids[2] = { exited_tid(), 0 };
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	tids[1] = (uint32_t)child;
	struct ctp_taskstats_result r[2];
	ctp_taskstats_query(ts, tids, 2, r);
	check_int(r[0].err, ==, ESRCH);
	check_int(r[1].err, ==, ESRCH);
	ctp_taskstats_tally(sum, r[0].err);
	ctp_taskstats_tally(sum, r[1].err);
}

/* child drops to nobody (uid change clears every capability) and queries itself */
static void test_eperm(struct ctp_taskstats_summary *sum)
{
	if (geteuid() != 0) {
		skip("EPERM as nobody needs root to drop from");
		return;
	}
	int p[2];
	if (pipe(p) < 0) {
		skip("pipe failed");
		return;
	}
	pid_t child = fork();
	if (child == 0) {
		int res = -1000;
		close(p[0]);
		if (setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0) {
			struct ctp_taskstats *cts = ctp_taskstats_open(NULL);
			res = -2000;
			if (cts) {
				uint32_t tid = gettid_();
				struct ctp_taskstats_result r;
				ctp_taskstats_query(cts, &tid, 1, &r);
				res = r.err;
				ctp_taskstats_close(cts);
			}
		}
		if (write(p[1], &res, sizeof(res)) != (ssize_t)sizeof(res))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	int res = -3000;
	if (read(p[0], &res, sizeof(res)) != (ssize_t)sizeof(res))
		res = -3000;
	close(p[0]);
	waitpid(child, NULL, 0);
	ok(res == EPERM, "query as nobody without CAP_NET_ADMIN -> EPERM (got %d)", res);
	ctp_taskstats_tally(sum, res);
}

/* one call over many tids (beyond one batch) equals one call per tid */
static void test_pipelined_equals_single(struct ctp_taskstats *ts, struct ctp_taskstats_summary *sum)
{
	size_t n = 700;
	uint32_t *tids = ctp_xcalloc(n, sizeof(*tids)), me = gettid_(), gone = exited_tid();
	struct ctp_taskstats_result *many = ctp_xcalloc(n, sizeof(*many)), one;
	for (size_t i = 0; i < n; i++)
		tids[i] = i % 7 == 3 ? gone : i % 7 == 5 ? 1 : me;
	ctp_taskstats_query(ts, tids, n, many);
	size_t same = 0, ok_n = 0, esrch_n = 0;
	for (size_t i = 0; i < n; i++) {
		ctp_taskstats_query(ts, &tids[i], 1, &one);
		same += one.err == many[i].err;
		ok_n += many[i].err == 0;
		esrch_n += many[i].err == ESRCH;
		ctp_taskstats_tally(sum, many[i].err);
	}
	check_int(same, ==, n);
	check_int(esrch_n, ==, n / 7 + (n % 7 > 3));
	check_int(ok_n, ==, n - esrch_n);
	free(tids);
	free(many);
}

/* a receive buffer far too small for a batch: replies are dropped (ENOBUFS) and the lost ones
 * are asked again one at a time, so the outcome is still complete */
static void test_overrun(struct ctp_taskstats *ts)
{
	int small = 1, got = 0;
	socklen_t len = sizeof(got);
	if (setsockopt(ctp_taskstats_fd(ts), SOL_SOCKET, SO_RCVBUFFORCE, &small, sizeof(small)) < 0 &&
	    setsockopt(ctp_taskstats_fd(ts), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) < 0) {
		skip("cannot shrink the receive buffer");
		return;
	}
	getsockopt(ctp_taskstats_fd(ts), SOL_SOCKET, SO_RCVBUF, &got, &len);
	size_t n = 300, okc = 0, esrch = 0;
	uint32_t *tids = ctp_xcalloc(n, sizeof(*tids)), me = gettid_(), gone = exited_tid();
	struct ctp_taskstats_result *res = ctp_xcalloc(n, sizeof(*res));
	for (size_t i = 0; i < n; i++)
		tids[i] = i % 3 == 1 ? gone : me;
	uint64_t t0 = ctp_now_monotonic_ns();
	ctp_taskstats_query(ts, tids, n, res);
	uint64_t ms = (ctp_now_monotonic_ns() - t0) / 1000000;
	for (size_t i = 0; i < n; i++) {
		okc += res[i].err == 0;
		esrch += res[i].err == ESRCH;
	}
	diag("rcvbuf %d bytes: %zu ok, %zu esrch in %llu ms", got, okc, esrch, (unsigned long long)ms);
	ok(okc == 200 && esrch == 100, "tiny receive buffer: every lost reply recovered (ok %zu esrch %zu)", okc, esrch);
	free(tids);
	free(res);
}

/* every thread on the host, pipelined vs single: same outcome except for threads that exited */
static void test_host_threads(struct ctp_taskstats *ts)
{
	size_t n = 0, alloc = 256;
	uint32_t *tids = ctp_xmalloc(alloc * sizeof(*tids));
	DIR *proc = opendir("/proc");
	struct dirent *de;
	while (proc && (de = readdir(proc)) != NULL) {
		char path[300];
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		DIR *task = opendir(path);
		struct dirent *te;
		while (task && (te = readdir(task)) != NULL) {
			if (te->d_name[0] < '1' || te->d_name[0] > '9')
				continue;
			if (n == alloc)
				tids = ctp_xrealloc(tids, (alloc *= 2) * sizeof(*tids));
			tids[n++] = (uint32_t)strtoul(te->d_name, NULL, 10);
		}
		if (task)
			closedir(task);
	}
	if (proc)
		closedir(proc);
	struct ctp_taskstats_result *many = ctp_xcalloc(n, sizeof(*many)), one;
	ctp_taskstats_query(ts, tids, n, many);
	size_t differ = 0, okc = 0;
	for (size_t i = 0; i < n; i++) {
		ctp_taskstats_query(ts, &tids[i], 1, &one);
		okc += many[i].err == 0;
		if (one.err != many[i].err && one.err != ESRCH)
			differ++;
	}
	size_t esrch = 0;
	for (size_t i = 0; i < n; i++)
		esrch += many[i].err == ESRCH;
	check_int(differ, ==, 0);
	ok(okc + esrch == n, "host threads: %zu ok, %zu exited meanwhile, of %zu", okc, esrch, n);
	free(tids);
	free(many);
}

static void test_live(void)
{
	struct ctp_err err = { 0 };
	struct ctp_taskstats *ts = ctp_taskstats_open(&err);
	if (!ts) {
		char msg[600];
		skip("taskstats unavailable: %s", ctp_err_str(&err, msg, sizeof(msg)));
		return;
	}
	diag("taskstats window %zu requests per batch", ctp_taskstats_window(ts));
	struct ctp_taskstats_summary sum = { 0 };
	uint32_t me = gettid_();
	struct ctp_taskstats_result r;
	long peak0 = status_kb("VmPeak: %ld kB"); /* the first call faults in stdio's buffers */
	peak0 = status_kb("VmPeak: %ld kB");
	long hwm = status_kb("VmHWM: %ld kB");
	ctp_taskstats_query(ts, &me, 1, &r);
	long peak1 = status_kb("VmPeak: %ld kB");
	diag("VmPeak %ld kB, VmHWM %ld kB; taskstats hiwater_vm %llu, hiwater_rss %llu bytes", peak0, hwm,
	     (unsigned long long)r.hiwater_vm_bytes, (unsigned long long)r.hiwater_rss_bytes);
	if (r.err == EPERM) {
		ok(geteuid() != 0, "EPERM for our own thread: we lack CAP_NET_ADMIN");
		skip("live taskstats counts need CAP_NET_ADMIN (run as root)");
		ctp_taskstats_close(ts);
		return;
	}
	check_int(r.err, ==, 0);
	/* total_vm is an exact counter: hiwater_vm is VmPeak to the byte */
	if (peak0 == peak1)
		check_u64(r.hiwater_vm_bytes, ==, (uint64_t)peak0 * 1024);
	else
		skip("VmPeak moved during the query");
	/* RSS comes from per-CPU counters that the kernel sums differently for status and taskstats */
	ok(r.hiwater_rss_bytes % 1024 == 0 && r.hiwater_rss_bytes + (1 << 20) >= (uint64_t)hwm * 1024 &&
		   r.hiwater_rss_bytes <= (uint64_t)hwm * 1024 + (1 << 20),
	   "hiwater_rss within 1 MiB of VmHWM");
	ctp_taskstats_tally(&sum, r.err);

	test_counts_move(ts);
	if (enable_delayacct()) {
		struct ctp_acct_flags f;
		ctp_acct_flags_read(NULL, &f);
		check_int(f.delayacct, ==, CTP_DELAYACCT_ON);
		test_counts_move(ts);
		struct ctp_thread t;
		ctp_thread_init(&t);
		ctp_taskstats_query(ts, &me, 1, &r);
		ctp_taskstats_apply(&t, &r, &f);
		ok(t.taskstats_measured && t.delay_block_active && t.cpu_delay_active, "delayacct on: flags set");
		ctp_thread_release(&t);
		restore_delayacct();
	} else {
		skip("cannot switch task_delayacct on (not root)");
	}
	test_esrch(ts, &sum);
	test_eperm(&sum);
	test_pipelined_equals_single(ts, &sum);
	ok(sum.esrch_count >= 2 && sum.other_err_count == 0 && sum.ok_count >= 600, "summary: ok %llu eperm %llu esrch %llu",
	   (unsigned long long)sum.ok_count, (unsigned long long)sum.eperm_count, (unsigned long long)sum.esrch_count);
	test_host_threads(ts);
	test_overrun(ts);
	ctp_taskstats_close(ts);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures", src ? src : ".");
	test_parse();
	test_tally_apply();
	test_acct_flags();
	test_acct_flags_live();
	test_live();
	ctp_taskstats_close(NULL);
	return test_done();
}
