/* t_pattern.c — ktstr pattern_key and cgroup keys: every example of compare.md §1.2/§1.5 plus
 * edge cases (empty, all digits, hex-looking words, unicode, 15/16-byte comm truncation),
 * walked as a table; and singleton revert through ctp_compare on the pcomm/comm axes. */
#include "compare/compare.h"
#include "tap.h"

static const struct {
	const char *in, *out;
} pat[] = {
	{ "tokio-worker-12", "tokio-worker-{N}" }, { "worker_5", "worker_{N}" }, { "rayon.pool.7", "rayon.pool.{N}" },
	{ "Chrome thread 4", "Chrome thread {N}" }, { "pool-2-thread-7", "pool-{N}-thread-{N}" }, { "0", "{N}" },
	{ "worker-", "worker-" }, { "", "" }, { "CamelCaseWord175", "CamelCaseWord{N}" }, { "worker7", "worker{N}" },
	{ "cpu0", "cpu{N}" }, { "init", "init" }, { "gadget-v2", "gadget-v{N}" }, { "t1", "t{N}" }, { "a0", "{H}" },
	{ "t-1", "t-{N}" }, { "ab_5", "ab_{N}" }, { "kworker/0:0", "kworker/{N}:{N}" },
	{ "kworker/u8:7", "kworker/u{N}:{N}" }, { "kworker/0:0-wq_reclaim", "kworker/{N}:{N}-wq_reclaim" },
	{ "kworker/0:1H", "kworker/{N}:{N}H" }, { "kworker/0:1H-wq_prio", "kworker/{N}:{N}H-wq_prio" },
	{ "kworker/0:1+events", "kworker/{N}:{N}+events" }, { "1H", "{N}H" }, { "100Hz", "{N}Hz" }, { "3z", "{N}z" },
	{ "1a", "{H}" }, { "0f", "{H}" }, { "42abc", "{H}" }, { "1aZ", "{N}aZ" }, { "42xyz", "{N}xyz" },
	{ "a1234", "{H}" }, { "abc123def456", "{H}" }, { "7890ab", "{H}" }, { "1a2", "{H}" }, { "abc", "abc" },
	{ "a", "a" }, { "u8", "u{N}" }, { "u16", "u{N}" }, { "BPF", "BPF" }, { "CUBIC", "CUBIC" },
	{ "hamster", "hamster" }, { "worker[42]", "worker[{N}]" }, { "systemd-network[105904]", "systemd-network[{N}]" },
	{ "dev[1ab]", "dev[{H}]" }, { "foo[bar]", "foo[bar]" }, { "dev[abc]", "dev[abc]" },
	{ "[stress-ng-0]", "[stress-ng-{N}]" }, { "session-a1234", "session-{H}" }, { "whirly-gig-15", "whirly-gig-{N}" },
	{ "BPF_CUBIC", "BPF_CUBIC" },
	/* consequences listed in §1.2 */
	{ "DEADBEEF1", "DEADBEEF{N}" } /* not {H}: rule 3 */, { "A1B2", "A1B2" }, { "proto303handler", "proto303handler" },
	{ "550e8400-e29b-41d4-a716-446655440000", "{H}-{H}-{H}-{H}-{N}" }, { "deadbeef", "deadbeef" },
	{ "[deadbeef]", "[deadbeef]" },
	/* separators: maximal runs, kept verbatim, leading/trailing */
	{ "a..b", "a..b" }, { "a-[1]", "a-[{N}]" }, { "--7--", "--{N}--" }, { "x@3+4", "x@{N}+{N}" },
	{ "a\t9", "a\t{N}" }, { "a\xc2\xa0" "9", "a\xc2\xa0{N}" } /* U+00A0 is Rust whitespace */,
	/* edge cases */
	{ "12345678901234567890123", "{N}" }, { "ff", "ff" }, { "f0", "{H}" }, { "0x1f", "0x1f" }, { "0X1F", "0X1F" },
	{ "\xc3\xa9t\xc3\xa9" "5", "\xc3\xa9t\xc3\xa9" "5" } /* é is a token char, not ASCII alpha */,
	{ "w\xc3\xb6rker-3", "w\xc3\xb6rker-{N}" }, { "\xe2\x80\x83" "1", "\xe2\x80\x83{N}" } /* em space */,
	/* 15-byte kernel comm truncation: the cut lands mid-token */
	{ "tokio-runtime-w", "tokio-runtime-w" }, { "tokio-runtime-wo", "tokio-runtime-wo" },
	{ "ThreadPoolForeg", "ThreadPoolForeg" }, { "pool-worker-123", "pool-worker-{N}" },
	{ "pool-worker-1234", "pool-worker-{N}" }, { "pool-worker-a12", "pool-worker-{H}" },
};

static const struct {
	const char *in, *out;
} cg[] = {
	{ "/user.slice/user-0.slice/user@0.service/boot.scope", "/user.slice/user-{N}.slice/user@{I}.service/boot.scope" },
	{ "/apps.slice/run-17.fluxcap9000_01.zz3", "/apps.slice/run-{N}.fluxcap{N}_{N}.zz{N}" },
	{ "/user.slice/session-[a1b2c3d4]/scope", "/user.slice/session-[{H}]/scope" },
	{ "/system.slice/user@1001.service", "/system.slice/user@{I}.service" },
	{ "/system.slice/launcher@foo.bar.baz.service", "/system.slice/launcher@foo.bar.baz.service" },
	{ "/system.slice/getty@tty1.service", "/system.slice/getty@{I}.service" },
	{ "/system.slice/x@.service", "/system.slice/x@.service" },
	{ "/", "/" }, { "", "" },
};

int main(void)
{
	struct ctp_buf b = CTP_BUF_INIT;
	for (size_t i = 0; i < CTP_ARRAY_SIZE(pat); i++) {
		ctp_buf_reset(&b);
		ctp_pattern_key(pat[i].in, strlen(pat[i].in), &b);
		check_str(b.buf, pat[i].out);
	}
	for (size_t i = 0; i < CTP_ARRAY_SIZE(cg); i++) {
		ctp_buf_reset(&b);
		ctp_cgroup_key(cg[i].in, strlen(cg[i].in), &b);
		check_str(b.buf, cg[i].out);
	}
	/* + and - decorations stay distinct buckets */
	struct ctp_buf c = CTP_BUF_INIT;
	ctp_buf_reset(&b);
	ctp_pattern_key("kworker/0:1+events", 18, &b);
	ctp_pattern_key("kworker/0:1-events", 18, &c);
	ok(strcmp(b.buf, c.buf) != 0, "kworker +events != -events");
	/* the explicit length bounds the input */
	ctp_buf_reset(&b);
	ctp_pattern_key("ab-12", 3, &b);
	check_str(b.buf, "ab-");
	ctp_buf_release(&b);
	ctp_buf_release(&c);
	return test_done();
}
