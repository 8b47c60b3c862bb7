#!/usr/bin/env bats
# security.bats: named attacks on small web servers that the topic suites do
# not already cover (SECURITY.md lists those by name): far-future and
# pre-calendar mtimes, odd dates, chunked-coding corner cases, odd Host
# values, control bytes meant for a terminal reading the log, injection
# through a redirect's query, and symbolic-link loops.

load helper
load net
load cgi

NEXT='GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

# one response only, and it says Connection: close
expect_closed() {
	expect_nresp 1
	expect_hdr Connection close
}

# mtime_root: a docroot in $W/mt (on tmpfs when it can be, which keeps
# 64-bit times; ext4 stops in 2446) with files whose mtimes lie outside the
# years 1 to 9999; MT_FUTURE and MT_PAST are the mtimes the filesystem kept
mtime_root() {
	local base=$W
	[ -d /dev/shm ] && [ -w /dev/shm ] && base=$(mktemp -d /dev/shm/httpd1-t.XXXXXX)
	MT=$base/mt
	echo "$base" >>"$W/cleanup"
	mkdir -p "$MT/d"
	printf 'future\n' >"$MT/d/future.txt"
	printf 'past\n' >"$MT/d/past.txt"
	printf 'y10000\n' >"$MT/d/y10000.txt"
	touch -d '@253402300800' "$MT/d/y10000.txt"
	python3 - "$MT/d" <<'PY'
import os, sys
d = sys.argv[1]
for name, t in (('future.txt', 2**62), ('past.txt', -2**62)):
    for v in (t, t >> 20, t >> 30):
        try:
            os.utime(os.path.join(d, name), (v, v))
            break
        except OSError:
            pass
PY
	MT_FUTURE=$(stat -c %Y "$MT/d/future.txt")
	MT_PAST=$(stat -c %Y "$MT/d/past.txt")
}

teardown() {
	local d
	if [ -f "$W/cleanup" ]; then
		while read -r d; do rm -rf "$d"; done <"$W/cleanup"
	fi
	local crashed=0
	if [ -s "$W/crash" ]; then
		cat "$W/crash"
		crashed=1
	fi
	rm -rf "$W"
	[ "$crashed" = 0 ]
}

# ---- mtimes outside the calendar

@test "mtime in year 10000 or 2^62 s: served, Last-Modified not after Date" {
	command -v python3 >/dev/null || skip "UNTESTED: python3 is missing"
	mtime_root
	HARGS=(-d "$MT" -l "$LOG")
	for f in y10000.txt future.txt; do
		get "/d/$f"
		expect_status 200
		expect_body "${f%%.txt}\n"
		# RFC 9110 8.8.2.1: never later than Date; here exactly Date
		[ "$(hdr Last-Modified)" = "$(hdr Date)" ] ||
			fail "Last-Modified '$(hdr Last-Modified)' differs from Date '$(hdr Date)'"
	done
	echo "# mtimes kept: $MT_FUTURE and $MT_PAST" >&3
}

@test "mtime before year 1 (-2^62 s): served without Last-Modified" {
	command -v python3 >/dev/null || skip "UNTESTED: python3 is missing"
	mtime_root
	[ "$MT_PAST" -lt -62135596800 ] || skip "UNTESTED: the filesystem kept the mtime $MT_PAST"
	HARGS=(-d "$MT" -l "$LOG")
	get /d/past.txt
	expect_status 200
	expect_body 'past\n'
	expect_no_hdr Last-Modified
	expect_hdr_re ETag '^"[^"]+"$'
}

@test "listings of files with mtimes outside years 1-9999: HTML and JSON, no crash" {
	command -v python3 >/dev/null || skip "UNTESTED: python3 is missing"
	mtime_root
	HARGS=(-d "$MT" -l "$LOG")
	get /d/
	expect_status 200
	expect_body_has 'future.txt'
	expect_body_has 'past.txt'
	expect_clen_matches
	get '/d/?format=json'
	expect_status 200
	body | python3 -c 'import json, sys; e = json.load(sys.stdin)["entries"]; assert len(e) == 3, e' ||
		fail "the JSON listing does not parse or lacks entries"
}

@test "conditionals against far-future and pre-calendar mtimes: no crash, sane answers" {
	command -v python3 >/dev/null || skip "UNTESTED: python3 is missing"
	mtime_root
	HARGS=(-d "$MT" -l "$LOG")
	get /d/future.txt 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n'
	expect_status_in '200|304'
	get /d/past.txt 'If-Modified-Since: Mon, 01 Jan 0001 00:00:00 GMT\r\n'
	expect_status_in '200|304'
	get /d/past.txt 'If-Unmodified-Since: Mon, 01 Jan 0001 00:00:00 GMT\r\n'
	expect_status_in '200|412'
	get /d/future.txt 'Range: bytes=0-1\r\nIf-Range: Fri, 31 Dec 9999 23:59:59 GMT\r\n'
	expect_status_in '200|206'
}

