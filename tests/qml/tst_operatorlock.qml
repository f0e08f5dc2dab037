import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// The operator PIN and the screen's sleep on the whole window, with real touches (mouse
// clicks): the keypad, the back-off, locking again, and a sleeping screen's first touch.
Item {
    id: root

    width: 100
    height: 100

    TestCase {
        id: testCase

        name: "OperatorLock"
        when: windowShown

        Component {
            id: mainComponent

            Main {}
        }

        property var main

        function init() {
            main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800, idleMs: 600000})
            waitForRendering(main.contentItem)
            settle()
        }

        // Clicks land where the buttons are once the bar has slid in and laid out its row
        // (which gains and loses the Lock button).
        function settle() {
            const bar = item("controlBar")
            tryCompare(bar, "y", main.height - bar.height, 5000)
            waitForItemPolished(bar)
            waitForRendering(main.contentItem)
        }

        function cleanup() {
            Kiosk.lock.cancel()
            Kiosk.lock.lockoutBaseMs = 30000
            Kiosk.privacy = false
            Kiosk.server.running = true
            Kiosk.screen.dimAfterMs = 0
            Kiosk.screen.offAfterMs = 0
            Kiosk.screen.wake()
            if (Kiosk.lock.pinSet) {
                Kiosk.lock.setPin("")
                tryCompare(Kiosk.lock, "pinSet", false, 20000)
            }
        }

        function item(name) {
            return findChild(main.contentItem, name)
        }

        // A PIN (hashed off the GUI thread and saved), then the controls locked.
        function setPin(pin) {
            Kiosk.lock.setPin(pin)
            tryCompare(Kiosk.lock, "pinSet", true, 20000)
            tryCompare(Kiosk.lock, "checking", false, 20000)
            Kiosk.lock.lock()
            verify(Kiosk.lock.locked)
        }

        // A key of the unlock keypad, or of `padName`'s (the settings panel has its own).
        function key(name, padName) {
            return findChild(item(padName || "pinPad"), "pinKey" + name)
        }

        function type(pin, padName) {
            for (let i = 0; i < pin.length; ++i)
                mouseClick(key(pin[i], padName))
            mouseClick(key("ok", padName))
        }

        function test_withoutPinControlsAreOpen() {
            verify(!Kiosk.lock.pinSet)
            mouseClick(item("privacyButton"))
            tryCompare(Kiosk, "privacy", true)
            verify(!item("pinPad").visible)
            verify(!item("lockButton").visible)
        }

        function test_pinIsSavedOnlyAsItsHash() {
            setPin("2468")
            const saved = String(Net.savedSetting("admin-pin"))
            verify(saved.startsWith("pbkdf2-sha256$100000$"), saved)
            verify(saved.indexOf("2468") < 0, saved)
            compare(Kiosk.settings.check("admin-pin", "2468").indexOf("--hash-pin") > 0, true)
            compare(Kiosk.settings.check("admin-pin", saved), "")
        }

        function test_rightPinOpensTheControls() {
            setPin("2468")
            mouseClick(item("privacyButton"))
            const pad = item("pinPad")
            verify(pad.visible)
            verify(!Kiosk.privacy) // nothing happens before the PIN
            compare(Kiosk.lock.pending, "privacy")
            type("2468")
            tryCompare(Kiosk, "privacy", true, 20000)
            verify(!pad.visible)
            verify(!Kiosk.lock.locked)
            // Open now: the next press acts at once; Lock closes them again.
            mouseClick(item("privacyButton"))
            tryCompare(Kiosk, "privacy", false)
            verify(!pad.visible)
            verify(item("lockButton").visible)
            mouseClick(item("lockButton"))
            verify(Kiosk.lock.locked)
            settle()
            mouseClick(item("streamToggle"))
            verify(pad.visible)
            verify(Kiosk.server.running)
            mouseClick(findChild(pad, "pinCancel"))
            verify(!pad.visible)
            verify(Kiosk.server.running)
        }

        function test_wrongPinsBackOffDoubling() {
            setPin("2468")
            Kiosk.lock.lockoutBaseMs = 1500
            mouseClick(item("settingsButton"))
            for (let i = 1; i <= 4; ++i) {
                type("1111")
                tryCompare(Kiosk.lock, "failures", i, 20000)
                tryCompare(Kiosk.lock, "checking", false, 20000)
                compare(findChild(item("pinPad"), "pinMessage").text, "Wrong PIN")
                compare(Kiosk.lock.lockoutMs, 0)
            }
            type("1111")
            tryCompare(Kiosk.lock, "failures", 5, 20000)
            compare(Kiosk.lock.lockoutMs, 1500)
            verify(findChild(item("pinPad"), "pinMessage").text.indexOf("try again in") >= 0)
            verify(!key("1").enabled)
            // The countdown runs out, and the next wrong PIN locks twice as long.
            tryCompare(Kiosk.lock, "lockoutSeconds", 0, 20000)
            verify(key("1").enabled)
            type("1111")
            tryCompare(Kiosk.lock, "failures", 6, 20000)
            compare(Kiosk.lock.lockoutMs, 3000)
            tryCompare(Kiosk.lock, "lockoutSeconds", 0, 20000)
            verify(!main.settingsOpen)
            type("2468")
            tryCompare(main, "settingsOpen", true, 20000)
            compare(Kiosk.lock.failures, 0)
        }

        function test_locksAgainWhenNobodyTouches() {
            setPin("2468")
            mouseClick(item("privacyButton"))
            type("2468")
            tryCompare(Kiosk.lock, "locked", false, 20000)
            Kiosk.lock.idleLockMs = 300
            tryCompare(Kiosk.lock, "locked", true, 5000)
            Kiosk.lock.idleLockMs = 120000
        }

        function test_newPinIsTypedTwice() {
            mouseClick(item("settingsButton"))
            tryCompare(main, "settingsOpen", true)
            const panel = item("settingsPanel")
            tryCompare(panel, "x", main.width - panel.width)
            const flick = item("settingsFlick") // the PIN's row is below the first screenful
            flick.contentY = flick.contentHeight - flick.height
            waitForRendering(main.contentItem)
            mouseClick(item("setPin"))
            const pad = item("newPinPad")
            verify(pad.visible)
            type("123", "newPinPad") // too short: OK stays off
            verify(!key("ok", "newPinPad").enabled)
            mouseClick(key("4", "newPinPad"))
            mouseClick(key("ok", "newPinPad"))
            type("4321", "newPinPad")
            verify(pad.message.indexOf("differ") >= 0, pad.message)
            type("9753", "newPinPad")
            type("9753", "newPinPad")
            tryCompare(Kiosk.lock, "pinSet", true, 20000)
            tryCompare(pad, "visible", false, 20000)
            compare(item("pinStatus").text, "PIN saved")
            // The one who set it stays in until the controls lock.
            verify(!Kiosk.lock.locked)
        }

        function test_firstTouchOnlyWakesTheScreen() {
            Kiosk.screen.dimAfterMs = 200
            tryCompare(Kiosk.screen, "state", ScreenPower.Dimmed, 5000)
            const cover = item("sleepCover")
            verify(cover.visible)
            tryVerify(() => JSON.parse(Net.body(Kiosk.server.port, "/status")).screen === "dimmed", 5000)
            mouseClick(item("privacyButton"))
            compare(Kiosk.screen.state, ScreenPower.On)
            verify(!cover.visible)
            verify(!Kiosk.privacy) // the touch woke the screen and pressed nothing
            Kiosk.screen.dimAfterMs = 0
            mouseClick(item("privacyButton"))
            tryCompare(Kiosk, "privacy", true)
        }

        function test_offStopsThePictureNotTheStream() {
            Kiosk.screen.offAfterMs = 200
            tryCompare(Kiosk.screen, "state", ScreenPower.Off, 5000)
            verify(!item("preview").active)
            tryCompare(item("livePicture"), "showing", false, 5000) // the preview stage works for it no more
            verify(Kiosk.server.running)
            tryVerify(() => JSON.parse(Net.body(Kiosk.server.port, "/status")).screen === "off", 5000)
            compare(JSON.parse(Net.body(Kiosk.server.port, "/status")).streaming, true)
            tryVerify(() => Net.body(Kiosk.server.port, "/metrics").indexOf('mjpeg_kiosk_screen{state="off"} 1') >= 0, 5000)
            mouseClick(item("sleepCover"))
            compare(Kiosk.screen.state, ScreenPower.On)
            Kiosk.screen.offAfterMs = 0
            verify(item("preview").active)
        }

        // docs/screenshots/take-screenshots.sh: the keypad and a dimmed screen (no backlight).
        function test_screenshots() {
            const folder = Net.environment("KIOSK_SCREENSHOTS")
            if (folder.length === 0)
                skip("KIOSK_SCREENSHOTS names no folder")
            main.width = 1280
            main.height = 800
            setPin("2468")
            Kiosk.lock.lockoutBaseMs = 30000
            settle()
            mouseClick(item("settingsButton"))
            mouseClick(key("2"))
            mouseClick(key("4"))
            waitForRendering(main.contentItem)
            grabImage(main.contentItem).save(folder + "/kiosk-pin-keypad.png")
            mouseClick(findChild(item("pinPad"), "pinCancel"))
            Kiosk.screen.dimAfterMs = 100
            tryCompare(Kiosk.screen, "state", ScreenPower.Dimmed, 5000)
            waitForRendering(main.contentItem)
            grabImage(main.contentItem).save(folder + "/kiosk-dimmed.png")
        }

        function test_statusSaysWhetherControlsAreLocked() {
            tryVerify(() => JSON.parse(Net.body(Kiosk.server.port, "/status")).controls_locked === false, 5000)
            setPin("2468")
            tryVerify(() => JSON.parse(Net.body(Kiosk.server.port, "/status")).controls_locked === true, 5000)
            tryVerify(() => Net.body(Kiosk.server.port, "/metrics").indexOf("mjpeg_kiosk_controls_locked 1") >= 0, 5000)
        }
    }
}
