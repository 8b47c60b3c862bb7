# helper.bash: shared by every tests/*.bats (load helper).
# Builds the fixture docroot once per file, runs httpd1 on canned requests with a
# timeout, and offers small accessors and assertions over the captured response.
# A failed assertion prints what it expected and the response it got.
# shellcheck disable=SC2034,SC2120  # globals and optional args used by the .bats files

: "${HTTPD1:?HTTPD1 must name the server binary; run tests/run-bats BINARY}"
REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
REQ_TIMEOUT=${HTTPD1_TIMEOUT:-10}
# no client address unless a test sets one
unset TCPREMOTEIP TCPREMOTEHOST TCPLOCALIP TCPLOCALPORT TCPREMOTEPORT

# the fixture's mtime (fixture/build) as epoch and in the three HTTP date formats
MTIME=1577934245
LASTMOD='Thu, 02 Jan 2020 03:04:05 GMT'
LASTMOD_850='Thursday, 02-Jan-20 03:04:05 GMT'
LASTMOD_ASC='Thu Jan  2 03:04:05 2020'
BIG=5368709120
IMF_RE='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'

setup_file() {
	FIX=$(mktemp -d "${BATS_FILE_TMPDIR:-${BATS_TMPDIR:-/tmp}}/fix.XXXXXX")
	"$BATS_TEST_DIRNAME/fixture/build" "$FIX"
	export FIX DOCROOT="$FIX/root"
}

teardown_file() {
	if [ -n "${FIX:-}" ]; then
		chmod -R u+rwx "$FIX" 2>/dev/null || true
		rm -rf "$FIX"
	fi
}

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/httpd1-t.XXXXXX")
	OUT=$W/out ERR=$W/err LOG=$W/log
	: >"$LOG"
	HARGS=(-d "$DOCROOT" -l "$LOG")
}

# a test fails when any server run in it crashed, even if its output looked right
teardown() {
	local crashed=0
	if [ -s "$W/crash" ]; then
		cat "$W/crash"
		crashed=1
	fi
	rm -rf "$W"
	[ "$crashed" = 0 ]
}

# check_crash: note a server killed by a signal or a sanitizer report on its stderr
check_crash() {
	if [ "$RC" -gt 124 ] || LC_ALL=C grep -a -q -E 'Sanitizer|runtime error:' "$ERR"; then
		{
			echo "CRASH: server exit status $RC; stderr:"
			head -c 3000 "$ERR" | cat -v
			echo
		} >>"$W/crash"
	fi
}

# serve [ARGS...] < input: httpd1 "${HARGS[@]}" ARGS, stdout to $OUT, stderr to $ERR,
# exit status in $RC (124 when the timeout killed it).  Output is capped at 64 MiB.
serve() {
	RC=0
	(ulimit -f 65536; exec timeout -k 2 "$REQ_TIMEOUT" "$HTTPD1" "${HARGS[@]}" "$@") \
		>"$OUT" 2>"$ERR" || RC=$?
	check_crash
}

# req 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' [ARGS...]: the request (printf %b escapes:
# \r \n \t \xHH \\) piped into httpd1
req() {
	local r=$1
	shift
	serve "$@" < <(printf '%b' "$r")
}

# req_split PART... : the parts written one after another with 0.1 s pauses,
# so the server sees the request in separate reads
req_split() {
	serve < <(for p in "$@"; do printf '%b' "$p"; sleep 0.1; done)
}

# req_pipe REQ [ARGS...]: like req, but stdout is a pipe rather than a file
req_pipe() {
	local r=$1
	shift
	RC=0
	(ulimit -f 65536; exec timeout -k 2 "$REQ_TIMEOUT" "$HTTPD1" "${HARGS[@]}" "$@") \
		< <(printf '%b' "$r") 2>"$ERR" | cat >"$OUT"
	RC=${PIPESTATUS[0]}
	check_crash
}

