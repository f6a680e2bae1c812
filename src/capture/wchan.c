/* wchan.c — what threads wait on (issue 17 item 3): reads the wait channel of every sleeping
 * (S) or blocked (D) thread of a snapshot, and for D threads the syscall, into snapshot.wchan.
 * One wchan read per such thread (plus syscall for D), only when the capture is asked to. */
#include "capture/wchan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/readfile.h"

char *ctp_wchan_text(const char *wchan, size_t n, const char *syscall, size_t sn, bool d_state)
{
	size_t k = 0;
	while (k < n && wchan[k] != '\n' && wchan[k] != '.' && wchan[k] != '\0')
		k++;
	if (!k || (k == 1 && wchan[0] == '0'))
		return NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_buf_add(&b, wchan, k);
	if (d_state && syscall && sn && syscall[0] >= '0' && syscall[0] <= '9') {
		size_t j = 0;
		while (j < sn && syscall[j] >= '0' && syscall[j] <= '9')
			j++;
		ctp_buf_adds(&b, " (D, syscall ");
		ctp_buf_add(&b, syscall, j);
		ctp_buf_addch(&b, ')');
	} else if (d_state) {
		ctp_buf_adds(&b, " (D)");
	}
	return ctp_buf_detach(&b, NULL);
}

size_t ctp_wchan_read(int procfd, struct ctp_snapshot *s)
{
	struct ctp_buf w = CTP_BUF_INIT, sc = CTP_BUF_INIT;
	char path[64];
	size_t files = 0;
	free(s->wchan);
	s->wchan = ctp_xcalloc(s->nthreads + 1, sizeof(*s->wchan));
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ctp_thread *t = &s->threads[i];
		bool d = t->state == 'D';
		if (t->state != 'S' && !d)
			continue;
		snprintf(path, sizeof(path), "%u/task/%u/wchan", t->tgid, t->tid);
		ctp_buf_reset(&w);
		files++;
		if (ctp_read_file_at(procfd, path, &w) < 0)
			continue;
		ctp_buf_reset(&sc);
		if (d) {
			snprintf(path, sizeof(path), "%u/task/%u/syscall", t->tgid, t->tid);
			files++;
			if (ctp_read_file_at(procfd, path, &sc) < 0)
				ctp_buf_reset(&sc);
		}
		s->wchan[i] = ctp_wchan_text(w.buf ? w.buf : "", w.len, sc.buf, sc.len, d);
	}
	ctp_buf_release(&w);
	ctp_buf_release(&sc);
	return files;
}
