/* pack.c — a snapshot compressed in memory (snapfile.h, struct ctp_packed): the threads column by
 * column in the registry's field order as raw values (strings length-prefixed), the rest as the
 * snapshot's JSON with no threads, zstd level 1 over both. Packing a 2,000-thread sample costs a
 * few ms where its JSON costs tens. Memory only: never a file format. */
#include "snapshot/snapfile.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "snapshot/registry.h"

#define NO_STRING UINT32_MAX

/* a pack in progress: raw bytes are staged (64 KiB) and streamed through zstd into z */
struct packer {
	ZSTD_CCtx *cc;
	struct ctp_buf stage, *z;
	size_t raw_len;
	bool failed;
};
#define STAGE_SIZE (64 * 1024)

/* a 128 KiB window: the kept context's pages stay ~0.3 MB at any thread count (level 1's own
 * 512 KiB window grew them to ~1 MB at 2,000 threads); a column's rows repeat within it */
#define PACK_WINDOW_LOG 17
/* kept between packs (one packer at a time; another one meanwhile makes its own): a fresh zstd
 * context costs ~0.5 MB of new pages each time, and the live view packs every refresh */
static pthread_mutex_t keep_lock = PTHREAD_MUTEX_INITIALIZER;
static ZSTD_CCtx *kept_cctx;

/* streams what is staged into z; end: finishes the frame */
static void pk_flush(struct packer *pk, bool end)
{
	ZSTD_inBuffer in = { pk->stage.buf, pk->stage.len, 0 };
	ZSTD_EndDirective how = end ? ZSTD_e_end : ZSTD_e_continue;
	for (;;) {
		ctp_buf_grow(pk->z, ZSTD_CStreamOutSize());
		ZSTD_outBuffer ob = { pk->z->buf, pk->z->alloc - 1, pk->z->len };
		size_t left = ZSTD_compressStream2(pk->cc, &ob, &in, how);
		pk->z->len = ob.pos;
		if (ZSTD_isError(left)) {
			pk->failed = true;
			break;
		}
		if (end ? left == 0 : in.pos == in.size)
			break;
	}
	pk->raw_len += pk->stage.len;
	ctp_buf_reset(&pk->stage);
}

static void pk_add(struct packer *pk, const void *p, size_t n)
{
	if (n)
		ctp_buf_add(pk->cc ? &pk->stage : pk->z, p, n); /* no zstd: a slim snapshot's raw columns */
	if (!pk->cc)
		return;
	if (pk->stage.len >= STAGE_SIZE)
		pk_flush(pk, false);
}

static void pk_put32(struct packer *pk, uint32_t v)
{
	pk_add(pk, &v, sizeof(v));
}

/* bytes a field takes in every thread alike; 0 for strings, CPU sets and maps */
static size_t fixed_width(const struct ctp_metric *m)
{
	switch (m->kind) {
	case CTP_KIND_U64: return 8;
	case CTP_KIND_U32: case CTP_KIND_I32: case CTP_KIND_CHAR: return 4;
	case CTP_KIND_BOOL: return 1;
	default: return 0;
	}
}

/* one field of one thread, raw */
static void put_field(struct packer *pk, const struct ctp_metric *m, const void *p)
{
	size_t w = fixed_width(m);
	if (w) {
		pk_add(pk, p, w);
		return;
	}
	switch (m->kind) {
	case CTP_KIND_STR: {
		const char *str = *(char *const *)p;
		size_t n = str ? strlen(str) : 0;
		pk_put32(pk, str ? (uint32_t)n : NO_STRING);
		pk_add(pk, str, n);
		break;
	}
	case CTP_KIND_CPUSET: {
		const struct ctp_cpuset *c = p;
		pk_put32(pk, (uint32_t)c->n);
		pk_add(pk, c->cpus, c->n * sizeof(*c->cpus));
		break;
	}
	case CTP_KIND_KVMAP: {
		const struct ctp_kvmap *k = p;
		pk_put32(pk, (uint32_t)k->n);
		for (size_t i = 0; i < k->n; i++) {
			pk_put32(pk, (uint32_t)strlen(k->v[i].key));
			pk_add(pk, k->v[i].key, strlen(k->v[i].key));
			pk_add(pk, &k->v[i].val, 8);
		}
		break;
	}
	default: break;
	}
}

/* the JSON of the rest (its length first), then the threads column by column */
static void pack_image(struct packer *pk, const struct ctp_snapshot *s)
{
	struct ctp_snapshot rest = *s;
	rest.nthreads = 0;
	struct ctp_buf json = CTP_BUF_INIT;
	ctp_snapshot_to_json(&rest, &json);
	pk_put32(pk, (uint32_t)json.len);
	pk_add(pk, json.buf, json.len);
	ctp_buf_release(&json);
	for (size_t f = 0; f < CTP_NFIELDS; f++)
		for (size_t i = 0; i < s->nthreads; i++)
			put_field(pk, &ctp_fields[f], (const char *)&s->threads[i] + ctp_fields[f].offset);
	pk_flush(pk, true);
}

