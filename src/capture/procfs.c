/* procfs.c — pure parsers of the per-thread /proc files (stat, schedstat, io, status, sched,
 * cgroup, smaps_rollup) and cpulists into a struct ctp_thread, following ktstr's parse.rs rules
 * (snapshot-and-capture.md §2), and the reading of one thread's files (fresh or through kept
 * fds, readfile.h) into them. A thread's name (raw in comm, stat and sched) can never hide the
 * thread or its numbers: those files are read as bytes and the name is decoded lossily. */
#include "capture/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture/readfile.h"
#include "snapshot/registry.h"

/* ---- small text helpers ---- */

const char *ctp_tally_token(enum ctp_tally_file f)
{
	static const char *const names[CTP_TF_COUNT] = { "cgroup", "stat",   "schedstat",   "io",
							 "status", "sched", "smaps_rollup" };
	return (unsigned)f < CTP_TF_COUNT ? names[f] : "";
}

uint32_t ctp_tally_source(enum ctp_tally_file f)
{
	static const enum ctp_source src[CTP_TF_COUNT] = { CTP_SOURCE_CGROUP, CTP_SOURCE_STAT,   CTP_SOURCE_SCHEDSTAT,
							   CTP_SOURCE_IO,     CTP_SOURCE_STATUS, CTP_SOURCE_SCHED,
							   CTP_SOURCE_SMAPS };
	return (unsigned)f < CTP_TF_COUNT ? 1u << src[f] : 0;
}

/* "key: value" -> trimmed key and value */
static bool split_colon(const char *line, size_t len, const char **k, size_t *kl, const char **v, size_t *vl)
{
	if (!ctp_split_key(line, len, k, kl, v, vl))
		return false;
	ctp_trim(v, vl);
	return true;
}

static inline bool key_is(const char *k, size_t kl, const char *lit, size_t litlen)
{
	return kl == litlen && !memcmp(k, lit, litlen);
}
#define KEY_IS(k, kl, lit) key_is(k, kl, lit, sizeof(lit) - 1)

static uint64_t u64_or0(const char *s, size_t n)
{
	uint64_t v;
	return ctp_parse_u64(s, n, &v) ? v : 0;
}

static void set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = ctp_xstrndup(s, n);
}

char *ctp_comm_dup(const char *s, size_t n)
{
	if (ctp_utf8_valid(s, n)) {
		ctp_trim(&s, &n);
		return ctp_xstrndup(s, n);
	}
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_utf8_lossy(s, n, &b);
	const char *t = b.buf;
	size_t tl = b.len;
	ctp_trim(&t, &tl);
	char *r = ctp_xstrndup(t, tl);
	ctp_buf_release(&b);
	return r;
}

/* ---- dotted ns ---- */

enum ctp_dotted ctp_parse_dotted_ns(const char *s, size_t n, uint64_t *out)
{
	ctp_trim(&s, &n);
	const char *dot = memchr(s, '.', n);
	if (!dot) {
		if (n && s[0] == '-')
			return CTP_DOTTED_NEGATIVE;
		return ctp_parse_u64(s, n, out) ? CTP_DOTTED_OK : CTP_DOTTED_MALFORMED;
	}
	const char *ip = s, *fp = dot + 1;
	size_t il = (size_t)(dot - s), fl = n - il - 1;
	ctp_trim(&ip, &il);
	if (il && ip[0] == '-')
		return CTP_DOTTED_NEGATIVE;
	const char *ft = fp;
	size_t ftl = fl, sp;
	while (ftl && (sp = ctp_unicode_space_len(ft, ft + ftl))) {
		ft += sp;
		ftl -= sp;
	}
	if (ftl && ft[0] == '-')
		return CTP_DOTTED_NEGATIVE;
	uint64_t ms, frac, r;
	if (!ctp_parse_u64(ip, il, &ms))
		return CTP_DOTTED_MALFORMED;
	char six[6] = { '0', '0', '0', '0', '0', '0' };
	/* first 6 chars, right-padded: a non-ASCII char fails the parse either way */
	for (size_t i = 0; i < 6 && i < fl; i++)
		six[i] = fp[i];
	if (!ctp_parse_u64(six, 6, &frac))
		return CTP_DOTTED_MALFORMED;
	if (__builtin_mul_overflow(ms, 1000000, &r) || __builtin_add_overflow(r, frac, &r))
		return CTP_DOTTED_MALFORMED;
	*out = r;
	return CTP_DOTTED_OK;
}

