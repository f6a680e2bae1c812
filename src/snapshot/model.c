/* model.c — lifetime of snapshots, threads, cgroup entries and the sorted maps inside them.
 * Every string and array in a snapshot is owned by it and freed by ctp_snapshot_free; which
 * members own memory comes from the tables (registry.h, schema.h). */
#include "snapshot/model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/registry.h"
#include "snapshot/schema.h"
#include "base/util.h"

struct ctp_snapshot *ctp_snapshot_new(void)
{
	struct ctp_snapshot *s = ctp_xcalloc(1, sizeof(struct ctp_snapshot));
	s->sources_read = 0xffffffffu; /* everything: a loaded file or a full capture */
	return s;
}

/* the registry says which thread fields own memory (STR, CPUSET, KVMAP) and which start as
 * something other than zero (CHAR: '~', unknown; STR: "" unless blank). Worked out once: a
 * capture makes and frees every thread of the host each refresh */
static struct {
	pthread_once_t once;
	struct ctp_thread blank;       /* CHAR fields '~', the rest zero */
	uint16_t str[CTP_NFIELDS], heap[CTP_NFIELDS]; /* field indices: strings; every field owning memory */
	size_t nstr, nheap;
} kinds = { .once = PTHREAD_ONCE_INIT };

static void kinds_init(void)
{
	for (size_t i = 0; i < CTP_NFIELDS; i++) {
		enum ctp_kind k = ctp_fields[i].kind;
		if (k == CTP_KIND_CHAR)
			*(uint32_t *)((char *)&kinds.blank + ctp_fields[i].offset) = '~';
		if (k == CTP_KIND_STR)
			kinds.str[kinds.nstr++] = (uint16_t)i;
		if (k == CTP_KIND_STR || k == CTP_KIND_CPUSET || k == CTP_KIND_KVMAP)
			kinds.heap[kinds.nheap++] = (uint16_t)i;
	}
}

static void thread_defaults(struct ctp_thread *t, bool strings)
{
	pthread_once(&kinds.once, kinds_init);
	*t = kinds.blank;
	for (size_t i = 0; strings && i < kinds.nstr; i++)
		*(char **)((char *)t + ctp_fields[kinds.str[i]].offset) = ctp_xstrdup("");
}

/* frees what the thread's fields own; the struct itself is left as it was */
static void thread_free_heap(struct ctp_thread *t)
{
	pthread_once(&kinds.once, kinds_init);
	for (size_t i = 0; i < kinds.nheap; i++) {
		const struct ctp_metric *m = &ctp_fields[kinds.heap[i]];
		void *p = (char *)t + m->offset;
		switch (m->kind) {
		case CTP_KIND_STR: free(*(char **)p); break;
		case CTP_KIND_CPUSET: ctp_cpuset_release(p); break;
		case CTP_KIND_KVMAP: ctp_kvmap_release(p); break;
		default: break;
		}
	}
}

void ctp_thread_init(struct ctp_thread *t)
{
	thread_defaults(t, true);
}

void ctp_thread_release(struct ctp_thread *t)
{
	thread_free_heap(t);
	memset(t, 0, sizeof(*t));
}

void ctp_kvmap_assign(struct ctp_kvmap *dst, const struct ctp_kvmap *src)
{
	ctp_kvmap_release(dst);
	for (size_t i = 0; i < src->n; i++)
		ctp_kvmap_set(dst, src->v[i].key, src->v[i].val);
}

void ctp_thread_copy(struct ctp_thread *dst, const struct ctp_thread *src)
{
	*dst = *src;
	for (size_t i = 0; i < CTP_NFIELDS; i++) {
		size_t off = ctp_fields[i].offset;
		void *d = (char *)dst + off;
		const void *s = (const char *)src + off;
		switch (ctp_fields[i].kind) {
		case CTP_KIND_STR: *(char **)d = ctp_xstrdup(*(char *const *)s); break;
		case CTP_KIND_CPUSET: {
			const struct ctp_cpuset *c = s;
			memset(d, 0, sizeof(*c));
			ctp_cpuset_set(d, c->cpus, c->n);
			break;
		}
		case CTP_KIND_KVMAP:
			memset(d, 0, sizeof(struct ctp_kvmap)); /* a shallow copy of src's until now */
			ctp_kvmap_assign(d, s);
			break;
		default: break;
		}
	}
}

