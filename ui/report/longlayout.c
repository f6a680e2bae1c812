/* longlayout.c — ktstr's long layout (longlayout.h): a header and one row per (group, metric) in
 * ktstr's order, all tables measured together; the cgroup axis as one table per parent path, the
 * all axis as a tree of cgroup segments, process headings and thread-name rows. */
#include "report/longlayout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "base/text.h"
#include "report/jsonl.h"
#include "report/ldisplay.h"
#include "report/textgrid.h"

/* the SortBy column (E5): first --sort-by metric when it is a primary metric */
static int sortby_metric(const struct ctp_table *t)
{
	if (!t->sort.n || !t->has_base || ctp_cmetric((size_t)t->sort.k[0].metric)->rule == CTP_CR_DERIVED)
		return -1;
	return t->sort.k[0].metric;
}

/* the cells of this table: st->disp's, else ktstr's defaults (arrow; show: group..value) */
static const struct ctp_ldisplay *disp_of(const struct ctp_table *t, const struct ctp_batch_style *st,
					  struct ctp_ldisplay *def)
{
	if (st && st->disp)
		return st->disp;
	ctp_ldisplay_default(def, t->has_base);
	return def;
}

static void long_header(struct ctp_tgrid *g, const struct ctp_table *t, const struct ctp_ldisplay *d)
{
	ctp_tgrid_row(g);
	for (size_t c = 0; c < d->ncols; c++)
		ctp_tgrid_set(g, c, d->cols[c] == CTP_LC_GROUP ? ctp_axis_header(t->axis) : ctp_lcol_header(d->cols[c]), 2);
	if (sortby_metric(t) >= 0)
		ctp_tgrid_set(g, d->ncols, ctp_cmetric((size_t)sortby_metric(t))->name, 2);
}

/* one cell of a long row */
static void long_cell(struct ctp_tgrid *g, size_t col, enum ctp_lcol lc, const struct ctp_table *t,
		      const struct ctp_flat *fl, const char *group)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX], v[2 * CTP_FMT_MAX + 8];
	switch (lc) {
	case CTP_LC_GROUP: ctp_tgrid_set(g, col, group ? group : t->threads ? r->key : r->label, 0); break;
	case CTP_LC_THREADS: ctp_tgrid_set(g, col, ctp_row_threads_text(t, r, false, a), 0); break;
	case CTP_LC_METRIC: ctp_tgrid_set(g, col, ctp_cmetric(fl->metric)->name, 0); break;
	case CTP_LC_BASELINE: ctp_tgrid_set(g, col, ctp_cell_value_text(r, fl->metric, 0, a), 0); break;
	case CTP_LC_CANDIDATE:
	case CTP_LC_VALUE: ctp_tgrid_set(g, col, ctp_cell_value_text(r, fl->metric, 1, a), 0); break;
	case CTP_LC_ARROW:
		if (!t->has_base) {
			ctp_tgrid_set(g, col, ctp_cell_value_text(r, fl->metric, 1, a), 0);
			break;
		}
		snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", ctp_cell_value_text(r, fl->metric, 0, a),
			 ctp_cell_value_text(r, fl->metric, 1, b));
		ctp_tgrid_set(g, col, v, 0);
		break;
	case CTP_LC_DELTA: ctp_tgrid_set(g, col, ctp_cell_delta_text(r, fl->metric, a), ctp_tone_of(c, false)); break;
	case CTP_LC_PCT: ctp_tgrid_set(g, col, ctp_cell_pct_text(r, fl->metric, a), ctp_tone_of(c, true)); break;
	case CTP_LC_TAGS: ctp_tgrid_set(g, col, ctp_cmetric(fl->metric)->rule == CTP_CR_DERIVED ? "" : ctp_cmetric(fl->metric)->tags, 0); break;
	case CTP_LC_UPTIME:
		if (r->uptime_ok)
			snprintf(a, sizeof(a), "%.0f%%", r->uptime_pct);
		else
			strcpy(a, "-");
		ctp_tgrid_set(g, col, a, !r->uptime_ok ? 0 : r->uptime_pct >= 75 ? 8 : r->uptime_pct >= 50 ? 9 : 10);
		break;
	case CTP_LC_COUNT: break;
	}
}

