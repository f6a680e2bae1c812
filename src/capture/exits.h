/* exits.h — the taskstats exit listener (issue 17 item 2): a socket of its own registered for
 * every possible CPU's exit records (TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, as getdelays -m),
 * non-blocking, drained once per capture into snapshot.exits so that group totals over an
 * interval include the work of threads that did not live to the next sample. */
#ifndef CTP_EXITS_H
#define CTP_EXITS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "capture/taskstats.h"
#include "snapshot/model.h"

struct ctp_exits;
/* NULL with err when the family, the registration (EPERM without CAP_NET_ADMIN, EINVAL in a
 * child pid namespace) or the socket fails; sys_root gives devices/system/cpu/possible */
struct ctp_exits *ctp_exits_open(const char *sys_root, struct ctp_err *err);
void ctp_exits_close(struct ctp_exits *x);
/* after a capture's per-thread reads: receives every pending record without blocking (ENOBUFS:
 * records lost, counted) and moves into s->exits those of threads s does not hold whose group
 * is known — identity from the previous collect's threads (same tid and tgid: its start time,
 * pcomm and cgroup) or from its process's leader in s or the previous capture; comm is the
 * record's. A record of a thread s still holds (it exited after its read) waits for the next
 * collect. Then remembers s's threads for the next one. flags: which counters are live. */
void ctp_exits_collect(struct ctp_exits *x, struct ctp_snapshot *s, const struct ctp_acct_flags *flags);
/* records received in all (tests, bench) */
uint64_t ctp_exits_received(const struct ctp_exits *x);
/* the socket (borrowed; tests shrink its buffer to force ENOBUFS) */
int ctp_exits_fd(const struct ctp_exits *x);
/* a record into thread t (zeroed by ctp_thread_init first): counters of r, utime/stime as
 * clock ticks, rchar/wchar; identity left to the caller. Exposed for tests. */
void ctp_exits_fill(struct ctp_thread *t, const struct ctp_taskstats_exit *e, const struct ctp_acct_flags *flags);

#endif
