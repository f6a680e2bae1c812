/* taskstats.c — per-thread delay accounting over generic netlink (TASKSTATS family), after the
 * kernel's getdelays.c: libnl resolves the family once, then requests are built by hand and sent
 * in batches (one datagram carries up to `window` requests; the kernel answers each while the
 * send runs) and replies are drained with recvmmsg, matched by sequence number and checked by
 * PID attribute. Raw errnos come from NLMSG_ERROR (libnl would fold them, Appendix E2). */
#include "capture/taskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include <netlink/genl/ctrl.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include <linux/taskstats.h>
#include <stddef.h>

#include "capture/procfs.h"
#include "capture/readfile.h"
#include "capture/textfile.h"
#include "snapshot/tscover.h"

enum {
	TS_CMD_GET = 1,       /* TASKSTATS_CMD_GET */
	TS_CMD_ATTR_PID = 1,  /* TASKSTATS_CMD_ATTR_PID */
	TS_TYPE_PID = 1,      /* TASKSTATS_TYPE_PID */
	TS_TYPE_STATS = 3,    /* TASKSTATS_TYPE_STATS */
	TS_TYPE_AGGR_PID = 4, /* TASKSTATS_TYPE_AGGR_PID */
	REQ_LEN = 28,         /* nlmsghdr 16 + genlmsghdr 4 + nlattr 4 + u32 4 */
	REPLY_BUF = 2048,     /* one reply datagram (struct taskstats v17 is ~470 bytes) */
	MAX_WINDOW = 256,
	RCVBUF_WANT = 4 << 20,
	REPLY_TRUESIZE = 4096, /* conservative rcvbuf charge of one queued reply */
	PENDING = INT_MIN,
};

struct ctp_taskstats {
	struct nl_sock *sk;
	int fd;
	uint16_t family;
	uint32_t seq;
	size_t window;
	unsigned char *req;     /* window * REQ_LEN */
	unsigned char *replies; /* window * REPLY_BUF */
	struct mmsghdr *msgs;
	struct iovec *iov;
};

/* byte offsets in struct taskstats (uapi v16+), per category: count, total, max, min */
static const uint16_t off_count[8] = { 16, 32, 48, 312, 328, 352, 400, 416 };
static const uint16_t off_total[8] = { 24, 40, 56, 320, 336, 360, 408, 424 };
static const uint16_t off_max[8] = { 432, 448, 464, 480, 496, 512, 528, 544 };
enum { OFF_HIWATER_RSS = 200, OFF_HIWATER_VM = 208 };

/* ---- host-wide accounting flags ---- */

static enum ctp_delayacct read_delayacct(const char *proc_root)
{
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/sys/kernel/task_delayacct", proc_root);
	char *s = ctp_read_trimmed_at(AT_FDCWD, path.buf);
	enum ctp_delayacct d = !s || !*s ? CTP_DELAYACCT_CONFIG_OFF
			       : !strcmp(s, "1") ? CTP_DELAYACCT_ON
						 : CTP_DELAYACCT_RUNTIME_OFF;
	free(s);
	ctp_buf_release(&path);
	return d;
}

/* first line of a kernel .config that decides CONFIG_TASK_XACCT */
static enum ctp_xacct scan_config(const char *text, size_t len)
{
	const char *cur = text, *end = text + len, *s;
	size_t n;
	while (ctp_next_line(&cur, end, &s, &n)) {
		ctp_trim(&s, &n);
		if (n == 19 && !memcmp(s, "CONFIG_TASK_XACCT=y", 19))
			return CTP_XACCT_ON;
		if (n == 30 && !memcmp(s, "# CONFIG_TASK_XACCT is not set", 30))
			return CTP_XACCT_OFF;
	}
	return CTP_XACCT_UNKNOWN;
}

/* gunzips a whole file into b; -1 on open/gzip error or a file that is not gzip at all */
static int read_gz(const char *path, struct ctp_buf *b)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return -1;
	ctp_buf_reset(b);
	int n;
	do {
		ctp_buf_grow(b, 65536);
		n = gzread(gz, b->buf + b->len, 65536);
		if (n > 0)
			b->len += (size_t)n;
	} while (n > 0);
	bool direct = gzdirect(gz);
	gzclose(gz);
	b->buf[b->len] = 0;
	return n < 0 || direct || !ctp_utf8_valid(b->buf, b->len) ? -1 : 0;
}

