import QtQuick
import QtTest
import MjpegKiosk

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 800
    height: 300

    TestCase {
        id: testCase

        name: "Preview"
        when: windowShown

        Component {
            id: previewComponent

            Preview {
                width: root.width
                height: root.height
            }
        }

        function cleanup() {
            Kiosk.settings.apply({source: "test"})
        }

        Component {
            id: smallPreviewComponent

            Preview {
                width: 160
                height: 100
            }
        }

        Component {
            id: stillComponent

            Image {
                cache: false
                source: "image://camera/still"
            }
        }

        function test_showsLiveFramesWithTheirAspectRatio() {
            const preview = createTemporaryObject(previewComponent, root)
            const picture = findChild(preview, "livePicture")
            tryCompare(Kiosk, "sourceOnline", true, 5000)
            verify(picture.showing)
            tryVerify(() => picture.frameSequence > 0, 5000, "a first picture")
            const first = picture.frameSequence
            const drawn = picture.framesDrawn()
            tryVerify(() => picture.frameSequence > first + 3, 5000, "frames keep coming")
            tryVerify(() => picture.framesDrawn() > drawn + 3, 5000, "and are drawn")
            // The raw picture as captured (320x240), fitted: 4:3 inside 800x300; made at the
            // frame's own size, since it is shown larger than that.
            compare(picture.sourceSize, Qt.size(320, 240))
            compare(picture.pictureSize, Qt.size(320, 240))
            compare(picture.paintedRect.height, 300)
            compare(picture.paintedRect.width, 400)
            compare(preview.pictureRect, Qt.rect(200, 0, 400, 300))
            verify(!findChild(preview, "noSignal").visible)
        }

        function test_pictureIsMadeAtTheSizeShown() {
            const preview = createTemporaryObject(smallPreviewComponent, root)
            const picture = findChild(preview, "livePicture")
            // 320x240 fitted into 160x100: 133x100, and not a pixel more is converted.
            tryCompare(picture, "pictureSize", Qt.size(133, 100), 5000)
            compare(picture.paintedRect, Qt.rect(160 / 2 - 400 / 6, 0, 400 / 3, 100))
        }

        function test_noWorkWhileHidden() {
            const preview = createTemporaryObject(previewComponent, root)
            const picture = findChild(preview, "livePicture")
            verify(picture.showing)
            preview.visible = false
            verify(!picture.showing)
            preview.visible = true
            verify(picture.showing)
            preview.active = false
            verify(!picture.showing)
            preview.active = true
            preview.width = 0
            verify(!picture.showing)
            preview.width = root.width
            verify(picture.showing)
            const shown = picture.frameSequence
            tryVerify(() => picture.frameSequence > shown, 5000, "back to live")
        }

        function test_stillsFromTheNewestPicture() {
            const preview = createTemporaryObject(previewComponent, root)
            const picture = findChild(preview, "livePicture")
            tryVerify(() => picture.frameSequence > 0, 5000, "a first picture")
            const still = createTemporaryObject(stillComponent, root)
            tryCompare(still, "status", Image.Ready, 5000)
            compare(still.implicitWidth, 320)
            compare(still.implicitHeight, 240)
        }

        function test_noSignalWhenTheSourceIsOffline() {
            const preview = createTemporaryObject(previewComponent, root)
            const noSignal = findChild(preview, "noSignal")
            compare(Object.keys(Kiosk.settings.apply({source: "/nonexistent/camera.mp4"})).length, 0)
            tryCompare(Kiosk, "sourceOnline", false, 10000)
            verify(noSignal.visible)
            Kiosk.settings.apply({source: "test"})
            tryCompare(Kiosk, "sourceOnline", true, 10000)
            verify(!noSignal.visible)
        }
    }
}
