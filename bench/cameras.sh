#!/usr/bin/env bash
# Several cameras in one process (issue 19). Starts mjpeg-kiosk --headless with 1 to 4 cameras at
# 1280x720, 30 fps, default quality 80, the fake V4L2 cameras all from one libfakecam.so
# (FAKECAM_DEVICES), in this order (the first K are used for K cameras):
#   yuyv     /dev/video0   YUYV, encoded here ([camera yuyv] encoder = cpu)
#   mjpeg    /dev/video2   MJPEG, passed through (encoder auto: the camera's own JPEGs)
#   pattern  test:pattern  the built-in test pattern, encoded here
#   yuyv2    /dev/video4   a second YUYV camera, encoded here ([camera yuyv2] encoder = cpu)
# and runs one mjpeg-bench group per camera (/camera/NAME/stream) at the same time. Scenarios:
#   scale    for K in -c's list: K cameras with nobody watching (idle cost), then N viewers each
#   unplug   4 cameras, N viewers each, all plugged in; then the same with one fake camera
#            unplugged (FAKECAM_UNPLUG_FILE) from before the viewers connect to after the window;
#            its viewers stay connected (they get its "no signal" frames)
# Prints per camera the median and slowest viewer's fps, and per run the process's CPU (% of one
# core; also without the fake cameras' own threads, which a real camera does not cost), its
# busiest threads, VmRSS and VmHWM, and the host's idle share. CPU and RSS come from /proc over
# the measured window (a sampler aligned with the bench's window). The script kills only the
# PIDs it started. See docs/benchmarks.md, "Several cameras".
set -uo pipefail

usage() {
	cat <<'EOF'
Usage: bench/cameras.sh [-n N] [-t S] [-w S] [-r R] [-c "LIST"] [-u NODE] [-b DIR] [-p PORT] [SCENARIO...]
  -n N      viewers per camera [VIEWERS]                          default 100
  -t S      measured seconds [DURATION]                           default 8
  -w S      warm-up seconds (also the settling before an idle window) [WARMUP]   default 2
  -r R      runs of each scenario, alternated [RUNS]              default 1
  -c LIST   camera counts for 'scale' [COUNTS]                    default "1 2 3 4"
  -u NODE   fake camera node unplugged in 'unplug' [UNPLUG]       default video4 (yuyv2, the 4th:
            the other three are then the 3-camera run of 'scale')
  -b DIR    build dir with mjpeg-bench, libfakecam.so, mjpeg-kiosk [BUILD_DIR]
  -p PORT   server port on 127.0.0.1 [PORT]                       default 18092
SCENARIO: scale unplug (default: both). Raw results (bench JSON, /status, samples, server logs)
stay in a /tmp/cameras-bench.* directory, printed at the end.
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
viewers=${VIEWERS:-100}
duration=${DURATION:-8}
warmup=${WARMUP:-2}
runs=${RUNS:-1}
counts=${COUNTS:-"1 2 3 4"}
unplug=${UNPLUG:-video4}
build=${BUILD_DIR:-$repo/build}
port=${PORT:-18092}
while getopts "n:t:w:r:c:u:b:p:h" opt; do
	case $opt in
	n) viewers=$OPTARG ;;
	t) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	r) runs=$OPTARG ;;
	c) counts=$OPTARG ;;
	u) unplug=$OPTARG ;;
	b) build=$OPTARG ;;
	p) port=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(scale unplug)

# The cameras, in order: name, source, what it is, its own config-file keys ("" = none).
names=(yuyv mjpeg pattern yuyv2)
specs=(/dev/video0 /dev/video2 test:pattern /dev/video4)
kinds=("YUYV, encoded" "MJPEG, passed through" "test pattern" "YUYV, encoded")
own=("encoder = cpu" "" "" "encoder = cpu")
devices=/dev/video0,/dev/video2,/dev/video4

