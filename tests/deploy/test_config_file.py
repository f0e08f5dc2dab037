"""Config file: every option settable in an INI file, the command line wins, a bad key or value
refuses to start naming the file and the key; the shipped deploy/mjpeg-kiosk.conf documents
every option of --help and its defaults are accepted."""
import os
import re
import subprocess

from kiosk import (check, free_port, http_get, kiosk_binary, processes, start_kiosk, tempdir,
                   wait_until, Process)


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def quality(port):
    """The camera's JPEG quality in /metrics; None until its series is there (the cameras' series
    come with the server's first look at their figures, a moment after it listens)."""
    body = http_get(f"http://127.0.0.1:{port}/metrics")[2].decode()
    found = re.search(r'^mjpeg_kiosk_jpeg_quality\{camera="main"\} (\d+)$', body, re.M)
    return int(found.group(1)) if found else None


def refused(binary, args, *needles):
    r = subprocess.run([binary, "--headless"] + args, capture_output=True, text=True, timeout=20,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    check(r.returncode == 2, f"{args}: exit status {r.returncode}, expected 2; {r.stderr}")
    for needle in needles:
        check(needle in r.stderr, f"{args}: the message names '{needle}': {r.stderr!r}")
    print(f"refused as it should: {r.stderr.strip()}")


def main():
    binary = kiosk_binary()
    source_dir = os.environ["KIOSK_SOURCE_DIR"]
    with tempdir("config") as d, processes() as running:
        # Values come from the file, the command line wins; a flag takes true/false.
        port = free_port()
        conf = write(d, "a.conf", f"# comment\nquality = 55\nhost = 127.0.0.1\nport = {port}\n"
                                  "headless = true\nresolution = 320x240\nfps = 10\n")
        app = Process([binary, "--config", conf], env={"QT_QPA_PLATFORM": "offscreen"})
        running.append(app)
        app.wait_for(rf"listening on 127\.0\.0\.1 port {port}\b")
        wait_until(lambda: quality(port) == 55, what="quality 55 from the file")
        app.stop()
        app2, port2 = start_kiosk(binary, "--quality", "70", config=conf)
        running.append(app2)
        wait_until(lambda: quality(port2) == 70, what="quality 70 from the command line")
        app2.stop()

        # Wrong things, each named.
        refused(binary, ["--config", write(d, "b.conf", "fps = 30\nport = eighty\n")],
                "b.conf", "'port'", "eighty")
        refused(binary, ["--config", write(d, "c.conf", "qualty = 50\n")], "c.conf", "'qualty'")
        refused(binary, ["--config", write(d, "d.conf", "kiosk = maybe\n")], "d.conf", "'kiosk'")
        refused(binary, ["--config", write(d, "e.conf", "[server]\nport = 1\n")], "e.conf",
                "'server/port'")
        refused(binary, ["--config", os.path.join(d, "missing.conf")], "missing.conf")
        # A camera section takes only a camera's keys; one without source names a camera.
        refused(binary, ["--config", write(d, "f.conf", "[camera door]\nsource = test\nport = 1\n")],
                "f.conf", "[camera door]", "'port'")
        refused(binary, ["--config", write(d, "g.conf", "[camera door]\nquality = 5\n")],
                "g.conf", "[camera door]", "no source")
        # A command-line error stays the command line's, even with a file.
        r = subprocess.run([binary, "--config", conf, "--fps", "0"], capture_output=True,
                           text=True, timeout=20)
        check(r.returncode == 2 and "fps" in r.stderr and conf not in r.stderr,
              f"command-line error reported as such: {r.stderr!r}")

        # The shipped file: every option of --help is there, commented, with its default.
        shipped = open(os.path.join(source_dir, "deploy", "mjpeg-kiosk.conf")).read()
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                                   timeout=20).stdout
        options = set(re.findall(r"^\s+(?:-\w, )?--([a-z0-9-]+)", help_text, re.M))
        options -= {"help", "version", "config", "list-sources", "hash-pin"}  # actions
        # --camera NAME=SPEC is a [camera NAME] section in the file, shown as an example there.
        options -= {"camera"}
        check("[camera door]" in shipped, "deploy/mjpeg-kiosk.conf shows a [camera NAME] section")
        documented = dict(re.findall(r"^# ([a-z0-9-]+) =[ ]?(.*)$", shipped, re.M))
        missing = sorted(options - documented.keys())
        check(not missing, f"deploy/mjpeg-kiosk.conf lacks: {', '.join(missing)} "
                           "(add '# name = default' with a comment for each)")
        unknown = sorted(documented.keys() - options)
        check(not unknown, f"deploy/mjpeg-kiosk.conf has options --help does not know: {unknown}")
        # With every line uncommented (all the defaults) the program starts.
        uncommented = re.sub(r"^# ([a-z0-9-]+ =)", r"\1", shipped, flags=re.M)
        defaults = write(d, "defaults.conf", uncommented)
        app3, port3 = start_kiosk(binary, config=defaults)
        running.append(app3)
        check(http_get(f"http://127.0.0.1:{port3}/status")[0] == 200, "/status with the defaults")
        wait_until(lambda: quality(port3) == int(documented["quality"]),
                   what="the documented default quality")
        print(f"shipped config documents {len(documented)} options: {sorted(documented)}")
    print("PASS")


if __name__ == "__main__":
    main()
