/* bench_probe_debuginfod.c — attach cost per process of a fully stripped worker whose debug file
 * Debian's debuginfod -F serves on 127.0.0.1: cold (empty client cache), warm (cached), and the
 * same file found locally by build-id. Skips (exit 0) when debuginfod or binutils is missing. */
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "base/util.h"
#include "probe/probe.h"
#include "../t_probe_util.h"

static char T[64];

static bool sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

/* the attach of a fresh probe (debug root root, debuginfod on or off), in ns; 0 if it failed */
static uint64_t attach_ns(pid_t pid, const char *root, bool dbgd)
{
	struct ctp_probe *p = ctp_probe_new(NULL);
	ctp_probe_set_debug_root(p, root);
	ctp_probe_set_debuginfod(p, dbgd);
	ctp_probe_begin_sample(p);
	uint64_t t0 = ctp_now_monotonic_ns();
	enum ctp_probe_tag tag = ctp_probe_process(p, pid, NULL, NULL, 0, NULL);
	uint64_t ns = ctp_now_monotonic_ns() - t0;
	ctp_probe_free(p);
	return tag == CTP_PT_OK ? ns : 0;
}

/* stages the stripped worker, its debug file for the server and under root/, starts debuginfod */
static bool stage(const char *helper, int *port)
{
	FILE *f;
	if (!sh("command -v debuginfod objcopy strip readelf python3 >/dev/null"))
		return false;
	if (!sh("cd %s && mkdir -p bin srv empty && objcopy --only-keep-debug %s srv/w.debug && strip --strip-all -o bin/w %s && "
		"id=$(readelf -n bin/w | sed -n 's/.*Build ID: *//p') && echo $id > id && "
		"mkdir -p root/usr/lib/debug/.build-id/$(echo $id | cut -c1-2) && "
		"cp srv/w.debug root/usr/lib/debug/.build-id/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-).debug && "
		"python3 -c 'import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])' > port",
		T, helper, helper))
		return false;
	if (!(f = fopen("port", "r")) || fscanf(f, "%d", port) != 1)
		return false;
	fclose(f);
	return sh("cd %s && (debuginfod -F -d db.sqlite -p %d -t 0 -g 0 -c 1 srv >dbgd.log 2>&1 & echo $! > dpid) && "
		  "python3 -c 'import sys, time, urllib.request\n"
		  "u = \"http://127.0.0.1:%d/buildid/\" + open(\"id\").read().strip() + \"/debuginfo\"\n"
		  "end = time.time() + 20\n"
		  "while time.time() < end:\n"
		  "    try:\n"
		  "        urllib.request.urlopen(u, timeout=2); sys.exit(0)\n"
		  "    except Exception:\n"
		  "        time.sleep(0.2)\n"
		  "sys.exit(1)'",
		  T, *port, *port);
}

int main(int argc, char **argv)
{
	char helper[512], w[128], url[64], cache[128], root[96], empty[96], cwd[256];
	struct target t;
	int port = 0, rounds = argc > 1 ? atoi(argv[1]) : 20, bad = 0;
	uint64_t cold = 0, warm = 0, local = 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	snprintf(helper, sizeof(helper), "%s/%s/tests/helpers/dbg_fake_je", cwd, build_dir());
	snprintf(T, sizeof(T), "/tmp/ctp-bench-dbgd-XXXXXX");
	if (access(helper, X_OK) || !mkdtemp(T) || chdir(T) || !stage(helper, &port)) {
		printf("bench_probe_debuginfod: skipped (dbg_fake_je, debuginfod or binutils missing, or no server)\n");
		sh("cd %s && [ -s dpid ] && kill $(cat dpid); rm -rf %s", T[0] ? T : "/nonexistent", T);
		return 0;
	}
	snprintf(w, sizeof(w), "%s/bin/w", T);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	snprintf(root, sizeof(root), "%s/root", T);
	snprintf(empty, sizeof(empty), "%s/empty", T);
	setenv("DEBUGINFOD_URLS", url, 1);
	if (target_start(&t, (char *[]){ w, "4", NULL }) < 0) {
		printf("bench_probe_debuginfod: skipped (the worker did not start)\n");
		rounds = 0;
	}
	for (int r = 0; r < rounds; r++) {
		snprintf(cache, sizeof(cache), "%s/cache-%d", T, r);
		setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
		uint64_t c = attach_ns(t.pid, empty, true), wm = attach_ns(t.pid, empty, true);
		uint64_t l = attach_ns(t.pid, root, false);
		bad += !c || !wm || !l;
		cold += c, warm += wm, local += l;
	}
	if (rounds > 0) {
		target_stop(&t);
		printf("debug file from debuginfod (127.0.0.1, %d rounds%s), attach per process:\n", rounds, bad ? ", ERRORS" : "");
		printf("  cold (empty client cache: HTTP fetch):       %8.1f us\n", (double)cold / rounds / 1e3);
		printf("  warm (file in the client cache):             %8.1f us\n", (double)warm / rounds / 1e3);
		printf("  local debug file by build-id (no debuginfod): %8.1f us\n", (double)local / rounds / 1e3);
	}
	sh("cd %s && kill $(cat dpid) 2>/dev/null; cd / && rm -rf %s", T, T);
	return bad ? 1 : 0;
}