int ctp_snapshot_pack(const struct ctp_snapshot *s, struct ctp_packed *out, struct ctp_err *err)
{
	ctp_packed_release(out);
	bool kept = pthread_mutex_trylock(&keep_lock) == 0;
	struct packer pk = { .cc = kept && kept_cctx ? kept_cctx : ZSTD_createCCtx(), .z = &out->z };
	if (kept)
		kept_cctx = pk.cc;
	ctp_buf_init(&pk.stage, STAGE_SIZE + 64);
	if (pk.cc) {
		ZSTD_CCtx_reset(pk.cc, ZSTD_reset_session_and_parameters);
		ZSTD_CCtx_setParameter(pk.cc, ZSTD_c_compressionLevel, 1);
		ZSTD_CCtx_setParameter(pk.cc, ZSTD_c_windowLog, PACK_WINDOW_LOG);
		pack_image(&pk, s);
	}
	ctp_buf_release(&pk.stage);
	if (kept)
		pthread_mutex_unlock(&keep_lock);
	else
		ZSTD_freeCCtx(pk.cc);
	if (!pk.cc || pk.failed) {
		ctp_packed_release(out);
		return ctp_err_set(err, CTP_E_FORMAT, 0, "packed snapshot", "zstd compression failed");
	}
	out->raw_len = pk.raw_len;
	ctp_buf_shrink(&out->z);
	out->captured_mono_ns = s->captured_mono_ns;
	out->sources_read = s->sources_read;
	out->nthreads = s->nthreads;
	return 0;
}

/* reads n bytes at *at of raw (len); false past the end */
static bool take(const char *raw, size_t len, size_t *at, void *dst, size_t n)
{
	if (n > len - *at)
		return false;
	memcpy(dst, raw + *at, n);
	*at += n;
	return true;
}

static char *take_str(const char *raw, size_t len, size_t *at, uint32_t n)
{
	if (n > len - *at)
		return NULL;
	char *str = ctp_xstrndup(raw + *at, n);
	*at += n;
	return str;
}

static bool get_field(const char *raw, size_t len, size_t *at, const struct ctp_metric *m, void *p)
{
	uint32_t n;
	size_t w = fixed_width(m);
	if (w)
		return take(raw, len, at, p, w);
	switch (m->kind) {
	case CTP_KIND_STR:
		free(*(char **)p);
		*(char **)p = NULL;
		if (!take(raw, len, at, &n, 4))
			return false;
		return n == NO_STRING || (*(char **)p = take_str(raw, len, at, n)) != NULL;
	case CTP_KIND_CPUSET: {
		if (!take(raw, len, at, &n, 4) || n > (len - *at) / 4)
			return false;
		uint32_t *cpus = ctp_xmalloc((size_t)n * 4 + 4); /* aligned: raw is not */
		take(raw, len, at, cpus, (size_t)n * 4);
		ctp_cpuset_set(p, cpus, n);
		free(cpus);
		return true;
	}
	case CTP_KIND_KVMAP: {
		uint32_t cnt, klen;
		uint64_t v;
		if (!take(raw, len, at, &cnt, 4))
			return false;
		for (uint32_t i = 0; i < cnt; i++) {
			char *key;
			if (!take(raw, len, at, &klen, 4) || !(key = take_str(raw, len, at, klen)))
				return false;
			if (!take(raw, len, at, &v, 8)) {
				free(key);
				return false;
			}
			ctp_kvmap_set(p, key, v);
			free(key);
		}
		return true;
	}
	default: return false;
	}
}

/* the threads of raw[at..len) into s (n of them, columns in registry order) */
static bool get_threads(const char *raw, size_t len, size_t at, struct ctp_snapshot *s, size_t n)
{
	ctp_snapshot_reserve_threads(s, n);
	for (size_t i = 0; i < n; i++)
		ctp_snapshot_add_thread(s);
	for (size_t f = 0; f < CTP_NFIELDS; f++)
		for (size_t i = 0; i < n; i++)
			if (!get_field(raw, len, &at, &ctp_fields[f], (char *)&s->threads[i] + ctp_fields[f].offset))
				return false;
	return at == len;
}

