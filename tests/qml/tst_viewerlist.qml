import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 600
    height: 600

    TestCase {
        id: testCase

        name: "ViewerList"
        when: windowShown

        Component {
            id: listComponent

            ViewerList {
                width: root.width
                height: root.height
            }
        }

        function cleanup() {
            Net.closeViewers()
        }

        function test_followsRealClients() {
            const list = createTemporaryObject(listComponent, root)
            const view = findChild(list, "viewerListView")
            const countLabel = findChild(list, "viewerCount")
            tryCompare(Kiosk.server, "clientCount", 0, 5000)
            compare(countLabel.text, "0 viewers")

            Net.openViewers(Kiosk.server.port, 3)
            tryCompare(Kiosk.server, "clientCount", 3, 5000)
            tryCompare(view, "count", 3)
            compare(countLabel.text, "3 viewers")
            // Every row says who it is and what it gets.
            tryVerify(() => Kiosk.viewers.count === 3)
            tryVerify(() => view.itemAtIndex(0) !== null)
            const row = view.itemAtIndex(0)
            verify(row.address.startsWith("127.0.0.1:"), row.address)
            tryVerify(() => view.itemAtIndex(0).bytesSent > 0, 5000)

            Net.closeViewers()
            tryCompare(Kiosk.server, "clientCount", 0, 5000)
            tryCompare(view, "count", 0)
            compare(countLabel.text, "0 viewers")
        }

        // Each row says which size (output profile) its viewer gets.
        function test_showsEachViewersProfile() {
            const list = createTemporaryObject(listComponent, root)
            const view = findChild(list, "viewerListView")
            Net.openViewers(Kiosk.server.port, 1, "/stream?width=160")
            Net.openViewers(Kiosk.server.port, 1)
            tryCompare(view, "count", 2, 5000)
            tryVerify(() => view.itemAtIndex(0) !== null && view.itemAtIndex(1) !== null)
            const profiles = [view.itemAtIndex(0).profile, view.itemAtIndex(1).profile].sort()
            compare(profiles, ["160x120", "320x240"])
            const label = findChild(view.itemAtIndex(0), "viewerProfile")
            verify(label.text === "160x120" || label.text === "320x240", label.text)
        }

        function test_oneViewerIsSingular() {
            const list = createTemporaryObject(listComponent, root)
            const countLabel = findChild(list, "viewerCount")
            Net.openViewers(Kiosk.server.port, 1)
            tryCompare(Kiosk.server, "clientCount", 1, 5000)
            compare(countLabel.text, "1 viewer")
        }
    }
}
