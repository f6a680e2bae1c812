/* snapfile.c — the .ctprof.zst file: zstd framing with the 256 MiB bomb guard and the magic
 * check, loading one or two files (the second on a thread), and atomic saves through base/
 * (temp file in the same directory, fsync, rename). The JSON is schema_write.c / schema_read.c. */
#include "snapshot/snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_stableOutBuffer */
#include <zstd.h>
#include <zstd_errors.h>

/* a zstd frame, or a skippable frame, starts here */
static bool zstd_magic(const void *p, size_t len)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	const unsigned char *s = p;
	return len >= 4 && (!memcmp(s, magic, 4) || ((s[0] & 0xf0) == 0x50 && s[1] == 0x2a && s[2] == 0x4d && s[3] == 0x18));
}

/* the whole of fd, at most cap bytes; the zstd magic is checked as soon as 4 bytes are in, so
 * an endless or huge non-snapshot stream fails at once */
static int read_all_fd(int fd, struct ctp_buf *out, size_t cap, const char *name, struct ctp_err *err)
{
	if (ctp_read_fd(fd, out, 4, cap, name, err))
		return -1;
	if (out->len >= 4 && !zstd_magic(out->buf, out->len))
		return ctp_err_set(err, CTP_E_FORMAT, 0, name, "not a zstd-compressed snapshot (bad magic)");
	return ctp_read_fd(fd, out, SIZE_MAX, cap, name, err);
}

/* the decompressed JSON: an address-space reservation of cap+1 bytes that is never moved or
 * copied (pages are touched only as zstd writes them), so the decoder writes in place */
struct json_area {
	char *p;
	size_t len, maplen;
};

static void json_area_release(struct json_area *a)
{
	if (a->p)
		munmap(a->p, a->maplen);
	a->p = NULL;
}

/* decompresses every frame of src with the inclusive CTP_SNAPFILE_MAX_JSON cap */
static int decompress(const char *name, const void *src, size_t len, struct json_area *out, struct ctp_err *err)
{
	if (!zstd_magic(src, len))
		return ctp_err_set(err, CTP_E_FORMAT, 0, name, "not a zstd-compressed snapshot (bad magic)");
	out->maplen = (size_t)CTP_SNAPFILE_MAX_JSON + 2; /* cap + 1 to detect overflow, + NUL */
	out->p = mmap(NULL, out->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (out->p == MAP_FAILED) {
		out->p = NULL;
		return ctp_err_set(err, CTP_E_FORMAT, errno, name, "cannot reserve memory: %s", strerror(errno));
	}
	madvise(out->p, out->maplen, MADV_HUGEPAGE); /* a 20 MB document faults in 10 pages, not 5000 */
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds)
		return ctp_err_set(err, CTP_E_FORMAT, ENOMEM, name, "cannot create zstd stream");
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, 27);
	ZSTD_DCtx_setParameter(ds, ZSTD_d_stableOutBuffer, 1); /* optional: saves a copy when supported */
	ZSTD_inBuffer in = { src, len, 0 };
	ZSTD_outBuffer ob = { out->p, (size_t)CTP_SNAPFILE_MAX_JSON + 1, 0 };
	size_t ret = 0;
	int rc = 0;
	while (in.pos < in.size || ret != 0) {
		size_t before_in = in.pos, before_out = ob.pos;
		ret = ZSTD_decompressStream(ds, &ob, &in);
		/* the stable output buffer ends at cap + 1: "too small" means more JSON than the cap */
		if (ZSTD_isError(ret) && ZSTD_getErrorCode(ret) != ZSTD_error_dstSize_tooSmall) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "corrupt zstd data: %s", ZSTD_getErrorName(ret));
			break;
		}
		if (ZSTD_isError(ret) || ob.pos > CTP_SNAPFILE_MAX_JSON) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "decompression-bomb guard: more than %u bytes of JSON",
					 CTP_SNAPFILE_MAX_JSON);
			break;
		}
		if (ret != 0 && in.pos == in.size && before_in == in.pos && before_out == ob.pos) {
			rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "truncated zstd frame");
			break;
		}
	}
	ZSTD_freeDStream(ds);
	out->len = ob.pos;
	out->p[out->len] = 0;
	return rc;
}

int ctp_snapfile_load_mem(const char *name, const void *data, size_t len, struct ctp_snapshot **out, struct ctp_err *err)
{
	struct json_area json = { 0 };
	*out = NULL;
	int rc = decompress(name, data, len, &json, err);
	if (!rc) {
		rc = ctp_snapshot_from_json(json.p, json.len, out, err);
		if (rc && err) {
			char where[sizeof(err->where)];
			snprintf(where, sizeof(where), "%s%s%s", name, err->where[0] ? ": " : "", err->where);
			memcpy(err->where, where, sizeof(where));
		}
	}
	json_area_release(&json);
	return rc;
}

