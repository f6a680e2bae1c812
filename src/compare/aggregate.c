/* aggregate.c — reduces one side of one group (a set of threads) to per-metric aggregates by
 * the registry rule (compare.md §2.1): saturating Sum, Max, Range, Mode tallies, Affinity, and
 * Absent when no thread of the bucket was measured by the metric's capture family (§2.3) or the
 * side's capture did not read the metric's source (a live refresh's plan). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "snapshot/tscover.h"

struct numdesc {
	int cm;          /* cmetric index */
	size_t offset;   /* in struct ctp_thread */
	enum ctp_gate gate;
	enum ctp_source source;
	bool max;
	bool light; /* a light field (snapshot/tscover.h): read under its source's light plan bit too */
};
static struct numdesc nums[CTP_NPRIMARY];
static size_t nnums;
static int cat_field[CTP_NCAT];
static int cat_cm[CTP_NCAT];
static pthread_once_t desc_once = PTHREAD_ONCE_INIT;

static void init_desc(void)
{
	size_t n = 0;
	for (size_t i = 1; i < CTP_NPRIMARY; i++) {
		const struct ctp_cmetric *c = ctp_cmetric(i);
		if (c->cat >= 0) {
			cat_field[c->cat] = c->field;
			cat_cm[c->cat] = (int)i;
			continue;
		}
		const struct ctp_metric *m = &ctp_fields[c->field];
		nums[n++] = (struct numdesc){ (int)i, m->offset, m->gate, m->source, c->rule == CTP_CR_MAX,
					      ctp_field_light((size_t)c->field) };
	}
	nnums = n;
}

static void tally(struct ctp_catacc *c, const char *v, size_t len)
{
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].len == len && !memcmp(c->t[i].val, v, len)) {
			c->t[i].count++;
			return;
		}
	if (c->nt == c->at) {
		c->at = c->at ? c->at * 2 : 4;
		c->t = ctp_xrealloc(c->t, c->at * sizeof(*c->t));
	}
	c->t[c->nt++] = (struct ctp_tally){ ctp_xstrndup(v, len), len, 1 };
}

static bool cpuset_eq(const struct ctp_cpuset *a, const struct ctp_cpuset *b)
{
	return a->n == b->n && (!a->n || !memcmp(a->cpus, b->cpus, a->n * sizeof(*a->cpus)));
}

static void add_cat(struct ctp_catacc *c, const struct ctp_thread *t, int field, bool first)
{
	const struct ctp_metric *m = &ctp_fields[field];
	int64_t v;
	switch (m->kind) {
	case CTP_KIND_STR: {
		const char *s = *(char *const *)((const char *)t + m->offset);
		tally(c, s ? s : "", s ? strlen(s) : 0);
		return;
	}
	case CTP_KIND_CHAR: {
		char u[4];
		uint32_t ch = *(const uint32_t *)((const char *)t + m->offset);
		size_t k = ctp_utf8_encode(ch, u);
		tally(c, u, k);
		return;
	}
	case CTP_KIND_BOOL: {
		bool b = *(const bool *)((const char *)t + m->offset);
		tally(c, b ? "true" : "false", b ? 4 : 5);
		return;
	}
	case CTP_KIND_CPUSET: {
		const struct ctp_cpuset *cs = (const struct ctp_cpuset *)((const char *)t + m->offset);
		v = (int64_t)cs->n;
		if (first) {
			c->first = cs;
			c->uniform = true;
		} else if (c->uniform && !cpuset_eq(c->first, cs)) {
			c->uniform = false;
		}
		break;
	}
	default:
		v = ctp_field_i64(t, m);
		break;
	}
	if (first || v < c->lo)
		c->lo = v;
	if (first || v > c->hi)
		c->hi = v;
}

void ctp_gside_add(struct ctp_gside *gs, const struct ctp_thread *t)
{
	pthread_once(&desc_once, init_desc);
	bool first = gs->nthreads == 0;
	gs->nthreads++;
	gs->start_sum = ctp_sat_add(gs->start_sum, t->start_time_clock_ticks);
	gs->acc[0].u++;
	gs->acc[0].measured = true;
	for (size_t i = 0; i < nnums; i++) {
		const struct numdesc *d = &nums[i];
		struct ctp_acc *a = &gs->acc[d->cm];
		uint64_t v = *(const uint64_t *)((const char *)t + d->offset);
		if (d->max) {
			if (v > a->u)
				a->u = v;
		} else {
			a->u = ctp_sat_add(a->u, v);
		}
		if (!a->measured && !(gs->gates_off & (1u << d->gate)) && !ctp_source_off(gs->sources_off, d->source, d->light))
			a->measured = d->gate == CTP_GATE_ALWAYS || ctp_gate_measured(t, d->gate);
	}
	for (int c = 0; c < CTP_NCAT; c++)
		add_cat(&gs->cat[c], t, cat_field[c], first);
}

