/* t_probe_dso.c — jemalloc as deployed (issue 19), against Debian's libjemalloc-dev: a worker
 * linked to libjemalloc.so.2 (DT_NEEDED), the same program unlinked under LD_PRELOAD or calling it
 * through dlopen, one linked
 * with libjemalloc.a and stripped of debug info, and one fully stripped (its exported malloc/free):
 * every thread's counters
 * equal its own mallctl("thread.allocated"/"thread.deallocated"), two rounds (the second from the
 * caches), through the probe and the capture API; a fake DSO with jemalloc's API names is not
 * measured; wrong offsets fail the plausibility checks. A TAP skip when libjemalloc is missing. */
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/capture.h"
#include "probe/jedso.h"
#include "probe/probe.h"
#include "probe/probe_int.h"
#include "tap.h"
#include "t_probe_util.h"

#define JE_SO "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"

/* the first 0x48 bytes of Debian 5.3's exported malloc (libjemalloc.so.2 at 0x23910) */
static const unsigned char deb_malloc[] = {
	0x48, 0x81, 0xff, 0x00, 0x10, 0x00, 0x00, 0x0f, 0x87, 0x93, 0x00, 0x00, 0x00, 0x48, 0x8d, 0x15, 0x5c, 0x7f,
	0x2c, 0x00, 0x48, 0x8d, 0x47, 0x07, 0x48, 0x8b, 0x0d, 0x49, 0x96, 0x0a, 0x00, 0x48, 0xc1, 0xe8, 0x03, 0x4c,
	0x8d, 0x05, 0x86, 0x81, 0x2c, 0x00, 0x0f, 0xb6, 0x34, 0x02, 0x64, 0x48, 0x8b, 0x91, 0x38, 0x03, 0x00, 0x00,
	0x49, 0x03, 0x14, 0xf0, 0x64, 0x48, 0x3b, 0x91, 0x40, 0x03, 0x00, 0x00, 0x73, 0x5c, 0x64, 0x4c, 0x8b, 0x0c,
};

static void test_codepat(void)
{
	struct ctp_codepat p;
	char why[160];
	unsigned char b[sizeof(deb_malloc)];
	if (ok(ctp_codepat_x86(deb_malloc, sizeof(deb_malloc), 0x23910, &p, why, sizeof(why)), "Debian malloc: %s",
	       "pattern found")) {
		ok(p.got && p.got_vaddr == 0xccf78, "base from the TPOFF GOT slot 0xccf78 (got %#llx)",
		   (unsigned long long)p.got_vaddr);
		check_int(p.disp, ==, 0x338);
	}
	memcpy(b, deb_malloc, sizeof(b));
	b[0x3c] = 0x8b; /* the threshold compare becomes a load: no counter/threshold pair */
	ok(!ctp_codepat_x86(b, sizeof(b), 0x23910, &p, why, sizeof(why)), "no compare: not recognised (%s)", why);
	memcpy(b, deb_malloc, sizeof(b));
	b[0x1a] = 0x05; /* base loaded into %rax instead: %rcx's origin unknown */
	ok(!ctp_codepat_x86(b, sizeof(b), 0x23910, &p, why, sizeof(why)), "base of unknown origin: not recognised");
}