die() { echo "cameras: $*" >&2; exit 2; }
[[ $viewers =~ ^[1-9][0-9]*$ ]] || die "bad viewer count: $viewers"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "bad run count: $runs"
[[ $duration =~ ^[0-9]+(\.[0-9]+)?$ && $duration != 0 ]] || die "bad duration: $duration"
[[ $warmup =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad warm-up: $warmup"
[[ $port =~ ^[0-9]+$ ]] || die "bad port: $port"
for k in $counts; do [[ $k =~ ^[1-4]$ ]] || die "camera counts are 1 to 4, not '$k'"; done
unplug=${unplug#/dev/}
unplug_index=-1
for i in "${!specs[@]}"; do [[ ${specs[i]} == "/dev/$unplug" ]] && unplug_index=$i; done
((unplug_index >= 0)) || die "-u: '$unplug' is none of the fake cameras (${devices//\/dev\//})"
for s in "${scenarios[@]}"; do [[ $s == scale || $s == unplug ]] || die "unknown scenario: $s"; done
bench=$build/mjpeg-bench
fakecam=$build/libfakecam.so
kiosk=$(find "$build" -maxdepth 3 -name mjpeg-kiosk -type f -perm -u+x 2>/dev/null | head -1)
for f in "$bench" "$fakecam" "$kiosk"; do [[ -e $f ]] || die "missing ${f:-mjpeg-kiosk in $build} (build first)"; done
command -v python3 >/dev/null || die "python3 is needed to sample /proc and read the results"
command -v curl >/dev/null || die "curl is needed to wait for the cameras"
out=$(mktemp -d /tmp/cameras-bench.XXXXXX)
# 4 x N viewers need as many descriptors in the bench and in the server (which inherits this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null

# sample PID DELAY SECONDS JSON: the process's and its threads' CPU over SECONDS after DELAY,
# VmRSS/VmHWM at the end, the host's idle share. Threads named fakecam* are the fake cameras'.
cat >"$out/sample.py" <<'EOF'
import json, os, sys, time
pid, delay, seconds, path = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
hz = os.sysconf("SC_CLK_TCK")
def ticks(stat):  # utime + stime; the name field may hold blanks
    text = open(stat).read()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])
def threads():
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            found[tid] = (comm, ticks(f"/proc/{pid}/task/{tid}/stat"))
        except (OSError, ValueError):
            pass  # the thread ended meanwhile
    return found
def host():
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    return sum(values), values[3] + values[4]
def status(key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
def memfd_kb():  # the fake cameras' frame buffers, counted in each mapping (theirs and ours)
    total, name = 0, ""
    for line in open(f"/proc/{pid}/smaps"):
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":"):
            name = fields[5] if len(fields) > 5 else ""
        elif fields[0] == "Rss:" and name.startswith("/memfd:fakecam"):
            total += int(fields[1])
    return total
time.sleep(delay)
t0, p0, th0, h0 = time.monotonic(), ticks(f"/proc/{pid}/stat"), threads(), host()
time.sleep(seconds)
t1, p1, th1, h1 = time.monotonic(), ticks(f"/proc/{pid}/stat"), threads(), host()
wall = t1 - t0
by_name = {}
for tid, (comm, t) in th1.items():  # a thread started in the window counts from 0
    by_name[comm] = by_name.get(comm, 0) + t - th0.get(tid, (comm, 0))[1]
pct = lambda t: round(100.0 * t / hz / wall, 1)
fakecam = sum(t for comm, t in by_name.items() if comm.startswith("fakecam"))
json.dump({"seconds": round(wall, 2), "cpu_pct": pct(p1 - p0), "fakecam_pct": pct(fakecam),
           "kiosk_pct": pct(p1 - p0 - fakecam),
           "threads": {comm: pct(t) for comm, t in sorted(by_name.items(), key=lambda x: -x[1])},
           "rss_kb": status("VmRSS"), "hwm_kb": status("VmHWM"), "fakecam_buffers_kb": memfd_kb(),
           "host_idle_pct": round(100.0 * (h1[1] - h0[1]) / max(1, h1[0] - h0[0]), 1)},
          open(path, "w"))
EOF

server_pid=
stop_server() {
	[[ -n $server_pid ]] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# start_server RUN K: the kiosk with the first K cameras; waits until each gives a snapshot.
start_server() {
	local run=$1 k=$2 i args=()
	local conf=$out/$run.conf
	: >"$conf"
	for ((i = 0; i < k; i++)); do
		args+=(--camera "${names[i]}=${specs[i]}")
		[[ -n ${own[i]} ]] && printf '[camera %s]\n%s\n\n' "${names[i]}" "${own[i]}" >>"$conf"
	done
	args+=(--headless --config "$conf" --resolution 1280x720 --fps 30 --host 127.0.0.1
		--port "$port" --max-clients $((k * viewers + 64)) --max-clients-per-address 0)
	rm -f "$out/unplug"
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
		die "something already listens on 127.0.0.1:$port (another run? use -p PORT)"
	# FAKECAM_UNPLUG_FILE in every run (its file absent = all plugged in): setting it wraps the
	# fake camera's poll calls, so runs with and without an unplugged camera pay the same.
	echo "# $run: FAKECAM_DEVICES=$devices FAKECAM_UNPLUG_FILE=$out/unplug mjpeg-kiosk ${args[*]}" \
		"  # $conf: $(tr '\n' ' ' <"$conf")"
	(exec env FAKECAM_DEVICES="$devices" FAKECAM_UNPLUG_FILE="$out/unplug" \
		QT_QPA_PLATFORM=offscreen LD_PRELOAD="$fakecam" "$kiosk" "${args[@]}") \
		>"$out/$run-server.log" 2>&1 &
	server_pid=$!
	for ((i = 0; i < k; i++)); do
		for _ in $(seq 150); do
			curl -sf "http://127.0.0.1:$port/camera/${names[i]}/snapshot" -o /dev/null && continue 2
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		die "camera ${names[i]} did not come up: $(tail -5 "$out/$run-server.log")"
	done
}

# unplug_camera RUN: unplugs the -u camera (written atomically, an empty file would unplug all)
# and waits until /status says it is offline.
unplug_camera() {
	echo "$unplug" >"$out/unplug.tmp" && mv "$out/unplug.tmp" "$out/unplug"
	local name=${names[unplug_index]}
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$port/camera/$name/status" |
			python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["source"]["online"])' &&
			return 0
		sleep 0.1
	done
	die "$name still online 10 s after unplugging $unplug"
}

# measure RUN K VIEWERS: the sampler, and with VIEWERS > 0 one bench group per camera, all at once.
measure() {
	local run=$1 k=$2 n=$3 i pids=()
	echo "$run $(uptime)" >>"$out/uptime.log"
	if ((n == 0)); then
		python3 "$out/sample.py" "$server_pid" "$warmup" "$duration" "$out/$run-sample.json"
	else
		# The bench's window starts WARMUP s after its last connect (N at 1000/s): the sampler's
		# starts a little after that and ends with it.
		python3 "$out/sample.py" "$server_pid" "$(python3 -c "print($warmup + $n / 1000 + 0.15)")" \
			"$(python3 -c "print(max(0.5, $duration - 0.2))")" "$out/$run-sample.json" &
		pids+=($!)
		for ((i = 0; i < k; i++)); do
			"$bench" --viewers "$n" --duration "$duration" --warmup "$warmup" --pid "$server_pid" \
				--label "$run ${names[i]}" --json "http://127.0.0.1:$port/camera/${names[i]}/stream" \
				>"$out/$run-$i.json" 2>"$out/$run-$i.err" &
			pids+=($!)
		done
		wait "${pids[@]}"
	fi
	for ((i = 0; i < k; i++)); do
		curl -sf "http://127.0.0.1:$port/camera/${names[i]}/status" >"$out/$run-$i-status.json"
	done
	echo "$run" >>"$out/runs"
}

echo "# $(date -u +%FT%TZ) $(uptime)"
: >"$out/runs"
for r in $(seq "$runs"); do
	for scenario in "${scenarios[@]}"; do
		case $scenario in
		scale)
			for k in $counts; do
				start_server "scale-k$k-r$r" "$k"
				measure "idle-k$k-r$r" "$k" 0
				measure "view-k$k-r$r" "$k" "$viewers"
				stop_server
			done
			;;
		unplug)
			start_server "plugged-r$r" 4
			measure "plugged-r$r" 4 "$viewers"
			stop_server
			start_server "unplugged-r$r" 4
			unplug_camera
			measure "unplugged-r$r" 4 "$viewers"
			stop_server
			;;
		esac
	done
