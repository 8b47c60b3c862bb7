# net.bash: for the suites that use real sockets (load helper, then load net).
# Starts servers in the background on loopback only, with every wait bounded;
# records each server's PID so that net_teardown kills it and its children.
# Installs a missing tool from Debian when it can, and skips loudly when not.

TCPWRAP=${TCPWRAP:-$REPO/tcpwrap}
case $TCPWRAP in
/*) ;;
*) if [ -x "$PWD/$TCPWRAP" ]; then TCPWRAP=$PWD/$TCPWRAP; else TCPWRAP=$REPO/$TCPWRAP; fi ;;
esac

# apt_install PACKAGE...: as root, after one apt-get update per bats run;
# never removes a package to make room (openbsd-inetd and xinetd conflict)
apt_install() {
	local stamp=${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}}/apt-updated
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
	if [ ! -e "$stamp" ]; then
		DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq >/dev/null 2>&1 || return 1
		: >"$stamp"
	fi
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-remove "$@" \
		>"${W:-/tmp}/apt.log" 2>&1
}

# need TOOL PACKAGE: TOOL on PATH, installed from PACKAGE when missing, or skip
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	apt_install "$2" || true
	command -v "$1" >/dev/null 2>&1 ||
		skip "UNTESTED: $1 is missing and Debian package $2 could not be installed (needs root and apt-get)"
}

# pkg_bin PROGRAM PACKAGE: the path of PROGRAM as PACKAGE ships it: from the
# installed package; or from PACKAGE unpacked earlier; or installed now; or,
# when PACKAGE conflicts with an installed one (openbsd-inetd and xinetd do),
# with its libraries installed and PACKAGE unpacked in a cache directory.
pkg_bin() {
	local prog=$1 pkg=$2 dir=${TMPDIR:-/tmp}/httpd1-debs/$2 f
	local -a deps
	installed() {
		dpkg-query -W -f '${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' &&
			dpkg -L "$pkg" | grep -E "/s?bin/$prog\$" | head -n 1
	}
	unpacked() {
		find "$dir/root" -path "*bin/$prog" 2>/dev/null | head -n 1
	}
	f=$(installed)
	[ -n "$f" ] || f=$(unpacked)
	if [ -z "$f" ] && apt_install "$pkg"; then
		f=$(installed)
	fi
	if [ -z "$f" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		mapfile -t deps < <(apt-cache depends "$pkg" 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^lib/ { print $2 }')
		apt_install "${deps[@]}" || true
		rm -rf "$dir"
		mkdir -p "$dir" &&
			(cd "$dir" && timeout 120 apt-get download "$pkg") >/dev/null 2>&1 &&
			dpkg-deb -x "$dir/${pkg}"_*.deb "$dir/root" &&
			f=$(unpacked)
	fi
	[ -n "$f" ] && [ -x "$f" ] && echo "$f"
}

# spawn NAME CMD...: CMD in the background, output to $W/NAME.out and .err,
# its PID in BGPID and in the teardown list
spawn() {
	local name=$1
	shift
	"$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null 3>&- &
	BGPID=$!
	echo "$BGPID" >>"$W/pids"
}

# procs: "PID STATE PPID" for every process
procs() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk '{ pid = $1; sub(/.*\) /, ""); print pid, $1, $2 }'
}

# children PID: the PIDs whose parent is PID
children() {
	procs | awk -v p="$1" '$3 == p { print $1 }'
}

# zombies PID: how many children of PID are zombies
zombies() {
	procs | awk -v p="$1" '$3 == p && $2 == "Z" { n++ } END { print n + 0 }'
}

# nfds PID: how many descriptors PID has open
nfds() {
	ls "/proc/$1/fd" | wc -l
}

# gone PID [SECS]: wait until PID has exited (a zombie counts), at most SECS (5)
gone() {
	local i=0 max=$((${2:-5} * 10)) st
	while [ "$i" -lt "$max" ]; do
		st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# stop_pid PID: SIGTERM, then SIGKILL after 3 s; the same for its children
stop_pid() {
	local p=$1 k
	kill -0 "$p" 2>/dev/null || return 0
	k=$(children "$p")
	kill -TERM "$p" 2>/dev/null
	gone "$p" 3 || kill -KILL "$p" 2>/dev/null || true
	for c in $k; do
		kill -KILL "$c" 2>/dev/null
	done
	wait "$p" 2>/dev/null || true
}

net_teardown() {
	local p
	if [ -f "$W/pids" ]; then
		for p in $(tac "$W/pids"); do
			stop_pid "$p"
		done
	fi
	rm -rf "$W"
}

# listening PORT: a TCP socket listens on PORT
listening() {
	ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# wait_listen PORT PID [SECS]: until PORT listens (PID must stay alive), at most SECS (5)
wait_listen() {
	local i=0 max=$((${3:-5} * 10))
	while [ "$i" -lt "$max" ]; do
		listening "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# pick_port: a random port below the ephemeral range (where clients' own ports
# come from), that nobody listens on now
pick_port() {
	local lo p
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
	[ "$lo" -gt 12000 ] || lo=32768
	while :; do
		p=$((10000 + RANDOM % (lo - 10000)))
		listening "$p" || break
	done
	echo "$p"
}

# on_free_port FUNC [SECS]: PORT=a free port, then FUNC, which starts a server
# in the background (BGPID) that must listen within SECS (5); retried on
# another port when that one was taken meanwhile
on_free_port() {
	local _
	need ss iproute2
	for _ in 1 2 3 4 5; do
		PORT=$(pick_port)
		"$1"
		wait_listen "$PORT" "$BGPID" "${2:-5}" && return 0
		stop_pid "$BGPID"
	done
	echo "no server came up on a free port; last stderr:" >&2
	cat "$W"/*.err >&2
	return 1
}

# tw_start ARGS...: tcpwrap -P $W/port ARGS (give port 0); PORT is the bound
# port, TWPID its PID; stderr (its -v lines, and httpd1's log) in $W/tw.err
tw_start() {
	local i=0
	rm -f "$W/port"
	spawn tw "$TCPWRAP" -P "$W/port" "$@"
	TWPID=$BGPID
	while [ ! -s "$W/port" ] && [ "$i" -lt 50 ]; do
		kill -0 "$TWPID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(cat "$W/port" 2>/dev/null)
	[ -n "$PORT" ] || {
		echo "tcpwrap did not start: $(cat "$W/tw.err")"
		return 1
	}
}

# fetch URL [CURL ARGS...]: curl, bounded, body to $OUT, stderr to $W/curl.err;
# RC is curl's exit status, CODE the HTTP status
fetch() {
	local u=$1
	shift
	RC=0
	CODE=$(curl -sS --max-time 10 -o "$OUT" -w '%{http_code}' "$@" "$u" 2>"$W/curl.err") || RC=$?
}

# twlines PATTERN: how many lines of tcpwrap's stderr match the ERE PATTERN
twlines() {
	grep -c -E -- "$1" "$W/tw.err" || true
}
