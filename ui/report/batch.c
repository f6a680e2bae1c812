/* batch.c — offline --compare / --show and the -b table printer: ktstr's long text layout with
 * aligned columns and optional ANSI colour (delta up yellow, down magenta, headers cyan), or
 * JSON Lines with the stable field names documented in batch.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/batch.h"
#include "base/jsonw.h"
#include "snapshot/snapfile.h"

#define C_RESET "\033[0m"
#define C_UP "\033[33m"
#define C_DOWN "\033[35m"
#define C_HDR "\033[36m"
#define C_BOLD "\033[1m"

bool ctp_batch_want_color(FILE *f, bool no_color)
{
	const char *nc = getenv("NO_COLOR");
	return !no_color && !(nc && *nc) && isatty(fileno(f));
}

/* ---------------------------------------------------------- text grid ---- */
#define MAXCOLS 16
struct grid {
	char **cell; /* rows x ncols, sanitized text */
	int *tone;   /* per cell: 0 plain, 1 up, -1 down, 2 header, 3 bold-up, -3 bold-down */
	size_t nrows, alloc, ncols;
	size_t w[MAXCOLS];
};

static size_t dispw(const char *s)
{
	return (size_t)ctp_display_clip(s, 1 << 30, NULL);
}

static void grid_row(struct grid *g)
{
	if (g->nrows == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 64;
		g->cell = ctp_xrealloc(g->cell, g->alloc * MAXCOLS * sizeof(*g->cell));
		g->tone = ctp_xrealloc(g->tone, g->alloc * MAXCOLS * sizeof(*g->tone));
	}
	memset(&g->cell[g->nrows * MAXCOLS], 0, MAXCOLS * sizeof(*g->cell));
	memset(&g->tone[g->nrows * MAXCOLS], 0, MAXCOLS * sizeof(*g->tone));
	g->nrows++;
}

static void grid_set(struct grid *g, size_t col, const char *s, int tone)
{
	struct ctp_buf b = CTP_BUF_INIT;
	ctp_sanitize_name(s, strlen(s), true, &b);
	size_t i = (g->nrows - 1) * MAXCOLS + col;
	free(g->cell[i]);
	g->cell[i] = ctp_buf_detach(&b, NULL);
	g->tone[i] = tone;
	if (col >= g->ncols)
		g->ncols = col + 1;
	size_t w = dispw(g->cell[i]);
	if (w > g->w[col])
		g->w[col] = w;
}

/* escape per tone, index tone + 3: -3 bold down, -1 down, 1 up, 2 header, 3 bold up, 4..6 tree
 * cgroup depth 0/1/2+, 7 pcomm heading, 8..10 uptime >=75 / >=50 / below */
static const char *const tone_esc[14] = {
	C_BOLD C_DOWN, NULL, C_DOWN, NULL, C_UP, C_HDR, C_BOLD C_UP, C_BOLD "\033[32m", C_BOLD "\033[36m",
	C_BOLD "\033[90m", C_BOLD "\033[37m", "\033[32m", "\033[33m", C_BOLD "\033[31m",
};

static void grid_print_row(FILE *f, const struct grid *g, size_t r, bool color)
{
	size_t last = 0;
	for (size_t c = 0; c < g->ncols; c++)
		if (g->cell[r * MAXCOLS + c])
			last = c;
	for (size_t c = 0; c <= last; c++) {
		const char *s = g->cell[r * MAXCOLS + c] ? g->cell[r * MAXCOLS + c] : "";
		int tone = g->tone[r * MAXCOLS + c];
		const char *on = color && tone >= -3 && tone <= 10 ? tone_esc[tone + 3] : NULL;
		fprintf(f, "%s%s%s", on ? on : "", s, on ? C_RESET : "");
		if (c < last)
			fprintf(f, "%*s", (int)(g->w[c] - dispw(s) + 2), "");
	}
	fputc('\n', f);
}

static void grid_release(struct grid *g)
{
	for (size_t i = 0; i < g->nrows * MAXCOLS; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->tone);
	memset(g, 0, sizeof(*g));
}

