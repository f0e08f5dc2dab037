import QtQuick
import QtTest
import MjpegKiosk

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 600
    height: 600

    TestCase {
        id: testCase

        name: "WatchInfo"
        when: windowShown

        Component {
            id: infoComponent

            WatchInfo {
                width: root.width
            }
        }
        Component {
            id: qrComponent

            Image {
                sourceSize: Qt.size(200, 200)
                source: "image://qrcode/" + encodeURIComponent("http://192.0.2.1:8080/")
            }
        }

        function test_qrCodeProvider() {
            const image = createTemporaryObject(qrComponent, root)
            compare(image.status, Image.Ready)
            // Whole pixels per module: a square no larger than asked for, quiet zone included.
            compare(image.implicitWidth, image.implicitHeight)
            verify(image.implicitWidth > 100 && image.implicitWidth <= 200, image.implicitWidth)
        }

        function test_urlsFollowThePort() {
            const info = createTemporaryObject(infoComponent, root)
            const addresses = info.addresses
            compare(addresses.port, Kiosk.server.port)
            if (addresses.count === 0)
                skip("this machine has no network address besides loopback")
            const port = ":" + Kiosk.server.port + "/"
            verify(addresses.mainUrl.startsWith("http://") && addresses.mainUrl.endsWith(port), addresses.mainUrl)
            const qr = findChild(info, "qrCode")
            tryCompare(qr, "status", Image.Ready)
            verify(qr.implicitWidth > 0)
            compare(findChild(info, "mainUrl").text, addresses.mainUrl)
        }

        function test_qrCodeGivesWayToTheUrls() {
            const info = createTemporaryObject(infoComponent, root)
            if (info.addresses.count === 0)
                skip("this machine has no network address besides loopback")
            info.width = 400 // the URLs under the code, as in the landscape panel
            verify(!info.wide)
            const box = findChild(info, "qrBox")
            // Room to spare: the full size, and nothing more.
            tryCompare(box, "width", info.maximumQrSize)
            compare(box.height, box.width)
            waitForRendering(info)
            const fullHeight = info.implicitHeight

            // Short by 30 px: the code gives exactly that, everything else stays.
            info.availableHeight = fullHeight - 30
            tryCompare(box, "width", info.maximumQrSize - 30)
            tryCompare(info, "implicitHeight", fullHeight - 30)
            const qr = findChild(info, "qrCode")
            tryCompare(qr, "status", Image.Ready)

            // Far too short: never below the size a phone still scans.
            info.availableHeight = 10
            tryCompare(box, "width", info.minimumQrSize)
            verify(info.implicitHeight > 10)
        }

        function test_urlsGoBesideTheCodeWhenThereIsRoom() {
            const info = createTemporaryObject(infoComponent, root)
            if (info.addresses.count === 0)
                skip("this machine has no network address besides loopback")
            info.width = 400
            verify(!info.wide)
            const box = findChild(info, "qrBox")
            const urls = findChild(info, "urls")
            tryVerify(() => urls.y >= box.y + box.height)
            compare(urls.x, box.x)
            const narrowHeight = info.implicitHeight

            info.width = 700
            verify(info.wide)
            tryVerify(() => urls.x >= box.x + box.width)
            verify(urls.y < box.y + box.height)
            // The code keeps its full size beside them, and the whole takes less height.
            compare(box.width, info.maximumQrSize)
            tryVerify(() => info.implicitHeight < narrowHeight)
        }
    }
}