/* ---- stat ---- */

size_t ctp_stat_fields(const char *s, size_t n, const char **tok, size_t *tl, size_t max)
{
	/* the name may hold '\n' and ')': the last ')' of the whole text ends it */
	const char *rp = memrchr(s, ')', n);
	size_t nt = 0;
	if (rp) {
		const char *p = rp + 1, *le = memchr(p, '\n', (size_t)(s + n - p));
		if (!le)
			le = s + n;
		while (nt < max && ctp_next_ascii_token(&p, le, &tok[nt], &tl[nt]))
			nt++;
	}
	return nt;
}

void ctp_parse_stat(const char *s, size_t n, struct ctp_thread *t)
{
	const char *tok[39];
	size_t tl[39], nt = ctp_stat_fields(s, n, tok, tl, 39);
#define TAIL_U64(idx, field) t->field = (nt > (idx) && ctp_parse_u64(tok[idx], tl[idx], &u)) ? u : 0
#define TAIL_I32(idx, field) t->field = (nt > (idx) && ctp_parse_i32(tok[idx], tl[idx], &i)) ? i : 0
	uint64_t u;
	int32_t i;
	uint32_t u32;
	TAIL_U64(7, minflt);             /* (10) minflt */
	TAIL_U64(9, majflt);             /* (12) majflt */
	TAIL_U64(11, utime_clock_ticks); /* (14) utime */
	TAIL_U64(12, stime_clock_ticks); /* (15) stime */
	TAIL_I32(15, priority);          /* (18) priority */
	TAIL_I32(16, nice);              /* (19) nice */
	TAIL_U64(19, start_time_clock_ticks); /* (22) starttime */
	TAIL_I32(36, processor);         /* (39) processor */
	t->rt_priority = (nt > 37 && ctp_parse_u32(tok[37], tl[37], &u32)) ? u32 : 0; /* (40) */
#undef TAIL_U64
#undef TAIL_I32
	/* (41) policy */
	char buf[32];
	const char *pol = (nt > 38 && ctp_parse_i32(tok[38], tl[38], &i)) ? ctp_policy_name(i, buf, sizeof(buf)) : "";
	set_str(&t->policy, pol, strlen(pol));
}

/* ---- schedstat ---- */

void ctp_parse_schedstat(const char *s, size_t n, struct ctp_thread *t)
{
	const char *line, *cur = s, *tok;
	size_t ll = 0, tl;
	uint64_t v[3] = { 0, 0, 0 };
	if (ctp_next_line(&cur, s + n, &line, &ll)) {
		const char *p = line;
		for (int k = 0; k < 3 && ctp_next_ascii_token(&p, line + ll, &tok, &tl); k++)
			v[k] = u64_or0(tok, tl);
	}
	t->run_time_ns = v[0];
	t->wait_time_ns = v[1];
	t->timeslices = v[2];
}

/* ---- "key: value" files: a table of keys and the ctp_thread field each one fills ---- */

enum key_kind { SK_PLAIN, SK_DOTTED, SK_SLEEP_SUM, SK_BLOCK_SUM };
struct field_key {
	const char *name;
	unsigned char len, kind;
	unsigned short off; /* of the uint64_t field in struct ctp_thread */
};
#define SKEY(n, k, field) { n, sizeof(n) - 1, k, offsetof(struct ctp_thread, field) }

static const struct field_key *key_lookup(const struct field_key *v, size_t nv, const char *k, size_t kl)
{
	for (size_t i = 0; i < nv; i++)
		if (v[i].len == kl && !memcmp(v[i].name, k, kl))
			return &v[i];
	return NULL;
}

static uint64_t *field_of(struct ctp_thread *t, const struct field_key *fk)
{
	return (uint64_t *)((char *)t + fk->off);
}