done
echo "# done $(date -u +%FT%TZ) $(uptime)"

python3 - "$out" "$viewers" "${names[unplug_index]}" "${names[@]}" -- "${kinds[@]}" <<'EOF'
import json, os, sys
out, viewers, unplugged = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rest = sys.argv[4:]
names, kinds = rest[:rest.index("--")], rest[rest.index("--") + 1:]
runs = open(f"{out}/runs").read().split()
def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None
def cameras(run):
    return [i for i in range(len(names)) if os.path.exists(f"{out}/{run}-{i}-status.json")]
def label(run):
    kind, *_ = run.split("-")
    k = len(cameras(run))
    return {"idle": f"{k} cam, idle", "view": f"{k} cam, {viewers} each",
            "plugged": f"4 cam, all plugged in", "unplugged": f"4 cam, {unplugged} out"}[kind] \
        + f" ({run.rsplit('-', 1)[1]})"
print("\nPer camera (fps of its viewers; online and encoder from /camera/NAME/status; capture: "
      "CPU % of its capture-NAME thread)")
print(f"{'run':<26} {'camera':<8} {'kind':<22} {'online':<6} {'encoder':<11} {'viewers':>7} "
      f"{'fps med':>7} {'fps min':>7} {'frame kB':>8} {'errors':>6} {'capture':>7}")
for run in runs:
    if run.startswith("idle"):
        continue
    for i in cameras(run):
        st = load(f"{out}/{run}-{i}-status.json") or {}
        b = load(f"{out}/{run}-{i}.json")
        online = "yes" if st.get("source", {}).get("online") else "no"
        enc = st.get("output", {}).get("encoder", "?")
        sample = load(f"{out}/{run}-sample.json") or {"threads": {}}
        capture = sample["threads"].get(f"capture-{names[i]}"[:15], "-")
        if not b:
            print(f"{label(run):<26} {names[i]:<8} (no bench result: see {out}/{run}-{i}.err)")
            continue
        errors = b["framing_errors"] + b["http_errors"] + b["connect_failed"]
        print(f"{label(run):<26} {names[i]:<8} {kinds[i]:<22} {online:<6} {enc:<11} "
              f"{b['connected']:>7} {b['fps_median']:>7.2f} {b['fps_min']:>7.2f} "
              f"{b['avg_frame_kb']:>8.1f} {errors:>6} {capture:>7}")
