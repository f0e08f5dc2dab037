import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// The screen with several cameras (tst_cameragrid: KIOSK_TEST_CAMERAS test patterns in one
// pipeline): the grid fits the screen in both orientations, every tile is live, a tap shows a
// camera alone, a swipe or the arrows go to the next, Back returns to the grid, and what the
// panels act on follows the camera shown.
Item {
    id: root

    width: 100
    height: 100

    TestCase {
        id: testCase

        name: "CameraGrid"
        when: windowShown

        readonly property int cameras: Number(Net.environment("KIOSK_TEST_CAMERAS")) || 4

        Component {
            id: mainComponent

            Main {
                idleMs: 600000 // the panels stay while a layout is checked
            }
        }

        function init() {
            tryCompare(Kiosk.cameras, "count", cameras, 10000)
            Kiosk.currentCamera = 0
        }

        function cleanup() {
            for (let i = 0; i < cameras; ++i)
                Cameras.setSource(i, "")
            Kiosk.currentCamera = 0
            Kiosk.privacy = false
            Kiosk.settings.apply({"screen-rotation": "0"})
        }

        function tiles(main) {
            const grid = findChild(main.contentItem, "cameraGrid")
            const list = []
            for (let i = 0; i < cameras; ++i) {
                const tile = findChild(grid, "cameraTile" + i)
                verify(tile, "tile " + i)
                list.push(tile)
            }
            return list
        }

        function picture(tile) {
            return findChild(tile, "tilePicture-" + tile.name)
        }

        function overlap(a, b) {
            return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
        }

        function test_gridFitsTheScreen_data() {
            return [
                {tag: "landscape", width: 1280, height: 800},
                {tag: "portrait", width: 800, height: 1280}
            ]
        }

        // Every tile inside the grid's area, none over another, all the same size, the columns
        // the pictures are largest with (2x2 for four, 3x3 for nine on this screen's picture
        // areas), and each tile a camera of its own.
        function test_gridFitsTheScreen(data) {
            const main = createTemporaryObject(mainComponent, root, {width: data.width, height: data.height})
            const grid = findChild(main.contentItem, "cameraGrid")
            verify(grid.visible)
            verify(!findChild(main.contentItem, "preview").visible)
            waitForRendering(main.contentItem) // the tiles are placed when polished
            const list = tiles(main)
            const rects = list.map(t => t.mapToItem(grid, 0, 0, t.width, t.height))
            for (let i = 0; i < rects.length; ++i) {
                const r = rects[i]
                verify(r.x >= 0 && r.y >= 0 && r.x + r.width <= grid.width + 0.5
                       && r.y + r.height <= grid.height + 0.5, `tile ${i} at ${r} in ${grid.width}x${grid.height}`)
                verify(r.width > 0 && r.height > 0)
                fuzzyCompare(r.width, rects[0].width, 1.5)
                fuzzyCompare(r.height, rects[0].height, 1.5)
                for (let j = 0; j < i; ++j)
                    verify(!overlap(r, rects[j]), `tiles ${j} and ${i} overlap`)
                for (let j = 0; j < i; ++j)
                    verify(list[i].preview !== list[j].preview, `tiles ${j} and ${i} show one camera`)
            }
            const expected = {4: 2, 9: 3}
            if (expected[cameras])
                compare(grid.columns, expected[cameras])
            // No column count gives the pictures more room than the one chosen.
            const area = c => {
                const r = Math.ceil(cameras / c)
                const w = Math.min((grid.width - (c - 1) * Theme.tileGap) / c,
                                   (grid.height - (r - 1) * Theme.tileGap) / r * Theme.tileAspect)
                return w * w / Theme.tileAspect
            }
            for (let c = 1; c <= cameras; ++c)
                verify(area(c) <= area(grid.columns) + 1, `${c} columns would show more than ${grid.columns}`)
        }

        // Each tile draws new frames of its own camera, at the tile's size (smaller than the
        // source only where the tile is).
        function test_everyTileIsLive() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const pictures = tiles(main).map(t => picture(t))
            for (const shown of pictures)
                tryVerify(() => shown.showing && shown.frameSequence > 0, 10000, "a first picture")
            const drawn = pictures.map(p => p.framesDrawn())
            for (let i = 0; i < pictures.length; ++i)
                tryVerify(() => pictures[i].framesDrawn() >= drawn[i] + 5, 10000, `tile ${i} keeps drawing`)
            for (const shown of pictures) {
                verify(shown.pictureSize.width <= Math.ceil(shown.width))
                verify(shown.pictureSize.width <= 320)
            }
        }

        function test_tapShowsThatCameraAloneAndBack() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const grid = findChild(main.contentItem, "cameraGrid")
            const preview = findChild(main.contentItem, "preview")
            const list = tiles(main)
            const chosen = cameras - 1
            waitForRendering(main.contentItem)
            mouseClick(list[chosen])
            compare(Kiosk.currentCamera, chosen)
            verify(!grid.visible)
            verify(preview.visible)
            const alone = findChild(preview, "livePicture")
            compare(alone.stage, list[chosen].preview)
            compare(Kiosk.preview, list[chosen].preview)
            compare(Kiosk.cameraName, list[chosen].name)
            compare(Kiosk.cameraPath, "/camera/" + list[chosen].name)
            // The tiles hidden ask for no pictures; the camera alone does.
            tryVerify(() => alone.showing && alone.frameSequence > 0, 10000)
            for (const tile of list)
                verify(!picture(tile).showing)
            // Its URLs in the info panel.
            const info = findChild(main.contentItem, "infoPanel")
            const urls = findChild(info, "urlRepeater")
            for (let i = 0; i < urls.count; ++i)
                verify(urls.itemAt(i).text.endsWith(`/camera/${list[chosen].name}/stream`), urls.itemAt(i).text)
            mouseClick(findChild(main.contentItem, "cameraBack"))
            verify(grid.visible)
            verify(!preview.visible)
            compare(Kiosk.currentCamera, chosen) // framed in the grid
            verify(list[chosen].current)
        }

        function test_swipeAndArrowsGoToTheNext() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const preview = findChild(main.contentItem, "preview")
            const list = tiles(main)
            waitForRendering(main.contentItem)
            mouseClick(list[0])
            verify(preview.visible)
            // Finger to the left: the next camera.
            mouseDrag(preview, preview.width * 0.7, preview.height / 2, -preview.width * 0.4, 0)
            tryCompare(Kiosk, "currentCamera", 1)
            compare(findChild(preview, "livePicture").stage, list[1].preview)
            // To the right: back to the previous one.
            mouseDrag(preview, preview.width * 0.3, preview.height / 2, preview.width * 0.4, 0)
            tryCompare(Kiosk, "currentCamera", 0)
            // Too short, or up and down: nothing.
            mouseDrag(preview, preview.width / 2, preview.height / 2, -Theme.swipeDistance / 2, 0)
            mouseDrag(preview, preview.width / 2, preview.height * 0.2, -Theme.swipeDistance * 1.2,
                      preview.height * 0.6)
            compare(Kiosk.currentCamera, 0)
            // The arrows, round from the first to the last.
            mouseClick(findChild(main.contentItem, "cameraPrevious"))
            compare(Kiosk.currentCamera, cameras - 1)
            mouseClick(findChild(main.contentItem, "cameraNext"))
            compare(Kiosk.currentCamera, 0)
            mouseClick(findChild(main.contentItem, "cameraNext"))
            compare(Kiosk.currentCamera, 1)
            compare(findChild(preview, "livePicture").stage, list[1].preview)
        }

        // On a screen turned a quarter (--screen-rotation 90) a swipe along the picture still goes
        // the way the finger does (to the left, as the picture is seen: the next camera).
        function test_swipeOnATurnedScreen() {
            compare(Object.keys(Kiosk.settings.apply({"screen-rotation": "90"})).length, 0)
            tryCompare(Kiosk, "screenRotation", 90)
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            verify(main.portrait) // the landscape window turned: a portrait screen
            const preview = findChild(main.contentItem, "preview")
            waitForRendering(main.contentItem)
            mouseClick(tiles(main)[0])
            verify(preview.visible)
            mouseDrag(preview, preview.width * 0.7, preview.height / 2, -preview.width * 0.4, 0)
            tryCompare(Kiosk, "currentCamera", 1)
            mouseDrag(preview, preview.width * 0.3, preview.height / 2, preview.width * 0.4, 0)
            tryCompare(Kiosk, "currentCamera", 0)
            compare(Object.keys(Kiosk.settings.apply({"screen-rotation": "0"})).length, 0)
        }

        // Privacy acts on the current camera only; a camera offline says so on its own tile.
        function test_statesOnTheirOwnTile() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const list = tiles(main)
            const states = () => list.map(t => findChild(t, "tileState").visible)
            for (let i = 0; i < cameras; ++i)
                tryCompare(list[i], "cameraState", "", 10000)
            Kiosk.currentCamera = 1
            Kiosk.privacy = true
            tryCompare(list[1], "cameraState", "privacy", 5000)
            compare(findChild(list[1], "tileStateText").text, "PRIVACY")
            compare(states(), list.map((t, i) => i === 1))
            Kiosk.privacy = false
            tryCompare(list[1], "cameraState", "", 5000)
            verify(Cameras.setSource(0, "/dev/video57"))
            tryCompare(list[0], "cameraState", "no signal", 15000)
            compare(findChild(list[0], "tileStateText").text, "NO SIGNAL")
            compare(states(), list.map((t, i) => i === 0))
            // The others stay live meanwhile.
            for (let i = 1; i < cameras; ++i) {
                const live = picture(list[i])
                const drawn = live.framesDrawn()
                tryVerify(() => live.framesDrawn() >= drawn + 3, 10000, `tile ${i} still live`)
            }
            verify(Cameras.setSource(0, ""))
            tryCompare(list[0], "cameraState", "", 15000)
        }

        // One camera's own streaming switch, over the camera shown alone: its tile and URLs say
        // it is off while the others stream; under the operator PIN like the global switch.
        function test_oneCameraStreamingOff() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const list = tiles(main)
            waitForRendering(main.contentItem)
            mouseClick(list[1])
            const toggle = findChild(main.contentItem, "cameraStreamToggle")
            tryVerify(() => toggle.visible, 5000)
            const port = Kiosk.server.port
            const name = list[1].name
            compare(Net.status(port, `/camera/${name}/snapshot`), 200)
            mouseClick(toggle)
            verify(!Kiosk.cameraStreaming)
            verify(Kiosk.server.running) // the others go on
            compare(Net.status(port, `/camera/${name}/snapshot`), 503)
            compare(Net.status(port, `/camera/${list[0].name}/snapshot`), 200)
            tryCompare(list[1], "cameraState", "off", 5000)
            compare(list[0].cameraState, "")
            // Locked: the keypad first, nothing switched before the PIN.
            Kiosk.lock.setPin("1357")
            tryCompare(Kiosk.lock, "pinSet", true, 20000)
            tryCompare(Kiosk.lock, "checking", false, 20000)
            Kiosk.lock.lock()
            mouseClick(toggle)
            compare(Kiosk.lock.pending, "cameraStream")
            verify(!Kiosk.cameraStreaming)
            Kiosk.lock.enter("1357")
            tryVerify(() => Kiosk.cameraStreaming, 20000)
            compare(Net.status(port, `/camera/${name}/snapshot`), 200)
            tryCompare(list[1], "cameraState", "", 5000)
            Kiosk.lock.setPin("")
            tryCompare(Kiosk.lock, "pinSet", false, 20000)
        }

        // Cameras added, renamed and removed while the grid is up: only their tiles change (the
        // others keep their items), the current camera stays the same camera.
        function test_camerasComeAndGo() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const before = tiles(main)
            const first = before[0].name // its tile goes with it
            const grid = findChild(main.contentItem, "cameraGrid")
            Kiosk.currentCamera = 1
            const currentName = Kiosk.cameraName
            compare(Cameras.addCamera("added", ""), "")
            tryCompare(Kiosk.cameras, "count", cameras + 1, 5000)
            const added = findChild(grid, "cameraTile" + cameras)
            verify(added)
            compare(added.name, "added")
            tryVerify(() => picture(added).framesDrawn() > 2, 10000, "the new tile is live")
            for (let i = 0; i < cameras; ++i)
                verify(findChild(grid, "cameraTile" + i) === before[i], `tile ${i} kept`)
            compare(Cameras.renameCamera("added", "renamed"), "")
            tryCompare(added, "name", "renamed", 5000)
            verify(findChild(grid, "cameraTile" + cameras) === added)
            // Refused, with the reason.
            verify(Cameras.renameCamera("renamed", "Bad Name").length > 0)
            verify(Cameras.addCamera(first, "").length > 0)
            compare(Cameras.removeCamera(first), "")
            tryCompare(Kiosk.cameras, "count", cameras, 5000)
            // The current camera moved up a row and is still current.
            compare(Kiosk.cameraName, currentName)
            compare(Kiosk.currentCamera, 0)
            compare(Cameras.removeCamera("renamed"), "")
            tryCompare(Kiosk.cameras, "count", cameras - 1, 5000)
            // Back as it was, for the tests after this one.
            compare(Cameras.addCamera(first, ""), "")
            tryCompare(Kiosk.cameras, "count", cameras, 5000)
        }

        // The figures reach the tiles: viewers of one camera counted on its tile only.
        function test_viewersOnTheirTile() {
            const main = createTemporaryObject(mainComponent, root, {width: 1280, height: 800})
            const list = tiles(main)
            const name = list[1].name
            Net.openViewers(Kiosk.server.port, 2, `/camera/${name}/stream`)
            tryCompare(list[1], "viewers", 2, 10000)
            compare(list[0].viewers, 0)
            Net.closeViewers()
            tryCompare(list[1], "viewers", 0, 10000)
        }
    }
}
