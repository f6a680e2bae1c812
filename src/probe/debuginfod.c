/* debuginfod.c — debug files from DEBUGINFOD_URLS' servers through elfutils' libdebuginfod,
 * dlopen'd at first use as libdw does (no library: not used, said once); a time budget per
 * capture, lookups it cut short remembered a while, downloads capped. What a server sends is then
 * checked by debugfile.c as any debug file (build-id match, size caps, ELF checks). */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/elfdwarf.h"

/* libdebuginfod's ABI (debuginfod.h, elfutils >= 0.179), declared here: the header is not needed
 * to build, the library not needed to run */
typedef struct debuginfod_client debuginfod_client;
typedef int (*dbgd_progressfn_t)(debuginfod_client *c, long a, long b);

static struct {
	debuginfod_client *(*begin)(void);
	void (*end)(debuginfod_client *);
	int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
	void (*set_progressfn)(debuginfod_client *, dbgd_progressfn_t);
	void (*set_user_data)(debuginfod_client *, void *);
	void *(*get_user_data)(debuginfod_client *);
	bool tried, ok;
	char why[160];
} api;

#define MISS_MAX 64                          /* build-ids remembered as failed */
#define MISS_NS (300ull * 1000 * 1000 * 1000) /* ... for 5 minutes */

struct miss {
	unsigned char id[64];
	size_t len;
	uint64_t until_ns;
};

struct ctp_dbgd {
	bool enabled;
	debuginfod_client *client;
	uint64_t budget_ns, spent_ns, deadline_ns;
	const char *cancel; /* why the progress callback stopped the transfer */
	struct miss miss[MISS_MAX];
	size_t nmiss, miss_next;
	char note[200];
	struct ctp_dbgd_stats st;
};

struct ctp_dbgd *ctp_dbgd_new(bool enabled)
{
	struct ctp_dbgd *d = ctp_xcalloc(1, sizeof(*d));
	d->enabled = enabled;
	d->budget_ns = CTP_PROBE_DEBUGINFOD_MS_DEFAULT * 1000000ull;
	return d;
}

void ctp_dbgd_free(struct ctp_dbgd *d)
{
	if (!d)
		return;
	if (d->client)
		api.end(d->client);
	free(d);
}

void ctp_dbgd_set_enabled(struct ctp_dbgd *d, bool on)
{
	d->enabled = on;
}

void ctp_dbgd_set_budget_ms(struct ctp_dbgd *d, uint64_t ms)
{
	d->budget_ns = ctp_sat_mul(ms, 1000000);
}

void ctp_dbgd_begin_sample(struct ctp_dbgd *d)
{
	d->spent_ns = 0;
}

const char *ctp_dbgd_note(const struct ctp_dbgd *d)
{
	return d && d->note[0] ? d->note : NULL;
}

const struct ctp_dbgd_stats *ctp_dbgd_stats(const struct ctp_dbgd *d)
{
	return &d->st;
}

/* dlopen once per process; the library stays loaded (libcurl must not be unloaded) */
static bool load_api(void)
{
	if (api.tried)
		return api.ok;
	api.tried = true;
	void *h = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(api.why, sizeof(api.why), "%s", e ? e : "dlopen failed");
		return false;
	}
	*(void **)&api.begin = dlsym(h, "debuginfod_begin");
	*(void **)&api.end = dlsym(h, "debuginfod_end");
	*(void **)&api.find_debuginfo = dlsym(h, "debuginfod_find_debuginfo");
	*(void **)&api.set_progressfn = dlsym(h, "debuginfod_set_progressfn");
	*(void **)&api.set_user_data = dlsym(h, "debuginfod_set_user_data");
	*(void **)&api.get_user_data = dlsym(h, "debuginfod_get_user_data");
	if (!api.begin || !api.end || !api.find_debuginfo || !api.set_progressfn || !api.set_user_data ||
	    !api.get_user_data) {
		snprintf(api.why, sizeof(api.why), "libdebuginfod.so.1 lacks the client API (elfutils < 0.179)");
		return false;
	}
	api.ok = true;
	return true;
}

