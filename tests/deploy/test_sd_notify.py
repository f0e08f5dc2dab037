"""sd_notify: under systemd (NOTIFY_SOCKET set) the app reports READY=1 once it serves, pings
WATCHDOG=1 at half of WATCHDOG_USEC, and STOPPING=1 on SIGTERM. Also as the child of a
compositor (cage) that is the unit's main process: WATCHDOG_PID is then the parent's."""
import os
import socket
import time

from kiosk import check, http_get, kiosk_binary, processes, start_kiosk, tempdir


def receive(sock, until, timeout=20):
    """Datagrams received until `until(messages)` holds."""
    messages = []
    deadline = time.monotonic() + timeout
    while not until(messages):
        left = deadline - time.monotonic()
        check(left > 0, f"timed out; got {messages}")
        sock.settimeout(left)
        try:
            messages.append(sock.recv(4096).decode())
        except socket.timeout:
            pass
    return messages


def run(binary, directory, env):
    path = os.path.join(directory, "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock, processes() as running:
        sock.bind(path)
        app, port = start_kiosk(binary, env=dict(env, NOTIFY_SOCKET=path))
        running.append(app)
        got = receive(sock, lambda m: any("READY=1" in x for x in m)
                      and sum("WATCHDOG=1" in x for x in m) >= 3)
        ready = next(x for x in got if "READY=1" in x)
        check(f":{port}/stream" in ready, f"READY carries a STATUS with the URL: {ready!r}")
        # Ready means serving.
        check(http_get(f"http://127.0.0.1:{port}/status")[0] == 200, "/status after READY")
        app.stop()
        check(app.proc.returncode == 0, f"clean exit on SIGTERM, got {app.proc.returncode}")
        stopping = receive(sock, lambda m: any("STOPPING=1" in x for x in m), timeout=5)
        print(f"received: {[x.splitlines()[0] for x in got]} then {stopping}")
        os.unlink(path)


def main():
    binary = kiosk_binary()
    with tempdir("notify") as directory:
        # systemd's own way: WATCHDOG_PID is not set or is ours (unknown before the start).
        run(binary, directory, {"WATCHDOG_USEC": "400000"})
        # cage as the main process: WATCHDOG_PID is our parent's, this test's.
        run(binary, directory, {"WATCHDOG_USEC": "400000", "WATCHDOG_PID": str(os.getpid())})
    print("PASS")


if __name__ == "__main__":
    main()
