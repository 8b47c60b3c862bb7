#!/usr/bin/env bats
# encoding.bats: pre-compressed variants (X.br, X.zst, X.gz) chosen by Accept-Encoding.
# page.html has .gz and .br (fake bytes); only-gz.txt has .gz only; hello.txt has none.

load helper

@test "Accept-Encoding: gzip serves page.html.gz with Content-Encoding: gzip" {
	get /page.html 'Accept-Encoding: gzip\r\n'
	expect_status 200
	expect_hdr Content-Encoding gzip
	expect_body_file "$DOCROOT/page.html.gz"
	expect_clen_matches
}

@test "the gzip variant keeps the original's Content-Type" {
	get /page.html 'Accept-Encoding: gzip\r\n'
	expect_hdr Content-Type 'text/html; charset=utf-8'
}

@test "the gzip variant decompresses to the original" {
	get /page.html 'Accept-Encoding: gzip\r\n'
	cmp -s <(body | gzip -dc) "$DOCROOT/page.html" || fail "gunzipped body differs from page.html"
}

@test "the gzip variant carries Vary: Accept-Encoding" {
	get /page.html 'Accept-Encoding: gzip\r\n'
	expect_hdr_re Vary '(^|[ ,])Accept-Encoding($|[ ,])'
}

@test "without Accept-Encoding the original is served without Vary: it suits every client" {
	get /page.html
	expect_status 200
	expect_no_hdr Content-Encoding
	expect_body_file "$DOCROOT/page.html"
	expect_no_hdr Vary
}

@test "gzip;q=0 is honoured: the original is served" {
	get /page.html 'Accept-Encoding: gzip;q=0\r\n'
	expect_status 200
	expect_no_hdr Content-Encoding
	expect_body_file "$DOCROOT/page.html"
}

@test "gzip; q=0.000 with spaces is honoured" {
	get /page.html 'Accept-Encoding: gzip ; q=0.000\r\n'
	expect_status 200
	expect_no_hdr Content-Encoding
	expect_body_file "$DOCROOT/page.html"
}

@test "br is preferred over gzip when both are allowed" {
	get /page.html 'Accept-Encoding: gzip, deflate, br\r\n'
	expect_status 200
	expect_hdr Content-Encoding br
	expect_body_file "$DOCROOT/page.html.br"
	expect_hdr Content-Type 'text/html; charset=utf-8'
	expect_clen_matches
}

@test "br;q=0 with gzip allowed gives gzip" {
	get /page.html 'Accept-Encoding: br;q=0, gzip\r\n'
	expect_hdr Content-Encoding gzip
	expect_body_file "$DOCROOT/page.html.gz"
}

@test "Accept-Encoding: * allows br" {
	get /page.html 'Accept-Encoding: *\r\n'
	expect_hdr Content-Encoding br
}

@test "Accept-Encoding: *, br;q=0 gives gzip" {
	get /page.html 'Accept-Encoding: *, br;q=0\r\n'
	expect_hdr Content-Encoding gzip
}

@test "Accept-Encoding coding names are case-insensitive (GZIP)" {
	get /page.html 'Accept-Encoding: GZIP\r\n'
	expect_hdr_ci Content-Encoding gzip
}

@test "Accept-Encoding: identity serves the original" {
	get /page.html 'Accept-Encoding: identity\r\n'
	expect_no_hdr Content-Encoding
	expect_body_file "$DOCROOT/page.html"
}

@test "only-gz.txt with Accept-Encoding: br gets the original: no accepted variant exists" {
	get /only-gz.txt 'Accept-Encoding: br\r\n'
	expect_no_hdr Content-Encoding
	expect_body 'only gzip here\n'
	expect_no_hdr Vary
}

@test "only-gz.txt with gzip gets the .gz and text/plain" {
	get /only-gz.txt 'Accept-Encoding: gzip, br\r\n'
	expect_hdr Content-Encoding gzip
	expect_hdr Content-Type 'text/plain; charset=utf-8'
	expect_body_file "$DOCROOT/only-gz.txt.gz"
}

@test "a file without variants is never given a Content-Encoding" {
	get /hello.txt 'Accept-Encoding: gzip, br, zstd\r\n'
	expect_no_hdr Content-Encoding
	expect_body 'hello\n'
}

@test "HEAD with gzip reports the .gz length" {
	head_req /page.html 'Accept-Encoding: gzip\r\n'
	expect_hdr Content-Encoding gzip
	expect_hdr Content-Length "$(wc -c <"$DOCROOT/page.html.gz" | tr -d ' ')"
	expect_empty_body
}

@test "the gzip and identity variants have different ETags" {
	get /page.html
	e1=$(hdr ETag)
	get /page.html 'Accept-Encoding: gzip\r\n'
	e2=$(hdr ETag)
	[ -n "$e1" ] && [ "$e1" != "$e2" ] || fail "ETag '$e1' vs '$e2'"
}

@test "Range on a compressed variant applies to the compressed bytes" {
	get /page.html 'Accept-Encoding: gzip\r\nRange: bytes=0-1\r\n'
	expect_status 206
	expect_hdr Content-Encoding gzip
	expect_body '\x1f\x8b'
}
