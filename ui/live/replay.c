/* replay.c — a recording as the live view's samples (replay.h): the directory listed once
 * (recording.h), a range applied, each file loaded when the position needs it (snapfile.h);
 * one that fails is remembered as bad. */
#include "live/replay.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "snapshot/recording.h"
#include "snapshot/snapfile.h"

struct ctp_replay {
	struct ctp_recording rec;
	size_t first, n; /* the range: rec.v[first .. first + n) */
	bool *bad;
};

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

struct ctp_replay *ctp_replay_open(const char *spec, struct ctp_err *err)
{
	struct ctp_replay *r = ctp_xcalloc(1, sizeof(*r));
	const char *at = strrchr(spec, '@');
	char *dir = at && !is_dir(spec) ? ctp_xstrndup(spec, (size_t)(at - spec)) : ctp_xstrdup(spec);
	int rc = ctp_recording_list(dir, &r->rec, err);
	size_t first = 0, last = r->rec.n ? r->rec.n - 1 : 0;
	if (rc == 0 && at && !is_dir(spec))
		rc = ctp_recording_range(&r->rec, at + 1, &first, &last, err);
	free(dir);
	if (rc < 0) {
		ctp_replay_free(r);
		return NULL;
	}
	r->first = first;
	r->n = last - first + 1;
	r->bad = ctp_xcalloc(r->n, sizeof(*r->bad));
	return r;
}

void ctp_replay_free(struct ctp_replay *r)
{
	if (!r)
		return;
	ctp_recording_release(&r->rec);
	free(r->bad);
	free(r);
}

uint64_t ctp_replay_first(const struct ctp_replay *r)
{
	return r && r->n ? 1 : 0;
}

uint64_t ctp_replay_last(const struct ctp_replay *r)
{
	return r ? r->n : 0;
}

static const struct ctp_rec_entry *entry(const struct ctp_replay *r, uint64_t seq)
{
	return r && seq >= 1 && seq <= r->n ? &r->rec.v[r->first + seq - 1] : NULL;
}

uint64_t ctp_replay_time(const struct ctp_replay *r, uint64_t seq)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	return e ? e->unix_ns : 0;
}

const char *ctp_replay_path(const struct ctp_replay *r, uint64_t seq)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	return e ? e->path : "";
}

bool ctp_replay_bad(const struct ctp_replay *r, uint64_t seq)
{
	return entry(r, seq) && r->bad[seq - 1];
}

int ctp_replay_get(struct ctp_replay *r, uint64_t seq, struct ctp_snapshot **out, bool *full, struct ctp_err *err)
{
	const struct ctp_rec_entry *e = entry(r, seq);
	*out = NULL;
	*full = true;
	if (!e)
		return ctp_err_set(err, CTP_E_ARG, 0, "replay", "no sample %llu", (unsigned long long)seq);
	if (ctp_snapfile_load(e->path, out, err) < 0) {
		r->bad[seq - 1] = true;
		return -1;
	}
	return 0;
}
