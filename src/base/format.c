/* format.c — ktstr's unit ladders and cell formats (compare.md §4.2), compact top-style cells
 * and rates-mode cells (percent of a CPU, ticks as time). Render-only: nothing here feeds a sort. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* "nan", "inf", "-inf" (with_sign: "+inf"): cells never print a non-finite value as a number */
static char *fmt_nonfinite(char *buf, double v, bool with_sign)
{
	snprintf(buf, CTP_FMT_MAX, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : with_sign ? "+inf" : "inf");
	return buf;
}

/* x with prec decimals, trailing zeros dropped, then suffix; a zero never prints as -0 */
static char *fmt_trimmed(char *buf, double x, int prec, const char *suffix, bool with_sign)
{
	char num[CTP_FMT_MAX];
	snprintf(num, sizeof(num), with_sign ? "%+.*f" : "%.*f", prec, x == 0 ? 0.0 : x);
	trim_zeros(num);
	snprintf(buf, CTP_FMT_MAX, "%s%s", num, suffix);
	return buf;
}

char *ctp_fmt_compact(char *buf, double v, enum ctp_ladder l, bool with_sign)
{
	if (l == CTP_LADDER_TICKS)
		return ctp_fmt_ticks_hz(buf, v, ctp_clk_tck(), with_sign);
	const struct step *s = steps_of(l);
	size_t i = pick(s, v);
	double x = v / s[i].div;
	const char *suffix = s[i].suffix;
	if (l == CTP_LADDER_UNITLESS && i == 1)
		suffix = "k";
	double a = fabs(x);
	int prec = (i == 0 && integral(x)) || a >= 100 ? 0 : a >= 10 ? 1 : 2;
	return fmt_trimmed(buf, x, prec, suffix, with_sign);
}

long ctp_clk_tck(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

char *ctp_fmt_ticks_hz(char *buf, double ticks, long hz, bool with_sign)
{
	double secs = ticks / (double)(hz > 0 ? hz : 100), a = fabs(secs);
	if (!isfinite(secs))
		return fmt_nonfinite(buf, secs, with_sign);
	if (secs == 0)
		return strcpy(buf, with_sign ? "+0s" : "0s");
	if (a < 1)
		return ctp_fmt_compact(buf, secs * 1e9, CTP_LADDER_NS, with_sign);
	return fmt_trimmed(buf, secs, a >= 1000 ? 0 : a >= 100 ? 1 : 2, "s", with_sign);
}

char *ctp_fmt_rate_hz(char *buf, double per_s, enum ctp_ladder l, bool with_sign, long hz)
{
	double cpus;
	switch (l) {
	case CTP_LADDER_NS: cpus = per_s / 1e9; break;
	case CTP_LADDER_US: cpus = per_s / 1e6; break;
	case CTP_LADDER_TICKS: cpus = per_s / (double)(hz > 0 ? hz : 100); break;
	default: return ctp_fmt_compact(buf, per_s, l, with_sign);
	}
	double pct = cpus * 100.0;
	if (!isfinite(pct))
		return fmt_nonfinite(buf, pct, with_sign);
	/* 99.96% would round to "100.0%": from there on whole percents */
	snprintf(buf, CTP_FMT_MAX, with_sign ? "%+.*f%%" : "%.*f%%", fabs(pct) >= 99.95 ? 0 : 1, pct == 0 ? 0.0 : pct);
	return buf;
}

char *ctp_fmt_rate(char *buf, double per_s, enum ctp_ladder l, bool with_sign)
{
	return ctp_fmt_rate_hz(buf, per_s, l, with_sign, ctp_clk_tck());
}
