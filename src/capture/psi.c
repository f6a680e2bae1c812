/* psi.c — pressure stall information: parses "some|full avg10=.. avg60=.. avg300=.. total=.."
 * lines into centi-percent averages and µs totals (snapshot-and-capture.md §2.13), for the host
 * (<proc_root>/pressure/<res>) and for a cgroup directory (<dir>/<res>.pressure). */
#include "capture/psi.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "capture/readfile.h"
#include "base/util.h"

unsigned ctp_psi_centi(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	size_t ilen = dot ? (size_t)(dot - s) : n;
	uint32_t ip;
	if (!ctp_parse_u32(s, ilen, &ip))
		return 0;
	uint32_t frac = 0;
	if (dot) {
		const char *f = dot + 1;
		size_t flen = n - ilen - 1;
		char two[2] = { '0', '0' };
		/* first two chars, right-padded with '0'; a multi-byte char fails the parse anyway */
		for (size_t i = 0; i < 2 && i < flen; i++)
			two[i] = f[i];
		if (!ctp_parse_u32(two, 2, &frac))
			frac = 0;
	}
	uint64_t v = (uint64_t)ip * 100 + frac;
	return v > 65535 ? 65535 : (unsigned)v;
}

static void parse_half(const char *p, const char *end, struct ctp_psi_half *h)
{
	const char *tok;
	size_t len;
	while (ctp_next_token(&p, end, &tok, &len)) {
		const char *eq = memchr(tok, '=', len);
		if (!eq)
			continue;
		size_t klen = (size_t)(eq - tok), vlen = len - klen - 1;
		const char *v = eq + 1;
		if (klen == 5 && !memcmp(tok, "avg10", 5))
			h->avg10 = (uint16_t)ctp_psi_centi(v, vlen);
		else if (klen == 5 && !memcmp(tok, "avg60", 5))
			h->avg60 = (uint16_t)ctp_psi_centi(v, vlen);
		else if (klen == 6 && !memcmp(tok, "avg300", 6))
			h->avg300 = (uint16_t)ctp_psi_centi(v, vlen);
		else if (klen == 5 && !memcmp(tok, "total", 5) && !ctp_parse_u64(v, vlen, &h->total_usec))
			h->total_usec = 0;
	}
}

void ctp_psi_parse(const char *text, size_t len, struct ctp_psi_resource *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = text, *end = text + len, *line;
	size_t ll;
	while (ctp_next_line(&p, end, &line, &ll)) {
		const char *cur = line, *le = line + ll, *tok;
		size_t tlen;
		if (ctp_next_token(&cur, le, &tok, &tlen)) {
			if (tlen == 4 && !memcmp(tok, "some", 4))
				parse_half(cur, le, &out->some);
			else if (tlen == 4 && !memcmp(tok, "full", 4))
				parse_half(cur, le, &out->full);
		}
	}
}

/* reads one resource file; unreadable or non-UTF-8 -> zero resource, returns 0 */
static int read_resource(const char *path, struct ctp_buf *b, struct ctp_psi_resource *out)
{
	if (ctp_read_text_at(AT_FDCWD, path, b) < 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	ctp_psi_parse(b->buf, b->len, out);
	return 1;
}

/* fmt has one %s for the resource name */
static int read_four(const char *dir, const char *fmt, struct ctp_psi *out)
{
	static const char *const names[4] = { "cpu", "memory", "io", "irq" };
	struct ctp_psi_resource *res[4] = { &out->cpu, &out->memory, &out->io, &out->irq };
	struct ctp_buf b = CTP_BUF_INIT, path = CTP_BUF_INIT;
	int ok = 0;
	for (int i = 0; i < 4; i++) {
		ctp_buf_reset(&path);
		ctp_buf_adds(&path, dir);
		ctp_buf_addf(&path, fmt, names[i]);
		ok += read_resource(path.buf, &b, res[i]);
	}
	ctp_buf_release(&b);
	ctp_buf_release(&path);
	return ok;
}

int ctp_psi_read_host(const char *proc_root, struct ctp_psi *out)
{
	return read_four(proc_root ? proc_root : "/proc", "/pressure/%s", out);
}

int ctp_psi_read_cgroup(const char *cgroup_dir, struct ctp_psi *out)
{
	return read_four(cgroup_dir, "/%s.pressure", out);
}
