#!/usr/bin/env bats
# cgi.bats: CGI/1.1 (RFC 3875).  The shipped programs (product, echo, env,
# guestbook); the environment a program gets; request bodies in and program
# output out, with every framing; failures, timeouts and leftovers; real
# clients (curl, git) over a socket.  Programs never run as root: as root the
# server is started with -u nobody.

load helper
load cgi

setup_file() {
	cgi_build_site
}

teardown_file() {
	if [ -n "${SITE:-}" ]; then
		rm -rf "$SITE"
	fi
}

setup() {
	cgi_setup
}

teardown() {
	unlisten
	rm -rf "$W"
}

# parse [HEAD...]: the responses in $OUT, framing checked (see responses)
parse() {
	responses "$@" >"$W/framing" 2>"$W/framing.err" ||
		fail "broken framing: $(cat "$W/framing.err")"
}

# expect_body1 TEXT: the first response's decoded body is TEXT (printf %b)
expect_body1() {
	parse
	cmp -s "$W/body.1" <(printf '%b' "$1") ||
		fail "expected the body '$1', got '$(cat -v "$W/body.1")'"
}

# body1_has TEXT: a line of the first response's decoded body is TEXT
body1_has() {
	LC_ALL=C grep -a -q -x -F -- "$1" "$W/body.1" ||
		fail "expected a line '$1' in the body: $(cat -v "$W/body.1")"
}

# expect_two_last_closes: two 200s under -K 0, the second from echo?name=two,
# and only the last one says Connection: close
expect_two_last_closes() {
	expect_statuses '200 200'
	parse
	grep -qx 'name: two' "$W/body.2" || fail "second body: $(cat -v "$W/body.2")"
	[ "$(LC_ALL=C grep -a -c -i '^Connection: close' "$OUT")" = 1 ] || fail "not exactly one response says close"
	LC_ALL=C tail -c 300 "$OUT" | grep -a -qi '^Connection: close' || fail "the last response does not say close"
}

# json_check FILE PYTHON-EXPRESSION: FILE is JSON and the expression holds for d
json_check() {
	need_python
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else "JSON %r fails %s" % (d, sys.argv[2]))' "$1" "$2"
}

# getv PATH [FIELDS] [ARGS...]: get, then the decoded body for var
getv() {
	get "$@"
	parse
}

# seen_get PATH PREFIX: GET PATH through a pipe, and create $SITE/seen as soon
# as a line of the response starting with PREFIX arrives (the program can
# look for it); the response in $OUT
seen_get() {
	rm -f "$SITE/seen"
	printf 'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$1" >"$W/req"
	timeout 20 "$HTTPD1" "${HARGS[@]}" <"$W/req" 2>"$ERR" | while IFS= read -r l; do
		printf '%s\n' "$l"
		case $l in "$2"*) touch "$SITE/seen" ;; esac
	done >"$OUT"
	rm -f "$SITE/seen"
}

# job_left PROGRAM BODY JOB [ARGS...]: GET the program, which leaves JOB (a
# command line) behind; httpd1 ends well, the body is BODY, the job is gone
job_left() {
	get "/cgi-bin/$1" '' "${@:4}"
	[ "$RC" = 0 ] || fail "httpd1 ended with status $RC"
	expect_status 200
	parse
	[ "$(cat "$W/body.1")" = "$2" ] || fail "body: $(cat -v "$W/body.1")"
	sleep 0.2
	! pgrep -f "$3" >/dev/null || fail "left behind: $(pgrep -af "$3")"
}

# guestbook_post FORMDATA: one POST to the guestbook
guestbook_post() {
	req "POST /cgi-bin/guestbook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${#1}\r\nConnection: close\r\n\r\n$1"
}

CURL=(curl -sS --noproxy '*' --max-time 60)

# ---- the shipped programs -------------------------------------------------

@test "product: /product?a=12&b=60&another=0.5 is the JSON of the product" {
	get '/product?a=12&b=60&another=0.5'
	expect_status 200
	expect_hdr Content-Type application/json
	expect_body1 '{"operation": "product", "operands": [12, 60, 0.5], "result": 360}\n'
	need_python
	python3 -m json.tool "$W/body.1" >/dev/null || fail "not JSON"
}

@test "product: /product.cgi?... runs the same program" {
	get '/product.cgi?a=2&b=3'
	expect_status 200
	expect_body1 '{"operation": "product", "operands": [2, 3], "result": 6}\n'
}

@test "product: signs, exponents, leading dots and percent-encoded values" {
	get '/product?a=-1&b=1e3&c=.5&d=0.5'
	expect_body1 '{"operation": "product", "operands": [-1, 1000, 0.5, 0.5], "result": -250}\n'
	get '/product?x=%2D2&y=%2B3&z=%2E5&w=+4&v=1e+1'
	expect_body1 '{"operation": "product", "operands": [-2, 3, 0.5, 4, 10], "result": -120}\n'
	get '/product?a=0.1&b=3'
	expect_body1 '{"operation": "product", "operands": [0.1, 3], "result": 0.3}\n'
}

@test "product: no operands or a non-number is a 400 with a JSON error" {
	get '/product'
	expect_status 400
	expect_hdr Content-Type application/json
	parse
	json_check "$W/body.1" '"no operands" in d["error"]'
	get '/product?a=1&b=x'
	expect_status 400
	expect_body1 '{"error": "operand '"'b'"' is not a number: x"}\n'
	for v in nan NaN inf -Infinity 0x1A 1e999 '' 1,5 '1%20e3' 12abc; do
		get "/product?a=2&b=$v"
		expect_status 400
		parse
		json_check "$W/body.1" '"error" in d and "result" not in d'
	done
}

@test "product: a hostile value is JSON-escaped in the error" {
	get '/product?a=%22%3C%5C%01%E2%82%AC'
	expect_status 400
	parse
	json_check "$W/body.1" 'd["error"].endswith("is not a number: \"<\\\x01\u20ac")'
}

@test "echo: request line, headers recapitalised and the query decoded (name: test)" {
	get '/cgi-bin/echo?name=test&two=a+b%26c' 'User-Agent: t/1\r\nX-Custom-Thing: v\r\n'
	expect_status 200
	expect_hdr Content-Type 'text/plain; charset=utf-8'
	parse
	[ "$(head -n 1 "$W/body.1")" = 'GET /cgi-bin/echo?name=test&two=a+b%26c HTTP/1.1' ] ||
		fail "first line: $(head -n 1 "$W/body.1")"
	body1_has 'Host: x'
	body1_has 'User-Agent: t/1'
	body1_has 'X-Custom-Thing: v'
	body1_has 'name: test'
	body1_has 'two: a b&c'
}

