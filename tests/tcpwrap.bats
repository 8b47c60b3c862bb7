#!/usr/bin/env bats
# tcpwrap.bats: the acceptor, over real sockets on loopback, running httpd1 or
# small shell scripts; every server is killed by PID in teardown.

load helper
load net
bats_require_minimum_version 1.5.0

setup_file() {
	FIX=$(mktemp -d "${BATS_FILE_TMPDIR:-${BATS_TMPDIR:-/tmp}}/fix.XXXXXX")
	"$BATS_TEST_DIRNAME/fixture/build" "$FIX"
	export FIX DOCROOT="$FIX/root"
	command -v curl >/dev/null 2>&1 || apt_install curl || true
}

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/tcpwrap-t.XXXXXX")
	OUT=$W/out
	command -v curl >/dev/null 2>&1 ||
		skip "UNTESTED: curl is missing and could not be installed (apt-get install curl)"
	[ -x "$TCPWRAP" ] || skip "UNTESTED: $TCPWRAP is not built (make tcpwrap)"
}

teardown() {
	net_teardown
}

# script NAME BODY: an executable /bin/sh script $W/NAME
script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$W/$1"
	chmod 755 "$W/$1"
}

# hold SECS: a client that connects, sends nothing, and hangs up after SECS;
# its PID in HOLDPID.  Returns once tcpwrap has started a child for it.
hold() {
	local before i=0
	before=$(children "$TWPID" | wc -l)
	spawn hold bash -c "exec 5<>/dev/tcp/127.0.0.1/$PORT; sleep $1"
	HOLDPID=$BGPID
	while [ "$(children "$TWPID" | wc -l)" -le "$before" ]; do
		[ "$i" -lt 50 ] || { echo "no child for the holding client"; cat "$W/hold.err" "$W/tw.err"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

# term_after_a_second: SIGTERM to tcpwrap, which must exit 0 in 0.8 to 4 s
term_after_a_second() {
	local t0 rc=0 ms
	t0=$(now_ms)
	kill -TERM "$TWPID"
	timeout 8 tail --pid="$TWPID" -f /dev/null || rc=$?
	[ "$rc" = 0 ]
	wait "$TWPID" || rc=$?
	[ "$rc" = 0 ]
	ms=$(($(now_ms) - t0))
	[ "$ms" -ge 800 ] && [ "$ms" -lt 4000 ] || { echo "stopped after $ms ms"; return 1; }
}

# elapsed CMD...: run CMD, ELAPSED_MS is how long it took
elapsed() {
	local t0
	t0=$(now_ms)
	"$@"
	ELAPSED_MS=$(($(now_ms) - t0))
}

@test "tcpwrap -h and --help print the usage on stdout and exit 0" {
	run --separate-stderr "$TCPWRAP" -h
	[ "$status" = 0 ]
	[[ "$output" == usage:* ]]
	[ -z "$stderr" ]
	run --separate-stderr "$TCPWRAP" --help
	[ "$status" = 0 ]
	[[ "$output" == *"host port program"* ]]
	[ -z "$stderr" ]
}

@test "tcpwrap: bad usage exits 2, a bad address or program exits 1" {
	run "$TCPWRAP"
	[ "$status" = 2 ]
	run "$TCPWRAP" 127.0.0.1 0
	[ "$status" = 2 ]
	run "$TCPWRAP" -c 0 127.0.0.1 0 /bin/true
	[ "$status" = 2 ]
	run "$TCPWRAP" -m clone 127.0.0.1 0 /bin/true
	[ "$status" = 2 ]
	run --separate-stderr "$TCPWRAP" -x 127.0.0.1 0 /bin/true
	[ "$status" = 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "tcpwrap: -x: unknown option" ]
	run "$TCPWRAP" --frobnicate 127.0.0.1 0 /bin/true
	[ "$status" = 2 ]
	[ "${lines[0]}" = "tcpwrap: --frobnicate: unknown option" ]
	[[ "${lines[1]}" == usage:* ]]
	run "$TCPWRAP" -u
	[ "$status" = 2 ]
	[ "${lines[0]}" = "tcpwrap: -u: wants a value" ]
	run "$TCPWRAP" -u 1:x 127.0.0.1 0 /bin/true
	[ "$status" = 2 ]
	[ "${lines[0]}" = "tcpwrap: -u 1:x: want a user name or uid:gid" ]
	run "$TCPWRAP" 127.0.0.1 0
	[ "${lines[0]}" = "tcpwrap: a host, a port and a program are wanted" ]
	run "$TCPWRAP" 127.0.0.1 65536 /bin/true
	[ "$status" = 1 ]
	run "$TCPWRAP" 300.1.1.1 0 /bin/true
	[ "$status" = 1 ]
	[[ "$output" == *"not an IPv4 or IPv6 address"* ]]
	run "$TCPWRAP" 127.0.0.1 0 "$W/no-such-program"
	[ "$status" = 1 ]
	[[ "$output" == *"not an executable file"* ]]
	run "$TCPWRAP" 127.0.0.1 0 no-such-program-on-path
	[ "$status" = 1 ]
	# a port file written before the program was looked for is taken back
	run "$TCPWRAP" -P "$W/pf" 127.0.0.1 0 "$W/no-such-program"
	[ "$status" = 1 ]
	[ ! -e "$W/pf" ]
}

@test "curl gets the page through tcpwrap and httpd1 on 127.0.0.1" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	fetch "http://127.0.0.1:$PORT/"
	[ "$RC" = 0 ] && [ "$CODE" = 200 ] || { cat "$W/curl.err" "$W/tw.err"; false; }
	cmp "$OUT" "$DOCROOT/index.html"
	fetch "http://127.0.0.1:$PORT/hello.txt"
	[ "$CODE" = 200 ]
	[ "$(cat "$OUT")" = hello ]
}

@test "tcpwrap serves IPv6 on ::1" {
	tw_start ::1 0 "$HTTPD1" -d "$DOCROOT" ||
		skip "UNTESTED: no IPv6 loopback here: $(cat "$W/tw.err")"
	fetch "http://[::1]:$PORT/hello.txt"
	[ "$RC" = 0 ] && [ "$CODE" = 200 ] || { cat "$W/curl.err" "$W/tw.err"; false; }
	[ "$(cat "$OUT")" = hello ]
	# httpd1 logs the client address
	grep -q '^::1 - - \[' "$W/tw.err"
}

@test "tcpwrap on :: takes IPv4 and IPv6; an IPv4 client is shown as plain IPv4" {
	script env.sh 'echo "$TCPREMOTEIP $TCPLOCALIP"'
	tw_start :: 0 "$W/env.sh" || skip "UNTESTED: no IPv6 here: $(cat "$W/tw.err")"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = "127.0.0.1 127.0.0.1" ]
	run timeout 5 bash -c "cat </dev/tcp/::1/$PORT"
	[ "$output" = "::1 ::1" ]
}

