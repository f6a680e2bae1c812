/* fuzz_snapfile.c — libFuzzer harness for the container stage of the snapshot loader:
 * ctp_snapfile_load_mem on raw bytes (zstd magic, frames, bomb guard, then JSON). Every
 * rejection must come back as -1 with a one-line error naming the file; never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_snapshot *s = NULL;
	struct ctp_err err = { 0 };
	int rc = ctp_snapfile_load_mem("fuzz.ctprof.zst", data, size, &s, &err);
	if (rc == 0) {
		if (!s)
			abort();
		ctp_snapshot_free(s);
		return 0;
	}
	/* an error names the file and is one line */
	if (s || strncmp(err.where, "fuzz.ctprof.zst", 15) || strchr(err.msg, '\n') || strchr(err.where, '\n'))
		abort();
	return 0;
}
