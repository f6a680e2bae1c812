/* t_hostctx.c — host context against fixture trees (host-a: every key; host-b: ARM-like
 * cpuinfo, garbage and empty values, so keys are omitted; host-c: minimal topology; host-d: a
 * sched_schedstats that is not a number; gates-on/-off/-noconfig: the schedstats gate from the
 * sysctl, or from /proc/self/sched when the kernel has no sysctl) and against this host (uname,
 * online CPUs, MemTotal, cmdline, sched_schedstats). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capture/hostctx.h"
#include "snapshot/model.h"
#include "fixture_util.h"
#include "tap.h"

static char fixtures[4096];

static struct ctp_host *read_fixture(const char *name, const struct ctp_acct_flags *f)
{
	char proc[4200], sys[4200];
	snprintf(proc, sizeof(proc), "%s/%s/proc", fixtures, name);
	snprintf(sys, sizeof(sys), "%s/%s/sys", fixtures, name);
	return ctp_hostctx_read(proc, sys, f);
}

static const char *tunable(const struct ctp_host *h, const char *key)
{
	for (size_t i = 0; i < h->sched_tunables.n; i++)
		if (!strcmp(h->sched_tunables.v[i].key, key))
			return h->sched_tunables.v[i].val;
	return NULL;
}

static void test_host_a(void)
{
	struct ctp_acct_flags f = { CTP_DELAYACCT_ON, CTP_XACCT_UNKNOWN };
	struct ctp_host *h = read_fixture("host-a", &f);
	struct utsname u;
	check_str(h->cpu_model, "AMD EPYC 7B13");
	check_str(h->cpu_vendor, "AuthenticAMD");
	ok(h->total_memory_kib.set && h->total_memory_kib.v == 65842236, "total_memory_kib");
	ok(h->hugepages_total.set && h->hugepages_total.v == 16, "hugepages_total");
	ok(h->hugepages_free.set && h->hugepages_free.v == 4, "hugepages_free");
	ok(h->hugepages_size_kib.set && h->hugepages_size_kib.v == 2048, "hugepages_size_kib");
	check_str(h->thp_enabled, "always [madvise] never");
	check_str(h->thp_defrag, "always defer defer+madvise [madvise] never");
	ok(h->has_sched_tunables, "sched_tunables present");
	/* sched_empty skipped (empty), sched_link skipped (symlink), not_sched ignored */
	check_int(h->sched_tunables.n, ==, 3);
	check_str(h->sched_tunables.v[0].key, "sched_autogroup_enabled");
	check_str(tunable(h, "sched_autogroup_enabled"), "1");
	check_str(tunable(h, "sched_rt_period_us"), "1000000");
	check_str(tunable(h, "sched_schedstats"), "1");
	ok(h->sched_schedstats.set && h->sched_schedstats.v == 1, "sched_schedstats 1 (extension key)");
	/* online "0-2,5": cpu5 has no directory */
	ok(h->online_cpus.set && h->online_cpus.v == 3, "online_cpus 3 (cpu5 missing)");
	ok(h->numa_nodes.set && h->numa_nodes.v == 2, "numa_nodes 2");
	check_int(h->n_cpufreq_governor, ==, 2);
	if (h->n_cpufreq_governor == 2) {
		check_int(h->cpufreq_governor[0].cpu, ==, 0);
		check_str(h->cpufreq_governor[0].governor, "performance");
		check_int(h->cpufreq_governor[1].cpu, ==, 1);
		check_str(h->cpufreq_governor[1].governor, "powersave");
	}
	check_str(h->kernel_cmdline, "BOOT_IMAGE=/vmlinuz root=/dev/vda1 delayacct");
	uname(&u);
	check_str(h->kernel_name, u.sysname);
	check_str(h->kernel_release, u.release);
	check_str(h->arch, u.machine);
	check_int(h->task_delayacct, ==, CTP_DELAYACCT_ON);
	check_int(h->config_task_xacct, ==, CTP_XACCT_UNKNOWN);
	ok(!h->heap_state.set, "heap_state omitted");
	ctp_host_free(h);
}

