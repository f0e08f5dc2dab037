"""The systemd units as installed: `systemd-analyze verify` accepts them (with the program,
its man page and every other path they name present), and they say what a kiosk needs."""
import os
import re
import shutil
import subprocess

from kiosk import check, need, tempdir


def unit(path):
    """{section: {key: value}}; a key given twice (After=) gets its values joined."""
    sections, current = {}, None
    for line in open(path):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current[key] = (current[key] + " " + value) if key in current else value
    return sections


def verify(paths, env):
    r = subprocess.run(["systemd-analyze", "verify", "--man=yes"] + paths, capture_output=True,
                       text=True, timeout=60, env=env)
    return r.returncode, (r.stdout + r.stderr).strip()


def main():
    need("systemd-analyze", "cmake")
    build = os.environ["KIOSK_BINARY_DIR"]
    with tempdir("units") as prefix:
        # Installed into a private prefix: ExecStart names prefix/bin/mjpeg-kiosk, which exists.
        r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True,
                           text=True, timeout=60)
        check(r.returncode == 0, f"cmake --install failed:\n{r.stdout}{r.stderr}")
        unit_dir = os.path.join(prefix, "lib", "systemd", "system")
        units = sorted(os.path.join(unit_dir, u) for u in os.listdir(unit_dir))
        names = [os.path.basename(u) for u in units]
        check(names == ["mjpeg-kiosk-cage.service", "mjpeg-kiosk-headless.service",
                        "mjpeg-kiosk-hls.service", "mjpeg-kiosk.service"], f"units: {names}")
        if not shutil.which("cage"):
            # Verify still checks the rest of the cage unit; cage itself is only named.
            print("NOTE: cage is not installed: its unit is verified with /bin/true for cage")
            path = os.path.join(unit_dir, "mjpeg-kiosk-cage.service")
            text = open(path).read().replace("/usr/bin/cage ", "/bin/true ")
            open(path, "w").write(text)
        env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man") + ":")
        code, out = verify(units, env)
        check(code == 0 and not out, f"systemd-analyze verify ({code}):\n{out}")

        # What each unit must say.
        for path in units:
            name = os.path.basename(path)
            u = unit(path)
            s = u["Service"]
            check("network-online.target" in u["Unit"].get("After", ""), f"{name}: After=network-online.target")
            exec_start = s["ExecStart"]
            check(prefix in exec_start, f"{name}: ExecStart names the installed program: {exec_start}")
            if name == "mjpeg-kiosk-hls.service":
                check(s.get("DynamicUser") == "yes", f"{name}: own user")
                continue
            check(s.get("Type") == "notify" and int(s.get("WatchdogSec", "0")) > 0,
                  f"{name}: Type=notify with a watchdog")
            check(s.get("Restart") == "on-failure", f"{name}: Restart=on-failure")
            check(s.get("User") == "mjpeg-kiosk" and "video" in s.get("SupplementaryGroups", ""),
                  f"{name}: runs as mjpeg-kiosk with the video group")
        check(unit(os.path.join(unit_dir, "mjpeg-kiosk-cage.service"))["Service"].get("NotifyAccess")
              == "all", "cage unit: the app is cage's child, NotifyAccess=all")
        check("--headless" in unit(os.path.join(unit_dir, "mjpeg-kiosk-headless.service"))["Service"]["ExecStart"],
              "headless unit runs --headless")
        kiosk = unit(os.path.join(unit_dir, "mjpeg-kiosk.service"))["Service"]
        env_file = kiosk["EnvironmentFile"].lstrip("-")
        check(env_file == os.path.join(prefix, "etc", "default", "mjpeg-kiosk") and os.path.exists(env_file),
              f"eglfs unit reads the installed environment file: {env_file}")
        environment = dict(re.findall(r"^([A-Z_]+)=(.*)$", open(env_file).read(), re.M))
        for key, value in {"QT_QPA_PLATFORM": "eglfs", "QT_QPA_EGLFS_INTEGRATION": "eglfs_kms",
                           "QT_QPA_EGLFS_HIDECURSOR": "1"}.items():
            check(environment.get(key) == value, f"environment file: {key}={value}")
        check("rotate=" in environment.get("QT_QPA_EVDEV_TOUCHSCREEN_PARAMETERS", ""), "touch rotation")
        check(os.path.exists(environment["QT_QPA_EGLFS_KMS_CONFIG"]), "the KMS config is installed")
        sysusers = open(os.path.join(prefix, "lib", "sysusers.d", "mjpeg-kiosk.conf")).read()
        check(re.search(r"^u mjpeg-kiosk ", sysusers, re.M) and
              re.search(r"^m mjpeg-kiosk video$", sysusers, re.M), "sysusers: user and video group")

        # The check can fail: a broken copy is refused.
        broken = os.path.join(prefix, "broken.service")
        text = open(os.path.join(unit_dir, "mjpeg-kiosk-headless.service")).read()
        open(broken, "w").write(text.replace("Type=notify", "Type=notifyy"))
        code, out = verify([broken], env)
        check(code != 0 or out, "a unit with a wrong Type= is reported")
        print(f"verified {names}")
    print("PASS")


if __name__ == "__main__":
    main()
