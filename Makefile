# blockutils: plain make; `make`, `make test`, `make check`, `make bench`, `make install`,
# `make fuzz` (clang, libFuzzer), `make stress` (not part of make test), `make uninstall`,
# `make mutate [MUTANTS=<id prefix>]` (t/mutate/run.sh: mutation testing of common/, minutes)
PREFIX   ?= /usr/local
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
DESTDIR  ?=
B        ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
# Warnings are errors only for developers (make DEVELOPER=1, as git does;
# .ci/run and make check set it), so a newer compiler's new warning does not
# stop a user's build.
WARN     ?= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifneq ($(DEVELOPER),)
WARN     += -Werror
endif
SAN      ?=
ALLCFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SAN) -pthread
# common/ holds the library, one folder a layer (common/README); a header is
# included by its name alone, whatever its layer
LAYERS   = base core format storage mining network command
INCS     = $(addprefix -Icommon/,$(LAYERS))
HDRS     = $(wildcard common/*/*.h)
# OpenSSL 3's interfaces only: a deprecated call does not compile
ALLCPPFLAGS = -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -DOPENSSL_API_COMPAT=30000 \
	-DOPENSSL_NO_DEPRECATED $(INCS) $(CPPFLAGS)
LIBS     = -lcrypto -lz -lpthread

CMDS     = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
# cmdutil exits, so it is linked into the commands and kept out of the library
CMDUTIL  = $(B)/obj/cmdutil.o
LIBSRC   = $(filter-out common/command/cmdutil.c,$(wildcard common/*/*.c))
LIBOBJ   = $(addprefix $(B)/obj/,$(notdir $(LIBSRC:.c=.o)))
vpath %.c $(addprefix common/,$(LAYERS))
HELPERS  = $(patsubst t/helper/%.c,%,$(wildcard t/helper/*.c))
BINS     = $(addprefix $(B)/bin/,$(CMDS))
HBINS    = $(addprefix $(B)/t/,$(HELPERS))
MAN1     = $(wildcard man/man1/*.1)
MAN5     = $(wildcard man/man5/*.5)
MAN7     = $(wildcard man/man7/*.7)

# Fuzzing: one libFuzzer target per file t/fuzz/NAME.c, built into $(FB)/fuzz/NAME
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst t/fuzz/%.c,%,$(wildcard t/fuzz/*.c))
FUZZ_FLAGS   ?=
FB           ?= build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS     = $(addprefix $(FB)/fuzz/,$(FUZZ_TARGETS))

all: $(B)/.deps $(BINS) $(HBINS)

$(B)/.deps: mk/deps.sh
	@sh mk/deps.sh build
	@mkdir -p $(B) && touch $@

$(B)/obj/%.o: %.c $(HDRS) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(B)/libbu.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(B)/bin/%: cmd/%.c $(CMDUTIL) $(B)/libbu.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -o $@ $< $(CMDUTIL) $(B)/libbu.a $(LDFLAGS) $(LIBS)

$(B)/t/%: t/helper/%.c $(CMDUTIL) $(B)/libbu.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -o $@ $< $(CMDUTIL) $(B)/libbu.a $(LDFLAGS) $(LIBS)

test: all
	@sh mk/deps.sh test
	cd t && BU_BUILD=$(CURDIR)/$(B) prove -j2 --timer t[0-9]*.sh

check:
	$(MAKE) DEVELOPER=1 B=build-san SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' all
	@sh mk/deps.sh test
	cd t && BU_BUILD=$(CURDIR)/build-san BU_SANITIZED=1 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		prove -j2 --timer t[0-9]*.sh

fuzz: fuzz-build
	@FB=$(FB) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_FLAGS='$(FUZZ_FLAGS)' sh mk/fuzz.sh $(FUZZ_TARGETS)

fuzz-build:
	@sh mk/deps.sh fuzz
	$(MAKE) B=$(FB) CC=$(FUZZ_CC) SAN='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' CFLAGS='-O1 -g' $(FB)/libbu.a
	$(MAKE) FB=$(FB) $(FUZZ_BINS)

$(FB)/fuzz/%: t/fuzz/%.c t/fuzz/fuzz.h $(FB)/libbu.a $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -D_GNU_SOURCE $(INCS) -std=c11 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -pthread \
		-o $@ $< $(FB)/libbu.a $(LDFLAGS) $(LIBS)

stress: all
	@sh mk/deps.sh test
	cd t && BU_BUILD=$(CURDIR)/$(B) sh stress/chain-append.sh
	cd t && BU_BUILD=$(CURDIR)/$(B) BU_TRIALS=$${BU_TRIALS:-200} sh t6007-peer-crash.sh

bench: all
	@for s in t/bench/[0-9]*.sh; do BU_BUILD=$(CURDIR)/$(B) sh $$s || exit 1; done

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completion/blockutils $(DESTDIR)$(COMPDIR)/blockutils
	for t in $(CMDS); do ln -sf blockutils $(DESTDIR)$(COMPDIR)/$$t || exit 1; done

# Only what install put there; the directories stay (others may share them).
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(CMDS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))
	rm -f $(DESTDIR)$(COMPDIR)/blockutils $(addprefix $(DESTDIR)$(COMPDIR)/,$(CMDS))

lint:
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)

# B= names the build to remove (make B=out clean); the sanitizer and fuzz
# builds go too.
clean:
	rm -rf $(B) build-san $(FB)

# mutation testing on a copy of the tree (t/mutate/run.sh); not part of make test
mutate:
	sh t/mutate/run.sh $(MUTANTS)

.PHONY: all test check fuzz fuzz-build stress bench install uninstall lint clean mutate
.SECONDARY:
