/* fuzz_format.c — libFuzzer harness for the unit formatters of src/base/format.h: any double
 * (NaN, ±inf, subnormals, 1e308) on any ladder must give a NUL-terminated cell shorter than
 * CTP_FMT_MAX, non-empty, with no control bytes. Input: 8 bytes of double + 1 selector byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/format.h"
#include "snapshot/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cell(const char *buf)
{
	size_t n = strnlen(buf, CTP_FMT_MAX);
	if (n == 0 || n >= CTP_FMT_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double v;
	char buf[CTP_FMT_MAX + 16];
	if (size < sizeof(v) + 1)
		return 0;
	memcpy(&v, data, sizeof(v));
	unsigned sel = data[sizeof(v)];
	enum ctp_ladder l = (enum ctp_ladder)(sel % 6);
	bool flag = sel & 0x40, sign = sel & 0x80;
	/* poison the tail: a formatter writing past CTP_FMT_MAX would change it */
	memset(buf, 0x5a, sizeof(buf));
	check_cell(ctp_fmt_value(buf, v, l));
	check_cell(ctp_fmt_delta(buf, v, l));
	check_cell(ctp_fmt_derived(buf, v, l, flag, sign));
	check_cell(ctp_fmt_pct(buf, v));
	check_cell(ctp_fmt_compact(buf, v, l, sign));
	for (size_t i = CTP_FMT_MAX; i < sizeof(buf); i++)
		if ((unsigned char)buf[i] != 0x5a)
			abort();
	/* registry units map to a ladder */
	(void)ctp_ladder_suffix(ctp_unit_ladder((enum ctp_unit)(sel % 8)));
	return 0;
}
