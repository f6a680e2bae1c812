/* metriclist.c — ctprof-top --metric-list: a header, then one aligned line per compare metric in
 * display order: the canonical (registry/wire) name, the unit of its values, the rule that makes
 * a group's value of its threads' values, its kernel tags and the group help (ctp_group_help). */
#include "report/metriclist.h"

#include "compare/compare.h"
#include "report/textgrid.h"

static const char *unit_word(size_t i, const struct ctp_cmetric *m)
{
	if (m->is_ratio)
		return ctp_cmetric_cpu_share(i) ? "%cpu" : "ratio";
	if (m->cat >= 0)
		return "-";
	switch (m->ladder) {
	case CTP_LADDER_NS: return "ns";
	case CTP_LADDER_US: return "\xc2\xb5s";
	case CTP_LADDER_BYTES: return "bytes";
	case CTP_LADDER_TICKS: return "ticks";
	case CTP_LADDER_UNITLESS: return "count";
	default: return "-";
	}
}

static const char *rule_word(enum ctp_crule r)
{
	static const char *const words[] = { "sum", "max", "range", "mode", "affinity", "derived" };
	return (size_t)r < sizeof(words) / sizeof(words[0]) ? words[r] : "?";
}

int ctp_metric_list_print(FILE *f)
{
	struct ctp_tgrid g = { 0 };
	static const char *const head[] = { "METRIC", "UNIT", "RULE", "TAGS", "HELP (of the group value)" };
	ctp_tgrid_row(&g);
	for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
		ctp_tgrid_set(&g, c, head[c], 0);
	for (size_t i = 0; i < ctp_cmetric_count(); i++) {
		const struct ctp_cmetric *m = ctp_cmetric(i);
		ctp_tgrid_row(&g);
		ctp_tgrid_set(&g, 0, m->name, 0);
		ctp_tgrid_set(&g, 1, unit_word(i, m), 0);
		ctp_tgrid_set(&g, 2, rule_word(m->rule), 0);
		ctp_tgrid_set(&g, 3, m->tags ? m->tags : "", 0);
		ctp_tgrid_set(&g, 4, m->help ? m->help : "", 0);
	}
	for (size_t r = 0; r < g.nrows; r++)
		ctp_tgrid_print_row(f, &g, r, false);
	ctp_tgrid_release(&g);
	return fflush(f) || ferror(f) ? -1 : 0;
}