@test "keep-alive through tcpwrap: two URLs on one connection, one child" {
	tw_start -v 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	run curl -sv --max-time 10 -o /dev/null -o /dev/null \
		"http://127.0.0.1:$PORT/hello.txt" "http://127.0.0.1:$PORT/style.css"
	[ "$status" = 0 ]
	[[ "$output" == *"Re-using existing connection"* ]]
	[ "$(grep -c '^< HTTP/1.1 200' <<<"$output")" = 2 ]
	stop_pid "$TWPID"
	[ "$(twlines ' pid [0-9]+ exit ')" = 1 ]
}

@test "over TCP, -K 1: requests 0.6 s apart share the connection, 1 s of silence ends it" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT" -K 1
	exec 5<>"/dev/tcp/127.0.0.1/$PORT"
	for i in 1 2 3; do
		printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&5
		[ "$i" = 3 ] || sleep 0.6
	done
	elapsed timeout 5 cat <&5 >"$OUT"
	exec 5<&-
	[ "$(grep -c '^HTTP/1.1 200' "$OUT")" = 3 ] || { cat "$OUT"; false; }
	[ "$ELAPSED_MS" -ge 700 ] || { echo "closed after $ELAPSED_MS ms"; false; }
	[ "$ELAPSED_MS" -lt 3000 ] || { echo "still open after $ELAPSED_MS ms"; false; }
}

@test "-c 1 is serial: a silent client delays the next one until it hangs up" {
	tw_start -c 1 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	hold 2
	elapsed fetch "http://127.0.0.1:$PORT/hello.txt"
	[ "$CODE" = 200 ]
	[ "$ELAPSED_MS" -ge 1500 ] || { echo "second client took only $ELAPSED_MS ms"; false; }
}