static void long_row(struct ctp_tgrid *g, const struct ctp_table *t, const struct ctp_ldisplay *d,
		     const struct ctp_flat *fl, const char *cell)
{
	const struct ctp_row *r = &t->rows[fl->row];
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX], v[2 * CTP_FMT_MAX + 8];
	ctp_tgrid_row(g);
	for (size_t c = 0; c < d->ncols; c++)
		long_cell(g, c, d->cols[c], t, fl, cell);
	int sm = sortby_metric(t);
	if (sm >= 0) {
		const struct ctp_cell *sc = &r->cells[sm];
		size_t k = (size_t)snprintf(v, sizeof(v), "%s\xe2\x86\x92%s", ctp_cell_value_text(r, (size_t)sm, 0, a),
					    ctp_cell_value_text(r, (size_t)sm, 1, b));
		if (sc->pct_ok && k < sizeof(v))
			snprintf(v + k, sizeof(v) - k, " (%s)", ctp_fmt_pct(a, sc->pct));
		ctp_tgrid_set(g, d->ncols, v, sc->delta_ok ? (sc->delta > 0 ? 1 : sc->delta < 0 ? -1 : 0) : 2);
	}
}

static void json_long_row(struct ctp_buf *b, const struct ctp_table *t, const struct ctp_flat *fl, const char *table)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	const struct ctp_cmetric *m = ctp_cmetric(fl->metric);
	char x[CTP_FMT_MAX];
	bool first = true;
	ctp_buf_addch(b, '{');
	ctp_jl_row_head(b, &first, t, r, table);
	ctp_jl_str(b, &first, "metric", m->name);
	ctp_jl_cell(b, &first, c); /* u64 counters exactly */
	ctp_jl_str(b, &first, "base_text", t->has_base ? ctp_cell_value_text(r, fl->metric, 0, x) : NULL);
	ctp_jl_str(b, &first, "live_text", ctp_cell_value_text(r, fl->metric, 1, x));
	ctp_jl_str(b, &first, "delta_text", t->has_base ? ctp_cell_delta_text(r, fl->metric, x) : NULL);
	ctp_buf_adds(b, "}\n");
}

bool ctp_report_cell_empty(const struct ctp_table *t, const struct ctp_flat *fl)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	if (ctp_cmetric(fl->metric)->cat >= 0) {
		char a[CTP_FMT_MAX], b[CTP_FMT_MAX];
		ctp_cell_value_text(r, fl->metric, 1, b);
		bool live_empty = !strcmp(b, "0") || !strcmp(b, CTP_FMT_ABSENT);
		return t->has_base ? live_empty && !strcmp(ctp_cell_value_text(r, fl->metric, 0, a), b) : live_empty;
	}
	if (!t->has_base)
		return !c->live_ok || c->live == 0;
	return (!c->base_ok && !c->live_ok) || (c->base_ok && c->live_ok && c->base == 0 && c->live == 0);
}

/* drops the empty rows from fl (n entries) in place; the new count */
static size_t drop_empty(const struct ctp_table *t, struct ctp_flat *fl, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!ctp_report_cell_empty(t, &fl[i]))
			fl[w++] = fl[i];
	return w;
}

/* drops the rows --sections / --metrics leave out from fl (n entries) in place; the new count */
static size_t keep_rows(const struct ctp_ldisplay *d, struct ctp_flat *fl, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (ctp_ldisplay_row_on(d, fl[i].metric))
			fl[w++] = fl[i];
	return w;
}

/* ------------------------------------------------------- long layout ---- */
/* a titled table of the long layout; all blocks share column widths (ktstr measures once) */
struct block {
	char *title;
	bool plain_title; /* cgroup parent headings: coloured, not a "## " section for --limit */
	struct ctp_tgrid g;
	size_t more;      /* rows cut by --limit */
};
struct blocks {
	struct block *v;
	size_t n;
};

static struct block *block_new(struct blocks *bs, const struct ctp_table *t, const struct ctp_ldisplay *d,
			       const char *title)
{
	bs->v = ctp_xrealloc(bs->v, (bs->n + 1) * sizeof(*bs->v));
	struct block *b = &bs->v[bs->n++];
	memset(b, 0, sizeof(*b));
	b->title = ctp_xstrdup(title);
	long_header(&b->g, t, d);
	return b;
}

