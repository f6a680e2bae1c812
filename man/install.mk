# man/install.mk — included by the Makefile: man pages generated from man/*.in by man/mangen.c
# (tables from data/*.def and the registry's X-lists, key table from ui/live/keys.c), and
# `make install` / `make uninstall` with PREFIX (default /usr/local), DESTDIR and the GNU dirs.

bindir ?= $(PREFIX)/bin
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
man1dir ?= $(mandir)/man1
man5dir ?= $(mandir)/man5
bashcompdir ?= $(datadir)/bash-completion/completions
pkgdatadir ?= $(datadir)/ctprof-top
INSTALL ?= install

MAN_PAGES := $(patsubst man/%.in,$(O)/man/%,$(wildcard man/*.in))
MANGEN := $(O)/man/mangen
# what `make install` puts under $(DESTDIR)$(PREFIX); tests/install.sh checks the same list
INSTALL_BINS := ctprof-top ctprof-remote $(if $(PROBE_BIN),ctprof-jemalloc-probe)
INSTALL_MAN1 := ctprof-top.1 ctprof-remote.1 $(if $(PROBE_BIN),ctprof-jemalloc-probe.1)
INSTALL_MAN5 := ctprof.5
INSTALL_DATA := ctprof-top.conf metrics.def derived.def

.PHONY: man install uninstall
man: $(MAN_PAGES)

# the pages are part of the test suite (tests/man.sh lints them)
test: $(MAN_PAGES)

$(MANGEN): man/mangen.c $(O)/ui/live/keys.o $(O)/src/compare/grouphelp.o $(wildcard data/*.def) src/snapshot/registry.h src/snapshot/model.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iui -o $@ man/mangen.c $(O)/ui/live/keys.o $(O)/src/compare/grouphelp.o $(LDFLAGS_ALL) $(LIBS_ALL)

# pages name $(PREFIX) in FILES: regenerate them when it changes (make install PREFIX=/usr)
$(O)/man/prefix.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
.PHONY: FORCE
FORCE:

$(O)/man/%: man/%.in $(MANGEN) $(O)/man/prefix.stamp
	$(MANGEN) $< VERSION=$(VERSION) PREFIX=$(PREFIX) > $@.tmp && mv $@.tmp $@

install: all man
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) $(DESTDIR)$(man5dir) \
	  $(DESTDIR)$(bashcompdir) $(DESTDIR)$(pkgdatadir)
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(bindir)/ctprof-top
	$(if $(PROBE_BIN),$(INSTALL) -m 755 $(PROBE_BIN) $(DESTDIR)$(bindir)/ctprof-jemalloc-probe)
	$(INSTALL) -m 755 contrib/ctprof-remote $(DESTDIR)$(bindir)/ctprof-remote
	$(INSTALL) -m 644 $(addprefix $(O)/man/,$(INSTALL_MAN1)) $(DESTDIR)$(man1dir)/
	$(INSTALL) -m 644 $(addprefix $(O)/man/,$(INSTALL_MAN5)) $(DESTDIR)$(man5dir)/
	$(INSTALL) -m 644 contrib/bash-completion/ctprof-top $(DESTDIR)$(bashcompdir)/ctprof-top
	$(INSTALL) -m 644 $(addprefix data/,$(INSTALL_DATA)) $(DESTDIR)$(pkgdatadir)/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(bindir)/,ctprof-top ctprof-remote ctprof-jemalloc-probe) \
	  $(addprefix $(DESTDIR)$(man1dir)/,ctprof-top.1 ctprof-remote.1 ctprof-jemalloc-probe.1) \
	  $(DESTDIR)$(man5dir)/ctprof.5 $(DESTDIR)$(bashcompdir)/ctprof-top \
	  $(addprefix $(DESTDIR)$(pkgdatadir)/,$(INSTALL_DATA))
	-rmdir $(DESTDIR)$(pkgdatadir) 2>/dev/null || true