/* ---- io ---- */

static const struct field_key io_keys[] = {
	SKEY("rchar", SK_PLAIN, rchar),
	SKEY("wchar", SK_PLAIN, wchar),
	SKEY("syscr", SK_PLAIN, syscr),
	SKEY("syscw", SK_PLAIN, syscw),
	SKEY("read_bytes", SK_PLAIN, read_bytes),
	SKEY("write_bytes", SK_PLAIN, write_bytes),
	SKEY("cancelled_write_bytes", SK_PLAIN, cancelled_write_bytes),
};

void ctp_parse_io(const char *s, size_t n, struct ctp_thread *t)
{
	const char *cur = s, *end = s + n, *line, *k, *v;
	size_t ll, kl, vl;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		if (!ctp_split_key(line, ll, &k, &kl, &v, &vl))
			continue;
		const struct field_key *fk = key_lookup(io_keys, CTP_ARRAY_SIZE(io_keys), k, kl);
		if (fk) {
			ctp_trim(&v, &vl);
			*field_of(t, fk) = u64_or0(v, vl);
		}
	}
}

/* ---- status ---- */

void ctp_parse_status(const char *s, size_t n, struct ctp_thread *t, const char **cpus, size_t *cpus_len)
{
	const char *cur = s, *end = s + n, *line, *k, *v;
	size_t ll, kl, vl;
	bool leader = t->tid == t->tgid;
	if (cpus)
		*cpus_len = 0;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		/* keys we want start with S, v, n, T or C: skip the rest before any trimming */
		unsigned char c0 = ll ? (unsigned char)line[0] : 0;
		if (c0 < 0x80 && c0 != 'S' && c0 != 'v' && c0 != 'n' && c0 != 'T' && c0 != 'C' && !ctp_is_unicode_ws_ascii(c0))
			continue;
		if (!split_colon(line, ll, &k, &kl, &v, &vl))
			continue;
		if (KEY_IS(k, kl, "State")) {
			uint32_t cp;
			t->state = (vl && ctp_utf8_decode(v, vl, &cp)) ? cp : '~';
		} else if (KEY_IS(k, kl, "voluntary_ctxt_switches")) {
			t->voluntary_csw = u64_or0(v, vl);
		} else if (KEY_IS(k, kl, "nonvoluntary_ctxt_switches")) {
			t->nonvoluntary_csw = u64_or0(v, vl);
		} else if (KEY_IS(k, kl, "Threads")) {
			if (leader)
				t->nr_threads = u64_or0(v, vl);
		} else if (KEY_IS(k, kl, "Cpus_allowed_list") && cpus) {
			*cpus = v;
			*cpus_len = vl;
		}
	}
}

/* ---- sched ---- */

static const struct field_key sched_keys[] = {
	SKEY("nr_wakeups", SK_PLAIN, nr_wakeups),
	SKEY("nr_wakeups_local", SK_PLAIN, nr_wakeups_local),
	SKEY("nr_wakeups_remote", SK_PLAIN, nr_wakeups_remote),
	SKEY("nr_wakeups_sync", SK_PLAIN, nr_wakeups_sync),
	SKEY("nr_wakeups_migrate", SK_PLAIN, nr_wakeups_migrate),
	SKEY("nr_wakeups_affine", SK_PLAIN, nr_wakeups_affine),
	SKEY("nr_wakeups_affine_attempts", SK_PLAIN, nr_wakeups_affine_attempts),
	SKEY("nr_migrations", SK_PLAIN, nr_migrations),
	SKEY("nr_forced_migrations", SK_PLAIN, nr_forced_migrations),
	SKEY("nr_failed_migrations_affine", SK_PLAIN, nr_failed_migrations_affine),
	SKEY("nr_failed_migrations_running", SK_PLAIN, nr_failed_migrations_running),
	SKEY("nr_failed_migrations_hot", SK_PLAIN, nr_failed_migrations_hot),
	SKEY("wait_count", SK_PLAIN, wait_count),
	SKEY("iowait_count", SK_PLAIN, iowait_count),
	SKEY("slice", SK_PLAIN, fair_slice_ns),
	SKEY("wait_sum", SK_DOTTED, wait_sum),
	SKEY("wait_max", SK_DOTTED, wait_max),
	SKEY("sleep_max", SK_DOTTED, sleep_max),
	SKEY("block_max", SK_DOTTED, block_max),
	SKEY("iowait_sum", SK_DOTTED, iowait_sum),
	SKEY("exec_max", SK_DOTTED, exec_max),
	SKEY("slice_max", SK_DOTTED, slice_max),
	SKEY("core_forceidle_sum", SK_DOTTED, core_forceidle_sum),
	SKEY("sum_sleep_runtime", SK_SLEEP_SUM, voluntary_sleep_ns), /* off unused */
	SKEY("sum_block_runtime", SK_BLOCK_SUM, block_sum),
};