@test "echo: a Content-Length body reaches the program byte for byte" {
	printf 'line one\r\nline two\0\377\376 end\n' >"$W/sent"
	{
		printf 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n'
		printf 'Content-Length: 26\r\nConnection: close\r\n\r\n'
		cat "$W/sent"
	} >"$W/req"
	serve <"$W/req"
	expect_status 200
	parse
	body1_has 'Content-Length: 26'
	body1_has 'Content-Type: application/octet-stream'
	cmp <(sed -n '/^body:$/,$p' "$W/body.1" | tail -n +2) "$W/sent" ||
		fail "the body differs: $(cat -v "$W/body.1")"
}

@test "a chunked body reaches the program decoded, with its CONTENT_LENGTH" {
	req 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\nPOST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n1\r\n\n\r\n0\r\nX-Trailer: t\r\n\r\n'
	expect_statuses '200 200'
	parse
	body1_has 'Content-Length: 12'
	LC_ALL=C grep -qi '^Transfer-Encoding' "$W/body.1" && fail "the program was told of chunks it never sees"
	cmp <(sed -n '/^body:$/,$p' "$W/body.1" | tail -n +2) <(printf 'hello, world') ||
		fail "the body differs: $(cat -v "$W/body.1")"
	grep -qx 'CONTENT_LENGTH=4' "$W/body.2" || fail "$(cat "$W/body.2")"
	grep -qx 'cksum=.* 4' "$W/body.2" || fail "$(cat "$W/body.2")"
}

@test "a chunked body that is malformed or cut short gets 400, and no program runs" {
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'
	expect_status 400
	expect_hdr Connection close
	expect_out_lacks cksum=
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'
	expect_status 400
	expect_out_lacks cksum=
}

@test "-T 1: a chunked body to a program that stops coming gets 408, and no program runs" {
	fifo_server -T 1
	T0=$(now_ms)
	printf 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n' >&7
	fifo_wait
	exec 7>&-
	expect_status 408
	expect_hdr Connection close
	expect_out_lacks cksum=
	[ "$ELAPSED_MS" -lt 3000 ] || fail "took $ELAPSED_MS ms"
}

@test "under ulimit -f, a chunked body larger than it gets 500 and a log line, and httpd1 lives" {
	{
		printf 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n'
		head -c 4096 /dev/zero | tr '\0' a
		printf '\r\n0\r\n\r\n'
	} >"$W/req"
	RC=0
	(ulimit -f 2; exec timeout -k 2 "$REQ_TIMEOUT" "$HTTPD1" "${HARGS[@]}") <"$W/req" >"$OUT" 2>"$ERR" || RC=$?
	check_crash
	[ "$RC" = 0 ] || fail "exit status $RC"
	expect_status 500
	expect_out_lacks cksum=
	expect_log 'cannot keep the request body'
}

@test "-w 2: a chunked body to a program that trickles for longer gets 408, and no program runs" {
	local t0=$(now_ms) ms
	serve -w 2 -T 1 < <(
		printf 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
		for i in 1 2 3 4 5 6 7 8 9 10; do
			printf '1\r\nx\r\n'
			sleep 0.5
		done
	)
	ms=$(($(now_ms) - t0))
	expect_status 408
	expect_out_lacks cksum=
	expect_log 'the request body took longer than -w'
	[ "$ms" -lt 3500 ] || fail "took $ms ms"
}

@test "env: an HTML table with a hostile header value escaped" {
	get /cgi-bin/env "X-Evil: <script>alert('x')</script>&\"q\"\r\n"
	expect_status 200
	expect_hdr Content-Type 'text/html; charset=utf-8'
	parse
	grep -q '<table>' "$W/body.1" || fail "no table"
	grep -qF '<code>HTTP_X_EVIL</code></td><td><code>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;</code>' "$W/body.1" ||
		fail "no escaped row: $(grep EVIL "$W/body.1")"
	! grep -q '<script>' "$W/body.1" || fail "<script> reached the page"
}

# ---- the environment ------------------------------------------------------

@test "SCRIPT_NAME, PATH_INFO, PATH_TRANSLATED, SCRIPT_FILENAME, DOCUMENT_ROOT" {
	getv '/cgi-bin/vars/a/b%20c?x=1'
	expect_status 200
	expect_var SCRIPT_NAME /cgi-bin/vars
	expect_var PATH_INFO '/a/b c'
	expect_var PATH_TRANSLATED "$SITE/www/a/b c"
	expect_var SCRIPT_FILENAME "$SITE/cgi-bin/vars"
	expect_var DOCUMENT_ROOT "$SITE/www"
	expect_var QUERY_STRING x=1
	expect_var REQUEST_URI '/cgi-bin/vars/a/b%20c?x=1'
	getv /cgi-bin/vars
	expect_var SCRIPT_NAME /cgi-bin/vars
	expect_no_var PATH_INFO
	expect_no_var PATH_TRANSLATED
}

@test "a suffixed program in the docroot: SCRIPT_NAME as requested, run in www" {
	getv '/vars?y=2'
	expect_status 200
	expect_var SCRIPT_NAME /vars
	expect_var SCRIPT_FILENAME "$SITE/www/vars.cgi"
	expect_var QUERY_STRING y=2
	grep -qx "cwd: $SITE/www" "$W/body.1" || fail "cwd is not $SITE/www"
}

@test "-x '' turns suffixed programs off" {
	get '/product?a=1' '' -x ''
	expect_status 404
}

@test "QUERY_STRING is always set, empty without a query" {
	getv /cgi-bin/vars
	expect_var QUERY_STRING ''
	getv '/cgi-bin/vars?'
	expect_var QUERY_STRING ''
}

@test "the request meta-variables (RFC 3875 4.1)" {
	req 'POST /cgi-bin/vars HTTP/1.1\r\nHost: Example.org:8080\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nAuthorization: Basic dTpw\r\nConnection: close\r\n\r\nabc'
	expect_status 200
	parse
	expect_var GATEWAY_INTERFACE CGI/1.1
	expect_var SERVER_PROTOCOL HTTP/1.1
	expect_var REQUEST_METHOD POST
	expect_var SERVER_NAME Example.org
	expect_var CONTENT_TYPE text/plain
	expect_var CONTENT_LENGTH 3
	expect_var AUTH_TYPE Basic
	expect_var REDIRECT_STATUS 200
	expect_var PATH /usr/local/bin:/usr/bin:/bin
	[[ "$(var SERVER_SOFTWARE)" =~ ^SERVER_SOFTWARE=httpd1/ ]] || fail "$(var SERVER_SOFTWARE)"
	expect_no_var HTTP_CONTENT_TYPE
	expect_no_var HTTP_CONTENT_LENGTH
}

