/* group.c — grouping of threads into join keys (compare.md §1): each thread of both sides gets
 * the group of its axis key (name keys from namekey.c, memoized per distinct name), with the
 * singleton revert counted over the union of both sides; with -p (opts.pids) the threads of
 * other processes are in no group. */
#include <stdlib.h>
#include <string.h>

#include "compare/hmap.h"
#include "compare/internal.h"

/* ---------------------------------------------------------------- grouping ---- */
/* memo of a per-name transform: name -> index into an array of output strings */
struct memo {
	struct ctp_hmap idx;
	struct ctp_buf *outs;
	size_t n, alloc;
};

static size_t memo_get(struct memo *m, const char *name, size_t len, const struct ctp_compare_opts *o, int kind)
{
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(&m->idx, name, len, m->n, &ins);
	if (!ins)
		return e->val;
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 64;
		m->outs = ctp_xrealloc(m->outs, m->alloc * sizeof(*m->outs));
	}
	struct ctp_buf *b = &m->outs[m->n];
	ctp_buf_init(b, len + 8);
	if (kind == 1)
		ctp_cgroup_group_key(name, o, b);
	else if (o->no_thread_normalize)
		ctp_buf_add(b, name, len);
	else
		ctp_pattern_key(name, len, b);
	return m->n++;
}

static void memo_release(struct memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		ctp_buf_release(&m->outs[i]);
	free(m->outs);
	ctp_hmap_release(&m->idx);
}

static const char *name_of(const struct ctp_thread *t, enum ctp_axis a)
{
	return a == CTP_AXIS_PCOMM ? t->pcomm : t->comm;
}

static size_t group_index(struct ctp_grouping *gr, struct ctp_hmap *gmap, const char *key, size_t len)
{
	bool ins;
	struct ctp_hent *e = ctp_hmap_put(gmap, key, len, gr->n, &ins);
	if (ins) {
		if (gr->n == gr->alloc) {
			gr->alloc = gr->alloc ? gr->alloc * 2 : 64;
			gr->g = ctp_xrealloc(gr->g, gr->alloc * sizeof(*gr->g));
		}
		gr->g[gr->n].key = e->key; /* owned by gmap until detached below */
		gr->g[gr->n].keylen = len;
		gr->n++;
	}
	return e->val;
}

/* the name transforms of one grouping: thread names, cgroup paths, pcomm/comm of the all axis */
struct keys {
	const struct ctp_compare_opts *o;
	struct memo names, cgs, pcs;
	size_t *cnt; /* singleton revert: per names entry, threads of both sides with its pattern */
	size_t ncnt; /* names entries counted (an exit record's unseen name comes after) */
};

/* o->pids: a thread of one of these processes (all when there are none) */
static bool kept(const struct ctp_compare_opts *o, const struct ctp_thread *t)
{
	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == (uint32_t)t->tgid)
			return true;
	return !o->npids;
}

/* singleton revert (§1.3): counts the threads of both sides per pattern of their name */
static void count_patterns(struct keys *k, const struct ctp_snapshot *const side[2], enum ctp_axis a)
{
	struct ctp_hmap counts = { 0 };
	struct memo *nm = &k->names;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
			const char *name = name_of(&side[s]->threads[i], a);
			memo_get(nm, name, strlen(name), k->o, 0);
		}
	k->ncnt = nm->n;
	k->cnt = ctp_xcalloc(nm->n + 1, sizeof(*k->cnt));
	size_t *pidx = ctp_xcalloc(nm->n + 1, sizeof(*pidx));
	for (size_t i = 0; i < nm->n; i++)
		pidx[i] = ctp_hmap_put(&counts, nm->outs[i].buf, nm->outs[i].len, i, NULL)->val;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; side[s] && i < side[s]->nthreads; i++) {
			if (!kept(k->o, &side[s]->threads[i]))
				continue;
			const char *name = name_of(&side[s]->threads[i], a);
			k->cnt[pidx[ctp_hmap_get(&nm->idx, name, strlen(name))->val]]++;
		}
	for (size_t i = 0; i < nm->n; i++)
		k->cnt[i] = k->cnt[pidx[i]];
	free(pidx);
	ctp_hmap_release(&counts);
}

