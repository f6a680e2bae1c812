/* t_probe_debuginfod.c — issue 19 item 3: a fully stripped target whose debug file sits under a
 * test debug root is read exactly (build-id, .gnu_debuglink with its CRC32, dwz alt file), a wrong
 * file gives no number; debuginfod that never answers or is down keeps to its budget and is not
 * asked again, and none is asked when turned off. The server itself: probe_debuginfod.sh. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "probe/probe.h"
#include "tap.h"
#include "t_probe_util.h"

static char T[64];

/* runs a shell command made from fmt; true on exit 0 */
static bool sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		diag("command failed (%d): %s", rc, cmd);
	return rc == 0;
}

/* the build-id of file as hex, "" if none */
static void build_id(const char *file, char *out, size_t len)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>/dev/null | sed -n 's/.*Build ID: *//p'", file);
	out[0] = '\0';
	FILE *f = popen(cmd, "r");
	if (f) {
		if (fgets(out, (int)len, f))
			out[strcspn(out, "\n")] = '\0';
		pclose(f);
	}
}

/* copies debug to ROOT/usr/lib/debug/.build-id/xx/rest.debug for the build-id of exe */
static bool place_by_id(const char *root, const char *exe, const char *debug)
{
	char id[128];
	build_id(exe, id, sizeof(id));
	return strlen(id) > 2 && sh("mkdir -p %s/usr/lib/debug/.build-id/%.2s && cp %s %s/usr/lib/debug/.build-id/%.2s/%s.debug",
				     root, id, debug, root, id, id + 2);
}

/* probes t twice with p (the second sample from the caches): threads read exactly each time */
static size_t probe_exact(struct ctp_probe *p, const struct target *t, size_t *wrong, enum ctp_probe_tag *tag)
{
	struct ctp_probe_thread_result r[TGT_MAX];
	size_t exact = 0;
	for (int round = 0; round < 2; round++) {
		ctp_probe_begin_sample(p);
		*tag = ctp_probe_process(p, t->pid, t->tid, NULL, t->n, r);
		for (size_t i = 0; i < t->n; i++) {
			bool same = r[i].ok && r[i].allocated == t->alloc[i] && r[i].deallocated == t->dealloc[i];
			exact += same;
			*wrong += r[i].ok && !same;
		}
	}
	return exact;
}

/* exe under the debug root root: 5 threads read exactly twice (want_ok), or none read */
static void run_case(const char *label, const char *exe, const char *root, bool want_ok)
{
	struct target t;
	size_t wrong = 0;
	enum ctp_probe_tag tag;
	if (!ok(target_start(&t, (char *[]){ (char *)exe, "4", NULL }) == 0, "%s: target started", label))
		return;
	struct ctp_probe *p = ctp_probe_new(NULL);
	ctp_probe_set_budget_ms(p, 10000); /* a loaded machine: every thread stopped in one sample */
	ctp_probe_set_debuginfod(p, false);
	ctp_probe_set_debug_root(p, root);
	size_t exact = probe_exact(p, &t, &wrong, &tag);
	if (want_ok) {
		ok(tag == CTP_PT_OK && exact == 2 * t.n && t.n == 5, "%s: %zu of 2x%zu reads exact (%s %s)", label, exact,
		   t.n, ctp_probe_tag_name(tag), ctp_probe_last_error(p));
		check_u64(ctp_probe_stats(p)->attaches, ==, 1);
	} else {
		ok(tag == CTP_PT_JEMALLOC_NOT_FOUND && exact == 0, "%s: not measured (%s: %s)", label, ctp_probe_tag_name(tag),
		   ctp_probe_last_error(p));
	}
	check_int(wrong, ==, 0);
	ctp_probe_free(p);
	target_stop(&t);
}

