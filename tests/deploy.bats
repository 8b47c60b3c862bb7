#!/usr/bin/env bats
# deploy.bats: make install, make run, and each shipped registration run by
# the real acceptor: openbsd-inetd, xinetd, systemd-socket-activate,
# tcpserver and stunnel.  Each file is used as shipped, with only its paths,
# address and port changed by sed.  Missing Debian packages are installed;
# a test skips (saying UNTESTED) only when that cannot be done.

load helper
load net

# a copy of the server and a document root that www-data can reach
setup_file() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/httpd1-deploy.XXXXXX")
	chmod 755 "$T"
	cp "$HTTPD1" "$T/httpd1"
	mkdir "$T/www"
	printf '<!DOCTYPE html>\n<title>deploy</title>\n<p>deployed page</p>\n' >"$T/www/index.html"
	chmod -R a+rX "$T"
	export T
}

teardown_file() {
	rm -rf "$T"
}

setup() {
	W=$(mktemp -d "${BATS_TMPDIR:-/tmp}/deploy-t.XXXXXX")
	OUT=$W/out
	command -v curl >/dev/null 2>&1 || apt_install curl || true
	command -v curl >/dev/null 2>&1 ||
		skip "UNTESTED: curl is missing and could not be installed (apt-get install curl)"
}

teardown() {
	net_teardown
}

# localize FILE: the shipped FILE with the server and document root of $T
localize() {
	sed -e "s#/usr/local/bin/httpd1#$T/httpd1#g" -e "s#/var/www/html#$T/www#g" "$REPO/$1"
}

# needs_root WHAT: the registrations switch to www-data, which takes root
needs_root() {
	[ "$(id -u)" = 0 ] || skip "UNTESTED: $1 switches to user www-data, which needs root"
	id www-data >/dev/null 2>&1 || skip "UNTESTED: no user www-data here"
}

# served [SCHEME]: two requests on the acceptor at PORT both get the page
served() {
	local s=${1:-http} i
	for i in 1 2; do
		fetch "$s://127.0.0.1:$PORT/" -k
		[ "$RC" = 0 ] && [ "$CODE" = 200 ] ||
			{ echo "request $i: curl $RC, status '$CODE'"; cat "$W/curl.err" "$W"/*.err; return 1; }
		cmp "$OUT" "$T/www/index.html" || { echo "request $i: wrong body"; return 1; }
	done
}

@test "make install puts binaries, manual pages and examples under DESTDIR/PREFIX" {
	d=$W/dest
	run make -s -C "$REPO" install DESTDIR="$d" PREFIX=/opt/h1
	[ "$status" = 0 ] || { echo "$output"; false; }
	[ "$(ls "$d")" = opt ]
	[ -x "$d/opt/h1/bin/httpd1" ]
	[ -x "$d/opt/h1/bin/tcpwrap" ]
	[ -f "$d/opt/h1/share/man/man8/httpd1.8" ]
	[ -f "$d/opt/h1/share/man/man8/tcpwrap.8" ]
	for f in inetd.conf.example xinetd.d/httpd1 httpd1.socket httpd1@.service \
		stunnel/httpd1.conf tcpserver/run; do
		cmp "$REPO/$f" "$d/opt/h1/share/doc/httpd1/$f"
	done
	[ -x "$d/opt/h1/share/doc/httpd1/tcpserver/run" ]
	# the installed programs run
	"$d/opt/h1/bin/tcpwrap" -h | grep -q '^usage: tcpwrap'
	printf 'GET / HTTP/1.0\r\n\r\n' | "$d/opt/h1/bin/httpd1" -d "$T/www" -l /dev/null |
		head -n 1 | grep -q '^HTTP/1.1 200 '
}

@test "make run serves www/ on PORT and stops cleanly on SIGTERM" {
	need ss iproute2
	start_run() {
		PORT=$PORT spawn run make -s -C "$REPO" run
	}
	# make may have to build first
	on_free_port start_run 60
	MAKEPID=$BGPID
	grep -qxF "httpd1: serving www/ on http://127.0.0.1:$PORT/ (Ctrl-C stops)" "$W/run.out"
	fetch "http://127.0.0.1:$PORT/"
	[ "$CODE" = 200 ]
	cmp "$OUT" "$REPO/www/index.html"
	# the -v line of tcpwrap, and httpd1's log line
	for i in $(seq 30); do
		grep -q '^tcpwrap: 127\.0\.0\.1:[0-9]* pid ' "$W/run.err" && break
		sleep 0.1
	done
	grep -q '^127\.0\.0\.1 - - \[.*\] "GET / HTTP/1.1" 200 ' "$W/run.err"
	grep -q '^tcpwrap: 127\.0\.0\.1:[0-9]* pid [0-9]* exit 0 ' "$W/run.err"
	# make runs tcpwrap in place of the shell: stopping it ends make with 0
	tw=$(children "$MAKEPID")
	[ -n "$tw" ]
	grep -q tcpwrap "/proc/$tw/cmdline"
	kill -TERM "$tw"
	rc=0
	timeout 10 tail --pid="$MAKEPID" -f /dev/null || rc=$?
	[ "$rc" = 0 ]
	wait "$MAKEPID" || rc=$?
	[ "$rc" = 0 ]
}

@test "inetd.conf.example runs under openbsd-inetd" {
	needs_root "openbsd-inetd"
	need ss iproute2
	INETD=$(pkg_bin inetd openbsd-inetd) ||
		skip "UNTESTED: openbsd-inetd could not be installed or unpacked (apt-get)"
	start_inetd() {
		localize inetd.conf.example |
			sed -E "s/^http([[:space:]])/127.0.0.1:$PORT\\1/" >"$W/inetd.conf"
		grep -q "^127.0.0.1:${PORT}[[:space:]]" "$W/inetd.conf"
		spawn inetd "$INETD" -d "$W/inetd.conf"
	}
	on_free_port start_inetd
	served
}

@test "xinetd.d/httpd1 runs under xinetd" {
	needs_root "xinetd"
	need ss iproute2
	XINETD=$(pkg_bin xinetd xinetd) ||
		skip "UNTESTED: xinetd could not be installed or unpacked (apt-get)"
	start_xinetd() {
		{
			printf 'defaults\n{\n\tlog_type = FILE %s\n}\n' "$W/xinetd.log"
			localize xinetd.d/httpd1 | sed -E \
				-e "s/^([[:space:]]*port[[:space:]]*=).*/\\1 $PORT/" \
				-e "s/^([[:space:]]*bind[[:space:]]*=).*/\\1 127.0.0.1/"
		} >"$W/xinetd.conf"
		spawn xinetd "$XINETD" -dontfork -pidfile "$W/xinetd.pid" -f "$W/xinetd.conf"
	}
	on_free_port start_xinetd
	served
}

