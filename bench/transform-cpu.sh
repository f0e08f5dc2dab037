#!/bin/bash
# Headless streaming CPU with one viewer and a transform (issue 14): mjpeg-kiosk on the fake
# V4L2 camera (shared/tools/fakecam) at SIZE and 30 fps in FORMAT (YUYV or MJPEG), one viewer
# (curl) reading /stream for SECONDS after a warm-up. Prints the process's CPU (% of one core)
# without the fake camera's own producer thread, the viewer's frame rate and the /status
# figures. Extra arguments go to mjpeg-kiosk (e.g. --rotate 90).
#
#   bench/transform-cpu.sh BUILD_DIR SIZE FORMAT SECONDS [kiosk args...]
#   e.g. bench/transform-cpu.sh build 1280x720 YUYV 20 --rotate 90
#
# Only its own kiosk and curl are stopped.
set -eu
build=$1 size=$2 format=$3 seconds=$4
shift 4
port=${PORT:-18191}
fakecam=$build/libfakecam.so
[ -f "$fakecam" ] || { echo "no $fakecam (build the bench/ 'fakecam' target)" >&2; exit 77; }

QT_QPA_PLATFORM=offscreen LD_PRELOAD=$fakecam FAKECAM_FORMATS=$format \
    FAKECAM_WIDTH=${size%x*} FAKECAM_HEIGHT=${size#*x} "$build/mjpeg-kiosk" --headless \
    --config '' --source /dev/video0 --resolution "$size" --fps 30 --host 127.0.0.1 \
    --port "$port" "$@" >/dev/null 2>&1 &
pid=$!
viewer=
trap 'kill $pid $viewer 2>/dev/null; wait $pid 2>/dev/null || true' EXIT

ticks() { sed 's/.*) //' "$1" | awk '{ print $12 + $13 }'; }
fakecam_stat() {
    for t in /proc/$pid/task/*; do
        [ "$(cat "$t/comm")" = fakecam ] && { echo "$t/stat"; return; }
    done
}
status() { curl -s "http://127.0.0.1:$port/status"; }
figure() { python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"; }

sleep 4
curl -s -o /dev/null "http://127.0.0.1:$port/stream" &
viewer=$!
sleep 3
cam=$(fakecam_stat)
p0=$(ticks /proc/$pid/stat); c0=$(ticks "$cam")
sent0=$(status | figure "s['output']['frames_published']")
sleep "$seconds"
p1=$(ticks /proc/$pid/stat); c1=$(ticks "$cam")
s=$(status)
sent1=$(echo "$s" | figure "s['output']['frames_published']")
hz=$(getconf CLK_TCK)
awk -v p=$((p1 - p0)) -v c=$((c1 - c0)) -v hz="$hz" -v s="$seconds" -v f=$((sent1 - sent0)) \
    'BEGIN { printf "kiosk CPU without the fakecam thread %.1f %%  published %.1f fps\n",
             100 * (p - c) / hz / s, f / s }'
echo "$s" | figure "'source %dx%d from %dx%d, transform %s, encoder %s, encode %s ms' % (s['source']['width'], s['source']['height'], s['source']['captured']['width'], s['source']['captured']['height'], s['source']['transform'], s['output']['encoder'], s['output'].get('encode_ms', '-'))"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