void ctp_gside_release(struct ctp_gside *gs)
{
	for (int c = 0; c < CTP_NCAT; c++) {
		for (size_t i = 0; i < gs->cat[c].nt; i++)
			free(gs->cat[c].t[i].val);
		free(gs->cat[c].t);
	}
	memset(gs, 0, sizeof(*gs));
}

/* Mode winner: highest count, ties -> byte-wise smallest value */
static const struct ctp_tally *mode_of(const struct ctp_catacc *c)
{
	const struct ctp_tally *w = NULL;
	for (size_t i = 0; i < c->nt; i++) {
		const struct ctp_tally *t = &c->t[i];
		if (!w || t->count > w->count)
			w = t;
		else if (t->count == w->count) {
			size_t n = t->len < w->len ? t->len : w->len;
			int r = memcmp(t->val, w->val, n);
			if (r < 0 || (r == 0 && t->len < w->len))
				w = t;
		}
	}
	return w;
}

/* "0-3,5,7-8" for a sorted cpu list */
static char *cpulist(const struct ctp_cpuset *cs)
{
	struct ctp_buf b = CTP_BUF_INIT;
	for (size_t i = 0; i < cs->n;) {
		size_t j = i;
		while (j + 1 < cs->n && cs->cpus[j + 1] == cs->cpus[j] + 1)
			j++;
		if (b.len)
			ctp_buf_addch(&b, ',');
		if (j == i)
			ctp_buf_addf(&b, "%u", cs->cpus[i]);
		else
			ctp_buf_addf(&b, "%u-%u", cs->cpus[i], cs->cpus[j]);
		i = j + 1;
	}
	return ctp_buf_detach(&b, NULL);
}

void ctp_cell_set_side(struct ctp_cell *c, int side, bool ok, double v)
{
	if (side) {
		c->live_ok = ok;
		c->live = ok ? v : 0;
		c->live_x = false;
	} else {
		c->base_ok = ok;
		c->base = ok ? v : 0;
		c->base_x = false;
	}
}

void ctp_cell_set_side_u(struct ctp_cell *c, int side, bool ok, uint64_t u)
{
	ctp_cell_set_side(c, side, ok, (double)u);
	*(side ? &c->live_u : &c->base_u) = ok ? u : 0;
	*(side ? &c->live_x : &c->base_x) = ok;
}

static void finish_cat(const struct ctp_catacc *a, const struct ctp_cmetric *c, struct ctp_catval *cv,
		       struct ctp_cell *cell, int side)
{
	free(cv->text);
	memset(cv, 0, sizeof(*cv));
	switch (c->rule) {
	case CTP_CR_MODE: {
		const struct ctp_tally *w = mode_of(a);
		uint64_t total = 0;
		for (size_t i = 0; i < a->nt; i++)
			total += a->t[i].count;
		cv->kind = CTP_CAT_MODE;
		cv->text = ctp_xstrdup(w ? w->val : "~");
		cv->count = w ? w->count : 0;
		cv->total = total;
		ctp_cell_set_side(cell, side, false, 0);
		return;
	}
	case CTP_CR_AFFINITY:
		cv->kind = CTP_CAT_AFFINITY;
		cv->text = a->uniform && a->first ? cpulist(a->first) : NULL;
		break;
	default:
		cv->kind = CTP_CAT_RANGE;
		break;
	}
	cv->lo = a->lo;
	cv->hi = a->hi;
	ctp_cell_set_side(cell, side, true, ((double)a->lo + (double)a->hi) / 2.0);
}

void ctp_gside_finish(const struct ctp_gside *gs, int side, struct ctp_row *r)
{
	pthread_once(&desc_once, init_desc);
	if (side)
		r->nthreads_live = gs->nthreads;
	else
		r->nthreads_base = gs->nthreads;
	if (!gs->nthreads) {
		for (size_t i = 0; i < CTP_NPRIMARY; i++)
			ctp_cell_set_side(&r->cells[i], side, false, 0);
		for (int c = 0; c < CTP_NCAT; c++) {
			free(r->cats[c][side].text);
			memset(&r->cats[c][side], 0, sizeof(r->cats[c][side]));
		}
		return;
	}
	ctp_cell_set_side_u(&r->cells[0], side, true, gs->acc[0].u);
	for (size_t i = 0; i < nnums; i++) {
		const struct ctp_acc *a = &gs->acc[nums[i].cm];
		ctp_cell_set_side_u(&r->cells[nums[i].cm], side, a->measured, a->u);
	}
	for (int c = 0; c < CTP_NCAT; c++) {
		struct ctp_catval *cv = &r->cats[c][side];
		if (ctp_source_off(gs->sources_off, ctp_fields[cat_field[c]].source, ctp_field_light((size_t)cat_field[c]))) {
			/* not read: absent */
			free(cv->text);
			memset(cv, 0, sizeof(*cv));
			cv->kind = CTP_CAT_ABSENT;
			ctp_cell_set_side(&r->cells[cat_cm[c]], side, false, 0);
			continue;
		}
		finish_cat(&gs->cat[c], ctp_cmetric((size_t)cat_cm[c]), cv, &r->cells[cat_cm[c]], side);
	}
}
