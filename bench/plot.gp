# plot.gp: the charts of bench/REPORT.md, from the tab-separated tables that
# bench/report derives from the CSV files.  Usage:
#   gnuplot -e "dat='DIR'; res='RESULTS'" bench/plot.gp
# Each .dat file: a label column, then one column per series.

set terminal pngcairo size 900,420 font "sans,10" noenhanced
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.95
set grid ytics lc rgb "#dddddd"
set key below horizontal noautotitle
set xtics nomirror
set ytics nomirror
set border 3
c1 = "#4e79a7"; c2 = "#f28e2b"; c3 = "#59a14f"

# value labels above the bars of a two-series clustered histogram
lab(v) = v >= 10 ? sprintf("%.0f", v) : sprintf("%.1f", v)

# 1. latency: mean and p99, serial against forking, log scale
set output res."/latency.png"
set multiplot layout 1,2 title "httpd1 under tcpwrap: latency of one connection per request (lower is better)"
set logscale y
set ylabel "microseconds"
set yrange [*:*]
set xtics rotate by -25
set title "mean"
plot dat."/latency.dat" using 2:xtic(1) title "serial (-c 1)" lc rgb c1, \
     "" using 3 title "forking" lc rgb c2, \
     "" using ($0-1/6.):2:(lab($2)) with labels offset 0,0.6 font ",7" notitle, \
     "" using ($0+1/6.):3:(lab($3)) with labels offset 0,0.6 font ",7" notitle
set title "p99"
plot dat."/latency.dat" using 4:xtic(1) title "serial (-c 1)" lc rgb c1, \
     "" using 5 title "forking" lc rgb c2, \
     "" using ($0-1/6.):4:(lab($4)) with labels offset 0,0.6 font ",7" notitle, \
     "" using ($0+1/6.):5:(lab($5)) with labels offset 0,0.6 font ",7" notitle
unset multiplot
set xtics norotate

# 2. throughput by file size
set output res."/throughput.png"
set title "httpd1 under tcpwrap: throughput, one connection per request (higher is better)"
set ylabel "MB/s"
plot dat."/throughput.dat" using 2:xtic(1) title "serial (-c 1)" lc rgb c1, \
     "" using 3 title "forking" lc rgb c2, \
     "" using ($0-1/6.):2:(lab($2)) with labels offset 0,0.6 font ",8" notitle, \
     "" using ($0+1/6.):3:(lab($3)) with labels offset 0,0.6 font ",8" notitle

# 3. peers: 1 KB requests/s, keep-alive and one connection per request
set output res."/peers-1k.png"
set title "1 KB file: requests/s, 32 connections (higher is better)"
set ylabel "requests/s"
plot dat."/peers-1k.dat" using 2:xtic(1) title "keep-alive (wrk)" lc rgb c1, \
     "" using 3 title "one connection per request (ab)" lc rgb c2, \
     "" using ($0-1/6.):2:(lab($2)) with labels offset 0,0.6 font ",8" notitle, \
     "" using ($0+1/6.):3:(lab($3)) with labels offset 0,0.6 font ",8" notitle

set output res."/peers-1m.png"
set title "1 MB file: throughput, 32 connections (higher is better)"
set ylabel "MB/s"
unset logscale y
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
plot dat."/peers-1m.dat" using 2:xtic(1) title "keep-alive (wrk)" lc rgb c1, \
     "" using 3 title "one connection per request (ab)" lc rgb c2, \
     "" using ($0-1/6.):2:(lab($2)) with labels offset 0,0.6 font ",8" notitle, \
     "" using ($0+1/6.):3:(lab($3)) with labels offset 0,0.6 font ",8" notitle

# 4. memory of one process
set output res."/memory.png"
set title "memory of one server process, idle on a keep-alive connection (lower is better)"
set ylabel "KiB"
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
plot dat."/memory.dat" using 2:xtic(1) title "peak RSS (VmHWM)" lc rgb c1, \
     "" using 3 title "Private_Dirty" lc rgb c3, \
     "" using ($0-1/6.):2:(lab($2)) with labels offset 0,0.6 font ",8" notitle, \
     "" using ($0+1/6.):3:(lab($3)) with labels offset 0,0.6 font ",8" notitle