@test "by default a silent client does not delay the next one" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	hold 2
	elapsed fetch "http://127.0.0.1:$PORT/hello.txt"
	[ "$CODE" = 200 ]
	[ "$ELAPSED_MS" -lt 1000 ] || { echo "second client took $ELAPSED_MS ms"; false; }
}

@test "2000 sequential and 200 concurrent connections: no zombie, no leaked descriptor" {
	tw_start -v 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT" -l /dev/null
	fetch "http://127.0.0.1:$PORT/hello.txt"
	before=$(nfds "$TWPID")
	run curl -s --max-time 60 -H 'Connection: close' -o /dev/null -w '%{http_code}\n' \
		"http://127.0.0.1:$PORT/hello.txt?[1-2000]"
	[ "$status" = 0 ]
	[ "$(grep -c '^200$' <<<"$output")" = 2000 ]
	run curl -s --max-time 60 --parallel --parallel-immediate --parallel-max 200 \
		-H 'Connection: close' -o /dev/null -w '%{http_code}\n' \
		"http://127.0.0.1:$PORT/hello.txt?[1-200]"
	[ "$status" = 0 ]
	[ "$(grep -c '^200$' <<<"$output")" = 200 ]
	# every child reaped and logged
	for i in $(seq 50); do
		[ "$(twlines ' exit 0 ')" -ge 2201 ] && [ -z "$(children "$TWPID")" ] && break
		sleep 0.1
	done
	[ "$(twlines ' exit 0 ')" = 2201 ]
	[ "$(zombies "$TWPID")" = 0 ]
	[ -z "$(children "$TWPID")" ]
	[ "$(nfds "$TWPID")" = "$before" ]
}

@test "the listen queue is as long as the kernel allows, whatever the C library" {
	local max
	max=$(cat /proc/sys/net/core/somaxconn 2>/dev/null) || skip "UNTESTED: no /proc/sys/net/core/somaxconn"
	command -v ss >/dev/null 2>&1 || skip "UNTESTED: no ss(8) here"
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	run ss -Hltn "sport = :$PORT"
	stop_pid "$TWPID"
	[ "$(echo "$output" | awk '{ print $3 }')" = "$max" ] || { echo "ss: $output; somaxconn $max"; false; }
}

@test "-C 2: a third connection from one address is closed at once" {
	tw_start -v -C 2 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	hold 3
	hold 3
	elapsed fetch "http://127.0.0.1:$PORT/hello.txt"
	# 52: empty reply; 56: reset, when the request was sent before the close
	[ "$RC" = 52 ] || [ "$RC" = 56 ] || { echo "curl exit $RC, expected 52 or 56"; false; }
	[ "$ELAPSED_MS" -lt 1000 ]
	[ "$(twlines '^tcpwrap: 127\.0\.0\.1:[0-9]+ refused: 2 connections from this address$')" = 1 ]
	# with one holder gone, a connection gets through
	stop_pid "$HOLDPID"
	for i in $(seq 30); do
		[ "$(children "$TWPID" | wc -l)" -le 1 ] && break
		sleep 0.1
	done
	fetch "http://127.0.0.1:$PORT/hello.txt"
	[ "$CODE" = 200 ]
}

@test "SIGTERM: no new connections, the one in flight completes, exit 0" {
	tw_start -v 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	exec 5<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n' >&5
	for i in $(seq 30); do
		[ -n "$(children "$TWPID")" ] && break
		sleep 0.1
	done
	kill -TERM "$TWPID"
	sleep 0.3
	# the listener is closed: a new connection is refused
	run timeout 5 bash -c "exec 6<>/dev/tcp/127.0.0.1/$PORT"
	[ "$status" != 0 ]
	printf 'Connection: close\r\n\r\n' >&5
	run timeout 5 cat <&5
	exec 5<&-
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" == *hello* ]]
	rc=0
	wait "$TWPID" || rc=$?
	[ "$rc" = 0 ]
	grep -q '^tcpwrap: stopping: 1 connection open, 5 s grace$' "$W/tw.err"
	grep -q '^tcpwrap: stopped$' "$W/tw.err"
}