void ctp_snapshot_reserve_threads(struct ctp_snapshot *s, size_t n)
{
	if (s->nthreads + n <= s->threads_alloc)
		return;
	s->threads_alloc = s->nthreads + n;
	s->threads = ctp_xrealloc(s->threads, s->threads_alloc * sizeof(*s->threads));
}

struct ctp_thread *ctp_snapshot_add_thread_blank(struct ctp_snapshot *s)
{
	if (s->nthreads == s->threads_alloc)
		ctp_snapshot_reserve_threads(s, s->threads_alloc ? s->threads_alloc : 64);
	struct ctp_thread *t = &s->threads[s->nthreads++];
	thread_defaults(t, false);
	return t;
}

struct ctp_thread *ctp_snapshot_add_thread(struct ctp_snapshot *s)
{
	struct ctp_thread *t = ctp_snapshot_add_thread_blank(s);
	thread_defaults(t, true);
	return t;
}

static int thread_order(const void *a, const void *b)
{
	const struct ctp_thread *x = a, *y = b;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static bool threads_sorted(const struct ctp_snapshot *s)
{
	for (size_t i = 1; i < s->nthreads; i++)
		if (thread_order(&s->threads[i - 1], &s->threads[i]) >= 0)
			return false;
	return true;
}

void ctp_snapshot_sort_threads(struct ctp_snapshot *s)
{
	if (s->nthreads > 1 && !threads_sorted(s)) /* a capture's are, mostly: no qsort then */
		qsort(s->threads, s->nthreads, sizeof(*s->threads), thread_order);
}

static const struct ctp_otable *const cgroup_tables[] = { &ctp_cg_cpu_table, &ctp_cg_memory_table, &ctp_cg_pids_table };

/* wire defaults (data/cgroup.def init); takes path */
static void cgroup_stats_defaults(struct ctp_cgroup_stats *c, char *path)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cgroup_tables); i++)
		ctp_otable_init(cgroup_tables[i], c);
}

void ctp_cgroup_stats_init(struct ctp_cgroup_stats *c, const char *path)
{
	cgroup_stats_defaults(c, ctp_xstrdup(path));
}

void ctp_cgroup_stats_release(struct ctp_cgroup_stats *c)
{
	free(c->path);
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cgroup_tables); i++)
		ctp_otable_release(cgroup_tables[i], c);
	memset(c, 0, sizeof(*c));
}

/* binary search over an array of structs whose first member is their `char *` key, sorted by
 * key in byte order; *found tells whether the returned index holds key */
static size_t key_index(const void *base, size_t n, size_t size, const char *key, bool *found)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(*(char *const *)((const char *)base + mid * size), key);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* opens a zeroed slot at idx, growing the array; returns it */
static void *insert_slot(void **base, size_t *n, size_t *alloc, size_t size, size_t idx, size_t first_alloc)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : first_alloc;
		*base = ctp_xrealloc(*base, *alloc * size);
	}
	char *b = *base;
	memmove(b + (idx + 1) * size, b + idx * size, (*n - idx) * size);
	(*n)++;
	memset(b + idx * size, 0, size);
	return b + idx * size;
}

struct ctp_cgroup_stats *ctp_snapshot_cgroup(struct ctp_snapshot *s, const char *path)
{
	bool found;
	size_t i = key_index(s->cgroups, s->ncgroups, sizeof(*s->cgroups), path, &found);
	if (found)
		return &s->cgroups[i];
	struct ctp_cgroup_stats *c = insert_slot((void **)&s->cgroups, &s->ncgroups, &s->cgroups_alloc,
						 sizeof(*s->cgroups), i, 16);
	ctp_cgroup_stats_init(c, path);
	return c;
}

