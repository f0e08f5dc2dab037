import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// The Camera page on the fake V4L2 camera, with real clicks: rows made from the camera's own
// list (one kind of row per type), grouped; an inactive control disabled until its auto switch
// is turned; reset to defaults; a value the camera refuses shown as the one in force, with the
// reason; changes reaching GET /controls and the notice; no controls on a source without any.
Item {
    id: root

    width: 720
    height: 1600

    TestCase {
        id: testCase

        name: "CameraPage"
        when: windowShown

        Component {
            id: pageComponent

            CameraPage {
                width: root.width
                height: root.height
            }
        }

        Component {
            id: noticeComponent

            ControlNotice {}
        }

        Component {
            id: mainComponent

            Main {}
        }

        readonly property var controls: Kiosk.cameraControls

        function value(name) {
            return controls.get(name, "value")
        }

        // The value /controls gives viewers.
        function served(name) {
            const list = JSON.parse(Net.body(Kiosk.server.port, "/controls")).controls
            for (let i = 0; i < list.length; ++i) {
                if (list[i].name === name)
                    return list[i].value
            }
            return undefined
        }

        function settled() {
            tryVerify(() => !controls.busy, 10000)
        }

        function initTestCase() {
            tryVerify(() => controls.available, 30000, "the fake camera's controls")
        }

        function cleanup() {
            verify(controls.resetToDefaults())
            tryVerify(() => value("brightness") === 0 && value("auto_exposure") === 3
                      && value("white_balance_automatic") === 1 && !controls.busy, 10000)
        }

        function test_rowsFollowTheCamerasList() {
            const page = createTemporaryObject(pageComponent, root)
            compare(controls.count, 13)
            // One kind of row per type.
            verify(findChild(page, "brightnessSlider").visible)
            verify(!findChild(page, "brightnessSwitch").visible)
            verify(findChild(page, "white_balance_automaticSwitch").visible)
            verify(!findChild(page, "white_balance_automaticSlider").visible)
            verify(findChild(page, "power_line_frequencyItem1").visible)
            compare(findChild(page, "power_line_frequencyItem1").text, "50 Hz")
            verify(findChild(page, "power_line_frequencyItem1").highlighted)
            compare(findChild(page, "brightnessValue").text, "0")
            compare(findChild(page, "brightnessSlider").from, -64)
            compare(findChild(page, "brightnessSlider").to, 64)
            compare(findChild(page, "cameraName").text, controls.camera)
            verify(!findChild(page, "noControls").visible)
        }

        function test_groupsInOrder() {
            const page = createTemporaryObject(pageComponent, root)
            const form = findChild(page, "cameraFlick").contentItem.children[0]
            const groups = []
            const order = ["image", "exposure", "focus", "white balance", "other"]
            for (let i = 0; i < form.children.length; ++i) {
                const row = form.children[i]
                if (row.group === undefined || row.name === undefined)
                    continue
                if (groups.length === 0 || groups[groups.length - 1] !== row.group) {
                    verify(row.groupStart, row.name + " starts its group")
                    verify(findChild(page, row.name + "Group").visible)
                    groups.push(row.group)
                } else {
                    verify(!row.groupStart, row.name)
                    verify(!findChild(page, row.name + "Group").visible)
                }
            }
            // Each group once, in the page's order (the fake camera has no focus control).
            compare(groups, ["image", "exposure", "white balance"])
            for (let i = 1; i < groups.length; ++i)
                verify(order.indexOf(groups[i - 1]) < order.indexOf(groups[i]))
            compare(findChild(page, "brightnessGroup").text, "Image")
            compare(controls.get("gain", "group"), "exposure")
            compare(controls.get("white_balance_temperature", "group"), "white balance")
        }

        function test_inactiveFollowsItsSwitch() {
            const page = createTemporaryObject(pageComponent, root)
            const exposure = findChild(page, "exposure_time_absoluteSlider")
            page.show("exposure_time_absolute")
            verify(controls.get("exposure_time_absolute", "inactive"))
            verify(!exposure.enabled)
            verify(findChild(page, "exposure_time_absoluteValue").text.indexOf("automatic") >= 0)
            mouseClick(findChild(page, "auto_exposureItem1")) // Manual Mode
            tryVerify(() => exposure.enabled, 10000)
            compare(value("auto_exposure"), 1)
            compare(findChild(page, "exposure_time_absoluteValue").text,
                    String(value("exposure_time_absolute")))
            mouseClick(findChild(page, "auto_exposureItem3")) // Aperture Priority Mode
            tryVerify(() => !exposure.enabled, 10000)

            const temperature = findChild(page, "white_balance_temperatureSlider")
            page.show("white_balance_temperature")
            verify(!temperature.enabled)
            mouseClick(findChild(page, "white_balance_automaticSwitch"))
            tryVerify(() => temperature.enabled, 10000)
            compare(value("white_balance_automatic"), 0)
            compare(served("white_balance_automatic"), 0)
        }

        function test_changesReachTheCameraAndTheNotice() {
            const page = createTemporaryObject(pageComponent, root)
            const notice = createTemporaryObject(noticeComponent, root)
            page.show("brightness")
            const up = findChild(page, "brightnessUp")
            mouseClick(up)
            tryCompare(findChild(page, "brightnessValue"), "text", "1", 10000)
            mouseClick(up)
            tryCompare(findChild(page, "brightnessValue"), "text", "2", 10000)
            tryCompare(findChild(page, "brightnessSlider"), "value", 2)
            tryVerify(() => served("brightness") === 2, 10000)
            tryCompare(notice, "message", "Brightness → 2 (by this screen)", 10000)
            tryVerify(() => notice.visible)
            // Dragging the slider: the value follows the finger, the camera the slider.
            const slider = findChild(page, "brightnessSlider")
            mouseDrag(slider, slider.width / 2, slider.height / 2, slider.width / 4, 0)
            tryVerify(() => !controls.busy && value("brightness") > 20, 10000,
                      "brightness " + value("brightness"))
            tryCompare(slider, "value", value("brightness"))
            tryVerify(() => served("brightness") === value("brightness"), 10000)
            // A finger resting on the handle moves nothing.
            const held = slider.value
            const handleX = slider.handle.x + slider.handle.width / 2
            mousePress(slider, handleX, slider.height / 2)
            compare(slider.value, held)
            mouseRelease(slider, handleX, slider.height / 2)
            settled()
            compare(value("brightness"), held)
            mouseClick(findChild(page, "power_line_frequencyItem2"))
            tryCompare(notice, "message", "Power Line Frequency → 60 Hz (by this screen)", 10000)
        }

        function test_resetToDefaults() {
            const page = createTemporaryObject(pageComponent, root)
            controls.set("brightness", 30)
            controls.set("auto_exposure", 1)
            controls.set("exposure_time_absolute", 400)
            controls.set("white_balance_automatic", 0)
            settled()
            controls.set("white_balance_temperature", 3000)
            settled()
            compare(value("exposure_time_absolute"), 400)
            compare(value("white_balance_temperature"), 3000)
            compare(value("brightness"), 30)
            mouseClick(findChild(page, "resetControls"))
            tryVerify(() => value("brightness") === 0 && value("auto_exposure") === 3
                      && value("white_balance_automatic") === 1 && !controls.busy, 10000)
            compare(controls.error, "")
            // The values went back while they could (their switches still manual), then the
            // switches: what they govern is theirs again (inactive).
            compare(value("exposure_time_absolute"), 157)
            compare(value("white_balance_temperature"), 4600)
            verify(controls.get("exposure_time_absolute", "inactive"))
            verify(controls.get("white_balance_temperature", "inactive"))
            verify(!findChild(page, "exposure_time_absoluteSlider").enabled)
            compare(served("brightness"), 0)
            compare(served("auto_exposure"), 3)
        }

        function test_aRefusedValueShowsTheOneInForce() {
            const page = createTemporaryObject(pageComponent, root)
            page.show("exposure_time_absolute")
            // Auto exposure is on: the camera will not take an exposure time (the page would not
            // offer it; another program may have switched auto exposure on meanwhile).
            verify(controls.get("exposure_time_absolute", "inactive"))
            verify(controls.set("exposure_time_absolute", 300))
            const refusal = findChild(page, "exposure_time_absoluteRefusal")
            tryVerify(() => refusal.visible, 10000)
            verify(refusal.text.indexOf("In force: 157") === 0, refusal.text)
            verify(refusal.text.indexOf("inactive") > 0, refusal.text)
            compare(value("exposure_time_absolute"), 157)
            verify(findChild(page, "exposure_time_absoluteValue").text.indexOf("157") === 0)
            verify(findChild(page, "controlsError").visible)
            // The next change clears it.
            mouseClick(findChild(page, "auto_exposureItem1"))
            tryVerify(() => findChild(page, "exposure_time_absoluteSlider").enabled, 10000)
            verify(controls.set("exposure_time_absolute", 300))
            tryVerify(() => value("exposure_time_absolute") === 300, 10000)
            verify(!refusal.visible)
            compare(served("exposure_time_absolute"), 300)
        }

        function test_lockedControlsRefuse() {
            Kiosk.lock.setPin("2468")
            tryCompare(Kiosk.lock, "pinSet", true, 20000)
            tryCompare(Kiosk.lock, "checking", false, 20000)
            Kiosk.lock.lock()
            verify(!controls.set("brightness", 10))
            verify(controls.error.indexOf("locked") >= 0, controls.error)
            verify(!controls.resetToDefaults())
            Kiosk.lock.setPin("")
            tryCompare(Kiosk.lock, "pinSet", false, 20000)
            compare(value("brightness"), 0)
            verify(controls.set("brightness", 0))
        }

        // Last (by name): another source, and back to the camera.
        function test_zz_aSourceWithoutControlsSaysSo() {
            const page = createTemporaryObject(pageComponent, root)
            compare(Kiosk.settings.apply({source: "test"}), {})
            tryVerify(() => !controls.available, 10000)
            const none = findChild(page, "noControls")
            verify(none.visible)
            verify(none.text.indexOf("no controls") >= 0, none.text)
            verify(!findChild(page, "resetControls").visible)
            compare(controls.count, 0)
            compare(Kiosk.settings.apply({source: "/dev/video0"}), {})
            tryVerify(() => controls.available, 30000)
            verify(!none.visible)
        }

        // docs/screenshots/take-screenshots.sh: the Camera page over the live camera.
        function test_zzz_screenshots() {
            const folder = Net.environment("KIOSK_SCREENSHOTS")
            if (folder.length === 0)
                skip("KIOSK_SCREENSHOTS names no folder")
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800, idleMs: 600000})
            waitForRendering(main.contentItem)
            const bar = findChild(main, "controlBar")
            tryCompare(bar, "y", main.height - bar.height, 5000)
            waitForItemPolished(bar)
            mouseClick(findChild(main, "settingsButton"))
            const panel = findChild(main, "settingsPanel")
            tryCompare(panel, "x", main.width - panel.width, 5000)
            mouseClick(findChild(panel, "openCamera"))
            const page = findChild(panel, "cameraPage")
            verify(page.visible)
            page.show("auto_exposure")
            mouseClick(findChild(page, "auto_exposureItem1"))
            tryVerify(() => findChild(page, "exposure_time_absoluteSlider").enabled, 10000)
            page.show("brightness")
            controls.set("brightness", 24)
            tryCompare(findChild(main, "controlNotice"), "message", "Brightness → 24 (by this screen)", 10000)
            wait(Theme.fadeDuration * 2)
            waitForRendering(main.contentItem)
            grabImage(main.contentItem).save(folder + "/kiosk-camera-page.png")
            controls.set("white_balance_temperature", 5000) // inactive: refused, with the reason
            tryVerify(() => findChild(page, "white_balance_temperatureRefusal").visible, 10000)
            waitForItemPolished(findChild(page, "cameraFlick").contentItem.children[0])
            page.show("white_balance_temperature")
            wait(Theme.fadeDuration * 2)
            waitForRendering(main.contentItem)
            grabImage(main.contentItem).save(folder + "/kiosk-camera-page-refused.png")
            main.width = 800
            main.height = 1280
            page.show("brightness")
            wait(Theme.slideDuration * 2)
            waitForRendering(main.contentItem)
            grabImage(main.contentItem).save(folder + "/kiosk-camera-page-portrait.png")
        }
    }
}