# ---- odd dates

@test "If-Modified-Since of 6000 bytes is ignored (200)" {
	local d
	d=$(printf "$LASTMOD%.0s" $(seq 200))
	get /hello.txt "If-Modified-Since: $d\r\n"
	expect_status 200
	expect_body 'hello\n'
}

@test "If-Modified-Since with a leap second at the end of 9999 is ignored (200)" {
	# found by the date fuzz target: it parsed to a time no date could show
	get /hello.txt 'If-Modified-Since: Fri, 31 Dec 9999 23:59:60 GMT\r\n'
	expect_status 200
	get /hello.txt 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n'
	expect_status 304
}

@test "If-Modified-Since in year 0000 or 99999, or at 24:00 or :61, is ignored (200)" {
	local d
	for d in 'Sat, 01 Jan 0000 00:00:00 GMT' 'Fri, 31 Dec 99999 23:59:59 GMT' \
	    'Thu, 02 Jan 2020 24:00:00 GMT' 'Thu, 02 Jan 2020 03:04:61 GMT' \
	    'Thu, 02 Jan 2020 03:04:05 UTC' 'Thu, 02 Jan 2020 03:04:05 GMT trailing'; do
		get /hello.txt "If-Modified-Since: $d\r\n"
		expect_status 200
	done
}

# ---- chunked coding

@test "a bare CR ending a chunk-size line gives 400 and closes" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "a control byte in a chunk extension gives 400 and closes" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x01b\r\nhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "a chunk extension over 4 KiB gives 400 and closes" {
	local e
	e=$(head -c 5000 /dev/zero | tr '\0' e)
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;$e\r\nhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "chunked trailers over 4 KiB give 400 and close" {
	local t
	t=$(head -c 5000 /dev/zero | tr '\0' t)
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: $t\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "a negative or space-split chunk size gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 5\r\nhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
}

@test "Transfer-Encoding with a vertical tab, a space before the colon or xchunked is refused" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status_in '400|501'
	expect_closed
}

@test "Content-Length with an inner space gives 400" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1 0\r\n\r\n0123456789$NEXT"
	expect_status 400
	expect_closed
}

@test "a body that looks like a request is skipped, not answered" {
	local inner='GET /.hidden HTTP/1.1\r\nHost: x\r\n\r\n'
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 34\r\n\r\n$inner$NEXT"
	expect_statuses '405 200'
	expect_out_lacks HIDDEN-CONTENT
}

# ---- Host

@test "an empty Host on HTTP/1.1 is accepted (RFC 9112 3.2)" {
	req 'GET /hello.txt HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n'
	expect_status 200
}

@test "a Host with userinfo, a slash, a backslash or a space gives 400" {
	local h
	for h in 'user@x' 'x/y' 'x\\y' 'x y' 'x?y' 'x#y'; do
		req "GET /hello.txt HTTP/1.1\r\nHost: $h\r\n\r\n"
		expect_status 400
	done
}

@test "Host selects nothing: odd hosts of host characters get the one docroot" {
	local h
	# one docroot, no virtual hosts: Host reaches only a CGI's SERVER_NAME
	for h in 'x:80:80' '[::1' '..' '-x' 'localhost%00'; do
		req "GET /hello.txt HTTP/1.1\r\nHost: $h\r\nConnection: close\r\n\r\n"
		expect_status_in '200|400'
		[ "$(status)" = 400 ] || expect_body 'hello\n'
	done
}

@test "a Host of 8000 bytes is neither echoed nor fatal" {
	local h
	h=$(head -c 8000 /dev/zero | tr '\0' a)
	req "GET /nope HTTP/1.1\r\nHost: $h\r\nConnection: close\r\n\r\n"
	expect_status_in '400|404|431'
	expect_out_lacks aaaaaaaaaaaaaaaa
}

# ---- NUL and control bytes

@test "a raw NUL byte in the request target gives 400" {
	req 'GET /hello.txt\x00.png HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	expect_out_lacks hello
}

@test "a raw ESC in the request target is logged as \\x1b, never raw" {
	req 'GET /a\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	! LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]' "$LOG" || fail "a control byte reached the log: $(cat -v "$LOG")"
	grep -q -F '\x1b[2J' "$LOG" || fail "ESC not shown as \\x1b: $(cat -v "$LOG")"
}

@test "a C1 control (CSI as UTF-8) in User-Agent is logged escaped" {
	get /hello.txt 'User-Agent: \xc2\x9b31m\xe2\x80\xae\r\n'
	expect_status 200
	! LC_ALL=C grep -q -P '[\x80-\xff]' "$LOG" || fail "a high byte reached the log: $(cat -v "$LOG")"
	grep -q -F '\xc2\x9b31m' "$LOG" || fail "CSI not escaped: $(cat -v "$LOG")"
}