/* ----------------------------------------------------------- cells ---- */
static int tone_of(const struct ctp_cell *c, bool pct)
{
	if (!c->delta_ok || c->delta == 0)
		return 0;
	int t = c->delta > 0 ? 1 : -1;
	return pct && c->pct_ok && fabs(c->pct) > 0.5 ? 3 * t : t;
}

static void threads_text(const struct ctp_table *t, const struct ctp_row *r, char *buf)
{
	if (!t->has_base)
		snprintf(buf, CTP_FMT_MAX, "%zu", r->nthreads_live);
	else if (r->nthreads_base == r->nthreads_live)
		snprintf(buf, CTP_FMT_MAX, "%zu", r->nthreads_live);
	else
		snprintf(buf, CTP_FMT_MAX, "%zu\xe2\x86\x92%zu", r->nthreads_base, r->nthreads_live);
}

/* the SortBy column (E5): first --sort-by metric when it is a primary metric */
static int sortby_metric(const struct ctp_table *t)
{
	if (!t->sort.n || !t->has_base || ctp_cmetric((size_t)t->sort.k[0].metric)->rule == CTP_CR_DERIVED)
		return -1;
	return t->sort.k[0].metric;
}

static void long_header(struct grid *g, const struct ctp_table *t)
{
	grid_row(g);
	grid_set(g, 0, ctp_axis_header(t->axis), 2);
	grid_set(g, 1, "threads", 2);
	grid_set(g, 2, "metric", 2);
	grid_set(g, 3, "value", 2);
	if (t->has_base) {
		grid_set(g, 4, "delta", 2);
		grid_set(g, 5, "%", 2);
		grid_set(g, 6, "%uptime", 2);
		if (sortby_metric(t) >= 0)
			grid_set(g, 7, ctp_cmetric((size_t)sortby_metric(t))->name, 2);
	}
}

static void long_row(struct grid *g, const struct ctp_table *t, const struct ctp_flat *fl, const char *cell)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	char a[CTP_FMT_MAX], b[CTP_FMT_MAX], v[2 * CTP_FMT_MAX + 8];
	grid_row(g);
	grid_set(g, 0, cell ? cell : t->threads ? r->key : r->label, 0);
	threads_text(t, r, a);
	grid_set(g, 1, a, 0);
	grid_set(g, 2, ctp_cmetric(fl->metric)->name, 0);
	if (!t->has_base) {
		grid_set(g, 3, ctp_cell_value_text(r, fl->metric, 1, a), 0);
		return;
	}
	snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", ctp_cell_value_text(r, fl->metric, 0, a),
		 ctp_cell_value_text(r, fl->metric, 1, b));
	grid_set(g, 3, v, 0);
	grid_set(g, 4, ctp_cell_delta_text(r, fl->metric, a), tone_of(c, false));
	grid_set(g, 5, ctp_cell_pct_text(r, fl->metric, a), tone_of(c, true));
	if (r->uptime_ok)
		snprintf(a, sizeof(a), "%.0f%%", r->uptime_pct);
	else
		strcpy(a, "-");
	grid_set(g, 6, a, !r->uptime_ok ? 0 : r->uptime_pct >= 75 ? 8 : r->uptime_pct >= 50 ? 9 : 10);
	int sm = sortby_metric(t);
	if (sm >= 0) {
		const struct ctp_cell *sc = &r->cells[sm];
		size_t k = (size_t)snprintf(v, sizeof(v), "%s\xe2\x86\x92%s", ctp_cell_value_text(r, (size_t)sm, 0, a),
					    ctp_cell_value_text(r, (size_t)sm, 1, b));
		if (sc->pct_ok && k < sizeof(v))
			snprintf(v + k, sizeof(v) - k, " (%s)", ctp_fmt_pct(a, sc->pct));
		grid_set(g, 7, v, sc->delta_ok ? (sc->delta > 0 ? 1 : sc->delta < 0 ? -1 : 0) : 2);
	}
}

/* ------------------------------------------------------------ JSON ---- */
static void jnum(struct ctp_buf *b, bool *first, const char *key, bool ok, double v)
{
	ctp_json_key(b, first, key);
	if (!ok || !isfinite(v))
		ctp_buf_adds(b, "null");
	else if (v == floor(v) && fabs(v) < 9.007199254740992e15)
		ctp_buf_addf(b, "%.0f", v);
	else
		ctp_buf_addf(b, "%.17g", v);
}

