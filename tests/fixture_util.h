/* fixture_util.h — small helpers the capture tests share: a writable copy of a fixture tree in
 * a fresh temporary directory, and the number of fds this process holds. Header-only (each
 * test is one program). */
#ifndef CTP_FIXTURE_UTIL_H
#define CTP_FIXTURE_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* makes tmpl a fresh directory (mkdtemp) and copies the contents of tree into tmpl/sub (sub ""
 * = tmpl itself); 0, or -1 with *why set for a skip */
static inline int fx_copy_tree(const char *tree, char *tmpl, const char *sub, const char **why)
{
	char cmd[9000];
	if (!mkdtemp(tmpl)) {
		*why = "mkdtemp failed";
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s' && cp -a '%s/.' '%s/%s/'", tmpl, sub, tree, tmpl, sub);
	if (system(cmd) != 0) {
		*why = "cannot copy the fixture tree";
		return -1;
	}
	return 0;
}

/* fds this process holds (the listing's own fd not counted); -1 when /proc/self/fd is unreadable */
static inline int fx_count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

#endif
