"""GET /metrics: Prometheus text format that parses, and figures that follow a viewer."""
import contextlib
import json
import re
import socket
import threading
import time

from kiosk import check, http_get, kiosk_binary, processes, start_kiosk, wait_until

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
VALUE = r"[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|Inf)"
SAMPLE = re.compile(rf"^({NAME})(\{{{LABEL}(?:,{LABEL})*\}})? ({VALUE})$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse(text):
    """Checks the exposition format line by line; returns {(name, labels): value} and types."""
    samples, types, helps = {}, {}, set()
    check(text.endswith("\n"), "the exposition must end with a newline")
    for number, line in enumerate(text.splitlines(), 1):
        where = f"line {number}: {line!r}"
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            check(re.fullmatch(NAME, name) and name not in helps, f"bad or repeated HELP, {where}")
            helps.add(name)
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            check(len(parts) == 4 and parts[3] in TYPES and parts[2] not in types,
                  f"bad or repeated TYPE, {where}")
            types[parts[2]] = parts[3]
        elif line.startswith("#") or not line:
            continue
        else:
            m = SAMPLE.match(line)
            check(m, f"not a sample, {where}")
            name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
            check(name in types, f"sample before its TYPE line, {where}")
            check((name, labels) not in samples, f"repeated sample, {where}")
            if types[name] == "counter":
                check(name.endswith("_total") and value >= 0, f"bad counter, {where}")
            samples[(name, labels)] = value
    return samples, types


def metrics(port):
    status, headers, body = http_get(f"http://127.0.0.1:{port}/metrics")
    check(status == 200, f"/metrics answered {status}")
    check(headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"),
          f"Content-Type {headers.get('Content-Type')}")
    samples, _ = parse(body.decode("utf-8"))
    # One camera here: its series are named as a single-camera server's would be (the label
    # camera="main" dropped; a multi-camera scrape is tests/integration/tst_cameras).
    def single(labels):
        return labels.replace('{camera="main"}', "").replace('camera="main",', "")
    return {name + single(labels): value for (name, labels), value in samples.items()}


def main():
    binary = kiosk_binary()
    with processes() as running:
        app, port = start_kiosk(binary, "--quality", "61")
        running.append(app)
        m0 = wait_until(lambda: (lambda m: m if m["mjpeg_kiosk_frames_encoded_total"] > 0 else None)(
            metrics(port)), what="frames encoded")
        for name in ["viewers", "sent_bytes_total", "frames_captured_total", "frames_encoded_total",
                     "frames_sent_total", "source_online", "uptime_seconds", "streaming",
                     "connections_total"]:
            check("mjpeg_kiosk_" + name in m0, f"no mjpeg_kiosk_{name} in /metrics")
        for stage in ["encoder", "network", "viewer"]:
            check(f'mjpeg_kiosk_frames_dropped_total{{stage="{stage}"}}' in m0,
                  f"no dropped counter for the {stage}")
        check(m0["mjpeg_kiosk_viewers"] == 0, f"viewers before any: {m0['mjpeg_kiosk_viewers']}")
        check(m0["mjpeg_kiosk_source_online"] == 1, "the test pattern source is online")
        check(m0["mjpeg_kiosk_streaming"] == 1, "streaming is on")
        check(m0["mjpeg_kiosk_jpeg_quality"] == 61, "quality as given")
        check(m0["mjpeg_kiosk_uptime_seconds"] >= 0, "uptime")

        viewer = socket.create_connection(("127.0.0.1", port), timeout=10)
        viewer.sendall(b"GET /stream HTTP/1.1\r\nHost: test\r\n\r\n")
        received = 0
        deadline = time.monotonic() + 15
        while received < 20000 and time.monotonic() < deadline:
            received += len(viewer.recv(65536))
        check(received >= 20000, f"the viewer got only {received} bytes")

        def with_viewer():
            m = metrics(port)
            ok = (m["mjpeg_kiosk_viewers"] == 1
                  and m["mjpeg_kiosk_frames_sent_total"] >= 3
                  and m["mjpeg_kiosk_sent_bytes_total"] >= 20000)
            return m if ok else None

        m1 = wait_until(with_viewer, what="/metrics to count the viewer")
        # /status and /metrics tell the same story.
        status = json.loads(http_get(f"http://127.0.0.1:{port}/status")[2])
        check(status["client_count"] == 1, f"/status client_count {status['client_count']}")

        # While the viewer keeps reading, frames sent keep counting.
        reading = threading.Event()
        reading.set()

        def read_on():
            with contextlib.suppress(OSError):
                while reading.is_set() and viewer.recv(65536):
                    pass

        reader = threading.Thread(target=read_on, daemon=True)
        reader.start()
        sent1 = m1["mjpeg_kiosk_frames_sent_total"]
        wait_until(lambda: metrics(port)["mjpeg_kiosk_frames_sent_total"] >= sent1 + 2,
                   what="frames sent to go on counting")
        reading.clear()
        viewer.shutdown(socket.SHUT_RDWR)
        reader.join(5)
        viewer.close()

        def after_viewer():
            m = metrics(port)
            return m if m["mjpeg_kiosk_viewers"] == 0 else None

        m2 = wait_until(after_viewer, what="/metrics to see the viewer leave")
        for name in ["mjpeg_kiosk_sent_bytes_total", "mjpeg_kiosk_frames_sent_total",
                     "mjpeg_kiosk_frames_encoded_total", "mjpeg_kiosk_connections_total"]:
            check(m2[name] >= m1[name] >= m0[name], f"{name} went down: {m0[name]} {m1[name]} {m2[name]}")
        check(m2["mjpeg_kiosk_connections_total"] >= 3, "connections counted")
        print(f"metrics: {len(m2)} samples; viewer got {m2['mjpeg_kiosk_frames_sent_total']:.0f} frames, "
              f"{m2['mjpeg_kiosk_sent_bytes_total']:.0f} bytes")
        check(app.proc.poll() is None, "the app still runs")
    print("PASS")


if __name__ == "__main__":
    main()
