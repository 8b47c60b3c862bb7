#!/usr/bin/env bats
# faults.bats: httpd1 and tcpwrap when things go wrong around them: a client
# that resets mid-download, a file truncated while it is sent, CGI programs
# that leave a grandchild holding their output or flood their stderr, an
# acceptor out of descriptors, a log on a full filesystem; and a keep-alive
# session of 1,000 mixed requests under valgrind.  Loopback only; every
# process started is killed by PID in teardown, and every wait is bounded.

load helper
load net
load cgi

setup_file() {
	SITE=$(mktemp -d "$(cgi_tmpbase)/httpd1-faults.XXXXXX")
	SITE=$(cd "$SITE" && pwd -P)
	mkdir -p "$SITE/www/dir" "$SITE/cgi-bin"
	printf 'hello\n' >"$SITE/www/hello.txt"
	seq 1 1000 >"$SITE/www/seq.txt"
	printf '<p>index</p>\n' >"$SITE/www/dir/index.html"
	mkdir -p "$SITE/www/list"
	for i in 1 2 3; do printf '%s\n' "$i" >"$SITE/www/list/f$i.txt"; done
	truncate -s 100M "$SITE/www/big100"
	MARK=$$$RANDOM
	# a grandchild keeps the program's stdout open after the program exits
	prog "$SITE/cgi-bin/orphan" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nfrom the program\n'
	sleep 6$MARK &
	exit 0
	EOF
	# 100,000 lines on stderr before and after the response
	prog "$SITE/cgi-bin/flood" <<-'EOF'
	#!/bin/sh
	seq -f 'noise before %g' 50000 >&2
	printf 'Content-Type: text/plain\n\nflood body\n'
	seq -f 'noise after %g' 50000 >&2
	EOF
	prog "$SITE/cgi-bin/hi" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nhi %s\n' "$QUERY_STRING"
	EOF
	chmod 755 "$SITE" "$SITE/www" "$SITE/cgi-bin"
	export SITE MARK
}

teardown_file() {
	[ -z "${SITE:-}" ] || rm -rf "$SITE"
}

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/httpd1-t.XXXXXX")
	OUT=$W/out ERR=$W/err LOG=$W/log RC=0
	: >"$LOG"
	: >"$OUT"
	: >"$ERR"
	HARGS=(-d "$SITE/www" -c "$SITE/cgi-bin" -l "$LOG" "${CGIU[@]}")
	command -v python3 >/dev/null 2>&1 || skip "UNTESTED: python3 is missing"
}

teardown() {
	if [ -n "${MNT:-}" ]; then
		umount "$MNT" 2>/dev/null || true
	fi
	net_teardown
}

# cpu_ms PID: user and system CPU time of PID so far, in ms
cpu_ms() {
	sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{ print int(($12 + $13) * 1000 / hz) }'
}