print("\nPer run (process CPU % of one core over the window; kiosk = without the fakecam* threads)")
print("RSS includes the fake cameras: 'buffers' is their frame buffers' share of it (mapped by them and"
      " by us, counted twice); their noise frames, 7 MiB per YUYV camera, are not told apart")
print("bench: the mjpeg-bench processes' own CPU (the sum of the groups), on the same cores")
print(f"{'run':<26} {'CPU':>6} {'kiosk':>6} {'fakecam':>7} {'RSS MiB':>7} {'buffers':>7} "
      f"{'HWM MiB':>7} {'host idle':>9} {'bench':>6}  busiest threads (%)")
rows = {}
for run in runs:
    s = load(f"{out}/{run}-sample.json")
    if not s:
        print(f"{label(run):<26} (no sample)")
        continue
    rows[run] = s
    groups = [load(f"{out}/{run}-{i}.json") for i in cameras(run)]
    bench = sum(g["bench_cpu_pct"] for g in groups if g and g.get("bench_cpu_pct") is not None)
    top = ", ".join(f"{t} {c}" for t, c in list(s["threads"].items())[:6])
    print(f"{label(run):<26} {s['cpu_pct']:>6.1f} {s['kiosk_pct']:>6.1f} {s['fakecam_pct']:>7.1f} "
          f"{s['rss_kb'] / 1024:>7.1f} {s['fakecam_buffers_kb'] / 1024:>7.1f} {s['hwm_kb'] / 1024:>7.1f} {s['host_idle_pct']:>9.1f} {bench:>6.1f}  {top}")
for r in sorted({r.split("-r")[1] for r in rows if r.startswith("unplugged")}):
    plugged, out_ = rows.get(f"plugged-r{r}"), rows[f"unplugged-r{r}"]
    others = [i for i in range(len(names)) if names[i] != unplugged]
    fps = lambda run, i: (load(f"{out}/{run}-{i}.json") or {}).get("fps_median", float("nan"))
    print(f"\nr{r}: {unplugged} unplugged against all plugged in: the others' median fps "
          + ", ".join(f"{names[i]} {fps(f'plugged-r{r}', i):.2f} -> {fps(f'unplugged-r{r}', i):.2f}"
                      for i in others))
    same = rows.get(f"view-k{len(others)}-r{r}")
    if same and names[len(others)] == unplugged:
        print(f"  kiosk CPU: {plugged['kiosk_pct'] if plugged else '-'} % with all 4, "
              f"{out_['kiosk_pct']} % with {unplugged} out, {same['kiosk_pct']} % with only the "
              f"other {len(others)} (scale): the failing camera costs "
              f"{out_['kiosk_pct'] - same['kiosk_pct']:+.1f} points")
    thread = lambda s, i: s["threads"].get(f"capture-{names[i]}"[:15], "-") if s else "-"
    print("  capture threads' CPU %: " + ", ".join(
        f"{names[i]} {thread(plugged, i)} -> {thread(out_, i)}" for i in others))
scale = sorted({r.split("-r")[1] for r in rows if r.startswith(("idle", "view"))})
if scale:
    print("\nPer added camera (kiosk CPU, without the fake cameras' threads; RSS at the window's end)")
    print(f"{'run':<4} {'cameras':<26} {'idle CPU':>8} {'+':>6} {'idle RSS':>8} {'+':>6} "
          f"{'CPU':>6} {'+':>6} {'RSS':>6} {'+':>6}")
    for r in scale:
        prev = None
        for k in range(1, len(names) + 1):
            idle, view = rows.get(f"idle-k{k}-r{r}"), rows.get(f"view-k{k}-r{r}")
            if not idle or not view:
                continue
            cur = (idle["kiosk_pct"], idle["rss_kb"] / 1024, view["kiosk_pct"], view["rss_kb"] / 1024)
            d = [f"{c - p:+6.1f}" for c, p in zip(cur, prev)] if prev and prev[4] == k - 1 \
                else ["", "", "", ""]
            print(f"r{r:<3} {', '.join(names[:k]):<26} {cur[0]:>8.1f} {d[0]:>6} {cur[1]:>8.1f} "
                  f"{d[1]:>6} {cur[2]:>6.1f} {d[2]:>6} {cur[3]:>6.1f} {d[3]:>6}")
            prev = cur + (k,)
EOF
echo "# raw results: $out (uptime.log: the load before each window)"