/* the kernel's header separator: a line of dashes (67 of them), longer than any thread name
 * (15 bytes), so a name can never forge one */
#define SCHED_SEP_MIN 32

/* start of the sched text after its header "<name> (<pid>, #threads: <n>)\n-----\n"; s when
 * there is no separator line */
static const char *sched_body(const char *s, size_t n)
{
	const char *cur = s, *end = s + n, *line;
	size_t ll;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		if (ll < SCHED_SEP_MIN || line[0] != '-')
			continue;
		size_t i = 0;
		while (i < ll && line[i] == '-')
			i++;
		if (i == ll)
			return cur;
	}
	return s;
}

void ctp_parse_sched(const char *s, size_t n, struct ctp_thread *t, struct ctp_pending *p)
{
	const char *cur = sched_body(s, n), *end = s + n, *line, *k, *v;
	size_t ll, kl, vl;
	bool have_sleep = false, have_block = false;
	uint64_t sleep = 0, block = 0;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		if (!ctp_split_key(line, ll, &k, &kl, &v, &vl))
			continue;
		if (KEY_IS(k, kl, "ext.enabled")) {
			ctp_trim(&v, &vl);
			uint64_t e;
			t->ext_enabled = ctp_parse_u64(v, vl, &e) && e != 0;
			continue;
		}
		const char *seg = k;
		for (size_t i = kl; i > 0; i--)
			if (k[i - 1] == '.') {
				seg = k + i;
				break;
			}
		const struct field_key *sk = key_lookup(sched_keys, CTP_ARRAY_SIZE(sched_keys), seg, kl - (size_t)(seg - k));
		if (!sk)
			continue;
		ctp_trim(&v, &vl);
		uint64_t *f = field_of(t, sk), val = 0;
		if (sk->kind == SK_PLAIN) {
			*f = u64_or0(v, vl);
			continue;
		}
		enum ctp_dotted d = ctp_parse_dotted_ns(v, vl, &val);
		if (d == CTP_DOTTED_NEGATIVE && p)
			p->negative_dotted++;
		bool okv = d == CTP_DOTTED_OK;
		if (!okv)
			val = 0;
		if (sk->kind == SK_SLEEP_SUM) {
			have_sleep = okv;
			sleep = val;
			continue;
		}
		if (sk->kind == SK_BLOCK_SUM) {
			have_block = okv;
			block = val;
		}
		*f = val;
	}
	t->voluntary_sleep_ns = (have_sleep && have_block && sleep > block) ? sleep - block : 0;
}

/* ---- cgroup ---- */

bool ctp_parse_cgroup(const char *s, size_t n, const char **path, size_t *pathlen)
{
	const char *cur = s, *end = s + n, *line;
	size_t ll;
	while (ctp_next_line(&cur, end, &line, &ll)) {
		if (ll < 3 || memcmp(line, "0::", 3) != 0)
			continue;
		const char *v = line + 3;
		size_t vl = ll - 3;
		ctp_trim(&v, &vl);
		if (vl) {
			*path = v;
			*pathlen = vl;
			return true;
		}
	}
	return false;
}

/* ---- smaps_rollup ---- */

static bool has_space_or_dash(const char *k, size_t kl)
{
	for (size_t i = 0; i < kl; i++) {
		if (k[i] == '-' || ctp_is_unicode_ws_ascii((unsigned char)k[i]))
			return true;
		if ((unsigned char)k[i] >= 0x80 && ctp_unicode_space_len(k + i, k + kl))
			return true;
	}
	return false;
}

