# httpd1: POSIX-ish make (GNU make features are avoided where easy).
# make            build ./httpd1, ./tcpwrap and ./thor
# make test       unit tests, bats suites, the same under ASan+UBSan, fuzz corpus replay
# make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 60)
# make lint       cppcheck, clang-tidy and a clang -Werror build of every C file
# make hardening  wrk for 60 s, slowloris, every fuzz target for HARDEN_FUZZ_SECONDS
# make bench-core requests/s on keep-alive and start-to-exit time of one request
# make BINCC=cc   the shipped programs with glibc instead of musl

# CC builds the tests, the sanitizer and valgrind builds and the fuzz replay
# (the sanitizers need glibc); BINCC builds the shipped httpd1, tcpwrap and
# thor: musl-gcc when it is on PATH (a static musl binary starts faster and
# takes less memory than a static glibc one), cc otherwise.  A change of
# BINCC, CFLAGS or LDFLAGS rebuilds them (build/bincc holds the last ones).
CC      = cc
BINCC  != command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo cc
CFLAGS  = -O2 -g
WFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wno-unused-parameter -Wformat=2 -Wvla
LDFLAGS = -static
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PREFIX  = /usr/local
FUZZ_SECONDS = 60

# the pure module: no system calls (checked by `make purity`)
PURE  = src/parse.c src/chunk.c src/path.c src/respond.c src/range.c src/emit.c \
        src/cgienv.c src/cgihead.c \
        src/listing.c src/date.c src/mime.c src/buf.c
# the shells around it
# (in this order: where LARGE of src/shell.h is empty, the small state of
# each lies in the pages that the start of the send buffer and the input
# buffer touch anyway)
SHELLS = src/main.c src/fs.c src/log.c src/send.c src/cgi.c
UNIT  = tests/unit/t_parse tests/unit/t_chunk tests/unit/t_path tests/unit/t_respond tests/unit/t_cgi \
        tests/unit/t_range tests/unit/t_date tests/unit/t_mime tests/unit/t_listing

PURE_O = $(PURE:src/%.c=build/%.o)
SHELL_O = $(SHELLS:src/%.c=build/%.o)
PURE_SO = $(PURE:src/%.c=build/san/%.o)
SHELL_SO = $(SHELLS:src/%.c=build/san/%.o)

all: httpd1 tcpwrap thor

# BINCC, CFLAGS and LDFLAGS of the shipped build, one a line; rewritten only
# when they change, so that the programs and build/*.o depend on them (and
# nothing is written when they have not: make run works in a tree built by
# another user)
build/bincc: FORCE
	@printf '%s\n' '$(BINCC)' '$(CFLAGS)' '$(LDFLAGS)' | cmp -s - $@ || { \
	mkdir -p build && printf '%s\n' '$(BINCC)' '$(CFLAGS)' '$(LDFLAGS)' > $@; }
FORCE:

# thor resolves names with getaddrinfo: static with musl, whose resolver is
# built in; dynamic with glibc, whose resolver loads shared libraries anyway
THOR_LDFLAGS = $(if $(findstring musl,$(BINCC)),$(LDFLAGS))

# the acceptor and the client stand alone: no part of the pure module
tcpwrap: src/tcpwrap.c build/bincc
	$(BINCC) $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ src/tcpwrap.c

thor: src/thor.c build/bincc
	$(BINCC) $(WFLAGS) $(CFLAGS) $(THOR_LDFLAGS) -o $@ src/thor.c

build/san/tcpwrap: src/tcpwrap.c
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -o $@ src/tcpwrap.c

build/san/thor: src/thor.c
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -o $@ src/thor.c

httpd1: $(PURE_O) $(SHELL_O)
	$(BINCC) $(CFLAGS) $(LDFLAGS) -o $@ $(PURE_O) $(SHELL_O)

build/san/httpd1: $(PURE_SO) $(SHELL_SO)
	$(CC) $(SANFLAGS) -o $@ $(PURE_SO) $(SHELL_SO)