# kids_gone PID SECS: PID has no child left within SECS
kids_gone() {
	local i=0
	while [ "$i" -lt $(($2 * 10)) ]; do
		[ -z "$(children "$1")" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# read_then_reset PATH BYTES: GET PATH on $PORT, read BYTES of the answer,
# then close with SO_LINGER 0: a reset, with more still to come
read_then_reset() {
	python3 - "$PORT" "$1" "$2" <<-'PY'
	import socket, struct, sys
	s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
	s.sendall(b'GET ' + sys.argv[2].encode() + b' HTTP/1.1\r\nHost: x\r\n\r\n')
	got = 0
	while got < int(sys.argv[3]):
	    k = s.recv(65536)
	    assert k, 'closed early'
	    got += len(k)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
	s.close()
	PY
}

# logged_200 PATH: the bytes of the one 200 log line for PATH
logged_200() {
	local n
	n=$(grep -c -F "\"GET $1 HTTP/1.1\"" "$LOG")
	[ "$n" = 1 ] || fail "$n log lines for $1: $(cat "$LOG")"
	grep -F "\"GET $1 HTTP/1.1\" 200 " "$LOG" | sed 's/.*" 200 \([0-9]*\) .*/\1/'
}

@test "a client resetting mid-download of 100 MB: httpd1 exits at once, no hang" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$SITE/www" -l "$LOG"
	read_then_reset /big100 1048576
	kids_gone "$TWPID" 5 || fail "httpd1 still running 5 s after the reset: $(children "$TWPID")"
	kill -0 "$TWPID" || fail "tcpwrap died"
	[ "$(zombies "$TWPID")" = 0 ]
	if LC_ALL=C grep -a -q -E 'Sanitizer|runtime error:' "$LOG" "$W/tw.err"; then
		fail "a sanitizer spoke: $(grep -a -h -E -A20 'Sanitizer|runtime error:' "$LOG" "$W/tw.err" | head -40)"
	fi
	# one log line, with what was written: at least what the client read,
	# never the whole file
	local sent
	sent=$(logged_200 /big100)
	[ -n "$sent" ] || fail "no 200 line: $(cat "$LOG")"
	[ "$sent" -ge 1048576 ] || fail "logged $sent bytes, the client read 1 MiB"
	[ "$sent" -lt 104857600 ] || fail "logged $sent bytes as sent"
}

@test "a client gone while a CGI program streams: the program is killed, one log line" {
	prog "$SITE/cgi-bin/endless" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	i=0
	while [ "$i" -lt 2000000 ]; do echo "line $i of a long answer"; i=$((i + 1)); done
	EOF
	tw_start 127.0.0.1 0 "$HTTPD1" "${HARGS[@]}"
	read_then_reset /cgi-bin/endless 65536
	kids_gone "$TWPID" 5 || fail "still running 5 s after the reset: $(children "$TWPID")"
	local sent
	sent=$(logged_200 /cgi-bin/endless)
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "no 200 line with bytes: $(cat "$LOG")"
}

@test "a file truncated while it is sent: the connection closes, logged, no hang" {
	truncate -s 200M "$W/big200"
	mkdir -p "$W/root"
	ln "$W/big200" "$W/root/big200" 2>/dev/null || mv "$W/big200" "$W/root/big200"
	run timeout 30 python3 - "$HTTPD1" "$W/root" "$LOG" <<-'PY'
	import os, subprocess, sys, time
	httpd1, root, log = sys.argv[1:4]
	p = subprocess.Popen([httpd1, '-d', root, '-l', log], stdin=subprocess.PIPE,
	                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
	p.stdin.write(b'GET /big200 HTTP/1.1\r\nHost: x\r\n\r\n')
	p.stdin.flush()
	got = len(p.stdout.read1(65536))
	os.truncate(os.path.join(root, 'big200'), 1 << 20)
	t0 = time.monotonic()
	while True:
	    k = p.stdout.read1(1 << 20)
	    if not k:
	        break
	    got += len(k)
	p.stdin.close()
	rc = p.wait(timeout=10)
	print('received %d bytes, closed %.2f s after the truncation, exit %d'
	      % (got, time.monotonic() - t0, rc))
	assert got < 200 << 20, 'the whole file arrived'
	assert rc >= 0, 'killed by a signal'
	PY
	echo "$output"
	[ "$status" = 0 ]
	grep -q 'file changed while being sent' "$LOG" || fail "no log line: $(cat "$LOG")"
}

@test "a CGI grandchild holding stdout open: ended at the -i deadline, group killed" {
	local t0 ms
	t0=$(now_ms)
	get /cgi-bin/orphan '' -i 1
	ms=$(($(now_ms) - t0))
	[ "$RC" != 124 ] || fail "httpd1 hung"
	expect_status 200
	grep -q 'from the program' "$OUT" || fail "the program's output was lost"
	[ "$ms" -lt 4000 ] || fail "took $ms ms"
	sleep 0.3
	! pgrep -f "sleep 6$MARK" >/dev/null || fail "left behind: $(pgrep -af "sleep 6$MARK")"
}

@test "a CGI flooding stderr with 100,000 lines: all logged, response intact, no deadlock" {
	local n
	get /cgi-bin/flood '' -i 10
	[ "$RC" != 124 ] || fail "httpd1 hung"
	expect_status 200
	grep -q 'flood body' "$OUT" || fail "body lost"
	expect_out_lacks noise
	n=$(grep -c 'noise' "$LOG")
	[ "$n" = 100000 ] || fail "$n noise lines in the log"
	# and the connection goes on: a pipelined request after it is answered
	req 'GET /cgi-bin/flood HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' -i 10
	expect_statuses '200 200'
}

# tcpwrap keeps no descriptor per connection (the child takes it), so 40
# connections under ulimit -n 32 must not even reach EMFILE; the EMFILE path
# itself is forced in tcpwrap.bats ("out of descriptors: ...", prlimit 4)
@test "tcpwrap under ulimit -n 32 with 40 held connections: all served, no spin, serves after" {
	local cpu0 cpu1 code kids fds
	rm -f "$W/port"
	spawn tw bash -c "ulimit -n 32 && exec \"$TCPWRAP\" -P \"$W/port\" -c 300 127.0.0.1 0 \"$HTTPD1\" -d \"$SITE/www\" -l /dev/null -T 30"
	TWPID=$BGPID
	for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
	PORT=$(cat "$W/port")
	[ -n "$PORT" ] || fail "tcpwrap did not start: $(cat "$W/tw.err")"
	grep -q 'Max open files *32 ' "/proc/$TWPID/limits" || fail "limit not applied"
	cpu0=$(cpu_ms "$TWPID")
	# 40 silent connections, held 4 s
	spawn hold python3 -c "
import socket, time
s = [socket.create_connection(('127.0.0.1', $PORT), timeout=5) for _ in range(40)]
time.sleep(4)
"
	HOLD=$BGPID
	for _ in $(seq 30); do
		kids=$(children "$TWPID" | wc -l)
		[ "$kids" -ge 40 ] && break
		sleep 0.1
	done
	fds=$(nfds "$TWPID")
	sleep 2
	cpu1=$(cpu_ms "$TWPID")
	echo "# 40 held: $kids children, $fds descriptors in tcpwrap, $((cpu1 - cpu0)) ms CPU" >&3
	kill -0 "$TWPID" || fail "tcpwrap died: $(cat "$W/tw.err")"
	[ "$kids" = 40 ] || fail "$kids children for 40 connections"
	[ "$fds" -lt 32 ] || fail "tcpwrap holds $fds descriptors"
	[ $((cpu1 - cpu0)) -lt 300 ] || fail "tcpwrap used $((cpu1 - cpu0)) ms of CPU"
	wait "$HOLD" || true
	code=$(curl -s --max-time 5 -o "$OUT" -w '%{http_code}' "http://127.0.0.1:$PORT/hello.txt") || true
	[ "$code" = 200 ] || fail "not served after: $code"
	[ "$(cat "$OUT")" = hello ]
	kids_gone "$TWPID" 10 || fail "children left: $(children "$TWPID")"
	[ "$(zombies "$TWPID")" = 0 ]
}

@test "a log on a full filesystem: httpd1 still answers" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: mounting a tmpfs needs root"
	MNT=$W/full
	mkdir -p "$MNT"
	mount -t tmpfs -o size=64k tmpfs "$MNT" 2>"$W/mount.err" || {
		MNT=
		skip "UNTESTED: mount -t tmpfs is not permitted here: $(cat "$W/mount.err")"
	}
	dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true
	: >>"$MNT/log" || true
	HARGS=(-d "$SITE/www" -l "$MNT/log")
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /seq.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200 404'
	[ "$RC" = 0 ] || fail "exit status $RC"
}

# valgrind does not know openat2 (syscall 437): under it, fs.c takes its
# fallback, a walk of O_NOFOLLOW components, so this run covers that path
@test "valgrind: 1,000 mixed requests on one connection, no error, no leak" {
	[ -x "$REPO/build/vg/httpd1" ] || skip "UNTESTED: build/vg/httpd1 is not built (make build/vg/httpd1)"
	need valgrind valgrind
	local etag i n
	etag=$(printf 'HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		"$HTTPD1" -d "$SITE/www" -l /dev/null | tr -d '\r' | sed -n 's/^ETag: //p')
	for i in $(seq 0 99); do
		printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		printf 'GET /list/ HTTP/1.1\r\nHost: x\r\n\r\n'
		printf 'GET /list/?format=json HTTP/1.1\r\nHost: x\r\n\r\n'
		printf 'GET /nope-%d HTTP/1.1\r\nHost: x\r\n\r\n' "$i"
		printf 'GET /seq.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,100-%d\r\n\r\n' "$((200 + i))"
		printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n' "$etag"
		printf 'HEAD /seq.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		printf 'GET /dir HTTP/1.1\r\nHost: x\r\n\r\n'
		printf 'POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'
		if [ $((i % 50)) = 0 ]; then
			printf 'GET /cgi-bin/hi?n=%d HTTP/1.1\r\nHost: x\r\n\r\n' "$i"
		else
			printf 'GET /seq.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Thu, 01 Jan 2037 00:00:00 GMT\r\n\r\n'
		fi
	done >"$W/session"
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >>"$W/session"
	RC=0
	timeout -k 2 120 valgrind --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --child-silent-after-fork=yes --log-file="$W/vg.%p.log" \
	    "$REPO/build/vg/httpd1" "${HARGS[@]}" <"$W/session" >"$OUT" 2>"$ERR" || RC=$?
	VG=$(grep -l 'Command: .*build/vg/httpd1' "$W"/vg.*.log | head -n 1)
	grep -E 'ERROR SUMMARY|definitely lost|All heap blocks' "$W"/vg.*.log >&3 || true
	[ "$RC" = 0 ] || fail "valgrind or httpd1 exited $RC: $(cat "$W"/vg.*.log | head -c 3000)"
	# a JSON body ends without a newline: count status lines anywhere
	n=$(LC_ALL=C grep -a -o -E 'HTTP/1\.1 [0-9]{3} [A-Z]' "$OUT" | wc -l)
	[ "$n" = 1001 ] || fail "$n responses to 1001 requests"
	grep -q 'ERROR SUMMARY: 0 errors' "$VG" || fail "valgrind: $(head -c 3000 "$VG")"
	grep -q -E 'definitely lost: 0 bytes|All heap blocks were freed' "$VG" ||
		fail "valgrind: $(head -c 3000 "$VG")"
}

# started with 0, 1 or 2 closed (a careless inetd or script): what httpd1 opens
# must never take the place of the connection
@test "stdout closed: the response goes nowhere, never into the log file" {
	timeout 10 "$HTTPD1" -d "$SITE/www" -l "$W/access.log" \
		< <(printf 'GET /hello.txt HTTP/1.0\r\n\r\n') >&- 2>"$W/err" || true
	[ "$(wc -l <"$W/access.log")" = 1 ] || { cat -v "$W/access.log"; false; }
	! grep -q '^HTTP/1.1 200' "$W/access.log" || { cat -v "$W/access.log"; false; }
	grep -q '"GET /hello.txt HTTP/1.0" 200 ' "$W/access.log"
}

@test "stderr closed: the response is whole and nothing else reaches stdout" {
	timeout 10 "$HTTPD1" -d "$SITE/www" -l - \
		< <(printf 'GET /hello.txt HTTP/1.0\r\n\r\n') >"$W/out" 2>&-
	[ "$(tail -c 6 "$W/out")" = hello ]
	[ "$(grep -c '^HTTP/1.1 ' "$W/out")" = 1 ]
	! grep -q 'GET /hello.txt' "$W/out"
}

@test "stdin closed with -l syslog: the syslog socket does not become the connection" {
	# were it descriptor 0, httpd1 would wait on it and answer 408
	rc=0
	timeout 10 "$HTTPD1" -d "$SITE/www" -T 2 -l syslog <&- >"$W/out" 2>"$W/err" || rc=$?
	[ "$rc" = 0 ] || { echo "exit $rc"; cat "$W/err"; false; }
	[ ! -s "$W/out" ] || { cat -v "$W/out"; false; }
}

@test "stdout closed with -l syslog: the response never goes to the syslog socket" {
	command -v strace >/dev/null 2>&1 || skip "UNTESTED: strace is not installed"
	timeout 20 strace -f -o "$W/st" -e trace=socket,sendto,write "$HTTPD1" -d "$SITE/www" -l syslog \
		< <(printf 'GET /hello.txt HTTP/1.0\r\n\r\n') >&- 2>"$W/err" || true
	# glibc's syslog() opens a socket anew at each line while /dev/log is missing
	socks=$(sed -n 's/.*socket(AF_UNIX, SOCK_DGRAM.*= \([0-9]*\)$/\1/p' "$W/st")
	[ -n "$socks" ] || { cat "$W/st"; false; }
	for sock in $socks; do
		[ "$sock" -gt 2 ] || { cat "$W/st"; false; }
		! grep -E "^[0-9]+ +(sendto|write)\($sock, \"HTTP/" "$W/st" || { cat "$W/st"; false; }
	done
}

@test "stdin closed: httpd1 ends at once and quietly" {
	rc=0
	timeout 10 "$HTTPD1" -d "$SITE/www" -l "$W/access.log" <&- >"$W/out" 2>"$W/err" || rc=$?
	[ "$rc" = 0 ] || { echo "exit $rc"; cat "$W/err"; false; }
	[ ! -s "$W/out" ]
}

@test "a client gone before a large body: the log counts no byte of it" {
	mkdir -p "$W/big/d"
	for i in $(seq 1500); do : >"$W/big/d/file-with-a-rather-long-name-number-$i.txt"; done
	printf 'GET /d/ HTTP/1.0\r\n\r\n' >"$W/req"
	# standard output is a pipe whose reader has already gone
	timeout 20 python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
subprocess.run(sys.argv[2:], stdin=open(sys.argv[1]), stdout=w, stderr=subprocess.DEVNULL)
' "$W/req" "$HTTPD1" -d "$W/big" -l "$W/access.log"
	cat "$W/access.log"
	[ "$(wc -l <"$W/access.log")" = 1 ]
	grep -q '"GET /d/ HTTP/1.0" 200 0 ' "$W/access.log"
}

@test "a file that shrinks while it is sent still gets its log line" {
	mkdir -p "$W/sh"
	head -c 20000000 /dev/zero >"$W/sh/shrink.bin"
	printf 'GET /shrink.bin HTTP/1.0\r\n\r\n' >"$W/req"
	timeout 30 python3 -c '
import os, subprocess, sys
p = subprocess.Popen(sys.argv[3:], stdin=open(sys.argv[1]), stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL)
got = len(p.stdout.read(100000))
os.truncate(sys.argv[2], 1000000)
while True:
    b = p.stdout.read(65536)
    if not b:
        break
    got += len(b)
p.wait()
print(got)
' "$W/req" "$W/sh/shrink.bin" "$HTTPD1" -d "$W/sh" -l "$W/access.log" >"$W/got"
	cat "$W/access.log"
	grep -q '^httpd1: shrink.bin: file changed while being sent$' "$W/access.log"
	[ "$(grep -c '"GET /shrink.bin HTTP/1.0" 200 [0-9]* ' "$W/access.log")" = 1 ]
}
