"""Restream: deploy/hls/mjpeg-kiosk-hls pulls /stream and writes HLS; nginx serves it as static
files (deploy/hls/nginx-hls.conf as shipped, with test paths and port). The playlist and
segments appear through nginx with their types, and ffprobe decodes them."""
import json
import os
import re
import subprocess

import nginxrun
from kiosk import (Process, check, free_port, http_get, kiosk_binary, need, processes,
                   start_kiosk, tempdir, wait_until)

WIDTH, HEIGHT = 320, 240


def probe(url, *extra):
    r = subprocess.run(["ffprobe", "-v", "error", *extra, "-count_frames", "-select_streams", "v:0",
                        "-show_entries", "stream=codec_name,width,height,nb_read_frames",
                        "-of", "json", url], capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, f"ffprobe {url}: {r.stderr}")
    streams = json.loads(r.stdout)["streams"]
    check(len(streams) == 1, f"one video stream in {url}: {streams}")
    return streams[0]


def main():
    need("nginx", "ffmpeg", "ffprobe")
    binary = kiosk_binary()
    source_dir = os.environ["KIOSK_SOURCE_DIR"]
    with tempdir("hls") as d, processes() as running:
        out = os.path.join(d, "hls")
        app, app_port = start_kiosk(binary, "--resolution", f"{WIDTH}x{HEIGHT}", "--fps", "10")
        running.append(app)
        restream = Process([os.path.join(source_dir, "deploy", "hls", "mjpeg-kiosk-hls"),
                            f"http://127.0.0.1:{app_port}/stream", out],
                           env={"HLS_FPS": "10", "HLS_SEGMENT": "1", "HLS_LIST_SIZE": "4",
                                "HLS_BITRATE": "300k"}, name="mjpeg-kiosk-hls")
        running.append(restream)

        port = free_port()
        site = nginxrun.render(os.path.join(source_dir, "deploy", "hls", "nginx-hls.conf"), {
            "    listen [::]:8081;\n": "",
            "listen 8081;": f"listen 127.0.0.1:{port};",
            "alias /run/mjpeg-kiosk-hls/;": f"alias {out}/;",
        })
        nginx = nginxrun.start(d, site)
        running.append(nginx)
        nginxrun.wait_for_port(port, nginx)

        base = f"http://127.0.0.1:{port}/hls/"

        def playlist_with_segments():
            status, headers, body = http_get(base + "stream.m3u8")
            if status != 200:
                check(restream.proc.poll() is None, f"the restream stopped:\n{restream.output()}")
                return None
            segments = re.findall(r"^(segment-\d+\.ts)$", body.decode(), re.M)
            return (headers, body.decode(), segments) if len(segments) >= 3 else None

        headers, playlist, segments = wait_until(playlist_with_segments, timeout=40,
                                                 what="a playlist with three segments")
        check(playlist.startswith("#EXTM3U") and "#EXT-X-TARGETDURATION" in playlist, "an HLS playlist")
        check(headers.get("Content-Type") == "application/vnd.apple.mpegurl",
              f"playlist type {headers.get('Content-Type')}")
        check("max-age=1" in headers.get("Cache-Control", ""), "playlist barely cached")
        status, seg_headers, data = http_get(base + segments[0])
        check(status == 200 and seg_headers.get("Content-Type") == "video/mp2t" and data[:1] == b"\x47",
              f"segment {segments[0]}: {status} {seg_headers.get('Content-Type')}")
        check("immutable" in seg_headers.get("Cache-Control", ""), "segments cached")

        segment = probe(base + segments[-1])
        check(segment["codec_name"] == "h264" and (segment["width"], segment["height"]) == (WIDTH, HEIGHT),
              f"segment stream: {segment}")
        check(int(segment["nb_read_frames"]) >= 5, f"a segment decodes to frames: {segment}")
        # A live playlist never ends: read its first 20 packets.
        whole = probe(base + "stream.m3u8", "-read_intervals", "%+#20")
        check(int(whole["nb_read_frames"]) >= 10, f"the playlist decodes: {whole}")
        print(f"HLS via nginx: {len(segments)} segments listed, last {segment['nb_read_frames']} "
              f"frames {segment['width']}x{segment['height']} h264; playlist {whole['nb_read_frames']} frames")
    print("PASS")


if __name__ == "__main__":
    main()