static void test_host_b(void)
{
	struct ctp_acct_flags f = { CTP_DELAYACCT_CONFIG_OFF, CTP_XACCT_OFF };
	struct ctp_host *h = read_fixture("host-b", &f);
	ok(h->cpu_model == NULL, "empty model name in the first block: omitted");
	ok(h->cpu_vendor == NULL, "no vendor_id (ARM): omitted");
	ok(!h->total_memory_kib.set, "MemTotal 12abc: omitted");
	ok(!h->hugepages_total.set && !h->hugepages_free.set && !h->hugepages_size_kib.set, "hugepages omitted");
	ok(h->thp_enabled == NULL, "empty THP enabled: omitted");
	ok(h->thp_defrag == NULL, "missing THP defrag: omitted");
	ok(!h->has_sched_tunables, "no /proc/sys/kernel: sched_tunables omitted");
	ok(!h->sched_schedstats.set, "no /proc/sys/kernel: sched_schedstats omitted");
	ok(!h->online_cpus.set && !h->numa_nodes.set, "bad online list: online_cpus and numa_nodes omitted");
	ok(h->n_cpufreq_governor == 0 && h->cpufreq_governor == NULL, "governors omitted");
	ok(h->kernel_cmdline == NULL, "blank cmdline: omitted");
	check_int(h->task_delayacct, ==, CTP_DELAYACCT_CONFIG_OFF);
	check_int(h->config_task_xacct, ==, CTP_XACCT_OFF);
	ctp_host_free(h);
}

static void test_host_c(void)
{
	struct ctp_acct_flags f = { CTP_DELAYACCT_RUNTIME_OFF, CTP_XACCT_ON };
	struct ctp_host *h = read_fixture("host-c", &f);
	ok(h->has_sched_tunables && h->sched_tunables.n == 0, "sched_tunables present and empty");
	ok(!h->sched_schedstats.set, "no sched_schedstats file: omitted");
	ok(h->online_cpus.set && h->online_cpus.v == 1, "online_cpus 1");
	ok(h->numa_nodes.set && h->numa_nodes.v == 1, "no nodeN entry: node 0, numa_nodes 1");
	ok(h->n_cpufreq_governor == 0, "no cpufreq: no governors");
	ok(h->cpu_model == NULL && h->kernel_cmdline == NULL, "missing cpuinfo and cmdline: omitted");
	check_int(h->task_delayacct, ==, CTP_DELAYACCT_RUNTIME_OFF);
	check_int(h->config_task_xacct, ==, CTP_XACCT_ON);
	ctp_host_free(h);
}

/* host-d: kernel.sched_schedstats that is not a number */
static void test_host_d(void)
{
	struct ctp_host *h = read_fixture("host-d", NULL);
	check_str(tunable(h, "sched_schedstats"), "on"); /* ktstr's map keeps the text */
	ok(!h->sched_schedstats.set, "sched_schedstats 'on' is not a number: omitted");
	ctp_host_free(h);
}

/* the schedstats gate: the sysctl when there is one; without it (CONFIG_SCHEDSTATS=n) whether
 * <proc>/self/sched prints the schedstats lines; neither readable (host-b, host-c): omitted */
static void test_gates(void)
{
	struct ctp_host *h = read_fixture("gates-on", NULL);
	ok(h->sched_schedstats.set && h->sched_schedstats.v == 1, "gates-on: sched_schedstats 1");
	ctp_host_free(h);
	h = read_fixture("gates-off", NULL);
	ok(h->sched_schedstats.set && h->sched_schedstats.v == 0, "gates-off: sched_schedstats 0 (sysctl)");
	check_str(tunable(h, "sched_schedstats"), "0");
	ctp_host_free(h);
	h = read_fixture("gates-noconfig", NULL);
	ok(h->sched_schedstats.set && h->sched_schedstats.v == 0,
	   "gates-noconfig: no sysctl, self/sched without schedstats lines: 0");
	ok(tunable(h, "sched_schedstats") == NULL, "gates-noconfig: no sysctl in sched_tunables");
	ctp_host_free(h);
}