/* parent / leaf of a cgroup key: "/a/b" -> "/a", "b"; "/a" -> "/", "a"; "/" -> "/", "/" */
static void cg_split(const char *key, char *parent, size_t plen, const char **leaf)
{
	const char *sl = strrchr(key, '/');
	if (!sl) {
		snprintf(parent, plen, "/");
		*leaf = key;
		return;
	}
	snprintf(parent, plen, "%.*s", sl == key ? 1 : (int)(sl - key), key);
	*leaf = sl[1] ? sl + 1 : key;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* cgroup axis: one table per parent path in byte order, group cell = leaf, each cut separately */
static void cgroup_blocks(struct blocks *bs, const struct ctp_table *t, const struct ctp_ldisplay *d,
			  const struct ctp_flat *fl, size_t n, size_t limit)
{
	char **parents = ctp_xmalloc((n + 1) * sizeof(*parents));
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		char par[4096];
		const char *leaf;
		cg_split(t->rows[fl[i].row].key, par, sizeof(par), &leaf);
		parents[np++] = ctp_xstrdup(par);
	}
	qsort(parents, np, sizeof(*parents), cmp_str);
	for (size_t p = 0; p < np; p++) {
		if (p && !strcmp(parents[p], parents[p - 1]))
			continue;
		struct ctp_buf title = CTP_BUF_INIT;
		ctp_buf_addf(&title, "## %s", parents[p]);
		struct block *b = block_new(bs, t, d, title.buf);
		b->plain_title = true;
		ctp_buf_release(&title);
		size_t shown = 0;
		for (size_t i = 0; i < n; i++) {
			char par[4096];
			const char *leaf;
			cg_split(t->rows[fl[i].row].key, par, sizeof(par), &leaf);
			if (strcmp(par, parents[p]))
				continue;
			if (limit && shown >= limit) {
				b->more++;
				continue;
			}
			long_row(&b->g, t, d, &fl[i], leaf);
			shown++;
		}
	}
	for (size_t p = 0; p < np; p++)
		free(parents[p]);
	free(parents);
}

/* all axis: a tree of cgroup segments, pcomm headings and comm rows (§4.3). Order: cgroup by its
 * earliest row, then (cgroup, pcomm) by earliest row, then row order. */
struct tnode {
	size_t pos, rank_cg, rank_pc;
};
static int cmp_tnode(const void *a, const void *b)
{
	const struct tnode *x = a, *y = b;
	if (x->rank_cg != y->rank_cg)
		return x->rank_cg < y->rank_cg ? -1 : 1;
	if (x->rank_pc != y->rank_pc)
		return x->rank_pc < y->rank_pc ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static size_t first_pos(const struct ctp_table *t, const struct ctp_flat *fl, size_t upto, size_t row, int parts)
{
	const struct ctp_row *r = &t->rows[fl[row].row];
	for (size_t i = 0; i < upto; i++) {
		const struct ctp_row *q = &t->rows[fl[i].row];
		if (!strcmp(q->part[0], r->part[0]) && (parts < 2 || !strcmp(q->part[1], r->part[1])))
			return i;
	}
	return upto;
}

/* path segments of a cgroup key; the root ("/" or "") counts as one segment "/" */
static size_t seg_count(const char *p)
{
	size_t n = 0;
	for (; *p; n++) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		p += strcspn(p, "/");
	}
	return n ? n : 1;
}

static size_t seg_at(const char *p, size_t idx, const char **sp)
{
	for (size_t i = 0;; i++) {
		while (*p == '/')
			p++;
		size_t l = strcspn(p, "/");
		if (!*p) {
			*sp = "/";
			return 1;
		}
		if (i == idx) {
			*sp = p;
			return l;
		}
		p += l;
	}
}

static size_t seg_common(const char *a, const char *b)
{
	size_t na = seg_count(a), nb = seg_count(b), i = 0;
	for (; i < na && i < nb; i++) {
		const char *x, *y;
		size_t lx = seg_at(a, i, &x), ly = seg_at(b, i, &y);
		if (lx != ly || memcmp(x, y, lx))
			break;
	}
	return i;
}

