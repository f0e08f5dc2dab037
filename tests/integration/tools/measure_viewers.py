#!/usr/bin/env python3
"""Delivered frame rate and server CPU for N viewers, on 127.0.0.1 only, for a bounded time.

Usage: python3 measure_viewers.py VIEWERS SECONDS [APP]   (APP defaults to build/mjpeg-kiosk)

Starts the app headless on the test pattern (1280x720 @ 30 fps, quality 80, port 0), connects
VIEWERS /stream readers from this one process (select(), no decoding, so the readers cost little
CPU), warms up 2 s, then over SECONDS counts the parts each viewer receives and the server's
utime+stime from /proc/PID/stat. Not a test: the numbers depend on the machine and its load.
"""
import os, re, select, socket, subprocess, sys, time, json, urllib.request
viewers, seconds = int(sys.argv[1]), float(sys.argv[2])
app = sys.argv[3] if len(sys.argv) > 3 else "build/mjpeg-kiosk"
p = subprocess.Popen([app, "--headless", "--source", "test", "--resolution", "1280x720", "--fps", "30",
                      "--quality", "80", "--host", "127.0.0.1", "--port", "0"],
                     stderr=subprocess.PIPE, text=True)
port = None
while port is None:
    m = re.search(r"listening on \S+ port (\d+)", p.stderr.readline())
    if m: port = int(m.group(1))
time.sleep(2)
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
def status():
    return json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/status"))
socks = []
for _ in range(viewers):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
    s.setblocking(False); socks.append(s)
counts = {s: 0 for s in socks}; tails = {s: b"" for s in socks}
marker = b"--mjpegkiosk\r\n"
def pump(until):
    while time.time() < until:
        r, _, _ = select.select(socks, [], [], 0.1)
        for s in r:
            d = s.recv(1 << 20)
            buf = tails[s] + d
            counts[s] += buf.count(marker) - tails[s].count(marker)
            tails[s] = buf[-len(marker):]
pump(time.time() + 2)  # warm up
c0 = {s: counts[s] for s in socks}; st0 = status(); cpu0 = cpu(); t0 = time.time()
pump(t0 + seconds)
c1 = {s: counts[s] for s in socks}; st1 = status(); cpu1 = cpu(); t1 = time.time()
hz = os.sysconf("SC_CLK_TCK")
fps = [(c1[s] - c0[s]) / (t1 - t0) for s in socks]
pub = (st1["output"]["frames_published"] - st0["output"]["frames_published"]) / (t1 - t0)
cap = (st1["output"]["frames_captured"] - st0["output"]["frames_captured"]) / (t1 - t0)
sent = st1["output"]["bytes_total"] - st0["output"]["bytes_total"]
parts = sum(c1[s] - c0[s] for s in socks)
per_part = sent / max(parts, 1)
drop = sum(c["frames_dropped"] for c in st1["clients"])
print(f"viewers={viewers} window={t1-t0:.1f}s captured={cap:.1f}/s published={pub:.1f}/s "
      f"delivered per viewer min={min(fps):.1f} avg={sum(fps)/len(fps):.1f} max={max(fps):.1f} fps "
      f"server CPU={100*(cpu1-cpu0)/hz/(t1-t0):.1f}% (of one core) encode_ms={st1['output']['encode_ms']} "
      f"part~{per_part/1024:.0f}KiB dropped_total={drop} "
      f"load={open('/proc/loadavg').read().split()[0]}")
for s in socks: s.close()
p.terminate(); p.wait()
