# dagtop: an operations console for Apache Airflow.
#
#   make            build ./dagtop
#   make check      install missing packages, then every test (plain and
#                   under AddressSanitizer + UndefinedBehaviorSanitizer)
#   make demo       a throwaway Airflow database with generated history, and
#                   dagtop on it (DAGTOP_DEMO_SCHEMA=2|3|32: Airflow 2.10,
#                   3.1 or 3.2)
#   make bench      the large-database benchmark (dagtop against psql,
#                   the console's load on the database; 2,000 DAGs;
#                   BENCH=--huge: 20,000 DAGs, about 45 minutes;
#                   DAGTOP_BENCH_SCHEMA=2|3|32)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man
DATADIR	 = $(PREFIX)/share/dagtop
VERSION	 = 0.1.0

CC	?= cc
PKGS	 = libpq libcurl libcrypto jansson inih zlib ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	   -DDAGTOP_VERSION='"$(VERSION)"' -DDAGTOP_DATADIR='"$(DATADIR)"' \
	   -Isrc -Isrc/model -Isrc/source -Isrc/report -Isrc/ui -I$(GENSRC)
WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(PKG_CFLAGS)
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=all
LIBS	 = $(PKG_LIBS) $(shell pkg-config --libs readline 2>/dev/null || echo -lreadline) -lm