@test "httpd1.socket and httpd1@.service: ExecStart runs under systemd-socket-activate" {
	need systemd-socket-activate systemd
	need ss iproute2
	grep -qx 'Accept=yes' "$REPO/httpd1.socket"
	grep -qx 'ListenStream=8080' "$REPO/httpd1.socket"
	grep -qx 'StandardInput=socket' "$REPO/httpd1@.service"
	grep -qx 'StandardOutput=socket' "$REPO/httpd1@.service"
	grep -qx 'StandardError=journal' "$REPO/httpd1@.service"
	read -r -a cmd < <(localize 'httpd1@.service' | sed -n 's/^ExecStart=//p')
	[ "${cmd[0]}" = "$T/httpd1" ]
	start_ssa() {
		spawn ssa systemd-socket-activate --inetd -a -l "127.0.0.1:$PORT" "${cmd[@]}"
	}
	on_free_port start_ssa
	served
}

@test "httpd1.socket and httpd1@.service pass systemd-analyze verify" {
	command -v systemd-analyze >/dev/null 2>&1 || need systemd-analyze systemd
	mkdir "$W/units"
	cp "$REPO/httpd1.socket" "$W/units/"
	localize 'httpd1@.service' >"$W/units/httpd1@.service"
	run timeout 30 systemd-analyze verify --man=no \
		"$W/units/httpd1.socket" "$W/units/httpd1@0.service"
	echo "$output"
	[ "$status" = 0 ]
	[ -z "$output" ]
}

@test "tcpserver/run runs httpd1 under tcpserver (ucspi-tcp)" {
	needs_root "tcpserver/run"
	need tcpserver ucspi-tcp
	need ss iproute2
	start_tcpserver() {
		localize tcpserver/run | sed -E "s/^([[:space:]]*)0 80 /\\1127.0.0.1 $PORT /" >"$W/run"
		grep -q "127.0.0.1 $PORT $T/httpd1" "$W/run"
		chmod 755 "$W/run"
		spawn tcpserver "$W/run"
	}
	on_free_port start_tcpserver
	served
	# httpd1's log lines reach the service log, with the client's address
	grep -q '^127\.0\.0\.1 - - \[.*\] "GET / HTTP/1.1" 200 ' "$W/tcpserver.out"
}

@test "stunnel/httpd1.conf serves HTTPS through stunnel4" {
	needs_root "stunnel/httpd1.conf"
	need stunnel4 stunnel4
	need openssl openssl
	need ss iproute2
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-days 1 -subj /CN=localhost -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
	start_stunnel() {
		{
			printf 'foreground = yes\npid =\n'
			localize stunnel/httpd1.conf | sed -E \
				-e "s/^accept[[:space:]]*=.*/accept = 127.0.0.1:$PORT/" \
				-e "s#^cert[[:space:]]*=.*#cert = $W/cert.pem#" \
				-e "s#^key[[:space:]]*=.*#key = $W/key.pem#"
		} >"$W/stunnel.conf"
		spawn stunnel stunnel4 "$W/stunnel.conf"
	}
	on_free_port start_stunnel
	served https
	# CGI programs see the client, not stunnel's socket to httpd1
	printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\nenv\n' >"$T/www/env.cgi"
	chmod 755 "$T/www/env.cgi"
	lport=$(curl -sSk --max-time 5 -o "$W/env" -w '%{local_port}' "https://127.0.0.1:$PORT/env.cgi")
	rm -f "$T/www/env.cgi"
	cat "$W/env"
	grep -qx 'HTTPS=on' "$W/env"
	grep -qx 'REMOTE_ADDR=127.0.0.1' "$W/env"
	grep -qx "REMOTE_PORT=$lport" "$W/env"
	grep -qx "SERVER_PORT=$PORT" "$W/env"
	# the TLS really is there
	run curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"
	[ "$status" != 0 ]
}
