#!/usr/bin/env bats
# errors.bats: error pages are small fixed HTML that echo nothing of the request; partial heads.

load helper

@test "404 is an HTML page with charset and a correct Content-Length" {
	get /nope.txt
	expect_html_error 404
	expect_hdr_re Date "$IMF_RE"
	expect_hdr Server httpd1
}

@test "400 is an HTML page and closes" {
	req 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_html_error 400
	expect_hdr Connection close
}

# error pages are fixed text: nothing of the request reaches them, so
# nothing from it needs escaping there (listings, which show names, escape)
@test "a raw <script> in the path of a 404 is not echoed in the page" {
	get '/<script>alert(1)</script>'
	expect_status 404
	expect_body_lacks 'script'
	expect_body_lacks 'alert(1)'
	expect_clen_matches
}

@test "a percent-encoded <script> in the path of a 404 is not echoed in the page" {
	get '/%3Cscript%3Ealert(1)%3C/script%3E'
	expect_status 404
	expect_body_lacks 'script'
	expect_body_lacks 'alert(1)'
}

@test "quotes from the path of a 404 are not echoed in the page" {
	get '/x%22%20onmouseover=%22alert(1)'
	expect_status 404
	expect_body_lacks 'onmouseover'
	expect_body_lacks 'alert(1)'
}

@test "partial request head then EOF gives 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n'
	expect_status 400
	expect_hdr Connection close
	expect_rc 0
}

@test "partial request line then EOF gives 400" {
	req 'GET /hello.txt HT'
	expect_status 400
}

@test "a partial second request after a good one gives 200 then 400" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.json HTTP/1.1\r\nHo'
	expect_statuses '200 400'
}

@test "error pages are answered for HTTP/1.0 too, with a 1.1 status line" {
	req 'GET /nope.txt HTTP/1.0\r\n\r\n'
	expect_html_error 404
	expect_hdr Connection close
}

@test "505 is an HTML page" {
	req 'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
	expect_html_error 505
}

@test "403 for a fifo is an HTML page" {
	get /fifo
	expect_html_error 403
}

@test "a request for a huge path does not crash (400, 404 or 414)" {
	req "GET /$(head -c 7000 /dev/zero | tr '\0' '/')a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_status_in '400|404|414'
}

@test "deeply nested .. segments do not crash (400)" {
	p=$(for i in $(seq 1 1000); do printf '/..'; done)
	req "GET /dir$p/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_status 400
}

@test "every error response has Date, Server, an HTML body and a matching Content-Length" {
	while IFS='|' read -r code r args; do
		# shellcheck disable=SC2086
		req "$r" $args
		expect_html_error "$code"
		expect_hdr_re Date "$IMF_RE"
		expect_hdr Server httpd1
	done <<'CASES'
400|GET  / HTTP/1.1\r\nHost: x\r\n\r\n|
403|GET /fifo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n|
404|GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n|
405|DELETE /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n|
412|GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-Match: "no"\r\nConnection: close\r\n\r\n|
413|POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n|-B 10
414|GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: x\r\n\r\n|-U 32
417|GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n|
431|GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n|-F 2
501|BREW /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n|
505|GET / HTTP/2.0\r\nHost: x\r\n\r\n|
CASES
}

@test "a 301 carries a small HTML body with a matching Content-Length" {
	get /dir
	expect_status 301
	expect_hdr_re Content-Type '^text/html'
	expect_clen_matches
}

@test "a 416 body is framed by its Content-Length" {
	req 'GET /range.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=5000-\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '416 200'
	LC_ALL=C tail -c 6 "$OUT" | cmp -s - <(printf 'hello\n') || fail "the next response is misframed"
}

@test "HEAD answered with an error before it is served: the head only, no page" {
	local h
	for h in 'Expect: foo\r\n' 'Content-Length: 999999999999\r\n'; do
		req "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n$h\r\n"
		grep -q '^HTTP/1.1 4' "$OUT" || fail "no 4xx: $(head -1 "$OUT")"
		expect_empty_body
		expect_hdr Connection close
	done
	req 'HEAD /hello.txt HTTP/1.1\r\n\r\n'
	expect_status 400
	expect_empty_body
}

@test "HEAD refused for its request line (414, 505, 400): the head only, no page" {
	req "HEAD /$(printf '%9000s' '' | tr ' ' a) HTTP/1.1\r\nHost: x\r\n\r\n"
	expect_status 414
	expect_empty_body
	req 'HEAD / HTTP/2.0\r\nHost: x\r\n\r\n'
	expect_status 505
	expect_empty_body
	req 'HEAD /a\x7fb HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_status 400
	expect_empty_body
}