@test "SIGTERM: a connection still open after the grace period gets SIGTERM" {
	tw_start -v -g 1 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	hold 10
	term_after_a_second
	grep -q '^tcpwrap: stopping: ending 1 connection$' "$W/tw.err"
	[ "$(twlines '^tcpwrap: 127\.0\.0\.1:[0-9]+ pid [0-9]+ signal 15 [0-9]+ ms$')" = 1 ]
	! grep -q 'killing' "$W/tw.err"
}

@test "SIGTERM: a program deaf to SIGTERM is killed a second later, with all it started" {
	# the shell and its background job both ignore SIGTERM (a trap is inherited)
	script deaf.sh "trap '' TERM; sleep 30 & echo \$! >'$W/bg.pid'; wait"
	tw_start -v -g 0 127.0.0.1 0 "$W/deaf.sh"
	hold 10
	for i in $(seq 50); do [ -s "$W/bg.pid" ] && break; sleep 0.1; done
	bg=$(cat "$W/bg.pid")
	kill -0 "$bg"
	term_after_a_second
	grep -q '^tcpwrap: stopping: ending 1 connection$' "$W/tw.err"
	grep -q '^tcpwrap: stopping: killing 1 connection$' "$W/tw.err"
	[ "$(twlines '^tcpwrap: 127\.0\.0\.1:[0-9]+ pid [0-9]+ signal 9 [0-9]+ ms$')" = 1 ]
	# the background job went with it
	gone "$bg"
}

@test "SIGTERM twice: the second one ends the grace period at once" {
	tw_start -g 30 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	hold 10
	t0=$(now_ms)
	kill -TERM "$TWPID"
	sleep 0.3
	kill -TERM "$TWPID"
	timeout 5 tail --pid="$TWPID" -f /dev/null
	rc=0
	wait "$TWPID" || rc=$?
	[ "$rc" = 0 ]
	[ $(($(now_ms) - t0)) -lt 3000 ]
}

@test "the child gets the UCSPI variables, stale ones replaced" {
	script env.sh 'env | grep -E "^(PROTO|TCPREMOTE[A-Z]*|TCPLOCAL[A-Z]*)=" | sort'
	TCPREMOTEIP=9.9.9.9 TCPREMOTEHOST=stale.example PROTO=UDP tw_start 127.0.0.1 0 "$W/env.sh"
	run timeout 5 bash -c "exec 5<>/dev/tcp/127.0.0.1/$PORT; cat <&5"
	[ "$status" = 0 ]
	echo "$output"
	[ "$(grep -c . <<<"$output")" = 5 ]
	grep -qx 'PROTO=TCP' <<<"$output"
	grep -qx 'TCPREMOTEIP=127.0.0.1' <<<"$output"
	grep -qE '^TCPREMOTEPORT=[0-9]+$' <<<"$output"
	grep -qx 'TCPLOCALIP=127.0.0.1' <<<"$output"
	grep -qx "TCPLOCALPORT=$PORT" <<<"$output"
}

@test "a program that cannot be executed: fork and vfork say why and exit 127" {
	printf '#!/no/such/interpreter\n' >"$W/bad.sh"
	chmod 755 "$W/bad.sh"
	for m in fork vfork; do
		: >"$W/tw.err"
		tw_start -v -m "$m" 127.0.0.1 0 "$W/bad.sh"
		run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
		[ "$output" = "" ]
		for i in $(seq 30); do grep -q ' exit 127 ' "$W/tw.err" && break; sleep 0.1; done
		cat "$W/tw.err"
		[ "$(twlines "^tcpwrap: cannot run $W/bad.sh: No such file or directory\$")" = 1 ]
		[ "$(twlines '^tcpwrap: 127\.0\.0\.1:[0-9]+ pid [0-9]+ exit 127 [0-9]+ ms$')" = 1 ]
		stop_pid "$TWPID"
	done
	# posix_spawn reports the failure to tcpwrap itself
	: >"$W/tw.err"
	tw_start -m spawn 127.0.0.1 0 "$W/bad.sh"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = "" ]
	for i in $(seq 30); do grep -q 'cannot start' "$W/tw.err" && break; sleep 0.1; done
	cat "$W/tw.err"
	[ "$(twlines "^tcpwrap: 127\\.0\\.0\\.1:[0-9]+: cannot start $W/bad.sh: No such file or directory\$")" = 1 ]
}

