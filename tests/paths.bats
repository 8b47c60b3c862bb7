#!/usr/bin/env bats
# paths.bats: percent-decoding, canonicalisation, traversal, symlinks, dotfiles, odd file types.

load helper

# the request must not reveal anything from outside the docroot
expect_no_leak() {
	expect_out_lacks 'SECRET-OUTSIDE'
	expect_out_lacks 'root:x:0:0'
}

@test "/../outside.txt climbing above the root gives 400" {
	get '/../outside.txt'
	expect_status 400
	expect_no_leak
}

@test "/dir/../../outside.txt climbing above the root gives 400" {
	get '/dir/../../outside.txt'
	expect_status 400
	expect_no_leak
}

@test "/dir/../hello.txt stays inside and is served" {
	get '/dir/../hello.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "/./hello.txt is served" {
	get '/./hello.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "%2e%2e traversal gives 400" {
	get '/%2e%2e/outside.txt'
	expect_status 400
	expect_no_leak
}

@test "%2E%2E (uppercase) traversal gives 400" {
	get '/dir/%2E%2E/%2E%2E/outside.txt'
	expect_status 400
	expect_no_leak
}

@test "%2e%2e inside the root is resolved (/dir/%2e%2e/hello.txt)" {
	get '/dir/%2e%2e/hello.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "/.. alone gives 400" {
	get '/..'
	expect_status 400
}

@test "mixed .%2e traversal gives 400" {
	get '/.%2e/outside.txt'
	expect_status 400
	expect_no_leak
}

@test "mixed .%2e inside the root is resolved (/dir/.%2e/hello.txt)" {
	get '/dir/.%2e/hello.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "/.well-known/../.hidden resolves to a dotfile and gives 404" {
	get '/.well-known/../.hidden'
	expect_status 404
	expect_out_lacks 'HIDDEN-CONTENT'
}

@test "/.well-known/../../outside.txt gives 400" {
	get '/.well-known/../../outside.txt'
	expect_status 400
	expect_no_leak
}

@test "double-encoded %252e%252e is decoded once only and gives 404" {
	get '/%252e%252e/outside.txt'
	expect_status 404
	expect_no_leak
}

@test "overlong UTF-8 %c0%ae%c0%ae gives 400" {
	get '/%c0%ae%c0%ae/outside.txt'
	expect_status 400
	expect_no_leak
}

@test "encoded UTF-16 surrogate %ed%a0%80 gives 400" {
	get '/%ed%a0%80.txt'
	expect_status 400
}

@test "valid encoded UTF-8 in a name is accepted (404 for a missing file)" {
	get '/caf%c3%a9.txt'
	expect_status 404
}

@test "raw backslash in the path gives 400" {
	get '/..\\outside.txt'
	expect_status 400
	expect_no_leak
}

@test "encoded backslash %5c gives 400" {
	get '/dir%5ca.txt'
	expect_status 400
}

@test "encoded slash %2f gives 400" {
	get '/dir%2fa.txt'
	expect_status 400
}

@test "encoded slash in traversal ..%2f..%2f gives 400" {
	get '/..%2f..%2foutside.txt'
	expect_status 400
	expect_no_leak
}

@test "%00 in the path gives 400" {
	get '/hello.txt%00.html'
	expect_status 400
}

@test "bad percent escape %zz gives 400" {
	get '/hello%zz.txt'
	expect_status 400
}

@test "truncated percent escape at the end gives 400" {
	get '/hello.txt%4'
	expect_status 400
}

@test "percent-encoded ordinary letters are decoded (/h%65llo.txt)" {
	get '/h%65llo.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "a file name with a space is served via %20" {
	get '/with%20space.txt'
	expect_status 200
	expect_body 'space\n'
}

@test "// at the start is merged" {
	get '//hello.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "// in the middle is merged" {
	get '/dir//a.txt'
	expect_status 200
	expect_body 'a\n'
}

@test "trailing slash on a file gives 404" {
	get '/hello.txt/'
	expect_status 404
}

@test "missing file gives 404" {
	get '/no-such-file.txt'
	expect_status 404
}

@test "symlink inside the docroot is followed" {
	get '/link.txt'
	expect_status 200
	expect_body 'hello\n'
}

