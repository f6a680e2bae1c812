/* winbase.c — the live view's baseline from a -B spec (winbase.h): the spec resolved into one
 * file or a window's two, loaded together, the window checked (one host, one boot, in order);
 * the header's text of a window from the files' base names and its length. */
#include "live/winbase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "snapshot/recording.h"
#include "snapshot/snapfile.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static double window_s(const struct ctp_snapshot *a, const struct ctp_snapshot *b)
{
	if (a->captured_mono_ns && b->captured_mono_ns)
		return ((double)b->captured_mono_ns - (double)a->captured_mono_ns) / 1e9;
	return ((double)b->captured_at_unix_ns - (double)a->captured_at_unix_ns) / 1e9;
}

static void set_text(struct ctp_livebase *lb, const char *a, const char *b, const char *note)
{
	char buf[600];
	snprintf(buf, sizeof(buf), "%s .. %s (%s%s%.1fs)", base_name(a), base_name(b), note ? note : "",
		 note ? ", " : "", window_s(lb->a, lb->b));
	free(lb->text);
	lb->text = ctp_xstrdup(buf);
}

int ctp_livebase_window(struct ctp_snapshot *a, const char *name_a, struct ctp_snapshot *b, const char *name_b,
			struct ctp_livebase *out, struct ctp_err *err)
{
	memset(out, 0, sizeof(*out));
	if (ctp_window_check(a, b, err) < 0) {
		snprintf(err->where, sizeof(err->where), "%.120s, %.120s", name_a, name_b);
		return -1;
	}
	out->a = a;
	out->b = b;
	char spec[600];
	snprintf(spec, sizeof(spec), "%s,%s", name_a, name_b);
	out->path = ctp_xstrdup(spec);
	set_text(out, name_a, name_b, NULL);
	return 0;
}

static int load_window(const struct ctp_basespec *sp, struct ctp_livebase *out, struct ctp_err *err)
{
	struct ctp_snapshot *a = NULL, *b = NULL;
	if (ctp_snapfile_load_pair(sp->a, &a, sp->b, &b, err) < 0)
		return -1;
	if (ctp_livebase_window(a, sp->a, b, sp->b, out, err) < 0) {
		ctp_snapshot_free(a);
		ctp_snapshot_free(b);
		return -1;
	}
	char note[96] = "";
	if (sp->b_found)
		snprintf(note, sizeof(note), ".end partner found");
	else if (sp->from_dir)
		snprintf(note, sizeof(note), "recording samples %zu..%zu of %zu", sp->first + 1, sp->last + 1, sp->count);
	if (note[0])
		set_text(out, sp->a, sp->b, note);
	return 0;
}

int ctp_livebase_load(const char *spec, struct ctp_livebase *out, struct ctp_err *err)
{
	struct ctp_basespec sp = { 0 };
	memset(out, 0, sizeof(*out));
	if (ctp_basespec_resolve(spec, &sp, err) < 0)
		return -1;
	int rc;
	if (sp.b) {
		rc = load_window(&sp, out, err);
	} else {
		rc = ctp_snapfile_load(sp.a, &out->snap, err);
		if (rc == 0)
			out->path = ctp_xstrdup(sp.a);
	}
	ctp_basespec_release(&sp);
	return rc;
}

void ctp_livebase_release(struct ctp_livebase *lb)
{
	ctp_snapshot_free(lb->snap);
	ctp_snapshot_free(lb->a);
	ctp_snapshot_free(lb->b);
	free(lb->path);
	free(lb->text);
	memset(lb, 0, sizeof(*lb));
}
