import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// The settings panel's Cameras page (issue 19 item 5) against the real pipeline: a camera added
// there is served at once under /camera/NAME/, renamed (the old URL 404s, the new one works) and
// removed; a refusal shows the pipeline's reason and changes nothing; the list is saved.
Item {
    id: root

    width: 800
    height: 1200

    TestCase {
        id: testCase

        name: "CamerasPage"
        when: windowShown

        Component {
            id: pageComponent

            CamerasPage {
                width: root.width
                height: root.height
            }
        }

        // Every other test expects the one camera it started with.
        function cleanup() {
            const cameras = Kiosk.settings.cameras
            for (let i = cameras.length - 1; i > 0; --i)
                Kiosk.settings.removeCamera(cameras[i].name)
        }

        function names() {
            return Kiosk.settings.cameras.map(c => c.name)
        }

        function addThroughThePage(page, name, source) {
            findChild(page, "newCameraNameInput").text = name
            findChild(page, "newCameraSourceInput").text = source
            mouseClick(findChild(page, "addCamera"))
        }

        function test_addRenameRemove() {
            const page = createTemporaryObject(pageComponent, root)
            const port = Kiosk.server.port
            const first = names()[0]
            addThroughThePage(page, "door", "test")
            compare(findChild(page, "camerasStatus").text, "Camera 'door' added")
            compare(names(), [first, "door"])
            tryVerify(() => Net.jpegSize(port, "/camera/door/snapshot").width > 0, 10000)
            compare(Net.savedSetting("cameras/2/name"), "door")
            compare(Net.savedSetting("cameras/2/source"), "test")

            const name = findChild(page, "cameraName_doorInput")
            verify(name)
            name.text = "gate"
            mouseClick(findChild(page, "renameCamera_door"))
            compare(findChild(page, "camerasStatus").text, "Camera 'door' is now 'gate'")
            compare(names(), [first, "gate"])
            compare(Net.status(port, "/camera/door/snapshot"), 404)
            tryVerify(() => Net.jpegSize(port, "/camera/gate/snapshot").width > 0, 10000)
            compare(Net.savedSetting("cameras/2/name"), "gate")

            mouseClick(findChild(page, "removeCamera_gate"))
            compare(findChild(page, "camerasStatus").text, "Camera 'gate' removed")
            compare(names(), [first])
            compare(Net.status(port, "/camera/gate/snapshot"), 404)
            compare(Net.savedSetting("cameras/size"), 1)
        }

        function test_refusalsSayWhyAndChangeNothing() {
            const page = createTemporaryObject(pageComponent, root)
            const first = names()[0]
            // The last camera cannot go.
            verify(!findChild(page, "removeCamera_" + first).enabled)
            // A name as it is typed.
            findChild(page, "newCameraNameInput").text = "Door"
            verify(findChild(page, "newCameraNameError").text.indexOf("must be 1 to 32 of a-z") >= 0)
            verify(!findChild(page, "addCamera").enabled)
            findChild(page, "newCameraNameInput").text = first
            verify(findChild(page, "newCameraNameError").text.indexOf(first) >= 0)
            // What only the pipeline can tell: a source another camera uses.
            addThroughThePage(page, "door", "/dev/video9")
            compare(names(), [first, "door"])
            addThroughThePage(page, "yard", "9")
            const status = findChild(page, "camerasStatus")
            verify(status.text.indexOf("'door' and 'yard' both use") >= 0, status.text)
            verify(page.failed)
            compare(names(), [first, "door"])
            compare(Net.savedSetting("cameras/size"), 2)
            // Renaming to a taken name is refused before it is tried.
            findChild(page, "cameraName_doorInput").text = first
            verify(!findChild(page, "renameCamera_door").enabled)
        }
    }
}
