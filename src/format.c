/* format.c — ktstr's unit ladders and cell formats (compare.md §4.2), compact top-style cells
 * and display escaping of untrusted names. Render-only: nothing here feeds a sort. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "format.h"

struct step {
	double div;
	const char *suffix;
};
/* each ladder: base step first, ascending thresholds; NULL-suffix terminated */
static const struct step ladder_ns[] = { { 1, "ns" }, { 1e3, "\xc2\xb5s" }, { 1e6, "ms" }, { 1e9, "s" }, { 0, NULL } };
static const struct step ladder_us[] = { { 1, "\xc2\xb5s" }, { 1e3, "ms" }, { 1e6, "s" }, { 0, NULL } };
static const struct step ladder_bytes[] = { { 1, "B" },
					    { 1024.0, "KiB" },
					    { 1024.0 * 1024, "MiB" },
					    { 1024.0 * 1024 * 1024, "GiB" },
					    { 1024.0 * 1024 * 1024 * 1024, "TiB" },
					    { 0, NULL } };
static const struct step ladder_ticks[] = { { 1, "ticks" }, { 1e3, "Kticks" }, { 1e6, "Mticks" }, { 0, NULL } };
static const struct step ladder_unitless[] = { { 1, "" }, { 1e3, "K" }, { 1e6, "M" }, { 1e9, "G" }, { 0, NULL } };
static const struct step ladder_none[] = { { 1, "" }, { 0, NULL } };

static const struct step *steps_of(enum ctp_ladder l)
{
	switch (l) {
	case CTP_LADDER_NS: return ladder_ns;
	case CTP_LADDER_US: return ladder_us;
	case CTP_LADDER_BYTES: return ladder_bytes;
	case CTP_LADDER_TICKS: return ladder_ticks;
	case CTP_LADDER_UNITLESS: return ladder_unitless;
	default: return ladder_none;
	}
}

enum ctp_ladder ctp_unit_ladder(enum ctp_unit u)
{
	switch (u) {
	case CTP_UNIT_NS: return CTP_LADDER_NS;
	case CTP_UNIT_TICKS: return CTP_LADDER_TICKS;
	case CTP_UNIT_BYTES:
	case CTP_UNIT_KIB: return CTP_LADDER_BYTES;
	case CTP_UNIT_COUNT: return CTP_LADDER_UNITLESS;
	default: return CTP_LADDER_NONE;
	}
}

const char *ctp_ladder_suffix(enum ctp_ladder l)
{
	return steps_of(l)[0].suffix;
}

/* the highest step whose threshold |v| reaches; index 0 = not stepped */
static size_t pick(const struct step *s, double v)
{
	double a = fabs(v);
	size_t i = 0;
	while (s[i + 1].suffix && a >= s[i + 1].div)
		i++;
	return i;
}

static bool integral(double v)
{
	return isfinite(v) && v == floor(v) && fabs(v) < 9.007199254740992e15;
}

char *ctp_fmt_value(char *buf, double v, enum ctp_ladder l)
{
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	if (i == 0 && integral(v))
		snprintf(buf, CTP_FMT_MAX, "%.0f%s", v, s[0].suffix);
	else
		snprintf(buf, CTP_FMT_MAX, "%.3f%s", v / s[i].div, s[i].suffix);
	return buf;
}

char *ctp_fmt_delta(char *buf, double v, enum ctp_ladder l)
{
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	if (i == 0 && integral(v))
		snprintf(buf, CTP_FMT_MAX, "%+.0f%s", v == 0 ? 0.0 : v, s[0].suffix);
	else
		snprintf(buf, CTP_FMT_MAX, "%+.3f%s", v / s[i].div, s[i].suffix);
	return buf;
}

char *ctp_fmt_derived(char *buf, double v, enum ctp_ladder l, bool is_ratio, bool with_sign)
{
	if (is_ratio) {
		snprintf(buf, CTP_FMT_MAX, with_sign ? "%+.3f" : "%.3f", v);
		return buf;
	}
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	if (i == 0)
		snprintf(buf, CTP_FMT_MAX, with_sign ? "%+.2f%s" : "%.2f%s", v, s[0].suffix);
	else
		snprintf(buf, CTP_FMT_MAX, with_sign ? "%+.3f%s" : "%.3f%s", v / s[i].div, s[i].suffix);
	return buf;
}

char *ctp_fmt_pct(char *buf, double frac)
{
	snprintf(buf, CTP_FMT_MAX, "%+.1f%%", frac * 100.0);
	return buf;
}

/* drops trailing zeros of a fixed-point number in place: "80.0" -> "80", "1.20" -> "1.2" */
static void trim_zeros(char *num)
{
	char *dot = strchr(num, '.');
	if (!dot)
		return;
	char *e = num + strlen(num);
	while (e > dot + 1 && e[-1] == '0')
		*--e = 0;
	if (e == dot + 1)
		*dot = 0;
}

char *ctp_fmt_compact(char *buf, double v, enum ctp_ladder l, bool with_sign)
{
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	double x = v / s[i].div;
	const char *suffix = s[i].suffix;
	if (l == CTP_LADDER_UNITLESS && i == 1)
		suffix = "k";
	char num[CTP_FMT_MAX];
	double a = fabs(x);
	int prec = (i == 0 && integral(x)) || a >= 100 ? 0 : a >= 10 ? 1 : 2;
	snprintf(num, sizeof(num), with_sign ? "%+.*f" : "%.*f", prec, x == 0 ? 0.0 : x);
	trim_zeros(num);
	snprintf(buf, CTP_FMT_MAX, "%s%s", num, suffix);
	return buf;
}

static void escape_byte(unsigned char c, bool escape_hex, struct ctp_buf *out)
{
	if (escape_hex)
		ctp_buf_addf(out, "\\x%02x", c);
	else
		ctp_buf_addch(out, '?');
}

/* bidirectional format characters (LRM/RLM, ALM, embeddings/overrides, isolates): drawn raw
 * they reorder the rest of the line ("Trojan Source"), so they are escaped like controls */
static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t ctp_sanitize_name(const char *s, size_t n, bool escape_hex, struct ctp_buf *out)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				escape_byte(c, escape_hex, out);
				bad++;
			} else {
				ctp_buf_addch(out, c);
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = ctp_utf8_decode(s + i, n - i, &cp);
		if (!k || (cp >= 0x80 && cp < 0xa0)) { /* invalid UTF-8, or a C1 control */
			escape_byte(c, escape_hex, out);
			bad++;
			i++;
			continue;
		}
		if (is_bidi_control(cp)) { /* one '?' or every byte as \xNN */
			for (size_t j = 0; j < (escape_hex ? k : 1); j++)
				escape_byte((unsigned char)s[i + j], escape_hex, out);
			bad++;
		} else {
			ctp_buf_add(out, s + i, k);
		}
		i += k;
	}
	return bad;
}

int ctp_display_clip(const char *s, int max, size_t *bytes)
{
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		uint32_t cp = (unsigned char)s[i];
		size_t len = 1;
		if (cp >= 0x80) {
			len = ctp_utf8_decode(s + i, n - i, &cp);
			if (!len)
				len = 1;
		}
		int cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		if (cw < 0)
			cw = 1;
		if (w + cw > max)
			break;
		w += cw;
		i += len;
	}
	if (bytes)
		*bytes = i;
	return w;
}

