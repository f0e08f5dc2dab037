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
    }
}
