/* hmap.h — the compare engine's byte-keyed hash map: string (explicit length, NUL allowed) ->
 * size_t, open addressing, keys copied. Used for group keys, name memos, joins and sections. */
#ifndef CTP_COMPARE_HMAP_H
#define CTP_COMPARE_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctp_hent {
	char *key; /* NUL-terminated copy; NULL = empty slot */
	size_t len;
	uint64_t hash;
	size_t val;
};
struct ctp_hmap {
	struct ctp_hent *v; /* open addressing, power of two; zero-initialized = empty */
	size_t n, cap;
};
uint64_t ctp_hash_bytes(const void *p, size_t n);
/* returns the entry for key, inserting it with val = ins_val when missing (*inserted set) */
struct ctp_hent *ctp_hmap_put(struct ctp_hmap *m, const char *key, size_t len, size_t ins_val, bool *inserted);
struct ctp_hent *ctp_hmap_get(const struct ctp_hmap *m, const char *key, size_t len);
void ctp_hmap_release(struct ctp_hmap *m);

#endif
