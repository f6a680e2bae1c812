/* colsets.c — the column sets (colsets.h): the metric lists of the named sets and of batch mode,
 * and the "columns" setting's one parser and formatter, used by the config file, the live view
 * (start-up, keys 1-6, the column chooser, S) and the help. */
#include "cli/colsets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "compare/compare.h"

/* Each set leads with its five most useful metrics: at 80 columns the live view shows GROUP
 * (16+ cells), THR and five metric columns of 8+ cells, then "→ N more" (grid.h); the rest
 * follow by use. Names not in the registry are skipped (thread_cpu_share, thread_vcsw_rate:
 * the per-thread means of issue 20 item 10). */
static const char *const set_sched[] = { "run_time_ns", "wait_time_ns", "cpu_efficiency", "thread_cpu_share",
	"voluntary_csw", "nonvoluntary_csw", "thread_vcsw_rate", "nr_wakeups", "nr_migrations", "timeslices",
	"avg_slice_ns", "wait_max", "nr_wakeups_remote", "nr_wakeups_migrate", "avg_wait_ns", "state", NULL };
static const char *const set_cpu[] = { "utime_clock_ticks", "stime_clock_ticks", "run_time_ns", "nr_migrations",
	"processor", "nice", "priority", "policy", "cpu_affinity", "state", "ext_enabled", NULL };
static const char *const set_memory[] = { "minflt", "majflt", "hiwater_rss_bytes", "live_heap_estimate",
	"allocated_bytes", "hiwater_vm_bytes", "nr_threads", NULL };
static const char *const set_io[] = { "read_bytes", "write_bytes", "rchar", "wchar", "blkio_delay_total_ns",
	"syscr", "syscw", "cancelled_write_bytes", "disk_io_fraction", "iowait_sum", NULL };
static const char *const set_delays[] = { "cpu_delay_total_ns", "blkio_delay_total_ns", "total_offcpu_delay_ns",
	"avg_cpu_delay_ns", "cpu_delay_max_ns", "swapin_delay_total_ns", "thrashing_delay_total_ns",
	"freepages_delay_total_ns", "compact_delay_total_ns", "wpcopy_delay_total_ns", "irq_delay_total_ns", NULL };
static const char *const set_jemalloc[] = { "allocated_bytes", "deallocated_bytes", "live_heap_estimate",
	"hiwater_rss_bytes", NULL };
static const char *const set_batch[] = { "thread_count", "run_time_ns", "wait_time_ns", "cpu_efficiency", "thread_cpu_share", "voluntary_csw",
	"nonvoluntary_csw", "utime_clock_ticks", "stime_clock_ticks", "minflt", "majflt", "rchar", "wchar",
	"cpu_delay_total_ns", NULL }; /* 14: one text table (a grid holds 16 columns) */

static const struct {
	const char *name;
	const char *const *metrics;
} sets[CTP_COLSETS] = {
	{ "sched", set_sched }, { "cpu", set_cpu }, { "memory", set_memory },
	{ "io", set_io }, { "delays", set_delays }, { "jemalloc", set_jemalloc },
};

const char *ctp_colset_name(int i)
{
	return i >= 0 && i < CTP_COLSETS ? sets[i].name : "custom";
}

static int find_set(const char *name)
{
	for (int i = 0; i < CTP_COLSETS; i++)
		if (!strcmp(name, sets[i].name))
			return i;
	return -1;
}

/* metric indexes of a NULL-terminated name list, unknown names skipped */
static size_t list_names(const char *const *names, int *out, size_t max)
{
	size_t n = 0;
	for (; *names && n < max; names++) {
		int m = ctp_cmetric_find(*names);
		if (m >= 0)
			out[n++] = m;
	}
	return n;
}

void ctp_columns_init(struct ctp_columns *c)
{
	c->set = 0;
	c->custom = NULL;
}

void ctp_columns_release(struct ctp_columns *c)
{
	free(c->custom);
	ctp_columns_init(c);
}

/* one trimmed item of a comma list -> metric index, -1 when empty or unknown */
static int item_metric(const char *p, size_t n)
{
	char nm[128];
	ctp_trim(&p, &n);
	if (n == 0 || n >= sizeof(nm))
		return -1;
	memcpy(nm, p, n);
	nm[n] = 0;
	int m = ctp_cmetric_find(nm);
	return m >= 0 && (size_t)m < ctp_cmetric_count() ? m : -1;
}

bool ctp_columns_unknown_metric(const char *key, const char *name, size_t n, bool sortable_only, const char *hint,
				char *msg, size_t msglen)
{
	char nm[65];
	ctp_trim(&name, &n);
	if (n == 0 || n >= sizeof(nm))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	memcpy(nm, name, n);
	nm[n] = 0;
	if (ctp_cmetric_find(nm) >= 0)
		return false;
	struct ctp_err err = { 0 };
	ctp_cmetric_unknown(key, nm, sortable_only, hint, &err);
	ctp_err_str(&err, msg, msglen); /* "key: ...", escaped */
	return true;
}

