# cgi.bash: shared by tests/cgi.bats (load cgi, after load helper).
# Builds a site once per file: the shipped programs (cgi-bin/, www/product.cgi)
# and small test programs, readable by the user CGI programs run as.  Offers a
# socket acceptor for real clients, and a strict parser of response streams.

# CGI programs never run as root: as root, httpd1 becomes nobody
CGIU=()
[ "$(id -u)" = 0 ] && CGIU=(-u nobody)

# a directory every user may enter: a temporary directory whose parents are
# all searchable, else /tmp
cgi_tmpbase() {
	local d=${BATS_TMPDIR:-/tmp} p
	p=$(cd "$d" 2>/dev/null && pwd -P) || p=/tmp
	d=$p
	while [ "$p" != / ]; do
		if [ "$(stat -c %A "$p" | cut -c10)" != x ] && [ "$(stat -c %A "$p" | cut -c10)" != t ]; then
			d=/tmp
			break
		fi
		p=$(dirname "$p")
	done
	printf '%s\n' "$d"
}

# prog DIR/NAME: a program from standard input, mode 755
prog() {
	cat >"$1"
	chmod 755 "$1"
}

cgi_build_site() {
	SITE=$(mktemp -d "$(cgi_tmpbase)/httpd1-cgi.XXXXXX")
	SITE=$(cd "$SITE" && pwd -P)
	mkdir "$SITE/www" "$SITE/cgi-bin" "$SITE/git"
	cp "$REPO/www/product.cgi" "$SITE/www/"
	cp "$REPO/cgi-bin/echo" "$REPO/cgi-bin/env" "$REPO/cgi-bin/guestbook" "$SITE/cgi-bin/"
	printf 'plain\n' >"$SITE/www/plain.txt"
	# unique names, so that leftover processes can be found by name
	MARK=$$$RANDOM

	# the variables and the situation a program finds itself in
	prog "$SITE/cgi-bin/vars" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	printf 'cwd: %s\n' "$(pwd -P)"
	printf 'fds:'
	for f in /proc/$$/fd/*; do
		# the directory read for the glob is closed by now; the shell
		# keeps this script open for itself
		[ -L "$f" ] || continue
		[ "$f" -ef "$0" ] && continue
		printf ' %s' "${f##*/}"
	done
	printf '\n'
	unset PWD
	env | LC_ALL=C sort
	EOF
	cp "$SITE/cgi-bin/vars" "$SITE/www/vars.cgi"
	prog "$SITE/cgi-bin/status404" <<-'EOF'
	#!/bin/sh
	printf 'Status: 404 Nowhere\nContent-Type: text/plain\n\nno such thing\n'
	EOF
	prog "$SITE/cgi-bin/redirect" <<-'EOF'
	#!/bin/sh
	printf 'Location: http://example.org/elsewhere\n\n'
	EOF
	prog "$SITE/cgi-bin/notype" <<-'EOF'
	#!/bin/sh
	printf 'X-Thing: 1\n\nbody without a type\n'
	EOF
	# no Content-Type and no body: RFC 3875 6.3.1 asks for none
	prog "$SITE/cgi-bin/accepted" <<-'EOF'
	#!/bin/sh
	printf 'Status: 202 Queued\nX-Queue: 7\n\n'
	EOF
	# the header block, a pause, then a body without a type
	prog "$SITE/cgi-bin/notype-late" <<-'EOF'
	#!/bin/sh
	printf 'X-Thing: 1\n\n'
	sleep 0.3
	printf 'late body without a type\n'
	EOF
	prog "$SITE/cgi-bin/untyped-crash" <<-'EOF'
	#!/bin/sh
	printf 'Status: 202 Queued\n\n'
	kill -SEGV $$
	EOF
	prog "$SITE/cgi-bin/badhead" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\nthis is not a field\n\nbody\n'
	EOF
	prog "$SITE/cgi-bin/silent" <<-'EOF'
	#!/bin/sh
	exit 0
	EOF
	prog "$SITE/cgi-bin/crash" <<-'EOF'
	#!/bin/sh
	echo "about to crash" >&2
	kill -SEGV $$
	EOF
	prog "$SITE/cgi-bin/hang-$MARK" <<-EOF
	#!/bin/sh
	sleep $MARK &
	sleep $MARK
	EOF
	prog "$SITE/cgi-bin/wait-$MARK" <<-EOF
	#!/bin/sh
	exec sleep 2$MARK
	EOF
	prog "$SITE/cgi-bin/drip-$MARK" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	while :; do echo drip; sleep 0.2; done
	EOF
	# streams: its second line waits until the client has seen the first
	prog "$SITE/cgi-bin/stream" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nline1\n'
	i=0
	while [ ! -e "$SITE/seen" ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
	if [ -e "$SITE/seen" ]; then echo 'line2: line1 was seen'; else echo 'line2: line1 was not seen'; fi
	EOF
	# leaves a job behind that holds its stderr
	prog "$SITE/cgi-bin/job-$MARK" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nhi\n'
	sleep 1$MARK >/dev/null &
	EOF
	# a job that floods its stderr, left behind
	prog "$SITE/cgi-bin/errjob-$MARK" <<-EOF
	#!/bin/sh
	yes errjob-$MARK >&2 &
	sleep 0.1
	printf 'Content-Type: text/plain\n\nok\n'
	EOF
	# a job that holds its stdout, left behind
	prog "$SITE/cgi-bin/outjob-$MARK" <<-EOF
	#!/bin/sh
	sleep 2$MARK &
	printf 'Content-Type: text/plain\nContent-Length: 3\n\nok\n'
	EOF
	# 200 KB on stderr after closing stdout
	prog "$SITE/cgi-bin/lateerr" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nbye\n'
	exec >&-
	head -c 200000 /dev/zero | tr '\0' e | fold -w 100 >&2
	EOF
	prog "$SITE/cgi-bin/nph-crash" <<-'EOF'
	#!/bin/sh
	kill -SEGV $$
	EOF
	# many small lines on stderr after closing stdout
	prog "$SITE/cgi-bin/lateerrlines" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nok\n'
	exec >&-
	i=0
	while [ $i -lt 3000 ]; do echo "line $i" >&2; i=$((i + 1)); done
	EOF
	# a whole response, then it waits (on stderr: whether the client saw it)
	prog "$SITE/cgi-bin/thenwait" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\nContent-Length: 4\n\nbye\n'
	exec >&-
	i=0
	while [ ! -e "$SITE/seen" ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
	if [ -e "$SITE/seen" ]; then echo 'the client saw it' >&2; else echo 'the client did not see it' >&2; fi
	EOF
	# a job that leaves the group and holds stdout
	prog "$SITE/cgi-bin/escape-$MARK" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\nesc\n'
	setsid sleep 3$MARK &
	sleep 0.3
	EOF
	prog "$SITE/cgi-bin/flood-$MARK" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	exec yes flood-$MARK
	EOF
	prog "$SITE/cgi-bin/nph-nothing" <<-'EOF'
	#!/bin/sh
	exit 0
	EOF
	prog "$SITE/cgi-bin/big" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: application/octet-stream\n\n'
	exec head -c 104857600 /dev/zero
	EOF
	prog "$SITE/cgi-bin/bigcl" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: application/octet-stream\nContent-Length: 104857600\n\n'
	exec head -c 104857600 /dev/zero
	EOF
	prog "$SITE/cgi-bin/sized" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\r\nContent-Length: 6\r\n\r\nsized\n'
	EOF
	prog "$SITE/cgi-bin/nph-raw" <<-'EOF'
	#!/bin/sh
	printf 'HTTP/1.1 299 Raw\r\nX-Nph: as written\r\n\r\nraw body, no framing'
	EOF
	prog "$SITE/cgi-bin/talk" <<-'EOF'
	#!/bin/sh
	echo "diagnostic one" >&2
	printf 'Content-Type: text/plain\n\nto the client\n'
	printf 'diagnostic two, last, without a newline' >&2
	EOF
	# the size and checksum of the body as the program reads it
	prog "$SITE/cgi-bin/sum" <<-'EOF'
	#!/bin/sh
	printf 'Content-Type: text/plain\n\n'
	printf 'CONTENT_LENGTH=%s\n' "${CONTENT_LENGTH-<unset>}"
	printf 'cksum=%s\n' "$(cksum)"
	EOF
	prog "$SITE/cgi-bin/git" <<-EOF
	#!/bin/sh
	GIT_PROJECT_ROOT=$SITE/git
	GIT_HTTP_EXPORT_ALL=1
	export GIT_PROJECT_ROOT GIT_HTTP_EXPORT_ALL
	exec /usr/lib/git-core/git-http-backend
	EOF
	printf '#!/bin/sh\necho never\n' >"$SITE/cgi-bin/noexec"
	chmod 644 "$SITE/cgi-bin/noexec"
	chmod 755 "$SITE" "$SITE/www" "$SITE/cgi-bin" "$SITE/git"
	# the guestbook creates ../var from its directory
	if [ "$(id -u)" = 0 ]; then
		chown nobody "$SITE"
	fi
	export SITE MARK
}

cgi_setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/httpd1-t.XXXXXX")
	OUT=$W/out ERR=$W/err LOG=$W/log
	: >"$LOG"
	HARGS=(-d "$SITE/www" -c "$SITE/cgi-bin" -l "$LOG" "${CGIU[@]}")
	LPID=
}