int ctp_snapshot_unpack(const struct ctp_packed *p, struct ctp_snapshot **out, struct ctp_err *err)
{
	*out = NULL;
	char *raw = ctp_xmalloc(p->raw_len + 1);
	size_t n = ZSTD_decompress(raw, p->raw_len, p->z.buf, p->z.len);
	uint32_t jlen = 0;
	int rc = -1;
	if (ZSTD_isError(n) || n != p->raw_len || n < 4) {
		ctp_err_set(err, CTP_E_FORMAT, 0, "packed snapshot", "corrupt");
		goto done;
	}
	memcpy(&jlen, raw, 4);
	if (jlen > n - 4 || ctp_snapshot_from_json(raw + 4, jlen, out, err) < 0)
		goto done;
	if (!get_threads(raw, n, 4 + (size_t)jlen, *out, p->nthreads)) {
		ctp_snapshot_free(*out);
		*out = NULL;
		ctp_err_set(err, CTP_E_FORMAT, 0, "packed snapshot", "corrupt thread data");
		goto done;
	}
	(*out)->captured_mono_ns = p->captured_mono_ns;
	(*out)->sources_read = p->sources_read;
	rc = 0;
done:
	free(raw);
	return rc;
}

void ctp_packed_release(struct ctp_packed *p)
{
	ctp_buf_release(&p->z);
	p->raw_len = 0;
	p->captured_mono_ns = 0;
	p->sources_read = 0;
	p->nthreads = 0;
}

/* ---- slim threads ---- */

/* the field's value in thread i as an integer of its width */
static inline uint64_t fixed_at(const struct ctp_snapshot *s, size_t i, size_t off, size_t w)
{
	const char *p = (const char *)&s->threads[i] + off;
	uint64_t v8;
	uint32_t v4;
	switch (w) {
	case 8: memcpy(&v8, p, 8); return v8;
	case 4: memcpy(&v4, p, 4); return v4;
	default: return (unsigned char)*p;
	}
}

/* the field has the same value in every thread (a source the plan did not read, a gated-off one) */
static bool column_constant(const struct ctp_snapshot *s, size_t off, size_t w)
{
	uint64_t first = fixed_at(s, 0, off, w);
	for (size_t i = 1; i < s->nthreads; i++)
		if (fixed_at(s, i, off, w) != first)
			return false;
	return true;
}

/* a fixed-width column, every thread's value in a row */
static void put_column(struct ctp_buf *b, const struct ctp_snapshot *s, size_t off, size_t w)
{
	ctp_buf_grow(b, s->nthreads * w);
	char *dst = b->buf + b->len;
	for (size_t i = 0; i < s->nthreads; i++, dst += w)
		memcpy(dst, (const char *)&s->threads[i] + off, w);
	b->len += s->nthreads * w;
}

void ctp_snapshot_slim(struct ctp_snapshot *s)
{
	if (s->slim || !s->nthreads)
		return;
	struct ctp_buf out = CTP_BUF_INIT;
	struct packer pk = { .cc = NULL, .z = &out };
	ctp_buf_grow(&out, s->nthreads * 64); /* a tiered sample's varying columns, about */
	for (size_t f = 0; f < CTP_NFIELDS; f++) {
		const struct ctp_metric *m = &ctp_fields[f];
		size_t w = fixed_width(m);
		uint8_t once = w && column_constant(s, m->offset, w);
		pk_add(&pk, &once, 1);
		if (once)
			pk_add(&pk, (const char *)s->threads + m->offset, w);
		else if (w)
			put_column(&out, s, m->offset, w);
		else
			for (size_t i = 0; i < s->nthreads; i++)
				put_field(&pk, m, (const char *)&s->threads[i] + m->offset);
	}
	ctp_buf_shrink(&out);
	struct ctp_slim *sl = ctp_xmalloc(sizeof(*sl));
	sl->raw = out.buf;
	sl->len = out.len;
	sl->nthreads = s->nthreads;
	ctp_snapshot_drop_threads(s);
	s->slim = sl;
}

void ctp_snapshot_fatten(struct ctp_snapshot *s)
{
	struct ctp_slim *sl = s->slim;
	if (!sl)
		return;
	s->slim = NULL;
	size_t n = sl->nthreads, at = 0;
	ctp_snapshot_reserve_threads(s, n);
	for (size_t i = 0; i < n; i++)
		ctp_snapshot_add_thread_blank(s);
	bool ok = true;
	for (size_t f = 0; f < CTP_NFIELDS && ok; f++) {
		const struct ctp_metric *m = &ctp_fields[f];
		uint8_t once = 0;
		ok = take(sl->raw, sl->len, &at, &once, 1);
		for (size_t i = 0; ok && i < (once ? 1 : n); i++)
			ok = get_field(sl->raw, sl->len, &at, m, (char *)&s->threads[i] + m->offset);
		for (size_t i = 1; ok && once && i < n; i++)
			memcpy((char *)&s->threads[i] + m->offset, (char *)s->threads + m->offset, fixed_width(m));
	}
	free(sl->raw);
	free(sl);
}
