#!/usr/bin/env bats
# keepalive.bats: persistence, pipelining in order, bodies skipped between requests, EOF.

load helper

@test "HTTP/1.1: two pipelined requests give two responses in order" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '200 200'
	expect_hdr Content-Length 6
	body | head -n 1 | cmp -s - <(printf 'hello\n') || fail "first body is not hello"
	LC_ALL=C tail -c 9 "$OUT" | cmp -s - "$DOCROOT/a.json" || fail "second body is not a.json"
	expect_rc 0
}

@test "HTTP/1.1 responses that stay open carry no Connection: close" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 200
	[ "$(hdr Connection)" != close ] || fail "Connection: close on a persistent response"
}

@test "three pipelined requests with a 404 in the middle stay in order" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /empty.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '200 404 200'
}

@test "Connection: close gives one response with Connection: close" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_nresp 1
	expect_hdr Connection close
	expect_body 'hello\n'
}

@test "Connection: CLOSE is case-insensitive" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: CLOSE\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_nresp 1
}

@test "HTTP/1.0 closes by default, with Connection: close" {
	req 'GET /hello.txt HTTP/1.0\r\n\r\nGET /a.json HTTP/1.0\r\n\r\n'
	expect_nresp 1
	expect_hdr Connection close
}

@test "HTTP/1.0 with Connection: keep-alive stays open and says so" {
	req 'GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a.json HTTP/1.0\r\n\r\n'
	expect_statuses '200 200'
	expect_hdr_ci Connection keep-alive
}

@test "a GET with a Content-Length body and a pipelined GET are both answered" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 21\r\n\r\nGET /nope HTTP/1.1\r\n\rGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '200 200'
	LC_ALL=C tail -c 9 "$OUT" | cmp -s - "$DOCROOT/a.json" || fail "second body is not a.json"
}

@test "a chunked body on a GET and a pipelined request are both answered" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a\r\nGET /nope HTTP/1.1\r\nX: y\r\n\r\n0\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '200 200'
	LC_ALL=C tail -c 9 "$OUT" | cmp -s - "$DOCROOT/a.json" || fail "second body is not a.json"
}

@test "EOF after a complete request: exit status 0" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 200
	expect_rc 0
}

@test "immediate EOF: no output, exit status 0" {
	req ''
	expect_rc 0
	[ ! -s "$OUT" ] || fail "output on an empty connection"
}

@test "EOF after empty lines only: no output, exit status 0" {
	req '\r\n\r\n'
	expect_rc 0
	[ ! -s "$OUT" ] || fail "output on a connection of blank lines"
}

@test "a 400 closes: the pipelined request after it is not answered" {
	req 'GET  / HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_nresp 1
	expect_status 400
	expect_hdr Connection close
}

@test "a 404 keeps the connection" {
	req 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '404 200'
}

@test "many pipelined requests are all answered in order" {
	r=
	for i in $(seq 0 49); do r="${r}GET /hello.txt?$i HTTP/1.1\r\nHost: x\r\n\r\n"; done
	req "${r}GET /range.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	[ "$(nresp)" = 51 ] || fail "$(nresp) responses for 51 requests"
	LC_ALL=C tail -c 1000 "$OUT" | cmp -s - "$DOCROOT/range.txt" || fail "last body wrong"
}

@test "pipelined requests each get one log line" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n'
	[ "$(wc -l <"$LOG")" = 2 ] || fail "log has $(wc -l <"$LOG") lines"
}

@test "a 100 KB Content-Length body is skipped before the next pipelined request" {
	b=$(head -c 102400 /dev/zero | tr '\0' G)
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 102400\r\n\r\n${b}GET /a.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_statuses '200 200'
}

@test "a chunked body of 200 chunks is skipped before the next pipelined request" {
	c=
	for i in $(seq 1 200); do c="${c}1f4\r\n$(head -c 500 /dev/zero | tr '\0' G)\r\n"; done
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${c}0\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_statuses '200 200'
}

# the file last served stays open between requests: a change must still show
@test "a file rewritten in place between two requests on one connection is served new" {
	mkdir "$W/root"
	printf 'AAAA\n' >"$W/root/f.txt"
	serve -d "$W/root" < <(
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		sleep 1
		# same size, and the old mtime put back: only ctime tells
		touch -r "$W/root/f.txt" "$W/ref"
		printf 'BBBB\n' >"$W/root/f.txt"
		touch -r "$W/ref" "$W/root/f.txt"
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	)
	expect_statuses '200 200'
	LC_ALL=C grep -c '^AAAA' "$OUT" | grep -qx 1 || fail "first body is not the old one"
	LC_ALL=C tail -c 5 "$OUT" | cmp -s - <(printf 'BBBB\n') || fail "second body is not the new one"
}