/* the transfer's guard: the lookup's deadline and the size cap of a debug file */
static int progress(debuginfod_client *c, long a, long b)
{
	struct ctp_dbgd *d = api.get_user_data(c);
	if (!d)
		return 0;
	if (ctp_now_monotonic_ns() >= d->deadline_ns) {
		d->cancel = "time budget spent";
		return 1;
	}
	if ((a > 0 && (uint64_t)a > CTP_ELF_FILE_MAX) || (b > 0 && (uint64_t)b > CTP_ELF_FILE_MAX)) {
		d->cancel = "debug file larger than the cap";
		return 1;
	}
	return 0;
}

static struct miss *miss_find(struct ctp_dbgd *d, const void *id, size_t len)
{
	for (size_t i = 0; i < d->nmiss; i++)
		if (d->miss[i].len == len && !memcmp(d->miss[i].id, id, len))
			return &d->miss[i];
	return NULL;
}

static void miss_put(struct ctp_dbgd *d, const void *id, size_t len, uint64_t now)
{
	struct miss *m = miss_find(d, id, len);
	if (!m)
		m = &d->miss[d->nmiss < MISS_MAX ? d->nmiss++ : d->miss_next++ % MISS_MAX];
	memcpy(m->id, id, len);
	m->len = len;
	m->until_ns = now + MISS_NS;
}

/* a client once per context, or false (not configured, disabled, no library: note says once) */
static bool client_ready(struct ctp_dbgd *d)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (!d->enabled || !urls || !*urls)
		return false;
	if (d->client)
		return true;
	if (!load_api()) {
		if (!d->note[0])
			snprintf(d->note, sizeof(d->note), "DEBUGINFOD_URLS is set but %s: debuginfod not used", api.why);
		return false;
	}
	if (!(d->client = api.begin())) {
		if (!d->note[0])
			snprintf(d->note, sizeof(d->note), "debuginfod_begin failed: debuginfod not used");
		return false;
	}
	api.set_progressfn(d->client, progress);
	api.set_user_data(d->client, d);
	return true;
}

enum ctp_dbgd_result ctp_dbgd_find(struct ctp_dbgd *d, const void *id, size_t len, char **path, char *why,
				   size_t whylen)
{
	*path = NULL;
	if (!d || len < 2 || len > sizeof(d->miss[0].id) || !client_ready(d))
		return CTP_DBGD_ABSENT;
	uint64_t now = ctp_now_monotonic_ns();
	struct miss *m = miss_find(d, id, len);
	if (m && now < m->until_ns) {
		snprintf(why, whylen, "debuginfod: a lookup of this build-id failed less than %llu s ago",
			 (unsigned long long)(MISS_NS / 1000000000ull));
		return CTP_DBGD_DEFERRED;
	}
	if (d->spent_ns >= d->budget_ns) {
		snprintf(why, whylen, "debuginfod: this capture's %llu ms budget is spent",
			 (unsigned long long)(d->budget_ns / 1000000));
		return CTP_DBGD_DEFERRED;
	}
	d->deadline_ns = now + (d->budget_ns - d->spent_ns);
	d->cancel = NULL;
	d->st.queries++;
	int fd = api.find_debuginfo(d->client, id, (int)len, path);
	uint64_t end = ctp_now_monotonic_ns();
	d->spent_ns += end - now;
	d->st.spent_ns += end - now;
	if (fd >= 0) {
		close(fd);
		d->st.found++;
		return CTP_DBGD_FOUND;
	}
	free(*path);
	*path = NULL;
	/* no server had it or none answered: libdebuginfod keeps that in its cache dir
	 * (cache_miss_s, 600 s by default) and answers -ENOENT from there until then */
	if (!d->cancel) {
		snprintf(why, whylen, "debuginfod: %s", fd == -ENOENT ? "no server has this build-id" : strerror(-fd));
		return CTP_DBGD_ABSENT;
	}
	miss_put(d, id, len, end); /* stopped by our budget: not asked again for a while, then retried */
	snprintf(why, whylen, "debuginfod: %s after %llu ms", d->cancel, (unsigned long long)((end - now) / 1000000));
	return CTP_DBGD_DEFERRED;
}
