/* snapfile.h — the .ctprof.zst file: one zstd frame of compact JSON in ktstr's exact key order
 * (schema_write.c / schema_read.c, keys from the tables; snapfile.c the file). Loading is strict
 * (types, ranges, required keys, duplicate keys, 256 MiB bomb guard) and reports one error naming
 * the file and JSON path; saving is atomic (temp, fsync, rename). */
#ifndef CTP_SNAPFILE_H
#define CTP_SNAPFILE_H

#include <stddef.h>

#include "snapshot/model.h"
#include "base/util.h"

#define CTP_SNAPFILE_MAX_JSON (256u * 1024 * 1024) /* decompressed cap, inclusive */

/* compact JSON of s appended to out (ktstr's byte layout; our extension keys only when known) */
void ctp_snapshot_to_json(const struct ctp_snapshot *s, struct ctp_buf *out);
/* parses JSON text; on error err->where is the JSON path, e.g. "threads[3].nice" */
int ctp_snapshot_from_json(const char *json, size_t len, struct ctp_snapshot **out, struct ctp_err *err);

/* path "-" means stdin / stdout. On error err->where is "<file>: <json path>" or the file */
int ctp_snapfile_load(const char *path, struct ctp_snapshot **out, struct ctp_err *err);
int ctp_snapfile_load_mem(const char *name, const void *data, size_t len, struct ctp_snapshot **out, struct ctp_err *err);
/* loads two files at once (one on a helper thread; sequential when either is "-"). path_a may be
 * NULL (then *a = NULL). On failure both outputs are NULL and err describes the first bad file
 * in argument order. */
int ctp_snapfile_load_pair(const char *path_a, struct ctp_snapshot **a, const char *path_b, struct ctp_snapshot **b,
			   struct ctp_err *err);
/* writes through ctp_save_file (atomic replace of a regular file; FIFOs, character devices and
 * /dev/stdout-like paths written through; symlinks, directories, sockets refused); "-" is
 * stdout. *size_out (may be NULL) gets the compressed size. _save uses CTP_FILE_MODE_DEFAULT
 * (0600 as root); _save_mode takes a ctp_save_file mode (e.g. --mode). */
int ctp_snapfile_save(const char *path, const struct ctp_snapshot *s, size_t *size_out, struct ctp_err *err);
int ctp_snapfile_save_mode(const char *path, const struct ctp_snapshot *s, int mode, size_t *size_out,
			   struct ctp_err *err);

/* a snapshot kept in memory, compressed (pack.c): the live view's first sample and its history.
 * The threads go field by field in the registry's order as raw binary (fast: no text), the rest
 * of the snapshot as its JSON; zstd level 1 over both (~30 bytes a thread on an idle host
 * instead of ~750). What a file does not hold (monotonic capture time, the sources read) is
 * kept beside it and restored by unpack. */
struct ctp_packed {
	struct ctp_buf z;           /* CTP_BUF_INIT = empty */
	size_t raw_len;             /* bytes before compression */
	uint64_t captured_mono_ns;
	uint32_t sources_read;
	size_t nthreads;
};
#define CTP_PACKED_INIT { CTP_BUF_INIT, 0, 0, 0, 0 }
int ctp_snapshot_pack(const struct ctp_snapshot *s, struct ctp_packed *out, struct ctp_err *err);
int ctp_snapshot_unpack(const struct ctp_packed *p, struct ctp_snapshot **out, struct ctp_err *err);
void ctp_packed_release(struct ctp_packed *p); /* frees the bytes; p is empty after */

/* A snapshot's threads kept slim between uses (the live view's previous sample): raw columns in
 * registry order, a numeric column equal in every thread stored once. A tiered sample's threads
 * take ~1/3 of their array; ~0.2 ms each way at 2,000 threads. While slim, threads is NULL and
 * nthreads 0 (a reader that forgot to fatten sees no threads, never freed memory). Both are
 * no-ops when already so. */
void ctp_snapshot_slim(struct ctp_snapshot *s);
void ctp_snapshot_fatten(struct ctp_snapshot *s);

#endif
