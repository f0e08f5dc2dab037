#!/usr/bin/env bash
# Self-test of mjpeg-bench's strict multipart parser: a tiny python3 server (python3 is part of a
# standard Debian 12 install) serves good and deliberately broken MJPEG streams on 127.0.0.1, and
# every case must give the expected verdict.  Exit 0 only if all pass.
#   bench/selftest.sh [path/to/mjpeg-bench]      (default: $MJPEG_BENCH or <repo>/build/mjpeg-bench)
# Runs ~40 s, 3 viewers per case; the server stops by itself after 300 s at the latest.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-${MJPEG_BENCH:-$here/../build/mjpeg-bench}}
[[ -x $bench ]] || { echo "selftest: no mjpeg-bench at $bench (build it, or pass its path)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "selftest: python3 is needed" >&2; exit 2; }

work=$(mktemp -d /tmp/mjpeg-bench-selftest.XXXXXX)
server_pid=""
cleanup() {
	[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/server.py" <<'EOF'
# Serves /CASE as an MJPEG stream at ~30 fps; see CASES.  Prints its port, then serves.
import os, random, socket, socketserver, sys, threading, time

def jpeg(size):
    # Only the first/last two bytes matter to the bench; FF D9 inside the body must not confuse it.
    return b"\xff\xd8" + os.urandom(size - 4).replace(b"\r\n--", b"\r\n-x") + b"\xff\xd9"

def head(ctype, status="200 OK", extra=""):
    return f"HTTP/1.0 {status}\r\nCache-Control: no-cache\r\n{extra}Content-Type: {ctype}\r\n\r\n".encode()

MJ = "multipart/x-mixed-replace;boundary=frame"

def part(body, delim=b"--frame", length=None, ts=True, eol=b"\r\n", trailer=b"\r\n"):
    h = [delim, b"Content-Type: image/jpeg", b"Content-Length: %d" % (len(body) if length is None else length)]
    if ts:
        h.append(b"X-Timestamp: %.6f" % time.time())
    return eol.join(h) + eol + eol + body + trailer

# case -> (response head, function(frame_number) -> bytes of one part)
CASES = {
    "good": (head(MJ), lambda i: part(jpeg(random.randint(2000, 60000)))),
    "good-big": (head(MJ), lambda i: part(jpeg(300000))),  # > one 256 KiB read
    # quoted boundary with a space, value already starting with "--", used as-is; extra CRLFs
    "good-quoted": (head('multipart/x-mixed-replace; boundary="--myb"'),
                    lambda i: part(jpeg(30000), delim=b"--myb", ts=False, trailer=b"\r\n\r\n\r\n")),
    # boundary "--myb" used RFC-style, i.e. delimiter "----myb"; HTTP/1.1 response
    "good-dashes": (head("multipart/x-mixed-replace;boundary=--myb", status="200 OK").replace(b"HTTP/1.0", b"HTTP/1.1"),
                    lambda i: part(jpeg(30000), delim=b"----myb")),
    "length-long": (head(MJ), lambda i: part(jpeg(30000), length=None if i < 3 else 30001)),
    "length-short": (head(MJ), lambda i: part(jpeg(30000), length=None if i < 3 else 29999)),
    "no-length": (head(MJ), lambda i: part(jpeg(30000)) if i < 3 else
                  b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + jpeg(30000) + b"\r\n"),
    "not-jpeg": (head(MJ), lambda i: part(jpeg(30000) if i < 3 else b"\x00" + jpeg(30000)[1:])),
    "garbage": (head(MJ), lambda i: part(jpeg(30000)) + (b"junk\r\n" if i == 3 else b"")),
    "no-crlf-after-jpeg": (head(MJ), lambda i: part(jpeg(30000), trailer=b"\r\n" if i < 3 else b"")),
    "bare-lf": (head(MJ), lambda i: part(jpeg(30000), eol=b"\r\n" if i < 3 else b"\n")),
    "bad-timestamp": (head(MJ), lambda i: part(jpeg(30000)).replace(b"X-Timestamp: ", b"X-Timestamp: x") if i == 3
                      else part(jpeg(30000))),
    "no-boundary": (head("multipart/x-mixed-replace"), lambda i: part(jpeg(30000))),
    "not-multipart": (head("image/jpeg"), lambda i: part(jpeg(30000))),
    "chunked": (head(MJ, extra="Transfer-Encoding: chunked\r\n"), lambda i: part(jpeg(30000))),
    "status-404": (head("text/plain", status="404 Not Found"), lambda i: b""),
}

class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        req = b""
        while b"\r\n\r\n" not in req:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            req += chunk
        case = req.split(b" ")[1].decode().lstrip("/")
        response, make_part = CASES.get(case, CASES["status-404"])
        try:
            self.request.sendall(response)
            if case == "status-404":
                return
            for i in range(30 * 20):  # at most 20 s per connection
                self.request.sendall(make_part(i))
                time.sleep(1 / 30)
        except OSError:
            pass

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
threading.Timer(300, srv.shutdown).start()  # never outlive a forgotten run
srv.serve_forever()
EOF

python3 "$work/server.py" >"$work/port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
port=$(head -1 "$work/port")
[[ -n $port ]] || { echo "selftest: test server did not start" >&2; cat "$work/server.log" >&2; exit 2; }

passed=0 failed=0
verdict() { # verdict OK DESCRIPTION
	if [[ $1 == 0 ]]; then
		echo "PASS: $2"; passed=$((passed + 1))
	else
		echo "FAIL: $2"; failed=$((failed + 1))
	fi
}

# run CASE WANT_EXIT CONDITION [bench options...]: CONDITION is a python expression over the
# JSON result d, e.g. "d['framing_errors'] == 3".
run() {
	local case=$1 want_exit=$2 cond=$3
	shift 3
	local out rc
	out=$("$bench" -n 3 -t 1 --warmup 0.3 --json "$@" "http://127.0.0.1:$port/$case" 2>"$work/err")
	rc=$?
	local ok
	ok=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(1 if ($cond) else 0)" "$out" 2>/dev/null)
	[[ $rc == "$want_exit" && $ok == 1 ]]
	verdict $? "$case $* (exit $rc, want $want_exit; $cond) $(head -1 "$work/err")"
	[[ $rc == "$want_exit" && $ok == 1 ]] || echo "      result: $out"
}

good="d['framing_errors'] == 0 and d['connected'] == 3 and d['fps_min'] >= 20 and d['disconnects'] == 0"
run good 0 "$good and d['lat_p99_ms'] is not None and 0 <= d['lat_p50_ms'] < 50"
run good 0 "$good" --recv-mode discard --threads 1
run good-big 0 "$good and d['avg_frame_kb'] > 290"
run good-big 0 "$good" --recv-mode discard
run good-quoted 0 "$good and d['lat_p50_ms'] is None"
run good-dashes 0 "$good"
for bad in length-long length-short no-length not-jpeg garbage no-crlf-after-jpeg bare-lf \
	bad-timestamp no-boundary not-multipart chunked; do
	run "$bad" 1 "d['framing_errors'] == 3"
done
run length-long 1 "d['framing_errors'] == 3" --recv-mode discard
run status-404 1 "d['http_errors'] == 3 and d['connected'] == 0 and d['framing_errors'] == 0"

# Connection refused: a port nothing listens on (the test server's port + 1 is unlikely in use).
out=$("$bench" -n 2 -t 0.5 --warmup 0 --json "http://127.0.0.1:$((port == 65535 ? 1 : port + 1))/x" 2>/dev/null)
rc=$?
ok=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(1 if d['connect_failed'] == 2 else 0)" "$out")
[[ $rc == 1 && $ok == 1 ]]
verdict $? "connection refused counts as connect failure (exit $rc)"

# Command line strictness: exit 2 with a message.
for args in "--bogus http://127.0.0.1:1/" "-n 0 http://127.0.0.1:1/" "-n x http://127.0.0.1:1/" \
	"--duration http://127.0.0.1:1/" "--recv-mode zap http://127.0.0.1:1/" "https://127.0.0.1/" \
	"" "http://127.0.0.1:1/ http://127.0.0.1:2/" "--json=1 http://127.0.0.1:1/"; do
	# shellcheck disable=SC2086 # word splitting of the argument list is intended
	"$bench" $args >/dev/null 2>"$work/err"
	rc=$?
	[[ $rc == 2 && -s $work/err ]]
	verdict $? "bad usage '$args' -> exit $rc: $(head -1 "$work/err")"
done
"$bench" --help >/dev/null
verdict $? "--help exits 0"

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
