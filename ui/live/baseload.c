/* baseload.c — the live view's baseline loader thread: ctp_livebase_load off the UI thread,
 * the result parked under a mutex and announced by a byte on a self-pipe. When the UI lets go
 * of a load still running (quit, or B), the thread is detached and frees everything itself. */
#include "live/baseload.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/testhooks.h"

struct ctp_baseload {
	pthread_t thread;
	pthread_mutex_t mu;
	char *path;
	int pipe_rd, pipe_wr;
	uint64_t started_ns;
	/* guarded by mu */
	bool done, abandoned;
	struct ctp_livebase lb;
	struct ctp_err err;
};

static void release(struct ctp_baseload *l)
{
	ctp_livebase_release(&l->lb);
	close(l->pipe_rd);
	close(l->pipe_wr);
	pthread_mutex_destroy(&l->mu);
	free(l->path);
	free(l);
}

static void *load_main(void *arg)
{
	struct ctp_baseload *l = arg;
	struct ctp_livebase lb;
	struct ctp_err err = { 0 };
	if (ctp_hook_before_load)
		ctp_hook_before_load();
	if (ctp_livebase_load(l->path, &lb, &err) < 0)
		memset(&lb, 0, sizeof(lb));
	pthread_mutex_lock(&l->mu);
	l->lb = lb;
	l->err = err;
	l->done = true;
	bool abandoned = l->abandoned;
	pthread_mutex_unlock(&l->mu);
	if (abandoned) {
		release(l);
		return NULL;
	}
	char b = 1;
	ssize_t w = write(l->pipe_wr, &b, 1); /* non-blocking; one byte per load */
	(void)w;
	return NULL;
}

struct ctp_baseload *ctp_baseload_start(const char *path, struct ctp_err *err)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		ctp_err_set(err, CTP_E_IO, errno, "pipe", "cannot create the loader pipe");
		return NULL;
	}
	struct ctp_baseload *l = ctp_xcalloc(1, sizeof(*l));
	l->pipe_rd = fds[0];
	l->pipe_wr = fds[1];
	l->path = ctp_xstrdup(path);
	l->started_ns = ctp_now_monotonic_ns();
	pthread_mutex_init(&l->mu, NULL);
	/* signals go to the UI thread only */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&l->thread, NULL, load_main, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		ctp_err_set(err, CTP_E_IO, rc, "pthread_create", "cannot start the loader thread");
		release(l);
		return NULL;
	}
	return l;
}

int ctp_baseload_fd(const struct ctp_baseload *l)
{
	return l->pipe_rd;
}

const char *ctp_baseload_path(const struct ctp_baseload *l)
{
	return l->path;
}

uint64_t ctp_baseload_elapsed_ns(const struct ctp_baseload *l)
{
	return ctp_now_monotonic_ns() - l->started_ns;
}

bool ctp_baseload_take(struct ctp_baseload *l, struct ctp_livebase *lb, struct ctp_err *err)
{
	char buf[8];
	while (read(l->pipe_rd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&l->mu);
	bool done = l->done;
	if (done) {
		*lb = l->lb;
		memset(&l->lb, 0, sizeof(l->lb));
		if (err)
			*err = l->err;
	}
	pthread_mutex_unlock(&l->mu);
	return done;
}

void ctp_baseload_free(struct ctp_baseload *l)
{
	if (!l)
		return;
	pthread_t th = l->thread; /* once abandoned, l may be gone at any moment */
	pthread_mutex_lock(&l->mu);
	bool done = l->done;
	if (!done)
		l->abandoned = true;
	pthread_mutex_unlock(&l->mu);
	if (!done) {
		pthread_detach(th); /* the thread releases l when the load ends */
		return;
	}
	pthread_join(l->thread, NULL);
	release(l);
}