static void jstr(struct ctp_buf *b, bool *first, const char *key, const char *s)
{
	ctp_json_key(b, first, key);
	if (s)
		ctp_json_str(b, s);
	else
		ctp_buf_adds(b, "null");
}

static const char *status_name(enum ctp_row_status s)
{
	return s == CTP_ROW_NEW ? "new" : s == CTP_ROW_GONE ? "gone" : "matched";
}

static void json_row_head(struct ctp_buf *b, bool *first, const struct ctp_table *t, const struct ctp_row *r,
			  const char *table)
{
	jstr(b, first, "table", table);
	jstr(b, first, "group", t->threads ? r->key : r->label);
	jstr(b, first, "status", status_name(r->status));
	jnum(b, first, "threads_base", t->has_base, (double)r->nthreads_base);
	jnum(b, first, "threads_live", true, (double)r->nthreads_live);
}

static void json_long_row(struct ctp_buf *b, const struct ctp_table *t, const struct ctp_flat *fl, const char *table)
{
	const struct ctp_row *r = &t->rows[fl->row];
	const struct ctp_cell *c = &r->cells[fl->metric];
	const struct ctp_cmetric *m = ctp_cmetric(fl->metric);
	char x[CTP_FMT_MAX];
	bool first = true;
	ctp_buf_addch(b, '{');
	json_row_head(b, &first, t, r, table);
	jstr(b, &first, "metric", m->name);
	jnum(b, &first, "base", c->base_ok, c->base);
	jnum(b, &first, "live", c->live_ok, c->live);
	jnum(b, &first, "delta", c->delta_ok, c->delta);
	jnum(b, &first, "pct", c->pct_ok, c->pct);
	jstr(b, &first, "base_text", t->has_base ? ctp_cell_value_text(r, fl->metric, 0, x) : NULL);
	jstr(b, &first, "live_text", ctp_cell_value_text(r, fl->metric, 1, x));
	jstr(b, &first, "delta_text", t->has_base ? ctp_cell_delta_text(r, fl->metric, x) : NULL);
	ctp_buf_adds(b, "}\n");
}

/* ------------------------------------------------------- long layout ---- */
/* a titled table of the long layout; all blocks share column widths (ktstr measures once) */
struct block {
	char *title;
	bool plain_title; /* cgroup parent headings: coloured, not a "## " section for --limit */
	struct grid g;
	size_t more;      /* rows cut by --limit */
};
struct blocks {
	struct block *v;
	size_t n;
};

static struct block *block_new(struct blocks *bs, const struct ctp_table *t, const char *title)
{
	bs->v = ctp_xrealloc(bs->v, (bs->n + 1) * sizeof(*bs->v));
	struct block *b = &bs->v[bs->n++];
	memset(b, 0, sizeof(*b));
	b->title = ctp_xstrdup(title);
	long_header(&b->g, t);
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
static void cgroup_blocks(struct blocks *bs, const struct ctp_table *t, const struct ctp_flat *fl, size_t n,
			  size_t limit)
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
		struct block *b = block_new(bs, t, title.buf);
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
			long_row(&b->g, t, &fl[i], leaf);
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

static void tree_rows(struct block *b, const struct ctp_table *t, const struct ctp_flat *fl, size_t n, bool fudge_mark)
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
			for (size_t d = common; d < depth; d++) {
				struct ctp_buf h = CTP_BUF_INIT;
				const char *sp;
				size_t sl = seg_at(cg, d, &sp);
				ctp_buf_addf(&h, "%*s%.*s", (int)(2 * d), "", (int)sl, sp);
				grid_row(&b->g);
				grid_set(&b->g, 0, h.buf, d == 0 ? 4 : d == 1 ? 5 : 6);
				ctp_buf_release(&h);
			}
		}
		if (new_cg || strcmp(prev_pc, r->part[1])) {
			struct ctp_buf h = CTP_BUF_INIT;
			ctp_buf_addf(&h, "%*s%s", (int)(2 * depth), "", r->part[1]);
			grid_row(&b->g);
			grid_set(&b->g, 0, h.buf, 7);
			ctp_buf_release(&h);
		}
		prev_cg = cg;
		prev_pc = r->part[1];
		struct ctp_buf cell = CTP_BUF_INIT;
		ctp_buf_addf(&cell, "%*s", (int)(2 * (depth + 1)), "");
		if (fudge_mark && r->fudged)
			ctp_buf_add(&cell, r->label, (size_t)(strchr(r->label, ']') + 2 - r->label));
		ctp_buf_adds(&cell, r->part[2]);
		long_row(&b->g, t, &fl[v[i].pos], cell.buf);
		ctp_buf_release(&cell);
	}
	free(v);
	free(first);
	free(uniq);
	free(ufl);
	free(rcg);
	free(rpc);
}

