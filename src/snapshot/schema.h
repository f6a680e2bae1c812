/* schema.h — the snapshot's objects as tables of JSON keys, generated from data/host.def,
 * cgroup.def and summary.def (threads: registry.h): each key's C representation, presence rule,
 * origin and offset. The JSON writer and reader, the model's free and defaults walk them. */
#ifndef CTP_SCHEMA_H
#define CTP_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/model.h"
#include "snapshot/registry.h"

/* how one value is held in C: the thread kinds of the registry first (same names), then those
 * of the other objects */
enum ctp_vkind {
	CTP_V_U64,       /* uint64_t */
	CTP_V_U32,       /* uint32_t */
	CTP_V_I32,       /* int32_t */
	CTP_V_STR,       /* char *, NULL = unknown */
	CTP_V_CHAR,      /* uint32_t code point, a one-character string */
	CTP_V_BOOL,      /* bool */
	CTP_V_CPUSET,    /* struct ctp_cpuset */
	CTP_V_KVMAP,     /* struct ctp_kvmap */
	CTP_V_OPT_U64,   /* struct ctp_opt_u64 */
	CTP_V_OPT_I32,   /* struct ctp_opt_i32 */
	CTP_V_STRMAP,    /* struct ctp_strmap; present when the bool at aux is true */
	CTP_V_GOVMAP,    /* struct ctp_governor *, count (size_t) at aux */
	CTP_V_ENUM,      /* an enum whose value i > 0 is written names[i]; 0 = unknown */
	CTP_V_OBJ,       /* a nested object (sub); present when the bool at aux is true */
};
/* presence: REQ always written, required on read · OPT written null when unknown, null or
 * missing read as unknown · OMIT left out when unknown, null or missing read as unknown ·
 * EMPTY left out when empty, never null */
enum ctp_presence { CTP_PRES_REQ, CTP_PRES_OPT, CTP_PRES_OMIT, CTP_PRES_EMPTY };
/* KTSTR: a key of the reference's structs; EXT: ctprof-top's own (always OMIT) */
enum ctp_origin { CTP_ORIGIN_KTSTR, CTP_ORIGIN_EXT };

/* the value kind of a .def's kind/presence pair (the C member is model.h's CTP_DECL) */
#define CTP_VK(kind, presence) CTP_VK_##kind##_##presence
#define CTP_VK_U64_REQ CTP_V_U64
#define CTP_VK_U64_OPT CTP_V_OPT_U64
#define CTP_VK_U64_OMIT CTP_V_OPT_U64
#define CTP_VK_I32_OPT CTP_V_OPT_I32
#define CTP_VK_BOOL_REQ CTP_V_BOOL
#define CTP_VK_STR_REQ CTP_V_STR
#define CTP_VK_STR_OPT CTP_V_STR
#define CTP_VK_STR_OMIT CTP_V_STR
#define CTP_VK_KVMAP_REQ CTP_V_KVMAP
#define CTP_VK_STRMAP_OMIT CTP_V_STRMAP
#define CTP_VK_GOVMAP_EMPTY CTP_V_GOVMAP
#define CTP_VK_DELAYACCT_OMIT CTP_V_ENUM
#define CTP_VK_XACCT_OMIT CTP_V_ENUM
#define CTP_VK_HEAP_OMIT CTP_V_OBJ

struct ctp_otable;
struct ctp_ofield {
	const char *name;
	enum ctp_vkind vk;
	enum ctp_presence presence;
	enum ctp_origin origin;
	size_t off;                    /* the value, from the start of the object's struct */
	size_t aux;                    /* STRMAP, OBJ: offset of the presence bool; GOVMAP: of the count */
	uint64_t init;                 /* U64: the value of a new object */
	const char *const *names;      /* ENUM: value names, [0] = NULL (unknown) */
	size_t nnames;
	const struct ctp_otable *sub;  /* OBJ: the nested object's keys */
	const char *help;
};

/* one JSON object: its keys in wire order, then older spellings read into a key */
struct ctp_otable {
	const struct ctp_ofield *f;
	size_t n;
	const char *const *names;      /* n + nalias names, for ctp_jsonr_struct */
	const size_t *alias_of;        /* nalias field indexes */
	size_t nalias;
};

extern const struct ctp_otable ctp_host_table, ctp_heap_table;
extern const struct ctp_otable ctp_cg_cpu_table, ctp_cg_memory_table, ctp_cg_pids_table;
extern const struct ctp_otable ctp_probe_summary_table, ctp_parse_summary_table, ctp_taskstats_summary_table;
extern const struct ctp_otable ctp_sched_ext_table;
/* the registry's thread kind as a value kind */
extern const enum ctp_vkind ctp_vkind_of_kind[];
/* the most keys (and spellings) of any table, threads included */
#define CTP_SCHEMA_MAX_KEYS 128

/* the value of field f inside the object at base */
static inline void *ctp_ofield_ptr(const struct ctp_ofield *f, const void *base)
{
	return (char *)base + f->off;
}
/* false when the value is unknown (OPT/OMIT; an ENUM out of range too) or empty (EMPTY);
 * always true for REQ numbers */
bool ctp_ofield_known(const struct ctp_ofield *f, const void *base);
/* frees every string, map and array the object at base owns (not base itself) */
void ctp_otable_release(const struct ctp_otable *t, void *base);
/* dst = a deep copy of the object at src (size bytes copied first, then every string, map and
 * array the object owns duplicated; size 0 for a nested object already copied with its parent) */
void ctp_otable_copy(const struct ctp_otable *t, void *dst, const void *src, size_t size);
/* sets each number of a new (zeroed) object at base to its init */
void ctp_otable_init(const struct ctp_otable *t, void *base);

#endif
