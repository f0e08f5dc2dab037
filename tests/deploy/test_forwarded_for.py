"""--trusted-proxy: X-Forwarded-For names the viewer only when the peer is that proxy."""
import json
import socket
import subprocess
import time

from kiosk import check, http_get, kiosk_binary, processes, start_kiosk, wait_until

FORWARDED = "198.51.100.7, 203.0.113.9"  # the last entry is the one the proxy vouches for


def viewer_address(proxy_args, binary, forwarded=FORWARDED):
    with processes() as running:
        app, port = start_kiosk(binary, *proxy_args)
        running.append(app)
        wait_until(lambda: http_get(f"http://127.0.0.1:{port}/snapshot")[0] == 200, what="a frame")
        viewer = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            viewer.sendall(f"GET /stream HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: {forwarded}\r\n\r\n"
                           .encode())
            check(viewer.recv(65536).startswith(b"HTTP/1.1 200"), "the stream starts")

            def one_client():
                status = json.loads(http_get(f"http://127.0.0.1:{port}/status")[2])
                return status["clients"] if status["client_count"] == 1 else None

            clients = wait_until(one_client, what="the viewer in /status")
            return clients[0]["address"], clients[0]["port"]
        finally:
            viewer.close()


def main():
    binary = kiosk_binary()
    got = viewer_address(["--trusted-proxy", "127.0.0.1"], binary)
    check(got == ("203.0.113.9", 0), f"behind the trusted proxy the viewer is 203.0.113.9, not {got}")
    got = viewer_address(["--trusted-proxy", "127.0.0.1"], binary, forwarded="unknown")
    check(got[0] == "127.0.0.1" and got[1] > 0, f"a header naming no address is ignored: {got}")
    got = viewer_address([], binary)
    check(got[0] == "127.0.0.1", f"without --trusted-proxy the header is ignored, got {got}")
    got = viewer_address(["--trusted-proxy", "127.0.0.9"], binary)
    check(got[0] == "127.0.0.1", f"from another peer than the proxy the header is ignored, got {got}")
    bad = subprocess.run([binary, "--config", "", "--headless", "--trusted-proxy", "proxy.lan"],
                         capture_output=True, text=True, timeout=20)
    check(bad.returncode == 2 and "trusted-proxy" in bad.stderr,
          f"a bad --trusted-proxy is refused: {bad.returncode} {bad.stderr}")
    print("PASS")


if __name__ == "__main__":
    main()
