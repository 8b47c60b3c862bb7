#!/usr/bin/env bats
# logging.bats: one Combined Log Format line per request; escaping; client address; stdout stays HTTP.

load helper

CLF_TIME='\[[0-9]{2}/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\]'

# expect_log_re N ERE: line N of the log matches
expect_log_re() {
	local l
	l=$(sed -n "${1}p" "$LOG")
	[[ "$l" =~ $2 ]] || { echo "log line $1: '$l'"; echo "--- log:"; cat -v "$LOG"; fail "log line $1 does not match /$2/"; }
}

expect_log_lines() {
	local n
	n=$(wc -l <"$LOG" | tr -d ' ')
	[ "$n" = "$1" ] || { echo "--- log:"; cat -v "$LOG"; fail "expected $1 log lines, got $n"; }
}

# expect_stdout_one_response: stdout is exactly one response (head + Content-Length bytes)
expect_stdout_one_response() {
	expect_nresp 1
	expect_clen_matches
}

@test "a GET is logged as one combined-log line with status and size" {
	get /hello.txt
	expect_log_lines 1
	expect_log_re 1 "^- - - $CLF_TIME \"GET /hello.txt HTTP/1.1\" 200 6 \"-\" \"-\"$"
}

@test "the log line's time is now (UTC)" {
	get /hello.txt
	t=$(sed -n 's/^[^[]*\[\([^]]*\)\].*/\1/p' "$LOG" | sed 's#/# #g; s#:# #')
	e=$(date -d "$t" +%s 2>/dev/null) || fail "cannot parse the log time '$t'"
	d=$((e - $(date +%s)))
	[ "${d#-}" -lt 300 ] || fail "log time $d s away from now"
}

@test "Referer and User-Agent are logged" {
	get /hello.txt 'Referer: http://ref.example/\r\nUser-Agent: tester/1.0\r\n'
	expect_log_re 1 '"GET /hello.txt HTTP/1.1" 200 6 "http://ref.example/" "tester/1.0"$'
}

@test "a 404 is logged with its status and the body size sent" {
	get /nope.txt
	cl=$(hdr Content-Length)
	expect_log_re 1 "\"GET /nope.txt HTTP/1.1\" 404 $cl "
}

@test "two pipelined requests give two lines in order" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_log_lines 2
	expect_log_re 1 '"GET /hello.txt HTTP/1.1" 200 '
	expect_log_re 2 '"GET /nope.txt HTTP/1.1" 404 '
}

@test "the log file is appended to, not truncated" {
	get /hello.txt
	get /a.json
	expect_log_lines 2
}

@test "a control byte in the request path is logged escaped as \\x01" {
	req 'GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	expect_log_lines 1
	grep -q -F '\x01' "$LOG" || fail "no \\x01 in the log: $(cat -v "$LOG")"
	! LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]' "$LOG" || fail "raw control bytes in the log: $(cat -v "$LOG")"
}

@test "a quote in the path is escaped so the log line stays parseable" {
	get '/a"b'
	expect_status 404
	expect_log_re 1 '"GET /a\\x22b HTTP/1.1" 404 '
}

@test "quotes and backslashes in User-Agent are escaped" {
	get /hello.txt 'User-Agent: a"b\\c\r\n'
	expect_log_re 1 '"a\\x22b\\x5cc"$'
}

@test "an escape sequence in a header is not written raw to the log" {
	get /hello.txt 'User-Agent: \x1b[31mred\r\n'
	expect_status 400
	! LC_ALL=C grep -q -P '\x1b' "$LOG" || fail "raw ESC in the log: $(cat -v "$LOG")"
}

@test "high bytes in User-Agent are escaped in the log" {
	get /hello.txt 'User-Agent: caf\xc3\xa9\r\n'
	expect_status 200
	! LC_ALL=C grep -q -P '[\x80-\xff]' "$LOG" || fail "raw high bytes in the log: $(cat -v "$LOG")"
	grep -q -F '"caf\xc3\xa9"' "$LOG" || fail "not escaped as \\xHH: $(cat -v "$LOG")"
}

@test "TCPREMOTEIP=127.0.0.9 starts the log line" {
	export TCPREMOTEIP=127.0.0.9
	get /hello.txt
	expect_log_re 1 "^127\.0\.0\.9 - - $CLF_TIME \"GET /hello.txt"
}

@test "a bad request is logged too" {
	req 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	expect_log_lines 1
	expect_log_re 1 '" 400 [0-9]+ '
}

@test "nothing but HTTP on stdout for a bad request (log on stderr with -l -)" {
	HARGS=(-d "$DOCROOT" -l -)
	req 'BAD\x00\x01 REQUEST\r\n\r\n'
	expect_status 400
	expect_stdout_one_response
	grep -q '400' "$ERR" || fail "no log line on stderr"
}