static enum ctp_xacct read_xacct(const char *proc_root, const char *boot_dir, const char *release)
{
	struct ctp_buf path = CTP_BUF_INIT, text = CTP_BUF_INIT;
	enum ctp_xacct x = CTP_XACCT_UNKNOWN;
	if (boot_dir && release) {
		ctp_buf_addf(&path, "%s/config-%s", boot_dir, release);
		if (ctp_read_text_at(AT_FDCWD, path.buf, &text) == 0)
			x = scan_config(text.buf, text.len);
	}
	if (x == CTP_XACCT_UNKNOWN) {
		ctp_buf_reset(&path);
		ctp_buf_addf(&path, "%s/config.gz", proc_root);
		if (read_gz(path.buf, &text) == 0)
			x = scan_config(text.buf, text.len);
	}
	ctp_buf_release(&path);
	ctp_buf_release(&text);
	return x;
}

void ctp_acct_flags_read_at(const char *proc_root, const char *boot_dir, const char *release,
			    struct ctp_acct_flags *out)
{
	if (!proc_root)
		proc_root = "/proc";
	out->delayacct = read_delayacct(proc_root);
	out->xacct = read_xacct(proc_root, boot_dir, release);
}

void ctp_acct_flags_read(const char *proc_root, struct ctp_acct_flags *out)
{
	struct utsname u;
	bool live = !proc_root || !strcmp(proc_root, "/proc");
	bool have_uname = live && uname(&u) == 0;
	ctp_acct_flags_read_at(proc_root, have_uname ? "/boot" : NULL, have_uname ? u.release : NULL, out);
}

/* ---- socket ---- */

