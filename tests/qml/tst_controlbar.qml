import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 1280
    height: 400

    TestCase {
        id: testCase

        name: "ControlBar"
        when: windowShown

        Component {
            id: barComponent

            ControlBar {
                width: root.width
            }
        }

        SignalSpy {
            id: savedSpy

            target: Kiosk
            signalName: "snapshotSaved"
        }
        SignalSpy {
            id: runningSpy

            target: Kiosk.server
            signalName: "runningChanged"
        }
        SignalSpy {
            id: privacySpy

            target: Kiosk
            signalName: "privacyChanged"
        }

        function init() {
            Kiosk.server.running = true
            Kiosk.privacy = false
        }

        function cleanup() {
            Net.closeViewers()
            Kiosk.server.running = true
            Kiosk.privacy = false
        }

        function test_buttonsAreTouchSized() {
            const bar = createTemporaryObject(barComponent, root)
            for (const name of ["streamToggle", "snapshotButton", "privacyButton", "infoButton", "settingsButton"]) {
                const button = findChild(bar, name)
                verify(button, name)
                verify(button.height >= 48, name + " is " + button.height + " px high")
                verify(button.width >= 48, name + " is " + button.width + " px wide")
            }
        }

        function test_toggleStopsAndRestartsTheServer() {
            const bar = createTemporaryObject(barComponent, root)
            const toggle = findChild(bar, "streamToggle")
            const port = Kiosk.server.port
            verify(port > 0)
            compare(Net.status(port, "/stream"), 200)
            Net.openViewers(port, 2)
            tryCompare(Net, "connectedViewers", 2)
            tryCompare(Kiosk.server, "clientCount", 2, 5000)

            runningSpy.clear()
            mouseClick(toggle)
            compare(runningSpy.count, 1)
            compare(Kiosk.server.running, false)
            verify(toggle.text.indexOf("Start") >= 0, toggle.text)
            // Open streams end, new ones are refused, /status says so, the page still answers.
            tryCompare(Net, "connectedViewers", 0, 5000)
            compare(Net.status(port, "/stream"), 503)
            compare(Net.status(port, "/"), 200)
            tryVerify(() => JSON.parse(Net.body(port, "/status")).streaming === false, 5000)
            tryCompare(Kiosk.frameRateHistory, "latest", 0, 2000) // nothing goes out

            // Back on, by touch this time.
            const touch = touchEvent(toggle)
            touch.press(0, toggle, toggle.width / 2, toggle.height / 2).commit()
            touch.release(0, toggle, toggle.width / 2, toggle.height / 2).commit()
            compare(Kiosk.server.running, true)
            verify(toggle.text.indexOf("Stop") >= 0, toggle.text)
            compare(Net.status(port, "/stream"), 200)
            tryVerify(() => JSON.parse(Net.body(port, "/status")).streaming === true, 5000)
        }

        function test_snapshotIsSavedAndConfirmed() {
            const bar = createTemporaryObject(barComponent, root)
            Kiosk.snapshotFolder = Net.tempPath + "/snapshots"
            tryVerify(() => Kiosk.frameSequence > 0, 5000)
            savedSpy.clear()
            mouseClick(findChild(bar, "snapshotButton"))
            savedSpy.wait(5000)
            const path = savedSpy.signalArguments[0][0]
            verify(path.startsWith(Net.tempPath + "/snapshots/"), path)
            const head = Net.fileHead(path, 2)
            compare(head.byteLength, 2)
            const bytes = new Uint8Array(head)
            compare(bytes[0], 0xff) // a JPEG: FF D8
            compare(bytes[1], 0xd8)
            const toast = findChild(bar, "snapshotToast")
            tryCompare(toast, "visible", true)
            verify(toast.message.indexOf(path) >= 0, toast.message)
        }

        function test_privacyToggle() {
            const bar = createTemporaryObject(barComponent, root)
            const button = findChild(bar, "privacyButton")
            privacySpy.clear()
            mouseClick(button)
            tryCompare(Kiosk, "privacy", true)
            tryCompare(privacySpy, "count", 1)
            tryCompare(button, "highlighted", true)
            mouseClick(button)
            tryCompare(Kiosk, "privacy", false)
            tryCompare(privacySpy, "count", 2)
            tryCompare(button, "highlighted", false)
        }
    }
}