@test "the child has default signal dispositions and an empty mask" {
	# started as a background job, tcpwrap inherits SIGINT and SIGQUIT ignored;
	# it ignores SIGPIPE itself and blocks the signals it handles
	for m in fork vfork spawn; do
		tw_start -m "$m" 127.0.0.1 0 /bin/sh -c 'exec grep -E "^Sig(Blk|Ign):" /proc/self/status'
		run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
		echo "-m $m: $output"
		grep -qx 'SigBlk:	0000000000000000' <<<"$output"
		if [ "$m" = spawn ]; then
			# glibc's posix_spawn leaves its own two internal signals (32, 33)
			# ignored; musl's leaves none
			grep -qE '^SigIgn:	(0{16}|0000000[01]80000000)$' <<<"$output"
		else
			grep -qx 'SigIgn:	0000000000000000' <<<"$output"
		fi
		stop_pid "$TWPID"
	done
}

@test "a real-time signal tcpwrap inherited ignored is at default in the child" {
	# 34 is one the C library may keep to itself (musl keeps 32 to 34)
	printf '#!/bin/bash\ntrap "" 34\nexec "%s" "$@"\n' "$TCPWRAP" >"$W/tw-ign34"
	chmod +x "$W/tw-ign34"
	for m in fork vfork; do
		TCPWRAP=$W/tw-ign34 tw_start -m "$m" 127.0.0.1 0 /bin/sh -c 'exec grep "^SigIgn:" /proc/self/status'
		grep -q '^SigIgn:.*[2367abef]........$' "/proc/$TWPID/status"
		run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
		echo "-m $m: $output"
		grep -qx 'SigIgn:	0000000000000000' <<<"$output"
		stop_pid "$TWPID"
	done
}

@test "the child has its socket on 0 and 1, stderr on 2, and nothing else" {
	# the test's own descriptors 3 and up are open in tcpwrap: none may pass on
	tw_start 127.0.0.1 0 /bin/sh -c 'exec ls -l /proc/self/fd' 7</dev/null
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	echo "$output"
	s0=$(sed -n 's/.* 0 -> \(socket:.*\)$/\1/p' <<<"$output")
	[ -n "$s0" ]
	grep -qF " 1 -> $s0" <<<"$output"
	grep -qF " 2 -> $W/tw.err" <<<"$output"
	# 3 is the directory ls reads
	[ "$(grep -c -- ' -> ' <<<"$output")" = 4 ]
	grep -q ' 3 -> /proc/[0-9]*/fd$' <<<"$output"
}

@test "TCPREMOTEIP and the peer reach httpd1's log line" {
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT"
	fetch "http://127.0.0.1:$PORT/hello.txt"
	[ "$CODE" = 200 ]
	stop_pid "$TWPID"
	grep -qE '^127\.0\.0\.1 - - \[.*\] "GET /hello.txt HTTP/1.1" 200 ' "$W/tw.err"
}

@test "-v: a line when listening, one per connection, one per stop" {
	script die.sh 'kill -9 $$'
	tw_start -v 127.0.0.1 0 "$W/die.sh"
	timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT" || true
	for i in $(seq 30); do
		[ "$(twlines ' signal 9 ')" = 1 ] && break
		sleep 0.1
	done
	stop_pid "$TWPID"
	cat "$W/tw.err"
	[ "$(twlines "^tcpwrap: listening on 127\.0\.0\.1:$PORT, at most 100 connections\$")" = 1 ]
	[ "$(twlines '^tcpwrap: 127\.0\.0\.1:[0-9]+ pid [0-9]+ signal 9 [0-9]+ ms$')" = 1 ]
	[ "$(twlines '^tcpwrap: stopped$')" = 1 ]
	[ "$(grep -c . "$W/tw.err")" = 4 ]
}

@test "-m fork, vfork and spawn all serve" {
	for m in fork vfork spawn; do
		tw_start -v -m "$m" 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT" -l /dev/null
		fetch "http://127.0.0.1:$PORT/hello.txt"
		[ "$CODE" = 200 ] || { echo "-m $m: $CODE"; false; }
		# the child's exit is logged once it is reaped (a sanitizer
		# build takes a while to exit): before that, a stop waits -g
		for i in $(seq 100); do
			[ "$(twlines ' exit 0 ')" = 1 ] && break
			sleep 0.1
		done
		stop_pid "$TWPID"
		[ "$(twlines ' exit 0 ')" = 1 ]
	done
}