static void tree_rows(struct block *b, const struct ctp_table *t, const struct ctp_ldisplay *d, const struct ctp_flat *fl,
		      size_t n, bool fudge_mark)
{
	struct tnode *v = ctp_xmalloc((n + 1) * sizeof(*v));
	/* earliest position per table row first, so the scans below run over distinct rows */
	size_t *first = ctp_xmalloc((t->nrows + 1) * sizeof(*first));
	for (size_t i = 0; i < t->nrows; i++)
		first[i] = SIZE_MAX;
	size_t *uniq = ctp_xmalloc((n + 1) * sizeof(*uniq)), nu = 0;
	for (size_t i = 0; i < n; i++)
		if (first[fl[i].row] == SIZE_MAX) {
			first[fl[i].row] = i;
			uniq[nu++] = i;
		}
	struct ctp_flat *ufl = ctp_xmalloc((nu + 1) * sizeof(*ufl));
	for (size_t i = 0; i < nu; i++)
		ufl[i] = fl[uniq[i]];
	size_t *rcg = ctp_xmalloc((t->nrows + 1) * sizeof(*rcg)), *rpc = ctp_xmalloc((t->nrows + 1) * sizeof(*rpc));
	for (size_t i = 0; i < nu; i++) {
		rcg[ufl[i].row] = uniq[first_pos(t, ufl, i + 1, i, 1)];
		rpc[ufl[i].row] = uniq[first_pos(t, ufl, i + 1, i, 2)];
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct tnode){ i, rcg[fl[i].row], rpc[fl[i].row] };
	qsort(v, n, sizeof(*v), cmp_tnode);
	const char *prev_cg = NULL, *prev_pc = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ctp_row *r = &t->rows[fl[v[i].pos].row];
		const char *cg = r->part[0];
		bool new_cg = !prev_cg || strcmp(prev_cg, cg);
		size_t depth = seg_count(cg);
		if (new_cg) {
			size_t common = prev_cg ? seg_common(prev_cg, cg) : 0;
			if (common >= depth)
				common = depth ? depth - 1 : 0;
			for (size_t lv = common; lv < depth; lv++) {
				struct ctp_buf h = CTP_BUF_INIT;
				const char *sp;
				size_t sl = seg_at(cg, lv, &sp);
				ctp_buf_addf(&h, "%*s%.*s", (int)(2 * lv), "", (int)sl, sp);
				ctp_tgrid_row(&b->g);
				ctp_tgrid_set(&b->g, 0, h.buf, lv == 0 ? 4 : lv == 1 ? 5 : 6);
				ctp_buf_release(&h);
			}
		}
		if (new_cg || strcmp(prev_pc, r->part[1])) {
			struct ctp_buf h = CTP_BUF_INIT;
			ctp_buf_addf(&h, "%*s%s", (int)(2 * depth), "", r->part[1]);
			ctp_tgrid_row(&b->g);
			ctp_tgrid_set(&b->g, 0, h.buf, 7);
			ctp_buf_release(&h);
		}
		prev_cg = cg;
		prev_pc = r->part[1];
		struct ctp_buf cell = CTP_BUF_INIT;
		ctp_buf_addf(&cell, "%*s", (int)(2 * (depth + 1)), "");
		if (fudge_mark && r->fudged)
			ctp_buf_add(&cell, r->label, (size_t)(strchr(r->label, ']') + 2 - r->label));
		ctp_buf_adds(&cell, r->part[2]);
		long_row(&b->g, t, d, &fl[v[i].pos], cell.buf);
		ctp_buf_release(&cell);
	}
	free(v);
	free(first);
	free(uniq);
	free(ufl);
	free(rcg);
	free(rpc);
}

/* --wrap on a terminal: the widest columns give way (down to 8 cells) until a row fits width */
static void fold_widths(size_t *w, size_t ncols, size_t width)
{
	size_t total = 0;
	for (size_t c = 0; c < ncols; c++)
		total += w[c] + (c ? 2 : 0);
	while (total > width) {
		size_t wide = 0;
		for (size_t c = 1; c < ncols; c++)
			wide = w[c] > w[wide] ? c : wide;
		if (w[wide] <= 8)
			return;
		w[wide]--;
		total--;
	}
}

