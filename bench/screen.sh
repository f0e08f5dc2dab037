#!/usr/bin/env bash
# The kiosk's screen under load: for each source (test pattern, fake YUYV and MJPEG camera),
# number of cameras (several: the grid of tiles, each its own camera of that kind), size, Qt
# Quick renderer, number of viewers (each camera's) and panels (info panel and controls shown, or slid
# away after the 15 s without a touch), runs the real app on a 1280x800 Xvfb screen and
# reports the distinct camera frames the live picture drew per second (counted where it is
# drawn: LivePicture::updatePaintNode, logged by KIOSK_FRAME_STATS), the window's frames per
# second, the process's CPU split by thread (/proc/PID/task/*/stat, the fake camera's own
# thread left out) and its RSS. Then the headless server on the YUYV camera with no viewer,
# side by side with ustreamer on its own fake camera. Kills only the processes it started.
# See docs/benchmarks.md.
set -uo pipefail

usage() {
	cat <<'EOF'
Usage: bench/screen.sh [options]
  -s "LIST"  sources [SOURCES]               default "test yuyv mjpeg"; also "file"
             (an H.264 clip made with ffmpeg, read by the OpenCV plugin)
  -r "LIST"  frame sizes [SIZES]             default "1280x720 1920x1080"
  -q "LIST"  renderers [RENDERERS]           default "software default"
  -n "LIST"  viewer counts [VIEWERS]         default "0 100" (per camera)
  -c "LIST"  camera counts [CAMERAS]         default "1"; N > 1: N cameras of the source's kind
             (fake cameras /dev/video0..N-1, or N test patterns) in the kiosk's grid, the
             frames shown given per tile (the slowest tile, and the mean)
  -p "LIST"  panels [PANELS]                 default "shown"; "shown hidden" for both
             (hidden: measured after the panels' idle time, 15 s, and their slide)
  -t S       measured seconds per run [DURATION]   default 10
  -w S       warm-up seconds [WARMUP]              default 3
  -b DIR     build dir (mjpeg-kiosk, mjpeg-bench, libfakecam.so) [BUILD_DIR]
  -o DIR     results dir [OUT]            default <build>/bench-results/screen-<date-time>
  -H         only the headless/ustreamer comparison
  -h         this text
Writes screen.csv, headless.csv, table.md (both tables in Markdown) and logs/.
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
sources=${SOURCES:-"test yuyv mjpeg"}
sizes=${SIZES:-"1280x720 1920x1080"}
renderers=${RENDERERS:-"software default"}
viewer_counts=${VIEWERS:-"0 100"}
camera_counts=${CAMERAS:-"1"}
panel_states=${PANELS:-"shown"}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
build=${BUILD_DIR:-$repo/build}
out=${OUT:-}
only_headless=0
while getopts "s:r:q:n:c:p:t:w:b:o:Hh" opt; do
	case $opt in
	s) sources=$OPTARG ;;
	r) sizes=$OPTARG ;;
	q) renderers=$OPTARG ;;
	n) viewer_counts=$OPTARG ;;
	c) camera_counts=$OPTARG ;;
	p) panel_states=$OPTARG ;;
	t) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	H) only_headless=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

