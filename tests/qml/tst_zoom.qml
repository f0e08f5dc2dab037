import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// Touch zoom on the live picture with real touch sequences (TouchEventSequence): pinch, pan,
// double tap, and "Share this view" / Reset observed where viewers see it (the settings, the
// size the pipeline delivers, /status over a real socket).
Item {
    id: root

    width: 800
    height: 300

    TestCase {
        id: testCase

        name: "Zoom"
        when: windowShown

        Component {
            id: previewComponent

            Preview {
                width: root.width
                height: root.height
            }
        }

        property var preview
        property var picture

        function init() {
            preview = createTemporaryObject(previewComponent, root)
            picture = findChild(preview, "livePicture")
            tryCompare(Kiosk, "sourceOnline", true, 5000)
            // The test pattern's 320x240, fitted: (200, 0, 400, 300).
            tryCompare(picture, "sourceSize", Qt.size(320, 240), 5000)
            compare(picture.paintedRect, Qt.rect(200, 0, 400, 300))
            waitForRendering(preview)
        }

        function cleanup() {
            Kiosk.lock.cancel()
            Kiosk.sharing.reset()
            Kiosk.settings.apply({crop: "", rotate: "0", flip: "none", "screen-rotation": "0"})
            if (Kiosk.lock.pinSet) {
                Kiosk.lock.setPin("")
                tryCompare(Kiosk.lock, "pinSet", false, 20000)
            }
        }

        function item(name) {
            return findChild(preview, name)
        }

        // A button of the inset, clicked where it is once the inset has laid itself out again
        // (its column and row place their children when polished).
        function click(name) {
            const button = item(name)
            verify(button.visible, name + " shown")
            for (let i = button.parent; i && i !== preview; i = i.parent)
                waitForItemPolished(i)
            waitForRendering(preview)
            mouseClick(button)
        }

        // Two fingers `gap` apart around (x, y) of `on` (the test's preview unless given),
        // spread to `gap` + `spread` in 10 px steps.
        function pinch(x, y, gap, spread, on) {
            const target = on || preview
            const touch = touchEvent(target)
            touch.press(0, target, x - gap / 2, y).press(1, target, x + gap / 2, y).commit()
            for (let d = 10; d <= spread; d += 10)
                touch.move(0, target, x - (gap + d) / 2, y).move(1, target, x + (gap + d) / 2, y).commit()
            touch.release(0, target, x - (gap + spread) / 2, y).release(1, target, x + (gap + spread) / 2, y).commit()
        }

        // One finger from (x, y) by (dx, dy) in steps.
        function drag(x, y, dx, dy, on) {
            const target = on || preview
            const touch = touchEvent(target)
            touch.press(0, target, x, y).commit()
            const steps = 10
            for (let i = 1; i <= steps; ++i)
                touch.move(0, target, x + dx * i / steps, y + dy * i / steps).commit()
            touch.release(0, target, x + dx, y + dy).commit()
        }

        function fuzzy(actual, expected, what) {
            verify(Math.abs(actual - expected) < 1e-6, what + ": " + actual + " instead of " + expected)
        }

        function status() {
            return JSON.parse(Net.body(Kiosk.server.port, "/status")).source
        }

        function test_pinchZoomsAndStopsAtEight() {
            const inset = item("zoomInset")
            verify(!inset.visible, "no inset unzoomed")
            pinch(400, 150, 40, 140)
            verify(picture.zoom > 1.3, "zoomed in: " + picture.zoom)
            verify(picture.zoom < 8)
            verify(inset.visible)
            verify(item("zoomThumbnail").visible)
            compare(item("zoomFactor").text, picture.zoom.toFixed(1) + "×")
            // Nothing else moved: the picture keeps its rectangle, the thumbnail is drawn
            // within the inset.
            compare(picture.paintedRect, Qt.rect(200, 0, 400, 300))
            compare(preview.pictureRect, Qt.rect(200, 0, 400, 300))
            verify(picture.thumbnailRect.width > 0)
            compare(picture.thumbnailRect.x, inset.x + Theme.thinBorder)
            // Far more than 8 times the distance (a busy machine merges touch moves, so the
            // pinch may start late and count less: again if need be): clamped.
            for (let i = 0; i < 3 && picture.zoom < 8; ++i)
                pinch(400, 150, 20, 360)
            compare(picture.zoom, 8)
            compare(item("zoomFactor").text, "8.0×")
            fuzzy(picture.viewedRect.width, 1 / 8, "viewed width")
            // The finger's centre (the picture's centre) stayed where it was.
            fuzzy(picture.viewedRect.x + picture.viewedRect.width / 2, 0.5, "centre x")
            fuzzy(picture.viewedRect.y + picture.viewedRect.height / 2, 0.5, "centre y")
        }

        Component {
            id: mainComponent

            Main {}
        }

        // On the whole screen: a pinch and a drag change the picture and nothing else (the
        // panels stay, shown; the buttons do not move; the picture keeps its place).
        function test_zoomMovesNothingElse() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800, idleMs: 600000})
            waitForRendering(main.contentItem)
            const screen = findChild(main.contentItem, "preview")
            const live = findChild(screen, "livePicture")
            const info = findChild(main.contentItem, "infoPanel")
            const bar = findChild(main.contentItem, "controlBar")
            const settings = findChild(bar, "settingsButton")
            tryCompare(bar, "y", 800 - bar.height, 5000)
            tryCompare(info, "x", 1280 - info.width, 5000)
            tryVerify(() => live.paintedRect.width > 0, 5000, "a picture")
            waitForRendering(main.contentItem)
            const place = item => {
                const p = item.mapToItem(main.contentItem, 0, 0)
                return Qt.rect(p.x, p.y, item.width, item.height)
            }
            const before = [place(screen), live.paintedRect, place(info), place(bar), place(settings)]
            const centre = Qt.point(screen.width / 2, screen.height / 2)
            pinch(centre.x, centre.y, 40, 200, screen)
            verify(live.zoom > 1.3, "zoomed: " + live.zoom)
            drag(centre.x, centre.y, 60, 40, screen)
            verify(live.viewedRect.x > 0 && live.viewedRect.x < 0.5 - 0.5 / live.zoom, "panned")
            waitForRendering(main.contentItem)
            const after = [place(screen), live.paintedRect, place(info), place(bar), place(settings)]
            for (let i = 0; i < before.length; ++i)
                compare(after[i], before[i])
            verify(main.panelsShown)
        }

        // --screen-rotation turns the whole UI: the fingers' moves reach the picture turned
        // with it, so a spread along the picture zooms it and a drag along it pans it.
        function test_zoomOnATurnedScreen() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800, idleMs: 600000})
            compare(Kiosk.settings.apply({"screen-rotation": "90"}), {})
            waitForRendering(main.contentItem)
            const screen = findChild(main.contentItem, "preview")
            const live = findChild(screen, "livePicture")
            tryVerify(() => live.paintedRect.width > 0, 5000, "a picture")
            tryVerify(() => screen.width < screen.height || screen.width === 800, 5000, "laid out turned")
            waitForRendering(main.contentItem)
            const centre = Qt.point(screen.width / 2, screen.height / 2)
            pinch(centre.x, centre.y, 40, 200, screen)
            verify(live.zoom > 1.3, "zoomed: " + live.zoom)
            const x = live.viewedRect.x
            drag(centre.x, centre.y, 60, 0, screen)
            verify(live.viewedRect.x < x, "panned along the picture: " + live.viewedRect.x + " from " + x)
        }

        function test_pinchInStopsAtOne() {
            picture.zoomAt(3, Qt.point(400, 150))
            const touch = touchEvent(preview)
            touch.press(0, preview, 250, 150).press(1, preview, 550, 150).commit()
            for (let d = 10; d <= 280; d += 10)
                touch.move(0, preview, 250 + d / 2, 150).move(1, preview, 550 - d / 2, 150).commit()
            touch.release(0, preview, 390, 150).release(1, preview, 410, 150).commit()
            compare(picture.zoom, 1)
            compare(picture.viewedRect, Qt.rect(0, 0, 1, 1))
            verify(!item("zoomInset").visible)
        }

        function test_panIsClampedWithinThePicture() {
            // A drag does nothing unzoomed.
            drag(400, 150, 100, 0)
            compare(picture.viewedRect, Qt.rect(0, 0, 1, 1))
            picture.zoomAt(4, Qt.point(400, 150))
            fuzzy(picture.viewedRect.x, 0.375, "zoomed x")
            // 100 px of the 400 px picture at 4x: a sixteenth of the picture.
            drag(400, 150, 100, 0)
            fuzzy(picture.viewedRect.x, 0.375 - 1 / 16, "panned x")
            fuzzy(picture.viewedRect.y, 0.375, "y unchanged")
            const viewed = item("zoomViewed")
            const thumb = item("zoomThumbnail")
            fuzzy(viewed.x, Theme.thinBorder + picture.viewedRect.x * (thumb.width - 2 * Theme.thinBorder), "inset follows")
            // Far beyond the edges: it stops there.
            drag(400, 150, 2000, 2000)
            compare(picture.viewedRect.x, 0)
            compare(picture.viewedRect.y, 0)
            drag(700, 280, -3000, -3000)
            fuzzy(picture.viewedRect.x, 0.75, "right edge")
            fuzzy(picture.viewedRect.y, 0.75, "bottom edge")
            compare(picture.zoom, 4)
            compare(picture.paintedRect, Qt.rect(200, 0, 400, 300))
        }

        function test_doubleTapResets() {
            picture.zoomAt(5, Qt.point(300, 100))
            verify(picture.zoom > 4)
            const touch = touchEvent(preview)
            touch.press(0, preview, 400, 150).commit()
            touch.release(0, preview, 400, 150).commit()
            touch.press(0, preview, 400, 150).commit()
            touch.release(0, preview, 400, 150).commit()
            tryCompare(picture, "zoom", 1, 2000)
            compare(picture.viewedRect, Qt.rect(0, 0, 1, 1))
            verify(!item("zoomInset").visible)
        }

        function test_zoomedPictureHasMoreDetail() {
            // A view smaller than the frame gets a smaller picture, until it is zoomed into.
            preview.width = 200
            preview.height = 150
            tryCompare(picture, "pictureSize", Qt.size(200, 150), 5000)
            picture.zoomAt(1.5, Qt.point(100, 75))
            tryCompare(picture, "pictureSize", Qt.size(320, 240), 5000)
            picture.resetZoom()
            tryCompare(picture, "pictureSize", Qt.size(200, 150), 5000)
        }

        function test_share_data() {
            return [
                {tag: "upright", rotate: "0", before: "", crop: "160x120+80+60", size: Qt.size(160, 120)},
                {tag: "rotated 90", rotate: "90", before: "", crop: "120x160+60+80", size: Qt.size(120, 160)},
                {tag: "on a crop", rotate: "0", before: "160x120+40+40", crop: "80x60+80+70", size: Qt.size(80, 60)},
            ]
        }

        function test_share(data) {
            compare(Object.keys(Kiosk.settings.apply({rotate: data.rotate, crop: data.before})).length, 0)
            const whole = data.before.length > 0 ? Qt.size(160, 120)
                        : data.rotate === "90" ? Qt.size(240, 320) : Qt.size(320, 240)
            tryCompare(picture, "sourceSize", whole, 5000)
            tryCompare(Kiosk, "sourceSize", whole, 5000)
            waitForRendering(preview)
            // The middle quarter, by touch: 2x around the centre.
            picture.zoomAt(2, Qt.point(preview.pictureRect.x + preview.pictureRect.width / 2,
                                       preview.pictureRect.height / 2))
            fuzzy(picture.viewedRect.x, 0.25, "viewed x")
            const share = item("shareViewButton")
            verify(share.visible)
            verify(!item("resetViewButton").visible)
            click("shareViewButton")
            compare(item("zoomMessage").text, "")
            // Every viewer's picture is the crop now; the screen shows it whole.
            compare(Kiosk.settings.crop, data.crop)
            compare(Kiosk.settings.rotate, data.rotate)
            verify(Kiosk.sharing.shared)
            compare(picture.zoom, 1)
            tryCompare(Kiosk, "sourceSize", data.size, 5000)
            tryCompare(picture, "sourceSize", data.size, 5000)
            // /status follows the pipeline's report, a moment later (the crop applied once a
            // frame has been cut with it).
            tryVerify(() => status().transform.crop === data.crop, 5000, "/status has the crop")
            tryVerify(() => status().transform.crop_applied === data.crop, 5000, "and applied it")
            const applied = status()
            compare(applied.transform.rotate, Number(data.rotate))
            compare(Qt.size(applied.width, applied.height), data.size)
            // Saved as the settings panel saves a crop.
            compare(Net.savedSetting("crop"), data.crop)

            const reset = item("resetViewButton")
            verify(reset.visible)
            verify(!share.visible)
            click("resetViewButton")
            compare(Kiosk.settings.crop, data.before)
            verify(!Kiosk.sharing.shared)
            tryCompare(Kiosk, "sourceSize", whole, 5000)
            tryCompare(picture, "sourceSize", whole, 5000)
            tryVerify(() => status().transform.crop === data.before, 5000, "/status has it back")
            compare(Net.savedSetting("crop"), data.before)
            verify(!reset.visible)
        }

        function test_sharingTwiceResetsToTheFirst() {
            picture.zoomAt(2, Qt.point(400, 150))
            click("shareViewButton")
            compare(Kiosk.settings.crop, "160x120+80+60")
            tryCompare(picture, "sourceSize", Qt.size(160, 120), 5000)
            waitForRendering(preview)
            picture.zoomAt(2, Qt.point(200, 0)) // the crop's top left quarter
            click("shareViewButton")
            compare(Kiosk.settings.crop, "80x60+80+60")
            click("resetViewButton")
            compare(Kiosk.settings.crop, "")
            tryCompare(picture, "sourceSize", Qt.size(320, 240), 5000)
        }

        function test_cropFromTheSettingsEndsTheShare() {
            picture.zoomAt(2, Qt.point(400, 150))
            click("shareViewButton")
            verify(Kiosk.sharing.shared)
            compare(Object.keys(Kiosk.settings.apply({crop: "100x100+0+0"})).length, 0)
            verify(!Kiosk.sharing.shared)
            verify(!item("resetViewButton").visible)
        }

        function test_resetFollowsTheOverlays() {
            picture.zoomAt(2, Qt.point(400, 150))
            click("shareViewButton")
            verify(item("resetViewButton").visible)
            preview.overlaysShown = false
            verify(!item("resetViewButton").visible)
            verify(!item("zoomInset").visible)
            preview.overlaysShown = true
            verify(item("resetViewButton").visible)
        }

        // The crop changes every viewer's picture: with the controls locked, as Settings, it
        // waits for the operator PIN.
        function test_shareAndResetAskForThePinWhenLocked() {
            Kiosk.lock.setPin("2468")
            tryCompare(Kiosk.lock, "pinSet", true, 20000)
            tryCompare(Kiosk.lock, "checking", false, 20000)
            Kiosk.lock.lock()
            verify(Kiosk.lock.locked)
            picture.zoomAt(2, Qt.point(400, 150))
            click("shareViewButton")
            compare(Kiosk.lock.pending, "shareView")
            compare(Kiosk.settings.crop, "")
            // The view moves on while the keypad is up: what was asked is what is shared.
            picture.zoomAt(2, Qt.point(200, 0))
            Kiosk.lock.enter("2468")
            tryCompare(Kiosk.settings, "crop", "160x120+80+60", 20000)
            compare(picture.zoom, 1)
            Kiosk.lock.lock()
            click("resetViewButton")
            compare(Kiosk.lock.pending, "resetView")
            compare(Kiosk.settings.crop, "160x120+80+60")
            Kiosk.lock.enter("2468")
            tryCompare(Kiosk.settings, "crop", "", 20000)
            verify(!Kiosk.sharing.shared)
        }

        // "WxH+X+Y" as a rect.
        function cropRect(text) {
            const m = /^(\d+)x(\d+)\+(\d+)\+(\d+)$/.exec(text)
            verify(m !== null, "a crop: " + text)
            return Qt.rect(Number(m[3]), Number(m[4]), Number(m[1]), Number(m[2]))
        }

        // What a viewer gets after a share: a JPEG of the crop's size (decoded), from the test
        // pattern, or from the camera KIOSK_TEST_CAMERA names (the fake V4L2 camera preloaded,
        // in YUYV or MJPEG: ctest qml_zoom_fakecam_*), whose crop may snap to the JPEG's blocks.
        function test_shareReachesViewers() {
            const camera = Net.environment("KIOSK_TEST_CAMERA")
            if (camera.length > 0) {
                const library = Net.environment("KIOSK_TEST_FAKECAM")
                if (Net.fileHead(library, 4).length === 0)
                    skip("no " + library + ": build the project with ../shared checked out")
                compare(Object.keys(Kiosk.settings.apply({source: camera, resolution: "1280x720", fps: "30"})).length, 0)
                tryCompare(picture, "sourceSize", Qt.size(1280, 720), 10000)
            }
            const whole = picture.sourceSize
            tryCompare(Kiosk, "sourceSize", whole, 5000)
            waitForRendering(preview)
            picture.zoomAt(2, Qt.point(preview.pictureRect.x + preview.pictureRect.width / 2,
                                       preview.pictureRect.height / 2))
            click("shareViewButton")
            const asked = Qt.rect(whole.width / 4, whole.height / 4, whole.width / 2, whole.height / 2)
            compare(cropRect(Kiosk.settings.crop), asked)
            // As applied: exact but for an MJPEG camera's 8 or 16 pixel blocks.
            tryVerify(() => status().transform.crop_applied.length > 0, 5000, "a crop applied")
            const source = status()
            const applied = cropRect(source.transform.crop_applied)
            if (source.format === "MJPEG") {
                for (const edge of ["left", "top", "right", "bottom"])
                    verify(Math.abs(applied[edge] - asked[edge]) < 16, edge + " snapped: " + source.transform.crop_applied)
            } else {
                compare(applied, asked)
            }
            const snapshotIs = (width, height) => {
                const size = Net.jpegSize(Kiosk.server.port, "/snapshot")
                return size.width === width && size.height === height
            }
            tryVerify(() => snapshotIs(applied.width, applied.height), 10000,
                      "a viewer's JPEG is " + applied.width + "x" + applied.height)
            click("resetViewButton")
            tryVerify(() => snapshotIs(whole.width, whole.height), 10000, "whole again")
            if (camera.length > 0)
                Kiosk.settings.apply({source: "test", resolution: "320x240", fps: "15"})
        }

        function test_shareRefusedWithoutAPicture() {
            picture.zoomAt(2, Qt.point(400, 150))
            compare(Object.keys(Kiosk.settings.apply({source: "/nonexistent/camera.mp4"})).length, 0)
            tryCompare(Kiosk, "sourceOnline", false, 10000)
            click("shareViewButton")
            verify(item("zoomMessage").visible)
            verify(item("zoomMessage").text.length > 0)
            compare(Kiosk.settings.crop, "")
            verify(!Kiosk.sharing.shared)
            Kiosk.settings.apply({source: "test"})
            tryCompare(Kiosk, "sourceOnline", true, 10000)
        }
    }
}
