#!/usr/bin/env bats
# conditional.bats: If-None-Match, If-Modified-Since, If-Match, If-Unmodified-Since (RFC 9110 13).

load helper

# etag_of PATH: the ETag a plain GET returns
etag_of() {
	get "$1"
	hdr ETag
}

expect_304() {
	expect_status 304
	expect_no_hdr Content-Length
	expect_empty_body
	expect_hdr ETag "$ET"
	expect_hdr Last-Modified "$LASTMOD"
	expect_hdr_re Date "$IMF_RE"
}

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/httpd1-t.XXXXXX")
	OUT=$W/out ERR=$W/err LOG=$W/log
	HARGS=(-d "$DOCROOT" -l "$LOG")
	ET=$(etag_of /hello.txt)
	[ -n "$ET" ] || fail "no ETag on GET /hello.txt"
}

@test "If-None-Match with the ETag from a first GET gives 304" {
	get /hello.txt "If-None-Match: $ET\r\n"
	expect_304
}

@test "If-None-Match with a weak form W/ of the ETag gives 304 (weak compare)" {
	get /hello.txt "If-None-Match: W/$ET\r\n"
	expect_304
}

@test "If-None-Match list containing the ETag gives 304" {
	get /hello.txt "If-None-Match: \"nope\", $ET\r\n"
	expect_304
}

@test "If-None-Match: * gives 304" {
	get /hello.txt 'If-None-Match: *\r\n'
	expect_304
}

@test "If-None-Match with another tag gives 200 and the body" {
	get /hello.txt 'If-None-Match: "other"\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "If-None-Match with the ETag of another file gives 200" {
	other=$(etag_of /a.json)
	get /hello.txt "If-None-Match: $other\r\n"
	expect_status 200
}

@test "HEAD with a matching If-None-Match gives 304" {
	head_req /hello.txt "If-None-Match: $ET\r\n"
	expect_status 304
	expect_empty_body
}

@test "304 keeps the connection and leaks no body into the next response" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: $ET\r\n\r\nGET /a.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_statuses '304 200'
	body | head -n 1 | grep -q '^HTTP/1.1 200 ' || fail "bytes between the 304 and the next response"
}

@test "If-Modified-Since equal to Last-Modified (IMF-fixdate) gives 304" {
	get /hello.txt "If-Modified-Since: $LASTMOD\r\n"
	expect_304
}

@test "If-Modified-Since in RFC 850 format gives 304" {
	get /hello.txt "If-Modified-Since: $LASTMOD_850\r\n"
	expect_304
}

@test "If-Modified-Since in asctime format gives 304" {
	get /hello.txt "If-Modified-Since: $LASTMOD_ASC\r\n"
	expect_304
}

@test "If-Modified-Since later than the file gives 304" {
	get /hello.txt 'If-Modified-Since: Fri, 01 Jan 2021 00:00:00 GMT\r\n'
	expect_status 304
}

@test "If-Modified-Since one second before the mtime gives 200" {
	get /hello.txt 'If-Modified-Since: Thu, 02 Jan 2020 03:04:04 GMT\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "If-Modified-Since in 2019 gives 200" {
	get /hello.txt 'If-Modified-Since: Tue, 01 Jan 2019 00:00:00 GMT\r\n'
	expect_status 200
}

@test "invalid If-Modified-Since date is ignored (200)" {
	get /hello.txt 'If-Modified-Since: yesterday\r\n'
	expect_status 200
	expect_body 'hello\n'
}

@test "If-Modified-Since with an impossible date is ignored (200)" {
	get /hello.txt 'If-Modified-Since: Thu, 32 Jan 2030 03:04:05 GMT\r\n'
	expect_status 200
}

@test "If-Match with a different tag gives 412" {
	get /hello.txt 'If-Match: "nope"\r\n'
	expect_status 412
	expect_body_lacks 'hello'
}

@test "If-Match with the ETag gives 200" {
	get /hello.txt "If-Match: $ET\r\n"
	expect_status 200
	expect_body 'hello\n'
}

@test "If-Match: * gives 200 for an existing file" {
	get /hello.txt 'If-Match: *\r\n'
	expect_status 200
}

@test "If-Match with the weak form W/ETag gives 412 (strong compare)" {
	get /hello.txt "If-Match: W/$ET\r\n"
	expect_status 412
}

@test "If-Unmodified-Since before the mtime gives 412" {
	get /hello.txt 'If-Unmodified-Since: Tue, 01 Jan 2019 00:00:00 GMT\r\n'
	expect_status 412
}

@test "If-Unmodified-Since after the mtime gives 200" {
	get /hello.txt 'If-Unmodified-Since: Fri, 01 Jan 2021 00:00:00 GMT\r\n'
	expect_status 200
}

@test "invalid If-Unmodified-Since is ignored (200)" {
	get /hello.txt 'If-Unmodified-Since: not a date\r\n'
	expect_status 200
}

@test "If-Match present: If-Unmodified-Since is not consulted" {
	get /hello.txt "If-Match: $ET\r\nIf-Unmodified-Since: Tue, 01 Jan 2019 00:00:00 GMT\r\n"
	expect_status 200
}

@test "precedence: a non-matching If-None-Match wins over a satisfied If-Modified-Since" {
	get /hello.txt "If-None-Match: \"nope\"\r\nIf-Modified-Since: Fri, 01 Jan 2021 00:00:00 GMT\r\n"
	expect_status 200
	expect_body 'hello\n'
}

@test "precedence: a matching If-None-Match gives 304 despite an old If-Modified-Since" {
	get /hello.txt "If-None-Match: $ET\r\nIf-Modified-Since: Tue, 01 Jan 2019 00:00:00 GMT\r\n"
	expect_status 304
}

@test "precedence: a failed If-Match gives 412 even when If-None-Match would match" {
	get /hello.txt "If-Match: \"nope\"\r\nIf-None-Match: $ET\r\n"
	expect_status 412
}

@test "If-None-Match on a POST does not give 304 (405 instead)" {
	req "POST /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: $ET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	expect_status 405
}
