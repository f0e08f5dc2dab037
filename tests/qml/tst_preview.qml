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

        function test_showsLiveFramesWithTheirAspectRatio() {
            const preview = createTemporaryObject(previewComponent, root)
            const image = findChild(preview, "previewImage")
            tryCompare(Kiosk, "sourceOnline", true, 5000)
            const first = Kiosk.frameSequence
            tryVerify(() => Kiosk.frameSequence > first + 3, 5000, "frames keep coming")
            compare(image.status, Image.Ready)
            compare(image.source.toString(), "image://camera/" + Kiosk.frameSequence)
            // The raw picture as captured (320x240), fitted: 4:3 inside 800x300.
            compare(image.implicitWidth, 320)
            compare(image.implicitHeight, 240)
            compare(image.paintedHeight, 300)
            compare(image.paintedWidth, 400)
            verify(!findChild(preview, "noSignal").visible)
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
