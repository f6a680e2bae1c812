/* util.h — small shared helpers of the engine: growable strings (ctp_buf), error reports
 * (ctp_err), allocation that aborts on OOM (util.c); strict Rust-compatible number parsing,
 * trimming, tokens, lines and UTF-8 checks (strscan.c); checked opens and saves (files.c).
 * Everything else in src/ uses these instead of ad-hoc copies. */
#ifndef CTP_UTIL_H
#define CTP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* ---- allocation: abort on OOM after running the hook ui/ installs (restores the tty) ---- */
void *ctp_xmalloc(size_t n);
void *ctp_xcalloc(size_t n, size_t size);
void *ctp_xrealloc(void *p, size_t n);
char *ctp_xstrdup(const char *s);
/* exactly the n bytes at s (NUL bytes included) plus a terminating NUL */
char *ctp_xstrndup(const char *s, size_t n);
void ctp_set_oom_hook(void (*hook)(void));

/* ---- ctp_buf: NUL-terminated growable byte string (after git's strbuf) ----
 * Invariant: buf is never NULL after init (points at a static "" until first growth). */
struct ctp_buf {
	size_t len, alloc;
	char *buf;
};
extern char ctp_buf_empty[];
#define CTP_BUF_INIT { 0, 0, ctp_buf_empty }
void ctp_buf_init(struct ctp_buf *b, size_t hint);
void ctp_buf_grow(struct ctp_buf *b, size_t extra);
void ctp_buf_add(struct ctp_buf *b, const void *data, size_t n);
void ctp_buf_adds(struct ctp_buf *b, const char *s);
void ctp_buf_addch(struct ctp_buf *b, int c);
void ctp_buf_addf(struct ctp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctp_buf_vaddf(struct ctp_buf *b, const char *fmt, va_list ap);
void ctp_buf_reset(struct ctp_buf *b);
/* gives back the room beyond len (a buffer kept long after it was filled) */
void ctp_buf_shrink(struct ctp_buf *b);
/* caller frees the returned string; b is left empty */
char *ctp_buf_detach(struct ctp_buf *b, size_t *len);
void ctp_buf_release(struct ctp_buf *b);

/* ---- errors: filled by callee, read by caller; every function taking one accepts NULL ---- */
enum ctp_err_code {
	CTP_OK = 0,
	CTP_E_IO,      /* open/read/write failed: sys_errno set */
	CTP_E_FORMAT,  /* bad container (not zstd, truncated, too big) */
	CTP_E_JSON,    /* JSON syntax or schema problem: where = JSON path */
	CTP_E_RANGE,   /* value out of range for its type */
	CTP_E_NOSYS,   /* facility missing in this kernel / build */
	CTP_E_PERM,    /* not permitted */
	CTP_E_ARG,     /* bad argument from the caller */
};
struct ctp_err {
	int code;
	int sys_errno;
	char where[256]; /* file path or JSON path */
	char msg[2048];  /* lower case, no full stop (long enough for --sort-by's list of names) */
};
/* records the error (if err != NULL) and returns -1 so callers can `return ctp_err_set(...)` */
int ctp_err_set(struct ctp_err *err, int code, int sys_errno, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "where: msg" or "msg" — one line, for printing: control characters (C0, DEL, C1), invalid
 * UTF-8 and bidi overrides in either are escaped as \xNN (paths and names are hostile; text.c) */
const char *ctp_err_str(const struct ctp_err *err, char *out, size_t outlen);

/* ---- text scanning (strscan.c) ----
 * strict number parsing (Rust str::parse semantics): whole token, optional '+',
 * no whitespace, no trailing junk, range checked. Return true on success. ---- */
bool ctp_parse_u64(const char *s, size_t n, uint64_t *out);
bool ctp_parse_u32(const char *s, size_t n, uint32_t *out);
bool ctp_parse_i32(const char *s, size_t n, int32_t *out);
bool ctp_parse_i64(const char *s, size_t n, int64_t *out);

/* ---- text helpers ---- */
/* Rust char::is_whitespace at p (UTF-8); returns its byte length, 0 if not whitespace */
size_t ctp_unicode_space_len(const char *p, const char *end);
size_t ctp_unicode_space_len_before(const char *start, const char *p);
/* trims Rust-style (Unicode White_Space) at both ends: adjusts *s and *n */
void ctp_trim(const char **s, size_t *n);
/* ASCII whitespace as Rust split_ascii_whitespace: space \t \n \f \r (not \v) */
static inline bool ctp_is_ascii_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
/* the ASCII members of Unicode White_Space (Rust char::is_whitespace): space \t \n \v \f \r */
static inline bool ctp_is_unicode_ws_ascii(unsigned char c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0d);
}
/* next split_ascii_whitespace token in [*cur, end): returns false when none */
bool ctp_next_ascii_token(const char **cur, const char *end, const char **tok, size_t *toklen);
/* next split_whitespace (Unicode White_Space) token in [*cur, end): returns false when none */
bool ctp_next_token(const char **cur, const char *end, const char **tok, size_t *len);
/* next line of [*cur, end) as Rust str::lines(): without its '\n' and one '\r' before it;
 * false at the end */
bool ctp_next_line(const char **cur, const char *end, const char **line, size_t *len);
/* "key: value" at the first ':' -> trimmed key and raw value; false when the line has no ':' */
bool ctp_split_key(const char *line, size_t len, const char **k, size_t *kl, const char **v, size_t *vl);
bool ctp_utf8_valid(const char *s, size_t n);
/* appends s[0..n) to out as valid UTF-8, exactly as Rust's String::from_utf8_lossy: each
 * maximal subpart of an ill-formed sequence (Unicode ch. 3, "U+FFFD substitution of maximal
 * subparts") becomes one U+FFFD. Returns the number of U+FFFD inserted. */
size_t ctp_utf8_lossy(const char *s, size_t n, struct ctp_buf *out);
/* decodes one UTF-8 scalar; returns bytes used, 0 on invalid */
size_t ctp_utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t ctp_utf8_encode(uint32_t cp, char out[4]);

/* ---- small numeric helpers ---- */
static inline uint64_t ctp_sat_add(uint64_t a, uint64_t b)
{
	uint64_t r = a + b;
	return r < a ? UINT64_MAX : r;
}
static inline uint64_t ctp_sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}
/* ---- files (files.c) ---- */
/* Opens a file an unprivileged user may control, for reading: O_PATH (plus O_NOFOLLOW from
 * extra_flags: a symlink fails ELOOP) and fstat first; refuses anything but a regular file (a
 * FIFO, device or socket is never opened for real, so never blocks us or wakes a driver) and
 * files over max_size bytes (0 = no cap); then reopens that inode O_RDONLY|O_NOCTTY|O_CLOEXEC
 * via /proc/self/fd. Fills *st when st != NULL. Returns the fd, or -1 with err set (CTP_E_IO
 * with errno, or CTP_E_FORMAT for "not a regular file"/"too large"). */