@test "repeated fields are joined, cookies with '; '; '_' names and Proxy never pass" {
	getv /cgi-bin/vars 'X-Multi: a\r\nCookie: a=1\r\nX-Multi: b\r\nCookie: b=2\r\nX_Evil: 1\r\nProxy: http://evil.example:3128\r\n'
	expect_status 200
	expect_var HTTP_X_MULTI 'a, b'
	expect_var HTTP_COOKIE 'a=1; b=2'
	expect_no_var HTTP_X_EVIL
	expect_no_var HTTP_PROXY
	expect_out_lacks evil.example
}

@test "nothing of the server's environment reaches the program" {
	export SECRET_TOKEN=s3cr3t-$MARK HTTP_PROXY=http://leak.example LD_PRELOAD=/nonexistent.so
	getv /cgi-bin/vars
	unset SECRET_TOKEN HTTP_PROXY LD_PRELOAD
	expect_status 200
	expect_out_lacks "s3cr3t-$MARK"
	expect_out_lacks leak.example
	expect_no_var LD_PRELOAD
	expect_no_var HTTPS
	expect_var PATH /usr/local/bin:/usr/bin:/bin
}

@test "HTTPS=on in the server's environment becomes HTTPS=on" {
	export HTTPS=on
	getv /cgi-bin/vars
	unset HTTPS
	expect_var HTTPS on
}

@test "-s (behind a TLS proxy) gives HTTPS=on; without it there is no HTTPS" {
	getv /cgi-bin/vars
	expect_no_var HTTPS
	HARGS+=(-s)
	getv /cgi-bin/vars
	expect_var HTTPS on
}

@test "a client gone mid-response takes the program's process group down" {
	marker="gone$$x$RANDOM"
	prog "$SITE/cgi-bin/$marker" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\\n\\n'
	sh -c 'sleep 300; : $marker' &
	while :; do echo "lots of output to a reader that left"; done
	EOF
	run timeout 20 bash -c 'printf "GET /cgi-bin/$1 HTTP/1.1\r\nHost: x\r\n\r\n" |
	    "$2" "${@:3}" 2>/dev/null | head -c 1000 >/dev/null' _ "$marker" "$HTTPD1" "${HARGS[@]}"
	[ "$status" -ne 124 ] || fail "httpd1 did not end when its client left"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "$marker" >/dev/null || break
		sleep 0.2
	done
	! pgrep -f "$marker" >/dev/null || fail "the program outlived its client: $(pgrep -af "$marker")"
}

@test "REMOTE_ADDR and REMOTE_PORT from TCPREMOTEIP and TCPREMOTEPORT" {
	export TCPREMOTEIP=192.0.2.7 TCPREMOTEPORT=40123
	getv /cgi-bin/vars
	unset TCPREMOTEIP TCPREMOTEPORT
	expect_var REMOTE_ADDR 192.0.2.7
	expect_var REMOTE_PORT 40123
}

@test "-s: the client as the TLS proxy gives it in REMOTE_HOST and REMOTE_PORT" {
	# stunnel's exec sets these; without -s they are nobody's word
	export REMOTE_HOST=203.0.113.9 REMOTE_PORT=51234
	getv /cgi-bin/vars
	expect_var REMOTE_PORT ""
	HARGS+=(-s)
	getv /cgi-bin/vars
	expect_var REMOTE_ADDR 203.0.113.9
	expect_var REMOTE_PORT 51234
	expect_log '203.0.113.9 - - ['
	export REMOTE_HOST=2001:db8::7
	getv /cgi-bin/vars
	expect_var REMOTE_ADDR 2001:db8::7
	# what is not an address is not taken
	export REMOTE_HOST='203.0.113.9; x' TCPREMOTEIP=192.0.2.7 TCPREMOTEPORT=40123
	getv /cgi-bin/vars
	unset REMOTE_HOST REMOTE_PORT TCPREMOTEIP TCPREMOTEPORT
	expect_var REMOTE_ADDR 192.0.2.7
	expect_var REMOTE_PORT 40123
}

@test "-s: SERVER_PORT is the port of Host, else 443, not the proxy's socket" {
	need curl curl
	export REMOTE_HOST=203.0.113.9 REMOTE_PORT=51234
	listen -s
	unset REMOTE_HOST REMOTE_PORT
	"${CURL[@]}" -o "$OUT" -H 'Host: www.example:8443' "$URL/cgi-bin/vars" || fail "curl failed"
	VARS=$OUT
	expect_var REMOTE_ADDR 203.0.113.9
	expect_var REMOTE_PORT 51234
	expect_var SERVER_PORT 8443
	expect_var HTTPS on
	"${CURL[@]}" -o "$OUT" -H 'Host: www.example' "$URL/cgi-bin/vars" || fail "curl failed"
	expect_var SERVER_PORT 443
	expect_var SERVER_NAME www.example
	"${CURL[@]}" -o "$OUT" -H 'Host: www.example:08443' "$URL/cgi-bin/vars" || fail "curl failed"
	expect_var SERVER_PORT 8443
}

@test "only descriptors 0, 1 and 2 are open in the program" {
	getv /cgi-bin/vars
	expect_status 200
	grep -qx 'fds: 0 1 2' "$W/body.1" || fail "open descriptors: $(grep '^fds:' "$W/body.1")"
}

@test "the program runs in its own directory" {
	getv /cgi-bin/vars
	grep -qx "cwd: $SITE/cgi-bin" "$W/body.1" || fail "not in $SITE/cgi-bin"
}

@test "-R sets the program's rlimits; by default 256 open files and the -w CPU time" {
	prog "$SITE/cgi-bin/limits" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	echo "nofile: $(ulimit -n)"
	echo "as: $(ulimit -v)"
	echo "cpu: $(ulimit -t)"
	EOF
	get /cgi-bin/limits
	expect_status 200
	parse
	grep -qx 'nofile: 256' "$W/body.1" || fail "default nofile: $(cat "$W/body.1")"
	grep -qx 'cpu: 300' "$W/body.1" || fail "default cpu: $(cat "$W/body.1")"
	grep -qx 'as: unlimited' "$W/body.1" || fail "default as: $(cat "$W/body.1")"
	HARGS+=(-R nofile=64,as=512,cpu=7)
	get /cgi-bin/limits
	parse
	grep -qx 'nofile: 64' "$W/body.1" || fail "nofile: $(cat "$W/body.1")"
	grep -qx 'as: 524288' "$W/body.1" || fail "as: $(cat "$W/body.1")"
	grep -qx 'cpu: 7' "$W/body.1" || fail "cpu: $(cat "$W/body.1")"
}

# ---- routing and refusals -------------------------------------------------

@test "a missing program is 404, a non-executable one 403, /cgi-bin/ alone 404" {
	get /cgi-bin/nothing
	expect_status 404
	get /cgi-bin/noexec
	expect_status 403
	expect_out_lacks 'echo never'
	get /cgi-bin/
	expect_status 404
}

