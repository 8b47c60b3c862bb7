#!/usr/bin/env bats
# static.bats: files, index.html, Content-Type, Date, ETag, Last-Modified, Content-Length.

load helper

@test "the default site: GET / from the repo root with no -d gives 200 text/html" {
	cd "$REPO"
	RC=0
	printf 'GET / HTTP/1.0\r\n\r\n' | (exec timeout -k 2 "$REQ_TIMEOUT" "$HTTPD1") >"$OUT" 2>"$ERR" || RC=$?
	check_crash
	expect_status 200
	expect_hdr_re Content-Type '^text/html'
	expect_clen_matches
}

@test "GET / serves index.html" {
	get /
	expect_status 200
	expect_body_file "$DOCROOT/index.html"
	expect_hdr Content-Type 'text/html; charset=utf-8'
}

@test "GET /index.html serves the same file" {
	get /index.html
	expect_status 200
	expect_body_file "$DOCROOT/index.html"
}

@test "a directory with index.html serves it" {
	get /dir-with-index/
	expect_status 200
	expect_body '<p>dir index</p>\n'
	expect_hdr Content-Type 'text/html; charset=utf-8'
}

@test "a directory without trailing slash redirects with 301 and Location" {
	get /dir-with-index
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir-with-index/$'
}

@test "hello.txt: body, text/plain with charset" {
	get /hello.txt
	expect_status 200
	expect_body 'hello\n'
	expect_hdr Content-Type 'text/plain; charset=utf-8'
}

@test "Content-Type of .css is text/css; charset=utf-8" {
	get /style.css
	expect_hdr Content-Type 'text/css; charset=utf-8'
	expect_body_file "$DOCROOT/style.css"
}

@test "Content-Type of .json is application/json, with no charset (RFC 8259 defines none)" {
	get /a.json
	expect_hdr Content-Type 'application/json'
}

@test "Content-Type of .js is a JavaScript type with charset" {
	get /script.js
	expect_hdr_re Content-Type '^(text|application)/javascript; charset=utf-8$'
}

@test "Content-Type of .svg is image/svg+xml" {
	get /a.svg
	expect_hdr Content-Type 'image/svg+xml'
}

@test "Content-Type of .png is image/png and the bytes are exact" {
	get /pic.png
	expect_status 200
	expect_hdr Content-Type 'image/png'
	expect_body_file "$DOCROOT/pic.png"
}

@test "unknown extension is application/octet-stream" {
	get /unknown.xyz
	expect_hdr Content-Type 'application/octet-stream'
	expect_body 'unknown\n'
}

@test "Date is an IMF-fixdate close to now" {
	get /hello.txt
	expect_hdr_re Date "$IMF_RE"
	t=$(date -d "$(hdr Date)" +%s)
	d=$((t - $(date +%s)))
	[ "${d#-}" -lt 300 ] || fail "Date is $d seconds away from now"
}

@test "Server: httpd1" {
	get /hello.txt
	expect_hdr Server httpd1
}

@test "ETag is a quoted strong tag" {
	get /hello.txt
	expect_hdr_re ETag '^"[!#-~]+"$'
}

@test "ETag is stable across requests and differs between files" {
	get /hello.txt
	e1=$(hdr ETag)
	get /hello.txt
	e2=$(hdr ETag)
	get /a.json
	e3=$(hdr ETag)
	[ -n "$e1" ] && [ "$e1" = "$e2" ] || fail "ETag changed: $e1 vs $e2"
	[ "$e1" != "$e3" ] || fail "two files share the ETag $e1"
}

@test "ETag changes when the file changes" {
	cp "$DOCROOT/hello.txt" "$DOCROOT/changing.txt"
	get /changing.txt
	e1=$(hdr ETag)
	printf 'changed!\n' >"$DOCROOT/changing.txt"
	touch -d @$((MTIME + 10)) "$DOCROOT/changing.txt"
	get /changing.txt
	e2=$(hdr ETag)
	rm -f "$DOCROOT/changing.txt"
	[ "$e1" != "$e2" ] || fail "ETag $e1 unchanged after a change"
}

@test "Last-Modified is the file's mtime as IMF-fixdate" {
	get /hello.txt
	expect_hdr Last-Modified "$LASTMOD"
}

