#!/usr/bin/env bash
# Renders the kiosk's main screen under xvfb in landscape (1280x800) and portrait (800x1280),
# the landscape screen turned by --screen-rotation 90 and 180, and the picture zoomed 4x (also on
# a turned screen), the grid of several cameras in both orientations and one of them alone, into
# docs/screenshots/, with three local viewers connected so the figures are
# alive.
#   docs/screenshots/take-screenshots.sh [path/to/mjpeg-kiosk]
# The picture comes from the fake V4L2 camera (1280x720@30, shared/tools/fakecam, built as
# libfakecam.so next to the app), in YUYV and in MJPEG (the preview's two paths: planes
# converted, JPEG decoded), when it is there, else from the test pattern. The settings panel is
# shown scrolled to its later rows (rotate/flip/crop, PIN, screen power, screen rotation).
# Uses the app's KIOSK_GRAB and KIOSK_ZOOM hooks (cpp/ui/windowprobe.h). Needs xvfb-run and curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app=${1:-$here/../../build/mjpeg-kiosk}
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (deploy/install-deps.sh)"; exit 1; }
command -v curl >/dev/null || { echo "curl is missing (deploy/install-deps.sh)"; exit 1; }

# Saved settings of whoever runs this must not change the pictures.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT

fakecam=$(dirname "$app")/libfakecam.so
camera=(--source test)
if [[ -e $fakecam ]]; then
    camera=(--source /dev/video0 --resolution 1280x720 --fps 30)
else
    echo "no $fakecam: the test pattern instead of the fake camera"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

shoot() { # name WxH YUYV|MJPEG [option...]; SETTINGS=FIELD: the settings panel open at that field
    local name=$1 size=$2 format=$3 port; port=$(free_port)
    shift 3
    local preload=() # the app only, not xvfb or curl
    [[ -e $fakecam ]] && preload=("LD_PRELOAD=$fakecam" "FAKECAM_FORMATS=$format"
                                  ${DEVICES:+"FAKECAM_DEVICES=$DEVICES"})
    KIOSK_GRAB="$here/$name.png" KIOSK_GRAB_AFTER=8 KIOSK_GRAB_SETTINGS=${SETTINGS:-} \
        KIOSK_GRAB_CAMERA=${CAMERA:-} \
        xvfb-run -a -s "-screen 0 ${size}x24" env "${preload[@]}" "$app" --kiosk --port "$port" "${camera[@]}" "$@" &
    local pid=$!
    sleep 2
    # Viewers that leave by themselves; two at a reduced rate so the list shows differences.
    for query in "" "?fps=10" "?fps=5"; do
        curl -s -o /dev/null --max-time 8 "http://127.0.0.1:$port/stream$query" &
    done
    wait "$pid"
    echo "wrote $here/$name.png"
}

shoot kiosk-landscape 1280x800 YUYV
shoot kiosk-landscape-mjpeg 1280x800 MJPEG
shoot kiosk-portrait 800x1280 YUYV
SETTINGS=rotate shoot kiosk-settings 1280x800 MJPEG        # rotate/flip/crop, PIN, screen power
SETTINGS=password shoot kiosk-settings-end 1280x800 YUYV   # down to the screen's rotation
shoot kiosk-screen-rotation-90 1280x800 YUYV --screen-rotation 90
shoot kiosk-screen-rotation-180 1280x800 MJPEG --screen-rotation 180
# Zoomed 4x into the top left corner (what a pinch there does; the app's environment): the inset
# shows where. Then the same on a screen turned a quarter, from the camera in MJPEG.
KIOSK_ZOOM=4@0.05,0.1 shoot kiosk-zoomed 1280x800 YUYV
KIOSK_ZOOM=4@0.05,0.1 shoot kiosk-zoomed-screen-rotation-90 1280x800 MJPEG --screen-rotation 90
wait

# Several cameras: two fake ones, door in YUYV (encoded here) and yard in MJPEG (passed through;
# each camera's encoder from its config file section), a labelled test pattern and a camera
# that is not there (NO SIGNAL); the grid in both orientations, then yard alone (the tile's tap).
cameras_conf=$(mktemp --suffix=.conf)
printf '[camera door]\nencoder = cpu\n\n[camera yard]\nencoder = passthrough\n' >"$cameras_conf"
single=("${camera[@]}")
if [[ -e $fakecam ]]; then
    camera=(--camera door=/dev/video0 --camera yard=/dev/video1)
else
    camera=(--camera door=test:door --camera yard=test:yard)
fi
camera+=(--camera lab=test:lab --camera shed=/dev/video5 --resolution 1280x720 --fps 30
         --config "$cameras_conf")
DEVICES=2 shoot kiosk-cameras 1280x800 YUYV,MJPEG
DEVICES=2 shoot kiosk-cameras-portrait 800x1280 YUYV,MJPEG
DEVICES=2 CAMERA=1 shoot kiosk-camera-alone 1280x800 YUYV,MJPEG
camera=("${single[@]}")
rm -f "$cameras_conf"

# The operator PIN's keypad and a dimmed screen (no backlight: the black cover), from the QML
# test that drives them with real clicks (the app has no way to be tapped under xvfb).
qml_test=$(dirname "$app")/tests/qml/tst_kiosk_qml
KIOSK_SCREENSHOTS="$here" QT_IM_MODULE= xvfb-run -a -s "-screen 0 1280x800x24" "$qml_test" \
    -input "$here/../../tests/qml/tst_operatorlock.qml" OperatorLock::test_screenshots
echo "wrote $here/kiosk-pin-keypad.png $here/kiosk-dimmed.png"

# The settings panel's Camera page over the fake camera's picture (landscape, a refused value,
# portrait), from its QML test on the fake camera (skipped without libfakecam.so).
camera_test=$(dirname "$app")/tests/qml/tst_camerapage
if [[ -e $fakecam ]]; then
    KIOSK_SCREENSHOTS="$here" QT_IM_MODULE= xvfb-run -a -s "-screen 0 1280x800x24" \
        env LD_PRELOAD="$fakecam" FAKECAM_FORMATS=YUYV "$camera_test" \
        -input "$here/../../tests/qml/camerapage.qml" CameraPage::test_zzz_screenshots
    echo "wrote $here/kiosk-camera-page.png $here/kiosk-camera-page-refused.png $here/kiosk-camera-page-portrait.png"
fi
