#!/usr/bin/env bats
# range.bats: byte ranges (RFC 9110 14): single, suffix, open, multipart, 416, If-Range, > 4 GiB.
# range.txt is 100 lines of "%09d\n": bytes 10k..10k+9 are line k.

load helper

# multipart_check 'off-last,...' FILE: the body is multipart/byteranges with these parts of FILE
multipart_check() {
	local ct
	ct=$(hdr Content-Type)
	body "$W/body"
	python3 - "$ct" "$W/body" "$1" "$2" "$3" <<'PY' || fail "multipart body is wrong"
import re, sys
ct, bodyf, want, srcf, total = sys.argv[1:6]
m = re.match(r'multipart/byteranges; *boundary="?([^";]+)"?$', ct)
assert m, "Content-Type: " + ct
b = m.group(1).encode()
body = open(bodyf, "rb").read()
src = open(srcf, "rb").read()
parts = body.split(b"--" + b)
assert parts[0] in (b"", b"\r\n"), ("preamble", parts[0][:80])
assert parts[-1] in (b"--", b"--\r\n"), ("closing delimiter", parts[-1][:80])
parts = parts[1:-1]
want = [tuple(int(x) for x in r.split("-")) for r in want.split(",")]
assert len(parts) == len(want), ("parts", len(parts), "want", len(want))
for p, (a, z) in zip(parts, want):
    assert p.startswith(b"\r\n"), ("part start", p[:40])
    head, sep, data = p[2:].partition(b"\r\n\r\n")
    assert sep, "no blank line in a part"
    fields = {}
    for line in head.split(b"\r\n"):
        n, _, v = line.partition(b":")
        fields[n.strip().lower()] = v.strip()
    assert fields.get(b"content-range") == ("bytes %d-%d/%s" % (a, z, total)).encode(), fields
    assert fields.get(b"content-type", b"").startswith(b"text/plain"), fields
    assert data.endswith(b"\r\n"), "part data not followed by CRLF"
    assert data[:-2] == src[a:z + 1], ("data", data[:40])
PY
}

@test "bytes=0-9 gives 206 with Content-Range and the first 10 bytes" {
	get /range.txt 'Range: bytes=0-9\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 0-9/1000'
	expect_hdr Content-Length 10
	expect_body '000000000\n'
}

@test "bytes=10-19 gives the second line" {
	get /range.txt 'Range: bytes=10-19\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 10-19/1000'
	expect_body '000000001\n'
}

@test "single byte range bytes=999-999" {
	get /range.txt 'Range: bytes=999-999\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 999-999/1000'
	expect_body '\n'
}

@test "suffix range bytes=-10 gives the last 10 bytes" {
	get /range.txt 'Range: bytes=-10\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 990-999/1000'
	expect_body '000000099\n'
}

@test "open range bytes=990- gives the rest" {
	get /range.txt 'Range: bytes=990-\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 990-999/1000'
	expect_hdr Content-Length 10
	expect_body '000000099\n'
}

@test "a last-pos past the end is clamped (bytes=995-2000)" {
	get /range.txt 'Range: bytes=995-2000\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 995-999/1000'
	expect_body '0099\n'
}

@test "a suffix longer than the file gives the whole file as 206" {
	get /range.txt 'Range: bytes=-5000\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 0-999/1000'
	expect_body_file "$DOCROOT/range.txt"
}

@test "whitespace around the range list is tolerated (bytes=0-9 , 20-29)" {
	get /range.txt 'Range: bytes=0-9 , 20-29\r\n'
	expect_status 206
	multipart_check '0-9,20-29' "$DOCROOT/range.txt" 1000
}

@test "two ranges give multipart/byteranges with correct parts" {
	get /range.txt 'Range: bytes=0-9,20-29\r\n'
	expect_status 206
	expect_hdr_re Content-Type '^multipart/byteranges; *boundary='
	expect_no_hdr Content-Range
	multipart_check '0-9,20-29' "$DOCROOT/range.txt" 1000
	expect_clen_matches
}

@test "three ranges including a suffix, in request order" {
	get /range.txt 'Range: bytes=500-509,0-4,-3\r\n'
	expect_status 206
	multipart_check '500-509,0-4,997-999' "$DOCROOT/range.txt" 1000
	expect_clen_matches
}

@test "a multipart response keeps the connection framed for a next request" {
	req 'GET /range.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,20-29\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	expect_statuses '206 200'
	LC_ALL=C tail -c 6 "$OUT" | cmp -s - <(printf 'hello\n') || fail "second response body wrong"
}

@test "unsatisfiable range gives 416 with Content-Range: bytes */1000" {
	get /range.txt 'Range: bytes=1000-\r\n'
	expect_status 416
	expect_hdr Content-Range 'bytes */1000'
	expect_clen_matches
}

@test "several unsatisfiable ranges give 416" {
	get /range.txt 'Range: bytes=2000-2010,3000-\r\n'
	expect_status 416
	expect_hdr Content-Range 'bytes */1000'
}

@test "one satisfiable range among unsatisfiable ones is served as 206" {
	get /range.txt 'Range: bytes=5000-6000,0-9\r\n'
	expect_status 206
	expect_body_has '000000000'
}

@test "a range on an empty file gives 416 bytes */0" {
	get /empty.txt 'Range: bytes=0-0\r\n'
	expect_status 416
	expect_hdr Content-Range 'bytes */0'
}

@test "unknown range unit is ignored (200 full)" {
	get /range.txt 'Range: items=0-9\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
	expect_no_hdr Content-Range
}

@test "bad range syntax is ignored (200 full)" {
	get /range.txt 'Range: bytes=abc\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
}

