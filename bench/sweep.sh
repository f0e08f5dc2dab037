#!/usr/bin/env bash
# Sweeps the number of concurrent viewers N against one or more MJPEG servers that this script
# starts itself, runs mjpeg-bench R times per point, writes the medians to CSV and plots them.
# Every run gets a freshly started server (so VmHWM, RSS and start-up state are per run) and the
# script only ever kills the PIDs it started.  See docs/benchmarks.md.
set -uo pipefail

usage() {
	cat <<'EOF'
Usage: bench/sweep.sh [options] [SERVER...]
SERVER is a preset or NAME=COMMAND (default: ustreamer kiosk kiosk-pattern; presets whose
binary is missing are skipped with a warning).  Presets:
  ustreamer          LD_PRELOAD=libfakecam.so ustreamer --device /dev/video0 -r 1280x720 -f 30
                     -q 80 --host 127.0.0.1 -p PORT  (viewers use /stream?extra_headers=1)
  ustreamer-nodelay  the same plus --tcp-nodelay
  kiosk              LD_PRELOAD=libfakecam.so mjpeg-kiosk --headless --source /dev/video0
                     --resolution 1280x720 --fps 30 --quality 80 --host 127.0.0.1
                     --port PORT --max-clients <largest N + 16>
  kiosk-pattern      mjpeg-kiosk --headless --source test ... (no camera, no fakecam)
NAME=COMMAND: a simple command (optionally led by VAR=value words) run as `exec env COMMAND`,
so the PID measured is the server itself; {PORT}, {BUILD} and {FAKECAM} are substituted.
Its stream path is $STREAM_PATH (default /stream).

Options (environment variable in brackets):
  -n "LIST"  viewer counts [NS]            default "1 10 50 100 200 400 800 1000"
  -t S       measured seconds per run [DURATION]    default 10
  -w S       warm-up seconds [WARMUP]               default 2
  -r R       runs per point, medians taken [RUNS]   default 3
  -b DIR     build dir with mjpeg-bench, libfakecam.so, mjpeg-kiosk [BUILD_DIR]
             default <repo>/build
  -o DIR     results dir [OUT]              default <build>/bench-results/<date-time>
  -p PORT    server port on 127.0.0.1 [PORT]           default 18090
  -h         this text
Also: SETTLE (seconds between port up and first viewer, default 1), BENCH_ARGS (extra
mjpeg-bench options), MJPEG_BENCH, FAKECAM_LIB, KIOSK_BIN (override the binaries).
Writes raw.csv (every run), summary.csv (medians per server and N, plus runs), summary-NAME.csv,
runs.log (bench tables), logs/ (server output) and *.png (bench/plot.gnuplot).
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ns=${NS:-"1 10 50 100 200 400 800 1000"}
duration=${DURATION:-10}
warmup=${WARMUP:-2}
runs=${RUNS:-3}
build=${BUILD_DIR:-$repo/build}
out=${OUT:-}
port=${PORT:-18090}
settle=${SETTLE:-1}

while getopts "n:t:w:r:b:o:p:h" opt; do
	case $opt in
	n) ns=$OPTARG ;;
	t) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	r) runs=$OPTARG ;;
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	p) port=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
servers=("$@")
((${#servers[@]})) || servers=(ustreamer kiosk kiosk-pattern)

die() { echo "sweep: $*" >&2; exit 2; }
warn() { echo "sweep: WARNING: $*" >&2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "runs must be a positive integer: $runs"
[[ $port =~ ^[0-9]+$ ]] || die "bad port: $port"
for n in $ns; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "bad viewer count: $n"; done
build=$(cd "$build" 2>/dev/null && pwd) || die "no build dir (use -b DIR or BUILD_DIR)"
bench=${MJPEG_BENCH:-$build/mjpeg-bench}
fakecam=${FAKECAM_LIB:-$build/libfakecam.so}
kiosk=${KIOSK_BIN:-$build/mjpeg-kiosk}
[[ -x $kiosk ]] || kiosk=$(find "$build" -maxdepth 3 -name mjpeg-kiosk -type f -perm -u+x 2>/dev/null | head -1)
kiosk=${kiosk:-$build/mjpeg-kiosk} # (not built yet: the kiosk presets are skipped)
[[ -x $bench ]] || die "no mjpeg-bench at $bench (cmake --build $build --target mjpeg-bench)"
out=${out:-$build/bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/logs" || die "cannot create $out"

# 1000 viewers need 1000+ descriptors in the bench and in the server (which inherits this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null
# shellcheck disable=SC2086 # the list is split on purpose
max_n=$(printf '%s\n' $ns | sort -n | tail -1)
(($(ulimit -n) > max_n + 100)) || warn "ulimit -n is $(ulimit -n): too low for $max_n viewers"

# --- server definitions ------------------------------------------------------------------------
# define NAME -> sets cmd, path and need (a file that must exist) or returns 1 if unknown.
define() {
	local res="-r 1280x720 -f 30 -q 80"
	# mjpeg-kiosk answers 503 beyond --max-clients (default 64) and listens on all addresses.
	local kargs="--resolution 1280x720 --fps 30 --quality 80 --host 127.0.0.1 --port {PORT}"
	kargs+=" --max-clients $((max_n + 16)) --max-clients-per-address 0"
	path=/stream need=""
	case $1 in
	ustreamer | ustreamer-nodelay)
		# ?extra_headers=1 adds X-UStreamer-Grab-Time: ustreamer's own X-Timestamp is stamped at
		# send time, so only the grab time gives capture-to-receipt latency (CPU cost: noise).
		cmd="LD_PRELOAD={FAKECAM} ustreamer --device /dev/video0 $res --host 127.0.0.1 -p {PORT}"
		[[ $1 == ustreamer-nodelay ]] && cmd+=" --tcp-nodelay"
		path="/stream?extra_headers=1" need="$fakecam"
		command -v ustreamer >/dev/null || need=/nonexistent/ustreamer
		;;
	kiosk)
		# offscreen: harmless if --headless never touches the GUI, and needed if it does.
		# --encoder cpu: YUYV from the camera encoded by us, as ustreamer does (its default -m YUYV),
		# so both encode the same frames; the default (auto) would pass the camera's MJPEG through.
		cmd="QT_QPA_PLATFORM=offscreen LD_PRELOAD={FAKECAM} {KIOSK} --headless --source /dev/video0 --encoder cpu $kargs"
		need="$fakecam $kiosk"
		;;
	kiosk-pattern)
		cmd="QT_QPA_PLATFORM=offscreen {KIOSK} --headless --source test $kargs"
		need="$kiosk"
		;;
	*=*)
		cmd=${1#*=} path=${STREAM_PATH:-/stream}
		;;
	*) return 1 ;;
	esac
	cmd=${cmd//\{PORT\}/$port}
	cmd=${cmd//\{BUILD\}/$build}
	cmd=${cmd//\{FAKECAM\}/$fakecam}
	cmd=${cmd//\{KIOSK\}/$kiosk}
}

# pick FILE COLUMN...: prints the named columns of a CSV (header + rows), space-aligned.
pick() {
	local file=$1
	shift
	awk -F, -v want="$*" 'NR == 1 { for (j = 1; j <= NF; j++) col[$j] = j; n = split(want, w, " ") }
		{ line = ""; for (i = 1; i <= n; i++) line = line sprintf("%-12s ", (w[i] in col) ? $col[w[i]] : "?"); print line }' "$file"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

server_pid=""
stop_server() {
	[[ -n $server_pid ]] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=""
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

# start_server NAME LOG: starts $cmd, waits for the port; sets server_pid.
start_server() {
	port_open && { warn "something already listens on 127.0.0.1:$port: not benchmarking it"; return 1; }
	bash -c "exec env $cmd" >"$2" 2>&1 &
	server_pid=$!
	for _ in $(seq 150); do
		port_open && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! kill -0 "$server_pid" 2>/dev/null || ! port_open; then
		warn "$1 did not come up on port $port; last lines of $2:"
		tail -5 "$2" >&2
		stop_server
		return 1
	fi
	sleep "$settle"
	local comm
	comm=$(cat "/proc/$server_pid/comm" 2>/dev/null)
	[[ $comm == env || $comm == bash ]] && warn "PID $server_pid is '$comm', not the server"
	return 0
}

# --- runs --------------------------------------------------------------------------------------
raw=$out/raw.csv
ran=()
echo "sweep: results in $out"
for spec in "${servers[@]}"; do
	name=${spec%%=*}
	[[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || die "bad server name '$name' (letters, digits, _ . -)"
	define "$spec" || die "unknown server '$spec' (preset or NAME=COMMAND)"
	missing=""
	for f in $need; do [[ -e $f ]] || missing+=" $f"; done
	if [[ -n $missing ]]; then
		warn "skipping $name: missing$missing"
		continue
	fi
	echo "sweep: $name: $cmd  (viewers: $path)"
	ran+=("$name")
	for n in $ns; do
		for r in $(seq "$runs"); do
			log=$out/logs/$name-n$n-r$r.log
			start_server "$name" "$log" || continue
			printf 'sweep: %-18s N=%-5s run %s/%s ... ' "$name" "$n" "$r" "$runs"
			# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
			"$bench" -n "$n" -t "$duration" --warmup "$warmup" --pid "$server_pid" --label "$name" \
				--csv "$raw" ${BENCH_ARGS:-} "http://127.0.0.1:$port$path" >>"$out/runs.log" 2>&1
			rc=$?
			pick "$raw" fps_median server_cpu_pct bench_cpu_pct | tail -1 |
				awk -v rc="$rc" '{ printf "fps median %s, server CPU %s%%, bench CPU %s%%%s\n", $1, $2, $3,
					rc == 0 ? "" : "  (mjpeg-bench exit " rc ", see runs.log)" }'
			stop_server
			sleep 1 # let the port and the fakecam device settle
		done
	done
done
((${#ran[@]})) || die "no server could be benchmarked"
[[ -s $raw ]] || die "no results"

# --- medians -----------------------------------------------------------------------------------
# summary.csv: one row per (label, viewers) in first-seen order; numeric columns are the median
# of the runs that have a value ("n/a" if none), text columns come from the last run.
awk -F, -v OFS=, '
function median(key, j,    n, i, k, v, t) {
	n = 0
	for (i = 1; i <= cnt[key]; i++) {
		v = val[key, i, j]
		if (v == "n/a" || v == "") continue
		a[++n] = v + 0
	}
	if (n == 0) return "n/a"
	for (i = 2; i <= n; i++) { t = a[i]; for (k = i - 1; k >= 1 && a[k] > t; k--) a[k + 1] = a[k]; a[k + 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
NR == 1 { ncol = NF; for (j = 1; j <= NF; j++) { name[j] = $j; col[$j] = j }; print $0, "runs"; next }
$1 == "timestamp" { next } # a repeated header
{
	key = $col["label"] SUBSEP $col["viewers"]
	if (!(key in cnt)) { order[++nkeys] = key; cnt[key] = 0 }
	cnt[key]++
	for (j = 1; j <= NF; j++) val[key, cnt[key], j] = $j
}
END {
	for (o = 1; o <= nkeys; o++) {
		key = order[o]; line = ""
		for (j = 1; j <= ncol; j++) {
			v = val[key, cnt[key], j]
			if (name[j] !~ /^(timestamp|label|url|recv_mode)$/) v = median(key, j)
			line = line (j > 1 ? OFS : "") v
		}
		print line, cnt[key]
	}
}' "$raw" >"$out/summary.csv"

for name in "${ran[@]}"; do
	awk -F, -v want="$name" 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "label") c = j; print; next }
		$c == want' "$out/summary.csv" >"$out/summary-$name.csv"
done

if command -v gnuplot >/dev/null; then
	gnuplot -e "resdir='$out'; servers='${ran[*]}'" "$here/plot.gnuplot" && echo "sweep: plots in $out/*.png"
else
	warn "gnuplot not installed: no plots"
fi
pick "$out/summary.csv" label viewers connected fps_min fps_median lat_p99_ms grab_p99_ms \
	server_cpu_pct server_top_thread_cpu_pct bench_cpu_pct server_rss_peak_kb framing_errors
echo "sweep: summary $out/summary.csv"
