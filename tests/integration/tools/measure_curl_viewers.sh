#!/bin/bash
# Usage: measure_curl_viewers.sh N [APP]
# N `curl -s -o /dev/null` viewers of the headless app (test pattern 1280x720@30, q80) on
# 127.0.0.1; over 10 s: server CPU from /proc/PID/stat utime+stime, per-viewer fps from the
# frames_sent deltas in /status. Everything stops by itself (curl --max-time, kill).
set -u
N=$1
APPBIN=${2:-build/mjpeg-kiosk}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
"$APPBIN" --headless --source test --resolution 1280x720 --fps 30 --quality 80 --host 127.0.0.1 --port 0 2>"$LOG" &
APP=$!
until PORT=$(grep -oP 'listening on \S+ port \K\d+' "$LOG"); do sleep 0.2; done
sleep 2
for i in $(seq $N); do curl -s -o /dev/null --max-time 14 http://127.0.0.1:$PORT/stream & done
sleep 2
cpu() { awk '{print $14+$15}' /proc/$APP/stat; }
c0=$(cpu); s0=$(curl -sS --max-time 10 http://127.0.0.1:$PORT/status); t0=$(date +%s.%N)
sleep 10
c1=$(cpu); s1=$(curl -sS --max-time 10 http://127.0.0.1:$PORT/status); t1=$(date +%s.%N)
python3 - "$c0" "$c1" "$t0" "$t1" "$s0" "$s1" <<'PY'
import sys, json, os
c0, c1, t0, t1 = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
s0, s1 = json.loads(sys.argv[5]), json.loads(sys.argv[6])
dt = t1 - t0
sent0 = {c["port"]: c["frames_sent"] for c in s0["clients"]}
fps = [(c["frames_sent"] - sent0.get(c["port"], 0)) / dt for c in s1["clients"]]
pub = (s1["output"]["frames_published"] - s0["output"]["frames_published"]) / dt
print(f"curl viewers={len(fps)} published={pub:.1f}/s per-viewer fps min={min(fps):.1f} max={max(fps):.1f} "
      f"server CPU={100*(c1-c0)/os.sysconf('SC_CLK_TCK')/dt:.1f}% of one core, load={open('/proc/loadavg').read().split()[0]}")
PY
kill $APP; wait $APP 2>/dev/null; wait