int ctp_columns_parse(struct ctp_columns *c, const char *spec, char *msg, size_t msglen)
{
	int set = find_set(spec);
	if (set >= 0) {
		if (c)
			c->set = set;
		return 0;
	}
	bool *on = ctp_xcalloc(ctp_cmetric_count() + 1, sizeof(bool));
	for (const char *p = spec; p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int m = item_metric(p, n);
		if (m < 0) {
			if (!ctp_columns_unknown_metric("columns", p, n, false,
							"a set (sched cpu memory io delays jemalloc) or metric names", msg, msglen))
				snprintf(msg, msglen, "bad columns (a set: %s %s %s %s %s %s, or metric names)", sets[0].name,
					 sets[1].name, sets[2].name, sets[3].name, sets[4].name, sets[5].name);
			free(on);
			return -1;
		}
		on[m] = true;
		p = comma ? comma + 1 : NULL;
	}
	if (!c) {
		free(on);
		return 0;
	}
	free(c->custom);
	c->custom = on;
	c->set = CTP_COLSET_CUSTOM;
	return 0;
}

void ctp_columns_format(const struct ctp_columns *c, char *out, size_t outlen)
{
	if (c->set >= 0 || !c->custom) {
		snprintf(out, outlen, "%s", ctp_colset_name(c->set >= 0 ? c->set : 0));
		return;
	}
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < ctp_cmetric_count() && n < outlen; i++)
		if (c->custom[i])
			n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? "," : "", ctp_cmetric(i)->name);
}

size_t ctp_columns_list(const struct ctp_columns *c, int *out, size_t max)
{
	if (c->set >= 0 || !c->custom)
		return list_names(sets[c->set >= 0 ? c->set : 0].metrics, out, max);
	size_t n = 0;
	for (size_t i = 0; i < ctp_cmetric_count() && n < max; i++)
		if (c->custom[i])
			out[n++] = (int)i;
	return n;
}

bool ctp_columns_has(const struct ctp_columns *c, size_t m)
{
	int v[256];
	size_t n = ctp_columns_list(c, v, CTP_ARRAY_SIZE(v));
	for (size_t i = 0; i < n; i++)
		if ((size_t)v[i] == m)
			return true;
	return false;
}

void ctp_columns_select(struct ctp_columns *c, int i)
{
	if (i >= 0 && i < CTP_COLSETS)
		c->set = i;
}

void ctp_columns_toggle(struct ctp_columns *c, size_t m)
{
	size_t count = ctp_cmetric_count();
	if (m >= count)
		return;
	if (!c->custom)
		c->custom = ctp_xcalloc(count + 1, sizeof(bool));
	if (c->set >= 0) { /* start from what the named set showed */
		int v[256];
		size_t n = ctp_columns_list(c, v, CTP_ARRAY_SIZE(v));
		memset(c->custom, 0, count * sizeof(bool));
		for (size_t i = 0; i < n; i++)
			c->custom[v[i]] = true;
		c->set = CTP_COLSET_CUSTOM;
	}
	c->custom[m] = !c->custom[m];
}

size_t ctp_columns_batch(int *out, size_t max)
{
	return list_names(set_batch, out, max);
}

/* adds metric m to out[0..*n) unless it is there or out is full */
static void add_once(int *out, size_t *n, size_t max, int m)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == m)
			return;
	if (*n < max)
		out[(*n)++] = m;
}

/* --metrics LIST in its order; -1 with err on an unknown name or an empty item */
static int metrics_list(const char *list, int *out, size_t *n, size_t max, struct ctp_err *err)
{
	for (const char *p = list; p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int m = item_metric(p, len);
		if (m < 0) {
			char nm[65];
			const char *q = p;
			ctp_trim(&q, &len);
			snprintf(nm, sizeof(nm), "%.*s", (int)(len < 64 ? len : 64), q);
			if (!len)
				return ctp_err_set(err, CTP_E_ARG, 0, "--metrics", "empty metric name");
			return ctp_cmetric_unknown("--metrics", nm, false, NULL, err);
		}
		add_once(out, n, max, m);
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int ctp_columns_pick_batch(const char *metrics, const char *columns, const int *sort, size_t nsort, int *out,
			   size_t max, size_t *n, struct ctp_err *err)
{
	*n = 0;
	if (metrics && metrics_list(metrics, out, n, max, err) < 0)
		return -1;
	if (!metrics && columns) {
		struct ctp_columns c;
		char msg[64];
		ctp_columns_init(&c);
		if (ctp_columns_parse(&c, columns, msg, sizeof(msg)) == 0) /* checked when the file was read */
			*n = ctp_columns_list(&c, out, max);
		ctp_columns_release(&c);
	}
	if (!*n)
		*n = ctp_columns_batch(out, max);
	for (size_t i = 0; i < nsort; i++) /* the sort column is always printed */
		add_once(out, n, max, sort[i]);
	return 0;
}
