#!/usr/bin/env bash
# Output profiles (issue 18): the same viewers watching one size or split over several.
# Starts mjpeg-kiosk on the fake V4L2 camera (1280x720, 30 fps, default quality 80: a --quality
# given would re-encode the MJPEG camera) and runs mjpeg-bench groups
# against it at the same time, one group per URL, for each scenario:
#   yuyv-full    YUYV camera, N viewers of /stream (all full size)
#   yuyv-split   YUYV camera, N/3 viewers each of ?width=1280, ?width=640 and ?width=320
#   mjpeg-full   MJPEG camera (pass-through), N viewers of /stream
#   mjpeg-640    MJPEG camera, N/2 full size (still pass-through) and N/2 ?width=640
# Prints per group the median fps, the bytes per viewer per second and the server's CPU over
# the window (every group measures the same process over about the same window; the table shows
# the first group's). The script kills only the PIDs it started. See docs/benchmarks.md.
set -uo pipefail

usage() {
	cat <<'EOF'
Usage: bench/profiles.sh [-n N] [-t S] [-w S] [-b DIR] [-p PORT] [SCENARIO...]
  -n N     viewers per scenario, split over its groups [VIEWERS]   default 300
  -t S     measured seconds [DURATION]                             default 10
  -w S     warm-up seconds [WARMUP]                                default 3
  -b DIR   build dir with mjpeg-bench, libfakecam.so, mjpeg-kiosk [BUILD_DIR]
  -p PORT  server port on 127.0.0.1 [PORT]                         default 18091
SCENARIO: yuyv-full yuyv-split mjpeg-full mjpeg-640 (default: all four).
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
viewers=${VIEWERS:-300}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
build=${BUILD_DIR:-$repo/build}
port=${PORT:-18091}
while getopts "n:t:w:b:p:h" opt; do
	case $opt in
	n) viewers=$OPTARG ;;
	t) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	b) build=$OPTARG ;;
	p) port=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(yuyv-full yuyv-split mjpeg-full mjpeg-640)

die() { echo "profiles: $*" >&2; exit 2; }
[[ $viewers =~ ^[1-9][0-9]*$ ]] || die "bad viewer count: $viewers"
bench=$build/mjpeg-bench
fakecam=$build/libfakecam.so
kiosk=$(find "$build" -maxdepth 3 -name mjpeg-kiosk -type f -perm -u+x 2>/dev/null | head -1)
for f in "$bench" "$fakecam" "$kiosk"; do [[ -e $f ]] || die "missing $f (build first)"; done
command -v python3 >/dev/null || die "python3 is needed to read the results"
out=$(mktemp -d /tmp/profiles-bench.XXXXXX)

server_pid=
stop_server() {
	[[ -n $server_pid ]] || return 0
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}
trap stop_server EXIT

# start_server FORMAT: the kiosk on the fake camera sending FORMAT.
start_server() {
	FAKECAM_FORMATS=$1 QT_QPA_PLATFORM=offscreen LD_PRELOAD=$fakecam "$kiosk" --headless \
		--source /dev/video0 --resolution 1280x720 --fps 30 --host 127.0.0.1 \
		--port "$port" --max-clients $((viewers + 32)) --max-clients-per-address 0 \
		>"$out/server-$1.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$port/snapshot" -o /dev/null && return 0
		sleep 0.1
	done
	die "the server did not come up: $(tail -5 "$out/server-$1.log")"
}

# run_groups SCENARIO PATH...: N/len(PATH) viewers on each path, all at once.
run_groups() {
	local scenario=$1
	shift
	local per=$((viewers / $#)) i=0 pids=()
	for path in "$@"; do
		"$bench" --viewers "$per" --duration "$duration" --warmup "$warmup" --pid "$server_pid" \
			--label "$scenario $path" --json "http://127.0.0.1:$port$path" \
			>"$out/$scenario-$i.json" 2>"$out/$scenario-$i.err" &
		pids+=($!)
		i=$((i + 1))
	done
	wait "${pids[@]}"
}

echo "# $(date -u +%FT%TZ) $(uptime)"
for scenario in "${scenarios[@]}"; do
	case $scenario in
	yuyv-full) start_server YUYV; run_groups "$scenario" /stream ;;
	yuyv-split) start_server YUYV; run_groups "$scenario" "/stream?width=1280" "/stream?width=640" "/stream?width=320" ;;
	mjpeg-full) start_server MJPEG; run_groups "$scenario" /stream ;;
	mjpeg-640) start_server MJPEG; run_groups "$scenario" /stream "/stream?width=640" ;;
	*) die "unknown scenario: $scenario" ;;
	esac
	curl -sf "http://127.0.0.1:$port/status" >"$out/$scenario-status.json"
	stop_server
done

python3 - "$out" "${scenarios[@]}" <<'EOF'
import glob, json, sys
out, scenarios = sys.argv[1], sys.argv[2:]
print(f"{'scenario':<12} {'group':<22} {'viewers':>7} {'fps med':>7} {'fps min':>7} "
      f"{'kB/s/viewer':>11} {'frame kB':>8} {'server CPU %':>12}")
for scenario in scenarios:
    for path in sorted(glob.glob(f"{out}/{scenario}-[0-9].json")):
        try:
            r = json.load(open(path))
        except ValueError:
            print(f"{scenario:<12} (no result: see {path[:-5]}.err)")
            continue
        group = r["label"].split(" ", 1)[1]
        per_viewer = r["mbytes_per_s"] * 1000 / max(1, r["connected"])
        print(f"{scenario:<12} {group:<22} {r['connected']:>7} {r['fps_median']:>7.2f} "
              f"{r['fps_min']:>7.2f} {per_viewer:>11.1f} {r['avg_frame_kb']:>8.1f} "
              f"{r['server_cpu_nofakecam_pct']:>12.1f}")
    status = json.load(open(f"{out}/{scenario}-status.json"))
    live = ", ".join(f"{p['width']}x{p['height']} "
                     f"{'q' + str(p['quality']) if p['quality'] else 'as the camera sent it'} "
                     f"{p['fps']} fps"
                     for p in status["profiles"]["live"])
    print(f"{'':<12} encoder {status['output']['encoder']}; profiles: {live}")
EOF
echo "# raw results: $out"
