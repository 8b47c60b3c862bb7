#!/usr/bin/env bats
# methods.bats: 405 with Allow, 501 for unknown methods, HEAD mirrors GET without a body.

load helper

@test "POST on a static file gives 405 with Allow: GET, HEAD" {
	req 'POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
}

@test "PUT gives 405 with Allow" {
	req 'PUT /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
}

@test "DELETE gives 405 with Allow and leaves the file alone" {
	req 'DELETE /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
	[ "$(cat "$DOCROOT/hello.txt")" = hello ] || fail "hello.txt changed"
}

@test "OPTIONS on a path gives 405 with Allow" {
	req 'OPTIONS /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
}

@test "TRACE gives 405 and does not echo the request" {
	req 'TRACE /hello.txt HTTP/1.1\r\nHost: x\r\nX-Echo: ECHO-ME\r\nConnection: close\r\n\r\n'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
	expect_out_lacks 'ECHO-ME'
}

@test "PATCH gives 405 with Allow" {
	req 'PATCH /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
}

@test "CONNECT with an origin-form path gives 405" {
	req 'CONNECT /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 405
}

@test "405 on a missing path too (method checked for static paths)" {
	req 'POST /nope.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
	expect_status 405
	expect_hdr Allow 'GET, HEAD'
}

@test "405 is an HTML error page with a correct Content-Length" {
	req 'DELETE /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_html_error 405
}

@test "405 keeps the connection: a following GET is answered" {
	req 'POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '405 200'
}

@test "unknown method BREW gives 501" {
	req 'BREW /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 501
}

@test "lowercase post gives 501 (methods are case-sensitive)" {
	req 'post /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 501
}

@test "HEAD has no body" {
	head_req /hello.txt
	expect_status 200
	expect_empty_body
}

@test "HEAD has the same fields as GET (Date aside)" {
	get /page.html
	expect_status 200
	heads >"$W/get"
	head_req /page.html
	expect_status 200
	heads >"$W/head"
	diff "$W/get" "$W/head" || fail "HEAD and GET fields differ"
}

@test "HEAD on a directory listing has the GET Content-Length and no body" {
	get /dir/
	cl=$(body_len)
	head_req /dir/
	expect_status 200
	expect_hdr Content-Length "$cl"
	expect_empty_body
}

@test "HEAD on a 404 has no body" {
	head_req /nope.txt
	expect_status 404
	expect_empty_body
}

@test "HEAD pipelined before a GET: no stray body between the responses" {
	req 'HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
	# the second status line follows the first head directly
	body | head -n 1 | grep -q '^HTTP/1.1 200 ' || fail "bytes between HEAD response and the next"
}

@test "HEAD on the 5 GiB file reports its size" {
	head_req /big.bin
	expect_status 200
	expect_hdr Content-Length "$BIG"
	expect_empty_body
}