# need_python: skip the test when python3 is missing
need_python() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
}

# need CMD PACKAGE: install PACKAGE with apt-get when CMD is missing and that
# is possible; skip the test otherwise
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "# installing $2 with apt-get" >&3
		timeout 300 apt-get update -qq >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq "$2" >/dev/null 2>&1
	fi
	command -v "$1" >/dev/null 2>&1 || skip "SKIPPED LOUDLY: $1 is missing and $2 could not be installed"
}

# listen [ARGS...]: accept connections on 127.0.0.1, a free port ($PORT), each
# served by httpd1 "${HARGS[@]}" ARGS; the acceptor is tcpwrap ($TCPWRAP or
# ./tcpwrap) when built, else a python3 loop.  Stopped by teardown.
listen() {
	local tw=${TCPWRAP:-$REPO/tcpwrap} i
	rm -f "$W/port"
	if [ -x "$tw" ] && [ "${CGI_ACCEPTOR:-}" != python ]; then
		ACCEPTOR=tcpwrap
		"$tw" -P "$W/port" 127.0.0.1 0 "$HTTPD1" "${HARGS[@]}" "$@" \
			</dev/null >"$W/acceptor.out" 2>"$W/acceptor.err" 3>&- &
	else
		need_python
		ACCEPTOR=python3
		python3 -c '
import os, signal, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
while True:
    c, _ = s.accept()
    if os.fork() == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        s.close()
        os.dup2(c.fileno(), 0)
        os.dup2(c.fileno(), 1)
        c.close()
        os.execv(sys.argv[2], sys.argv[2:])
    c.close()
' "$W/port" "$HTTPD1" "${HARGS[@]}" "$@" \
			</dev/null >"$W/acceptor.out" 2>"$W/acceptor.err" 3>&- &
	fi
	LPID=$!
	for i in $(seq 100); do
		[ -s "$W/port" ] && break
		kill -0 "$LPID" 2>/dev/null || break
		sleep 0.05
	done
	PORT=$(cat "$W/port" 2>/dev/null)
	[ -n "$PORT" ] || {
		echo "the acceptor ($ACCEPTOR) did not start:"
		cat "$W/acceptor.err"
		return 1
	}
	URL=http://127.0.0.1:$PORT
}

