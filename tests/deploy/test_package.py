"""The Debian package (cpack -G DEB): its Depends are install-deps.sh's runtime list, they
cover every library the program and its plugins load (linked, and dlopened by Qt: platform,
QML modules), and the unpacked package runs: --headless serves /status without mapping the
GUI, OpenCV or Qt Multimedia, the GUI loads its QML, a file source loads the OpenCV plugin,
and a missing plugin is a clear start-up error."""
import os
import re
import socket
import subprocess

from kiosk import Process, check, http_get, need, processes, start_kiosk, tempdir, wait_until

ARCH_LIB = re.compile(r"\.so(\.\d+)*$")


def run(args, **kwargs):
    r = subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)
    check(r.returncode == 0, f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r.stdout


def runtime_list(source_dir):
    script = open(os.path.join(source_dir, "deploy", "install-deps.sh")).read()
    return set(re.search(r"\nruntime=\(([^)]*)\)", script).group(1).split())


def names(field):
    """Package names of a Depends field, every alternative, without versions or arch."""
    result = []
    for item in filter(None, (x.strip() for x in field.split(","))):
        for alternative in item.split("|"):
            result.append(re.sub(r"\s*\(.*\)|:\w+$", "", alternative.strip()).strip())
    return [n for n in result if n]


class Installed:
    """What dpkg knows of the packages installed here."""

    def __init__(self):
        out = run(["dpkg-query", "-W", "-f", "${Package}\t${Status}\t${Provides}\t${Depends}, "
                   "${Pre-Depends}\n"])
        self.depends, self.providers = {}, {}
        for line in out.splitlines():
            package, status, provides, depends = line.split("\t")
            if not status.endswith(" installed"):
                continue
            self.depends[package] = names(depends)
            for virtual in names(provides):
                self.providers.setdefault(virtual, set()).add(package)
        self.owners = {}

    def closure(self, roots):
        """Every installed package the roots pull in, following installed alternatives."""
        seen, todo = set(), list(roots)
        while todo:
            name = todo.pop()
            for package in ({name} if name in self.depends else set()) | self.providers.get(name, set()):
                if package not in seen:
                    seen.add(package)
                    todo.extend(self.depends[package])
        return seen

    def owner(self, path):
        """The package owning a file; tries the /usr-merged twin of the path too."""
        if not self.owners:
            # dpkg's file lists, read once: far quicker than one `dpkg -S` per library.
            info = "/var/lib/dpkg/info"
            for name in os.listdir(info):
                if name.endswith(".list"):
                    package = name[:-5].split(":")[0]
                    for line in open(os.path.join(info, name), errors="replace"):
                        self.owners[line.rstrip("\n")] = package
        real = os.path.realpath(path)
        for p in [path, real]:
            for candidate in [p, p[4:] if p.startswith("/usr/") else "/usr" + p]:
                if candidate in self.owners:
                    return self.owners[candidate]
        return None


def loaded_libraries(pid):
    libs = set()
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5].startswith("/") and ARCH_LIB.search(parts[5].strip()):
            libs.add(parts[5].strip())
    return libs