/* kernel.sched_schedstats of this host, read independently; -1 when the kernel has none */
static long long host_schedstats(void)
{
	FILE *f = fopen("/proc/sys/kernel/sched_schedstats", "r");
	long long v = -1;
	if (f && fscanf(f, "%lld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* 1 when this host's /proc/self/sched prints nr_wakeups (schedstats on), 0 when not, -1 unreadable */
static long long self_sched_has_stats(void)
{
	FILE *f = fopen("/proc/self/sched", "r");
	char line[256];
	long long v = f ? 0 : -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "nr_wakeups ", 11))
			v = 1;
	if (f)
		fclose(f);
	return v;
}

/* MemTotal of this host, parsed independently */
static long long host_memtotal(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static void test_live(void)
{
	struct ctp_acct_flags f;
	ctp_acct_flags_read("/proc", &f);
	struct ctp_host *h = ctp_hostctx_read("/proc", "/sys", &f);
	struct utsname u;
	uname(&u);
	check_str(h->kernel_release, u.release);
	ok(h->online_cpus.set && h->online_cpus.v == (uint64_t)sysconf(_SC_NPROCESSORS_ONLN), "live online_cpus %llu",
	   (unsigned long long)h->online_cpus.v);
	ok(h->numa_nodes.set && h->numa_nodes.v >= 1, "live numa_nodes %llu", (unsigned long long)h->numa_nodes.v);
	ok(h->total_memory_kib.set && (long long)h->total_memory_kib.v == host_memtotal(), "live MemTotal %llu kB",
	   (unsigned long long)h->total_memory_kib.v);
	ok(h->has_sched_tunables, "live sched_tunables readable (%zu entries)", h->sched_tunables.n);
	check_int(h->task_delayacct, ==, f.delayacct);
	check_int(h->config_task_xacct, ==, f.xacct);
	long long ss = host_schedstats();
	if (ss >= 0)
		ok(h->sched_schedstats.set && (long long)h->sched_schedstats.v == ss, "live sched_schedstats %lld", ss);
	else if (self_sched_has_stats() < 0)
		ok(!h->sched_schedstats.set, "no kernel.sched_schedstats, no /proc/self/sched: omitted");
	else
		ok(h->sched_schedstats.set && (long long)h->sched_schedstats.v == self_sched_has_stats(),
		   "no kernel.sched_schedstats (CONFIG_SCHEDSTATS=n): %lld from /proc/self/sched",
		   self_sched_has_stats());
#if defined(__x86_64__)
	ok(h->cpu_model != NULL && h->cpu_vendor != NULL, "live x86 cpu model '%s' vendor '%s'",
	   h->cpu_model ? h->cpu_model : "", h->cpu_vendor ? h->cpu_vendor : "");
#else
	skip("cpu vendor check is x86-only");
#endif
	diag("live: cmdline '%s', thp '%s', governors %zu", h->kernel_cmdline ? h->kernel_cmdline : "(omitted)",
	     h->thp_enabled ? h->thp_enabled : "(omitted)", h->n_cpufreq_governor);
	ctp_host_free(h);
}

/* the live loop's cache: a partial capture within 10 s gets a deep copy of the last read (a
 * changed file is not re-read), a full capture reads afresh; copies outlive the cache */
static void test_cache(void)
{
	char dir[] = "/tmp/ctp-hostctx-XXXXXX", tree[4200], proc[4300], sys[4300], path[4400], cmd[4400];
	const char *why;
	snprintf(tree, sizeof(tree), "%s/host-a", fixtures);
	if (fx_copy_tree(tree, dir, "", &why) < 0) {
		skip("%s", why);
		return;
	}
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	snprintf(sys, sizeof(sys), "%s/sys", dir);
	struct ctp_acct_flags f = { CTP_DELAYACCT_ON, CTP_XACCT_UNKNOWN };
	struct ctp_hostctx_cache hc = { 0 };
	struct ctp_host *a = ctp_hostctx_cached(&hc, false, proc, sys, &f);
	snprintf(path, sizeof(path), "%s/cmdline", proc);
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs("changed\n", fp);
		fclose(fp);
	}
	struct ctp_host *b = ctp_hostctx_cached(&hc, false, proc, sys, &f);
	check_str(b->kernel_cmdline, "BOOT_IMAGE=/vmlinuz root=/dev/vda1 delayacct"); /* copied, not re-read */
	ok(b->kernel_cmdline != a->kernel_cmdline && b->cpufreq_governor != a->cpufreq_governor,
	   "each copy owns its strings and arrays");
	check_str(tunable(b, "sched_rt_period_us"), "1000000");
	struct ctp_host *c = ctp_hostctx_cached(&hc, true, proc, sys, &f);
	check_str(c->kernel_cmdline, "changed");
	ctp_hostctx_cache_release(&hc);
	check_str(a->cpu_model, "AMD EPYC 7B13");
	check_int(b->n_cpufreq_governor, ==, 2);
	if (b->n_cpufreq_governor == 2)
		check_str(b->cpufreq_governor[1].governor, "powersave");
	ctp_host_free(a);
	ctp_host_free(b);
	ctp_host_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove %s", dir);
}

int main(void)
{
	const char *src = getenv("CTP_SRCDIR");
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures", src ? src : ".");
	test_host_a();
	test_host_b();
	test_host_c();
	test_host_d();
	test_gates();
	test_cache();
	test_live();
	return test_done();
}
