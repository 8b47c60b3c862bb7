#!/usr/bin/env bats
# framing.bats: Content-Length and Transfer-Encoding rules (RFC 9112 6), -B, Expect.
# NEXT is a pipelined request that must go unanswered when the server closes.

load helper

NEXT='GET /a.json HTTP/1.1\r\nHost: x\r\n\r\n'

# expect_closed: one response only, and it says Connection: close
expect_closed() {
	expect_nresp 1
	expect_hdr Connection close
}

@test "Content-Length together with Transfer-Encoding gives 400 and closes" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "Transfer-Encoding before Content-Length also gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "two differing Content-Length fields give 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!$NEXT"
	expect_status 400
	expect_closed
}

@test "a differing Content-Length list 5, 6 gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!$NEXT"
	expect_status 400
	expect_closed
}

@test "identical duplicate Content-Length fields are accepted" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello$NEXT"
	expect_statuses '200 200'
}

@test "an identical Content-Length list 5, 5 is accepted" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello$NEXT"
	expect_statuses '200 200'
}

@test "non-digit Content-Length (abc) gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "negative Content-Length gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n$NEXT"
	expect_status 400
}

@test "Content-Length with a plus sign gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello$NEXT"
	expect_status 400
}

@test "hex Content-Length 0x5 gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello$NEXT"
	expect_status 400
}

@test "empty Content-Length gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n$NEXT"
	expect_status 400
}

@test "a Content-Length that overflows 64 bits is refused and closes" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n$NEXT"
	expect_status_in '400|413'
	expect_closed
}

@test "Content-Length: 0 on a GET is fine" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n$NEXT"
	expect_statuses '200 200'
}

@test "Transfer-Encoding: gzip, chunked gives 501 and closes" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 501
	expect_closed
}

@test "Transfer-Encoding: chunked, identity (final not chunked) gives 400" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "Transfer-Encoding: chunked, chunked gives 400" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "chunked in two Transfer-Encoding fields gives 400" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "Transfer-Encoding: gzip alone gives 400" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "Transfer-Encoding in an HTTP/1.0 request gives 400" {
	req "POST /hello.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
	expect_status 400
}

@test "Transfer-Encoding: Chunked (any case) is chunked" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n$NEXT"
	expect_statuses '200 200'
}

@test "a bad chunk size (zz) gives 400 and closes" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "chunk data not followed by CRLF gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n$NEXT"
	expect_status 400
	expect_closed
}

@test "a chunk size over 64 bits gives 400" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n$NEXT"
	expect_status_in '400|413'
	expect_closed
}

@test "chunk extensions are allowed" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0;last\r\n\r\n$NEXT"
	expect_statuses '200 200'
}

@test "chunked trailers are skipped" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: 1\r\nX-More: 2\r\n\r\n$NEXT"
	expect_statuses '200 200'
}

@test "truncated chunked body then EOF: no second response, no hang" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"
	[ "$RC" != 124 ] || fail "the server hung"
	# the answer may come before the body is read, or not at all
	[ ! -s "$OUT" ] || { expect_status 200; expect_nresp 1; }
}

@test "a Content-Length body over -B gives 413 and closes (checked before reading)" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world$NEXT" -B 10
	expect_status 413
	expect_closed
	# the head alone: a server that read the body first would see it cut short (400)
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n" -B 10
	expect_status 413
}

@test "a Content-Length body of exactly -B bytes is read" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhelloworld$NEXT" -B 10
	expect_statuses '200 200'
}

@test "a huge Content-Length over the default limit gives 413 without waiting for the body" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 16777217\r\n\r\n"
	expect_status 413
	expect_hdr Connection close
}

@test "a chunked body over -B gives 413 and closes" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello!\r\n6\r\nhello!\r\n0\r\n\r\n$NEXT" -B 10
	expect_status 413
	expect_closed
}

@test "Expect: 100-continue on a static GET: final response, then close, no 100" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello$NEXT"
	expect_status 200
	expect_body 'hello\n'
	expect_closed
	expect_out_lacks '100 Continue'
}

@test "Expect: 100-continue and an early error: the unread body is never a request" {
	local t
	for t in /cgi-bin/nonexist /cgi-bin/ /.git /%00 /a/%2f; do
		req "POST $t HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 38\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
		[ "$(grep -c '^HTTP/1.1 ' "$OUT")" = 1 ] || fail "$t: $(grep '^HTTP/1.1 ' "$OUT")"
		expect_closed
		expect_out_lacks 'hello'
	done
}

@test "Expect: 100-continue on HTTP/1.0 is ignored: the body is skipped and the connection goes on" {
	req "GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhelloGET /hello.txt HTTP/1.0\r\n\r\n"
	[ "$(LC_ALL=C grep -a -c '^HTTP/1.1 200 ' "$OUT")" = 2 ] || fail "not two 200s: $(cat -v "$OUT")"
	expect_out_lacks '100 Continue'
}

@test "Expect: 100-continue is case-insensitive" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nhello$NEXT"
	expect_status 200
	expect_closed
}

@test "Expect: foo gives 417" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n"
	expect_status 417
}

@test "a client gone in the middle of a request body: nothing sent, a log line with 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc'
	[ ! -s "$OUT" ] || fail "a response was sent: $(cat -v "$OUT")"
	grep -q '"GET /hello.txt HTTP/1.1" 400 0 ' "$LOG" || fail "log: $(cat "$LOG")"
}