@test "as root without -u: 500 and a log line, the program does not run" {
	[ "$(id -u)" = 0 ] || skip "needs root: httpd1 refuses CGI only as root"
	HARGS=(-d "$SITE/www" -c "$SITE/cgi-bin" -l "$LOG")
	get /cgi-bin/vars
	expect_status 500
	expect_out_lacks GATEWAY_INTERFACE
	expect_log 'refusing to run a CGI program as root (see -u)'
	# its body, left unread, is never taken for the next request
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nContent-Length: 36\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses 500
	expect_hdr Connection close
}

# ---- the program's output -------------------------------------------------

@test "Status: 404 from the program is the response status" {
	get /cgi-bin/status404
	expect_status 404
	expect_body1 'no such thing\n'
}

@test "Location without Status is a 302" {
	get /cgi-bin/redirect
	expect_status 302
	expect_hdr Location http://example.org/elsewhere
}

# local_progs: programs that answer with a Location of this server
local_progs() {
	prog "$SITE/cgi-bin/tolocal" <<-'EOF'
	#!/bin/sh
	printf 'Location: %s\n\nthis body is dropped\n' "$QUERY_STRING"
	EOF
	prog "$SITE/cgi-bin/toecho" <<-'EOF'
	#!/bin/sh
	printf 'Location: /cgi-bin/echo?name=moved\n\n'
	EOF
	prog "$SITE/cgi-bin/loop" <<-'EOF'
	#!/bin/sh
	printf 'Location: /cgi-bin/loop\n\n'
	EOF
	prog "$SITE/cgi-bin/seeother" <<-'EOF'
	#!/bin/sh
	printf 'Status: 303 See Other\nLocation: /plain.txt\n\n'
	EOF
}

@test "RFC 3875 6.2.2: Location with a local path and no Status is answered by the server" {
	local_progs
	get '/cgi-bin/tolocal?/plain.txt'
	expect_status 200
	expect_hdr Content-Type 'text/plain; charset=utf-8'
	expect_body 'plain\n'
	expect_out_lacks 'this body is dropped'
	expect_out_lacks 'Location'
	expect_log '"GET /cgi-bin/tolocal?/plain.txt HTTP/1.1" 200 6'
	get '/cgi-bin/tolocal?/no-such-file'
	expect_status 404
}

@test "a local redirect to a program runs it as a GET with the new query; HEAD stays HEAD" {
	local_progs
	req 'POST /cgi-bin/toecho HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
	grep -q -F 'GET /cgi-bin/echo?name=moved' "$OUT" || fail "$(cat "$OUT")"
	grep -q -F 'name: moved' "$OUT" || fail "no decoded query"
	head_req '/cgi-bin/tolocal?/plain.txt'
	expect_status 200
	expect_hdr Content-Length 6
	expect_empty_body
}

@test "a local redirect loop ends in 500; with Status the client follows; //host is not local" {
	local_progs
	get /cgi-bin/loop
	expect_status 500
	expect_log 'more than 5 local redirects'
	get /cgi-bin/seeother
	expect_status 303
	expect_hdr Location /plain.txt
	get '/cgi-bin/tolocal?//example.org/x'
	expect_status 302
	expect_hdr Location //example.org/x
}

@test "a local redirect to a path no request may name is the program's 502, not the client's 400" {
	prog "$SITE/cgi-bin/tobad" <<-'EOF'
	#!/bin/sh
	printf 'Location: %s\n\n' "$QUERY_STRING"
	EOF
	get '/cgi-bin/tobad?/%zz'
	expect_status 502
	expect_log '/%zz: a local redirect to no valid request'
	get '/cgi-bin/tobad?/a/%2e%2e/%2e%2e/etc/passwd'
	expect_status 502
	expect_out_lacks 'root:'
	get '/cgi-bin/tobad?/no-such-file'
	expect_status 404
}

@test "RFC 9110 15.3.6: a 205 from a program has no content: Content-Length 0, the next request answered" {
	prog "$SITE/cgi-bin/reset" <<-'EOF'
	#!/bin/sh
	printf 'Status: 205\nContent-Type: text/plain\n\nthis body is dropped'
	EOF
	req 'GET /cgi-bin/reset HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '205 200'
	grep -q $'^HTTP/1.1 205 Reset Content\r$' "$OUT" || fail "$(head -1 "$OUT")"
	expect_hdr Content-Length 0
	expect_out_lacks 'this body is dropped'
	expect_out_lacks 'Transfer-Encoding'
}

@test "RFC 3875 6.3.3: the reason phrase of Status is sent; without one, the code's own" {
	prog "$SITE/cgi-bin/reason" <<-'EOF'
	#!/bin/sh
	case $QUERY_STRING in
	own) printf 'Status: 299 All Fine Here\nContent-Type: text/plain\n\nok' ;;
	none) printf 'Status: 207\nContent-Type: text/plain\n\nok' ;;
	esac
	EOF
	get '/cgi-bin/reason?own'
	expect_status 299
	grep -q $'^HTTP/1.1 299 All Fine Here\r$' "$OUT" || fail "$(head -1 "$OUT")"
	get '/cgi-bin/reason?none'
	grep -q $'^HTTP/1.1 207 Multi-Status\r$' "$OUT" || fail "$(head -1 "$OUT")"
}

@test "a body without Content-Type, or a malformed header, is a 502 and logged" {
	get /cgi-bin/notype
	expect_status 502
	expect_out_lacks 'body without a type'
	expect_log 'notype: a body without Content-Type'
	get /cgi-bin/badhead
	expect_status 502
	expect_log badhead
}

@test "a header block without Content-Type and no body stands: 202, an empty body, keep-alive" {
	req 'POST /cgi-bin/accepted HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /cgi-bin/accepted HTTP/1.0\r\n\r\n'
	expect_statuses '202 202'
	parse
	[ "$(cut -d' ' -f2,3 "$W/framing" | paste -sd' ')" = '0 length 0 length' ] ||
		fail "framing: $(cat "$W/framing")"
	expect_hdr X-Queue 7
	expect_hdr Content-Length 0
	[ -z "$(hdr Content-Type)" ] || fail "a Content-Type made up: $(hdr Content-Type)"
}

@test "a body without Content-Type after a pause is still a 502, and a program that dies is one too" {
	get /cgi-bin/notype-late
	expect_status 502
	expect_out_lacks 'late body'
	expect_log 'notype-late: a body without Content-Type'
	get /cgi-bin/untyped-crash
	expect_status 502
	expect_log 'signal 11'
}

@test "a header field too large for a program's environment: 431 before it runs, logged" {
	local v
	v=$(head -c 140000 /dev/zero | tr '\0' v)
	get /cgi-bin/env "X-Big: $v\r\n" -H 1048576 -U 1048576
	expect_status 431
	expect_log "env: the request's header fields are too large for a program's environment"
	expect_out_lacks 'HTTP_X_BIG'
	v=$(head -c 100000 /dev/zero | tr '\0' v)
	get /cgi-bin/env "X-Big: $v\r\n" -H 1048576 -U 1048576
	expect_status 200
	expect_body_has "<code>HTTP_X_BIG</code></td><td><code>vvv"
}

