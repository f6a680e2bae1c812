/* exits.c — the taskstats exit listener (issue 17 item 2): registers a socket of its own for the
 * exit records of every possible CPU, drains it without blocking at each capture and turns the
 * records into snapshot.exits, each attributed to its process through the identities of the
 * previous capture's threads (tid -> tgid, start time, pcomm, cgroup). */
#include "capture/exits.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "base/format.h"
#include "base/tidmap.h"
#include "capture/procfs.h"

enum { RECV_BUF = 64 << 10, RCVBUF_WANT = 16 << 20, HELD_MAX = 1 << 20 };

/* one thread of a capture, for the next collect */
struct ident {
	uint32_t tid, tgid;
	uint64_t start;
	const char *pcomm, *cgroup; /* in the generation's pool */
};

struct gen {
	struct ctp_tidmap ids;
	char **pool;
	size_t npool, apool;
};

struct held {
	struct ctp_taskstats_exit e;
	bool waited; /* its thread was still in a capture once */
};

struct ctp_exits {
	struct nl_sock *sk;
	int fd;
	int family;
	char *mask;
	unsigned char *buf;
	uint64_t received, lost;
	struct gen prev;
	struct held *held;
	size_t nheld, aheld;
};

static char *possible_cpus(const char *sys_root)
{
	char path[4096], line[4096] = "";
	snprintf(path, sizeof(path), "%s/devices/system/cpu/possible", sys_root ? sys_root : "/sys");
	FILE *f = fopen(path, "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	if (!line[0]) /* as many as the host may have online */
		snprintf(line, sizeof(line), "0-%ld", sysconf(_SC_NPROCESSORS_CONF) > 0 ? sysconf(_SC_NPROCESSORS_CONF) - 1 : 0);
	return ctp_xstrdup(line);
}

/* TASKSTATS_CMD_GET with a (DE)REGISTER_CPUMASK attribute; 0 or a negative libnl error */
static int send_mask(struct ctp_exits *x, int attr)
{
	struct nl_msg *m = nlmsg_alloc();
	int r = -NLE_NOMEM;
	if (m && genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, x->family, 0, 0, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION) &&
	    nla_put_string(m, attr, x->mask) == 0)
		r = nl_send_auto(x->sk, m);
	nlmsg_free(m);
	return r < 0 ? r : nl_wait_for_ack(x->sk);
}

static void gen_release(struct gen *g)
{
	for (size_t i = 0; i < g->npool; i++)
		free(g->pool[i]);
	free(g->pool);
	ctp_tidmap_release(&g->ids);
	memset(g, 0, sizeof(*g));
	ctp_tidmap_init(&g->ids, sizeof(struct ident));
}

struct ctp_exits *ctp_exits_open(const char *sys_root, struct ctp_err *err)
{
	struct ctp_exits *x = ctp_xcalloc(1, sizeof(*x));
	int r, want = RCVBUF_WANT;
	ctp_tidmap_init(&x->prev.ids, sizeof(struct ident));
	x->mask = possible_cpus(sys_root);
	if (!(x->sk = nl_socket_alloc()) || (r = genl_connect(x->sk)) < 0) {
		ctp_err_set(err, CTP_E_NOSYS, EPROTONOSUPPORT, "taskstats exits", "generic netlink connect failed");
		goto fail;
	}
	if ((x->family = genl_ctrl_resolve(x->sk, "TASKSTATS")) < 0) {
		ctp_err_set(err, CTP_E_NOSYS, ENOENT, "taskstats exits", "family 'TASKSTATS' not found");
		goto fail;
	}
	x->fd = nl_socket_get_fd(x->sk);
	if (setsockopt(x->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	if ((r = send_mask(x, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK)) < 0) {
		ctp_err_set(err, CTP_E_NOSYS, EPERM, "taskstats exits", "registering cpus %s failed: %s", x->mask,
			    nl_geterror(r));
		goto fail;
	}
	nl_socket_set_nonblocking(x->sk);
	x->buf = ctp_xmalloc(RECV_BUF);
	return x;
fail:
	ctp_exits_close(x);
	return NULL;
}

void ctp_exits_close(struct ctp_exits *x)
{
	if (!x)
		return;
	if (x->buf) { /* registered: the kernel drops a listener it cannot reach, but say so */
		nl_socket_set_nonblocking(x->sk);
		struct nl_msg *m = nlmsg_alloc();
		if (m && genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, x->family, 0, 0, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION) &&
		    nla_put_string(m, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, x->mask) == 0)
			nl_send_auto(x->sk, m);
		nlmsg_free(m);
	}
	if (x->sk)
		nl_socket_free(x->sk);
	gen_release(&x->prev);
	ctp_tidmap_release(&x->prev.ids);
	free(x->mask);
	free(x->buf);
	free(x->held);
	free(x);
}

uint64_t ctp_exits_received(const struct ctp_exits *x)
{
	return x ? x->received : 0;
}

int ctp_exits_fd(const struct ctp_exits *x)
{
	return x->fd;
}

static void hold(struct ctp_exits *x, const struct ctp_taskstats_exit *e)
{
	if (x->nheld >= HELD_MAX) {
		x->lost++;
		return;
	}
	if (x->nheld == x->aheld) {
		x->aheld = x->aheld ? x->aheld * 2 : 256;
		x->held = ctp_xrealloc(x->held, x->aheld * sizeof(*x->held));
	}
	x->held[x->nheld++] = (struct held){ *e, false };
}

/* every datagram pending, without blocking; ENOBUFS: the kernel dropped records */
static void drain(struct ctp_exits *x)
{
	for (;;) {
		ssize_t n = recv(x->fd, x->buf, RECV_BUF, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				x->lost++;
				continue;
			}
			if (errno == EINTR)
				continue;
			return; /* EAGAIN: drained */
		}
		size_t left = (size_t)n;
		for (const struct nlmsghdr *h = (const void *)x->buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			struct ctp_taskstats_exit e;
			if (h->nlmsg_type == (uint16_t)x->family && ctp_taskstats_parse_exit(h, h->nlmsg_len, &e) == 0) {
				x->received++;
				hold(x, &e);
			}
		}
	}
}

