import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// --screen-rotation on the whole window (1280x800, as the kiosk's reference screen): the UI
// turns, lays itself out for the turned screen, and touches and clicks made where a turned
// button shows on the screen press that button.
Item {
    id: root

    width: 100
    height: 100

    TestCase {
        id: testCase

        name: "ScreenRotation"
        when: windowShown

        Component {
            id: mainComponent

            Main {}
        }

        property var main

        function init() {
            main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800, idleMs: 600000})
            waitForRendering(main.contentItem)
        }

        function cleanup() {
            Kiosk.settings.apply({"screen-rotation": "0"})
            Kiosk.privacy = false
        }

        function item(name) {
            return findChild(main.contentItem, name)
        }

        // Turns the screen as the settings panel does, and waits for the bar to be in place.
        function turn(angle) {
            compare(Kiosk.settings.apply({"screen-rotation": String(angle)}), {})
            compare(Kiosk.screenRotation, angle)
            const ui = item("screenRotation")
            const bar = item("controlBar")
            // Sideways, the bar takes two rows: its height changes, and its place with it.
            waitForItemPolished(bar)
            tryVerify(() => bar.y === ui.height - bar.height, 5000)
            waitForRendering(main.contentItem)
            return ui
        }

        // Where the centre of `target` shows on the screen, worked out from the angle alone (not
        // by Qt's mapping): the UI turned clockwise about the centre of a W x H screen.
        function onScreen(target, angle) {
            const p = target.mapToItem(item("screenRotation"), target.width / 2, target.height / 2)
            const w = main.width, h = main.height
            switch (angle) {
            case 90: return Qt.point(w - p.y, p.x)
            case 180: return Qt.point(w - p.x, h - p.y)
            case 270: return Qt.point(p.y, h - p.x)
            }
            return p
        }

        function touchAt(point) {
            const touch = touchEvent(main.contentItem)
            touch.press(0, main.contentItem, point.x, point.y).commit()
            touch.release(0, main.contentItem, point.x, point.y).commit()
        }

        function isInside(child, ancestor) {
            for (let i = child; i; i = i.parent) {
                if (i === ancestor)
                    return true
            }
            return false
        }

        function test_theWholeScreenTurns_data() {
            return [{tag: "0", angle: 0}, {tag: "90", angle: 90}, {tag: "180", angle: 180},
                    {tag: "270", angle: 270}]
        }

        // Live, from the setting: turned, and covering the window exactly; portrait when sideways.
        function test_theWholeScreenTurns(data) {
            const ui = turn(data.angle)
            const sideways = data.angle % 180 !== 0
            compare(ui.rotation, data.angle)
            compare(ui.width, sideways ? 800 : 1280)
            compare(ui.height, sideways ? 1280 : 800)
            compare(main.portrait, sideways)
            const r = ui.mapToItem(main.contentItem, 0, 0, ui.width, ui.height)
            fuzzyCompare(r.x, 0, 0.01)
            fuzzyCompare(r.y, 0, 0.01)
            fuzzyCompare(r.width, 1280, 0.01)
            fuzzyCompare(r.height, 800, 0.01)
            // Nothing stays unturned: the overlays and the keyboard are inside too.
            compare(main.contentItem.children.length, 1)
            compare(main.contentItem.children[0], ui)
            for (const name of ["preview", "infoPanel", "controlBar", "settingsPanel", "pinPad", "sleepCover"])
                verify(isInside(item(name), ui), name)
            // Stacked as declared: the status over the picture.
            const badge = item("liveBadge")
            const p = badge.mapToItem(ui, badge.width / 2, badge.height / 2)
            verify(isInside(badge, ui.childAt(p.x, p.y)))
        }

        function test_touchAndClicksPressTheTurnedButtons_data() {
            return [{tag: "90", angle: 90}, {tag: "180", angle: 180}, {tag: "270", angle: 270}]
        }

        // A finger on Privacy where it shows on the turned screen switches privacy and nothing
        // else; a click on Settings opens the settings and nothing else; a finger on Close, in
        // the turned settings panel, closes them.
        function test_touchAndClicksPressTheTurnedButtons(data) {
            turn(data.angle)
            touchAt(onScreen(item("privacyButton"), data.angle))
            compare(Kiosk.privacy, true)
            compare(main.settingsOpen, false)

            const point = onScreen(item("settingsButton"), data.angle)
            mouseClick(main.contentItem, point.x, point.y)
            compare(main.settingsOpen, true)
            compare(Kiosk.privacy, true)

            const settings = item("settingsPanel")
            tryCompare(settings, "x", item("screenRotation").width - settings.width, 5000)
            waitForRendering(main.contentItem)
            touchAt(onScreen(findChild(settings, "closeSettings"), data.angle))
            compare(main.settingsOpen, false)
            compare(Kiosk.privacy, true)
        }

        function test_portraitLayoutFits_data() {
            return [{tag: "90", angle: 90}, {tag: "270", angle: 270}]
        }

        // Turned sideways, the 1280x800 screen is laid out as an 800x1280 one: picture, info and
        // controls stacked, each as wide as the turned screen, every button whole and on it.
        function test_portraitLayoutFits(data) {
            const ui = turn(data.angle)
            const preview = item("preview")
            const info = item("infoPanel")
            const bar = item("controlBar")
            compare(preview.width, 800)
            compare(info.x, 0)
            compare(info.width, 800)
            compare(info.y, preview.y + preview.height)
            compare(info.y + info.height, bar.y)
            compare(bar.width, 800)
            compare(bar.y + bar.height, 1280)
            for (const name of ["streamToggle", "snapshotButton", "privacyButton", "infoButton", "settingsButton"]) {
                const button = item(name)
                const r = button.mapToItem(ui, 0, 0, button.width, button.height)
                verify(r.x >= 0 && r.x + r.width <= ui.width + 0.5, `${name} at x ${r.x}..${r.x + r.width}`)
                verify(r.y >= bar.y && r.y + r.height <= ui.height + 0.5, `${name} at y ${r.y}..${r.y + r.height}`)
                verify(button.width >= button.implicitWidth - 0.5, `${name}: ${button.width} < ${button.implicitWidth}`)
            }
            mouseClick(item("settingsButton"))
            const settings = item("settingsPanel")
            tryCompare(settings, "x", 0, 5000)
            compare(settings.width, 800)
            compare(settings.height, 1280)
        }

        // The settings panel's row: a refused value says why and changes and saves nothing; a
        // button and Apply turn the screen at once and save it; turned, the panel still works by
        // touch where its buttons now show.
        function test_settingsPanelRow() {
            mouseClick(item("settingsButton"))
            const settings = item("settingsPanel")
            tryCompare(settings, "x", 1280 - settings.width, 5000)
            const flick = findChild(settings, "settingsFlick")
            flick.contentY = flick.contentHeight - flick.height
            waitForRendering(main.contentItem)

            const saved = Net.savedSetting("screen-rotation") // what earlier tests left
            const input = findChild(settings, "screen-rotationInput")
            compare(input.text, "0")
            input.text = "45"
            const error = findChild(settings, "screen-rotationError")
            verify(error.visible)
            verify(error.text.indexOf("screen-rotation must be 0, 90, 180 or 270") >= 0, error.text)
            mouseClick(findChild(settings, "applySettings"))
            verify(findChild(settings, "applyStatus").text.indexOf("Not applied") >= 0)
            compare(Kiosk.screenRotation, 0)
            compare(Net.savedSetting("screen-rotation"), saved)

            mouseClick(findChild(settings, "screenRotation90"))
            compare(input.text, "90")
            verify(!error.visible)
            mouseClick(findChild(settings, "applySettings"))
            compare(findChild(settings, "applyStatus").text, "Applied and saved")
            compare(Kiosk.screenRotation, 90)
            compare(item("screenRotation").rotation, 90)
            compare(Net.savedSetting("screen-rotation"), "90")
            verify(main.settingsOpen)

            // Back by touch, on the turned panel (laid out anew for the portrait width).
            tryCompare(settings, "x", 0, 5000)
            waitForItemPolished(settings)
            flick.contentY = flick.contentHeight - flick.height
            waitForRendering(main.contentItem)
            touchAt(onScreen(findChild(settings, "screenRotation0"), 90))
            compare(input.text, "0")
            touchAt(onScreen(findChild(settings, "applySettings"), 90))
            compare(Kiosk.screenRotation, 0)
            compare(Net.savedSetting("screen-rotation"), "0")
        }
    }
}