@test "directory symlink inside the docroot is followed" {
	get '/dirlink/a.txt'
	expect_status 200
	expect_body 'a\n'
}

@test "symlink to /etc/passwd gives 404" {
	get '/escape'
	expect_status 404
	expect_no_leak
}

@test "path through a symlink to /etc gives 404" {
	get '/escdir/passwd'
	expect_status 404
	expect_no_leak
}

@test "relative symlink ../outside.txt gives 404" {
	get '/relescape'
	expect_status 404
	expect_no_leak
}

@test "an absolute symlink, or one climbing above the root, gives 404 even to a file inside, and is not listed" {
	mkdir -p "$DOCROOT/sl"
	printf 'in\n' >"$DOCROOT/sl/t.txt"
	ln -s "$DOCROOT/sl/t.txt" "$DOCROOT/sl/abs.txt"
	ln -s "../../$(basename "$DOCROOT")/sl/t.txt" "$DOCROOT/sl/updown.txt"
	ln -s t.txt "$DOCROOT/sl/rel.txt"
	[ -e "$DOCROOT/sl/abs.txt" ] && [ -e "$DOCROOT/sl/updown.txt" ] || fail "the links do not resolve"
	get /sl/rel.txt
	expect_status 200
	get /sl/abs.txt
	expect_status 404
	get /sl/updown.txt
	expect_status 404
	get /sl/
	expect_status 200
	grep -q 'href="rel.txt"' "$OUT" || fail "rel.txt not listed"
	! grep -q 'abs.txt\|updown.txt' "$OUT" || fail "a link that is refused is listed"
}

@test "a symlink that climbs but stays below the root is served and listed, in a linked directory too" {
	mkdir -p "$DOCROOT/sl2/in" "$DOCROOT/dl"
	printf 'top\n' >"$DOCROOT/sl2/top.txt"
	ln -s ../top.txt "$DOCROOT/sl2/in/up.txt"
	ln -s ../sl2/in "$DOCROOT/dl/in"
	ln -s ../../.. "$DOCROOT/sl2/in/out"
	get /sl2/in/up.txt
	expect_status 200
	expect_body 'top\n'
	get /sl2/in/
	grep -q 'href="up.txt"' "$OUT" || fail "up.txt not listed: $(body)"
	! grep -q 'href="out/"' "$OUT" || fail "a link above the root is listed"
	get /dl/in/
	grep -q 'href="up.txt"' "$OUT" || fail "up.txt not listed below the linked directory"
	get '/dl/?format=json'
	expect_body_has '"name":"in","type":"directory"'
}

@test "dotfile /.hidden gives 404" {
	get '/.hidden'
	expect_status 404
	expect_out_lacks 'HIDDEN-CONTENT'
}

@test "/.git/config gives 404" {
	get '/.git/config'
	expect_status 404
	expect_out_lacks 'bare = false'
}

@test "/.git/ directory gives 404" {
	get '/.git/'
	expect_status 404
}

@test "dotfile in a subdirectory /dir/.secret gives 404" {
	get '/dir/.secret'
	expect_status 404
	expect_out_lacks 'SECRET-DOTFILE'
}

@test "encoded dotfile /%2ehidden gives 404" {
	get '/%2ehidden'
	expect_status 404
	expect_out_lacks 'HIDDEN-CONTENT'
}

@test "/.well-known/security.txt is served" {
	get '/.well-known/security.txt'
	expect_status 200
	expect_body 'Contact: mailto:security@example.com\n'
}

@test ".well-known below the first segment gives 404" {
	get '/dir/.well-known/x.txt'
	expect_status 404
}

@test "a fifo gives 403 (and does not hang)" {
	get '/fifo'
	expect_status 403
	[ "$RC" != 124 ] || fail "the server hung on the fifo"
}

@test "an unreadable file gives 403" {
	# chmod 000 does not stop root: as root, serve as nobody
	U=()
	[ "$(id -u)" = 0 ] && U=(-u nobody)
	get '/unreadable.txt' '' "${U[@]}"
	expect_status 403
	get '/hello.txt' '' "${U[@]}"
	expect_status 200
}

@test "the docroot given relative to the current directory works" {
	cd "$FIX"
	HARGS=(-d root -l "$LOG")
	get '/hello.txt'
	expect_status 200
	expect_body 'hello\n'
}
