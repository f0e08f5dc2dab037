import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 800
    height: 1200

    TestCase {
        id: testCase

        name: "SettingsPanel"
        when: windowShown

        Component {
            id: panelComponent

            SettingsPanel {
                width: root.width
                height: root.height
            }
        }

        function cleanup() {
            Kiosk.settings.apply({quality: "70", password: "", fps: "15", resolution: "320x240"})
        }

        function field(panel, name) {
            return findChild(panel, name + "Input")
        }

        function test_showsWhatIsInEffect() {
            const panel = createTemporaryObject(panelComponent, root)
            compare(field(panel, "source").text, "test")
            compare(field(panel, "resolution").text, "320x240")
            compare(field(panel, "fps").text, "15")
            compare(field(panel, "quality").text, "70")
            compare(field(panel, "port").text, String(Kiosk.server.port))
            compare(field(panel, "password").text, "")
            verify(Kiosk.settings.sources.length >= 1)
            compare(Kiosk.settings.sources[0].spec, "test")
        }

        function test_badValuesAreRefusedWithTheReason() {
            const panel = createTemporaryObject(panelComponent, root)
            const fps = field(panel, "fps")
            mouseClick(fps)
            fps.selectAll()
            keyClick(Qt.Key_A)
            keyClick(Qt.Key_B)
            compare(fps.text, "ab")
            const fpsError = findChild(panel, "fpsError")
            verify(fpsError.visible)
            verify(fpsError.text.indexOf("fps must be a number from 1 to 120") >= 0, fpsError.text)

            field(panel, "resolution").text = "1281x720"
            verify(findChild(panel, "resolutionError").text.indexOf("even") >= 0)
            field(panel, "quality").text = "55" // a good value next to bad ones is not applied either

            mouseClick(findChild(panel, "applySettings"))
            verify(findChild(panel, "applyStatus").text.indexOf("Not applied") >= 0)
            compare(Kiosk.settings.fps, "15")
            compare(Kiosk.settings.resolution, "320x240")
            compare(Kiosk.settings.quality, "70")
        }

        function test_goodValuesApplyLiveAndPersist() {
            const panel = createTemporaryObject(panelComponent, root)
            const port = Kiosk.server.port
            field(panel, "quality").text = "55"
            field(panel, "password").text = "s3cret"
            mouseClick(findChild(panel, "applySettings"))
            compare(findChild(panel, "applyStatus").text, "Applied and saved")
            compare(Kiosk.settings.quality, "55")
            tryVerify(() => JSON.parse(Net.body(port, "/status", "viewer:s3cret")).output.quality === 55, 5000)
            compare(Net.savedSetting("quality"), 55)
            // The password takes effect for new requests at once.
            compare(Net.status(port, "/stream"), 401)
            compare(Net.status(port, "/stream", "viewer:s3cret"), 200)

            field(panel, "password").text = ""
            mouseClick(findChild(panel, "applySettings"))
            compare(Net.status(port, "/stream"), 200)
        }

        function test_sourceSettingsRestartTheSourceLive() {
            const panel = createTemporaryObject(panelComponent, root)
            Net.openViewers(Kiosk.server.port, 1)
            tryCompare(Kiosk.server, "clientCount", 1, 5000)
            field(panel, "resolution").text = "640x480"
            field(panel, "fps").text = "10"
            mouseClick(findChild(panel, "applySettings"))
            compare(findChild(panel, "applyStatus").text, "Applied and saved")
            tryCompare(Kiosk, "sourceSize", Qt.size(640, 480), 5000)
            compare(Kiosk.sourceFps, 10)
            compare(Net.savedSetting("resolution"), "640x480")
            // The viewer stayed connected through the change.
            compare(Net.connectedViewers, 1)
            Net.closeViewers()
        }

        function test_portInUseIsRefused() {
            const panel = createTemporaryObject(panelComponent, root)
            const port = Kiosk.server.port
            const busy = Net.busyPort()
            field(panel, "port").text = String(busy)
            verify(!findChild(panel, "portError").visible) // a valid number...
            mouseClick(findChild(panel, "applySettings"))
            const error = findChild(panel, "portError")
            verify(error.visible) // ...but only applying finds the port taken
            verify(error.text.indexOf(String(busy)) >= 0, error.text)
            compare(Kiosk.server.port, port)
            // Still serving where it was (once the next frame has reached the new listener).
            tryVerify(() => Net.status(port, "/stream") === 200, 5000)
        }
    }
}
