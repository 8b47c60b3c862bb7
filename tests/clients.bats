#!/usr/bin/env bats
# clients.bats: a real client through a socket, as a browser would use the
# shipped site: tcpwrap on loopback runs httpd1 on www/, curl fetches.

load helper
load net

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/clients-t.XXXXXX")
	OUT=$W/out
	need curl curl
	need python3 python3
	[ -x "$TCPWRAP" ] || skip "UNTESTED: $TCPWRAP is not built (make tcpwrap)"
}

teardown() {
	net_teardown
}

# the page's own links that need no program: stylesheet, icon, images, listings
static_links() {
	grep -o -E '(href|src)="/[^"]*"' "$REPO/www/index.html" | cut -d'"' -f2 |
		sed 's/&amp;/\&/g' | grep -v -E '^/(cgi-bin/|product)' | sort -u
}

@test "curl fetches the shipped page and everything it links to on one connection" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$REPO/www" -c "$REPO/cgi-bin"
	local -a links args
	mapfile -t links < <(printf '/\n'; static_links)
	# the page names its CSS, JPEG, GIF, icon, listings and security.txt
	[ "${#links[@]}" -ge 7 ] || fail "links found: ${links[*]}"
	local i=0 u
	for u in "${links[@]}"; do
		args+=(-o "$W/f$i" "http://127.0.0.1:$PORT$u")
		i=$((i + 1))
	done
	curl -sS --max-time 20 -w '%{http_code} %{num_connects} %{content_type}\n' \
		"${args[@]}" >"$W/w" 2>"$W/curl.err" || fail "curl: $(cat "$W/curl.err")"
	[ "$(wc -l <"$W/w")" = "${#links[@]}" ] || fail "curl wrote: $(cat "$W/w")"
	# every link answers 200, and only the first fetch opened a connection
	[ "$(cut -d' ' -f1 "$W/w" | sort -u)" = 200 ] || fail "statuses: $(cat "$W/w")"
	[ "$(awk '{ n += $2 } END { print n }' "$W/w")" = 1 ] || fail "connections: $(cat "$W/w")"
	i=0
	for u in "${links[@]}"; do
		ct=$(sed -n "$((i + 1))p" "$W/w" | cut -d' ' -f3-)
		case $u in
		/) cmp "$W/f$i" "$REPO/www/index.html" && [ "$ct" = 'text/html; charset=utf-8' ] ;;
		*.css) cmp "$W/f$i" "$REPO/www$u" && [ "$ct" = 'text/css; charset=utf-8' ] ;;
		*.jpg) cmp "$W/f$i" "$REPO/www$u" && [ "$ct" = image/jpeg ] ;;
		*.gif) cmp "$W/f$i" "$REPO/www$u" && [ "$ct" = image/gif ] ;;
		*.ico | *.txt) cmp "$W/f$i" "$REPO/www$u" ;;
		/files/) grep -q 'href="images/"' "$W/f$i" && [ "$ct" = 'text/html; charset=utf-8' ] ;;
		*format=json) python3 -m json.tool "$W/f$i" >/dev/null && [ "$ct" = application/json ] ;;
		*) fail "no check for the link $u" ;;
		esac || fail "$u: Content-Type '$ct', body: $(head -c 300 "$W/f$i" | cat -v)"
		i=$((i + 1))
	done
	stop_pid "$TWPID"
}