@test "a percent-encoded escape sequence in the path is logged as sent" {
	req 'GET /%1b[2J%1b]0;x%07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 404
	grep -q -F '/%1b[2J%1b]0;x%07' "$LOG" || fail "not logged as sent: $(cat -v "$LOG")"
	! LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]' "$LOG" || fail "a control byte reached the log"
	expect_out_lacks $'\x1b'
}

# ---- injection through a redirect

@test "the query of a redirect never reaches the page body" {
	get '/dir?<script>alert(1)</script>'
	expect_status 301
	expect_body_lacks '<script>'
	expect_clen_matches
}

@test "an encoded CRLF in the query cannot add a field to a redirect" {
	get '/dir?a%0d%0aSet-Cookie:%20x=1%0d%0a'
	expect_status 301
	expect_no_hdr Set-Cookie
	[ "$(heads | wc -l)" = "$(heads | grep -c -E '^(HTTP/1\.1 |[A-Za-z-]+: )')" ] ||
		fail "a line of the head is not a field"
}

# ---- symbolic links

@test "a symbolic-link loop gives 404 and does not hang" {
	local r=$W/loop
	mkdir -p "$r"
	ln -s a "$r/b"
	ln -s b "$r/a"
	ln -s self "$r/self"
	HARGS=(-d "$r" -l "$LOG")
	for p in /a /self /self/x /b/; do
		get "$p"
		[ "$RC" != 124 ] || fail "hung on $p"
		expect_status_in '403|404'
	done
}

@test "a symbolic link to the parent of the docroot gives 404" {
	local r=$W/up
	mkdir -p "$r/root"
	printf 'SECRET-UP\n' >"$r/secret.txt"
	ln -s .. "$r/root/up"
	ln -s "$r" "$r/root/abs"
	HARGS=(-d "$r/root" -l "$LOG")
	for p in /up/secret.txt /abs/secret.txt /up/ /abs/; do
		get "$p"
		expect_status 404
		expect_out_lacks SECRET-UP
	done
}

@test "a dotfile behind a directory symlink gives 404" {
	get /dirlink/.secret
	expect_status 404
	expect_out_lacks SECRET-DOTFILE
}

# ---- execution, privileges, confinement

# exec_site: a docroot and a CGI directory that nobody may enter, in $XS
exec_site() {
	XS=$(mktemp -d "$(cgi_tmpbase)/httpd1-sec.XXXXXX")
	echo "$XS" >>"$W/cleanup"
	mkdir -p "$XS/www" "$XS/cgi-bin" "$XS/outside"
	prog "$XS/www/run-me" <<-'EOF2'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nRAN\n'
	EOF2
	cp "$XS/www/run-me" "$XS/www/plain.cgi"
	chmod 644 "$XS/www/plain.cgi"
	cp "$XS/www/run-me" "$XS/outside/prog.cgi"
	ln -s "$XS/outside/prog.cgi" "$XS/www/link.cgi"
	ln -s "$XS/outside/prog.cgi" "$XS/cgi-bin/link"
	prog "$XS/cgi-bin/whoami" <<-'EOF2'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nuid=%s\n' "$(id -u)"
	EOF2
	printf 'hello\n' >"$XS/www/hello.txt"
	chmod 755 "$XS" "$XS/www" "$XS/cgi-bin" "$XS/outside"
	HARGS=(-d "$XS/www" -c "$XS/cgi-bin" -l "$LOG" "${CGIU[@]}")
}

# not_run: the response is the program's text, not its output
not_run() {
	expect_status 200
	expect_body_has '#!/bin/sh'
	expect_hdr Content-Type application/octet-stream
}

@test "an executable without the CGI suffix in the docroot is sent, never run" {
	exec_site
	get /run-me
	not_run
}

@test "a non-executable .cgi in the docroot is 403, its source unsent; -x '' runs none" {
	exec_site
	get /plain.cgi
	expect_status 403
	expect_out_lacks '#!/bin/sh'
	expect_out_lacks RAN
	get /plain
	expect_status 404
	expect_out_lacks '#!/bin/sh'
	get /plain.cgi '' -x ''
	not_run
	cp "$XS/www/run-me" "$XS/www/ok.cgi"
	get /ok.cgi '' -x ''
	not_run
}

@test "a symlink to a program outside the roots is not run, in the docroot or /cgi-bin/" {
	exec_site
	for p in /link.cgi /link /cgi-bin/link; do
		get "$p"
		expect_status 404
		expect_out_lacks RAN
	done
}

@test "/cgi-bin/.. leaves the CGI directory for the docroot, where nothing runs" {
	exec_site
	get /cgi-bin/../run-me
	not_run
	get /cgi-bin/%2e%2e/cgi-bin/whoami
	expect_status_in '200|404'
	get '/cgi-bin/..%2fwww/run-me'
	expect_status 400
}

