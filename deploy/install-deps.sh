#!/usr/bin/env bash
# Installs every Debian package that building, running and testing MJPEG Kiosk needs,
# and the pinned npm packages of the browser tests. Idempotent: run it as often as you like.
#   deploy/install-deps.sh            build + run + test dependencies
#   deploy/install-deps.sh --runtime  only what the installed app needs to run
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

runtime=(
  libqt6core6 libqt6network6 libqt6gui6 libqt6qml6 libqt6quick6 libqt6multimedia6
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-shapes qml6-module-qtquick-virtualkeyboard qt6-virtualkeyboard-plugin
  qml6-module-qt-labs-folderlistmodel
  qml6-module-qtmultimedia qt6-qpa-plugins qt6-wayland
  libopencv-videoio406 libopencv-imgproc406 libopencv-core406 libturbojpeg0 libqrencode4 libsystemd0
  libstdc++6 libgcc-s1 libc6
  fonts-dejavu-core
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)
# gstreamer: Qt Multimedia cameras (--source qt:...) are captured through GStreamer's v4l2src.
# (No comments inside the lists: packaging reads the runtime list as the .deb's Depends.)
build=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
  qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools libgl-dev
  libopencv-dev
  libturbojpeg0-dev libqrencode-dev libsystemd-dev
  clang-format help2man qml6-module-qtqml qml6-module-qtqml-models
)
test=(
  qml6-module-qttest xvfb xauth curl ffmpeg nginx wrk chromium imagemagick
  clang libclang-rt-14-dev valgrind heaptrack ustreamer gnuplot-nox
  systemd openssl nodejs npm python3 cage firefox-esr webkit2gtk-driver
)

pkgs=("${runtime[@]}")
[[ ${1:-} == --runtime ]] || pkgs+=("${build[@]}" "${test[@]}")

sudo=""
[[ $(id -u) == 0 ]] || sudo=sudo
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node/npm may come from outside Debian's packages (a newer Node.js): keep the one there is.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [[ ${1:-} != --runtime && -f $here/tests/e2e/package-lock.json ]]; then
  (cd "$here/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: all dependencies present"