/* the dwz case: the debug file's shared DWARF moved into an alt file found by its build-id */
static void dwz_case(const char *exe, const char *fake_g)
{
	char alt[PATH_MAX], a[PATH_MAX], root[PATH_MAX], root_noalt[PATH_MAX];
	snprintf(a, sizeof(a), "%s/dwz/a.debug", T);
	snprintf(alt, sizeof(alt), "%s/dwz/common.debug", T);
	snprintf(root, sizeof(root), "%s/root-dwz", T);
	snprintf(root_noalt, sizeof(root_noalt), "%s/root-noalt", T);
	if (system("command -v dwz >/dev/null") != 0) {
		skip("dwz not installed (apt-get install dwz)");
		return;
	}
	if (!sh("mkdir -p %s/dwz && cd %s/dwz && objcopy --only-keep-debug %s/bin/dbg_fake_je.g a.debug && "
		"objcopy --only-keep-debug %s b.debug && dwz -m common.debug a.debug b.debug 2>/dev/null && "
		"readelf -S a.debug 2>/dev/null | grep -q gnu_debugaltlink",
		T, T, T, fake_g)) {
		skip("dwz made no alt file here");
		return;
	}
	if (!place_by_id(root, exe, a) || !place_by_id(root, alt, alt) || !place_by_id(root_noalt, exe, a)) {
		ok(0, "dwz: fixture placed");
		return;
	}
	run_case("dwz alt file by build-id", exe, root, true);
	run_case("dwz alt file missing", exe, root_noalt, false);
}

/* a listening socket that never answers (the kernel accepts the connection): its port */
static int blackhole(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return s;
}

/* debuginfod that cannot help: the budget holds, a failed lookup is not sent again, off = none */
static void debuginfod_budget(const char *exe)
{
	struct target t;
	size_t wrong = 0;
	enum ctp_probe_tag tag;
	char url[64], cache[PATH_MAX], empty[PATH_MAX];
	int port = 0, s = blackhole(&port);
	if (!ok(s >= 0, "blackhole server listening"))
		return;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	snprintf(cache, sizeof(cache), "%s/dcache", T);
	snprintf(empty, sizeof(empty), "%s/root-empty", T);
	setenv("DEBUGINFOD_URLS", url, 1);
	setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
	if (!ok(target_start(&t, (char *[]){ (char *)exe, "4", NULL }) == 0, "debuginfod: target started")) {
		close(s);
		return;
	}
	struct ctp_probe *p = ctp_probe_new(NULL);
	ctp_probe_set_debug_root(p, empty);
	ctp_probe_set_debuginfod_budget_ms(p, 500);
	uint64_t t0 = ctp_now_monotonic_ns();
	size_t exact = probe_exact(p, &t, &wrong, &tag);
	double secs = (double)(ctp_now_monotonic_ns() - t0) / 1e9;
	diag("two samples against a server that never answers: %.2f s (budget 0.5 s each)", secs);
	ok(exact == 0 && tag == CTP_PT_JEMALLOC_NOT_FOUND, "no answer: not measured (%s)", ctp_probe_last_error(p));
	ok(strstr(ctp_probe_last_error(p), "debuginfod: ") != NULL, "the reason names debuginfod");
	check_u64(ctp_probe_stats(p)->debuginfod_queries, ==, 1); /* the second sample did not ask again */
	ok(secs < 8.0, "both samples within the budget plus libdebuginfod's 1 s poll (%.2f s < 8 s)", secs);
	ctp_probe_free(p);

	/* a closed port, a fresh client cache: refused at once, one lookup (the exe's result is kept) */
	close(s);
	snprintf(cache, sizeof(cache), "%s/dcache2", T);
	setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
	p = ctp_probe_new(NULL);
	ctp_probe_set_debug_root(p, empty);
	t0 = ctp_now_monotonic_ns();
	exact = probe_exact(p, &t, &wrong, &tag);
	secs = (double)(ctp_now_monotonic_ns() - t0) / 1e9;
	ok(exact == 0 && ctp_probe_stats(p)->debuginfod_queries == 1, "closed port: one lookup, not measured (%s)",
	   ctp_probe_last_error(p));
	ok(secs < 5.0, "closed port: two samples in %.2f s (< 5 s)", secs);
	ctp_probe_free(p);

	/* --no-debuginfod: no lookup at all */
	ctp_probe_debuginfod_default(false);
	p = ctp_probe_new(NULL);
	ctp_probe_debuginfod_default(true);
	ctp_probe_set_debug_root(p, empty);
	exact = probe_exact(p, &t, &wrong, &tag);
	check_u64(ctp_probe_stats(p)->debuginfod_queries, ==, 0);
	ok(ctp_probe_debuginfod_note(p) == NULL, "no note when turned off");
	check_int(wrong, ==, 0);
	ctp_probe_free(p);
	target_stop(&t);
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("DEBUGINFOD_CACHE_PATH");
}