static const struct ctp_thread *find(const struct ctp_snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

/* the probe's values for t's threads: how many equal what the threads printed */
static size_t probe_exact(struct ctp_probe *p, const struct target *t, size_t *wrong)
{
	struct ctp_probe_thread_result r[TGT_MAX];
	size_t exact = 0;
	ctp_probe_begin_sample(p);
	ctp_probe_process(p, t->pid, t->tid, NULL, t->n, r);
	for (size_t i = 0; i < t->n; i++) {
		bool same = r[i].ok && r[i].allocated == t->alloc[i] && r[i].deallocated == t->dealloc[i];
		exact += same;
		*wrong += r[i].ok && !same;
		if (!same)
			diag("tid %u: probe %s %llu/%llu, mallctl %llu/%llu (%s)", t->tid[i], r[i].ok ? "ok" : "failed",
			     (unsigned long long)r[i].allocated, (unsigned long long)r[i].deallocated,
			     (unsigned long long)t->alloc[i], (unsigned long long)t->dealloc[i], r[i].error);
	}
	return exact;
}

/* captures of t (at most 3: on a loaded machine a thread may miss one capture's stop budget):
 * the threads the best one measured exactly; *wrong counts measured values that are not */
static size_t capture_exact(const struct target *t, size_t *wrong)
{
	size_t best = 0;
	for (int round = 0; round < 3 && best < t->n; round++) {
		struct ctp_capture_opts o = { .pid = t->pid, .no_taskstats = true, .no_host = true };
		struct ctp_capture *c = ctp_capture_new(&o);
		struct ctp_snapshot *s = NULL;
		struct ctp_err err = { 0 };
		size_t exact = 0;
		if (ctp_capture_run(c, &s, &err) == 0) {
			for (size_t i = 0; i < t->n; i++) {
				const struct ctp_thread *th = find(s, t->tid[i]);
				bool same = th && th->allocated_bytes == t->alloc[i] && th->deallocated_bytes == t->dealloc[i];
				exact += th && th->jemalloc_measured && same;
				*wrong += th && th->jemalloc_measured && !same;
			}
			ctp_snapshot_free(s);
		}
		ctp_capture_free(c);
		best = exact > best ? exact : best;
	}
	return best;
}

/* wrong offsets next to the right ones fail the plausibility checks on a live thread */
static void check_plausibility(const struct ctp_jemalloc_layout *l, const struct target *t, const char *label)
{
	uint64_t tp, a, d;
	struct ctp_err err = { 0 };
	if (ctp_probe_thread_slow(l, (pid_t)t->tid[1], &tp, &a, &d, &err) != CTP_PT_OK) {
		skip("%s: slow path failed (%s)", label, err.msg);
		return;
	}
	ok(ctp_probe_plausible(l, (pid_t)t->tid[1], tp, a, d, &err), "%s: right offsets plausible (%s)", label, err.msg);
	static const int shift[] = { -8, 8, 16 };
	for (size_t i = 0; i < 3; i++) {
		struct ctp_jemalloc_layout w = *l;
		w.off_alloc += (uint64_t)(int64_t)shift[i];
		w.off_dealloc += (uint64_t)(int64_t)shift[i];
		if (ctp_probe_thread_slow(&w, (pid_t)t->tid[1], &tp, &a, &d, &err) == CTP_PT_OK)
			ok(!ctp_probe_plausible(&w, (pid_t)t->tid[1], tp, a, d, &err), "%s: offsets %+d rejected (%s)", label,
			   shift[i], err.msg);
	}
}

/* one deployment: attach from `source`, exact in two rounds (probe, then capture API) */
static void deployment(const char *label, char *const argv[], const char *preload, enum ctp_layout_source source)
{
	struct target t;
	struct ctp_jemalloc_layout l;
	struct ctp_err err = { 0 };
	size_t wrong = 0;
	if (preload)
		setenv("LD_PRELOAD", preload, 1);
	int rc = target_start(&t, argv);
	unsetenv("LD_PRELOAD");
	if (!ok(rc == 0, "%s: worker started", label))
		return;
	check_int(t.n, ==, 5);
	enum ctp_probe_tag tag = ctp_probe_attach(NULL, t.pid, &l, &err);
	if (ok(tag == CTP_PT_OK, "%s: attach (%s)", label, err.msg)) {
		ok(l.source == source, "%s: offsets from %s (got %s)", label, ctp_layout_source_name(source),
		   ctp_layout_source_name((enum ctp_layout_source)l.source));
		diag("%s: tls_offset %#llx off_alloc %#llx off_dealloc %#llx %s", label, (unsigned long long)l.tls_offset,
		     (unsigned long long)l.off_alloc, (unsigned long long)l.off_dealloc, l.dso_path);
		check_plausibility(&l, &t, label);
	}
	struct ctp_probe *p = ctp_probe_new(NULL);
	ctp_probe_set_budget_ms(p, 10000); /* a loaded machine: every thread stopped in one sample */
	check_int(probe_exact(p, &t, &wrong), ==, 5);
	uint64_t slow = ctp_probe_stats(p)->slow_probes;
	kill(t.pid, SIGUSR1); /* round 2: new allocations on every thread */
	if (ok(target_read_ready(&t) == 0, "%s: round 2 reported", label)) {
		check_int(probe_exact(p, &t, &wrong), ==, 5);
		check_u64(ctp_probe_stats(p)->slow_probes, ==, slow); /* from the caches: no thread stopped */
		check_u64(ctp_probe_stats(p)->attaches, ==, 1);
		check_int(capture_exact(&t, &wrong), ==, 5);
	}
	check_int(wrong, ==, 0);
	ctp_probe_free(p);
	target_stop(&t);
}

/* never a wrong number: a target the probe cannot read exactly reads nothing */
static void not_measured(const char *label, char *const argv[], const char *preload, enum ctp_probe_tag want)
{
	struct target t;
	size_t wrong = 0;
	if (preload)
		setenv("LD_PRELOAD", preload, 1);
	int rc = target_start(&t, argv);
	unsetenv("LD_PRELOAD");
	if (!ok(rc == 0, "%s: worker started", label))
		return;
	struct ctp_probe *p = ctp_probe_new(NULL);
	size_t exact = probe_exact(p, &t, &wrong);
	check_int(wrong, ==, 0);
	if (want != CTP_PT_OK) {
		check_int(exact, ==, 0);
		check_str(ctp_probe_tag_name(ctp_probe_counts(p)->tags[want] ? want : CTP_PT_OK), ctp_probe_tag_name(want));
		diag("%s: %s", label, ctp_probe_last_error(p));
	}
	ctp_probe_free(p);
	target_stop(&t);
}

/* one probe context, one executable, two processes whose libjemalloc sits at different TLS
 * offsets (LD_PRELOAD: 0xa48, dlopen: further down): each read exactly (the DSO result is per
 * process, not per executable) */
static void same_exe_two_offsets(char *plain, char *k)
{
	struct target a, b;
	size_t wrong = 0;
	setenv("LD_PRELOAD", JE_SO, 1);
	int ra = target_start(&a, (char *[]){ plain, k, NULL });
	unsetenv("LD_PRELOAD");
	setenv("JE_DLOPEN", JE_SO, 1);
	setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=16384", 1);
	int rb = target_start(&b, (char *[]){ plain, k, NULL });
	unsetenv("JE_DLOPEN");
	unsetenv("GLIBC_TUNABLES");
	if (ra == 0 && rb == 0) {
		struct ctp_probe *p = ctp_probe_new(NULL);
		ctp_probe_set_budget_ms(p, 10000);
		check_int(probe_exact(p, &a, &wrong), ==, 5);
		check_int(probe_exact(p, &b, &wrong), ==, 5);
		check_int(probe_exact(p, &a, &wrong), ==, 5);
		check_int(wrong, ==, 0);
		ctp_probe_free(p);
	} else {
		ok(0, "same exe, two TLS offsets: workers started");
	}
	if (ra == 0)
		target_stop(&a);
	if (rb == 0)
		target_stop(&b);
}

int main(void)
{
	char linked[512], plain[512], nodebug[512], stripped[512], fake[512], k[] = "4";
	struct stat st;
	test_codepat();
	if (stat(JE_SO, &st) != 0)
		skip_all("libjemalloc.so.2 not installed (apt-get install libjemalloc-dev)");
	snprintf(linked, sizeof(linked), "%s/tests/helpers/je_dso_linked", build_dir());
	snprintf(plain, sizeof(plain), "%s/tests/helpers/je_dso_worker", build_dir());
	snprintf(nodebug, sizeof(nodebug), "%s/tests/helpers/je_static_nodebug", build_dir());
	snprintf(stripped, sizeof(stripped), "%s/tests/helpers/je_static_stripped", build_dir());
	snprintf(fake, sizeof(fake), "%s/tests/helpers/libfake_je.so", build_dir());
	if (fake[0] != '/') {
		char cwd[400];
		if (getcwd(cwd, sizeof(cwd)))
			snprintf(fake, sizeof(fake), "%s/%s/tests/helpers/libfake_je.so", cwd, build_dir());
	}

	deployment("DT_NEEDED", (char *[]){ linked, k, NULL }, NULL, CTP_LAYOUT_CODE_DSO);
	setenv("JE_MAPS", "400", 1); /* libjemalloc's maps line ~24 KiB in: past one read of maps */
	deployment("LD_PRELOAD", (char *[]){ plain, k, NULL }, JE_SO, CTP_LAYOUT_CODE_DSO);
	unsetenv("JE_MAPS");
	/* Debian's static TLS block (0xa48 bytes) exceeds glibc's default dlopen surplus */
	setenv("JE_DLOPEN", JE_SO, 1);
	setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=16384", 1);
	deployment("dlopen", (char *[]){ plain, k, NULL }, NULL, CTP_LAYOUT_CODE_DSO);
	unsetenv("JE_DLOPEN");
	unsetenv("GLIBC_TUNABLES");
	same_exe_two_offsets(plain, k);
	deployment("static, no DWARF", (char *[]){ nodebug, k, NULL }, NULL, CTP_LAYOUT_CODE_EXE);
	deployment("static, fully stripped", (char *[]){ stripped, k, NULL }, NULL, CTP_LAYOUT_CODE_EXE);
	not_measured("fake DSO", (char *[]){ plain, k, NULL }, fake, CTP_PT_JEMALLOC_IN_DSO);
	return test_done();
}
