/* metriclist.h — ctprof-top --metric-list: every compare metric, one line each (name, unit,
 * aggregation rule, kernel tags, the help of the group value), the names -s, --columns, the
 * settings file and JSON use. */
#ifndef CTP_METRICLIST_H
#define CTP_METRICLIST_H

#include <stdio.h>

/* prints the list to f; 0, or -1 when writing failed */
int ctp_metric_list_print(FILE *f);

#endif
