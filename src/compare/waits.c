/* waits.c — what a group's threads wait on (issue 17 item 3): per row and side, the histogram
 * of the wait channels (snapshot.wchan) of its sleeping threads, most threads first, and the
 * top channel's text with the baseline's share of it beside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int cmp_ent(const void *pa, const void *pb)
{
	const struct ctp_waitent *a = pa, *b = pb;
	if (a->threads != b->threads)
		return a->threads > b->threads ? -1 : 1;
	return strcmp(a->name, b->name);
}

void ctp_waits_release(struct ctp_waits *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].name);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

void ctp_waits_fill(struct ctp_row *r, int side, const struct ctp_snapshot *s, const size_t *idx, size_t n)
{
	if (!r->waits)
		r->waits = ctp_xcalloc(2, sizeof(*r->waits));
	struct ctp_waits *w = &r->waits[side];
	size_t alloc = 0;
	ctp_waits_release(w);
	w->ok = s && s->wchan;
	for (size_t i = 0; w->ok && i < n; i++) {
		const char *c = s->wchan[idx[i]];
		if (!c)
			continue;
		w->sleeping++;
		size_t k = 0;
		while (k < w->n && strcmp(w->v[k].name, c))
			k++;
		if (k == w->n) {
			if (w->n == alloc) {
				alloc = alloc ? alloc * 2 : 8;
				w->v = ctp_xrealloc(w->v, alloc * sizeof(*w->v));
			}
			w->v[w->n++] = (struct ctp_waitent){ ctp_xstrdup(c), 0 };
		}
		w->v[k].threads++;
	}
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), cmp_ent);
}

double ctp_waits_share(const struct ctp_waits *w, const char *name)
{
	if (!w->ok || !w->sleeping)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->v[i].name, name))
			return (double)w->v[i].threads / (double)w->sleeping;
	return 0;
}

char *ctp_waits_top_text(const struct ctp_row *r, char *buf, size_t len)
{
	const struct ctp_waits *l = r->waits ? &r->waits[1] : NULL;
	if (!l || !l->n) {
		snprintf(buf, len, "-");
		return buf;
	}
	int n = snprintf(buf, len, "%s %.0f%%", l->v[0].name, 100.0 * ctp_waits_share(l, l->v[0].name));
	double b = ctp_waits_share(&r->waits[0], l->v[0].name);
	if (b >= 0 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (base %.0f%%)", 100.0 * b);
	return buf;
}
