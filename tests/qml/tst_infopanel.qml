import QtQuick
import QtTest
import MjpegKiosk

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 440
    height: 800

    TestCase {
        id: testCase

        name: "InfoPanel"
        when: windowShown

        Component {
            id: panelComponent

            InfoPanel {
                width: root.width
            }
        }

        // Shorter than the QR code at its smallest allows: the rest scrolls, and says so.
        function test_scrollsToTheLastUrlWhenShort() {
            const panel = createTemporaryObject(panelComponent, root, {height: 300})
            const flickable = findChild(panel, "infoFlickable")
            const scrollBar = findChild(panel, "infoScrollBar")
            const urls = findChild(panel, "urlRepeater")
            if (urls.count === 0)
                skip("this machine has no network address besides loopback")
            tryVerify(() => flickable.contentHeight > flickable.height)
            tryCompare(scrollBar, "visible", true)
            // Beside the content, not over its right edge.
            verify(scrollBar.x >= flickable.x + flickable.width)
            verify(scrollBar.x + scrollBar.width <= panel.width)

            const last = urls.itemAt(urls.count - 1)
            const visible = () => {
                const r = last.mapToItem(flickable, 0, 0, last.width, last.height)
                return r.y >= 0 && r.y + r.height <= flickable.height
            }
            verify(!visible())
            // A finger drags the content up until its end.
            tryVerify(() => {
                if (!flickable.atYEnd)
                    mouseDrag(flickable, flickable.width / 2, flickable.height - 20, 0, -150)
                return flickable.atYEnd
            }, 5000)
            tryVerify(visible)
        }

        function test_noScrollBarWhenEverythingFits() {
            const panel = createTemporaryObject(panelComponent, root, {height: root.height})
            const flickable = findChild(panel, "infoFlickable")
            tryVerify(() => flickable.contentHeight > 0)
            verify(flickable.contentHeight <= flickable.height)
            compare(findChild(panel, "infoScrollBar").visible, false)
        }
    }
}
