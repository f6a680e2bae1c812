# ctprof-top — one non-recursive Makefile: engine library (src/), curses front end (ui/),
# TAP tests (tests/), benchmarks and fuzzers. `make run` and `make test` do everything,
# installing missing Debian -dev packages first when run as root (`make deps`).

O ?= build
ifeq ($(SAN),1)
O := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

CC ?= cc
PKGS := ncursesw libzstd libdw libnl-genl-3.0 zlib
# Debian package providing each pkg-config name, in the same order
DEB_PKGS := libncurses-dev libzstd-dev libdw-dev libnl-genl-3-dev zlib1g-dev
DEB_TOOLS := perl tmux zstd python3
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WERROR ?= 1
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),)
WARN += -Wno-unknown-warning-option
endif
OPT ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SANFLAGS) -MMD -MP -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)
LIBS_ALL = $(PKG_LIBS) -lpthread -lm

VERSION := 0.1.0
PREFIX ?= /usr/local

LIB_SRCS := $(wildcard src/*.c src/*/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB := $(O)/libctprof.a

PROBE_MAIN := ui/probe/jemalloc_probe_main.c
UI_SRCS := $(filter-out $(PROBE_MAIN),$(wildcard ui/*/*.c))
UI_OBJS := $(UI_SRCS:%.c=$(O)/%.o)
BIN := $(O)/ctprof-top
PROBE_BIN := $(if $(wildcard $(PROBE_MAIN)),$(O)/ctprof-jemalloc-probe)

TEST_SRCS := $(wildcard tests/t_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(O)/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(O)/tests/helpers/%)
SH_TESTS := $(sort $(wildcard tests/*.sh tests/ui/t_*.sh))
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(O)/tests/bench/%)

.PHONY: all deps run test bench fuzz clean install uninstall golden check-deps
all: check-deps $(BIN) $(PROBE_BIN)

# ---- dependencies ----
deps:
	@missing=""; i=1; for p in $(PKGS); do \
	  deb=$$(echo $(DEB_PKGS) | cut -d' ' -f$$i); i=$$((i+1)); \
	  pkg-config --exists $$p 2>/dev/null || missing="$$missing $$deb"; done; \
	for t in prove:perl tmux:tmux zstd:zstd python3:python3 pkg-config:pkg-config dpkg-source:dpkg-dev clang:clang groff:groff-base setpriv:util-linux valgrind:valgrind \
	  promtool:prometheus prometheus-node-exporter:prometheus-node-exporter debuginfod:debuginfod dwz:dwz; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; done; \
	for d in libclang-rt-dev libjemalloc-dev libdebuginfod1; do \
	  dpkg-query -W -f='$${Status}' $$d 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$d"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing)) || exit 1; \
	  else \
	    echo "missing packages; run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# with -j, installing must finish before anything checks for or compiles against the packages
ifneq ($(filter run test bench,$(MAKECMDGOALS)),)
check-deps: deps
endif
check-deps:
	@for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || \
	  { echo "pkg-config: '$$p' not found; run 'make deps' (or apt-get install $(DEB_PKGS))"; exit 1; }; done

# ---- build ----
# src/ (the engine) sees only src/; the front ends and the tests also see ui/
$(O)/ui/%.o $(O)/tests/%.o: CFLAGS_ALL += -Iui
$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DCTP_VERSION='"$(VERSION)"' -c -o $@ $<

# built aside and renamed so a concurrent link never sees a half-written archive
$(LIB): $(LIB_OBJS)
	@rm -f $@.tmp.$$$$; ar rcs $@.tmp.$$$$ $^ && mv -f $@.tmp.$$$$ $@

$(BIN): $(UI_OBJS) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(UI_OBJS) $(LIB) $(LIBS_ALL)

$(O)/ctprof-jemalloc-probe: $(O)/$(PROBE_MAIN:.c=.o) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(O)/tests/%: $(O)/tests/%.o $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# t_compare drives the report printers end to end: it links them and the option helpers they use
REPORT_OBJS := $(filter $(O)/ui/report/% $(O)/ui/cli/options.o $(O)/ui/cli/colsets.o,$(UI_OBJS))
$(O)/tests/t_compare: $(O)/tests/t_compare.o $(REPORT_OBJS) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# the tmux tests that need test hooks (a slow capture, a held baseline load) run this build of
# ctprof-top: the same objects plus tests/ui/hooks.o, which defines the hooks; ctprof-top has none
HOOKS_BIN := $(O)/tests/ctprof-top-hooks
$(HOOKS_BIN): $(UI_OBJS) $(O)/tests/ui/hooks.o $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# test target programs: standalone, debug info kept (the probe reads their DWARF)
$(O)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O0 -g -pthread -Wall -o $@ $<

# targets for jemalloc as deployed (issue 19), against the distro's libjemalloc-dev: DT_NEEDED,
# static with .symtab but no DWARF, static fully stripped, and a fake DSO exporting jemalloc's API
# names; none when libjemalloc.a is missing (the tests skip)
JE_A := $(firstword $(wildcard /usr/lib/*/libjemalloc.a /usr/lib/libjemalloc.a))
JE_BINS := $(if $(JE_A),$(addprefix $(O)/tests/helpers/,je_dso_linked je_static_nodebug je_static_stripped)) \
	$(O)/tests/helpers/libfake_je.so
JE_CC = $(CC) -std=gnu11 -O0 -g -pthread -Wall -DJE_DIRECT -o $@.tmp $<
$(O)/tests/helpers/je_dso_linked: tests/helpers/je_dso_worker.c
	@mkdir -p $(dir $@)
	$(JE_CC) -Wl,--no-as-needed -ljemalloc && mv -f $@.tmp $@
$(O)/tests/helpers/je_static_nodebug: tests/helpers/je_dso_worker.c
	@mkdir -p $(dir $@)
	$(JE_CC) $(JE_A) -lm -ldl && strip --strip-debug -o $@ $@.tmp && rm -f $@.tmp
$(O)/tests/helpers/je_static_stripped: tests/helpers/je_dso_worker.c
	@mkdir -p $(dir $@)
	$(JE_CC) $(JE_A) -lm -ldl && strip --strip-all -o $@ $@.tmp && rm -f $@.tmp
$(O)/tests/helpers/libfake_je.so: tests/helpers/dso/fake_je.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -fno-builtin -shared -fPIC -ftls-model=initial-exec -Wall -o $@ $<

$(O)/tests/bench/%: $(O)/tests/bench/%.o $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# ---- run / test / bench ----
run: deps all
	./$(BIN) $(ARGS)

# tests never read the developer's own config file
# --failures: a failing test's 'not ok' lines reach the log, CI's too
PROVE_FLAGS ?= --failures
TEST_ENV = CTP_BUILD=$(O) CTP_SRCDIR=$(CURDIR) LC_ALL=C TZ=UTC XDG_CONFIG_HOME=$(CURDIR)/$(O)/test-xdg
test: deps all $(TEST_BINS) $(HELPER_BINS) $(JE_BINS) $(HOOKS_BIN)
	$(TEST_ENV) prove --exec '' $(PROVE_FLAGS) $(TEST_BINS) $(SH_TESTS)

bench: deps all $(BENCH_BINS) $(HELPER_BINS) $(JE_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $(TEST_ENV) ./$$b $(BENCH_ARGS) || exit 1; done
	@for b in $(wildcard tests/bench/*.sh); do echo "== $$b"; $(TEST_ENV) $$b || exit 1; done

clean:
	rm -rf build build-san build-fuzz

# man pages, install, uninstall (man/install.mk)
include man/install.mk

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# ---- fuzz (tests/fuzz/fuzz_*.c; libFuzzer + ASan + UBSan, clang only) ----
# `make fuzz` builds every harness into build-fuzz/ and runs each for FUZZ_SECONDS on its seed
# corpus (tests/fuzz/corpus/<harness>/) copied to build-fuzz/corpus/<harness>/, where new inputs
# accumulate between runs; crashes land in build-fuzz/artifacts/. A release run is e.g.
#   make fuzz FUZZ_SECONDS=1800 FUZZ_JOBS=2        (30 min per harness on 2 cores)
# and any crash-* file found there is added to the seed corpus once fixed.
FUZZ_O := build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -Isrc -Iui $(PKG_CFLAGS)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_O)/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_O)/obj/%.o)

$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DCTP_VERSION='"$(VERSION)"' -c -o $@ $<

$(FUZZ_O)/libctprof.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_O)/libctprof.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_O)/libctprof.a $(LIBS_ALL)

fuzz-build: check-deps $(FUZZ_BINS)

fuzz: fuzz-build
	@mkdir -p $(FUZZ_O)/artifacts
	@for b in $(FUZZ_BINS); do h=$${b##*/}; c=$(FUZZ_O)/corpus/$$h; mkdir -p $$c; \
	  cp -n tests/fuzz/corpus/$$h/* $$c/ 2>/dev/null; \
	  echo "== $$h ($(FUZZ_SECONDS)s, $(FUZZ_JOBS) job(s))"; \
	  if [ $(FUZZ_JOBS) -gt 1 ]; then par=-fork=$(FUZZ_JOBS); else par=; fi; \
	  ./$$b -max_total_time=$(FUZZ_SECONDS) $$par -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    $$( [ -f tests/fuzz/$$h.dict ] && echo -dict=tests/fuzz/$$h.dict ) \
	    -artifact_prefix=$(FUZZ_O)/artifacts/$$h- $$c >$(FUZZ_O)/$$h.log 2>&1; rc=$$?; \
	  grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^#[0-9]+.*DONE' $(FUZZ_O)/$$h.log; \
	  if [ $$rc != 0 ]; then tail -n 40 $(FUZZ_O)/$$h.log; echo "$$h FAILED (log: $(FUZZ_O)/$$h.log)"; exit 1; fi; \
	done
.PHONY: fuzz-build
-include $(shell find $(FUZZ_O) -name '*.d' 2>/dev/null)