void ctp_parse_smaps_rollup(const char *s, size_t n, struct ctp_kvmap *out)
{
	const char *cur = s, *end = s + n, *line, *k, *v, *tok;
	size_t ll, kl, vl, tl;
	char key[128];
	while (ctp_next_line(&cur, end, &line, &ll)) {
		if (!split_colon(line, ll, &k, &kl, &v, &vl) || has_space_or_dash(k, kl))
			continue;
		uint64_t val;
		if (!ctp_next_ascii_token(&v, v + vl, &tok, &tl) || !ctp_parse_u64(tok, tl, &val))
			continue;
		if (kl < sizeof(key)) {
			memcpy(key, k, kl);
			key[kl] = '\0';
			ctp_kvmap_set(out, key, val);
		} else {
			char *big = ctp_xstrndup(k, kl);
			ctp_kvmap_set(out, big, val);
			free(big);
		}
	}
}

/* ---- cpulist ---- */

bool ctp_parse_cpulist(const char *s, size_t n, struct ctp_cpuset *out)
{
	ctp_trim(&s, &n);
	if (!n)
		return false;
	struct ctp_u32vec a = { 0 };
	const char *p = s, *end = s + n;
	while (p <= end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *te = c ? c : end;
		const char *tok = p;
		size_t tl = (size_t)(te - p);
		p = te + 1;
		ctp_trim(&tok, &tl);
		if (tl) {
			const char *dash = memchr(tok, '-', tl);
			uint32_t lo, hi;
			if (dash) {
				if (!ctp_parse_u32(tok, (size_t)(dash - tok), &lo) ||
				    !ctp_parse_u32(dash + 1, tl - (size_t)(dash - tok) - 1, &hi) || hi < lo ||
				    (uint64_t)hi - lo + 1 > 65536)
					goto bad;
			} else if (ctp_parse_u32(tok, tl, &lo)) {
				hi = lo;
			} else {
				goto bad;
			}
			for (uint64_t cpu = lo; cpu <= hi; cpu++)
				ctp_u32vec_push(&a, (uint32_t)cpu);
		}
		if (!c)
			break;
	}
	ctp_cpuset_set(out, a.v, a.n);
	free(a.v);
	return true;
bad:
	free(a.v);
	return false;
}

/* ---- the parse summary ---- */

/* token order for ties: byte order of the wire tokens */
static const enum ctp_tally_file alpha_order[CTP_TF_COUNT] = {
	CTP_TF_CGROUP, CTP_TF_IO, CTP_TF_SCHED, CTP_TF_SCHEDSTAT, CTP_TF_SMAPS_ROLLUP, CTP_TF_STAT, CTP_TF_STATUS,
};

struct ctp_parse_summary *ctp_procfs_parse_summary(const uint64_t *fail, uint64_t tids_walked, uint64_t negative_dotted)
{
	struct ctp_parse_summary *ps = ctp_xcalloc(1, sizeof(*ps));
	ps->tids_walked = tids_walked;
	ps->negative_dotted_values = negative_dotted;
	uint64_t best = 0;
	int best_f = -1;
	for (int i = 0; i < CTP_TF_COUNT; i++) {
		enum ctp_tally_file f = alpha_order[i];
		uint64_t v = fail[f];
		if (!v)
			continue;
		ps->read_failures = ctp_sat_add(ps->read_failures, v);
		ctp_kvmap_set(&ps->read_failures_by_file, ctp_tally_token(f), v);
		if (v > best) {
			best = v;
			best_f = (int)f;
		}
	}
	if (best_f >= 0)
		ps->dominant_read_failure = ctp_xstrdup(ctp_tally_token((enum ctp_tally_file)best_f));
	uint64_t kcfg = ctp_sat_add(fail[CTP_TF_SCHEDSTAT], fail[CTP_TF_IO]);
	ps->kernel_config_dominant = ps->read_failures > 0 && ctp_sat_mul(kcfg, 2) >= ps->read_failures;
	return ps;
}

