import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// The whole screen: layouts and panels that slide away and come back.
Item {
    id: root

    width: 100
    height: 100

    TestCase {
        id: testCase

        name: "Main"
        when: windowShown

        Component {
            id: mainComponent

            Main {}
        }

        function test_landscapePanelsSlideAwayAndComeBack() {
            // The idle delay stays long while a state is checked: a short one could hide the
            // panels again between two polls of a busy machine.
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            waitForRendering(main.contentItem)
            const preview = findChild(main.contentItem, "preview")
            const info = findChild(main.contentItem, "infoPanel")
            const bar = findChild(main.contentItem, "controlBar")
            verify(!main.portrait)
            // Side by side at first: the panel never covers the picture.
            tryCompare(info, "x", 1280 - info.width)
            compare(preview.width, info.x)
            // Nobody touches: the panels leave and the picture takes the whole screen.
            main.idleMs = 300
            tryCompare(info, "x", 1280, 3000)
            tryCompare(bar, "y", 800, 3000)
            tryCompare(preview, "width", 1280)
            tryCompare(preview, "height", 800)
            // A tap on the picture brings them back.
            main.idleMs = 60000
            mouseClick(preview)
            tryCompare(bar, "y", 800 - bar.height, 3000)
            tryCompare(info, "x", 1280 - info.width, 3000)
        }

        function test_portraitStacksPictureInfoAndControls() {
            const main = createTemporaryObject(mainComponent, root, {width: 800, height: 1280, idleMs: 300})
            const preview = findChild(main.contentItem, "preview")
            const info = findChild(main.contentItem, "infoPanel")
            const bar = findChild(main.contentItem, "controlBar")
            verify(main.portrait)
            compare(preview.width, 800)
            compare(info.y, preview.y + preview.height)
            compare(info.x, 0)
            compare(bar.y, 1280 - bar.height)
            compare(info.y + info.height, bar.y)
            wait(600) // longer than idleMs: portrait has room for all, nothing hides
            compare(bar.y, 1280 - bar.height)
        }

        function cleanup() {
            Net.closeViewers()
        }

        function test_infoPanelShowsEveryUrl_data() {
            return [
                {tag: "landscape", width: 1280, height: 800},
                {tag: "portrait", width: 800, height: 1280}
            ]
        }

        // The reference screen, three viewers (as many rows as the list shows before it
        // scrolls): every stream URL on screen without scrolling.
        function test_infoPanelShowsEveryUrl(data) {
            Net.openViewers(Kiosk.server.port, 3)
            tryCompare(Kiosk.server, "clientCount", 3, 5000)
            const main = createTemporaryObject(mainComponent, root, {width: data.width, height: data.height})
            const info = findChild(main.contentItem, "infoPanel")
            const flickable = findChild(info, "infoFlickable")
            const urls = findChild(info, "urlRepeater")
            if (urls.count === 0)
                skip("this machine has no network address besides loopback")
            tryCompare(findChild(info, "viewerListView"), "count", 3)
            tryCompare(info, "x", data.width - info.width)
            waitForRendering(main.contentItem)
            tryVerify(() => flickable.contentHeight <= flickable.height)
            compare(flickable.contentY, 0)
            compare(findChild(info, "infoScrollBar").visible, false)
            for (let i = 0; i < urls.count; ++i) {
                const label = urls.itemAt(i)
                const r = label.mapToItem(flickable, 0, 0, label.width, label.height)
                verify(r.y >= 0 && r.y + r.height <= flickable.height,
                       `${label.text} at ${r.y}..${r.y + r.height} of ${flickable.height}`)
            }
        }

        // One camera: no grid, no way to another camera, the plain URLs; the screen as it was
        // before there could be several.
        function test_oneCameraIsShownAlone() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            compare(Kiosk.cameras.count, 1)
            compare(Kiosk.currentCamera, 0)
            compare(Kiosk.cameraPath, "")
            verify(findChild(main.contentItem, "preview").visible)
            verify(!findChild(main.contentItem, "preview").swipeEnabled)
            verify(!findChild(main.contentItem, "cameraGrid").visible)
            compare(findChild(main.contentItem, "tileRepeater").count, 0)
            verify(!findChild(main.contentItem, "cameraSwitcher").visible)
        }

        function test_settingsOpenFromTheBar() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const settings = findChild(main.contentItem, "settingsPanel")
            compare(settings.visible, false)
            mouseClick(findChild(main.contentItem, "settingsButton"))
            tryCompare(settings, "x", 1280 - settings.width)
            verify(settings.visible)
            mouseClick(findChild(settings, "closeSettings"))
            tryCompare(settings, "visible", false)
        }
    }
}
