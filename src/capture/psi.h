/* psi.h — pressure stall information: parse one /proc/pressure-style file into a PSI resource
 * (centi-percent averages, total µs) and read the four resources of the host or a cgroup. */
#ifndef CTP_PSI_H
#define CTP_PSI_H

#include <stddef.h>

#include "snapshot/model.h"

/* parses "some avg10=.. avg60=.. avg300=.. total=..\nfull ..." text; missing lines stay 0 */
void ctp_psi_parse(const char *text, size_t len, struct ctp_psi_resource *out);
/* "18.59" -> 1859 (ktstr centi-percent rules, saturating at 65535) */
unsigned ctp_psi_centi(const char *s, size_t n);
/* host: <proc_root>/pressure/{cpu,memory,io,irq}; unreadable file -> zero resource.
 * Returns how many of the four files were readable. */
int ctp_psi_read_host(const char *proc_root, struct ctp_psi *out);
/* cgroup dir: <dir>/{cpu,memory,io,irq}.pressure */
int ctp_psi_read_cgroup(const char *cgroup_dir, struct ctp_psi *out);

#endif
