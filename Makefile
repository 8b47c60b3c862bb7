# httpd1: POSIX-ish make (GNU make features are avoided where easy).
# make            build ./httpd1
# make test       unit tests, bats suites, the same under ASan+UBSan, fuzz corpus replay
# make fuzz       run the libFuzzer target for FUZZ_SECONDS (default 60)
# make bench-core requests/s on keep-alive and start-to-exit time of one request

CC      = cc
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
SHELLS = src/main.c src/fs.c src/send.c src/log.c src/cgi.c
UNIT  = tests/unit/t_parse tests/unit/t_chunk tests/unit/t_path tests/unit/t_respond tests/unit/t_cgi \
        tests/unit/t_range tests/unit/t_date tests/unit/t_mime tests/unit/t_listing

PURE_O = $(PURE:src/%.c=build/%.o)
SHELL_O = $(SHELLS:src/%.c=build/%.o)
PURE_SO = $(PURE:src/%.c=build/san/%.o)
SHELL_SO = $(SHELLS:src/%.c=build/san/%.o)

all: httpd1 tcpwrap thor

# the acceptor and the client stand alone: no part of the pure module
tcpwrap: src/tcpwrap.c
	$(CC) $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ src/tcpwrap.c

thor: src/thor.c
	$(CC) $(WFLAGS) $(CFLAGS) -o $@ src/thor.c

build/san/tcpwrap: src/tcpwrap.c
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -o $@ src/tcpwrap.c

build/san/thor: src/thor.c
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -o $@ src/thor.c

httpd1: $(PURE_O) $(SHELL_O)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(PURE_O) $(SHELL_O)

build/san/httpd1: $(PURE_SO) $(SHELL_SO)
	$(CC) $(SANFLAGS) -o $@ $(PURE_SO) $(SHELL_SO)

build/%.o: src/%.c src/http.h
	@mkdir -p build
	$(CC) $(WFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c src/http.h
	@mkdir -p build/san
	$(CC) $(WFLAGS) $(SANFLAGS) -c -o $@ $<

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

build/fuzz: tests/fuzz/fuzz.c tests/unit/fakefs.h $(PURE) src/http.h
	@mkdir -p build
	clang $(WFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc -Itests/unit -o $@ tests/fuzz/fuzz.c $(PURE)

build/replay: tests/fuzz/fuzz.c tests/fuzz/replay.c tests/unit/fakefs.h $(PURE_SO)
	$(CC) $(WFLAGS) $(SANFLAGS) -Isrc -Itests/unit -o $@ tests/fuzz/fuzz.c tests/fuzz/replay.c $(PURE_SO)

fuzz: build/fuzz
	mkdir -p build/corpus
	build/fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix=build/ build/corpus tests/fuzz/corpus

replay: build/replay
	build/replay tests/fuzz/corpus/*

bats: httpd1 tcpwrap thor
	tests/run-bats ./httpd1

bats-san: build/san/httpd1 build/san/tcpwrap build/san/thor
	TCPWRAP=build/san/tcpwrap THOR=build/san/thor tests/run-bats build/san/httpd1

test: all purity unit replay bats bats-san
	@echo "make test: all suites passed"

bench-core: httpd1
	bench/core

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
install: httpd1 tcpwrap
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DOCDIR)/xinetd.d $(DESTDIR)$(DOCDIR)/stunnel $(DESTDIR)$(DOCDIR)/tcpserver
	install -m 755 httpd1 tcpwrap $(DESTDIR)$(PREFIX)/bin/
	if [ -f thor ]; then install -m 755 thor $(DESTDIR)$(PREFIX)/bin/; fi
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	for m in man/*.1; do if [ -f "$$m" ]; then install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1/; fi; done
	for f in $(EXAMPLES) README.md; do install -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/$$f"; done
	chmod 755 $(DESTDIR)$(DOCDIR)/tcpserver/run

clean:
	rm -rf build httpd1 tcpwrap thor

.PHONY: all unit purity fuzz replay bats bats-san test bench-core clean run install
