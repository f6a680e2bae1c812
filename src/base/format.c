/* format.c — ktstr's unit ladders and cell formats (compare.md §4.2) and compact top-style
 * cells. Render-only: nothing here feeds a sort. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/format.h"

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

/* v on ladder l: exact when not stepped and integral, else 3 decimals of its step; signed
 * always shows the sign (a zero as +0) */
static char *fmt_ladder(char *buf, double v, enum ctp_ladder l, bool sign)
{
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	if (i == 0 && integral(v))
		snprintf(buf, CTP_FMT_MAX, sign ? "%+.0f%s" : "%.0f%s", sign && v == 0 ? 0.0 : v, s[0].suffix);
	else
		snprintf(buf, CTP_FMT_MAX, sign ? "%+.3f%s" : "%.3f%s", v / s[i].div, s[i].suffix);
	return buf;
}

char *ctp_fmt_value(char *buf, double v, enum ctp_ladder l)
{
	return fmt_ladder(buf, v, l, false);
}

char *ctp_fmt_delta(char *buf, double v, enum ctp_ladder l)
{
	return fmt_ladder(buf, v, l, true);
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

char *ctp_fmt_rate(char *buf, double per_s, enum ctp_ladder l, bool with_sign)
{
	return ctp_fmt_compact(buf, per_s, l, with_sign);
}