int ctp_open_regular(const char *path, int extra_flags, uint64_t max_size, struct stat *st, struct ctp_err *err);
/* write(2) until done, retrying EINTR; 0 or -1 (errno set) */
int ctp_write_all(int fd, const void *data, size_t len);
/* appends what fd holds to out (NUL-terminated), retrying EINTR, until EOF or until out->len
 * reaches want (SIZE_MAX: to EOF); more than cap bytes in out is an error ("larger than").
 * name labels errors. 0, or -1 with err set */
int ctp_read_fd(int fd, struct ctp_buf *out, size_t want, size_t cap, const char *name, struct ctp_err *err);
/* Saves data at path; what is already there decides how (lstat first):
 *  - nothing, or a regular file: replaced atomically (temp file ".<name>.tmp-XXXXXX" in the same
 *    directory, cut to fit NAME_MAX; write, fsync, rename, fsync the directory). On failure the
 *    old file is untouched and no temp file is left.
 *  - a FIFO or character device, directly or through symlinks: written through (opened without
 *    blocking: a FIFO nobody reads is an error, not a hang), never replaced.
 *  - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: written to descriptor N.
 *  - a symlink to anything else, a directory, socket or block device: refused, one-line error.
 * Streamed writes block SIGPIPE: a reader that leaves is EPIPE. mode: CTP_FILE_MODE_DEFAULT
 * (0600 when euid is 0, else 0666 & ~umask), CTP_FILE_MODE_UMASK (0666 & ~umask) or exact
 * permission bits (1..07777) of a newly written file. */
#define CTP_FILE_MODE_DEFAULT 0
#define CTP_FILE_MODE_UMASK (-1)
int ctp_save_file(const char *path, const void *data, size_t len, int mode, struct ctp_err *err);
/* the same for name in the open directory dirfd; label names the file in errors */
int ctp_save_file_at(int dirfd, const char *name, const char *label, const void *data, size_t len, int mode,
		     struct ctp_err *err);

/* a growable array of uint32_t (pids, tids, CPU numbers); zero-initialized = empty */
struct ctp_u32vec {
	uint32_t *v;
	size_t n, alloc;
};
void ctp_u32vec_push(struct ctp_u32vec *a, uint32_t x);
/* qsort comparator for uint32_t arrays (ascending) */
int ctp_u32_cmp(const void *a, const void *b);

uint64_t ctp_now_realtime_ns(void);
uint64_t ctp_now_monotonic_ns(void);
uint64_t ctp_now_boottime_ns(void); /* CLOCK_BOOTTIME: counts suspend, like task start times */

#define CTP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
