#!/usr/bin/env bats
# listing.bats: HTML and JSON directory listings, order, escaping, redirects, -L.

load helper

# offset NEEDLE_RE: byte offset of the first match of an ERE in the body, or "none"
offset() {
	local o
	o=$(body | LC_ALL=C grep -a -o -b -E -m 1 -- "$1" | head -n 1 | cut -d: -f1)
	echo "${o:-none}"
}

@test "a directory without index.html gives an HTML listing" {
	get /dir/
	expect_status 200
	expect_hdr Content-Type 'text/html; charset=utf-8'
	expect_body_has '<table'
	expect_clen_matches
}

@test "listing shows files and subdirectories with links" {
	get /dir/
	for n in a.txt b.txt Z.txt; do
		body | grep -q -E "href=\"(/dir/)?$n\"" || fail "no link to $n"
	done
	for n in subdir zsub; do
		body | grep -q -E "href=\"(/dir/)?$n/\"" || fail "no link to $n/ (directory hrefs end in /)"
	done
}

@test "listing has Name, Size, Modified, Type columns" {
	get /dir/
	for c in Name Size Modified Type; do
		expect_body_has "$c"
	done
}

@test "listing puts directories first, then files, each sorted by byte order" {
	get /dir/
	prev=-1
	for n in 'subdir/' 'zsub/' 'Z\.txt' 'a\.txt' 'b\.txt'; do
		o=$(offset "href=\"(/dir/)?$n\"")
		[ "$o" != none ] || fail "no link for $n"
		[ "$o" -gt "$prev" ] || fail "$n is out of order (offset $o after $prev)"
		prev=$o
	done
}

@test "listing hides dotfiles and dot directories" {
	get /dir/
	expect_status 200
	expect_body_has 'a.txt'
	expect_body_lacks '.secret'
	expect_body_lacks '.well-known'
}

@test "listing has a parent link in a subdirectory" {
	get /dir/subdir/
	expect_status 200
	body | grep -q -E 'href="(\.\./|/dir/)"' || fail "no parent link"
	expect_body_has 'inner.txt'
}

@test "listing at the docroot has no parent link" {
	HARGS=(-d "$DOCROOT/dir" -l "$LOG")
	get /
	expect_status 200
	expect_body_has 'a.txt'
	expect_body_lacks 'href="../"'
	expect_body_lacks 'href="/../"'
}

@test "listing escapes hostile names as HTML" {
	get /esc/
	expect_status 200
	expect_body_lacks '<script>'
	expect_body_has '&lt;script&gt;&amp;'
}

@test "listing percent-encodes hrefs (space, quote, <, %)" {
	get /esc/
	expect_body_has 'with%20space.txt'
	expect_body_has '100%25.txt'
	body | grep -q -i -F '%3Cscript%3E' || fail "no %3C...%3E in an href"
	expect_body_lacks 'href="with space.txt"'
}

@test "the listed hostile name can be fetched with its encoded href" {
	get '/esc/%3Cscript%3E%26%22x.txt'
	expect_status 200
	expect_body 'hostile\n'
}

@test "listing shows an <img> thumbnail for images and <audio controls> for audio" {
	get /media/
	expect_status 200
	body | grep -q -E '<img[^>]*pic\.png' || fail "no <img> for pic.png"
	body | grep -q -E '<audio[^>]*controls' || fail "no <audio controls>"
	body | grep -q -E 'song\.mp3' || fail "no song.mp3"
	body | grep -q -E '<img[^>]*notes\.txt' && fail "<img> for a text file"
	true
}

@test "JSON listing with ?format=json parses and has the documented shape" {
	get '/dir/?format=json'
	expect_status 200
	expect_hdr_re Content-Type '^application/json'
	body | python3 -m json.tool >/dev/null || fail "the body is not valid JSON"
	body | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["path"] == "/dir/", d["path"]
names = [e["name"] for e in d["entries"]]
assert names == ["subdir", "zsub", "Z.txt", "a.txt", "b.txt"], names
types = [e["type"] for e in d["entries"]]
assert types == ["directory", "directory", "file", "file", "file"], types
a = d["entries"][3]
assert a["size"] == 2, a
assert a["mtime"] == 1577934245, a
' || fail "JSON listing content is wrong"
	expect_clen_matches
}

@test "JSON listing also when format=json is one of several query parameters" {
	get '/dir/?x=1&format=json'
	expect_status 200
	expect_hdr_re Content-Type '^application/json'
	body | python3 -m json.tool >/dev/null || fail "the body is not valid JSON"
}

@test "JSON listing escapes hostile names correctly" {
	get '/esc/?format=json'
	expect_status 200
	body | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = sorted(e["name"] for e in d["entries"])
assert names == sorted(["<script>&\"x.txt", "with space.txt", "100%.txt"]), names
' || fail "JSON names wrong"
}

@test "-L: a directory without index.html gives 403" {
	get /dir/ '' -L
	expect_status 403
	expect_body_lacks 'a.txt'
}

@test "-L: JSON listing also gives 403" {
	get '/dir/?format=json' '' -L
	expect_status 403
}

@test "-L: a directory with index.html is still served" {
	get /dir-with-index/ '' -L
	expect_status 200
	expect_body '<p>dir index</p>\n'
}

@test "-L: files are still served" {
	get /hello.txt '' -L
	expect_status 200
}

@test "directory without trailing slash gives 301 to the slash form" {
	get /dir
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/$'
}

@test "301 redirect keeps the query string" {
	get '/dir?x=1'
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/\?x=1$'
}

@test "301 Location carries a query's raw <, \" and { percent-encoded, its escapes as they were" {
	get '/dir?a=<b>"&c={x}|^&d=%41/?:@'
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/\?a=%3Cb%3E%22&c=%7Bx%7D%7C%5E&d=%41/\?:@$'
}

@test "301 for a nested directory" {
	get /dir/subdir
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/subdir/$'
}

@test "a target ending in a dot segment moves to the directory it names" {
	# served at /dir/subdir/.., a listing of /dir/ would resolve its
	# relative links against /dir/subdir/
	get /dir/subdir/..
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/$'
	get '/dir/subdir/%2E%2e?x=1'
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/\?x=1$'
	get /dir/.
	expect_status 301
	expect_hdr_re Location '^(http://x)?/dir/$'
	get /dir/subdir/../
	expect_status 200
}

@test "a dot segment back to the root moves to /, never to //" {
	get /dir/..
	expect_status 301
	expect_hdr_re Location '^(http://x)?/$'
	get /.
	expect_status 301
	expect_hdr_re Location '^(http://x)?/$'
}

@test "301 Location of an encoded directory name stays encoded" {
	mkdir -p "$DOCROOT/sp ace"
	get '/sp%20ace'
	rmdir "$DOCROOT/sp ace"
	expect_status 301
	expect_hdr_re Location '^(http://x)?/sp%20ace/$'
}

@test "a directory whose index.html may not be read gives 403, not a listing" {
	mkdir -p "$W/root/d"
	printf 'secret\n' >"$W/root/d/index.html"
	chmod 000 "$W/root/d/index.html"
	chmod a+rx "$W" "$W/root" "$W/root/d"
	U=()
	[ "$(id -u)" = 0 ] && U=(-u nobody)
	get /d/ '' -d "$W/root" "${U[@]}"
	expect_status 403
	expect_out_lacks 'index.html'
}
