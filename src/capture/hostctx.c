/* hostctx.c — host context recorded with every capture (snapshot-and-capture.md §4, E5, E6):
 * cpuinfo, meminfo, THP, sched_* tunables, online CPUs / NUMA nodes / governors from sysfs,
 * uname, kernel command line, the accounting state and whether the kernel collects schedstats.
 * Every key is optional: a source that cannot be read leaves its key omitted. heap_state stays
 * omitted (we do not link jemalloc). */
#include "capture/hostctx.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capture/procfs.h"
#include "capture/readfile.h"
#include "capture/textfile.h"
#include "base/util.h"
#include "snapshot/schema.h"

/* splits "key : value" at the first ':' and trims both; false when there is no ':' */
static bool split_colon(const char *line, size_t n, const char **k, size_t *kn, const char **v, size_t *vn)
{
	if (!ctp_split_key(line, n, k, kn, v, vn))
		return false;
	ctp_trim(v, vn);
	return true;
}

static bool key_is(const char *k, size_t kn, const char *want)
{
	return kn == strlen(want) && !memcmp(k, want, kn);
}

/* first processor block of cpuinfo: first non-empty "model name" and "vendor_id" */
static void read_cpuinfo(const char *proc_root, struct ctp_host *h, struct ctp_buf *b)
{
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/cpuinfo", proc_root);
	if (ctp_read_text_at(AT_FDCWD, path.buf, b) == 0) {
		const char *cur = b->buf, *end = b->buf + b->len, *line, *k, *v;
		size_t n, kn, vn;
		while (ctp_next_line(&cur, end, &line, &n)) {
			const char *t = line;
			size_t tn = n;
			ctp_trim(&t, &tn);
			if (tn == 0)
				break;
			if (!split_colon(line, n, &k, &kn, &v, &vn) || vn == 0)
				continue;
			if (!h->cpu_model && key_is(k, kn, "model name"))
				h->cpu_model = ctp_xstrndup(v, vn);
			else if (!h->cpu_vendor && key_is(k, kn, "vendor_id"))
				h->cpu_vendor = ctp_xstrndup(v, vn);
		}
	}
	ctp_buf_release(&path);
}

/* first Unicode-whitespace-separated token of [s, s+n) (Rust split_whitespace().next()) */
static void read_meminfo(const char *proc_root, struct ctp_host *h, struct ctp_buf *b)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "MemTotal", offsetof(struct ctp_host, total_memory_kib) },
		{ "HugePages_Total", offsetof(struct ctp_host, hugepages_total) },
		{ "HugePages_Free", offsetof(struct ctp_host, hugepages_free) },
		{ "Hugepagesize", offsetof(struct ctp_host, hugepages_size_kib) },
	};
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/meminfo", proc_root);
	if (ctp_read_text_at(AT_FDCWD, path.buf, b) == 0) {
		const char *cur = b->buf, *end = b->buf + b->len, *line, *k, *v, *tok;
		size_t n, kn, vn, tn;
		while (ctp_next_line(&cur, end, &line, &n)) {
			if (!split_colon(line, n, &k, &kn, &v, &vn))
				continue;
			for (size_t i = 0; i < CTP_ARRAY_SIZE(keys); i++) {
				struct ctp_opt_u64 *o = (struct ctp_opt_u64 *)((char *)h + keys[i].off);
				const char *vc = v;
				if (!o->set && key_is(k, kn, keys[i].key) && ctp_next_token(&vc, v + vn, &tok, &tn))
					o->set = ctp_parse_u64(tok, tn, &o->v);
			}
		}
	}
	ctp_buf_release(&path);
}

