#!/bin/bash
# Headless CPU with nobody watching (issue 13 item 2): mjpeg-kiosk on the fake V4L2 camera
# (shared/tools/fakecam) in YUYV, 1280x720 at 30 fps, no viewer, no snapshot. Prints the process's
# CPU (% of one core) over SECONDS after a warm-up, the fake camera's own producer thread (which
# a real camera does not cost) and the rest, and the frame counters from /status.
#
#   bench/idle-cpu.sh [BUILD_DIR] [SECONDS] [KIOSK_BINARY]
#
# BUILD_DIR holds libfakecam.so (default: build); KIOSK_BINARY defaults to BUILD_DIR/mjpeg-kiosk
# (another build's binary compares with it in the same conditions). Only its own kiosk is stopped.
set -eu
build=${1:-build}
seconds=${2:-20}
binary=${3:-$build/mjpeg-kiosk}
port=${PORT:-18190}
fakecam=$build/libfakecam.so
[ -f "$fakecam" ] || { echo "no $fakecam (build the bench/ 'fakecam' target)" >&2; exit 77; }

QT_QPA_PLATFORM=offscreen LD_PRELOAD=$fakecam FAKECAM_FORMATS=YUYV "$binary" --headless \
    --source /dev/video0 --resolution 1280x720 --fps 30 --host 127.0.0.1 --port "$port" \
    >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT

ticks() { # utime + stime of a /proc stat file (the name field may hold spaces)
    sed 's/.*) //' "$1" | awk '{ print $12 + $13 }'
}
fakecam_stat() {
    for t in /proc/$pid/task/*; do
        [ "$(cat "$t/comm")" = fakecam ] && { echo "$t/stat"; return; }
    done
}
output() { # one figure of /status "output"
    curl -s "http://127.0.0.1:$port/status" \
        | python3 -c "import json,sys; print(json.load(sys.stdin)['output'].get('$1', '-'))"
}

sleep 5 # start-up, the first frame
cam=$(fakecam_stat)
p0=$(ticks /proc/$pid/stat); c0=$(ticks "$cam"); cap0=$(output frames_captured); enc0=$(output frames_encoded)
sleep "$seconds"
p1=$(ticks /proc/$pid/stat); c1=$(ticks "$cam"); cap1=$(output frames_captured); enc1=$(output frames_encoded)
hz=$(getconf CLK_TCK)
awk -v p=$((p1 - p0)) -v c=$((c1 - c0)) -v hz="$hz" -v s="$seconds" 'BEGIN {
    printf "process %.1f %%  fakecam thread %.1f %%  kiosk without it %.1f %%\n",
        100 * p / hz / s, 100 * c / hz / s, 100 * (p - c) / hz / s }'
echo "frames captured +$((cap1 - cap0)), encoded +$((enc1 - enc0)), encoder_idle $(output encoder_idle)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