/* appends memo m's transform of s */
static void add_key(struct keys *k, struct memo *m, const char *s, int kind, struct ctp_buf *key)
{
	size_t i = memo_get(m, s, strlen(s), k->o, kind);
	ctp_buf_add(key, m->outs[i].buf, m->outs[i].len);
}

/* thread t's group key on axis a, in key (reset first) */
static void thread_key(struct keys *k, const struct ctp_thread *t, enum ctp_axis a, struct ctp_buf *key)
{
	ctp_buf_reset(key);
	switch (a) {
	case CTP_AXIS_PCOMM:
	case CTP_AXIS_COMM: {
		const char *nm = name_of(t, a);
		size_t nl = strlen(nm), i = memo_get(&k->names, nm, nl, k->o, 0);
		if (!k->cnt || i >= k->ncnt || k->cnt[i] >= 2)
			ctp_buf_add(key, k->names.outs[i].buf, k->names.outs[i].len);
		else
			ctp_buf_add(key, nm, nl);
		break;
	}
	case CTP_AXIS_COMM_EXACT:
		ctp_buf_adds(key, t->comm);
		break;
	case CTP_AXIS_CGROUP:
		add_key(k, &k->cgs, t->cgroup, 1, key);
		break;
	default:
		add_key(k, &k->cgs, t->cgroup, 1, key);
		ctp_buf_addch(key, 0);
		add_key(k, &k->pcs, t->pcomm, 0, key);
		ctp_buf_addch(key, 0);
		add_key(k, &k->pcs, t->comm, 0, key);
		break;
	}
}

void ctp_group_threads(const struct ctp_snapshot *base, const struct ctp_snapshot *live,
		       const struct ctp_compare_opts *o, struct ctp_grouping *gr)
{
	const struct ctp_snapshot *const side[2] = { base, live };
	struct keys k = { .o = o };
	struct ctp_hmap gmap = { 0 };
	struct ctp_buf key = CTP_BUF_INIT;
	enum ctp_axis a = o->axis;
	memset(gr, 0, sizeof(*gr));
	if ((a == CTP_AXIS_PCOMM || a == CTP_AXIS_COMM) && !o->no_thread_normalize)
		count_patterns(&k, side, a);
	for (int s = 0; s < 2; s++) {
		gr->nthr[s] = side[s] ? side[s]->nthreads : 0;
		gr->of[s] = ctp_xmalloc((gr->nthr[s] + 1) * sizeof(size_t));
		for (size_t i = 0; i < gr->nthr[s]; i++) {
			gr->of[s][i] = SIZE_MAX; /* -p: not one of these processes */
			if (!kept(o, &side[s]->threads[i]))
				continue;
			thread_key(&k, &side[s]->threads[i], a, &key);
			gr->of[s][i] = group_index(gr, &gmap, key.buf, key.len);
		}
	}
	/* the live side's exit records (issue 17): the group of their key, none when no thread has it */
	gr->nexit = live ? live->nexits : 0;
	gr->of_exit = ctp_xmalloc((gr->nexit + 1) * sizeof(size_t));
	for (size_t i = 0; i < gr->nexit; i++) {
		gr->of_exit[i] = SIZE_MAX;
		if (!kept(o, &live->exits[i]))
			continue;
		thread_key(&k, &live->exits[i], a, &key);
		struct ctp_hent *e = ctp_hmap_get(&gmap, key.buf, key.len);
		gr->of_exit[i] = e ? e->val : SIZE_MAX;
	}
	/* detach the keys from gmap: the grouping owns them */
	for (size_t i = 0; i < gr->n; i++)
		gr->g[i].key = ctp_xstrndup(gr->g[i].key, gr->g[i].keylen);
	free(k.cnt);
	ctp_buf_release(&key);
	ctp_hmap_release(&gmap);
	memo_release(&k.names);
	memo_release(&k.cgs);
	memo_release(&k.pcs);
}

void ctp_grouping_release(struct ctp_grouping *gr)
{
	for (size_t i = 0; i < gr->n; i++) {
		free(gr->g[i].key);
		if (gr->fudge_label)
			free(gr->fudge_label[i]);
	}
	free(gr->fudge_label);
	for (size_t i = 0; i < gr->nfudges; i++)
		ctp_fudge_release(&gr->fudges[i]);
	free(gr->fudges);
	free(gr->g);
	free(gr->of[0]);
	free(gr->of[1]);
	free(gr->of_exit);
	memset(gr, 0, sizeof(*gr));
}