/* trimmed file contents, NULL when unreadable or empty */
static char *read_nonempty(int dirfd, const char *name)
{
	char *s = ctp_read_trimmed_at(dirfd, name);
	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

static void read_thp(const char *sys_root, struct ctp_host *h)
{
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/kernel/mm/transparent_hugepage", sys_root);
	int fd = ctp_open_dir(path.buf);
	h->thp_enabled = read_nonempty(fd, "enabled");
	h->thp_defrag = read_nonempty(fd, "defrag");
	if (fd >= 0)
		close(fd);
	ctp_buf_release(&path);
}

/* is this dirent a regular file, not following symlinks (Rust DirEntry::file_type) */
static bool is_regular(int dirfd, const struct dirent *de)
{
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_REG;
	struct stat st;
	return fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* schedstats without the sysctl: a kernel built without CONFIG_SCHEDSTATS has no
 * kernel.sched_schedstats, and its /proc/PID/sched lacks the block kernel/sched/debug.c prints
 * under schedstat_enabled() (nr_wakeups, wait_sum, ...). So: whether <proc_root>/self/sched has an
 * nr_wakeups line; unknown when that file cannot be read (no CONFIG_SCHED_DEBUG, a bare tree). */
static void schedstats_from_self(const char *proc_root, struct ctp_host *h, struct ctp_buf *b)
{
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/self/sched", proc_root);
	if (ctp_read_text_at(AT_FDCWD, path.buf, b) == 0) {
		const char *cur = b->buf, *end = b->buf + b->len, *line, *k, *v;
		size_t n, kn, vn;
		h->sched_schedstats = (struct ctp_opt_u64){ true, 0 };
		while (ctp_next_line(&cur, end, &line, &n))
			if (split_colon(line, n, &k, &kn, &v, &vn) && key_is(k, kn, "nr_wakeups"))
				h->sched_schedstats.v = 1;
	}
	ctp_buf_release(&path);
}

/* every regular sched_* file of <proc_root>/sys/kernel; unreadable or empty values skipped.
 * kernel.sched_schedstats is also kept as a number (our extension key; not a number: unknown).
 * Returns false when there is no kernel.sched_schedstats file (or no directory) */
static bool read_sched_tunables(const char *proc_root, struct ctp_host *h)
{
	struct ctp_buf path = CTP_BUF_INIT;
	ctp_buf_addf(&path, "%s/sys/kernel", proc_root);
	DIR *d = opendir(path.buf);
	ctp_buf_release(&path);
	if (!d)
		return false;
	h->has_sched_tunables = true;
	int dfd = dirfd(d);
	h->sched_schedstats.set = ctp_read_u64_at(dfd, "sched_schedstats", &h->sched_schedstats.v);
	bool sysctl = faccessat(dfd, "sched_schedstats", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "sched_", 6) || !ctp_utf8_valid(de->d_name, strlen(de->d_name)) ||
		    !is_regular(dfd, de))
			continue;
		char *v = read_nonempty(dfd, de->d_name);
		if (v)
			ctp_strmap_set(&h->sched_tunables, de->d_name, v);
		free(v);
	}
	closedir(d);
	return sysctl;
}

/* NUMA node of one CPU: the smallest nodeM entry in cpuN/, else 0 */
static uint32_t cpu_node(int cpufd)
{
	int fd = openat(cpufd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	uint32_t best = UINT32_MAX, m;
	struct dirent *de;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, "node", 4) && ctp_parse_u32(de->d_name + 4, strlen(de->d_name + 4), &m) &&
		    m < best)
			best = m;
	closedir(d);
	return best == UINT32_MAX ? 0 : best;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* online_cpus, numa_nodes and cpufreq_governor from <sys_root>/devices/system/cpu */
