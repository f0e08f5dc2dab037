"""Shared pieces of the deploy tests: run mjpeg-kiosk and other servers on 127.0.0.1, talk
HTTP to them, and make sure every process started is gone when a test ends."""
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SKIP = 77  # ctest SKIP_RETURN_CODE


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def need(*tools):
    for tool in tools:
        if not shutil.which(tool) and not os.path.exists(tool):
            skip(f"'{tool}' is not installed (deploy/install-deps.sh installs it)")


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Process:
    """A child in its own process group, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, args, env=None, name=None, **kwargs):
        self.name = name or os.path.basename(args[0])
        self.lines = []
        self._cond = threading.Condition()
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, env=full_env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, errors="replace", start_new_session=True,
                                     **kwargs)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, pattern, timeout=20):
        """Returns the first match of `pattern` in the output, waiting up to `timeout` s."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    m = regex.search(line)
                    if m:
                        return m
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"{self.name} exited ({self.proc.returncode}) before "
                                         f"'{pattern}':\n" + self.output())
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: no '{pattern}' within {timeout} s:\n"
                                         + self.output())
                self._cond.wait(min(left, 0.2))

    def output(self):
        with self._cond:
            return "\n".join(self.lines[-60:])

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        else:
            # The group may hold children the leader left behind.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._reader.join(5)
        return self.proc.returncode


def kiosk_binary():
    path = os.environ.get("KIOSK_BINARY") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not path or not os.access(path, os.X_OK):
        raise SystemExit(f"mjpeg-kiosk binary not found: '{path}'")
    return path


def start_kiosk(binary, *args, env=None, config=""):
    """Starts mjpeg-kiosk headless on 127.0.0.1 and a free port (unless args say otherwise);
    returns (process, port). `config` is the --config argument: '' reads no file, so a
    /etc/mjpeg-kiosk.conf on this machine cannot change what a test sees."""
    argv = [binary, "--headless", "--config", config]
    if "--host" not in args:
        argv += ["--host", "127.0.0.1"]
    if "--port" not in args:
        argv += ["--port", "0"]
    if "--resolution" not in args:
        argv += ["--resolution", "320x240"]
    if "--fps" not in args:
        argv += ["--fps", "10"]
    full_env = {"QT_QPA_PLATFORM": "offscreen"}
    full_env.update(env or {})
    p = Process(argv + list(args), env=full_env, name="mjpeg-kiosk")
    port = int(p.wait_for(r"listening on .* port (\d+)").group(1))
    return p, port


def http_get(url, timeout=10, headers=None, context=None):
    """(status, headers, body) of a GET; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_until(predicate, timeout=20, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


@contextlib.contextmanager
def processes():
    """Collects processes; stops all of them, last started first, whatever happens."""
    started = []
    try:
        yield started
    finally:
        for p in reversed(started):
            p.stop()


def tempdir(prefix):
    return tempfile.TemporaryDirectory(prefix=f"mjpeg-kiosk-{prefix}-")


def check(condition, message):
    if not condition:
        raise AssertionError(message)