@test "nothing but HTTP on stdout with the default log (stderr) and several errors" {
	HARGS=(-d "$DOCROOT")
	req 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /../x HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '404 400'
	grep -q '"GET /nope HTTP/1.1" 404' "$ERR" || fail "no 404 log line on stderr"
	LC_ALL=C grep -a -v -E '^(HTTP/1\.1 [0-9]{3} |[A-Za-z-]+: |\r$|<)' "$OUT" | grep -a -q -i -E 'error|warn|httpd1:' &&
		fail "diagnostics on stdout"
	true
}

@test "nothing but HTTP on stdout when the head is cut off by EOF" {
	HARGS=(-d "$DOCROOT" -l -)
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n'
	expect_status 400
	expect_stdout_one_response
}

@test "when fd 2 is a socket (inetd), not one byte of log goes to it" {
	command -v python3 >/dev/null || skip "python3 is needed to put a socket on fd 2"
	run timeout 10 python3 - "$HTTPD1" "$DOCROOT" <<-'EOF'
	import socket, subprocess, sys
	a, b = socket.socketpair()
	req = b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\n"
	p = subprocess.run([sys.argv[1], "-d", sys.argv[2]], input=req,
	                   stdout=subprocess.PIPE, stderr=b.fileno(), timeout=8)
	b.close()
	a.settimeout(2)
	leaked = a.recv(4096)
	print("responses:", p.stdout.count(b"HTTP/1.1 "))
	print("leaked:", len(leaked))
	EOF
	[ "$status" -eq 0 ] || fail "python3 failed: $output"
	[[ "$output" == *"responses: 3"* ]] || fail "expected 3 responses: $output"
	[[ "$output" == *"leaked: 0"* ]] || fail "bytes reached the fd 2 socket: $output"
}

@test "when fd 2 is a socket, start-up errors and bad usage stay off it too" {
	command -v python3 >/dev/null || skip "python3 is needed to put a socket on fd 2"
	run timeout 20 python3 - "$HTTPD1" "$DOCROOT" <<-'EOF'
	import socket, subprocess, sys
	for args in (["-l", "/nonexistent-dir/log"], ["-T", "0"], ["-R", "x=1"], ["-Q"], ["extra"]):
	    a, b = socket.socketpair()
	    p = subprocess.run([sys.argv[1], "-d", sys.argv[2]] + args, input=b"",
	                       stdout=subprocess.PIPE, stderr=b.fileno(), timeout=8)
	    b.close()
	    a.settimeout(2)
	    leaked = a.recv(4096)
	    print(args[0], "rc", p.returncode, "leaked", len(leaked), leaked[:60])
	EOF
	echo "$output"
	[ "$status" -eq 0 ] || fail "python3 failed"
	[ "$(grep -c 'leaked 0 ' <<<"$output")" = 5 ] || fail "bytes reached the fd 2 socket"
	grep -q '^-l rc 1 ' <<<"$output" && grep -q '^-T rc 2 ' <<<"$output" && grep -q '^-Q rc 2 ' <<<"$output" ||
		fail "wrong exit status"
}

@test "-l none: no request lines, but a diagnostic still reaches stderr" {
	run bash -c 'printf "GET /hello.txt HTTP/1.0\r\n\r\n" | timeout 10 "$1" -d "$2" -l none 2>&1 >/dev/null' _ "$HTTPD1" "$DOCROOT"
	[ "$status" -eq 0 ] || fail "status $status"
	[ -z "$output" ] || fail "a request line was logged: $output"
	run bash -c 'printf "GET / HTTP/1.0\r\n\r\n" | timeout 10 "$1" -d /nonexistent-root -l none 2>&1 >/dev/null' _ "$HTTPD1"
	[[ "$output" == *"cannot open document root"* ]] || fail "no diagnostic: $output"
}

@test "-l syslog: a long request line is cut so that the status, size and User-Agent stay" {
	command -v strace >/dev/null 2>&1 || skip "UNTESTED: strace is not installed"
	q=$(head -c 960 /dev/zero | tr '\0' a)
	printf 'GET /hello.txt?%s HTTP/1.1\r\nHost: x\r\nUser-Agent: agent-007\r\nConnection: close\r\n\r\n' "$q" >"$W/req"
	timeout 20 strace -o "$W/st" -s 5000 -e trace=sendto "$HTTPD1" -d "$DOCROOT" -l syslog \
		<"$W/req" >"$OUT" 2>"$ERR" || true
	# the datagram musl's syslog() made, header included: at most 1024 bytes
	msg=$(grep -o '"<30>.*", [0-9]*, 0' "$W/st" | head -n 1)
	# glibc sends nothing while /dev/log is missing; musl sends and fails
	[ -n "$msg" ] || [ -S /dev/log ] ||
		skip "UNTESTED: no /dev/log, and this build's syslog() sends nothing without it"
	[ -n "$msg" ] || { cat "$W/st"; false; }
	len=${msg##*\", }
	len=${len%, 0}
	[ "$len" -le 1024 ] || { echo "$len bytes: $msg"; false; }
	[[ "$msg" == *'\" 200 6 \"-\" \"agent-007\"'* ]] || { echo "$msg"; false; }
}
