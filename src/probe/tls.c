/* tls.c — pure pieces of the jemalloc probe: TLS address arithmetic for x86_64 (variant II)
 * and aarch64 (variant I), the tsd_tls symbol-name predicate and the wire tag names.
 * No I/O here, so every vector of design/jemalloc-probe.md §3 is unit-testable. */
#include <elf.h>
#include <string.h>

#include "probe/probe.h"

static const char *const tag_names[CTP_PT_NTAGS] = {
	[CTP_PT_OK] = "ok",
	[CTP_PT_PID_MISSING] = "pid-missing",
	[CTP_PT_READLINK_FAILURE] = "readlink-failure",
	[CTP_PT_MAPS_READ_FAILURE] = "maps-read-failure",
	[CTP_PT_JEMALLOC_NOT_FOUND] = "jemalloc-not-found",
	[CTP_PT_JEMALLOC_IN_DSO] = "jemalloc-in-dso",
	[CTP_PT_ARCH_MISMATCH] = "arch-mismatch",
	[CTP_PT_DWARF_PARSE_FAILURE] = "dwarf-parse-failure",
	[CTP_PT_PTRACE_SEIZE] = "ptrace-seize",
	[CTP_PT_PTRACE_INTERRUPT] = "ptrace-interrupt",
	[CTP_PT_WAITPID] = "waitpid",
	[CTP_PT_GET_REGSET] = "get-regset",
	[CTP_PT_PROCESS_VM_READV] = "process-vm-readv",
	[CTP_PT_TLS_ARITHMETIC] = "tls-arithmetic",
	[CTP_PT_THREAD_BLOCKED] = "thread-blocked",
	[CTP_PT_BUDGET_EXHAUSTED] = "budget-exhausted",
	[CTP_PT_COUNTERS_IMPLAUSIBLE] = "counters-implausible",
	[CTP_PT_SELF_PROBE_REJECTED] = "self-probe-rejected",
};

const char *ctp_probe_tag_name(enum ctp_probe_tag t)
{
	return (unsigned)t < CTP_PT_NTAGS ? tag_names[t] : "other";
}

const char *ctp_layout_source_name(enum ctp_layout_source s)
{
	return s == CTP_LAYOUT_CODE_EXE ? "code-exe" : s == CTP_LAYOUT_CODE_DSO ? "code-dso" : "dwarf";
}

bool ctp_probe_tag_routine(enum ctp_probe_tag t)
{
	return t == CTP_PT_JEMALLOC_NOT_FOUND || t == CTP_PT_READLINK_FAILURE;
}

bool ctp_tls_round_up(uint64_t v, uint64_t a, uint64_t *out)
{
	uint64_t r;
	if (a == 0)
		a = 1;
	if (__builtin_add_overflow(v, a - 1, &r))
		return false;
	*out = r & ~(a - 1);
	return true;
}

bool ctp_tls_counter_addr(const struct ctp_jemalloc_layout *l, uint64_t tp, uint64_t *addr)
{
	uint64_t base, gap;
	if (l->e_machine == EM_X86_64) {
		if (__builtin_sub_overflow(tp, l->tls_offset, &base))
			return false;
	} else if (l->e_machine == EM_AARCH64) {
		if (!ctp_tls_round_up(16, l->p_align, &gap) || __builtin_add_overflow(tp, gap, &base))
			return false;
	} else {
		return false;
	}
	return !__builtin_add_overflow(base, l->st_value, &base) &&
	       !__builtin_add_overflow(base, l->off_alloc, addr);
}

bool ctp_probe_layout_check(const struct ctp_jemalloc_layout *l, struct ctp_err *err)
{
	if (l->off_dealloc < l->off_alloc || l->off_dealloc - l->off_alloc < 8) {
		ctp_err_set(err, CTP_E_RANGE, 0, "",
			    "tsd_s thread_deallocated at %llu does not follow thread_allocated at %llu",
			    (unsigned long long)l->off_dealloc, (unsigned long long)l->off_alloc);
		return false;
	}
	uint64_t diff = l->off_dealloc - l->off_alloc;
	if (diff > CTP_PROBE_SPAN_MAX - 8) {
		ctp_err_set(err, CTP_E_RANGE, 0, "", "tsd_s counter span %llu bytes exceeds the %d-byte bound",
			    (unsigned long long)ctp_sat_add(diff, 8), CTP_PROBE_SPAN_MAX);
		return false;
	}
	return true;
}

bool ctp_probe_tsd_name_match(const char *name)
{
	size_t n = strlen(name);
	if (!strcmp(name, "tsd_tls"))
		return true;
	return n > 8 && !strcmp(name + n - 8, "_tsd_tls");
}
