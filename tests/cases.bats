#!/usr/bin/env bats
# cases.bats: the request corpus tests/cases/NAME.req with the outcomes in
# tests/cases/expect.tsv (valid, invalid, pipelined and incomplete requests,
# and the known attacks on small web servers), run by tests/cases/run:
# through pipes, one httpd1 per case, and through tcpwrap on loopback, one
# connection per case.  A failure names each case that went wrong.

load helper
load net

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/cases-t.XXXXXX")
	LOG=$W/log OUT=$W/out ERR=$W/err RC=0
	: >"$OUT"
	: >"$ERR"
	: >"$LOG"
	command -v python3 >/dev/null 2>&1 || apt_install python3 || true
	command -v python3 >/dev/null 2>&1 ||
		skip "UNTESTED: python3 is missing and could not be installed"
}

teardown() {
	net_teardown
}

@test "the corpus holds at least 150 cases, each with its request file" {
	local n=0 name
	while IFS=$'\t' read -r name _; do
		case $name in '#'* | '') continue ;; esac
		[ -f "$REPO/tests/cases/$name.req" ] || fail "no tests/cases/$name.req"
		n=$((n + 1))
	done <"$REPO/tests/cases/expect.tsv"
	[ "$n" -ge 150 ] || fail "only $n cases"
	[ "$(ls "$REPO"/tests/cases/*.req | wc -l)" = "$n" ] ||
		fail "request files without a line in expect.tsv"
}

@test "every case through a pipe into httpd1" {
	run timeout 300 "$REPO/tests/cases/run" pipe "$HTTPD1" "$DOCROOT" "$LOG"
	echo "$output" | tail -n 60
	[ "$status" = 0 ]
	if LC_ALL=C grep -a -q -E 'Sanitizer|runtime error:' "$LOG"; then
		fail "a sanitizer spoke: $(grep -a -E -A20 'Sanitizer|runtime error:' "$LOG" | head -40)"
	fi
}

@test "every case through tcpwrap on 127.0.0.1, one connection each" {
	[ -x "$TCPWRAP" ] || skip "UNTESTED: $TCPWRAP is not built (make tcpwrap)"
	tw_start -c 50 127.0.0.1 0 "$HTTPD1" -d "$DOCROOT" -l -
	run timeout 300 "$REPO/tests/cases/run" tcp "$PORT"
	echo "$output" | tail -n 60
	[ "$status" = 0 ]
	kill -0 "$TWPID" || fail "tcpwrap died"
	[ "$(zombies "$TWPID")" = 0 ] || fail "zombies left behind"
	! LC_ALL=C grep -a -q -E 'Sanitizer|runtime error:' "$W/tw.err" || {
		grep -a -E -A20 'Sanitizer|runtime error:' "$W/tw.err" | head -40
		false
	}
}
