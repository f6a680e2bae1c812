/* wchan.h — what threads wait on (issue 17 item 3): the kernel function a sleeping thread waits
 * in (/proc/PID/task/TID/wchan) and, in uninterruptible sleep, the syscall it is in; read once
 * per thread per capture, only when asked, into snapshot.wchan (never saved). */
#ifndef CTP_WCHAN_H
#define CTP_WCHAN_H

#include <stddef.h>

#include "base/util.h"
#include "snapshot/model.h"

/* the channel text of one thread from its files' contents: NULL when it runs ("0", empty);
 * compiler suffixes cut ("poll_schedule_timeout.constprop.0" -> "poll_schedule_timeout"); a D
 * thread's with " (D, syscall N)" when syscall names one */
char *ctp_wchan_text(const char *wchan, size_t n, const char *syscall, size_t sn, bool d_state);
/* fills s->wchan (s->nthreads entries, threads order) for its S and D threads from
 * <procfd>/TGID/task/TID/{wchan,syscall}; a thread gone or unreadable gets NULL. Returns the
 * files read. */
size_t ctp_wchan_read(int procfd, struct ctp_snapshot *s);

#endif
