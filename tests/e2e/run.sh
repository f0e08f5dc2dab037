#!/bin/sh
# Runs the browser tests, or skips them (exit 77, ctest's SKIP_RETURN_CODE) saying what is missing.
#   KIOSK_APP=build/mjpeg-kiosk tests/e2e/run.sh
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v node >/dev/null || skip "node is not installed (deploy/install-deps.sh installs nodejs)"
[ -x "$chromium" ] || skip "no chromium at $chromium (deploy/install-deps.sh installs chromium)"
[ -d "$here/node_modules/playwright-core" ] ||
  skip "playwright-core missing: run deploy/install-deps.sh (npm ci in tests/e2e)"
[ -x "${KIOSK_APP:-}" ] || { echo "KIOSK_APP must name the built mjpeg-kiosk" >&2; exit 1; }
# The tests run from this folder: paths given relative to the caller's become absolute.
KIOSK_APP=$(realpath "$KIOSK_APP"); export KIOSK_APP
if [ -n "${E2E_SCREENSHOT_DIR:-}" ]; then
  E2E_SCREENSHOT_DIR=$(realpath -m "$E2E_SCREENSHOT_DIR"); export E2E_SCREENSHOT_DIR
fi
cd "$here" && exec node --test --test-concurrency=1 --test-reporter=spec viewer.test.mjs