static void read_cpu_topology(const char *sys_root, struct ctp_host *h)
{
	struct ctp_buf path = CTP_BUF_INIT;
	struct ctp_cpuset online = { 0 };
	ctp_buf_addf(&path, "%s/devices/system/cpu", sys_root);
	int cpudir = ctp_open_dir(path.buf);
	char *list = ctp_read_trimmed_at(cpudir, "online");
	bool parsed = list && ctp_parse_cpulist(list, strlen(list), &online);
	uint32_t *nodes = ctp_xcalloc(online.n + 1, sizeof(*nodes));
	size_t ncpus = 0;
	h->cpufreq_governor = ctp_xcalloc(online.n + 1, sizeof(*h->cpufreq_governor));
	for (size_t i = 0; parsed && i < online.n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "cpu%u", online.cpus[i]);
		int fd = openat(cpudir, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		nodes[ncpus++] = cpu_node(fd);
		char *gov = read_nonempty(fd, "cpufreq/scaling_governor");
		if (gov)
			h->cpufreq_governor[h->n_cpufreq_governor++] = (struct ctp_governor){ online.cpus[i], gov };
		close(fd);
	}
	if (ncpus > 0) {
		qsort(nodes, ncpus, sizeof(*nodes), cmp_u32);
		size_t distinct = 1;
		for (size_t i = 1; i < ncpus; i++)
			distinct += nodes[i] != nodes[i - 1];
		h->online_cpus = (struct ctp_opt_u64){ true, ncpus };
		h->numa_nodes = (struct ctp_opt_u64){ true, distinct };
	}
	if (h->n_cpufreq_governor == 0) {
		free(h->cpufreq_governor);
		h->cpufreq_governor = NULL;
	}
	free(nodes);
	free(list);
	ctp_cpuset_release(&online);
	if (cpudir >= 0)
		close(cpudir);
	ctp_buf_release(&path);
}

static void read_uname(struct ctp_host *h)
{
	struct utsname u;
	if (uname(&u) != 0)
		return;
	h->kernel_name = ctp_xstrdup(u.sysname);
	h->kernel_release = ctp_xstrdup(u.release);
	h->arch = ctp_xstrdup(u.machine);
}

struct ctp_host *ctp_hostctx_read(const char *proc_root, const char *sys_root, const struct ctp_acct_flags *flags)
{
	struct ctp_host *h = ctp_xcalloc(1, sizeof(*h));
	struct ctp_buf b = CTP_BUF_INIT, path = CTP_BUF_INIT;
	if (!proc_root)
		proc_root = "/proc";
	if (!sys_root)
		sys_root = "/sys";
	read_cpuinfo(proc_root, h, &b);
	read_meminfo(proc_root, h, &b);
	read_thp(sys_root, h);
	if (!read_sched_tunables(proc_root, h))
		schedstats_from_self(proc_root, h, &b);
	read_cpu_topology(sys_root, h);
	read_uname(h);
	ctp_buf_addf(&path, "%s/cmdline", proc_root);
	h->kernel_cmdline = read_nonempty(AT_FDCWD, path.buf);
	if (flags) {
		h->task_delayacct = flags->delayacct;
		h->config_task_xacct = flags->xacct;
	}
	ctp_buf_release(&path);
	ctp_buf_release(&b);
	return h;
}

static struct ctp_host *host_dup(const struct ctp_host *h)
{
	struct ctp_host *d = ctp_xcalloc(1, sizeof(*d));
	ctp_otable_copy(&ctp_host_table, d, h, sizeof(*d));
	return d;
}

struct ctp_host *ctp_hostctx_cached(struct ctp_hostctx_cache *hc, bool fresh, const char *proc_root,
				    const char *sys_root, const struct ctp_acct_flags *flags)
{
	uint64_t now = ctp_now_monotonic_ns();
	if (fresh || !hc->last || now - hc->read_ns >= CTP_HOSTCTX_REFRESH_NS) {
		ctp_host_free(hc->last);
		hc->last = ctp_hostctx_read(proc_root, sys_root, flags);
		hc->read_ns = now;
	}
	return host_dup(hc->last);
}

void ctp_hostctx_cache_release(struct ctp_hostctx_cache *hc)
{
	ctp_host_free(hc->last);
	hc->last = NULL;
}
