#!/usr/bin/env bats
# limits.bats: -U (414), -H (431), -F (431), -T (408), -K (silent idle close).

load helper

# pad N: N bytes of 'a'
pad() {
	head -c "$1" /dev/zero | tr '\0' a
}

@test "-U 100: a 200-byte request line gives 414 and closes" {
	req "GET /$(pad 200) HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n" -U 100
	expect_status 414
	expect_nresp 1
	expect_hdr Connection close
}

@test "-U 100: a 60-byte request line is fine" {
	req "GET /$(pad 40) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" -U 100
	expect_status 404
}

@test "default -U: a 9000-byte request line gives 414" {
	req "GET /$(pad 9000) HTTP/1.1\r\nHost: x\r\n\r\n"
	expect_status 414
}

@test "default -U: a 4000-byte request line is fine" {
	req "GET /hello.txt?$(pad 4000) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	expect_status 200
}

@test "a 414 is sent even when the line never ends (no CRLF, then EOF)" {
	req "GET /$(pad 20000)" -U 1000
	expect_status 414
}

@test "-H 1024: a 2000-byte header gives 431 and closes" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Big: $(pad 2000)\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n" -H 1024
	expect_status 431
	expect_nresp 1
	expect_hdr Connection close
}

@test "-H 1024: many small fields adding up past 1024 bytes give 431" {
	f=
	for i in $(seq 1 30); do f="${f}X-F$i: $(pad 40)\r\n"; done
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\n$f\r\n" -H 1024
	expect_status 431
}

@test "-H 1024: a 500-byte head is fine" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Big: $(pad 400)\r\nConnection: close\r\n\r\n" -H 1024
	expect_status 200
}

@test "default -H: a 20000-byte head gives 431" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: $(pad 5000)\r\nX-B: $(pad 5000)\r\nX-C: $(pad 5000)\r\nX-D: $(pad 5000)\r\n\r\n"
	expect_status 431
}

@test "-F 5: six header fields give 431 and close" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n" -F 5
	expect_status 431
	expect_nresp 1
}

@test "-F 5: five header fields are fine" {
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nConnection: close\r\n\r\n" -F 5
	expect_status 200
}

@test "default -F: 101 fields give 431, 99 are fine" {
	f=
	for i in $(seq 1 100); do f="${f}X-$i: v\r\n"; done
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\n$f\r\n"
	expect_status 431
	f=
	for i in $(seq 1 97); do f="${f}X-$i: v\r\n"; done
	req "GET /hello.txt HTTP/1.1\r\nHost: x\r\n${f}Connection: close\r\n\r\n"
	expect_status 200
}

@test "-T 1: a request head that never completes gives 408 within 3 s" {
	fifo_server -T 1
	T0=$(now_ms)
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n' >&7
	fifo_wait
	exec 7>&-
	expect_status 408
	expect_hdr Connection close
	[ "$ELAPSED_MS" -lt 3000 ] || fail "took $ELAPSED_MS ms"
}

@test "-T 1: a client dribbling a byte every 0.3 s still gets 408 within 3 s (whole-head deadline)" {
	fifo_server -T 1
	T0=$(now_ms)
	(for c in G E T ' ' / ' ' H T T P; do printf '%s' "$c"; sleep 0.3; done) >&7 3>&- &
	drip=$!
	fifo_wait
	kill "$drip" 2>/dev/null || true
	wait "$drip" 2>/dev/null || true
	exec 7>&-
	expect_status 408
	[ "$ELAPSED_MS" -lt 3000 ] || fail "took $ELAPSED_MS ms"
}

@test "-T 1: a connection that sends nothing is closed within 3 s" {
	fifo_server -T 1
	T0=$(now_ms)
	fifo_wait
	exec 7>&-
	[ "$RC" != 124 ] || fail "still running at the timeout"
	[ "$RC" -lt 128 ] || fail "killed by signal $((RC - 128))"
	[ "$ELAPSED_MS" -lt 3000 ] || fail "took $ELAPSED_MS ms"
	[ "$ELAPSED_MS" -ge 500 ] || fail "gave up after $ELAPSED_MS ms, before -T 1 passed"
	s=$(status)
	[ ! -s "$OUT" ] || [ "$s" = 408 ] || fail "unexpected output"
}

@test "-K 1: an idle keep-alive connection is closed silently within 3 s" {
	fifo_server -K 1
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&7
	T0=$(now_ms)
	fifo_wait
	exec 7>&-
	expect_status 200
	expect_nresp 1
	expect_rc 0
	# nothing after the one response: its head plus 6 body bytes is the whole output
	expect_clen_matches
	[ "$ELAPSED_MS" -lt 3000 ] || fail "took $ELAPSED_MS ms"
}

@test "-T 1 -K 5: a pipelined request left incomplete gets 408 after -T, not -K" {
	fifo_server -T 1 -K 5
	# in one write, so that both arrive in one read
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.json HTTP/1.1\r\nHost:' >"$W/two"
	T0=$(now_ms)
	cat "$W/two" >&7
	fifo_wait
	exec 7>&-
	expect_statuses '200 408'
	[ "$ELAPSED_MS" -lt 3500 ] || fail "took $ELAPSED_MS ms: the -K time, not -T"
}

@test "-T 1 -K 3: a second request after a pause within -K is still served" {
	fifo_server -T 1 -K 3
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&7
	sleep 1.5
	printf 'GET /a.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&7
	T0=$(now_ms)
	fifo_wait
	exec 7>&-
	expect_statuses '200 200'
}

@test "-F above 256 is refused or capped, never crashes" {
	req 'GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' -F 1000
	case $RC in
	2) [ ! -s "$OUT" ] || fail "exit 2 but stdout written" ;;
	0) expect_status 200 ;;
	*) fail "exit status $RC" ;;
	esac
}
