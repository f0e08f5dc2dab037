"""A private nginx for tests: its own prefix, config, pid, logs and temp dirs in a temp dir,
on loopback ports; a site file from deploy/ rendered with the test's paths and ports."""
import os
import socket
import subprocess
import time

from kiosk import Process, check


def render(path, replacements):
    """The shipped file with exact strings replaced; each one must be there, so the test
    follows the file rather than silently testing something else."""
    text = open(path).read()
    for old, new in replacements.items():
        check(old in text, f"{os.path.basename(path)} no longer contains {old!r}: update the test")
        text = text.replace(old, new)
    return text


def start(directory, site_text):
    for sub in ["body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"]:
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    with open(os.path.join(directory, "site.conf"), "w") as f:
        f.write(site_text)
    # As root the workers would switch to 'nobody', who may not read a private temp dir.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = os.path.join(directory, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""{user}worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/logs/access.log;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    default_type application/octet-stream;
    include {directory}/site.conf;
}}
""")
    args = ["nginx", "-p", directory + "/", "-c", conf, "-e", f"{directory}/logs/error.log"]
    r = subprocess.run(args + ["-t"], capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, f"nginx -t refused the configuration:\n{r.stderr}\n{site_text}")
    return Process(args, name="nginx")


def wait_for_port(port, process, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        check(process.proc.poll() is None, f"{process.name} exited:\n{process.output()}")
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")
