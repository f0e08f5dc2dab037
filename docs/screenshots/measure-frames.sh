#!/usr/bin/env bash
# GUI smoothness under load: runs the kiosk under xvfb with N local MJPEG viewers (curl) and logs
# the intervals between frames shown (QQuickWindow::frameSwapped; KIOSK_FRAME_STATS, see
# cpp/ui/windowprobe.h), recorded from 5 s after start when the viewers are all connected:
# count, median, 99th percentile, max. Stops by itself.
#   docs/screenshots/measure-frames.sh [viewers=100] [seconds=20] [path/to/mjpeg-kiosk]
set -euo pipefail
viewers=${1:-100}
seconds=${2:-20}
app=${3:-$(cd "$(dirname "$0")/../.." && pwd)/build/mjpeg-kiosk}
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

KIOSK_FRAME_STATS_AFTER=5 KIOSK_FRAME_STATS=$seconds xvfb-run -a -s "-screen 0 1280x800x24" \
    "$app" --kiosk --port "$port" --max-clients $((viewers + 16)) --max-clients-per-address 0 2>&1 | grep -E "probe|error" &
app_job=$!
sleep 2
# One load process (mjpeg-bench) when it is built, rather than hundreds of curls.
bench=$(dirname "$app")/mjpeg-bench
if [[ -x $bench ]]; then
    "$bench" -n "$viewers" -t "$((seconds + 2))" --warmup 1 "http://127.0.0.1:$port/stream" |
        grep -E "viewers|fps/viewer" &
else
    for ((i = 0; i < viewers; i++)); do
        curl -s -o /dev/null --max-time "$((seconds + 4))" "http://127.0.0.1:$port/stream" &
    done
fi
sleep 2
echo "viewers connected: $(curl -s "http://127.0.0.1:$port/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_count"])')"
wait $app_job
wait