const struct ctp_cgroup_stats *ctp_snapshot_find_cgroup(const struct ctp_snapshot *s, const char *path)
{
	bool found;
	size_t i = key_index(s->cgroups, s->ncgroups, sizeof(*s->cgroups), path, &found);
	return found ? &s->cgroups[i] : NULL;
}

/* frees what the object at *p owns (its table says what), then the object */
static void free_object(const struct ctp_otable *t, void *p)
{
	if (p)
		ctp_otable_release(t, p);
	free(p);
}

void ctp_host_free(struct ctp_host *h)
{
	free_object(&ctp_host_table, h);
}

void ctp_threads_free(struct ctp_thread *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		thread_free_heap(&v[i]);
	free(v);
}

void ctp_snapshot_drop_threads(struct ctp_snapshot *s)
{
	ctp_threads_free(s->threads, s->nthreads);
	s->threads = NULL;
	s->nthreads = s->threads_alloc = 0;
}

void ctp_snapshot_free(struct ctp_snapshot *s)
{
	if (!s)
		return;
	ctp_host_free(s->host);
	for (size_t i = 0; s->wchan && i < (s->slim ? s->slim->nthreads : s->nthreads); i++)
		free(s->wchan[i]);
	free(s->wchan);
	ctp_snapshot_drop_threads(s);
	ctp_threads_free(s->exits, s->nexits);
	if (s->slim) {
		free(s->slim->raw);
		free(s->slim);
	}
	for (size_t i = 0; i < s->ncgroups; i++)
		ctp_cgroup_stats_release(&s->cgroups[i]);
	free(s->cgroups);
	free_object(&ctp_probe_summary_table, s->probe_summary);
	free_object(&ctp_parse_summary_table, s->parse_summary);
	free_object(&ctp_taskstats_summary_table, s->taskstats_summary);
	free_object(&ctp_sched_ext_table, s->sched_ext);
	free(s);
}

/* ---- loading: append in any order, then sort once ---- */

/* how one kind of element is ordered and freed: prefix maps its key to 64 bits in the same
 * order (equal prefixes may still differ), cmp compares whole keys, drop frees a loser */
struct elem_kind {
	uint64_t (*prefix)(const void *e);
	int (*cmp)(const void *a, const void *b);
	void (*drop)(void *e);
};

/* what the sort moves: the prefix decides most comparisons without touching the element */
struct sort_ent {
	uint64_t prefix;
	char *elem;
};

static int ent_cmp(const struct sort_ent *a, const struct sort_ent *b, const struct elem_kind *k)
{
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return k->cmp(a->elem, b->elem);
}

/* stable bottom-up merge sort of n entries; tmp holds n more; returns whichever of the two
 * arrays ends up holding the result */
static struct sort_ent *merge_sort(struct sort_ent *p, struct sort_ent *tmp, size_t n, const struct elem_kind *kind)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = n - lo > w ? lo + w : n, hi = n - mid > w ? mid + w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) /* ties take the left: earlier stays earlier */
				tmp[k++] = ent_cmp(&p[j], &p[i], kind) < 0 ? p[j++] : p[i++];
			while (i < mid)
				tmp[k++] = p[i++];
			while (j < hi)
				tmp[k++] = p[j++];
		}
		struct sort_ent *x = p;
		p = tmp;
		tmp = x;
	}
	return p;
}

/* sorts the *n elements of `size` bytes at *base by key, stably, and of each run of equal keys
 * keeps only the last one (serde's rule for a repeated map key), dropping the others.
 * O(n log n) with one copy of each element; an array already in strictly ascending order (what
 * the writer produces) is left untouched after one pass. *alloc (may be NULL) is updated. */
