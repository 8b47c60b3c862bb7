#!/bin/sh
# bench/spawn.sh: how tcpwrap starts children (-m fork, vfork, spawn), measured
# with one-shot connections through tcpwrap to httpd1 (a 1 KB file): one client
# at a time, then 16 at a time, ROUNDS rounds interleaved; medians at the end.
# Usage: bench/spawn.sh [N] [ROUNDS]; loopback only; every server is killed.
set -eu
cd "$(dirname "$0")/.."
n=${1:-2000}
rounds=${2:-5}
make -s httpd1 tcpwrap
mkdir -p build/bench/root
cc -O2 -o build/bench/conn bench/conn.c
head -c 1024 /dev/zero | tr '\0' 'x' >build/bench/root/1k.txt
pf=build/bench/port
raw=build/bench/spawn.raw
hz=$(getconf CLK_TCK)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -f "$pf"' EXIT
: >"$raw"

# cpu PID: user+system time of the process itself, in clock ticks
cpu() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

echo "tcpwrap -m fork|vfork|spawn, $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d), N=$n, $rounds rounds"
r=1
while [ "$r" -le "$rounds" ]; do
	for m in fork vfork spawn; do
		rm -f "$pf"
		./tcpwrap -m "$m" -c 64 -P "$pf" 127.0.0.1 0 \
			./httpd1 -d build/bench/root -l /dev/null &
		pid=$!
		i=0
		while [ ! -s "$pf" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		port=$(cat "$pf")
		c0=$(cpu "$pid")
		s=$(build/bench/conn 127.0.0.1 "$port" "$n" 1 /1k.txt)
		c=$(build/bench/conn 127.0.0.1 "$port" "$n" 16 /1k.txt)
		c1=$(cpu "$pid")
		kill "$pid"
		wait "$pid" || true
		pid=
		# mode, serial conn/s, serial median us, 16-way conn/s, tcpwrap cpu us per connection
		echo "$m $s $c" | awk -v c0="$c0" -v c1="$c1" -v hz="$hz" -v n="$n" '{
			for (i = 1; i <= NF; i++) {
				if ($i == "connections/s;") rate[++k] = $(i - 1)
				if ($i == "median") med[k] = $(i + 1)
			}
			printf "%s %s %s %s %.1f\n", $1, rate[1], med[1], rate[2],
			    (c1 - c0) / hz * 1e6 / (2 * n)
		}' | tee -a "$raw" | awk -v r="$r" '{
			printf "round %d %-5s  serial %5d conn/s (median %4d us)  16-way %5d conn/s  tcpwrap cpu %5.1f us/conn\n",
			    r, $1, $2, $3, $4, $5 }'
	done
	r=$((r + 1))
done

echo "medians over $rounds rounds:"
for m in fork vfork spawn; do
	awk -v m="$m" '$1 == m' "$raw" | awk -v m="$m" '
	function med(col,   i, j, t, a, k) {
		k = 0
		for (i = 1; i <= NR; i++) a[++k] = v[i, col]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	{ for (c = 2; c <= 5; c++) v[NR, c] = $c }
	END {
		printf "%-5s  serial %5d conn/s (median %4d us)  16-way %5d conn/s  tcpwrap cpu %5.1f us/conn\n",
		    m, med(2), med(3), med(4), med(5)
	}'
done