void ctp_exits_fill(struct ctp_thread *t, const struct ctp_taskstats_exit *e, const struct ctp_acct_flags *flags)
{
	long hz = ctp_clk_tck();
	ctp_taskstats_apply(t, &e->r, flags);
	ctp_taskstats_apply_cover(t, &e->r, ~0u); /* comm, faults, switches, run/wait/slices: final values */
	t->tid = e->tid;
	t->tgid = e->tgid;
	t->utime_clock_ticks = e->utime_us * (uint64_t)hz / 1000000u;
	t->stime_clock_ticks = e->stime_us * (uint64_t)hz / 1000000u;
	t->rchar = e->rchar;
	t->wchar = e->wchar;
	t->state = 'X';
}

/* a string of the generation's pool: the previous one's again when equal (a process's threads
 * are adjacent and share their pcomm and mostly their cgroup) */
static const char *pooled(struct gen *g, const char *s)
{
	if (g->npool && !strcmp(g->pool[g->npool - 1], s))
		return g->pool[g->npool - 1];
	if (g->npool == g->apool) {
		g->apool = g->apool ? g->apool * 2 : 64;
		g->pool = ctp_xrealloc(g->pool, g->apool * sizeof(*g->pool));
	}
	return g->pool[g->npool++] = ctp_xstrdup(s);
}

static void gen_build(struct gen *g, const struct ctp_snapshot *s)
{
	memset(g, 0, sizeof(*g));
	ctp_tidmap_init(&g->ids, sizeof(struct ident));
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ctp_thread *t = &s->threads[i];
		if (!t->tid || ctp_tidmap_find(&g->ids, t->tid))
			continue;
		struct ident id = { t->tid, t->tgid, t->start_time_clock_ticks, pooled(g, t->pcomm ? t->pcomm : ""),
				    NULL };
		id.cgroup = pooled(g, t->cgroup ? t->cgroup : "");
		ctp_tidmap_add(&g->ids, &id, 64, NULL, NULL);
	}
}

static void set_str(char **p, const char *v)
{
	free(*p);
	*p = ctp_xstrdup(v);
}

/* the record's identity: its own thread in the previous capture, else its process's leader in
 * this capture or the previous one; NULL when no group can take it (a process born and gone
 * between two captures, or one outside -p) */
static const struct ident *identity(const struct gen *cur, const struct gen *prev, struct ctp_taskstats_exit *e,
				    bool *own)
{
	const struct ident *id = ctp_tidmap_find(&prev->ids, e->tid);
	*own = id && (!e->tgid || id->tgid == e->tgid);
	if (*own) {
		e->tgid = id->tgid;
		return id;
	}
	if (!e->tgid)
		return NULL;
	id = ctp_tidmap_find(&cur->ids, e->tgid);
	if (!id || id->tgid != e->tgid)
		id = ctp_tidmap_find(&prev->ids, e->tgid);
	return id && id->tgid == e->tgid ? id : NULL;
}

static void emit(struct ctp_snapshot *s, struct ctp_taskstats_exit *e, const struct ident *id, bool own,
		 const struct ctp_acct_flags *flags)
{
	struct ctp_thread *t;
	if (s->nexits % 64 == 0)
		s->exits = ctp_xrealloc(s->exits, (s->nexits + 64) * sizeof(*s->exits));
	t = &s->exits[s->nexits++];
	memset(t, 0, sizeof(*t));
	ctp_thread_init(t);
	ctp_exits_fill(t, e, flags);
	set_str(&t->pcomm, id->pcomm);
	set_str(&t->cgroup, id->cgroup);
	free(t->comm);
	t->comm = ctp_comm_dup(e->r.comm, strlen(e->r.comm));
	t->start_time_clock_ticks = own ? id->start : 0; /* 0: born after the previous capture */
}

void ctp_exits_collect(struct ctp_exits *x, struct ctp_snapshot *s, const struct ctp_acct_flags *flags)
{
	struct gen cur;
	size_t keep = 0;
	drain(x);
	gen_build(&cur, s);
	for (size_t i = 0; i < x->nheld; i++) {
		struct held *h = &x->held[i];
		const struct ident *now = ctp_tidmap_find(&cur.ids, h->e.tid);
		if (now && !h->waited && (!h->e.tgid || now->tgid == h->e.tgid)) {
			h->waited = true; /* read by this capture, gone after: its twin is in s */
			x->held[keep++] = *h;
			continue;
		}
		bool own;
		const struct ident *id = identity(&cur, &x->prev, &h->e, &own);
		if (id)
			emit(s, &h->e, id, own, flags);
	}
	x->nheld = keep;
	gen_release(&x->prev);
	ctp_tidmap_release(&x->prev.ids);
	x->prev = cur;
	s->exits_on = true;
	s->exits_lost = x->lost;
	x->lost = 0;
}
