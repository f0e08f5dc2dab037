#!/bin/sh
# Runs the browser tests, or skips them (exit 77, ctest's SKIP_RETURN_CODE) saying what is missing.
#   KIOSK_APP=build/mjpeg-kiosk tests/e2e/run.sh            the page in chromium (viewer.test.mjs)
#   KIOSK_APP=build/mjpeg-kiosk tests/e2e/run.sh ENGINE     the scenarios in chromium, firefox or
#                                                           webkit (engines.test.mjs)
#   KIOSK_APP=... FAKECAM_LIBRARY=build/libfakecam.so tests/e2e/run.sh controls
#                                                           the controls drawer in chromium
#                                                           (controls.test.mjs, fake camera)
#   KIOSK_APP=build/mjpeg-kiosk tests/e2e/run.sh profiles   the page choosing its picture size
#                                                           in chromium (profiles.test.mjs)
#   KIOSK_APP=... [FAKECAM_LIBRARY=...] tests/e2e/run.sh cameras [ENGINE]
#                                                           several cameras: grid, picker, states
#                                                           (cameras.test.mjs, chromium by default)
here=$(cd "$(dirname "$0")" && pwd)
engine=${1:-}
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v node >/dev/null || skip "node is not installed (deploy/install-deps.sh installs nodejs)"
suite=
case $engine in
  controls|profiles) suite=$engine.test.mjs; engine= ;;
  cameras) suite=$engine.test.mjs; engine=${2:-chromium} ;;
esac
case $engine in
  ""|chromium)
    browser=${CHROMIUM:-/usr/bin/chromium}; package=chromium; driver=playwright-core ;;
  firefox)
    browser=${FIREFOX:-/usr/bin/firefox-esr}; package=firefox-esr; driver=puppeteer-core ;;
  webkit)
    browser=${WEBKIT_DRIVER:-/usr/bin/WebKitWebDriver}; package=webkit2gtk-driver; driver= ;;
  *) echo "unknown engine '$engine': chromium, firefox or webkit" >&2; exit 1 ;;
esac
[ -x "$browser" ] || skip "no ${engine:-chromium} at $browser (deploy/install-deps.sh installs $package)"
[ -z "$driver" ] || [ -d "$here/node_modules/$driver" ] ||
  skip "$driver missing: run deploy/install-deps.sh (npm ci in tests/e2e)"
[ -x "${KIOSK_APP:-}" ] || { echo "KIOSK_APP must name the built mjpeg-kiosk" >&2; exit 1; }
# The tests run from this folder: paths given relative to the caller's become absolute.
KIOSK_APP=$(realpath "$KIOSK_APP"); export KIOSK_APP
if [ "$suite" = controls.test.mjs ]; then
  [ -f "${FAKECAM_LIBRARY:-}" ] ||
    skip "the fake camera is not built (FAKECAM_LIBRARY=${FAKECAM_LIBRARY:-unset}; ../shared/tools/fakecam absent?)"
fi
if [ -f "${FAKECAM_LIBRARY:-}" ]; then
  FAKECAM_LIBRARY=$(realpath "$FAKECAM_LIBRARY"); export FAKECAM_LIBRARY
fi
if [ -n "${E2E_SCREENSHOT_DIR:-}" ]; then
  E2E_SCREENSHOT_DIR=$(realpath -m "$E2E_SCREENSHOT_DIR"); export E2E_SCREENSHOT_DIR
fi
cd "$here" || exit 1
[ -n "$engine" ] || exec node --test --test-concurrency=1 --test-reporter=spec "${suite:-viewer.test.mjs}"
E2E_ENGINE=$engine; export E2E_ENGINE
set -- node --test --test-concurrency=1 --test-reporter=spec "${suite:-engines.test.mjs}"
# WebKitGTK has no headless mode: it gets a virtual screen of its own.
if [ "$engine" = webkit ]; then
  command -v xvfb-run >/dev/null || skip "xvfb-run missing (deploy/install-deps.sh installs xvfb)"
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
fi
exec "$@"