@test "a program that exits without a header is a 502" {
	get /cgi-bin/silent
	expect_status 502
	expect_log silent
}

@test "a crashing program is a 502 and a log line" {
	get /cgi-bin/crash
	expect_status 502
	expect_log 'crash: about to crash'
	expect_log 'signal 11'
}

@test "a silent program is killed with its group after -i: 504 within 3 s" {
	local t0=$(now_ms)
	get "/cgi-bin/hang-$MARK" '' -i 1
	local ms=$(($(now_ms) - t0))
	expect_status 504
	[ "$ms" -lt 3000 ] || fail "took $ms ms"
	expect_log 'silent too long'
	sleep 0.2
	! pgrep -f "sleep $MARK" >/dev/null || fail "left behind: $(pgrep -af "sleep $MARK")"
	! pgrep -f "hang-$MARK" >/dev/null || fail "left behind: $(pgrep -af "hang-$MARK")"
}

# signal_run PROGRAM SIGNAL JOB: httpd1 running PROGRAM, with its stdin still
# open, is sent SIGNAL once JOB (a command line) runs; then JOB is gone too
signal_run() {
	local pid k
	mkfifo "$W/in"
	"$HTTPD1" "${HARGS[@]}" <"$W/in" >"$OUT" 2>"$ERR" &
	pid=$!
	exec 8>"$W/in"
	printf 'GET /cgi-bin/%s HTTP/1.1\r\nHost: x\r\n\r\n' "$1" >&8
	for k in $(seq 100); do
		pgrep -f "$3" >/dev/null && break
		sleep 0.05
	done
	pgrep -f "$3" >/dev/null || { exec 8>&-; kill "$pid"; fail "$3 never ran"; }
	kill "-$2" "$pid"
	wait "$pid" || true
	exec 8>&-
	for k in $(seq 40); do
		pgrep -f "$3" >/dev/null || return 0
		sleep 0.05
	done
	fail "left behind after SIG$2: $(pgrep -af "$3")"
}

@test "httpd1 stopped by SIGTERM takes its program's whole group with it" {
	signal_run "hang-$MARK" TERM "sleep $MARK"
}

@test "httpd1 killed by SIGKILL still takes its program with it" {
	signal_run "wait-$MARK" KILL "sleep 2$MARK"
}

@test "a program running past -w is killed and the connection closes mid-body" {
	local t0=$(now_ms)
	get "/cgi-bin/drip-$MARK" '' -w 1
	local ms=$(($(now_ms) - t0))
	expect_status 200
	expect_hdr Transfer-Encoding chunked
	grep -q drip "$OUT" || fail "no output before the kill"
	# the chunked body is never terminated: the client sees it cut short
	! responses >/dev/null 2>&1 || fail "a complete response from a killed program"
	[ "$ms" -lt 4000 ] || fail "took $ms ms"
	expect_log 'ran too long'
	sleep 0.2
	! pgrep -f "drip-$MARK" >/dev/null || fail "left behind: $(pgrep -af "drip-$MARK")"
}

@test "a program's output reaches the client as it is written, not when it writes more" {
	seen_get /cgi-bin/stream line1
	LC_ALL=C grep -a -q '^line2: line1 was seen' "$OUT" || fail "line1 was held back: $(cat -v "$OUT")"
}

@test "a job left behind holding stderr: the response ends and the job is killed" {
	job_left "job-$MARK" hi "sleep 1$MARK" -i 1 -w 2
}