static int print_long(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct ctp_flat *fl[2];
	size_t n[2];
	struct blocks bs = { 0 };
	struct ctp_buf jb = CTP_BUF_INIT;
	bool cg = t->axis == CTP_AXIS_CGROUP && !t->threads, tree = t->axis == CTP_AXIS_ALL && !t->threads;
	n[0] = ctp_table_flat(t, CTP_CSEC_PRIMARY, &fl[0]);
	n[1] = ctp_table_flat(t, CTP_CSEC_DERIVED, &fl[1]);
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
			cgroup_blocks(&bs, t, fl[0], n[0], st->limit);
			continue;
		}
		struct block *b = block_new(&bs, t, k ? "## Derived metrics" : "## Primary metrics");
		b->more = n[k] - show;
		if (tree)
			tree_rows(b, t, fl[k], show, !k);
		else
			for (size_t i = 0; i < show; i++)
				long_row(&b->g, t, &fl[k][i], NULL);
	}
	size_t w[MAXCOLS] = { 0 };
	for (size_t i = 0; i < bs.n; i++)
		for (size_t c = 0; c < MAXCOLS; c++)
			w[c] = bs.v[i].g.w[c] > w[c] ? bs.v[i].g.w[c] : w[c];
	for (size_t i = 0; i < bs.n; i++) {
		struct block *b = &bs.v[i];
		memcpy(b->g.w, w, sizeof(w));
		if (i)
			fputc('\n', f);
		if (b->plain_title && st->color)
			fprintf(f, C_BOLD "\033[32m%s" C_RESET "\n", b->title);
		else
			fprintf(f, "%s\n", b->title);
		for (size_t r = 0; r < b->g.nrows; r++)
			grid_print_row(f, &b->g, r, st->color);
		if (b->more)
			fprintf(f, "... %zu more lines truncated (use --limit 0 for unlimited)\n", b->more);
		free(b->title);
		grid_release(&b->g);
	}
	free(bs.v);
	fwrite(jb.buf, 1, jb.len, f);
	free(fl[0]);
	free(fl[1]);
	ctp_buf_release(&jb);
	return 0;
}

static void print_orphans(FILE *f, const struct ctp_table *t, bool json, enum ctp_row_status st, const char *what,
			  const char *file)
{
	size_t n = 0;
	struct ctp_buf b = CTP_BUF_INIT;
	for (size_t i = 0; i < t->nview; i++)
		n += t->rows[t->view[i]].status == st;
	if (!n)
		return;
	if (!json)
		fprintf(f, "\n%zu group(s) only in %s%s%s%s:\n", n, what, file ? " (" : "", file ? file : "", file ? ")" : "");
	/* ktstr lists orphans sorted by key bytes */
	size_t *ix = ctp_xmalloc(n * sizeof(*ix)), k = 0;
	for (size_t i = 0; i < t->nview; i++)
		if (t->rows[t->view[i]].status == st)
			ix[k++] = t->view[i];
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const struct ctp_row *a = &t->rows[ix[j - 1]], *c = &t->rows[ix[j]];
			int r = memcmp(a->key, c->key, a->keylen < c->keylen ? a->keylen : c->keylen);
			if (r < 0 || (r == 0 && a->keylen <= c->keylen))
				break;
			size_t tmp = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++) {
		const struct ctp_row *r = &t->rows[ix[i]];
		if (json) {
			bool first = true;
			ctp_buf_addch(&b, '{');
			jstr(&b, &first, "table", st == CTP_ROW_GONE ? "only_baseline" : "only_candidate");
			jstr(&b, &first, "group", r->label);
			jnum(&b, &first, "threads", true, (double)(st == CTP_ROW_GONE ? r->nthreads_base : r->nthreads_live));
			ctp_buf_adds(&b, "}\n");
		} else {
			ctp_buf_adds(&b, "  ");
			ctp_sanitize_name(r->label, strlen(r->label), true, &b);
			ctp_buf_addch(&b, '\n');
		}
	}
	fwrite(b.buf, 1, b.len, f);
	ctp_buf_release(&b);
	free(ix);
}