@test "a program that cannot be run any more is reported, and tcpwrap goes on" {
	script gone.sh 'echo here'
	tw_start 127.0.0.1 0 "$W/gone.sh"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = here ]
	rm "$W/gone.sh"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = "" ]
	grep -q 'cannot' "$W/tw.err"
	kill -0 "$TWPID"
}

@test "out of descriptors: tcpwrap rests instead of spinning, then serves" {
	need prlimit util-linux
	tw_start 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT" -l /dev/null
	# no descriptor left for accept: EMFILE until the limit is raised again
	prlimit --pid "$TWPID" --nofile=4:
	hz=$(getconf CLK_TCK)
	cpu0=$(sed 's/.*) //' "/proc/$TWPID/stat" | awk '{ print $12 + $13 }')
	spawn late curl -s --max-time 10 -o "$W/late.body" "http://127.0.0.1:$PORT/hello.txt"
	LATE=$BGPID
	sleep 1.5
	cpu1=$(sed 's/.*) //' "/proc/$TWPID/stat" | awk '{ print $12 + $13 }')
	[ $(((cpu1 - cpu0) * 1000 / hz)) -lt 300 ] ||
		{ echo "tcpwrap used $(((cpu1 - cpu0) * 1000 / hz)) ms of CPU in 1.5 s"; false; }
	# the C library's words for EMFILE: glibc's, or musl's
	[ "$(twlines '^tcpwrap: accept: (Too many open files|No file descriptors available); pausing$')" = 1 ]
	prlimit --pid "$TWPID" --nofile=1024:
	rc=0
	wait "$LATE" || rc=$?
	[ "$rc" = 0 ]
	[ "$(cat "$W/late.body")" = hello ]
}

@test "-u drops privileges: by name and as uid:gid" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: -u needs root"
	id nobody >/dev/null 2>&1 || skip "UNTESTED: no user nobody"
	chmod 755 "$W"
	script id.sh 'echo "$(id -u) $(id -g) $(id -G)"'
	tw_start -u nobody 127.0.0.1 0 "$W/id.sh"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = "$(id -u nobody) $(id -g nobody) $(id -G nobody)" ]
	stop_pid "$TWPID"
	tw_start -u 12345:23456 127.0.0.1 0 "$W/id.sh"
	run timeout 5 bash -c "cat </dev/tcp/127.0.0.1/$PORT"
	[ "$output" = "12345 23456 23456" ]
	run "$TCPWRAP" -u no-such-user-here 127.0.0.1 0 /bin/true
	[ "$status" = 1 ]
	[[ "$output" == *"no such user"* ]]
	! grep -q 'is root' "$W/tw.err"
}

@test "-u naming uid 0 drops nothing, and says so once" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: -u 0 needs root"
	for u in root 0:0; do
		tw_start -u "$u" 127.0.0.1 0 /bin/true
		stop_pid "$TWPID"
		[ "$(grep -c "^tcpwrap: -u $u: is root: nothing is dropped\$" "$W/tw.err")" = 1 ] ||
			{ cat "$W/tw.err"; false; }
	done
}

@test "-u and -P: a program the user cannot run leaves no port file, even in root's directory" {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: -u needs root"
	id nobody >/dev/null 2>&1 || skip "UNTESTED: no user nobody"
	# $W is root's, mode 755: nobody could not remove a file there
	chmod 755 "$W"
	script secret.sh 'echo secret'
	chmod 700 "$W/secret.sh"
	run "$TCPWRAP" -P "$W/pf" -u nobody 127.0.0.1 0 "$W/secret.sh"
	[ "$status" = 1 ]
	[ "$output" = "tcpwrap: $W/secret.sh: not an executable file" ]
	[ ! -e "$W/pf" ]
	run "$TCPWRAP" -P "$W/pf" -u nobody 127.0.0.1 0 no-such-program-on-path
	[ "$status" = 1 ]
	[ "$output" = "tcpwrap: no-such-program-on-path: not found on PATH" ]
	[ ! -e "$W/pf" ]
	run "$TCPWRAP" -P "$W/pf" -u no-such-user-here 127.0.0.1 0 /bin/true
	[ "$status" = 1 ]
	[ ! -e "$W/pf" ]
}