@test "a body the program did not read is skipped after its response has gone; the connection goes on" {
	serve -i 1 < <(
		printf 'POST /cgi-bin/sized HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc'
		for i in $(seq 50); do
			LC_ALL=C grep -a -q '^sized' "$OUT" 2>/dev/null && break
			sleep 0.1
		done
		LC_ALL=C grep -a -q '^sized' "$OUT" && touch "$W/seen"
		# past -i, which is for the program, not for the client's upload
		sleep 1.3
		printf 'defghij'
		printf 'GET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
	[ -e "$W/seen" ] || fail "the response waited for the rest of the body"
	expect_statuses '200 200'
	parse
	[ "$(cat "$W/body.2")" = plain ] || fail "second body: $(cat -v "$W/body.2")"
	! grep -q 'silent too long' "$LOG" || fail "killed as silent: $(cat "$LOG")"
}

@test "a job left behind flooding stderr: the response goes out and the job is killed" {
	job_left "errjob-$MARK" ok "yes errjob-$MARK" -i 2 -w 5
}

@test "a job left behind holding stdout is killed when the program exits; the connection goes on" {
	req "GET /cgi-bin/outjob-$MARK HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" -i 3
	expect_statuses '200 200'
	! grep -q 'silent too long' "$LOG" || fail "waited for the job: $(cat "$LOG")"
	sleep 0.2
	! pgrep -f "sleep 2$MARK" >/dev/null || fail "left behind: $(pgrep -af "sleep 2$MARK")"
}

@test "stderr is read while the program finishes after closing stdout" {
	req 'GET /cgi-bin/lateerr HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
	parse
	[ "$(cat "$W/body.1")" = bye ] || fail "body: $(cat -v "$W/body.1")"
	[ "$(grep -c 'lateerr: eeee' "$LOG")" = 2000 ] || fail "$(grep -c 'lateerr: eeee' "$LOG") of 2000 stderr lines logged"
	! grep -q 'killed' "$LOG" || fail "$(grep killed "$LOG")"
}

@test "an nph- program that writes nothing: a 502, logged with the reason" {
	get /cgi-bin/nph-nothing
	expect_status 502
	expect_log 'nph- output does not begin with a status line'
	grep -q '" 502 ' "$LOG" || fail "not logged as 502: $(cat "$LOG")"
}

@test "an nph- program that dies before writing anything: a 502" {
	get /cgi-bin/nph-crash
	expect_status 502
	expect_log 'nph- output does not begin with a status line'
}

@test "many stderr lines after stdout closes are all logged; the program is not killed" {
	req 'GET /cgi-bin/lateerrlines HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
	[ "$(grep -c 'lateerrlines: line ' "$LOG")" = 3000 ] || fail "$(grep -c 'lateerrlines: line ' "$LOG") of 3000 lines logged"
	! grep -q 'killed' "$LOG" || fail "$(grep killed "$LOG")"
}

@test "a whole response leaves before the program exits" {
	seen_get /cgi-bin/thenwait bye
	expect_log 'the client saw it'
}

@test "a job that left the group holding stdout: the response ends when the program exits" {
	req "GET /cgi-bin/escape-$MARK HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" -i 2
	local p
	for p in $(pgrep -f "sleep 3$MARK"); do kill "$p"; done
	expect_statuses '200 200'
	parse
	[ "$(cat "$W/body.1")" = esc ] || fail "body: $(cat -v "$W/body.1")"
	! grep -q 'silent too long' "$LOG" || fail "$(cat "$LOG")"
}

@test "-w holds for a program whose client reads nothing" {
	listen -i 1 -w 2
	timeout 12 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(("GET /cgi-bin/flood-%s HTTP/1.1\r\nHost: x\r\n\r\n" % sys.argv[2]).encode())
time.sleep(8)' "$PORT" "$MARK" 3>&- &
	local client=$! i alive=1
	sleep 1
	for i in $(seq 60); do
		pgrep -f "yes flood-$MARK" >/dev/null || { alive=0; break; }
		sleep 0.1
	done
	kill "$client" 2>/dev/null || true
	wait "$client" 2>/dev/null || true
	[ "$alive" = 0 ] || fail "the program outlived -w by more than 5 s"
}

@test "a client gone in the middle of a program's request body: a log line with 400" {
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc'
	[ ! -s "$OUT" ] || fail "a response was sent: $(cat -v "$OUT")"
	grep -q '"POST /cgi-bin/sum HTTP/1.1" 400 0 ' "$LOG" || fail "log: $(cat "$LOG")"
}

@test "the program's Content-Length is passed on, no chunking" {
	get /cgi-bin/sized
	expect_hdr Content-Length 6
	expect_no_hdr Transfer-Encoding
	expect_body 'sized\n'
}

@test "HTTP/1.0: the body ends with the connection" {
	req 'GET /cgi-bin/echo?name=test HTTP/1.0\r\n\r\n'
	[ "$(head -n 1 "$OUT")" = $'HTTP/1.1 200 OK\r' ] || fail "status line"
	expect_no_hdr Transfer-Encoding
	expect_no_hdr Content-Length
	expect_hdr_ci Connection close
	body | grep -qx 'name: test' || fail "no query in the body"
}

@test "HEAD to a program: the header only, and the connection goes on" {
	req 'HEAD /cgi-bin/echo?name=test HTTP/1.1\r\nHost: x\r\n\r\nGET /cgi-bin/sized HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
	expect_hdr Content-Type 'text/plain; charset=utf-8'
	parse 1
	[ "$(cat "$W/framing")" = $'200 0 none\n200 6 length' ] || fail "$(cat "$W/framing")"
	expect_out_lacks 'name: test'
}

@test "HEAD to a program that fails: the error's header only" {
	req 'HEAD /cgi-bin/badhead HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 502
	expect_hdr Content-Length 212
	[ "$(LC_ALL=C tail -c 4 "$OUT" | od -An -c | tr -d ' ')" = '\r\n\r\n' ] || fail "a body follows the head"
	expect_log '"HEAD /cgi-bin/badhead HTTP/1.1" 502 0 '
}

@test "nph- output passes unchanged and the connection closes after it" {
	req 'GET /cgi-bin/nph-raw HTTP/1.1\r\nHost: x\r\n\r\nGET /cgi-bin/sized HTTP/1.1\r\nHost: x\r\n\r\n'
	cmp -s "$OUT" <(printf 'HTTP/1.1 299 Raw\r\nX-Nph: as written\r\n\r\nraw body, no framing') ||
		fail "not the program's bytes"
	expect_log '"GET /cgi-bin/nph-raw HTTP/1.1" 299 '
}

@test "nph- output that is no response line passes unchanged, logged as 502" {
	prog "$SITE/cgi-bin/nph-bare" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nnot a status line\n'
	EOF
	req 'GET /cgi-bin/nph-bare HTTP/1.1\r\nHost: x\r\n\r\n'
	cmp -s "$OUT" <(printf 'Content-Type: text/plain\n\nnot a status line\n') ||
		fail "not the program's bytes"
	expect_log '"GET /cgi-bin/nph-bare HTTP/1.1" 502 '
	expect_log 'nph-bare: nph- output does not begin with a status line'
}

@test "control bytes on the program's stderr reach the log as \\xHH; CRLF ends a line" {
	prog "$SITE/cgi-bin/noisy" <<-'EOF'
	#!/bin/sh
	printf 'esc \033[31mred\033[0m and a bare \r in it\n' >&2
	printf 'crlf line\r\n' >&2
	printf 'Content-Type: text/plain\n\nok\n'
	EOF
	get /cgi-bin/noisy
	expect_status 200
	expect_log 'httpd1: noisy: esc \x1b[31mred\x1b[0m and a bare \x0d in it'
	LC_ALL=C grep -q "$(printf '\033')" "$LOG" && fail "a raw ESC reached the log"
	LC_ALL=C grep -q "$(printf '\r')" "$LOG" && fail "a raw CR reached the log"
	grep -q 'noisy: crlf line$' "$LOG" || fail "CRLF: $(grep crlf "$LOG" | cat -v)"
}

@test "the program's stderr goes to the log, not to the client" {
	get /cgi-bin/talk
	expect_status 200
	expect_body1 'to the client\n'
	expect_out_lacks diagnostic
	expect_log 'httpd1: talk: diagnostic one'
	expect_log 'talk: diagnostic two, last, without a newline'
}

@test "keep-alive: pipelined CGI requests are all answered, chunked correctly" {
	req 'GET /cgi-bin/echo?name=one HTTP/1.1\r\nHost: x\r\n\r\nGET /product?a=2&b=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /cgi-bin/echo?name=three HTTP/1.1\r\nHost: x\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200 200 200'
	parse
	[ "$(cut -d' ' -f3 "$W/framing" | paste -sd' ')" = 'chunked chunked chunked length' ] ||
		fail "framing: $(cat "$W/framing")"
	grep -qx 'name: one' "$W/body.1" || fail "first body"
	grep -qxF '{"operation": "product", "operands": [2, 3], "result": 6}' "$W/body.2" || fail "second body"
	grep -qx 'name: three' "$W/body.3" || fail "third body"
	[ "$(cat "$W/body.4")" = plain ] || fail "fourth body"
}

@test "-K 0: a program's response after which the connection closes says Connection: close" {
	req 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /cgi-bin/echo?name=two HTTP/1.1\r\nHost: x\r\n\r\n' -K 0
	expect_two_last_closes
}

@test "-K 0: after a chunked body to a program, a request already here is answered too" {
	req 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /cgi-bin/echo?name=two HTTP/1.1\r\nHost: x\r\n\r\n' -K 0
	expect_two_last_closes
}

@test "a body over -B is a 413, by Content-Length or by chunks" {
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n' -B 1000
	expect_status 413
	req "POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n$(head -c 2000 /dev/zero | tr '\0' a)\r\n0\r\n\r\n" -B 1000
	expect_status 413
	expect_out_lacks cksum=
}

@test "Expect: 100-continue on HTTP/1.0 gets no interim response; other expectations 417" {
	req 'POST /cgi-bin/sum HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello'
	expect_out_lacks '100 Continue'
	expect_status 200
	body | grep -qx 'cksum=.* 5' || fail "the body did not arrive"
	req 'POST /cgi-bin/sum HTTP/1.1\r\nHost: x\r\nExpect: extra-cheese\r\nContent-Length: 5\r\n\r\nhello'
	expect_status 417
	expect_out_lacks cksum=
}

# ---- real clients over a socket -------------------------------------------

@test "curl: GET with a query, and the client's address in the environment" {
	need curl curl
	listen
	"${CURL[@]}" -o "$OUT" "$URL/cgi-bin/echo?name=test" || fail "curl failed ($ACCEPTOR)"
	grep -qx 'name: test' "$OUT" || fail "no 'name: test' ($ACCEPTOR)"
	"${CURL[@]}" -o "$OUT" "$URL/cgi-bin/vars" || fail "curl failed"
	VARS=$OUT
	expect_var REMOTE_ADDR 127.0.0.1
	expect_var SERVER_ADDR 127.0.0.1
	expect_var SERVER_PORT "$PORT"
}

@test "curl: the product is JSON that python parses, and errors are 400" {
	need curl curl
	need_python
	listen
	"${CURL[@]}" -o "$W/p.json" "$URL/product?a=12&b=60&another=0.5" || fail "curl failed"
	python3 -m json.tool "$W/p.json" >/dev/null || fail "not JSON: $(cat "$W/p.json")"
	json_check "$W/p.json" 'd == {"operation": "product", "operands": [12, 60, 0.5], "result": 360}'
	code=$("${CURL[@]}" -o "$W/e.json" -w '%{http_code}' "$URL/product?a=12&b=x")
	[ "$code" = 400 ] || fail "status $code"
	json_check "$W/e.json" "d == {\"error\": \"operand 'b' is not a number: x\"}"
}

@test "curl: POST bodies of 3 MB with Content-Length and chunked arrive intact" {
	need curl curl
	listen
	head -c 3000000 /dev/urandom >"$W/data"
	want=$(cksum <"$W/data")
	"${CURL[@]}" -o "$OUT" --data-binary @"$W/data" -H 'Content-Type: application/octet-stream' "$URL/cgi-bin/sum" ||
		fail "curl failed"
	grep -qx "CONTENT_LENGTH=3000000" "$OUT" || fail "$(cat "$OUT")"
	grep -qx "cksum=$want" "$OUT" || fail "$(cat "$OUT"), wanted $want"
	"${CURL[@]}" -o "$OUT" --data-binary @"$W/data" -H 'Transfer-Encoding: chunked' "$URL/cgi-bin/sum" ||
		fail "curl failed"
	grep -qx "CONTENT_LENGTH=3000000" "$OUT" || fail "$(cat "$OUT")"
	grep -qx "cksum=$want" "$OUT" || fail "$(cat "$OUT"), wanted $want"
}

@test "Expect: 100-continue: the interim 100 comes before the body is sent" {
	need_python
	listen
	python3 - "$PORT" >"$OUT" <<-'EOF' || fail "$(cat "$OUT")"
	import socket, sys
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
	s.sendall(b"POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
	          b"Content-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\n")
	got = b""
	while b"\r\n\r\n" not in got:
	    c = s.recv(4096)
	    if not c:
	        sys.exit("closed before any interim response: %r" % got)
	    got += c
	if not got.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):
	    sys.exit("no 100 Continue first: %r" % got)
	s.sendall(b"hello world")
	while True:
	    c = s.recv(65536)
	    if not c:
	        break
	    got += c
	sys.stdout.write(got.decode("latin-1"))
	EOF
	[ "$(status 2)" = 200 ] || fail "no 200 after the 100"
	parse
	grep -qx 'hello world' "$W/body.2" || fail "the body did not reach the program"
}