@test "Accept-Ranges: bytes on files" {
	get /hello.txt
	expect_hdr Accept-Ranges bytes
}

@test "Content-Length equals the body size (text, css, png, html)" {
	for f in /hello.txt /style.css /pic.png /index.html /page.html /range.txt; do
		get "$f"
		expect_status 200
		expect_clen_matches
	done
}

@test "an empty file gives 200 with Content-Length: 0" {
	get /empty.txt
	expect_status 200
	expect_hdr Content-Length 0
	expect_empty_body
}

@test "exactly one Content-Length, Date and Content-Type field" {
	get /hello.txt
	for f in Content-Length Date Content-Type Server; do
		[ "$(hdr_count $f)" = 1 ] || fail "$(hdr_count $f) $f fields"
	done
}

@test "a 1000-byte file is served byte for byte" {
	get /range.txt
	expect_status 200
	expect_hdr Content-Length 1000
	expect_body_file "$DOCROOT/range.txt"
}

@test "the response head uses CRLF line ends" {
	get /hello.txt
	expect_status 200
	n=$(LC_ALL=C awk '/^\r?$/ { exit } !/\r$/ { bad++ } END { print bad + 0 }' "$OUT")
	[ "$n" = 0 ] || fail "$n head lines without CR"
}

@test "-V prints the version and exits 0" {
	RC=0
	timeout 10 "$HTTPD1" -V >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_rc 0
	[ "$(cat "$OUT")" = "httpd1 0.1" ] || fail "-V printed '$(cat "$OUT")'"
}

@test "-h prints usage on stdout and exits 0" {
	RC=0
	timeout 10 "$HTTPD1" -h >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_rc 0
	grep -qi usage "$OUT" || fail "no usage on stdout"
}

@test "a bad option prints usage on stderr, nothing on stdout, exits 2" {
	RC=0
	timeout 10 "$HTTPD1" -Z >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_rc 2
	[ ! -s "$OUT" ] || fail "stdout not empty"
	grep -qi usage "$ERR" || fail "no usage on stderr"
	head -n 1 "$ERR" | grep -qx 'httpd1: -Z: unknown option' || fail "first line does not name -Z"
	RC=0
	timeout 10 "$HTTPD1" --frobnicate >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_rc 2
	head -n 1 "$ERR" | grep -qx 'httpd1: --frobnicate: unknown option' ||
		fail "first line does not name --frobnicate"
	RC=0
	timeout 10 "$HTTPD1" -d >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_rc 2
	head -n 1 "$ERR" | grep -qx 'httpd1: -d: wants a value' || fail "first line does not name -d"
}

@test "a bad option value names the option, and for -R the limit, with its range: exit 2" {
	local a want
	for a in '-K 99999|-K: not a number from 0 to 86400: 99999' \
	    '-R cpu=0|-R cpu: not a number from 1 to 86400: 0' \
	    '-R nofile=2|-R nofile: not a number from 3 to 1048576: 2' \
	    '-R as=x|-R as: not a number from 0 to 16777216: x'; do
		want=${a#*|}
		RC=0
		# shellcheck disable=SC2086
		timeout 10 "$HTTPD1" ${a%%|*} >"$OUT" 2>"$ERR" </dev/null || RC=$?
		expect_rc 2
		head -n 1 "$ERR" | grep -qxF "httpd1: $want" || fail "for ${a%%|*}: $(head -n 1 "$ERR")"
	done
}

@test "a 288 KB file is served intact to a file" {
	get /seq.txt
	expect_status 200
	expect_clen_matches
	expect_body_file "$DOCROOT/seq.txt"
}

@test "a 288 KB file is served intact when stdout is a pipe" {
	req_pipe 'GET /seq.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_status 200
	expect_rc 0
	expect_body_file "$DOCROOT/seq.txt"
}

@test "pipelined large files to a pipe stay framed" {
	req_pipe 'GET /seq.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /seq.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=-7\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_statuses '200 206 200'
	LC_ALL=C tail -c 6 "$OUT" | cmp -s - <(printf 'hello\n') || fail "last body wrong"
	# the first body ends with "50000" and the 206 follows it directly
	LC_ALL=C grep -a -x -A 1 -m 1 '50000' "$OUT" | sed -n 2p | grep -q '^HTTP/1.1 206 ' ||
		fail "the 206 does not follow the first body directly"
}