static void sort_last_wins(void **base, size_t *n, size_t *alloc, size_t size, const struct elem_kind *kind)
{
	char *b = *base;
	size_t i = 1;
	while (i < *n && kind->cmp(b + (i - 1) * size, b + i * size) < 0)
		i++;
	if (i >= *n)
		return;
	struct sort_ent *p = ctp_xcalloc(*n, 2 * sizeof(*p));
	for (i = 0; i < *n; i++)
		p[i] = (struct sort_ent){ kind->prefix(b + i * size), b + i * size };
	struct sort_ent *sorted = merge_sort(p, p + *n, *n, kind);
	char *out = ctp_xcalloc(*n, size);
	size_t k = 0;
	for (i = 0; i < *n; i++) {
		if (i + 1 < *n && ent_cmp(&sorted[i], &sorted[i + 1], kind) == 0)
			kind->drop(sorted[i].elem);
		else
			memcpy(out + k++ * size, sorted[i].elem, size);
	}
	free(p);
	free(*base);
	*base = out;
	if (alloc)
		*alloc = *n;
	*n = k;
}

/* elements whose first member is their `char *` key: byte order, as strcmp */
static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the key's first 8 bytes, big-endian, NUL-padded: orders as strcmp does on them */
static uint64_t key_prefix(const void *e)
{
	const unsigned char *k = *(const unsigned char *const *)e;
	uint64_t v = 0;
	bool end = false;
	for (int i = 0; i < 8; i++) {
		end = end || !k[i]; /* never reads past the NUL */
		v = v << 8 | (end ? 0 : k[i]);
	}
	return v;
}

static void drop_kv(void *e)
{
	free(((struct ctp_kv *)e)->key);
}

static void drop_skv(void *e)
{
	free(((struct ctp_skv *)e)->key);
	free(((struct ctp_skv *)e)->val);
}

static void drop_cgroup(void *e)
{
	ctp_cgroup_stats_release(e);
}

static uint64_t governor_prefix(const void *e)
{
	return ((const struct ctp_governor *)e)->cpu;
}

static int governor_cmp(const void *a, const void *b)
{
	return ctp_u32_cmp(&((const struct ctp_governor *)a)->cpu, &((const struct ctp_governor *)b)->cpu);
}

static void drop_governor(void *e)
{
	free(((struct ctp_governor *)e)->governor);
}

static const struct elem_kind kv_kind = { key_prefix, key_cmp, drop_kv };
static const struct elem_kind skv_kind = { key_prefix, key_cmp, drop_skv };
static const struct elem_kind cgroup_kind = { key_prefix, key_cmp, drop_cgroup };
static const struct elem_kind governor_kind = { governor_prefix, governor_cmp, drop_governor };

/* room for one more element at the end */
static void *append_slot(void **base, size_t *n, size_t *alloc, size_t size, size_t first_alloc)
{
	return insert_slot(base, n, alloc, size, *n, first_alloc);
}

void ctp_kvmap_push(struct ctp_kvmap *m, char *key, uint64_t val)
{
	struct ctp_kv *kv = append_slot((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), 8);
	kv->key = key;
	kv->val = val;
}

void ctp_kvmap_finish(struct ctp_kvmap *m)
{
	sort_last_wins((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), &kv_kind);
}

void ctp_strmap_push(struct ctp_strmap *m, char *key, char *val)
{
	struct ctp_skv *kv = append_slot((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), 8);
	kv->key = key;
	kv->val = val;
}

void ctp_strmap_finish(struct ctp_strmap *m)
{
	sort_last_wins((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), &skv_kind);
}

struct ctp_cgroup_stats *ctp_snapshot_push_cgroup(struct ctp_snapshot *s, char *path)
{
	struct ctp_cgroup_stats *c = append_slot((void **)&s->cgroups, &s->ncgroups, &s->cgroups_alloc,
						 sizeof(*s->cgroups), 16);
	cgroup_stats_defaults(c, path);
	return c;
}

void ctp_snapshot_finish_cgroups(struct ctp_snapshot *s)
{
	sort_last_wins((void **)&s->cgroups, &s->ncgroups, &s->cgroups_alloc, sizeof(*s->cgroups), &cgroup_kind);
}

