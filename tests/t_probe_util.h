/* t_probe_util.h — shared helpers of the probe tests and benchmark: spawn a target helper with
 * its stdout on a pipe (killed if the test dies), collect its "T <tid> <alloc> <dealloc>" lines
 * up to "READY" (again after an exec), list its tasks with start times, check that no task is
 * left in ptrace stop ('t'), and kill and reap it even if the probe left threads traced. */
#ifndef CTP_T_PROBE_UTIL_H
#define CTP_T_PROBE_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define TGT_MAX 256

struct target {
	pid_t pid;
	FILE *out;
	size_t n; /* reported threads */
	uint32_t tid[TGT_MAX];
	uint64_t alloc[TGT_MAX], dealloc[TGT_MAX];
	char note[128]; /* last other line before READY ("" if none) */
};

/* (re)reads t's "T <tid> <alloc> <dealloc>" lines up to "READY" (after an exec, say);
 * returns 0 at READY, -1 at end of output */
static inline int target_read_ready(struct target *t)
{
	char line[256];
	t->n = 0;
	t->note[0] = '\0';
	while (fgets(line, sizeof(line), t->out)) {
		unsigned long long tid, a, d;
		if (sscanf(line, "T %llu %llu %llu", &tid, &a, &d) == 3 && t->n < TGT_MAX) {
			t->tid[t->n] = (uint32_t)tid;
			t->alloc[t->n] = a;
			t->dealloc[t->n++] = d;
		} else if (!strncmp(line, "READY", 5)) {
			return 0;
		} else {
			line[strcspn(line, "\n")] = '\0';
			snprintf(t->note, sizeof(t->note), "%s", line);
		}
	}
	return -1;
}

static inline const char *build_dir(void)
{
	const char *b = getenv("CTP_BUILD");
	return b && *b ? b : "build";
}

/* argv[0] is a path; runs as uid (if >= 0); returns 0 after READY, -1 on failure */
static inline int target_start_as(struct target *t, char *const argv[], int uid)
{
	int fds[2];
	memset(t, 0, sizeof(*t));
	pid_t parent = getpid();
	if (pipe(fds) < 0)
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (uid >= 0 && (setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) || setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid)))
			_exit(126);
		/* after the uid change (which clears it): a crashed test must not leave the target
		 * holding prove's output pipe */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(125);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	t->out = fdopen(fds[0], "r");
	if (target_read_ready(t) == 0)
		return 0;
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	t->pid = 0;
	return -1;
}

static inline int target_start(struct target *t, char *const argv[])
{
	return target_start_as(t, argv, -1);
}

/* state letter and start time (field 22) of /proc/pid/task/tid/stat; false if gone */
static inline bool task_stat(pid_t pid, uint32_t tid, char *state, uint64_t *start)
{
	char path[96], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/task/%u/stat", (int)pid, tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	p += 2;
	if (state)
		*state = *p;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return false;
	if (start)
		*start = strtoull(p, NULL, 10);
	return true;
}

/* lists tids (sorted by readdir order) and start times; returns count */
static inline size_t task_list(pid_t pid, uint32_t *tids, uint64_t *starts, size_t max)
{
	char path[64];
	size_t n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		uint32_t tid = (uint32_t)strtoul(e->d_name, NULL, 10);
		uint64_t st = 0;
		if (!task_stat(pid, tid, NULL, &st))
			continue;
		tids[n] = tid;
		starts[n++] = st;
	}
	closedir(d);
	return n;
}

/* kills and reaps t. Threads of t still traced by us (a probe that could not detach) must be
 * reaped by us before the leader can be: waits with __WALL on each, for at most 10 s */
static inline void target_stop(struct target *t)
{
	if (t->pid > 0) {
		uint32_t tids[TGT_MAX * 4];
		uint64_t st[TGT_MAX * 4];
		size_t n = task_list(t->pid, tids, st, TGT_MAX * 4);
		kill(t->pid, SIGKILL);
		for (int i = 0; i < 1000; i++) {
			for (size_t k = 0; k < n; k++)
				if (tids[k] != (uint32_t)t->pid && waitpid((pid_t)tids[k], NULL, WNOHANG | __WALL) != 0)
					tids[k] = (uint32_t)t->pid; /* reaped, or not ours to reap */
			pid_t r = waitpid(t->pid, NULL, WNOHANG | __WALL);
			if (r != 0)
				break;
			usleep(10000);
		}
	}
	if (t->out)
		fclose(t->out);
	t->pid = 0;
	t->out = NULL;
}

/* number of tasks of pid in tracing stop ('t'), -1 if the process is gone */
static inline int tasks_traced(pid_t pid)
{
	uint32_t tids[4096];
	uint64_t st[4096];
	size_t n = task_list(pid, tids, st, 4096);
	int traced = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char s = 0;
		if (task_stat(pid, tids[i], &s, NULL) && s == 't')
			traced++;
	}
	return traced;
}

/* process still alive and not a zombie */
static inline bool target_running(pid_t pid)
{
	char s = 0;
	return kill(pid, 0) == 0 && task_stat(pid, (uint32_t)pid, &s, NULL) && s != 'Z' && s != 'X';
}

#endif
