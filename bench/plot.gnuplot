# Plots a bench/sweep.sh results dir: one line colour per server, log-scale N.
#   gnuplot -e "resdir='DIR'; servers='ustreamer kiosk'" bench/plot.gnuplot
# Reads DIR/summary-SERVER.csv (columns by header name), writes DIR/{fps,latency,cpu,rss,
# throughput}.png.  Missing values are "n/a".
if (!exists("resdir")) resdir = "."
if (!exists("servers")) servers = "ustreamer"

set datafile separator comma
set datafile missing "n/a"
set datafile columnheaders
set terminal pngcairo size 960,600 font "sans,10" noenhanced
set logscale x 10
set xlabel "concurrent viewers N (log scale)"
set grid
set key outside right top
set yrange [0:*]
set pointsize 0.8
file(s) = sprintf("%s/summary-%s.csv", resdir, s)
n = words(servers)

set output resdir."/fps.png"
set title "Delivered frame rate per viewer (median of runs); solid: median viewer, dashed: slowest viewer"
set ylabel "frames per second"
plot for [i=1:n] file(word(servers, i)) using "viewers":"fps_median" \
         with linespoints lc i dt 1 pt 7 title word(servers, i)." median", \
     for [i=1:n] file(word(servers, i)) using "viewers":"fps_min" \
         with linespoints lc i dt 2 pt 6 title word(servers, i)." min"

set output resdir."/cpu.png"
set title "CPU (% of one core; 200% = both cores)\nsolid: server, dotted: its busiest thread (100% = a saturated event loop), dashed: the bench itself"
set ylabel "CPU %"
plot for [i=1:n] file(word(servers, i)) using "viewers":"server_cpu_pct" \
         with linespoints lc i dt 1 pt 7 title word(servers, i)." server", \
     for [i=1:n] file(word(servers, i)) using "viewers":"server_top_thread_cpu_pct" \
         with linespoints lc i dt 3 pt 4 title word(servers, i)." busiest thread", \
     for [i=1:n] file(word(servers, i)) using "viewers":"bench_cpu_pct" \
         with linespoints lc i dt 2 pt 6 title word(servers, i)." bench"

set output resdir."/rss.png"
set title "Server peak resident memory during the run (VmRSS sampled every 100 ms)"
set ylabel "MiB"
plot for [i=1:n] file(word(servers, i)) using "viewers":(column("server_rss_peak_kb") / 1024) \
         with linespoints lc i dt 1 pt 7 title word(servers, i)

set output resdir."/throughput.png"
set title "Bytes delivered to all viewers"
set ylabel "MB/s"
plot for [i=1:n] file(word(servers, i)) using "viewers":"mbytes_per_s" \
         with linespoints lc i dt 1 pt 7 title word(servers, i)

# Last, because a server without any timestamp makes its curves empty (a warning, or an error
# if no server has one).  X-Timestamp is capture time for mjpeg-kiosk but send time for
# ustreamer; ustreamer's capture time is its X-UStreamer-Grab-Time ("grab").
set output resdir."/latency.png"
set title "Latency p99 to the last byte of a frame; solid: from X-Timestamp, dashed: from ustreamer grab time"
set ylabel "milliseconds"
set logscale y 10
set yrange [*:*]
plot for [i=1:n] file(word(servers, i)) using "viewers":"lat_p99_ms" \
         with linespoints lc i dt 1 pt 7 title word(servers, i)." X-Timestamp p99", \
     for [i=1:n] file(word(servers, i)) using "viewers":"grab_p99_ms" \
         with linespoints lc i dt 2 pt 6 title word(servers, i)." grab p99"