/* ---- per-thread reader ---- */

void ctp_procfs_ctx_init(struct ctp_procfs_ctx *x, const char *proc_root)
{
	memset(x, 0, sizeof(*x));
	ctp_buf_init(&x->buf, 16384);
	ctp_buf_init(&x->cpulist, 64);
	x->live_affinity = !proc_root || !strcmp(proc_root, "/proc");
	x->plan = 0xffffffffu;
}

void ctp_procfs_ctx_release(struct ctp_procfs_ctx *x)
{
	ctp_buf_release(&x->buf);
	ctp_buf_release(&x->cpulist);
	free(x->mask);
	free(x->cpus.v);
	memset(x, 0, sizeof(*x));
}

bool ctp_procfs_affinity(struct ctp_procfs_ctx *x, uint32_t tid, struct ctp_cpuset *out)
{
	const size_t bits_per = sizeof(unsigned long) * 8;
	if (!x->mask) {
		x->mask_bits = 8192;
		x->mask = ctp_xmalloc(x->mask_bits / 8);
	}
	long r;
	for (;;) {
		r = syscall(SYS_sched_getaffinity, (pid_t)tid, x->mask_bits / 8, x->mask);
		if (r >= 0)
			break;
		if (errno != EINVAL || x->mask_bits >= 262144)
			return false;
		x->mask_bits *= 2;
		x->mask = ctp_xrealloc(x->mask, x->mask_bits / 8);
	}
	size_t nwords = (size_t)r / sizeof(unsigned long);
	x->cpus.n = 0;
	for (size_t w = 0; w < nwords; w++)
		for (unsigned long m = x->mask[w]; m; m &= m - 1)
			ctp_u32vec_push(&x->cpus, (uint32_t)(w * bits_per + (unsigned)__builtin_ctzl(m)));
	if (!x->cpus.n)
		return false;
	ctp_cpuset_set(out, x->cpus.v, x->cpus.n);
	return true;
}

void ctp_procfs_note_error(struct ctp_procfs_ctx *x, struct ctp_pending *p, const char *name, int e)
{
	if (ctp_errno_fd_limit(e) && !x->fd_errno) {
		x->fd_errno = e;
		x->fd_file = name;
	}
	if ((e == ENOENT || e == ESRCH) && (!name[0] || !strcmp(name, "comm") || !strcmp(name, "stat")))
		p->vanished = true;
}

/* the files that embed a name the process chose (its thread name, or a cgroup directory name in
 * a delegated subtree): read as bytes, never failed for its encoding */
static bool holds_name(enum ctp_tally_file tf)
{
	return tf == CTP_TF_STAT || tf == CTP_TF_STATUS || tf == CTP_TF_SCHED || tf == CTP_TF_CGROUP;
}

/* reads one tallied file (through the kept fd slots[tf] when slots is non-NULL); a failure
 * bumps p->fail[tf] and is noted. A file out of the plan is not read, its kept fd closed. */
static bool read_tallied(struct ctp_procfs_ctx *x, int taskfd, int *slots, const char *name, enum ctp_tally_file tf,
			 struct ctp_pending *p)
{
	int *slot = slots ? &slots[tf] : NULL;
	if (!(x->plan & ctp_tally_source(tf))) {
		if (slot && *slot >= 0) {
			close(*slot);
			*slot = -1;
		}
		return false;
	}
	int r = holds_name(tf) ? ctp_read_file_slot(taskfd, name, slot, &x->buf) : ctp_read_text_slot(taskfd, name, slot, &x->buf);
	if (r == 0)
		return true;
	ctp_procfs_note_error(x, p, name, errno);
	p->fail[tf]++;
	return false;
}

void ctp_procfs_read_comm(struct ctp_procfs_ctx *x, int taskfd, int *slot, char **comm, struct ctp_pending *p)
{
	struct ctp_buf *b = &x->buf;
	if (ctp_read_file_slot(taskfd, "comm", slot, b) < 0) {
		ctp_procfs_note_error(x, p, "comm", errno);
		return;
	}
	free(*comm);
	*comm = ctp_comm_dup(b->buf, b->len);
}