/* ------------------------------------------------------- wide layout ---- */
static int print_wide(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct grid g = { 0 };
	struct ctp_buf jb = CTP_BUF_INIT;
	char a[CTP_FMT_MAX];
	size_t ncol = st->ncolumns > MAXCOLS - 2 ? MAXCOLS - 2 : st->ncolumns;
	grid_row(&g);
	grid_set(&g, 0, ctp_axis_header(t->axis), 2);
	grid_set(&g, 1, "threads", 2);
	for (size_t c = 0; c < ncol; c++)
		grid_set(&g, c + 2, ctp_cmetric((size_t)st->columns[c])->name, 2);
	size_t show = st->limit && t->nview > st->limit ? st->limit : t->nview;
	for (size_t i = 0; i < show; i++) {
		const struct ctp_row *r = &t->rows[t->view[i]];
		if (json) {
			bool first = true;
			ctp_buf_addch(&jb, '{');
			json_row_head(&jb, &first, t, r, "groups");
			for (size_t c = 0; c < ncol; c++) {
				const struct ctp_cell *cl = &r->cells[st->columns[c]];
				bool f2 = true;
				ctp_json_key(&jb, &first, ctp_cmetric((size_t)st->columns[c])->name);
				ctp_buf_addch(&jb, '{');
				jnum(&jb, &f2, "base", cl->base_ok, cl->base);
				jnum(&jb, &f2, "live", cl->live_ok, cl->live);
				jnum(&jb, &f2, "delta", cl->delta_ok, cl->delta);
				jnum(&jb, &f2, "pct", cl->pct_ok, cl->pct);
				ctp_buf_addch(&jb, '}');
			}
			ctp_buf_adds(&jb, "}\n");
			continue;
		}
		grid_row(&g);
		grid_set(&g, 0, t->threads ? r->key : r->label, 0);
		threads_text(t, r, a);
		grid_set(&g, 1, a, 0);
		for (size_t c = 0; c < ncol; c++) {
			size_t m = (size_t)st->columns[c];
			const struct ctp_cmetric *cm = ctp_cmetric(m);
			const struct ctp_cell *cl = &r->cells[m];
			if (cm->cat >= 0 || cm->rule == CTP_CR_DERIVED)
				grid_set(&g, c + 2, t->has_base ? ctp_cell_delta_text(r, m, a) : ctp_cell_value_text(r, m, 1, a),
					 tone_of(cl, false));
			else if (t->has_base)
				grid_set(&g, c + 2, cl->delta_ok ? ctp_fmt_compact(a, cl->delta, cm->ladder, true) : "-",
					 tone_of(cl, false));
			else
				grid_set(&g, c + 2, cl->live_ok ? ctp_fmt_compact(a, cl->live, cm->ladder, false) : "-", 0);
		}
	}
	if (!json)
		for (size_t r = 0; r < g.nrows; r++)
			grid_print_row(f, &g, r, st->color);
	fwrite(jb.buf, 1, jb.len, f);
	grid_release(&g);
	ctp_buf_release(&jb);
	return 0;
}

