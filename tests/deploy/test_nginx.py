"""Behind nginx (deploy/nginx/mjpeg-kiosk.conf as shipped, with test paths and ports): TLS with
a throwaway self-signed certificate, Basic auth enforced (401 without credentials), ffmpeg
decodes the endless stream through it, and with --trusted-proxy the app lists the viewer's
address from X-Forwarded-For, not nginx's."""
import base64
import http.client
import json
import os
import socket
import ssl
import subprocess
import time

import nginxrun
from kiosk import (check, free_port, http_get, kiosk_binary, need, processes, start_kiosk,
                   tempdir, wait_until)

WIDTH, HEIGHT, FRAMES = 320, 240, 5


def main():
    need("nginx", "openssl", "ffmpeg")
    binary = kiosk_binary()
    source_dir = os.environ["KIOSK_SOURCE_DIR"]
    with tempdir("nginx") as d, processes() as running:
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
        hashed = subprocess.run(["openssl", "passwd", "-6", "s3cret"], check=True,
                                capture_output=True, text=True, timeout=30).stdout.strip()
        htpasswd = os.path.join(d, "htpasswd")
        with open(htpasswd, "w") as f:
            f.write(f"viewer:{hashed}\n")

        app, app_port = start_kiosk(binary, "--trusted-proxy", "127.0.0.1",
                                    "--resolution", f"{WIDTH}x{HEIGHT}")
        running.append(app)
        http_port, https_port = free_port(), free_port()
        site = nginxrun.render(os.path.join(source_dir, "deploy", "nginx", "mjpeg-kiosk.conf"), {
            "server 127.0.0.1:8080;": f"server 127.0.0.1:{app_port};",
            "    listen [::]:80;\n": "",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "    listen [::]:443 ssl http2;\n": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "/etc/ssl/certs/mjpeg-kiosk.pem": cert,
            "/etc/ssl/private/mjpeg-kiosk.key": key,
            "/etc/nginx/mjpeg-kiosk.htpasswd": htpasswd,
        })
        nginx = nginxrun.start(d, site)
        running.append(nginx)
        nginxrun.wait_for_port(https_port, nginx)

        base = f"https://127.0.0.1:{https_port}"
        tls = ssl.create_default_context(cafile=cert)  # verified against the throwaway cert
        good = {"Authorization": "Basic " + base64.b64encode(b"viewer:s3cret").decode()}
        bad = {"Authorization": "Basic " + base64.b64encode(b"viewer:wrong").decode()}
        for path in ["/", "/status", "/stream", "/snapshot", "/metrics"]:
            status, headers, _ = http_get(base + path, context=tls)
            check(status == 401 and "Basic" in headers.get("WWW-Authenticate", ""),
                  f"{path} without credentials: {status}")
        check(http_get(base + "/status", headers=bad, context=tls)[0] == 401, "wrong password: 401")
        status, _, body = http_get(base + "/status", headers=good, context=tls)
        check(status == 200 and json.loads(body)["streaming"] is True, f"/status with credentials: {status}")
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/stream")
        answer = plain.getresponse()
        check(answer.status == 301 and answer.getheader("Location", "").startswith("https://"),
              f"plain http is sent to https: {answer.status} {answer.getheader('Location')}")
        plain.close()

        # ffmpeg decodes frames of the never-ending stream, over TLS, checking the certificate.
        ffmpeg = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-tls_verify", "1",
                  "-ca_file", cert]
        r = subprocess.run(ffmpeg + ["-i", f"https://viewer:s3cret@127.0.0.1:{https_port}/stream",
                                     "-frames:v", str(FRAMES), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                           capture_output=True, timeout=45)
        check(r.returncode == 0, f"ffmpeg through nginx failed: {r.stderr.decode(errors='replace')}")
        check(len(r.stdout) == FRAMES * WIDTH * HEIGHT,
              f"ffmpeg decoded {len(r.stdout)} bytes, expected {FRAMES} frames of {WIDTH}x{HEIGHT}")
        r = subprocess.run(ffmpeg + ["-i", f"https://127.0.0.1:{https_port}/stream",
                                     "-frames:v", "1", "-f", "null", "-"], capture_output=True, timeout=45)
        check(r.returncode != 0 and b"401" in r.stderr,
              f"ffmpeg without credentials is refused with 401: {r.returncode} {r.stderr[-300:]}")

        # A viewer from 127.0.0.2: nginx connects to the app from 127.0.0.1 and says who it is.
        raw = socket.create_connection(("127.0.0.1", https_port), timeout=10,
                                       source_address=("127.0.0.2", 0))
        viewer = tls.wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            viewer.sendall(f"GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                           f"{good['Authorization']}\r\n\r\n".encode())
            head = viewer.recv(65536)
            check(head.startswith(b"HTTP/1.1 200") and b"multipart/x-mixed-replace" in head,
                  f"stream through nginx: {head[:200]}")

            def listed():
                body = http_get(f"http://127.0.0.1:{app_port}/status")[2]
                return [c["address"] for c in json.loads(body)["clients"]]

            # Earlier viewers (ffmpeg's, from 127.0.0.1) may linger for a moment until nginx
            # notices they left and /status refreshes: wait for the list to settle.
            seen = []

            def settled():
                seen[:] = listed()
                return seen == ["127.0.0.2"] or None

            try:
                wait_until(settled, what="the viewer 127.0.0.2 alone in /status")
            except AssertionError:
                pass
            check(seen == ["127.0.0.2"], f"the app lists the viewer, not nginx: {seen}")
        finally:
            viewer.close()
        print(f"nginx https:{https_port} -> app:{app_port}: auth enforced, ffmpeg decoded "
              f"{FRAMES} frames, viewer listed as {seen[0]}")
    print("PASS")


if __name__ == "__main__":
    main()