die() { echo "screen: $*" >&2; exit 2; }
build=$(cd "$build" 2>/dev/null && pwd) || die "no build dir (use -b DIR)"
kiosk=$build/mjpeg-kiosk bench=$build/mjpeg-bench fakecam=$build/libfakecam.so
for f in "$kiosk" "$bench" "$fakecam"; do [[ -e $f ]] || die "missing $f (build the project with ../shared checked out)"; done
command -v Xvfb >/dev/null || die "Xvfb is not installed"
out=${out:-$build/bench-results/screen-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/logs" || die "cannot create $out"
config=$(mktemp -d) # no saved settings from the settings panel
ulimit -n "$(ulimit -Hn)" 2>/dev/null
ticks=$(getconf CLK_TCK)

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$config"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free display number for our own Xvfb.
display=94
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$out/logs/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done

# threads PID: "TID COMM TICKS" for every thread of PID.
threads() {
	local stat
	for stat in /proc/"$1"/task/*/stat; do
		# comm may hold blanks: everything after the last ") " is numeric.
		awk -v tid="${stat%/stat}" '{ s = $0; c = s; sub(/^[^(]*\(/, "", c); sub(/\) [^)]*$/, "", c)
			sub(/^.*\) /, "", s); split(s, f, " "); gsub(/ /, "_", c); sub(/.*\//, "", tid)
			print tid, c, f[12] + f[13] }' "$stat" 2>/dev/null
	done
}

# cpu_split BEFORE AFTER SECONDS: per thread name (numbers folded: net0, net1 -> net*), % of one
# core, largest first, fakecam left out; prints "total name=x name=y ...".
cpu_split() {
	local lines
	lines=$(awk -v secs="$3" -v hz="$ticks" 'NR == FNR { before[$1] = $3; next }
		{ name = $2; if (name ~ /[0-9]$/ && name !~ /^fakecam/) { sub(/[0-9]+$/, "*", name) }
		  if (name ~ /^fakecam/) next
		  d = $3 - (($1 in before) ? before[$1] : 0); cpu[name] += d; total += d }
		END { printf "total %.1f\n", 100 * total / hz / secs
		  for (n in cpu) printf "%s %.1f\n", n, 100 * cpu[n] / hz / secs }' "$1" "$2")
	printf '%s' "$(awk '$1 == "total" { print $2 }' <<<"$lines")"
	awk '$1 != "total" && $2 >= 0.5' <<<"$lines" | sort -k2,2 -rn | awk '{ printf " %s=%s", $1, $2 }'
}

rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' /proc/"$1"/status 2>/dev/null; }

# Ports from a random base, skipping any in use (other benchmarks may run on this machine).
port=$((20000 + RANDOM % 20000))
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port() {
	port=$((port + 1))
	while port_open "$port"; do port=$((port + 1)); done
}
wait_port() { for _ in $(seq 200); do port_open "$1" && return 0; sleep 0.1; done; return 1; }

# The panels slide away this long after the window opens (Theme.idleTimeout, then the slide).
panels_gone_s=16

# camera_args SPEC COUNT: the app's camera options into cam_args and the viewers' stream paths
# into cam_paths: one camera (--source SPEC, /stream), or COUNT cameras cam1..camCOUNT, each on a
# fake camera of its own (SPEC /dev/video0: /dev/video0..COUNT-1) or on SPEC.
camera_args() {
	local spec=$1 count=$2 k
	cam_args=() cam_paths=()
	if ((count <= 1)); then
		cam_args=(--source "$spec") cam_paths=(/stream)
		return
	fi
	for ((k = 0; k < count; k++)); do
		local each=$spec
		[[ $spec == /dev/video0 ]] && each=/dev/video$k
		cam_args+=(--camera "cam$((k + 1))=$each")
		cam_paths+=("/camera/cam$((k + 1))/stream")
	done
}

# shown_frames LOG COUNT: "frames-shown-per-second fewest-in-a-second" of the picture (one
# camera), or of the grid's tiles: the slowest tile's, with the mean of all ("29.8/30.0").
shown_frames() {
	local pattern='s/.*picture \(.*\) drew [0-9]* distinct frames in [0-9.]* s, \([0-9.]*\) per second; in whole seconds: fewest \([0-9]*\).*/\1 \2 \3/p'
	if (($2 <= 1)); then
		sed -n "$pattern" "$1" | tail -1 | awk '{ print $2, $3 }'
		return
	fi
	sed -n "$pattern" "$1" | awk '$1 ~ /^tilePicture-/ { n++; sum += $2
		if (min == "" || $2 < min) min = $2; if (few == "" || $3 < few) few = $3 }
		END { if (n) printf "%.1f/%.1f %d\n", min, sum / n, few }'
}