static void set_rcvbuf(struct ctp_taskstats *ts)
{
	int want = RCVBUF_WANT, got = 0;
	socklen_t len = sizeof(got);
	if (setsockopt(ts->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(ts->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	if (getsockopt(ts->fd, SOL_SOCKET, SO_RCVBUF, &got, &len) < 0)
		got = 0;
	size_t w = (size_t)got / REPLY_TRUESIZE;
	ts->window = w < 8 ? 8 : w > MAX_WINDOW ? MAX_WINDOW : w;
}

/* a libnl error code as the nearest errno, for callers that report sys_errno */
static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_AF_NOSUPPORT:
	case NLE_PROTO_MISMATCH:
		return EPROTONOSUPPORT;
	default:
		return EPROTO;
	}
}

struct ctp_taskstats *ctp_taskstats_open(struct ctp_err *err)
{
	struct ctp_taskstats *ts = ctp_xcalloc(1, sizeof(*ts));
	int r;
	ts->sk = nl_socket_alloc();
	if (!ts->sk) {
		ctp_err_set(err, CTP_E_NOSYS, ENOMEM, "taskstats", "cannot allocate a netlink socket");
		goto fail;
	}
	if ((r = genl_connect(ts->sk)) < 0) {
		ctp_err_set(err, CTP_E_NOSYS, nl_errno(r), "taskstats", "generic netlink connect failed: %s", nl_geterror(r));
		goto fail;
	}
	if ((r = genl_ctrl_resolve(ts->sk, "TASKSTATS")) < 0) {
		ctp_err_set(err, CTP_E_NOSYS, nl_errno(r), "taskstats", "family 'TASKSTATS' not found: %s", nl_geterror(r));
		goto fail;
	}
	ts->family = (uint16_t)r;
	nl_socket_disable_auto_ack(ts->sk);
	ts->fd = nl_socket_get_fd(ts->sk);
	set_rcvbuf(ts);
	ts->req = ctp_xcalloc(ts->window, REQ_LEN);
	/* mapped: its pages go back between captures (ctp_taskstats_idle) */
	void *rp = mmap(NULL, ts->window * REPLY_BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rp == MAP_FAILED) {
		ctp_err_set(err, CTP_E_NOSYS, errno, "taskstats", "cannot map the reply buffers");
		goto fail;
	}
	ts->replies = rp;
	ts->msgs = ctp_xcalloc(ts->window, sizeof(*ts->msgs));
	ts->iov = ctp_xcalloc(ts->window, sizeof(*ts->iov));
	for (size_t i = 0; i < ts->window; i++) {
		ts->iov[i] = (struct iovec){ ts->replies + i * REPLY_BUF, REPLY_BUF };
		ts->msgs[i].msg_hdr.msg_iov = &ts->iov[i];
		ts->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return ts;
fail:
	ctp_taskstats_close(ts);
	return NULL;
}

void ctp_taskstats_close(struct ctp_taskstats *ts)
{
	if (!ts)
		return;
	if (ts->sk)
		nl_socket_free(ts->sk);
	free(ts->req);
	if (ts->replies)
		munmap(ts->replies, ts->window * REPLY_BUF);
	free(ts->msgs);
	free(ts->iov);
	free(ts);
}

void ctp_taskstats_idle(struct ctp_taskstats *ts)
{
	if (ts && ts->replies)
		madvise(ts->replies, ts->window * REPLY_BUF, MADV_DONTNEED);
}

size_t ctp_taskstats_window(const struct ctp_taskstats *ts)
{
	return ts->window;
}

int ctp_taskstats_fd(const struct ctp_taskstats *ts)
{
	return ts->fd;
}

/* ---- reply parsing ---- */

static uint64_t rd_u64(const unsigned char *p, size_t len, size_t off)
{
	uint64_t v = 0;
	if (off + 8 <= len)
		memcpy(&v, p + off, 8);
	return v;
}

static void parse_stats(const unsigned char *p, size_t len, struct ctp_taskstats_result *r)
{
	for (int c = 0; c < 8; c++) {
		r->count[c] = rd_u64(p, len, off_count[c]);
		r->total_ns[c] = rd_u64(p, len, off_total[c]);
		r->max_ns[c] = rd_u64(p, len, off_max[c]);
		r->min_ns[c] = rd_u64(p, len, off_max[c] + 8u);
	}
	r->hiwater_rss_bytes = ctp_sat_mul(rd_u64(p, len, OFF_HIWATER_RSS), 1024);
	r->hiwater_vm_bytes = ctp_sat_mul(rd_u64(p, len, OFF_HIWATER_VM), 1024);
	size_t k = 0;
#define TS_READ(field, member, when) \
	if (strcmp(#field, "comm")) \
		r->cover[k++] = rd_u64(p, len, offsetof(struct taskstats, member));
	CTP_TS_COVER_LIST(TS_READ)
#undef TS_READ
	size_t co = offsetof(struct taskstats, ac_comm);
	if (co + TS_COMM_LEN <= len)
		memcpy(r->comm, p + co, TS_COMM_LEN);
	r->comm[TS_COMM_LEN] = '\0';
	if (offsetof(struct taskstats, ac_ppid) + 4 <= len)
		memcpy(&r->ppid, p + offsetof(struct taskstats, ac_ppid), 4);
	r->full = len >= offsetof(struct taskstats, nivcsw) + 8;
	r->start_mono_ns = ctp_sat_mul(rd_u64(p, len, offsetof(struct taskstats, ac_etime)), 1000);
}

/* finds attribute `type` (raw 16-bit compare, Appendix O7) in [p, p+len); payload out */
static bool find_nla(const unsigned char *p, size_t len, uint16_t type, const unsigned char **pl, size_t *pln)
{
	size_t off = 0;
	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;
		memcpy(&a, p + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len)
			return false;
		if (a.nla_type == type) {
			*pl = p + off + NLA_HDRLEN;
			*pln = a.nla_len - NLA_HDRLEN;
			return true;
		}
		off += NLA_ALIGN(a.nla_len);
	}
	return false;
}

int ctp_taskstats_parse_reply(const void *buf, size_t len, uint32_t tid, struct ctp_taskstats_result *r)
{
	const unsigned char *p = buf, *aggr, *pid, *st;
	size_t aggrn, pidn, stn;
	struct nlmsghdr h;
	memset(r, 0, sizeof(*r));
	r->err = -1;
	if (len < NLMSG_HDRLEN)
		return -1;
	memcpy(&h, p, sizeof(h));
	if (h.nlmsg_len > len || h.nlmsg_len < NLMSG_HDRLEN)
		return -1;
	if (h.nlmsg_type == NLMSG_ERROR) {
		int32_t e;
		if (h.nlmsg_len < NLMSG_HDRLEN + 4)
			return -1;
		memcpy(&e, p + NLMSG_HDRLEN, 4);
		r->err = e < 0 && e != INT32_MIN ? -e : -1; /* 0 = ack only: "other" */
		return -1;
	}
	if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -1;
	p += NLMSG_HDRLEN + GENL_HDRLEN;
	len = h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	if (!find_nla(p, len, TS_TYPE_AGGR_PID, &aggr, &aggrn) || !find_nla(aggr, aggrn, TS_TYPE_PID, &pid, &pidn) ||
	    pidn < 4 || !find_nla(aggr, aggrn, TS_TYPE_STATS, &st, &stn))
		return -1;
	uint32_t got;
	memcpy(&got, pid, 4);
	if (got != tid)
		return -1; /* tid mismatch */
	parse_stats(st, stn, r);
	r->err = 0;
	return 0;
}

int ctp_taskstats_parse_exit(const void *buf, size_t len, struct ctp_taskstats_exit *x)
{
	const unsigned char *p = buf, *aggr, *pid, *st;
	size_t aggrn, pidn, stn, hl = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr h;
	memset(x, 0, sizeof(*x));
	if (len < hl)
		return -1;
	memcpy(&h, p, sizeof(h));
	if (h.nlmsg_len > len || h.nlmsg_len < hl)
		return -1;
	if (!find_nla(p + hl, h.nlmsg_len - hl, TS_TYPE_AGGR_PID, &aggr, &aggrn) ||
	    !find_nla(aggr, aggrn, TS_TYPE_PID, &pid, &pidn) || pidn < 4 || !find_nla(aggr, aggrn, TS_TYPE_STATS, &st, &stn))
		return -1;
	memcpy(&x->tid, pid, 4);
	if (ctp_taskstats_parse_reply(buf, len, x->tid, &x->r) < 0)
		return -1;
	if (offsetof(struct taskstats, ac_tgid) + 4 <= stn)
		memcpy(&x->tgid, st + offsetof(struct taskstats, ac_tgid), 4);
	x->utime_us = rd_u64(st, stn, offsetof(struct taskstats, ac_utime));
	x->stime_us = rd_u64(st, stn, offsetof(struct taskstats, ac_stime));
	x->rchar = rd_u64(st, stn, offsetof(struct taskstats, read_char));
	x->wchar = rd_u64(st, stn, offsetof(struct taskstats, write_char));
	return 0;
}

/* ---- queries ---- */

static void build_request(unsigned char *m, uint16_t family, uint32_t seq, uint32_t tid)
{
	struct nlmsghdr h = { .nlmsg_len = REQ_LEN, .nlmsg_type = family, .nlmsg_flags = NLM_F_REQUEST,
			      .nlmsg_seq = seq, .nlmsg_pid = 0 };
	struct genlmsghdr g = { .cmd = TS_CMD_GET, .version = 1, .reserved = 0 };
	struct nlattr a = { .nla_len = 8, .nla_type = TS_CMD_ATTR_PID };
	memcpy(m, &h, 16);
	memcpy(m + 16, &g, 4);
	memcpy(m + 20, &a, 4);
	memcpy(m + 24, &tid, 4);
}

/* one received datagram: every message in it answers the request with its seq */
static size_t take_datagram(const unsigned char *p, size_t len, uint32_t base, size_t k, const uint32_t *tids,
			    struct ctp_taskstats_result *res)
{
	size_t answered = 0;
	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			break;
		uint32_t j = h.nlmsg_seq - base;
		if (j < k && res[j].err == PENDING) {
			ctp_taskstats_parse_reply(p, h.nlmsg_len, tids[j], &res[j]);
			answered++;
		}
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return answered;
}

/* receives until k answers arrived, or nothing more comes within a short grace period */
static void drain(struct ctp_taskstats *ts, uint32_t base, size_t k, const uint32_t *tids,
		  struct ctp_taskstats_result *res)
{
	size_t answered = 0;
	bool overrun = false, waited = false;
	while (answered < k) {
		int n = recvmmsg(ts->fd, ts->msgs, (unsigned)ts->window, MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			overrun = true; /* replies were dropped: the missing ones stay PENDING */
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			/* the kernel answers inside sendto(): after an overrun the rest is lost for sure,
			 * otherwise allow one short wait */
			struct pollfd pfd = { ts->fd, POLLIN, 0 };
			if (overrun || waited || poll(&pfd, 1, 20) <= 0)
				break;
			waited = true;
			continue;
		}
		if (n < 0)
			break;
		for (int i = 0; i < n; i++)
			answered += take_datagram(ts->replies + (size_t)i * REPLY_BUF, ts->msgs[i].msg_len, base, k,
						  tids, res);
	}
}

/* sends requests for tids[0..k) in one datagram and collects the answers */
static void query_batch(struct ctp_taskstats *ts, const uint32_t *tids, size_t k, struct ctp_taskstats_result *res)
{
	uint32_t base = ts->seq + 1;
	ts->seq += (uint32_t)k;
	for (size_t j = 0; j < k; j++) {
		memset(&res[j], 0, sizeof(res[j]));
		res[j].err = PENDING;
		build_request(ts->req + j * REQ_LEN, ts->family, base + (uint32_t)j, tids[j]);
	}
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t s;
	do
		s = sendto(ts->fd, ts->req, k * REQ_LEN, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (s < 0 && errno == EINTR);
	if (s < 0) {
		int e = errno;
		for (size_t j = 0; j < k; j++)
			res[j].err = e;
		return;
	}
	uint64_t now = ctp_now_monotonic_ns(); /* the kernel answered inside sendto */
	drain(ts, base, k, tids, res);
	for (size_t j = 0; j < k; j++)
		if (res[j].err == 0)
			res[j].start_mono_ns = now > res[j].start_mono_ns ? now - res[j].start_mono_ns : 0;
}

void ctp_taskstats_query(struct ctp_taskstats *ts, const uint32_t *tids, size_t n, struct ctp_taskstats_result *res)
{
	if (!ts) {
		for (size_t i = 0; i < n; i++) {
			memset(&res[i], 0, sizeof(res[i]));
			res[i].err = ENOSYS;
		}
		return;
	}
	for (size_t i = 0; i < n; i += ts->window)
		query_batch(ts, tids + i, n - i < ts->window ? n - i : ts->window, res + i);
	/* replies lost to a receive-buffer overrun: ask once more, one at a time */
	for (size_t i = 0; i < n; i++) {
		if (res[i].err == PENDING)
			query_batch(ts, tids + i, 1, res + i);
		if (res[i].err == PENDING)
			res[i].err = ETIMEDOUT;
	}
}

/* ---- results into threads ---- */

void ctp_taskstats_apply(struct ctp_thread *t, const struct ctp_taskstats_result *r, const struct ctp_acct_flags *flags)
{
	if (r->err != 0)
		return;
	/* the eight delay classes, in the order of the result's arrays */
#define DELAY(c) { &t->c##_delay_count, &t->c##_delay_total_ns, &t->c##_delay_max_ns, &t->c##_delay_min_ns },
	uint64_t *const dst[8][4] = { DELAY(cpu) DELAY(blkio) DELAY(swapin) DELAY(freepages) DELAY(thrashing)
				      DELAY(compact) DELAY(wpcopy) DELAY(irq) };
#undef DELAY
	for (int c = 0; c < 8; c++) {
		*dst[c][0] = r->count[c];
		*dst[c][1] = r->total_ns[c];
		*dst[c][2] = r->max_ns[c];
		*dst[c][3] = r->min_ns[c];
	}
	t->hiwater_rss_bytes = r->hiwater_rss_bytes;
	t->hiwater_vm_bytes = r->hiwater_vm_bytes;
	t->taskstats_measured = true;
	t->cpu_delay_active = flags->delayacct != CTP_DELAYACCT_CONFIG_OFF;
	t->delay_block_active = flags->delayacct == CTP_DELAYACCT_ON;
	t->xacct_active = flags->xacct != CTP_XACCT_OFF;
}

enum { TSW_ALWAYS, TSW_DELAYACCT };

uint32_t ctp_taskstats_covers(const struct ctp_taskstats_result *r, uint32_t tid, const struct ctp_acct_flags *flags)
{
	if (!r || r->err != 0 || !r->full)
		return 0;
	uint32_t all = 0, bad = 0;
	bool kthread = r->ppid == 2 || tid == 2;
#define TS_WHEN(field, member, when)                                                                \
	{                                                                                           \
		uint32_t b = 1u << ctp_fields[CTP_F_##field].source;                                 \
		all |= b;                                                                           \
		if ((TSW_##when == TSW_DELAYACCT && flags->delayacct != CTP_DELAYACCT_ON && !r->count[0]) || \
		    (CTP_F_##field == CTP_F_comm && kthread))                                        \
			bad |= b;                                                                   \
	}
	CTP_TS_COVER_LIST(TS_WHEN)
#undef TS_WHEN
	return all & ~bad;
}

void ctp_taskstats_apply_cover(struct ctp_thread *t, const struct ctp_taskstats_result *r, uint32_t sources)
{
	size_t k = 0;
	if (sources & (1u << ctp_fields[CTP_F_comm].source)) {
		free(t->comm);
		t->comm = ctp_comm_dup(r->comm, strlen(r->comm));
	}
#define TS_SET(field, member, when)                                                                 \
	if (CTP_F_##field != CTP_F_comm) {                                                          \
		if (sources & (1u << ctp_fields[CTP_F_##field].source))                              \
			memcpy((char *)t + ctp_fields[CTP_F_##field].offset, &r->cover[k], 8);       \
		k++;                                                                                \
	}
	CTP_TS_COVER_LIST(TS_SET)
#undef TS_SET
}

void ctp_taskstats_tally(struct ctp_taskstats_summary *s, int err)
{
	if (err == 0)
		s->ok_count++;
	else if (err == EPERM)
		s->eperm_count++;
	else if (err == ESRCH)
		s->esrch_count++;
	else
		s->other_err_count++;
}