@test "more than 16 ranges are ignored (200 full)" {
	r=$(for i in $(seq 0 16); do printf '%d-%d,' $((i * 20)) $((i * 20 + 1)); done)
	get /range.txt "Range: bytes=${r%,}\r\n"
	expect_status 200
	expect_hdr Content-Length 1000
}

@test "exactly 16 ranges are honoured" {
	r=$(for i in $(seq 0 15); do printf '%d-%d,' $((i * 20)) $((i * 20 + 1)); done)
	get /range.txt "Range: bytes=${r%,}\r\n"
	expect_status 206
	expect_hdr_re Content-Type '^multipart/byteranges'
}

@test "Range on HEAD is not applied (200 with the full length)" {
	head_req /range.txt 'Range: bytes=0-9\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
}

@test "If-Range with the current ETag applies the range" {
	get /range.txt
	et=$(hdr ETag)
	get /range.txt "Range: bytes=0-9\r\nIf-Range: $et\r\n"
	expect_status 206
	expect_body '000000000\n'
}

@test "If-Range with another ETag gives 200 full" {
	get /range.txt 'Range: bytes=0-9\r\nIf-Range: "stale"\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
	expect_body_file "$DOCROOT/range.txt"
}

@test "If-Range with a weak ETag gives 200 full (strong match required)" {
	get /range.txt
	et=$(hdr ETag)
	get /range.txt "Range: bytes=0-9\r\nIf-Range: W/$et\r\n"
	expect_status 200
}

@test "If-Range with the Last-Modified date applies the range" {
	get /range.txt "Range: bytes=0-9\r\nIf-Range: $LASTMOD\r\n"
	expect_status 206
	expect_body '000000000\n'
}

@test "If-Range with a Last-Modified on a Wednesday applies the range (a date, not W/)" {
	printf 'wednesday\n' >"$DOCROOT/wed.txt"
	touch -d '2020-01-01 00:00:00 UTC' "$DOCROOT/wed.txt"
	get /wed.txt
	expect_hdr Last-Modified 'Wed, 01 Jan 2020 00:00:00 GMT'
	get /wed.txt 'Range: bytes=0-2\r\nIf-Range: Wed, 01 Jan 2020 00:00:00 GMT\r\n'
	expect_status 206
	expect_body 'wed'
}

@test "If-Range with a Last-Modified of the current second gives 200 full (a weak date)" {
	local lm
	printf 'future\n' >"$DOCROOT/future.txt"
	touch -d '2099-01-01 00:00:00 UTC' "$DOCROOT/future.txt"
	get /future.txt
	lm=$(hdr Last-Modified)
	[ "$lm" = "$(hdr Date)" ] || fail "Last-Modified $lm is not the Date $(hdr Date)"
	get /future.txt "Range: bytes=0-2\r\nIf-Range: $lm\r\n"
	expect_status 200
	expect_body 'future\n'
}

@test "If-Range with another date gives 200 full" {
	get /range.txt 'Range: bytes=0-9\r\nIf-Range: Fri, 01 Jan 2021 00:00:00 GMT\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
}

@test "5 GiB sparse file: bytes=5368709000-5368709119 gives 206 and 120 zero bytes" {
	get /big.bin 'Range: bytes=5368709000-5368709119\r\n'
	expect_status 206
	expect_hdr Content-Range "bytes 5368709000-5368709119/$BIG"
	expect_hdr Content-Length 120
	cmp -s <(body) <(head -c 120 /dev/zero) || fail "body is not 120 zero bytes"
}

@test "5 GiB file: a range above 4 GiB reads the right offset (MARK)" {
	get /big.bin 'Range: bytes=4294967396-4294967399\r\n'
	expect_status 206
	expect_hdr Content-Range "bytes 4294967396-4294967399/$BIG"
	expect_body 'MARK'
}

@test "5 GiB file: suffix range bytes=-120" {
	get /big.bin 'Range: bytes=-120\r\n'
	expect_status 206
	expect_hdr Content-Range "bytes 5368709000-5368709119/$BIG"
	expect_hdr Content-Length 120
}

@test "5 GiB file: two ranges across the 4 GiB line in a multipart body" {
	get /big.bin 'Range: bytes=0-3,4294967396-4294967399\r\n'
	expect_status 206
	body "$W/b"
	LC_ALL=C grep -a -q -F "Content-Range: bytes 4294967396-4294967399/$BIG" "$W/b" || fail "no part header for the high range"
	LC_ALL=C grep -a -q -F 'MARK' "$W/b" || fail "no MARK in the multipart body"
	expect_clen_matches
}

@test "5 GiB file: a range at the end gives 416 with the full length" {
	get /big.bin "Range: bytes=$BIG-\r\n"
	expect_status 416
	expect_hdr Content-Range "bytes */$BIG"
}

@test "positions too large for 64 bits: a first one is past the end, a last one is the end" {
	get /range.txt 'Range: bytes=99999999999999999999999-\r\n'
	expect_status 416
	expect_hdr Content-Range 'bytes */1000'
	get /range.txt 'Range: bytes=990-99999999999999999999999\r\n'
	expect_status 206
	expect_hdr Content-Range 'bytes 990-999/1000'
	get /range.txt 'Range: bytes=0-9\r\nRange: bytes=10-19\r\n'
	expect_status 200
	expect_hdr Content-Length 1000
}

@test "overlapping ranges adding up to more than the file: the whole once, 200" {
	get /range.txt "Range: $(printf 'bytes=0-'; for i in $(seq 15); do printf ',0-'; done)\r\n"
	expect_status 200
	expect_hdr Content-Length 1000
	expect_body_file "$DOCROOT/range.txt"
}
