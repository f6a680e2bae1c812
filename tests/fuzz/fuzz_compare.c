/* fuzz_compare.c — libFuzzer harness for what happens after a hostile file loads: the compare
 * engine (grouping on every axis, aggregation, derived metrics, deltas, sort), the secondary
 * sections and every cell renderer, on extreme values (u64::MAX sums, zero denominators, i32
 * edges). Input: option byte, then base JSON, a NUL, live JSON (no NUL: live = base). UBSan
 * flags float->int overflows and signed overflow; rendered cells must be short and printable
 * apart from the names they quote. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "base/format.h"
#include "snapshot/snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *t)
{
	if (!t || strnlen(t, CTP_FMT_MAX) >= CTP_FMT_MAX)
		abort();
}

static void render(const struct ctp_table *t)
{
	char buf[CTP_FMT_MAX];
	size_t nm = ctp_cmetric_count();
	for (size_t r = 0; r < t->nrows; r++) {
		const struct ctp_row *row = &t->rows[r];
		for (size_t m = 0; m < nm; m++) {
			check_text(ctp_cell_value_text(row, m, 0, buf));
			check_text(ctp_cell_value_text(row, m, 1, buf));
			check_text(ctp_cell_delta_text(row, m, buf));
			check_text(ctp_cell_pct_text(row, m, buf));
		}
	}
	struct ctp_flat *flat = NULL;
	size_t n = ctp_table_flat(t, CTP_CSEC_PRIMARY, &flat);
	for (size_t i = 0; i < n; i++)
		if (flat[i].row >= t->nrows || flat[i].metric >= nm)
			abort();
	free(flat);
}

static void run(const struct ctp_snapshot *base, const struct ctp_snapshot *live, uint8_t opt)
{
	struct ctp_compare_opts o;
	struct ctp_err err = { 0 };
	ctp_compare_opts_init(&o);
	o.axis = (enum ctp_axis)(opt % CTP_AXIS_COUNT);
	o.mode = (enum ctp_delta_mode)((opt >> 3) % 3);
	o.tid_deltas = opt & 0x20;
	if (opt & 0x40)
		ctp_sort_parse("run_time_ns,wait_time_ns:asc", &o.sort, NULL);
	struct ctp_table *t = ctp_compare(base, live, &o, &err);
	if (t) {
		render(t);
		if (t->nrows) /* drill down into the first group */ {
			struct ctp_table *th = ctp_compare_threads(base, live, t->rows[0].key, t->rows[0].keylen, &o, &err);
			if (th)
				render(th);
			ctp_table_free(th);
		}
		ctp_table_free(t);
	}
	struct ctp_sections sec;
	memset(&sec, 0, sizeof(sec));
	if (ctp_sections_build(base, live, &o, opt & 0x80, &sec, &err) == 0)
		ctp_sections_release(&sec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t opt = data[0];
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	const char *z = memchr(p, 0, n);
	size_t n1 = z ? (size_t)(z - p) : n;
	struct ctp_snapshot *a = NULL, *b = NULL;
	if (ctp_snapshot_from_json(p, n1, &a, NULL))
		return 0;
	if (z && ctp_snapshot_from_json(z + 1, n - n1 - 1, &b, NULL)) {
		ctp_snapshot_free(a);
		return 0;
	}
	run(a, b ? b : a, opt);
	run(NULL, b ? b : a, opt); /* show */
	ctp_snapshot_free(a);
	ctp_snapshot_free(b);
	return 0;
}