# stop the acceptor started by listen: TERM, then KILL after 3 s
unlisten() {
	local i
	[ -n "${LPID:-}" ] || return 0
	kill "$LPID" 2>/dev/null
	for i in $(seq 30); do
		kill -0 "$LPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
	LPID=
}

# responses [HEAD...]: parse $OUT as a sequence of HTTP/1.x responses, strictly
# (Content-Length, chunked, or to the end); the Nth response to a HEAD (listed
# as its number) has no body.  Prints "STATUS BODYLEN FRAMING" per response and
# writes the bodies to $W/body.1, $W/body.2, ...; fails on broken framing.
responses() {
	need_python
	python3 - "$OUT" "$W" "$@" <<-'EOF'
	import sys
	data = open(sys.argv[1], "rb").read()
	outdir, heads = sys.argv[2], {int(a) for a in sys.argv[3:]}
	pos, n = 0, 0
	def die(msg):
	    sys.exit("response %d at byte %d: %s" % (n, pos, msg))
	while pos < len(data):
	    n += 1
	    end = data.find(b"\r\n\r\n", pos)
	    if end < 0:
	        die("no end of head")
	    lines = data[pos:end].decode("latin-1").split("\r\n")
	    pos = end + 4
	    status = int(lines[0].split(" ")[1])
	    f = {}
	    for l in lines[1:]:
	        k, v = l.split(":", 1)
	        f.setdefault(k.strip().lower(), []).append(v.strip())
	    body = b""
	    if n in heads or status in (204, 304) or status < 200:
	        framing = "none"
	    elif "chunked" in f.get("transfer-encoding", [""])[0]:
	        framing = "chunked"
	        while True:
	            e = data.find(b"\r\n", pos)
	            if e < 0:
	                die("chunk size line missing")
	            size = int(data[pos:e].split(b";")[0], 16)
	            pos = e + 2
	            if size == 0:
	                if data[pos:pos + 2] != b"\r\n":
	                    die("no CRLF after the last chunk")
	                pos += 2
	                break
	            if pos + size + 2 > len(data) or data[pos + size:pos + size + 2] != b"\r\n":
	                die("chunk of %d bytes cut short" % size)
	            body += data[pos:pos + size]
	            pos += size + 2
	    elif "content-length" in f:
	        framing = "length"
	        size = int(f["content-length"][0])
	        if pos + size > len(data):
	            die("%d bytes announced, %d there" % (size, len(data) - pos))
	        body = data[pos:pos + size]
	        pos += size
	    else:
	        framing = "close"
	        body = data[pos:]
	        pos = len(data)
	    open("%s/body.%d" % (outdir, n), "wb").write(body)
	    print(status, len(body), framing)
	EOF
}

# var NAME: the line NAME=value in the vars program's output (the first
# decoded body, see parse; or the file $VARS), or nothing
var() {
	LC_ALL=C grep -a -m 1 "^$1=" "${VARS:-$W/body.1}" || true
}

# expect_var NAME VALUE
expect_var() {
	local got
	got=$(var "$1")
	[ "$got" = "$1=$2" ] || fail "expected '$1=$2' in the program's environment, got '$got'"
}

# expect_no_var NAME
expect_no_var() {
	local got
	got=$(var "$1")
	[ -z "$got" ] || fail "expected no $1 in the program's environment, got '$got'"
}

# expect_log TEXT: the log file holds TEXT
expect_log() {
	LC_ALL=C grep -a -q -F -- "$1" "$LOG" || {
		echo "--- log:"
		cat -v "$LOG"
		fail "expected the log to contain '$1'"
	}
}