void ctp_procfs_read_smaps(struct ctp_procfs_ctx *x, int taskfd, int *slots, struct ctp_thread *t,
			   struct ctp_pending *p)
{
	uint32_t plan = x->plan;
	x->plan |= ctp_tally_source(CTP_TF_SMAPS_ROLLUP);
	if (read_tallied(x, taskfd, slots, "smaps_rollup", CTP_TF_SMAPS_ROLLUP, p))
		ctp_parse_smaps_rollup(x->buf.buf, x->buf.len, &t->smaps_rollup_kib);
	x->plan = plan;
}

/* status: into t when planned; else read only for the affinity list of a fixture tree (no
 * sched_getaffinity there), parsed into a scratch thread so t keeps its defaults */
static void read_status(struct ctp_procfs_ctx *x, int taskfd, int *slots, struct ctp_thread *t, struct ctp_pending *p)
{
	const char *cl;
	size_t cll = 0;
	uint32_t plan = x->plan, st = 1u << CTP_SOURCE_STATUS;
	bool for_affinity = !(plan & st) && (plan & (1u << CTP_SOURCE_AFFINITY)) && !x->live_affinity;
	uint64_t failed = p->fail[CTP_TF_STATUS];
	if (for_affinity)
		x->plan |= st;
	bool ok = read_tallied(x, taskfd, slots, "status", CTP_TF_STATUS, p);
	x->plan = plan;
	if (for_affinity)
		p->fail[CTP_TF_STATUS] = failed; /* not a planned file: the summary does not name it */
	if (!ok)
		return;
	if (for_affinity) {
		struct ctp_thread scratch;
		memset(&scratch, 0, sizeof(scratch));
		ctp_parse_status(x->buf.buf, x->buf.len, &scratch, &cl, &cll);
	} else {
		ctp_parse_status(x->buf.buf, x->buf.len, t, &cl, &cll);
	}
	if (cll)
		ctp_buf_add(&x->cpulist, cl, cll);
}

void ctp_procfs_read_thread(struct ctp_procfs_ctx *x, int taskfd, int *slots, struct ctp_thread *t, struct ctp_pending *p)
{
	struct ctp_buf *b = &x->buf;
	const char *cg;
	size_t cgl;
	if (read_tallied(x, taskfd, slots, "cgroup", CTP_TF_CGROUP, p) && ctp_parse_cgroup(b->buf, b->len, &cg, &cgl)) {
		free(t->cgroup); /* a path that is not UTF-8 is kept, decoded lossily like a name */
		t->cgroup = ctp_comm_dup(cg, cgl);
	}
	if (read_tallied(x, taskfd, slots, "stat", CTP_TF_STAT, p))
		ctp_parse_stat(b->buf, b->len, t);
	if (read_tallied(x, taskfd, slots, "schedstat", CTP_TF_SCHEDSTAT, p))
		ctp_parse_schedstat(b->buf, b->len, t);
	if (read_tallied(x, taskfd, slots, "io", CTP_TF_IO, p)) {
		x->saw_io = true;
		ctp_parse_io(b->buf, b->len, t);
	}
	ctp_buf_reset(&x->cpulist);
	read_status(x, taskfd, slots, t, p);
	if (read_tallied(x, taskfd, slots, "sched", CTP_TF_SCHED, p)) {
		x->saw_sched = true;
		ctp_parse_sched(b->buf, b->len, t, p);
	}
	if (!(x->plan & ctp_tally_source(CTP_TF_SMAPS_ROLLUP)) && slots && slots[CTP_TF_SMAPS_ROLLUP] >= 0) {
		close(slots[CTP_TF_SMAPS_ROLLUP]);
		slots[CTP_TF_SMAPS_ROLLUP] = -1;
	}
	if (!(x->plan & (1u << CTP_SOURCE_AFFINITY)))
		return;
	if (x->live_affinity && ctp_procfs_affinity(x, t->tid, &t->cpu_affinity))
		return;
	if (x->cpulist.len)
		ctp_parse_cpulist(x->cpulist.buf, x->cpulist.len, &t->cpu_affinity);
}