APP_SRC  = $(filter-out src/main.c,$(wildcard src/*.c src/model/*.c \
	     src/source/*.c src/report/*.c src/ui/*.c))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
INTEG_SRC = $(wildcard tests/integration/test_*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)

# Two builds side by side: build/rel (what users run) and build/san (tests
# again under the sanitizers); build/gen holds sources made from data files.
REL	 = build/rel
SAN	 = build/san
GENSRC	 = build/gen

rel_objs = $(patsubst %.c,$(REL)/%.o,$(1))
san_objs = $(patsubst %.c,$(SAN)/%.o,$(1))

UNIT_REL  = $(patsubst tests/unit/%.c,$(REL)/tests/%,$(UNIT_SRC))
UNIT_SAN  = $(patsubst tests/unit/%.c,$(SAN)/tests/%,$(UNIT_SRC))
INTEG_REL = $(patsubst tests/integration/%.c,$(REL)/tests/%,$(INTEG_SRC))
INTEG_SAN = $(patsubst tests/integration/%.c,$(SAN)/tests/%,$(INTEG_SRC))

.PHONY: all check unit integration fuzz lint demo bench install uninstall \
	clean deps tools
.SUFFIXES:
.SECONDARY:

all: dagtop

dagtop: $(REL)/dagtop
	$(Q)cp $< $@

$(REL)/dagtop: $(call rel_objs,src/main.c) $(REL)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(SAN)/dagtop: $(call san_objs,src/main.c) $(SAN)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LIBS)

$(REL)/libdagtop.a: $(call rel_objs,$(APP_SRC))
	$(Q)rm -f $@
	$(SAY) AR $@
	$(Q)ar rcs $@ $^

$(SAN)/libdagtop.a: $(call san_objs,$(APP_SRC))
	$(Q)rm -f $@
	$(SAY) AR $@
	$(Q)ar rcs $@ $^

# The console's fallback when no keymap or view file can be read: the
# shipped default.keys and oncall.view themselves, as C strings, so that
# they cannot drift apart.
$(GENSRC)/builtin_data.h: keymaps/default.keys views/oncall.view src/ui/builtin.sh
	@mkdir -p $(@D)
	$(SAY) GEN $@
	$(Q)sh src/ui/builtin.sh keymaps/default.keys views/oncall.view > $@.tmp
	$(Q)mv $@.tmp $@
$(REL)/src/ui/console.o $(SAN)/src/ui/console.o \
    $(REL)/tests/unit/test_builtin.o $(SAN)/tests/unit/test_builtin.o: \
    $(GENSRC)/builtin_data.h

# Quiet by default, as tmux and redis are: V=1 shows the commands.
V	?= 0
ifeq ($(V),0)
Q	 = @
SAY	 = @printf '  %-4s %s\n'
else
Q	 =
SAY	 = @true
endif

$(REL)/%.o: %.c
	@mkdir -p $(@D)
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(SAN)/%.o: %.c
	@mkdir -p $(@D)
	$(SAY) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(REL)/tests/%: $(REL)/tests/unit/%.o $(REL)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(SAN)/tests/%: $(SAN)/tests/unit/%.o $(SAN)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

# The integration tests share tests/integration/dbtest.c (dbtest.h).
$(REL)/tests/test_db_%: $(REL)/tests/integration/test_db_%.o \
    $(REL)/tests/integration/dbtest.o $(REL)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(SAN)/tests/test_db_%: $(SAN)/tests/integration/test_db_%.o \
    $(SAN)/tests/integration/dbtest.o $(SAN)/libdagtop.a
	$(SAY) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

# Test tools: the history generator for the demo, the tests and the bench.
GEN	 = $(REL)/gen_history
$(GEN): tests/tools/gen_history.c
	@mkdir -p $(@D)
	$(SAY) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< -lz

tools: $(GEN)

deps:
	@sh tests/lib/deps.sh

# Unit tests (cmocka) in both builds, then the integration tests against a
# real PostgreSQL loaded with the Airflow 2.10, 3.1 and 3.2 schemas, also in
# both builds, then the fuzzers for a short while.
check: deps
	@$(MAKE) --no-print-directory unit integration fuzz lint

# The manual pages must pass mandoc's checker, and the layers must hold:
# src/model compiles with its own headers alone (no I/O library, no curses),
# and src/source sees neither src/ui nor src/report, nor src/config.h: a
# source takes its own narrow options, built from the settings in
# src/options.c.
LINT_INC = build/lint/include

lint:
	@mandoc -Tlint -Wwarning man/dagtop.1 man/dagtop.conf.5 && echo "man pages: clean"
	@for f in src/model/*.c; do \
		$(CC) -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		    -fsyntax-only -Isrc/model $$f || exit 1; \
	done; echo "layers: src/model builds on its own headers"
	@for h in src/*.h src/*/*.h; do \
		n=$${h##*/}; \
		if echo "#include <$$n>" | $(CC) -E -x c - >/dev/null 2>&1; then \
			echo "$$h has the name of a system header (<$$n>): a system header including it would get ours" >&2; \
			exit 1; \
		fi; \
	done; echo "headers: none has a system header's name"
	@rm -rf $(LINT_INC) && mkdir -p $(LINT_INC) && \
	for h in src/*.h; do \
		[ "$$h" = src/config.h ] || cp "$$h" $(LINT_INC)/; \
	done
	@for f in src/source/*.c; do \
		$(CC) -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		    $(PKG_CFLAGS) -fsyntax-only -I$(LINT_INC) -Isrc/model \
		    -Isrc/source $$f || exit 1; \
	done; echo "layers: src/source needs nothing of src/ui, src/report or config.h"

unit: $(UNIT_REL) $(UNIT_SAN)
	@sh tests/lib/run-unit.sh $(UNIT_REL) $(UNIT_SAN)

integration: dagtop $(SAN)/dagtop $(INTEG_REL) $(INTEG_SAN) $(GEN)
	@sh tests/integration/run.sh $(REL) $(SAN)

fuzz:
	@sh tests/fuzz/run.sh

demo: deps
	@$(MAKE) --no-print-directory dagtop $(GEN)
	@sh tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory dagtop $(GEN)
	@sh tests/bench/bench.sh $(BENCH)

install: dagtop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/views \
		$(DESTDIR)$(DATADIR)/keymaps
	install -m 755 dagtop $(DESTDIR)$(BINDIR)/dagtop
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	for f in views/*.view; do [ -e "$$f" ] || continue; \
		install -m 644 "$$f" $(DESTDIR)$(DATADIR)/views/; done
	for f in keymaps/*.keys; do [ -e "$$f" ] || continue; \
		install -m 644 "$$f" $(DESTDIR)$(DATADIR)/keymaps/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dagtop $(DESTDIR)$(MANDIR)/man1/dagtop.1 \
		$(DESTDIR)$(MANDIR)/man5/dagtop.conf.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build dagtop

-include $(shell find build -name '*.d' 2>/dev/null)