@test "a CGI program runs as the -u user, never as root" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: needs root"
	id nobody >/dev/null 2>&1 || skip "UNTESTED: no user nobody"
	exec_site
	get /cgi-bin/whoami
	expect_status 200
	expect_body_has "uid=$(id -u nobody)"
}

@test "-u UID:GID beyond 32 bits is refused, not cut to root's group" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: needs root"
	exec_site
	# 4294967296 is 2^32: cut to 32 bits it would be gid 0
	for u in 65534:4294967296 4294967296:65534 65534:4294967295 99999999999999999999:1; do
		RC=0
		printf 'GET /cgi-bin/whoami HTTP/1.0\r\n\r\n' |
			timeout 10 "$HTTPD1" -d "$XS/www" -c "$XS/cgi-bin" -l "$LOG" -u "$u" >"$OUT" 2>&1 || RC=$?
		[ "$RC" = 2 ] || fail "-u $u: exit $RC: $(head -c 300 "$OUT")"
		[ "$(head -n 1 "$OUT")" = "httpd1: -u $u: want a user name or uid:gid" ] ||
			fail "-u $u: $(head -c 300 "$OUT")"
		! grep -q '^HTTP/' "$OUT" || fail "-u $u: answered: $(head -c 300 "$OUT")"
	done
}

@test "-u root or -u 0:0 serves, but says in the log that nothing is dropped" {
	[ "$(id -u)" = 0 ] || skip "needs root: -u 0 cannot be taken otherwise"
	for u in root 0:0; do
		RC=0
		printf 'GET /hello.txt HTTP/1.0\r\n\r\n' |
			timeout 10 "$HTTPD1" -d "$DOCROOT" -u "$u" >"$OUT" 2>"$ERR" || RC=$?
		[ "$RC" = 0 ] || fail "-u $u: exit $RC: $(cat "$ERR")"
		expect_status 200
		grep -qF "httpd1: -u $u: is root: nothing is dropped, and no CGI program runs" "$ERR" ||
			fail "-u $u: no warning: $(cat "$ERR")"
	done
	RC=0
	printf 'GET /hello.txt HTTP/1.0\r\n\r\n' |
		timeout 10 "$HTTPD1" -d "$DOCROOT" -u nobody >"$OUT" 2>"$ERR" || RC=$?
	! grep -q 'is root' "$ERR" || fail "-u nobody warned: $(cat "$ERR")"
}

@test "-u with a ':' but not two numbers is a usage error, as in tcpwrap" {
	for u in 1: :1 1:x x:1 1:2:3; do
		RC=0
		timeout 10 "$HTTPD1" -d "$DOCROOT" -u "$u" </dev/null >"$OUT" 2>"$ERR" || RC=$?
		[ "$RC" = 2 ] || fail "-u $u: exit $RC: $(cat "$ERR")"
		[ "$(head -n 1 "$ERR")" = "httpd1: -u $u: want a user name or uid:gid" ] ||
			fail "-u $u: $(cat "$ERR")"
		grep -q '^usage:' "$ERR" || fail "-u $u: no usage: $(cat "$ERR")"
		[ ! -s "$OUT" ] || fail "-u $u: stdout: $(cat "$OUT")"
	done
	RC=0
	timeout 10 "$HTTPD1" -d "$DOCROOT" -u no-such-user-here </dev/null >"$OUT" 2>"$ERR" || RC=$?
	[ "$RC" = 1 ] || fail "unknown name: exit $RC: $(cat "$ERR")"
	grep -q 'no-such-user-here: no such user' "$ERR" || fail "unknown name: $(cat "$ERR")"
}

@test "-t and -u: httpd1 itself runs chrooted to the docroot as the -u user" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: chroot needs root"
	id nobody >/dev/null 2>&1 || skip "UNTESTED: no user nobody"
	local pid i=0
	exec_site
	HARGS=(-d "$XS/www" -l "$LOG" -t -u nobody)
	fifo_server
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&7
	while [ "$i" -lt 50 ] && ! grep -q hello "$OUT"; do sleep 0.1; i=$((i + 1)); done
	pid=$(children "$SPID" | head -n 1)
	[ -n "$pid" ] || fail "no httpd1 process"
	[ "$(readlink "/proc/$pid/root")" = "$XS/www" ] || fail "root is $(readlink "/proc/$pid/root")"
	awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status" >"$W/uids"
	[ "$(cat "$W/uids")" = "$(id -u nobody) $(id -u nobody) $(id -u nobody) $(id -u nobody)" ] ||
		fail "uids $(cat "$W/uids")"
	T0=$(now_ms)
	exec 7>&-
	fifo_wait
	expect_status 200
}