def main():
    need("cpack", "dpkg-deb", "dpkg-query", "objdump", "ldd", "ffmpeg")
    source_dir = os.environ["KIOSK_SOURCE_DIR"]
    build = os.environ["KIOSK_BINARY_DIR"]
    with tempdir("package") as d, processes() as running:
        run(["cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-B", d])
        debs = [f for f in os.listdir(d) if f.endswith(".deb")]
        check(len(debs) == 1, f"one .deb made: {debs}")
        deb = os.path.join(d, debs[0])

        # Depends: exactly the runtime list, the one place that list is kept.
        depends = set(names(run(["dpkg-deb", "-f", deb, "Depends"])))
        runtime = runtime_list(source_dir)
        check(depends == runtime, f"Depends differs from install-deps.sh --runtime: only in the "
                                  f"package {depends - runtime}, only in the list {runtime - depends}")

        root = os.path.join(d, "root")
        run(["dpkg-deb", "-x", deb, root])
        binary = os.path.join(root, "usr", "bin", "mjpeg-kiosk")
        private = os.path.join(root, "usr", "lib", "mjpeg-kiosk")
        plugins = {name: os.path.join(private, "plugins", f"libmjpeg-kiosk-{name}.so")
                   for name in ["gui", "opencv", "qtcamera"]}
        for path in ["usr/bin/mjpeg-kiosk", "usr/bin/mjpeg-kiosk-hls",
                     "usr/lib/mjpeg-kiosk/libmjpeg-kiosk-core.so",
                     *(os.path.relpath(p, root) for p in plugins.values()),
                     "usr/share/man/man1/mjpeg-kiosk.1.gz", "etc/mjpeg-kiosk.conf",
                     "etc/default/mjpeg-kiosk", "usr/lib/systemd/system/mjpeg-kiosk.service",
                     "usr/lib/sysusers.d/mjpeg-kiosk.conf",
                     "usr/lib/udev/rules.d/70-mjpeg-kiosk-backlight.rules",
                     "usr/share/doc/mjpeg-kiosk/examples/nginx/mjpeg-kiosk.conf"]:
            check(os.path.exists(os.path.join(root, path)), f"the package holds /{path}")
        control = os.path.join(d, "control")
        run(["dpkg-deb", "-e", deb, control])
        for conffile in open(os.path.join(control, "conffiles")).read().split():
            check(os.path.exists(root + conffile), f"conffile {conffile} is in the package")
        man = run(["sh", "-c", f"zcat '{root}/usr/share/man/man1/mjpeg-kiosk.1.gz'"]).replace("\\-", "-")
        check("--trusted-proxy" in man and "/etc/mjpeg-kiosk.conf" in man, "man page from --help")
        dynamic = run(["objdump", "-p", binary])
        runpaths = re.findall(r"R(?:UN)?PATH\s+(\S+)", dynamic)
        check(runpaths == ["$ORIGIN/../lib/mjpeg-kiosk"],
              f"the only run path is to the package's private library: {runpaths}")

        installed = Installed()
        closure = installed.closure(depends)
        missing_packages = [p for p in depends if p not in installed.depends]
        check(not missing_packages, f"Depends not installed here: {missing_packages}")

        def ours(path):
            return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)

        def uncovered(paths):
            problems = []
            for path in sorted(p for p in paths if not ours(p)):
                package = installed.owner(path)
                if package is None or package not in closure:
                    problems.append(f"{path} ({package or 'no package'})")
            return problems

        # Linked libraries of the program and of every plugin (loaded later, so ldd of the
        # program does not show theirs): each one's package is pulled in by Depends. The
        # plugins find the core library through the program, which ldd cannot know.
        linked, needed = set(), set()
        core_dir = {"LD_LIBRARY_PATH": private}
        for elf in [binary, *plugins.values()]:
            ldd = run(["ldd", elf], env={**os.environ, **core_dir})
            check("not found" not in ldd, f"unresolved libraries of {elf}:\n{ldd}")
            linked |= set(re.findall(r"=> (/\S+)", ldd))
            needed |= set(re.findall(r"NEEDED\s+(\S+)", run(["objdump", "-p", elf])))
        problems = uncovered(linked)
        check(not problems, "linked libraries not covered by Depends: " + ", ".join(problems))
        # What the program and its plugins link is declared themselves, as dpkg-shlibdeps would.
        for library in sorted(needed):
            path = next((p for p in linked if os.path.basename(p) == library), None)
            if path and ours(path):
                continue
            package = installed.owner(path) if path else None
            check(package in depends, f"{library} ({package}) is linked directly: add its package "
                                      "to the runtime list of deploy/install-deps.sh")

        # The unpacked program runs and serves, with the packaged (all commented) config.
        app, port = start_kiosk(binary, config=os.path.join(root, "etc", "mjpeg-kiosk.conf"))
        running.append(app)
        status, _, body = http_get(f"http://127.0.0.1:{port}/status")
        check(status == 200 and b'"streaming":true' in body, f"/status: {status} {body[:200]}")
        headless_libs = loaded_libraries(app.proc.pid)
        app.stop()
        # What only the GUI or other sources need stays out of a headless server on the test
        # pattern (about 60 MiB of mapped pages when it was all linked in).
        heavy = [lib for lib in headless_libs
                 if re.search(r"/lib(opencv_|Qt6Quick|Qt6Qml|Qt6Multimedia|mjpeg-kiosk-)", lib)
                 and "mjpeg-kiosk-core" not in lib]
        check(not heavy, f"the headless server on the test pattern maps {heavy}")

        # A file source loads the OpenCV plugin and plays the file.
        clip = os.path.join(d, "clip.avi")
        run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
             "-t", "1", "-c:v", "mjpeg", clip])
        app, port = start_kiosk(binary, "--source", clip)
        running.append(app)
        wait_until(lambda: b'"online":true' in http_get(
            f"http://127.0.0.1:{port}/status")[2], what="the file source online")
        check(any(lib.endswith("libmjpeg-kiosk-opencv.so")
                  for lib in loaded_libraries(app.proc.pid)), "the OpenCV plugin is loaded")
        app.stop()

        # Without its plugin, a source is a clear start-up error, not a silent "no signal".
        os.rename(plugins["opencv"], plugins["opencv"] + ".away")
        r = subprocess.run([binary, "--headless", "--config", "", "--port", "0", "--source",
                            clip], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        os.rename(plugins["opencv"] + ".away", plugins["opencv"])
        check(r.returncode == 1 and "needs the opencv plugin" in r.stderr,
              f"missing plugin: exit {r.returncode}, {r.stderr!r}")

        # The GUI (offscreen here): Qt loads its platform and the QML modules with dlopen, which
        # ldd does not show. READY=1 comes once Main.qml is loaded.
        notify = os.path.join(d, "notify.sock")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(notify)
            sock.settimeout(40)
            gui = Process([binary, "--config", "", "--host", "127.0.0.1", "--port", "0",
                           "--resolution", "320x240", "--fps", "10"],
                          env={"QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": notify},
                          name="mjpeg-kiosk (GUI)")
            running.append(gui)
            message = sock.recv(4096).decode()
            check("READY=1" in message, f"GUI ready: {message!r}\n{gui.output()}")
        gui_libs = loaded_libraries(gui.proc.pid)
        check(any("/qml/" in lib for lib in gui_libs), "the GUI loaded QML plugins")
        check(os.path.realpath(plugins["gui"]) in {os.path.realpath(lib) for lib in gui_libs},
              "the GUI came from its plugin")
        problems = uncovered(gui_libs | headless_libs)
        check(not problems, "loaded libraries not covered by Depends: " + ", ".join(problems))
        gui.stop()
        print(f"{debs[0]}: {len(depends)} Depends cover {len(needed)} NEEDED, {len(linked)} "
              f"linked and {len(gui_libs | headless_libs)} loaded libraries "
              f"({len(closure)} packages with their dependencies)")
    print("PASS")


if __name__ == "__main__":
    main()