build/%.o: src/%.c src/http.h src/shell.h build/bincc
	$(BINCC) $(WFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c src/http.h src/shell.h
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -c -o $@ $<

# for valgrind: dynamic, no sanitizers
build/vg/httpd1: $(PURE) $(SHELLS) src/http.h src/shell.h
	@mkdir -p build/vg
	$(CC) $(WFLAGS) -O1 -g -o $@ $(PURE) $(SHELLS)

# the other C library still builds the three programs (compile and link
# only, into build/alt/): cc when BINCC is musl, else musl-gcc if installed.
# build/alt/cc names the compiler used.
alt:
	@case '$(BINCC)' in *musl*) alt='$(CC)' ldt= ;; \
	*) alt=$$(command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc); ldt='$(LDFLAGS)' ;; esac; \
	rm -rf build/alt; \
	if [ -z "$$alt" ]; then echo "alt: no musl-gcc, so only $(BINCC) was tried"; exit 0; fi; \
	mkdir -p build/alt; \
	echo "alt: httpd1, tcpwrap and thor with $$alt into build/alt/"; \
	$$alt $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o build/alt/httpd1 $(PURE) $(SHELLS) && \
	$$alt $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o build/alt/tcpwrap src/tcpwrap.c && \
	$$alt $(WFLAGS) $(CFLAGS) $$ldt -o build/alt/thor src/thor.c && \
	echo "$$alt" > build/alt/cc

# unit tests: each t_NAME.c links against the pure objects only
build/unit/%: tests/unit/%.c tests/unit/tap.h tests/unit/fakefs.h $(PURE_SO)
	@mkdir -p build/unit
	$(CC) $(WFLAGS) $(SANFLAGS) -Isrc -o $@ $< $(PURE_SO)

unit: $(UNIT:tests/unit/%=build/unit/%)
	@fail=0; for t in $(UNIT:tests/unit/%=build/unit/%); do \
		echo "# $$t"; $$t > $$t.tap 2>&1 || fail=1; \
		grep -E '^(not ok|#)' $$t.tap; \
	done; exit $$fail

# the pure files must not reach the operating system: every symbol their
# objects import is either their own or on this list of libc's pure functions
PURE_LIBC = memchr memcmp memcpy memmove memset memmem strlen strchr strrchr strcmp \
            strncmp strspn strcspn snprintf vsnprintf malloc calloc realloc free qsort \
            strdup __stack_chk_fail
purity: $(PURE_O)
	@own=$$(nm -g --defined-only $(PURE_O) | awk 'NF==3 {print $$3}'); \
	bad=$$(nm -u $(PURE_O) | awk '{print $$2}' | sort -u | while read s; do \
		case " $(PURE_LIBC) $$(echo $$own) " in *" $$s "*) ;; *) echo $$s;; esac; done); \
	if [ -n "$$bad" ]; then echo "purity: pure files call: $$bad" >&2; exit 1; fi; \
	echo "purity: ok, the pure files import only pure libc functions"

# one libFuzzer target per parser of the pure module, each with its corpus
# tests/fuzz/corpus/NAME; replay.c is their main outside libFuzzer
FUZZ = head chunk path range date cgihead query
FUZZ_DEPS = tests/fuzz/common.h tests/fuzz/replay.c tests/unit/fakefs.h src/http.h
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
          -fno-omit-frame-pointer -Isrc -Itests/unit

build/fuzz/%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) $(PURE)
	@mkdir -p build/fuzz
	clang $(WFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(PURE)

build/replay/%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) $(PURE_SO)
	@mkdir -p build/replay
	$(CC) $(WFLAGS) $(SANFLAGS) -Isrc -Itests/unit -o $@ $< tests/fuzz/replay.c $(PURE_SO)

# each target in turn for FUZZ_SECONDS; new inputs go to build/corpus/NAME,
# crashes to build/crash-NAME-*.  Inputs are at most 4 KiB, but a request
# head or a CGI head goes a little past its 16 KiB limit
fuzz: $(FUZZ:%=build/fuzz/%)
	@for t in $(FUZZ); do \
		mkdir -p build/corpus/$$t; \
		case $$t in head|cgihead) len=17408 ;; *) len=4096 ;; esac; \
		echo "# fuzz $$t for $(FUZZ_SECONDS) s, inputs up to $$len bytes"; \
		build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len -print_final_stats=1 \
		    -artifact_prefix=build/crash-$$t- build/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# every corpus once under gcc's ASan and UBSan