/* §5.6: the fudged cgroup pairs of the all axis */
static void print_fudges(FILE *f, const struct ctp_table *t, bool json, bool color)
{
	struct ctp_buf b = CTP_BUF_INIT;
	if (t->nfudges && !json)
		ctp_buf_addf(&b, "\n%s## Fudged cgroup matches (%zu pair(s))%s\n", color ? C_BOLD C_UP : "", t->nfudges,
			     color ? C_RESET : "");
	for (size_t i = 0; i < t->nfudges; i++) {
		const struct ctp_fudge *x = &t->fudges[i];
		if (json) {
			bool first = true;
			ctp_buf_addch(&b, '{');
			jstr(&b, &first, "table", "fudged");
			jstr(&b, &first, "base_prefix", x->base_prefix);
			jstr(&b, &first, "cand_prefix", x->cand_prefix);
			jstr(&b, &first, "base_root", x->base_root);
			jstr(&b, &first, "cand_root", x->cand_root);
			jnum(&b, &first, "overlap", true, (double)x->overlap);
			jnum(&b, &first, "jaccard", true, x->jaccard);
			jnum(&b, &first, "cascaded", true, (double)x->cascaded);
			jnum(&b, &first, "joined", true, (double)x->joined);
			jstr(&b, &first, "residual_base", x->resid_base);
			jstr(&b, &first, "residual_cand", x->resid_cand);
			ctp_buf_adds(&b, "}\n");
			continue;
		}
		ctp_buf_adds(&b, "  baseline:  ");
		ctp_sanitize_name(x->base_prefix, strlen(x->base_prefix), true, &b);
		ctp_buf_adds(&b, "\n  candidate: ");
		ctp_sanitize_name(x->cand_prefix, strlen(x->cand_prefix), true, &b);
		ctp_buf_addch(&b, '\n');
		if (x->cascaded) {
			ctp_buf_adds(&b, "  cascade roots: baseline=");
			ctp_sanitize_name(x->base_root, strlen(x->base_root), true, &b);
			ctp_buf_adds(&b, " candidate=");
			ctp_sanitize_name(x->cand_root, strlen(x->cand_root), true, &b);
			ctp_buf_addch(&b, '\n');
		}
		ctp_buf_addf(&b, "  overlap: %zu thread types, Jaccard: %.1f%%, cascaded children: %zu\n", x->overlap,
			     x->jaccard * 100.0, x->cascaded);
		if (*x->resid_base) {
			ctp_buf_adds(&b, "  residual (baseline only): ");
			ctp_sanitize_name(x->resid_base, strlen(x->resid_base), true, &b);
			ctp_buf_addch(&b, '\n');
		}
		if (*x->resid_cand) {
			ctp_buf_adds(&b, "  residual (candidate only): ");
			ctp_sanitize_name(x->resid_cand, strlen(x->resid_cand), true, &b);
			ctp_buf_addch(&b, '\n');
		}
	}
	fwrite(b.buf, 1, b.len, f);
	ctp_buf_release(&b);
}

int ctp_batch_print_table(FILE *f, const struct ctp_table *t, bool json, const struct ctp_batch_style *st)
{
	struct ctp_batch_style def = { 0 };
	if (!st)
		st = &def;
	int rc = st->columns ? print_wide(f, t, json, st) : print_long(f, t, json, st);
	if (!st->columns && t->has_base) {
		print_fudges(f, t, json, st->color);
		print_orphans(f, t, json, CTP_ROW_GONE, "baseline", NULL);
		print_orphans(f, t, json, CTP_ROW_NEW, "candidate", NULL);
	}
	return rc < 0 || ferror(f) ? -1 : 0;
}

int ctp_batch_print_sections(FILE *f, const struct ctp_sections *s, bool json, const struct ctp_batch_style *st)
{
	struct ctp_buf jb = CTP_BUF_INIT;
	for (size_t i = 0; i < s->n;) {
		const char *sec = s->v[i].section;
		size_t j = i;
		while (j < s->n && !strcmp(s->v[j].section, sec))
			j++;
		struct grid g = { 0 };
		if (!json) {
			grid_row(&g);
			grid_set(&g, 0, "group", 2);
			grid_set(&g, 1, "name", 2);
			grid_set(&g, 2, "value", 2);
			if (s->has_base)
				grid_set(&g, 3, "delta", 2);
		}
		for (size_t k = i; k < j && (!st || !st->limit || k - i < st->limit); k++) {
			const struct ctp_srow *r = &s->v[k];
			char a[CTP_FMT_MAX], b[CTP_FMT_MAX], v[2 * CTP_FMT_MAX + 8];
			const char *bt = r->base_text ? r->base_text : r->base_ok ? ctp_fmt_value(a, r->base, r->ladder) : "-";
			const char *lt = r->live_text ? r->live_text : r->live_ok ? ctp_fmt_value(b, r->live, r->ladder) : "-";
			if (json) {
				bool first = true;
				ctp_buf_addch(&jb, '{');
				jstr(&jb, &first, "table", "section");
				jstr(&jb, &first, "section", r->section);
				jstr(&jb, &first, "group", r->group);
				jstr(&jb, &first, "name", r->name);
				jnum(&jb, &first, "base", r->base_ok, r->base);
				jnum(&jb, &first, "live", r->live_ok, r->live);
				jstr(&jb, &first, "base_text", r->base_text);
				jstr(&jb, &first, "live_text", r->live_text);
				ctp_buf_adds(&jb, "}\n");
				continue;
			}
			grid_row(&g);
			grid_set(&g, 0, r->group, 0);
			grid_set(&g, 1, r->name, 0);
			if (!s->has_base) {
				grid_set(&g, 2, lt, 0);
				continue;
			}
			snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s", bt, lt);
			grid_set(&g, 2, v, 0);
			struct ctp_cell c = { .delta = r->live - r->base, .delta_ok = r->base_ok && r->live_ok };
			if (c.delta_ok && r->base_text && r->live_text) /* PSI averages: percent points */
				snprintf(a, sizeof(a), "%+.2f%%", c.delta);
			grid_set(&g, 3, !c.delta_ok ? "-" : r->base_text ? a : ctp_fmt_delta(a, c.delta, r->ladder),
				 tone_of(&c, false));
		}
		if (!json) {
			fprintf(f, "\n## %s\n", sec);
			for (size_t r = 0; r < g.nrows; r++)
				grid_print_row(f, &g, r, st && st->color);
		}
		grid_release(&g);
		i = j;
	}
	fwrite(jb.buf, 1, jb.len, f);
	ctp_buf_release(&jb);
	return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------ entry points ---- */
static int bad(const struct ctp_err *err)
{
	char msg[600];
	fprintf(stderr, "%s\n", ctp_err_str(err, msg, sizeof(msg)));
	return 2;
}

static int parse_opts(const struct ctp_options *o, struct ctp_compare_opts *co, struct ctp_err *err)
{
	ctp_compare_opts_init(co);
	if (o->group_by && ctp_axis_parse(o->group_by, &co->axis, err) < 0)
		return -1;
	if (ctp_sort_parse(o->sort_by, &co->sort, err) < 0)
		return -1;
	co->filter = o->filter;
	co->flatten = o->cgroup_flatten;
	co->no_thread_normalize = o->no_thread_normalize;
	co->no_cg_normalize = o->no_cg_normalize;
	co->no_fudge = o->no_fudge;
	return 0;
}

static int run(const struct ctp_options *o, const char *fa, const char *fb)
{
	struct ctp_compare_opts co;
	struct ctp_err err = { 0 };
	struct ctp_snapshot *a = NULL, *b = NULL;
	struct ctp_table *t = NULL;
	struct ctp_sections sec = { 0 };
	int rc = 2;
	if (parse_opts(o, &co, &err) < 0) /* parse errors surface before I/O */
		return bad(&err);
	if (ctp_snapfile_load_pair(fa, &a, fb, &b, &err) < 0)
		goto out;
	if (!(t = ctp_compare(a, b, &co, &err)) || ctp_sections_build(a, b, &co, true, &sec, &err) < 0)
		goto out;
	struct ctp_batch_style st = { .color = !o->json && ctp_batch_want_color(stdout, o->no_color),
				      .limit = o->limit > 0 ? (size_t)o->limit : 0 };
	rc = ctp_batch_print_table(stdout, t, o->json, &st) < 0 ? 1 : 0;
	if (!rc && ctp_batch_print_sections(stdout, &sec, o->json, &st) < 0)
		rc = 1;
	if (fflush(stdout))
		rc = 1;
out:
	if (rc == 2)
		bad(&err);
	ctp_sections_release(&sec);
	ctp_table_free(t);
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
	return rc;
}

int ctp_batch_compare(const struct ctp_options *o)
{
	return run(o, o->compare_a, o->compare_b);
}

int ctp_batch_show(const struct ctp_options *o)
{
	return run(o, NULL, o->show);
}