/* row r with its cells folded to the (folded) widths: continuation lines hold the rest */
static void print_folded_row(FILE *f, const struct ctp_tgrid *g, size_t r, bool color)
{
	struct ctp_tgrid line = { 0 };
	const char *rest[CTP_TGRID_MAXCOLS];
	for (size_t c = 0; c < g->ncols; c++)
		rest[c] = g->cell[r * CTP_TGRID_MAXCOLS + c];
	for (bool more = true; more;) {
		more = false;
		ctp_tgrid_row(&line);
		line.nrows = 1; /* one reused row */
		for (size_t c = 0; c < g->ncols; c++) {
			if (!rest[c])
				continue;
			size_t bytes;
			ctp_display_clip(rest[c], (int)g->w[c], &bytes);
			char *chunk = ctp_xstrndup(rest[c], bytes ? bytes : strlen(rest[c]));
			ctp_tgrid_set(&line, c, chunk, g->tone[r * CTP_TGRID_MAXCOLS + c]);
			free(chunk);
			rest[c] = bytes && rest[c][bytes] ? rest[c] + bytes : NULL;
			more |= rest[c] != NULL;
		}
		memcpy(line.w, g->w, sizeof(line.w));
		ctp_tgrid_print_row(f, &line, 0, color);
		for (size_t c = 0; c < CTP_TGRID_MAXCOLS; c++) {
			free(line.cell[c]);
			line.cell[c] = NULL;
		}
		line.nrows = 0;
	}
	ctp_tgrid_release(&line);
}

int ctp_report_long(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct ctp_flat *fl[2];
	size_t n[2];
	struct blocks bs = { 0 };
	struct ctp_buf jb = CTP_BUF_INIT;
	bool cg = t->axis == CTP_AXIS_CGROUP && !t->threads, tree = t->axis == CTP_AXIS_ALL && !t->threads;
	struct ctp_ldisplay def;
	const struct ctp_ldisplay *d = disp_of(t, st, &def);
	n[0] = ctp_table_flat(t, CTP_CSEC_PRIMARY, &fl[0]);
	n[1] = ctp_table_flat(t, CTP_CSEC_DERIVED, &fl[1]);
	for (int k = 0; k < 2; k++) /* --sections, --metrics: the rows they keep, JSON too */
		n[k] = keep_rows(d, fl[k], n[k]);
	for (int k = 0; k < 2 && st->hide_unchanged && !json; k++)
		n[k] = drop_empty(t, fl[k], n[k]);
	for (int k = 0; k < 2; k++) {
		size_t show = st->limit && n[k] > st->limit ? st->limit : n[k];
		if (json) {
			for (size_t i = 0; i < show; i++)
				json_long_row(&jb, t, &fl[k][i], k ? "derived" : "primary");
			continue;
		}
		if (!n[k])
			continue;
		if (!k && cg) {
			cgroup_blocks(&bs, t, d, fl[0], n[0], st->limit);
			continue;
		}
		struct block *b = block_new(&bs, t, d, k ? "## Derived metrics" : "## Primary metrics");
		b->more = n[k] - show;
		if (tree)
			tree_rows(b, t, d, fl[k], show, !k);
		else
			for (size_t i = 0; i < show; i++)
				long_row(&b->g, t, d, &fl[k][i], NULL);
	}
	size_t w[CTP_TGRID_MAXCOLS] = { 0 };
	for (size_t i = 0; i < bs.n; i++)
		for (size_t c = 0; c < CTP_TGRID_MAXCOLS; c++)
			w[c] = bs.v[i].g.w[c] > w[c] ? bs.v[i].g.w[c] : w[c];
	for (size_t i = 0; i < bs.n; i++) {
		struct block *b = &bs.v[i];
		memcpy(b->g.w, w, sizeof(w));
		if (d->wrap)
			fold_widths(b->g.w, b->g.ncols, d->width);
		if (i)
			fputc('\n', f);
		if (b->plain_title && st->color)
			fprintf(f, C_BOLD "\033[32m%s" C_RESET "\n", b->title);
		else
			fprintf(f, "%s\n", b->title);
		for (size_t r = 0; r < b->g.nrows; r++)
			if (d->wrap)
				print_folded_row(f, &b->g, r, st->color);
			else
				ctp_tgrid_print_row(f, &b->g, r, st->color);
		if (b->more)
			fprintf(f, "... %zu more lines truncated (use --limit 0 for unlimited)\n", b->more);
		free(b->title);
		ctp_tgrid_release(&b->g);
	}
	free(bs.v);
	fwrite(jb.buf, 1, jb.len, f);
	free(fl[0]);
	free(fl[1]);
	ctp_buf_release(&jb);
	return 0;
}