replay: $(FUZZ:%=build/replay/%)
	@ok=0; bad=0; for t in $(FUZZ); do \
		n=$$(ls tests/fuzz/corpus/$$t | wc -l); \
		if build/replay/$$t tests/fuzz/corpus/$$t/*; then ok=$$((ok + n)); \
		else echo "replay: $$t FAILED"; bad=$$((bad + n)); fi; \
	done; echo "$$ok passed, $$bad failed"; [ $$bad = 0 ]

# static analysis: cppcheck and clang-tidy (.clang-tidy, .cppcheck-suppressions),
# then every C file built by clang with warnings as errors
LINT_C = src/*.c tests/unit/*.c tests/fuzz/*.c
lint:
	@mkdir -p build/lint
	cppcheck --quiet --error-exitcode=1 --std=c11 -D_GNU_SOURCE -Isrc -Itests/unit \
	    --enable=warning,style,performance,portability --inline-suppr \
	    --suppressions-list=.cppcheck-suppressions $(LINT_C)
	ls src/*.c tests/fuzz/*.c | xargs -P 2 -n 4 sh -c \
	    'clang-tidy --quiet "$$@" -- $(WFLAGS) -Isrc -Itests/unit' clang-tidy \
	    > build/lint/clang-tidy.log 2>&1 || { grep -E -A3 '(error|warning):' build/lint/clang-tidy.log; exit 1; }
	for f in $(LINT_C); do clang $(WFLAGS) -Isrc -Itests/unit -fsyntax-only $$f || exit 1; done
	for f in bench/*.c; do clang -std=c11 -Wall -Wextra -Werror -fsyntax-only $$f || exit 1; done
	@echo "lint: cppcheck, clang-tidy and clang -Werror clean"

bats: httpd1 tcpwrap thor build/vg/httpd1
	tests/run-bats ./httpd1

bats-san: build/san/httpd1 build/san/tcpwrap build/san/thor build/vg/httpd1
	TCPWRAP=build/san/tcpwrap THOR=build/san/thor tests/run-bats build/san/httpd1

# make test runs its two long halves side by side, one per core: lint then
# the bats pass, and the sanitizer bats pass.  make -O holds each half's
# output until that half ends, so the log reads as if they ran one by one.
test: all alt purity unit replay
	@$(MAKE) --no-print-directory -j2 -Otarget lint+bats bats-san
	@echo "make test: all suites passed"

lint+bats:
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory bats

# the long runs, never part of make test (figures in SECURITY.md)
HARDEN_FUZZ_SECONDS = 600
hardening: httpd1 tcpwrap
	tests/load/wrk60 60 200
	tests/load/wrk60 20 200 close
	tests/load/slowloris 300 20
	tests/load/fuzz-long $(HARDEN_FUZZ_SECONDS) 2

bench-core: httpd1
	bench/core

# httpd1 beside nginx, lighttpd, busybox, micro_httpd: bench/REPORT.md and
# bench/results/ (about 10 minutes); QUICK=1: a short run into build/bench/quick/
bench: httpd1 tcpwrap thor
	QUICK='$(QUICK)' BINCC='$(BINCC)' bench/run

# serve www/ on 127.0.0.1:$(PORT) until Ctrl-C; PORT=9000 make run, or make run PORT=9000
PORT ?= 8080
run: httpd1 tcpwrap
	@echo "httpd1: serving www/ on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	@exec ./tcpwrap -v 127.0.0.1 $(PORT) ./httpd1 -d www -c cgi-bin

# binaries, manual pages, and the example configurations as documentation
MANDIR = $(PREFIX)/share/man
DOCDIR = $(PREFIX)/share/doc/httpd1
EXAMPLES = inetd.conf.example xinetd.d/httpd1 httpd1.socket httpd1@.service \
           stunnel/httpd1.conf tcpserver/run
install: httpd1 tcpwrap thor
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DOCDIR)/xinetd.d $(DESTDIR)$(DOCDIR)/stunnel $(DESTDIR)$(DOCDIR)/tcpserver
	install -m 755 httpd1 tcpwrap $(DESTDIR)$(PREFIX)/bin/
	install -m 755 thor $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	for m in man/*.1; do if [ -f "$$m" ]; then install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1/; fi; done
	for f in $(EXAMPLES) README.md; do install -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/$$f"; done
	chmod 755 $(DESTDIR)$(DOCDIR)/tcpserver/run

clean:
	rm -rf build httpd1 tcpwrap thor

.PHONY: all alt unit purity fuzz replay lint hardening bats bats-san lint+bats test bench-core bench clean run install
