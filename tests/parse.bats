#!/usr/bin/env bats
# parse.bats: the request line, versions, methods, header syntax, Host rules, line ends.

load helper

@test "a plain HTTP/1.1 GET is served with a 1.1 status line" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
	expect_hdr Server httpd1
}

@test "HTTP/1.0 without Host is served, status line still says HTTP/1.1" {
	req 'GET /hello.txt HTTP/1.0\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "HTTP/1.5 is served as 1.1 (keeps the connection for a second request)" {
	req 'GET /hello.txt HTTP/1.5\r\nHost: x\r\n\r\nGET /a.json HTTP/1.5\r\nHost: x\r\n\r\n'
	expect_statuses '200 200'
}

@test "HTTP/0.9 in the request line gives 505" {
	req 'GET / HTTP/0.9\r\n\r\n'
	expect_status 505
}

@test "HTTP/2.0 gives 505" {
	req 'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
	expect_status 505
}

@test "HTTP/3.0 gives 505" {
	req 'GET / HTTP/3.0\r\nHost: x\r\n\r\n'
	expect_status 505
}

@test "version HTTP/1 (no minor) gives 400" {
	req 'GET / HTTP/1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "lowercase version http/1.1 gives 400" {
	req 'GET / http/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "version with trailing junk HTTP/1.1x gives 400" {
	req 'GET / HTTP/1.1x\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "request line without a version (GET /) gives 400" {
	req 'GET /\r\n\r\n'
	expect_status 400
}

@test "double space in the request line gives 400" {
	req 'GET  /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "double space before the version gives 400" {
	req 'GET /hello.txt  HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "tab as request line separator gives 400" {
	req 'GET\t/hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "leading space before the method gives 400" {
	req ' GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "trailing space after the version gives 400" {
	req 'GET /hello.txt HTTP/1.1 \r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "a raw non-ASCII byte in the target gives 400" {
	req 'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "a DEL byte in the target gives 400" {
	req 'GET /a\x7fb HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "lowercase method get gives 501" {
	req 'get /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 501
}

@test "unknown token method FOO gives 501" {
	req 'FOO /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 501
}

@test "method with a non-token character gives 400" {
	req 'G@T /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "header field names are case-insensitive (hOsT)" {
	req 'GET /hello.txt HTTP/1.1\r\nhOsT: x\r\nConnection: close\r\n\r\n'
	expect_status 200
}

@test "header name with a non-token character gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad(Name: y\r\n\r\n'
	expect_status 400
}

@test "header line without a colon gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'
	expect_status 400
}

@test "whitespace before the colon gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost : x\r\n\r\n'
	expect_status 400
}

@test "obs-fold (continuation line starting with space) gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n'
	expect_status 400
}

@test "obs-fold with a tab gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: one\r\n\ttwo\r\n\r\n'
	expect_status 400
}

@test "NUL in a field value gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n'
	expect_status 400
}

@test "bare CR in a field value gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n'
	expect_status 400
}

@test "control byte 0x01 in a field value gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n'
	expect_status 400
}

@test "horizontal tab inside a field value is accepted" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\nConnection: close\r\n\r\n'
	expect_status 200
}

@test "high (obs-text) bytes in a field value are accepted" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nUser-Agent: caf\xc3\xa9\r\nConnection: close\r\n\r\n'
	expect_status 200
}

@test "HTTP/1.1 without Host gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n'
	expect_status 400
}

@test "HTTP/1.1 with two Host fields gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'
	expect_status 400
}

@test "HTTP/1.1 with two identical Host fields still gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "Host containing a space gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: a b\r\n\r\n'
	expect_status 400
}

@test "Host containing < gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: ex<ample\r\n\r\n'
	expect_status 400
}

@test "Host with a port and an IPv6 literal are accepted" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: example.com:8080\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
}

@test "bare LF line ends are accepted" {
	req 'GET /hello.txt HTTP/1.1\nHost: x\nConnection: close\n\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "mixed CRLF and LF line ends are accepted" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\nConnection: close\r\n\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "empty CRLF lines before the request line are skipped" {
	req '\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "empty LF lines before the request line are skipped" {
	req '\n\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "absolute-form target is served from its path" {
	req 'GET http://example.com/hello.txt HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "absolute-form with port and query is served" {
	req 'GET http://example.com:8080/hello.txt?a=1 HTTP/1.1\r\nHost: example.com:8080\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "absolute-form in HTTP/1.0 without Host is served" {
	req 'GET http://example.com/hello.txt HTTP/1.0\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "a query string does not change the file served" {
	get '/hello.txt?x=1&y=%20'
	expect_status 200
	expect_body 'hello\n'
}

@test "origin-form target not starting with / gives 400" {
	req 'GET hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "OPTIONS * gives 405" {
	req 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 405
}

@test "GET * gives 400" {
	req 'GET * HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
}

@test "empty field value is accepted" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nConnection: close\r\n\r\n'
	expect_status 200
}

@test "garbage instead of a request line gives 400 and closes" {
	req '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	expect_nresp 1
}

@test "a request split inside the method is parsed" {
	req_split 'GE' 'T /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "a request split between CR and LF of the request line is parsed" {
	req_split 'GET /hello.txt HTTP/1.1\r' '\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "a request split inside the final CRLFCRLF is parsed" {
	req_split 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r' '\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "a request split after the first LF of a bare-LF end is parsed" {
	req_split 'GET /hello.txt HTTP/1.1\nHost: x\nConnection: close\n' '\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "a second pipelined request split across reads is parsed" {
	req_split 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.j' 'son HTTP/1.1\r\nHo' 'st: x\r\nConnection: close\r\n\r\n'
	expect_statuses '200 200'
}