void ctp_snapshot_cgroups_of_threads(struct ctp_snapshot *s)
{
	const char **p = ctp_xcalloc(s->nthreads ? s->nthreads : 1, sizeof(*p));
	size_t n = 0;
	for (size_t i = 0; i < s->nthreads; i++) {
		const char *cg = s->threads[i].cgroup;
		if (cg && cg[0] && (n == 0 || strcmp(p[n - 1], cg)))
			p[n++] = cg;
	}
	qsort(p, n, sizeof(*p), key_cmp);
	for (size_t i = 0; i < n; i++) /* ascending: each new entry goes at the end, nothing moves */
		if (i == 0 || strcmp(p[i - 1], p[i]))
			ctp_snapshot_cgroup(s, p[i]);
	free(p);
}

void ctp_governors_finish(struct ctp_governor **g, size_t *n)
{
	sort_last_wins((void **)g, n, NULL, sizeof(**g), &governor_kind);
}

/* ---- sorted maps ---- */

void ctp_kvmap_set(struct ctp_kvmap *m, const char *key, uint64_t val)
{
	bool found;
	size_t i = key_index(m->v, m->n, sizeof(*m->v), key, &found);
	struct ctp_kv *kv = found ? &m->v[i] : insert_slot((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), i, 8);
	if (!found)
		kv->key = ctp_xstrdup(key);
	kv->val = val;
}

bool ctp_kvmap_get(const struct ctp_kvmap *m, const char *key, uint64_t *val)
{
	bool found;
	size_t i = key_index(m->v, m->n, sizeof(*m->v), key, &found);
	if (found && val)
		*val = m->v[i].val;
	return found;
}

void ctp_kvmap_release(struct ctp_kvmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void ctp_strmap_set(struct ctp_strmap *m, const char *key, const char *val)
{
	bool found;
	size_t i = key_index(m->v, m->n, sizeof(*m->v), key, &found);
	struct ctp_skv *kv = found ? &m->v[i] : insert_slot((void **)&m->v, &m->n, &m->alloc, sizeof(*m->v), i, 8);
	if (found)
		free(kv->val);
	else
		kv->key = ctp_xstrdup(key);
	kv->val = ctp_xstrdup(val);
}

void ctp_strmap_release(struct ctp_strmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].val);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void ctp_cpuset_set(struct ctp_cpuset *c, const uint32_t *cpus, size_t n)
{
	free(c->cpus);
	c->cpus = NULL;
	c->n = 0;
	if (!n)
		return;
	c->cpus = ctp_xmalloc(n * sizeof(*cpus));
	memcpy(c->cpus, cpus, n * sizeof(*cpus));
	qsort(c->cpus, n, sizeof(*cpus), ctp_u32_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (out == 0 || c->cpus[out - 1] != c->cpus[i])
			c->cpus[out++] = c->cpus[i];
	c->n = out;
}

void ctp_cpuset_release(struct ctp_cpuset *c)
{
	free(c->cpus);
	c->cpus = NULL;
	c->n = 0;
}

const char *ctp_policy_name(int policy, char *buf, size_t buflen)
{
	static const char *const names[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", NULL,
					     "SCHED_IDLE", "SCHED_DEADLINE", "SCHED_EXT" };
	if (policy >= 0 && (size_t)policy < CTP_ARRAY_SIZE(names) && names[policy])
		return names[policy];
	snprintf(buf, buflen, "SCHED_UNKNOWN(%d)", policy);
	return buf;
}

const char *ctp_delayacct_name(enum ctp_delayacct d)
{
	return (unsigned)d < CTP_DELAYACCT_COUNT ? ctp_delayacct_names[d] : NULL;
}

const char *ctp_xacct_name(enum ctp_xacct x)
{
	return (unsigned)x < CTP_XACCT_COUNT ? ctp_xacct_names[x] : NULL;
}