# run_gui SOURCE SIZE RENDERER VIEWERS PANELS CAMERAS
run_gui() {
	local source=$1 size=$2 renderer=$3 viewers=$4 panels=$5 cameras=${6:-1}
	local name=$source-$size-$renderer-$viewers-$panels
	((cameras > 1)) && name=$name-${cameras}cameras
	local log=$out/logs/$name.log
	local spec=/dev/video0 formats="" wait_s=$warmup
	[[ $panels == hidden ]] && wait_s=$((warmup + panels_gone_s))
	# The probe's window (warm-up, duration and 1 s) must end before the panels leave.
	((warmup + duration + 1 > panels_gone_s - 2)) && [[ $panels == shown ]] &&
		echo "screen: warning: -w + -t over $((panels_gone_s - 3)) s: the panels leave during the run" >&2
	case $source in
	test) spec=test ;;
	yuyv) formats=YUYV ;;
	mjpeg) formats=MJPEG ;;
	file)
		# A 30 fps H.264 file (OpenCV plugin: BGR frames), made once per size with ffmpeg.
		spec=$out/logs/clip-$size.mp4
		[[ -e $spec ]] || ffmpeg -loglevel error -f lavfi -i "testsrc2=size=$size:rate=30" -t 60 \
			-pix_fmt yuv420p -c:v libx264 -preset ultrafast "$spec" || return
		;;
	*) echo "screen: unknown source $source" >&2; return ;;
	esac
	camera_args "$spec" "$cameras"
	next_port
	(
		export DISPLAY=:$display XDG_CONFIG_HOME=$config QT_IM_MODULE=
		# The probe's window outlasts ours, so that the process is still there at our end.
		export KIOSK_FRAME_STATS=$((duration + 1)) KIOSK_FRAME_STATS_AFTER=$wait_s
		[[ $renderer == software ]] && export QT_QUICK_BACKEND=software
		[[ -n $formats ]] && export LD_PRELOAD=$fakecam FAKECAM_FORMATS=$formats FAKECAM_DEVICES=$cameras
		exec "$kiosk" --kiosk "${cam_args[@]}" --resolution "$size" --fps 30 --host 127.0.0.1 \
			--port "$port" --max-clients $((200 * cameras)) --max-clients-per-address 0
	) >"$log" 2>&1 &
	local pid=$!
	pids+=($pid)
	wait_port "$port" || { echo "screen: $name did not come up (see $log)" >&2; return; }
	local bench_pids=() path
	if ((viewers > 0)); then
		for path in "${cam_paths[@]}"; do
			"$bench" -n "$viewers" -t $((duration + wait_s)) --warmup 0 \
				"http://127.0.0.1:$port$path" >"$out/logs/$name${path//\//_}.bench" 2>&1 &
			bench_pids+=($!)
			pids+=($!)
		done
	fi
	# The probe's window opens $warmup s after the window; the port opens just before it.
	sleep "$wait_s"
	threads "$pid" >"$out/logs/$name.t0"
	sleep "$duration"
	local rss
	rss=$(rss_mib "$pid")
	threads "$pid" >"$out/logs/$name.t1"
	wait "$pid" # the probe quits the app when its window ends
	((${#bench_pids[@]})) && { kill -TERM "${bench_pids[@]}" 2>/dev/null; wait "${bench_pids[@]}" 2>/dev/null; }
	local split total threads_text window
	split=$(cpu_split "$out/logs/$name.t0" "$out/logs/$name.t1" "$duration")
	total=${split%% *} threads_text=${split#* }
	window=$(sed -n 's/.*ms, \([0-9.]*\) frames\/s.*/\1/p' "$log" | tail -1)
	# Frames that drew no new camera frame (graphs, texts, animations on their own), per second.
	local extra
	extra=$(sed -n 's/.*frames\/s; \([0-9]*\) frames without a new camera picture.*/\1/p' "$log" | tail -1)
	[[ -n $extra ]] && extra=$(awk -v n="$extra" -v s=$((duration + 1)) 'BEGIN { printf "%.1f", n / s }')
	local shown fewest
	read -r shown fewest < <(shown_frames "$log" "$cameras")
	((cameras > 1)) && source="$cameras x $source"
	echo "$source,$size,$renderer,$viewers,$panels,${shown:-?},${fewest:-?},${window:-?},${extra:-?},$total,$rss,\"$threads_text\"" >>"$out/screen.csv"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$source" "$size" "$renderer" "$viewers" "$panels" \
		"${shown:-?}" "${fewest:-?}" "${window:-?}" "${extra:-?}" "$total" "$rss" "$threads_text" | tee -a "$out/screen.md"
}

# run_headless SIZE: mjpeg-kiosk --headless and ustreamer at once, each on its own fake YUYV camera.
run_headless() {
	local size=$1 w=${1%x*} h=${1#*x}
	local kport uport
	next_port
	kport=$port
	next_port
	uport=$port
	(
		export QT_QPA_PLATFORM=offscreen LD_PRELOAD=$fakecam FAKECAM_FORMATS=YUYV
		exec "$kiosk" --headless --source /dev/video0 --resolution "$size" --fps 30 \
			--host 127.0.0.1 --port "$kport"
	) >"$out/logs/headless-$size.log" 2>&1 &
	local kpid=$!
	pids+=($kpid)
	local upid=""
	if command -v ustreamer >/dev/null; then
		(
			export LD_PRELOAD=$fakecam FAKECAM_FORMATS=YUYV FAKECAM_WIDTH=$w FAKECAM_HEIGHT=$h
			exec ustreamer --device /dev/video0 -r "$size" -f 30 -q 80 --host 127.0.0.1 -p "$uport"
		) >"$out/logs/ustreamer-$size.log" 2>&1 &
		upid=$!
		pids+=($upid)
	fi
	wait_port "$kport"
	[[ -n $upid ]] && wait_port "$uport"
	sleep "$warmup"
	threads "$kpid" >"$out/logs/headless-$size.t0"
	[[ -n $upid ]] && threads "$upid" >"$out/logs/ustreamer-$size.t0"
	sleep "$duration"
	threads "$kpid" >"$out/logs/headless-$size.t1"
	[[ -n $upid ]] && threads "$upid" >"$out/logs/ustreamer-$size.t1"
	local krss urss="" ksplit usplit="?"
	krss=$(rss_mib "$kpid")
	ksplit=$(cpu_split "$out/logs/headless-$size.t0" "$out/logs/headless-$size.t1" "$duration")
	if [[ -n $upid ]]; then
		urss=$(rss_mib "$upid")
		usplit=$(cpu_split "$out/logs/ustreamer-$size.t0" "$out/logs/ustreamer-$size.t1" "$duration")
	fi
	kill -TERM "$kpid" ${upid:+"$upid"} 2>/dev/null
	wait "$kpid" ${upid:+"$upid"} 2>/dev/null
	for row in "mjpeg-kiosk --headless|$ksplit|$krss" "ustreamer|$usplit|$urss"; do
		IFS='|' read -r who split rss <<<"$row"
		echo "$who,$size,${split%% *},$rss,\"${split#* }\"" >>"$out/headless.csv"
		printf '| %s | %s | %s | %s | %s |\n' "$who" "$size" "${split%% *}" "$rss" "${split#* }" | tee -a "$out/headless.md"
	done
}

echo "# load: $(uptime)" | tee "$out/uptime.txt"
if ((!only_headless)); then
	echo "source,size,renderer,viewers,panels,shown_fps,fewest_in_a_second,window_fps,window_fps_without_picture,cpu_percent,rss_mib,threads" >"$out/screen.csv"
	{
		echo "| source | frame | renderer | viewers | panels | camera frames shown/s | fewest in a second | window frames/s | of them without a new camera frame /s | CPU % (one core) | RSS MiB | CPU by thread (%) |"
		echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	} | tee "$out/screen.md"
	for source in $sources; do
		for size in $sizes; do
			for renderer in $renderers; do
				for viewers in $viewer_counts; do
					for panels in $panel_states; do
						for cameras in $camera_counts; do
							run_gui "$source" "$size" "$renderer" "$viewers" "$panels" "$cameras"
						done
					done
				done
			done
		done
	done
fi
echo "server,size,cpu_percent,rss_mib,threads" >"$out/headless.csv"
{
	echo
	echo "| YUYV camera, 30 fps, no viewer | frame | CPU % (one core) | RSS MiB | CPU by thread (%) |"
	echo "| --- | --- | --- | --- | --- |"
} | tee "$out/headless.md"
for size in $sizes; do run_headless "$size"; done
echo "# load after: $(uptime)" | tee -a "$out/uptime.txt"
cat "$out/uptime.txt" "$out/screen.md" "$out/headless.md" 2>/dev/null >"$out/table.md"
echo "results: $out"