int ctp_snapfile_load(const char *path, struct ctp_snapshot **out, struct ctp_err *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	*out = NULL;
	struct stat st = { 0 };
	/* a FIFO without a writer or a device (/dev/zero) is refused before any read; stdin is
	 * whatever the caller gave us, checked by its magic */
	int fd = is_stdin ? 0 : ctp_open_regular(path, 0, CTP_SNAPFILE_MAX_JSON, &st, err);
	if (fd < 0)
		return -1;
	struct ctp_buf raw = CTP_BUF_INIT;
	if (!is_stdin && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= CTP_SNAPFILE_MAX_JSON)
		ctp_buf_grow(&raw, (size_t)st.st_size + 1);
	/* a compressed file can never usefully be larger than the JSON cap */
	int rc = read_all_fd(fd, &raw, CTP_SNAPFILE_MAX_JSON, name, err);
	if (!is_stdin)
		close(fd);
	if (!rc && raw.len == 0)
		rc = ctp_err_set(err, CTP_E_FORMAT, 0, name, "empty file");
	if (!rc)
		rc = ctp_snapfile_load_mem(name, raw.buf, raw.len, out, err);
	ctp_buf_release(&raw);
	return rc;
}

struct load_job {
	const char *path;
	struct ctp_snapshot *out;
	struct ctp_err err;
	int rc;
};

static void *load_job_run(void *arg)
{
	struct load_job *j = arg;
	j->rc = ctp_snapfile_load(j->path, &j->out, &j->err);
	return NULL;
}

int ctp_snapfile_load_pair(const char *path_a, struct ctp_snapshot **a, const char *path_b, struct ctp_snapshot **b,
			   struct ctp_err *err)
{
	struct load_job ja = { .path = path_a }, jb = { .path = path_b };
	pthread_t th;
	bool threaded = path_a && strcmp(path_a, "-") && strcmp(path_b, "-") &&
			pthread_create(&th, NULL, load_job_run, &jb) == 0;
	if (path_a)
		load_job_run(&ja);
	if (threaded)
		pthread_join(th, NULL);
	else
		load_job_run(&jb);
	*a = ja.out;
	*b = jb.out;
	if (!ja.rc && !jb.rc)
		return 0;
	if (err)
		*err = ja.rc ? ja.err : jb.err;
	ctp_snapshot_free(*a);
	ctp_snapshot_free(*b);
	*a = *b = NULL;
	return -1;
}

static int compress_snapshot(const struct ctp_snapshot *s, int level, struct ctp_buf *out, const char *name,
			     struct ctp_err *err)
{
	struct ctp_buf json = CTP_BUF_INIT;
	ctp_snapshot_to_json(s, &json);
	size_t bound = ZSTD_compressBound(json.len);
	ctp_buf_grow(out, bound);
	/* files: level 3 like ktstr; a content checksum makes bit rot a clear error (the reference
	 * decoder verifies it) */
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t n = cc ? ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, level) : (size_t)-1;
	if (cc && !ZSTD_isError(n))
		n = ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	if (cc && !ZSTD_isError(n))
		n = ZSTD_compress2(cc, out->buf, bound, json.buf, json.len);
	ZSTD_freeCCtx(cc);
	ctp_buf_release(&json);
	if (ZSTD_isError(n))
		return ctp_err_set(err, CTP_E_FORMAT, 0, name, "zstd compression failed: %s", ZSTD_getErrorName(n));
	out->len = n;
	return 0;
}

int ctp_snapfile_save(const char *path, const struct ctp_snapshot *s, size_t *size_out, struct ctp_err *err)
{
	return ctp_snapfile_save_mode(path, s, CTP_FILE_MODE_DEFAULT, size_out, err);
}

int ctp_snapfile_save_mode(const char *path, const struct ctp_snapshot *s, int mode, size_t *size_out,
			   struct ctp_err *err)
{
	struct ctp_buf z = CTP_BUF_INIT;
	int rc = compress_snapshot(s, 3, &z, path, err);
	if (!rc) {
		if (!strcmp(path, "-")) {
			rc = ctp_write_all(1, z.buf, z.len);
			if (rc)
				ctp_err_set(err, CTP_E_IO, errno, "<stdout>", "write failed: %s", strerror(errno));
		} else {
			rc = ctp_save_file(path, z.buf, z.len, mode, err);
		}
	}
	if (!rc && size_out)
		*size_out = z.len;
	ctp_buf_release(&z);
	return rc;
}