int main(void)
{
	char helper[PATH_MAX], fake_g[PATH_MAX], bid[PATH_MAX], lnk[PATH_MAX], bad[PATH_MAX], root[PATH_MAX];
	char wrong_root[PATH_MAX], cwd[PATH_MAX / 2];
	unsetenv("DEBUGINFOD_URLS");
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	snprintf(helper, sizeof(helper), "%s/%s/tests/helpers/dbg_fake_je", cwd, build_dir());
	snprintf(fake_g, sizeof(fake_g), "%s/%s/tests/helpers/fake_jemalloc", cwd, build_dir());
	if (access(helper, X_OK) || access(fake_g, X_OK))
		skip_all("dbg_fake_je or fake_jemalloc not built");
	if (system("command -v objcopy >/dev/null && command -v strip >/dev/null && command -v readelf >/dev/null"))
		skip_all("binutils (objcopy, strip, readelf) missing");
	snprintf(T, sizeof(T), "/tmp/ctp-dbgfile-XXXXXX");
	if (!mkdtemp(T))
		return 1;
	snprintf(bid, sizeof(bid), "%s/bin/bid", T);
	snprintf(lnk, sizeof(lnk), "%s/bin/lnk", T);
	snprintf(bad, sizeof(bad), "%s/bin/bad", T);
	snprintf(root, sizeof(root), "%s/root", T);
	snprintf(wrong_root, sizeof(wrong_root), "%s/root-wrong", T);

	/* bid: fully stripped, build-id kept; lnk, bad: no build-id, a .gnu_debuglink (bad's file
	 * gets one more byte after the link is made: its CRC32 no longer matches) */
	bool staged = sh("mkdir -p %s/bin %s/usr/lib/debug%s/bin && cd %s/bin && cp %s dbg_fake_je.g && "
			 "objcopy --only-keep-debug dbg_fake_je.g full.debug && strip --strip-all -o bid dbg_fake_je.g && "
			 "objcopy --only-keep-debug %s wrong.debug && "
			 "strip --strip-all --remove-section=.note.gnu.build-id -o lnk.tmp dbg_fake_je.g && "
			 "objcopy --remove-section=.note.gnu.build-id full.debug lnk.debug && cp lnk.debug bad.debug && "
			 "objcopy --add-gnu-debuglink=lnk.debug lnk.tmp lnk && objcopy --add-gnu-debuglink=bad.debug lnk.tmp bad && "
			 "printf x >> bad.debug && mv lnk.debug bad.debug %s/usr/lib/debug%s/bin/",
			 T, root, T, T, helper, fake_g, root, T);
	char full[PATH_MAX], wrong_dbg[PATH_MAX];
	snprintf(full, sizeof(full), "%s/bin/full.debug", T);
	snprintf(wrong_dbg, sizeof(wrong_dbg), "%s/bin/wrong.debug", T);
	if (!staged || !place_by_id(root, bid, full) || !place_by_id(wrong_root, bid, wrong_dbg)) {
		ok(0, "fixtures staged under %s", T);
		return test_done();
	}

	run_case("build-id path", bid, root, true);
	run_case(".gnu_debuglink under /usr/lib/debug/DIR (CRC32 checked)", lnk, root, true);
	run_case(".gnu_debuglink with a wrong CRC32", bad, root, false);
	run_case("debug file of another build at the build-id path", bid, wrong_root, false);
	dwz_case(bid, fake_g);
	debuginfod_budget(bid);
	sh("rm -rf %s", T);
	return test_done();
}
