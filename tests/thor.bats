#!/usr/bin/env bats
# thor.bats: the client against real servers on 127.0.0.1.
# Each test starts its own small python3 server on a free port (written to
# a file once it listens) and kills it by PID in teardown.  THOR names the
# binary (default ./thor); every run of it is bounded by timeout.

bats_require_minimum_version 1.5.0

setup_file() {
	: "${THOR:=$PWD/thor}"
	case $THOR in /*) ;; *) THOR=$PWD/$THOR ;; esac
	export THOR
	export ROOT=$BATS_FILE_TMPDIR/www SRV=$BATS_FILE_TMPDIR/srv.py
	mkdir -p "$ROOT/dir"
	head -c 300000 /dev/urandom > "$ROOT/blob.bin"
	printf 'hello, thor\n' > "$ROOT/hello.txt"
	head -c 1024 /dev/zero | tr '\0' x > "$ROOT/1k.txt"
	cat > "$SRV" <<'EOF'
# a test server: files from a directory, canned raw responses by path
import functools, http.server, os, socket, sys, time

bind, root, portfile = sys.argv[1], sys.argv[2], sys.argv[3]

def chunked():
    return (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;name=value\r\nhello\r\n"
            b"7\r\n, world\r\n"
            b"1A\r\n" + b"abcdefghijklmnopqrstuvwxyz" + b"\r\n"
            b"0\r\nX-Trailer: yes\r\n\r\n")

class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def raw(self, data, close=True, hang=0):
        self.wfile.write(data)
        self.wfile.flush()
        if hang:
            time.sleep(hang)
        self.close_connection = close

    def reply(self, status, body, fields=()):
        self.send_response(status)
        for name, value in fields:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        p, here = self.path, "http://%s:%d" % (bind, self.server.server_port)
        if ":" in bind:
            here = "http://[%s]:%d" % (bind, self.server.server_port)
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if p == "/chunked":
            return self.raw(chunked(), close=False)
        if p == "/close":
            return self.raw(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
                            b"no length, ends at close\n")
        if p == "/http10":
            return self.raw(b"HTTP/1.0 200 OK\r\n\r\nold style\n")
        if p == "/te10":
            return self.raw(b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", close=False)
        if p == "/lf":
            return self.raw(b"HTTP/1.1 200 OK\nContent-Length: 4\n\nbare", close=False)
        if p == "/lfcrlf":
            return self.raw(b"HTTP/1.1 200 OK\nContent-Length: 5\n\r\nmixed")
        if p == "/manychunks":
            return self.raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + b"1\r\nx\r\n" * 70000 + b"0\r\n\r\n")
        if p == "/interim":
            return self.raw(b"HTTP/1.1 100 Continue\r\n\r\n"
                            b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nafter\n")
        if p == "/split":
            for piece in (b"HTT", b"P/1.1 200 OK\r\nContent-", b"Length: 5\r\n\r",
                          b"\nsp", b"lit"):
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(0.05)
            return
        if p in ("/204", "/304"):
            # the connection stays open: the client must not wait for a body
            return self.raw(b"HTTP/1.1 %s Nothing\r\nContent-Length: 10\r\n\r\n"
                            % p[1:].encode(), hang=5)
        if p == "/bad":
            return self.raw(b"SPDY/3 200 OK\r\n\r\n")
        if p == "/nothttp":
            return self.raw(b"hello world\n")
        if p == "/nothttp-open":
            return self.raw(b"hello world\n", hang=5)
        if p == "/badlength":
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n")
        if p == "/truncated":
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        if p == "/hang":
            time.sleep(10)
            return
        if p == "/drop2":
            # the second request on each connection is read, then dropped
            self.seen = getattr(self, "seen", 0) + 1
            with open(portfile + ".hits", "a") as f:
                f.write("%s\n" % self.command)
            if self.seen == 2:
                self.close_connection = True
                return
            return self.reply(200, b"kept\n")
        if p.split("?")[0] == "/echo":
            text = "%s %s\n" % (self.command, p)
            for name, value in self.headers.items():
                text += "%s: %s\n" % (name.lower(), value)
            return self.reply(200, text.encode() + b"\n" + data)
        if p.startswith("/status/"):
            code = int(p[8:])
            return self.reply(code, b"status %d\n" % code)
        if p == "/r301":
            return self.reply(301, b"", [("Location", here + "/a/r302")])
        if p == "/a/r302":
            return self.reply(302, b"moved\n", [("Location", "../hello.txt")])
        if p == "/see-other":
            return self.reply(303, b"", [("Location", "/echo")])
        if p == "/https":
            return self.reply(302, b"", [("Location", "https://127.0.0.1/")])
        if p.startswith("/hops/"):
            n = int(p[6:])
            if n == 0:
                return self.reply(200, b"arrived\n")
            loc = "%d" % (n - 1) if n % 2 else here + "/hops/%d" % (n - 1)
            return self.reply(307, b"", [("Location", loc)])
        if self.command in ("GET", "HEAD"):
            return http.server.SimpleHTTPRequestHandler.do_GET(self) \
                if self.command == "GET" else \
                http.server.SimpleHTTPRequestHandler.do_HEAD(self)
        return self.reply(405, b"no\n")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = route

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET

srv = Server((bind, 0), functools.partial(Handler, directory=root))
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_port)
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
EOF
}

# start_server [address]: a server on a free port; sets PORT, URL, SRV_PID
start_server() {
	local bind=${1:-127.0.0.1} pf=$BATS_TEST_TMPDIR/port
	rm -f "$pf"
	python3 "$SRV" "$bind" "$ROOT" "$pf" 3>&- &
	SRV_PID=$!
	if ! timeout 5 bash -c 'until [ -s "$1" ]; do sleep 0.02; done' _ "$pf"; then
		echo "the test server did not start on $bind" >&2
		return 1
	fi
	PORT=$(cat "$pf")
	case $bind in
	*:*) URL=http://[$bind]:$PORT ;;
	*) URL=http://$bind:$PORT ;;
	esac
}

teardown() {
	if [ -n "${SRV_PID:-}" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
}

# fail MESSAGE: end the test with MESSAGE
fail() {
	echo "FAIL: $*" >&2
	return 1
}

# a port nothing listens on
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

@test "-h prints the usage on stdout and exits 0; -V the version" {
	run -0 --separate-stderr timeout 5 "$THOR" -h
	[[ $output == usage:* ]]
	[ -z "$stderr" ]
	run -0 --separate-stderr timeout 5 "$THOR" --help
	[[ $output == usage:* ]]
	[ -z "$stderr" ]
	run -0 --separate-stderr timeout 5 "$THOR" -V
	[ "$output" = "thor 0.1" ]
}

@test "bad usage exits 2 with a message" {
	run -2 --separate-stderr timeout 5 "$THOR"
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "thor: a URL is wanted" ]
	[[ ${stderr_lines[1]} == usage:* ]]
	run -2 timeout 5 "$THOR" -Q http://127.0.0.1/
	[ "${lines[0]}" = "thor: -Q: unknown option" ]
	run -2 timeout 5 "$THOR" --frobnicate http://127.0.0.1/
	[ "${lines[0]}" = "thor: --frobnicate: unknown option" ]
	run -2 timeout 5 "$THOR" -t
	[ "${lines[0]}" = "thor: -t: wants a value" ]
	run -2 timeout 5 "$THOR" http://127.0.0.1/a http://127.0.0.1/b
	[ "${lines[0]}" = "thor: http://127.0.0.1/b: an argument too many" ]
	run -2 timeout 5 "$THOR" -c 0 http://127.0.0.1/
	[[ $output == *"-c: not a number"* ]]
	run -2 timeout 5 "$THOR" -t 0x10 http://127.0.0.1/
	[[ $output == *"-t: not a number of seconds"* ]]
	run -2 timeout 5 "$THOR" -H 'no colon' http://127.0.0.1/
	run -2 timeout 5 "$THOR" -f xml -r 1 http://127.0.0.1/
	run -2 timeout 5 "$THOR" ftp://127.0.0.1/
	[[ $output == *"not an http:// URL"* ]]
	run -2 timeout 5 "$THOR" http://127.0.0.1:99999/
	[[ $output == *"bad port"* ]]
	run -2 timeout 5 "$THOR" -r 5 -o x http://127.0.0.1/
	# -f, even -f text, belongs to the hammer
	run -2 timeout 5 "$THOR" -f text http://127.0.0.1/
	[[ $output == *"-k and -f apply only"* ]]
}

@test "https URLs are refused with a clear message and status 2" {
	run -2 timeout 5 "$THOR" https://127.0.0.1/
	[ "$output" = "thor: https is not supported; use a TLS proxy" ]
}

@test "a binary body arrives byte for byte" {
	start_server
	timeout 10 "$THOR" "$URL/blob.bin" > "$BATS_TEST_TMPDIR/got"
	cmp "$ROOT/blob.bin" "$BATS_TEST_TMPDIR/got"
}

@test "-i writes the response head before the body" {
	start_server
	run -0 timeout 10 "$THOR" -i "$URL/hello.txt"
	[[ ${lines[0]} == "HTTP/1.1 200 OK"* ]]
	[[ $output == *"Content-Length: 12"* ]]
	[ "${lines[${#lines[@]} - 1]}" = "hello, thor" ]
}

@test "-o writes the body to a file and nothing to stdout" {
	start_server
	run -0 timeout 10 "$THOR" -o "$BATS_TEST_TMPDIR/out" "$URL/blob.bin"
	[ -z "$output" ]
	cmp "$ROOT/blob.bin" "$BATS_TEST_TMPDIR/out"
}

@test "a chunked body is decoded, extensions and trailers dropped" {
	start_server
	run -0 timeout 10 "$THOR" "$URL/chunked"
	[ "$output" = "hello, worldabcdefghijklmnopqrstuvwxyz" ]
}

@test "a chunked body of 70000 chunks arrives whole" {
	start_server
	timeout 20 "$THOR" "$URL/manychunks" >"$BATS_TEST_TMPDIR/body"
	[ "$(wc -c <"$BATS_TEST_TMPDIR/body")" = 70000 ]
}

@test "a body without length ends when the server closes" {
	start_server
	run -0 timeout 10 "$THOR" "$URL/close"
	[ "$output" = "no length, ends at close" ]
	run -0 timeout 10 "$THOR" "$URL/http10"
	[ "$output" = "old style" ]
}

@test "heads split over reads, bare LF heads and 100 Continue" {
	start_server
	run -0 timeout 10 "$THOR" "$URL/split"
	[ "$output" = "split" ]
	run -0 timeout 10 "$THOR" "$URL/lf"
	[ "$output" = "bare" ]
	run -0 timeout 10 "$THOR" "$URL/lfcrlf"
	[ "$output" = "mixed" ]
	run -0 timeout 10 "$THOR" "$URL/interim"
	[ "$output" = "after" ]
}

@test "HEAD, 204 and 304 have no body, whatever Content-Length says" {
	start_server
	run -0 timeout 10 "$THOR" -X HEAD "$URL/blob.bin"
	[ -z "$output" ]
	run -0 timeout 3 "$THOR" "$URL/204"
	[ -z "$output" ]
	run -0 timeout 3 "$THOR" "$URL/304"
	[ -z "$output" ]
}

@test "-X, -H and -d: method, fields and body reach the server" {
	start_server
	run -0 timeout 10 "$THOR" -d 'a=1&b=2' -H 'X-Test: yes' -H 'Accept:' "$URL/echo"
	[ "${lines[0]}" = "POST /echo" ]
	[[ $output == *"x-test: yes"* ]]
	[[ $output == *"content-length: 7"* ]]
	[[ $output != *"accept:"* ]]
	[ "${lines[${#lines[@]} - 1]}" = "a=1&b=2" ]
	run -0 timeout 10 "$THOR" -X PUT -d x "$URL/echo"
	[ "${lines[0]}" = "PUT /echo" ]
	run -0 timeout 10 "$THOR" "$URL/echo?q=1%202&r=a b#fragment"
	[ "${lines[0]}" = "GET /echo?q=1%202&r=a%20b" ]
}

@test "redirects 301 (absolute) then 302 (relative) are followed to the 200" {
	start_server
	run -0 timeout 10 "$THOR" "$URL/r301"
	[ "$output" = "hello, thor" ]
	run -0 timeout 10 "$THOR" -i "$URL/r301"
	[[ $output == *"HTTP/1.1 301"*"HTTP/1.1 302"*"HTTP/1.1 200"*"hello, thor" ]]
}

@test "303 turns a POST into a GET" {
	start_server
	run -0 timeout 10 "$THOR" -d body "$URL/see-other"
	[ "${lines[0]}" = "GET /echo" ]
	[[ $output != *"content-length"* ]]
}

@test "10 redirects are followed, the 11th is an error with status 3" {
	start_server
	run -0 timeout 10 "$THOR" "$URL/hops/10"
	[ "$output" = "arrived" ]
	run -3 timeout 10 "$THOR" "$URL/hops/11"
	[[ $output == *"too many redirects"* ]]
	run -3 timeout 10 "$THOR" "$URL/https"
	[[ $output == *"https is not supported"* ]]
}

@test "4xx exits 4 and 5xx exits 5, the body still written" {
	start_server
	run -4 timeout 10 "$THOR" "$URL/status/404"
	[[ $output == *"status 404"* ]]
	[[ $output == *"thor: $URL/status/404: 404"* ]]
	run -4 timeout 10 "$THOR" "$URL/no-such-file"
	run -5 timeout 10 "$THOR" "$URL/status/503"
	[[ $output == *"status 503"* ]]
}

@test "connection refused exits 3 with a message" {
	local port
	port=$(free_port)
	run -3 timeout 10 "$THOR" "http://127.0.0.1:$port/"
	[ "$output" = "thor: connect to 127.0.0.1 port $port: Connection refused" ]
}

@test "malformed and truncated responses and timeouts exit 3" {
	start_server
	run -3 timeout 10 "$THOR" "$URL/bad"
	[[ $output == *"bad response: malformed status line"* ]]
	# known to be no HTTP as soon as it starts, though the server waits
	run -3 timeout 10 "$THOR" -t 4 "$URL/nothttp-open"
	[[ $output == *"bad response: malformed status line"* ]]
	run -3 timeout 10 "$THOR" "$URL/badlength"
	[[ $output == *"bad response"* ]]
	run -3 timeout 10 "$THOR" "$URL/truncated"
	[[ $output == *"closed before the end of the response"* ]]
	run -3 timeout 5 "$THOR" -t 0.5 "$URL/hang"
	[[ $output == *"timed out waiting for the response"* ]]
}

@test "host names resolve, in any case" {
	start_server
	run -0 timeout 10 "$THOR" "http://localhost:$PORT/hello.txt"
	[ "$output" = "hello, thor" ]
	# RFC 3986 3.2.2: the host is case-insensitive
	run -0 timeout 10 "$THOR" "http://LocalHost:$PORT/hello.txt"
	[ "$output" = "hello, thor" ]
}

@test "an IPv6 literal [::1] with a port" {
	if ! python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
		skip "IPv6 loopback ::1 is not available here"
	fi
	start_server ::1
	run -0 timeout 10 "$THOR" "$URL/hello.txt"
	[ "$output" = "hello, thor" ]
	run -0 timeout 10 "$THOR" -r 10 -c 2 -k "$URL/hello.txt"
	[[ $output == *$'\nrequests: 10\n'* ]]
}

@test "hammer: -r 50 -p 2 makes 100 requests without errors" {
	start_server
	run -0 timeout 20 "$THOR" -r 50 -p 2 "$URL/1k.txt"
	[[ $output == *$'\nrequests: 100\n'* ]]
	[[ $output == *$'\nok: 100\n'* ]]
	[[ $output == *$'\nerrors: 0 ('* ]]
	[[ $output == *"requests/s: "* ]]
	[[ $output == *"MB/s: "* ]]
	[[ $output == *"latency: min "*", mean "*", p50 "*", p90 "*", p99 "*", max "* ]]
}

@test "hammer: -k -c 4 reuses connections, chunked bodies too" {
	start_server
	run -0 --separate-stderr timeout 20 "$THOR" -v -k -c 4 -r 40 "$URL/1k.txt"
	[[ $output == *$'\nrequests: 40\n'* ]]
	[[ $output == *$'\nerrors: 0 ('* ]]
	# four connections, each carrying several requests
	[ "$(grep -c ' connect 127.0.0.1 port ' <<< "$stderr")" -eq 4 ]
	run -0 --separate-stderr timeout 20 "$THOR" -v -k -c 2 -r 20 "$URL/chunked"
	[[ $output == *$'\nrequests: 20\n'* ]]
	[ "$(grep -c ' connect 127.0.0.1 port ' <<< "$stderr")" -eq 2 ]
}

@test "hammer: errors are counted by kind and make the status 1" {
	local port
	start_server
	run -1 timeout 20 "$THOR" -r 6 -c 2 "$URL/status/404"
	[[ $output == *$'\nerrors: 6 (connect 0, read 0, timeout 0, http-4xx 6,'* ]]
	port=$(free_port)
	run -1 timeout 20 "$THOR" -r 5 "http://127.0.0.1:$port/"
	[[ $output == *$'\nerrors: 5 (connect 5,'* ]]
	run -1 timeout 20 "$THOR" -r 3 "$URL/bad"
	[[ $output == *"bad-response 3"* ]]
	[[ $output == *"thor: 3 of 3 requests failed"* ]]
	# not HTTP, and no head end before the close: malformed, not cut short
	run -1 timeout 20 "$THOR" -r 2 "$URL/nothttp"
	[[ $output == *$'\nerrors: 2 (connect 0, read 0, timeout 0, http-4xx 0, http-5xx 0, bad-response 2)'* ]]
}

@test "hammer: requests that all time out at once do not end the run early" {
	start_server
	run -1 timeout 20 "$THOR" -r 4 -c 2 -t 0.3 "$URL/hang"
	[[ $output == *$'\nrequests: 4'* ]] || { echo "$output"; false; }
	[[ $output == *"timeout 4"* ]]
}

@test "hammer: a process does not hold the report pipes of those started before it" {
	local tw=${TCPWRAP:-$PWD/tcpwrap} h1=${HTTPD1:-$PWD/httpd1} pf=$BATS_TEST_TMPDIR/port i
	case $tw in /*) ;; *) tw=$PWD/$tw ;; esac
	case $h1 in /*) ;; *) h1=$PWD/$h1 ;; esac
	"$tw" -c 400 -P "$pf" 127.0.0.1 0 "$h1" -d "$ROOT" -l none 3>&- 2>/dev/null &
	SRV_PID=$!
	for i in $(seq 50); do [ -s "$pf" ] && break; sleep 0.1; done
	# the limit is raised to 16 + 16: a process that also held the report
	# pipes of the 15 before it would run out of descriptors
	run -0 timeout 60 bash -c 'ulimit -Sn 20 && exec "$1" -p 16 -c 16 -r 32 "$2"' _ "$THOR" \
		"http://127.0.0.1:$(cat "$pf")/hello.txt"
	[[ $output == *$'\nrequests: 512'* ]] || { echo "$output"; false; }
	[[ $output == *$'\nerrors: 0'* ]] || { echo "$output"; false; }
}

@test "hammer -k: an HTTP/1.0 response with Transfer-Encoding is not kept alive (RFC 9112 6.1)" {
	start_server
	run -0 timeout 20 "$THOR" -v -k -r 3 "$URL/te10"
	[ "$(grep -c ' connect 127\.0\.0\.1 port ' <<<"$output")" = 3 ] || { echo "$output"; false; }
}

@test "hammer: -D that runs out with every request in flight is status 1" {
	start_server
	run -1 timeout 20 "$THOR" -D 0.5 -t 5 "$URL/hang"
	[[ $output == *$'\nrequests: 0'* ]] || { echo "$output"; false; }
	[[ $output == *"thor: no request ended"* ]]
}

@test "hammer: a report that cannot be written is status 1 with a message" {
	start_server
	run -1 timeout 20 bash -c '"$1" -r 2 "$2" >/dev/full' _ "$THOR" "$URL/hello.txt"
	[[ $output == *"thor: standard output:"* ]]
}

@test "hammer: -D runs for a duration" {
	start_server
	run -0 timeout 20 "$THOR" -k -c 2 -D 1 -f json "$URL/hello.txt"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] > 0 and d["errors"] == 0, d
assert 0.9 < d["elapsed_s"] < 5, d' "$output"
}

@test "hammer: -f json is one JSON object" {
	start_server
	run -0 --separate-stderr timeout 20 "$THOR" -r 20 -c 2 -f json "$URL/1k.txt"
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" | python3 -m json.tool > /dev/null
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] == 20 and d["ok"] == 20 and d["errors"] == 0, d
assert d["latency_min_us"] <= d["latency_p50_us"] <= d["latency_p99_us"] <= d["latency_max_us"], d
assert d["bytes"] > 20 * 1024, d' "$output"
}

@test "hammer: with no complete response there is no latency, not a latency of 0" {
	local port
	port=$(free_port)
	run -1 --separate-stderr timeout 20 "$THOR" -r 3 "http://127.0.0.1:$port/"
	grep -qx 'latency: none: no complete response' <<< "$output"
	run -1 --separate-stderr timeout 20 "$THOR" -r 3 -f json "http://127.0.0.1:$port/"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert d["errors"] == 3, d
assert all(d["latency_%s_us" % k] is None for k in ("min", "mean", "p50", "p90", "p99", "max")), d' "$output"
	run -1 --separate-stderr timeout 20 "$THOR" -r 3 -f csv "http://127.0.0.1:$port/"
	python3 -c 'import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert len(rows) == 1 and rows[0]["errors"] == "3", rows
assert all(rows[0]["latency_%s_us" % k] == "" for k in ("min", "mean", "p50", "p90", "p99", "max")), rows' <<< "$output"
}

@test "hammer: -f csv is a header line and one row" {
	start_server
	run -0 --separate-stderr timeout 20 "$THOR" -r 10 -f csv "$URL/hello.txt"
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == processes,connections,keepalive,requests,ok,errors,* ]]
	python3 -c 'import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert len(rows) == 1 and rows[0]["requests"] == "10" and rows[0]["errors"] == "0", rows' <<< "$output"
}

@test "hammer -k: a GET dropped on a kept-alive connection is sent again and counted as retried; a POST is an error" {
	start_server
	run -0 --separate-stderr timeout 20 "$THOR" -k -r 10 -f json "$URL/drop2"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] == 10 and d["ok"] == 10 and d["errors"] == 0, d
assert d["retried"] >= 4, d' "$output"
	run -0 --separate-stderr timeout 20 "$THOR" -k -r 10 "$URL/drop2"
	grep -q '^retried: [0-9]' <<< "$output" || fail "no retried line: $output"
	rm -f "$BATS_TEST_TMPDIR/port.hits"
	run -1 --separate-stderr timeout 20 "$THOR" -k -r 10 -d x=1 -f json "$URL/drop2"
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] == 10 and d["read"] >= 4 and d["retried"] == 0, d' "$output"
	# RFC 9112 9.3.1: a POST the server has read is never sent again
	[ "$(grep -c '^POST$' "$BATS_TEST_TMPDIR/port.hits")" -eq 10 ] ||
		fail "the server got $(grep -c '^POST$' "$BATS_TEST_TMPDIR/port.hits") POSTs for 10 requests"
}

@test "with standard output closed, the body goes nowhere near the socket: status 1" {
	start_server
	run -1 --separate-stderr timeout 10 sh -c '"$1" "$2" >&-' sh "$THOR" "$URL/hello.txt"
	grep -q 'standard output' <<< "$stderr" || fail "no message: $stderr"
}

@test "-v prints timestamped debug lines on stderr only" {
	start_server
	run -0 --separate-stderr timeout 10 "$THOR" -v "$URL/hello.txt"
	[ "$output" = "hello, thor" ]
	for what in "url $URL/hello.txt" "host 127.0.0.1" "port $PORT" "path /hello.txt" \
	    "connect 127.0.0.1 port $PORT" "send " "receive " "process elapsed "; do
		grep -qE "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} thor\[[0-9]+\]: $what" <<< "$stderr" ||
			{ echo "no debug line for: $what"; echo "$stderr"; return 1; }
	done
	run -0 --separate-stderr timeout 10 "$THOR" -v -r 4 -p 2 "$URL/hello.txt"
	[ "$(grep -c 'process elapsed .* per request' <<< "$stderr")" -eq 2 ]
}
