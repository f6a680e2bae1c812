/* fuzz_json.c — libFuzzer harness for the JSON stage of the snapshot loader
 * (ctp_snapshot_from_json). Invariants: rejection is -1 with no snapshot and a one-line
 * message; an accepted document re-serializes to JSON that loads again and serializes to the
 * very same bytes (writer and reader agree on every value they let through). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct ctp_snapshot *s)
{
	struct ctp_buf a = CTP_BUF_INIT, b = CTP_BUF_INIT;
	struct ctp_snapshot *s2 = NULL;
	struct ctp_err err = { 0 };
	ctp_snapshot_to_json(s, &a);
	if (ctp_snapshot_from_json(a.buf, a.len, &s2, &err))
		abort(); /* our own output must load */
	ctp_snapshot_to_json(s2, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		abort();
	ctp_snapshot_free(s2);
	ctp_buf_release(&a);
	ctp_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	if (ctp_snapshot_from_json((const char *)data, size, &s, &err)) {
		if (s || !err.msg[0] || strchr(err.msg, '\n') || strchr(err.where, '\n'))
			abort();
		return 0;
	}
	roundtrip(s);
	ctp_snapshot_free(s);
	return 0;
}