@test "curl: 100 MB of chunked output arrives whole" {
	need curl curl
	listen
	n=$("${CURL[@]}" -D "$W/head" -o /dev/null -w '%{size_download}' "$URL/cgi-bin/big") ||
		fail "curl failed: broken framing?"
	[ "$n" = 104857600 ] || fail "$n bytes"
	grep -qi '^transfer-encoding: chunked' "$W/head" || fail "not chunked: $(cat "$W/head")"
}

@test "100 MB with the program's Content-Length: every byte, bounded memory" {
	need_python
	python3 - "$HTTPD1" "${HARGS[@]}" >"$W/r" <<-'EOF' || fail "$(cat "$W/r")"
	import resource, subprocess, sys
	p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
	p.stdin.write(b"GET /cgi-bin/bigcl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	p.stdin.close()
	head, n = b"", 0
	while b"\r\n\r\n" not in head:
	    c = p.stdout.read(1)
	    if not c:
	        sys.exit("no head: %r" % head)
	    head += c
	while True:
	    c = p.stdout.read(1 << 20)
	    if not c:
	        break
	    n += len(c)
	p.wait(timeout=60)
	print(n, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
	print(head.decode("latin-1"))
	EOF
	read -r n mb <"$W/r"
	[ "$n" = 104857600 ] || fail "$n body bytes"
	grep -qi '^content-length: 104857600' "$W/r" || fail "$(cat "$W/r")"
	# streamed, not buffered: far below the 100 MB that went through
	[ "$mb" -lt 64 ] || fail "peak RSS $mb MB"
}

@test "git clone through git http-backend (smart HTTP)" {
	need git git
	need curl curl
	backend=$(git --exec-path)/git-http-backend
	[ -x "$backend" ] || skip "SKIPPED LOUDLY: no $backend"
	sed -i "s|^exec .*|exec $backend|" "$SITE/cgi-bin/git"
	rm -rf "$SITE/git/repo.git"
	git init -q --bare "$SITE/git/repo.git"
	git init -q "$W/src"
	printf 'hello from httpd1\n' >"$W/src/README"
	git -C "$W/src" add README
	git -C "$W/src" -c user.name=t -c user.email=t@example.org commit -qm 'first commit'
	git -C "$W/src" push -q "$SITE/git/repo.git" HEAD:refs/heads/main
	git -C "$SITE/git/repo.git" symbolic-ref HEAD refs/heads/main
	[ "$(id -u)" = 0 ] && chown -R nobody "$SITE/git/repo.git"
	chmod -R a+rX "$SITE/git"
	listen
	GIT_TERMINAL_PROMPT=0 no_proxy='*' NO_PROXY='*' timeout 60 \
		git -c http.proxy= clone -q "$URL/cgi-bin/git/repo.git" "$W/clone" 2>"$W/git.err" ||
		fail "clone failed ($ACCEPTOR): $(cat "$W/git.err"; cat "$LOG")"
	cmp "$W/src/README" "$W/clone/README" || fail "README differs"
	[ "$(git -C "$W/clone" log -1 --format=%s)" = 'first commit' ] || fail "commit differs"
}

# ---- the guestbook ---------------------------------------------------------

@test "guestbook: GET shows the form and no entries yet" {
	rm -rf "$SITE/var"
	get /cgi-bin/guestbook
	expect_status 200
	expect_hdr Content-Type 'text/html; charset=utf-8'
	parse
	grep -qF '<form method="post" action="/cgi-bin/guestbook">' "$W/body.1" || fail "no form"
	grep -qF 'name="name"' "$W/body.1" || fail "no name field"
	grep -qF 'name="message"' "$W/body.1" || fail "no message field"
	grep -qF 'No entries yet.' "$W/body.1" || fail "entries?"
}

@test "guestbook: a POST adds an entry outside the docroot and answers 303" {
	rm -rf "$SITE/var"
	guestbook_post 'name=Ada+L.&message=First+line%0D%0Asecond+line%2C+100%25'
	expect_status 303
	expect_hdr Location /cgi-bin/guestbook
	[ "$(wc -l <"$SITE/var/guestbook.txt")" = 1 ] || fail "$(cat -A "$SITE/var/guestbook.txt")"
	get /cgi-bin/guestbook
	expect_status 200
	parse
	grep -qF '<b>Ada L.</b>' "$W/body.1" || fail "no name: $(cat "$W/body.1")"
	grep -qF 'First line<br>' "$W/body.1" || fail "no first line"
	grep -qF 'second line, 100%</p>' "$W/body.1" || fail "no second line"
	grep -qF '1 entry' "$W/body.1" || fail "count"
	get /var/guestbook.txt
	expect_status 404
	get /../var/guestbook.txt
	expect_status_in '400|404'
}

@test "guestbook: markup in an entry is escaped" {
	rm -rf "$SITE/var"
	guestbook_post 'name=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&message=%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E+%26+%27q%27'
	expect_status 303
	get /cgi-bin/guestbook
	parse
	! grep -q '<script>' "$W/body.1" || fail "<script> reached the page"
	! grep -q '<img' "$W/body.1" || fail "<img reached the page"
	grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;' "$W/body.1" ||
		fail "not escaped: $(grep -i script "$W/body.1")"
	grep -qF '&lt;img src=x onerror=alert(1)&gt;' "$W/body.1" || fail "name not escaped"
}

@test "guestbook: empty messages, other media types and methods are refused" {
	rm -rf "$SITE/var"
	guestbook_post 'name=x&message=+%0A+'
	expect_status 400
	req 'POST /cgi-bin/guestbook HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nmessage=x'
	expect_status 415
	req 'PUT /cgi-bin/guestbook HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
	expect_status 405
	[ ! -s "$SITE/var/guestbook.txt" ] || fail "an entry was added: $(cat "$SITE/var/guestbook.txt")"
}

@test "guestbook: 50 concurrent posts, 50 entries" {
	rm -rf "$SITE/var"
	local i pids=()
	for i in $(seq 50); do
		body="name=n$i&message=concurrent+$i"
		printf 'POST /cgi-bin/guestbook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
			"${#body}" "$body" |
			timeout -k 2 30 "$HTTPD1" "${HARGS[@]}" >"$W/post.$i" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || true
	done
	n=$(cat "$W"/post.* | grep -c '^HTTP/1.1 303 ' || true)
	[ "$n" = 50 ] || fail "$n of 50 posts answered 303: $(cat "$LOG")"
	[ "$(wc -l <"$SITE/var/guestbook.txt")" = 50 ] || fail "$(wc -l <"$SITE/var/guestbook.txt") entries"
	[ "$(cut -f3 "$SITE/var/guestbook.txt" | sort -u | wc -l)" = 50 ] || fail "entries lost or doubled"
	get /cgi-bin/guestbook
	parse
	grep -qF '50 entries' "$W/body.1" || fail "the page does not show 50 entries"
}

@test "guestbook: without flock(1), the lock directory serialises 30 writers" {
	rm -rf "$SITE/var"
	mkdir "$W/bin"
	for t in awk cat date head mkdir rmdir sed sleep tr wc; do
		ln -s "$(command -v "$t")" "$W/bin/$t"
	done
	local i pids=()
	for i in $(seq 30); do
		body="message=fallback+$i"
		printf '%s' "$body" | timeout 30 env -i PATH="$W/bin" REQUEST_METHOD=POST \
			CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#body} \
			SCRIPT_NAME=/cgi-bin/guestbook SCRIPT_FILENAME="$SITE/cgi-bin/guestbook" \
			/bin/sh "$SITE/cgi-bin/guestbook" >"$W/post.$i" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || true
	done
	n=$(cat "$W"/post.* | grep -c '^Status: 303' || true)
	[ "$n" = 30 ] || fail "$n of 30 posts answered 303"
	[ "$(wc -l <"$SITE/var/guestbook.txt")" = 30 ] || fail "$(wc -l <"$SITE/var/guestbook.txt") entries"
	[ ! -e "$SITE/var/guestbook.lock.d" ] || fail "the lock directory was left behind"
	rm -rf "$SITE/var"
}

@test "a CGI body that starts just at the end of the input buffer reaches the program" {
	fill_buffer /cgi-bin/sum
	serve -i 5 <"$W/fill.req"
	[ "$(nresp)" = "$NREQ" ] || fail "$(nresp) responses for $NREQ requests"
	LC_ALL=C grep -a -q 'cksum=.* 5' "$OUT" || fail "the program did not get the 5 bytes"
}

@test "-u: the CGI directory is opened before the user changes" {
	[ "$(id -u)" = 0 ] || skip "needs root to change the user"
	# a directory the new user may search but not open
	mkdir "$W/c711"
	prog "$W/c711/ok" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\r\n\r\nran\n'
	EOF
	chmod 711 "$W/c711"
	chmod a+x "$W"
	req 'GET /cgi-bin/ok HTTP/1.0\r\n\r\n' -c "$W/c711" -u nobody
	expect_status 200
	body | grep -qx ran || fail "the program did not run"
}

@test "a program's name with a decoded newline cannot forge a log line" {
	name=$(printf 'nl\nFORGED - - [x] "GET admin HTTP-1.1" 200 1')
	prog "$SITE/cgi-bin/$name" <<-'EOF2'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nhi\n'
	exit 3
	EOF2
	req 'GET /cgi-bin/nl%0aFORGED%20-%20-%20%5bx%5d%20%22GET%20admin%20HTTP-1.1%22%20200%201 HTTP/1.0\r\n\r\n'
	rm -f "$SITE/cgi-bin/$name"
	expect_status 200
	expect_log 'nl\x0aFORGED'
	! grep -q '^FORGED' "$LOG" || { cat -v "$LOG"; fail "a forged line in the log"; }
}