@test "a file replaced by rename or removed between requests on one connection" {
	mkdir "$W/root"
	printf 'AAAA\n' >"$W/root/f.txt"
	serve -d "$W/root" < <(
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		sleep 1
		printf 'CCCC\n' >"$W/new"
		touch -r "$W/root/f.txt" "$W/new"
		mv "$W/new" "$W/root/f.txt"
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		sleep 1
		rm "$W/root/f.txt"
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	)
	expect_statuses '200 200 404'
	LC_ALL=C grep -c '^CCCC' "$OUT" | grep -qx 1 || fail "the renamed file was not served"
}

# a variant found missing is not looked for again in the same second
@test "a .gz variant made between requests on one connection is sent from the next second on" {
	mkdir "$W/root"
	printf 'plain text\n' >"$W/root/f.txt"
	serve -d "$W/root" < <(
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br, zstd\r\n\r\n'
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br, zstd\r\n\r\n'
		sleep 1.1
		printf 'gz bytes\n' >"$W/root/f.txt.gz"
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br, zstd\r\nConnection: close\r\n\r\n'
	)
	expect_statuses '200 200 200'
	[ "$(grep -ci '^content-encoding: gzip' "$OUT")" = 1 ] || fail "$(cat "$OUT")"
	LC_ALL=C tail -c 9 "$OUT" | cmp -s - <(printf 'gz bytes\n') || fail "the third body is not the variant"
	[ "$(LC_ALL=C grep -c '^plain text' "$OUT")" = 2 ] || fail "the first two bodies are not the file"
}

# a small file asked for again keeps its bytes; a later change must still show
@test "a small file served twice, then rewritten in place (same size and mtime): the third is new" {
	mkdir "$W/root"
	printf 'AAAA\n' >"$W/root/f.txt"
	sleep 2	# bytes are kept only of a file whose ctime is over a second old
	serve -d "$W/root" < <(
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n'
		sleep 1.2
		touch -r "$W/root/f.txt" "$W/ref"
		printf 'BBBB\n' >"$W/root/f.txt"
		touch -r "$W/ref" "$W/root/f.txt"
		printf 'GET /f.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	)
	expect_statuses '200 200 200'
	[ "$(LC_ALL=C grep -c '^AAAA' "$OUT")" = 2 ] || fail "the first two bodies are not the old one"
	LC_ALL=C tail -c 5 "$OUT" | cmp -s - <(printf 'BBBB\n') || fail "the third body is not the new one"
}

@test "a head with a body that ends just at the end of the input buffer loses nothing" {
	fill_buffer /hello.txt
	serve <"$W/fill.req"
	[ "$(nresp)" = "$NREQ" ] || fail "$(nresp) responses for $NREQ requests"
	LC_ALL=C grep -a -c '^HTTP/1.1 405 ' "$OUT" | grep -qx 1 || fail "no 405 for the POST"
}

@test "-K 0: each response after which the connection closes says Connection: close" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\n\r\n' -K 0
	expect_statuses '200 200'
	[ "$(LC_ALL=C grep -a -c -i '^Connection: close' "$OUT")" = 1 ] || fail "not exactly the last response says close"
	LC_ALL=C tail -c 200 "$OUT" | grep -a -qi '^Connection: close' || fail "the last response does not say close"
}

@test "an empty line after the last request is no request: -K 0 closes at once and says so" {
	local t0=$SECONDS
	serve -K 0 -T 30 < <(printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n\r\n'; exec 3>&-; sleep 6)
	expect_status 200
	LC_ALL=C grep -a -qi '^Connection: close' "$OUT" || fail "no Connection: close"
	[ $((SECONDS - t0)) -lt 5 ] || fail "the connection was held open"
}

@test "a head begun after an empty line and an idle wait has -T from its first byte" {
	serve -K 4 -T 1 < <(printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n\r\n'; sleep 0.5
		printf 'GET /hello.txt HTTP/1.1\r\n'; exec 3>&-; sleep 3)
	expect_statuses '200 408'
}
