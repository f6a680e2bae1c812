/* t_metric_help.c — one name per metric (issue 20 items 6 and 12): each compare metric's help
 * describes the group value, generated from its aggregation rule and the thread-level help; an
 * unknown --sort-by name is answered with the closest valid names. */
#include <string.h>

#include "compare/compare.h"
#include "tap.h"

static const struct ctp_cmetric *m(const char *name)
{
	int i = ctp_cmetric_find(name);
	ok(i >= 0, "metric %s exists", name);
	return ctp_cmetric(i < 0 ? 0 : (size_t)i);
}

static void sort_error(const char *spec, const char *want)
{
	struct ctp_sort s = { 0 };
	struct ctp_err err = { 0 };
	char line[600];
	check_int(ctp_sort_parse(spec, &s, &err), ==, -1);
	/* then ", one of: " and every valid name, sorted (ktstr; t_parity16 checks the list) */
	char *cut = strstr(ctp_err_str(&err, line, sizeof(line)), ", one of: ");
	if (cut)
		*cut = 0;
	check_str(line, want);
}

int main(void)
{
	/* group help from (rule, thread help) */
	check_str(m("cpu_delay_min_ns")->help, "largest per-thread shortest CPU run-queue delay");
	check_str(m("cpu_delay_min_ns")->thread_help, "shortest CPU run-queue delay");
	check_str(m("cpu_delay_max_ns")->help, "longest CPU run-queue delay of any thread in the group");
	check_str(m("run_time_ns")->help, "time on CPU, summed over the group's threads");
	check_str(m("hiwater_rss_bytes")->help, "largest peak RSS of the group's processes");
	check_str(m("nice")->help, "nice value: lowest..highest over the group's threads");
	check_str(m("policy")->help, "scheduling policy: the most common among the group's threads (count/threads when mixed)");
	check_str(m("cpu_efficiency")->help,
		  "run time / (run time + wait time), from the group's sums: run_time_ns / (run_time_ns + wait_time_ns)");
	check_str(m("avg_wait_ns")->help, "mean runqueue wait, from the group's sums: wait_sum / wait_count");
	check_str(m("thread_count")->help, "threads in the group");
	/* every metric has a group help distinct from a bare copy of the thread help (but thread_count) */
	size_t same = 0;
	for (size_t i = 1; i < ctp_cmetric_count(); i++) {
		const struct ctp_cmetric *c = ctp_cmetric(i);
		same += !c->help || !c->thread_help || !strcmp(c->help, c->thread_help) || strlen(c->help) >= 200;
	}
	check_int(same, ==, 0);
	char buf[256];
	check_int(ctp_group_help(buf, sizeof(buf), CTP_CR_MAX, "fair-class slice length", NULL), ==, 42);
	check_str(buf, "largest per-thread fair-class slice length");
	check_int(ctp_group_help(buf, 8, CTP_CR_SUM, "wakeups", NULL), ==, 7);
	check_str(buf, "wakeups");
	/* --sort-by names the closest valid names */
	sort_error("wait_time", "--sort-by: unknown metric 'wait_time' (did you mean wait_time_ns?); use the bare metric name");
	sort_error("utime", "--sort-by: unknown metric 'utime' (did you mean utime_clock_ticks?); use the bare metric name");
	sort_error("wait_sun", "--sort-by: unknown metric 'wait_sun' (did you mean wait_sum?); use the bare metric name");
	sort_error("zzzzqqq", "--sort-by: unknown metric 'zzzzqqq'; use the bare metric name");
	check_int(ctp_cmetric_suggest("avg_delay", buf, sizeof(buf)), >, 1);
	ok(strstr(buf, "avg_cpu_delay_ns") != NULL, "avg_delay suggests avg_cpu_delay_ns: %s", buf);
	return test_done();
}