# get PATH [FIELDS] [ARGS...]: an HTTP/1.1 GET with Host and Connection: close;
# FIELDS are extra "Name: value\r\n" lines
get() {
	local p=$1 f=${2:-}
	shift $(($# < 2 ? $# : 2))
	req "GET $p HTTP/1.1\r\nHost: x\r\n${f}Connection: close\r\n\r\n" "$@"
}

# head_req PATH [FIELDS] [ARGS...]: the same with HEAD
head_req() {
	local p=$1 f=${2:-}
	shift $(($# < 2 ? $# : 2))
	req "HEAD $p HTTP/1.1\r\nHost: x\r\n${f}Connection: close\r\n\r\n" "$@"
}

# status [N]: the status code of the first (or Nth) response
status() {
	if [ "${1:-1}" = 1 ]; then
		LC_ALL=C head -n 1 "$OUT" | LC_ALL=C sed -n 's/^HTTP\/1\.1 \([0-9][0-9][0-9]\) .*\r$/\1/p'
	else
		LC_ALL=C grep -a -E '^HTTP/1\.1 [0-9]{3} ' "$OUT" | sed -n "${1}p" | cut -d' ' -f2
	fi
}

# statuses: every status code in the output, space separated
statuses() {
	LC_ALL=C grep -a -E '^HTTP/1\.1 [0-9]{3} ' "$OUT" | cut -d' ' -f2 | paste -sd' ' -
}

# nresp: how many responses (status lines) the output holds
nresp() {
	LC_ALL=C grep -a -c -E '^HTTP/1\.1 [0-9]{3} ' "$OUT" || true
}

# hdr NAME: the value of the first NAME field of the first response (CR, OWS stripped)
hdr() {
	LC_ALL=C awk -v want="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
		NR == 1 { next }
		{ sub(/\r$/, "") }
		$0 == "" { exit }
		{
			i = index($0, ":")
			if (i > 0 && tolower(substr($0, 1, i - 1)) == want) {
				v = substr($0, i + 1)
				sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
				print v; exit
			}
		}' "$OUT"
}

# hdr_count NAME: how many NAME fields the first response has
hdr_count() {
	LC_ALL=C awk -v want="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
		NR == 1 { next }
		{ sub(/\r$/, "") }
		$0 == "" { exit }
		{ i = index($0, ":"); if (i > 0 && tolower(substr($0, 1, i - 1)) == want) n++ }
		END { print n + 0 }' "$OUT"
}

# heads: the head of the first response, CR stripped, without the Date field
heads() {
	LC_ALL=C awk '{ sub(/\r$/, "") } $0 == "" { exit } tolower($0) !~ /^date:/ { print }' "$OUT"
}

# body [FILE]: the bytes after the first blank line (to stdout, or into FILE)
body() {
	local n hb
	n=$(LC_ALL=C grep -a -n -m 1 $'^\r$' "$OUT" | cut -d: -f1)
	if [ -z "$n" ]; then
		echo "body: no CRLFCRLF in the output" >&2
		return 1
	fi
	hb=$(head -n "$n" "$OUT" | wc -c)
	if [ $# -gt 0 ]; then
		tail -c +$((hb + 1)) "$OUT" >"$1"
	else
		tail -c +$((hb + 1)) "$OUT"
	fi
}

# body_len: bytes after the first blank line
body_len() {
	body | wc -c | tr -d ' '
}

# show: the response and the server's stderr, for failure messages
show() {
	echo "--- stdout ($(wc -c <"$OUT") bytes, first 2000, cat -v):"
	head -c 2000 "$OUT" | cat -v
	echo
	echo "--- exit status $RC; stderr (first 500 bytes):"
	head -c 500 "$ERR" | cat -v
	echo
}

fail() {
	echo "FAIL: $*"
	show
	return 1
}

expect_status() {
	local got
	got=$(status)
	[ "$got" = "$1" ] || fail "expected status $1, got '$got'"
}

# expect_status_in '400|413'
expect_status_in() {
	local got
	got=$(status)
	[[ "$got" =~ ^($1)$ ]] || fail "expected status $1, got '$got'"
}

expect_statuses() {
	local got
	got=$(statuses)
	[ "$got" = "$1" ] || fail "expected statuses '$1', got '$got'"
}

expect_nresp() {
	local got
	got=$(nresp)
	[ "$got" = "$1" ] || fail "expected $1 response(s), got $got"
}

expect_hdr() {
	local got
	got=$(hdr "$1")
	[ "$got" = "$2" ] || fail "expected '$1: $2', got '$1: $got' ($(hdr_count "$1") present)"
}

# expect_hdr_ci NAME VALUE: case-insensitive value
expect_hdr_ci() {
	local got
	got=$(hdr "$1")
	[ "${got,,}" = "${2,,}" ] || fail "expected '$1: $2' (any case), got '$1: $got'"
}

expect_hdr_re() {
	local got
	got=$(hdr "$1")
	[ "$(hdr_count "$1")" -ge 1 ] && [[ "$got" =~ $2 ]] ||
		fail "expected '$1' matching /$2/, got '$got' ($(hdr_count "$1") present)"
}

expect_no_hdr() {
	[ "$(hdr_count "$1")" = 0 ] || fail "expected no '$1' field, got '$1: $(hdr "$1")'"
}

# expect_body 'text' (printf %b escapes)
expect_body() {
	cmp -s <(body) <(printf '%b' "$1") || fail "expected body '$1'"
}

expect_body_file() {
	cmp -s <(body) "$1" || fail "expected the body to equal the file $1"
}

expect_body_has() {
	body | LC_ALL=C grep -a -q -F -- "$1" || fail "expected the body to contain '$1'"
}

expect_body_lacks() {
	LC_ALL=C grep -a -q $'^\r$' "$OUT" || fail "no response head to look past: $(head -c 300 "$OUT" | cat -v)"
	! body | LC_ALL=C grep -a -q -F -- "$1" || fail "expected the body not to contain '$1'"
}

expect_out_lacks() {
	! LC_ALL=C grep -a -q -F -- "$1" "$OUT" || fail "expected the output not to contain '$1'"
}

expect_empty_body() {
	local n
	n=$(body_len)
	[ "$n" = 0 ] || fail "expected no body, got $n bytes"
}

# the first response's Content-Length equals the bytes after its head (single response)
expect_clen_matches() {
	local cl n
	cl=$(hdr Content-Length)
	n=$(body_len)
	[ -n "$cl" ] && [ "$cl" = "$n" ] || fail "Content-Length '$cl' but $n body bytes"
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "expected exit status $1, got $RC"
}

expect_html_error() {
	expect_status "$1"
	expect_hdr Content-Type 'text/html; charset=utf-8'
	expect_body_has '<'
	expect_clen_matches
}

# now_ms: wall clock in milliseconds
now_ms() {
	date +%s%3N
}

# fifo_server ARGS...: start httpd1 reading the fifo $W/in in the background
# (pid in $SPID), then open the fifo for writing as fd 7.  Close with exec 7>&-.
fifo_server() {
	mkfifo "$W/in"
	(ulimit -f 65536; exec timeout -k 2 "$REQ_TIMEOUT" "$HTTPD1" "${HARGS[@]}" "$@") \
		<"$W/in" >"$OUT" 2>"$ERR" 3>&- &
	SPID=$!
	exec 7>"$W/in"
}

# fifo_wait: wait for the fifo server; sets RC and ELAPSED_MS since fifo_server's last write
fifo_wait() {
	RC=0
	wait "$SPID" || RC=$?
	ELAPSED_MS=$(($(now_ms) - T0))
	check_crash
}

# fill_buffer TARGET: $W/fill.req, pipelined requests that fill
# the 64 KiB input buffer exactly, the last head, with a body, ending at its
# very end; NREQ is how many requests
fill_buffer() {
	local g p n pad i
	g='GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	p="POST $1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Pad: "
	n=$(((65536 - $(printf "$p" | wc -c) - 4) / $(printf "$g" | wc -c) - 1))
	pad=$((65536 - n * $(printf "$g" | wc -c) - $(printf "$p" | wc -c) - 4))
	{
		for ((i = 0; i < n; i++)); do printf "$g"; done
		printf "$p"
		head -c "$pad" /dev/zero | tr '\0' p
		printf '\r\n\r\nhello'
		printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	} >"$W/fill.req"
	[ "$(head -c 65536 "$W/fill.req" | tail -c 4)" = "$(printf '\r\n\r\n')" ]
	NREQ=$((n + 2))
}
