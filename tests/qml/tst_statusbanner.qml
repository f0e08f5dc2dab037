import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 800
    height: 200

    TestCase {
        id: testCase

        name: "StatusBanner"
        when: windowShown

        Component {
            id: bannerComponent

            StatusBanner {
                width: root.width
            }
        }

        function cleanup() {
            Net.closeViewers()
            Kiosk.server.running = true
        }

        function test_streamingStateIsUnmistakable() {
            const banner = createTemporaryObject(bannerComponent, root)
            const live = findChild(banner, "liveBadge")
            const off = findChild(banner, "notStreamingBanner")
            verify(live.visible)
            verify(!off.visible)

            Kiosk.server.running = false
            verify(!live.visible)
            verify(off.visible)
            compare(off.width, root.width) // across the whole picture
            Kiosk.server.running = true
            verify(live.visible)
            verify(!off.visible)
        }
    }
}
