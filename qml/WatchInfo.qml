import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// How to watch from elsewhere: a QR code of the viewer page for phones, and the stream URL of
// each of this machine's addresses (of the current camera, when there are several).
ColumnLayout {
    id: root

    property alias addresses: addresses
    // The height left for this on screen (the panel sets it). The URLs matter more than a large
    // QR code: the code gives up size for them, down to what a phone held close still scans.
    property real availableHeight: Infinity
    readonly property real maximumQrSize: Theme.qrMaximum
    readonly property real minimumQrSize: Theme.qrMinimum
    readonly property real qrSize: Math.max(minimumQrSize, Math.min(maximumQrSize,
            availableHeight - heading.implicitHeight - spacing
            - (wide ? 0 : urls.implicitHeight + details.rowSpacing)))
    // Wide enough for the URLs to go beside the QR code (portrait) instead of under it.
    readonly property bool wide: width >= Theme.watchInfoWide

    spacing: Theme.spacing / 2

    NetworkAddresses {
        id: addresses

        port: Kiosk.server.port
        // Several cameras: the pages and stream of the one on screen.
        cameraPath: Kiosk.cameraPath
    }

    Label {
        id: heading

        Layout.fillWidth: true
        text: addresses.count > 0 ? qsTr("Watch on another device") : qsTr("No network connection")
        color: addresses.count > 0 ? Theme.muted : Theme.warning
        font.pixelSize: Theme.fontNormal
    }

    // Wide: the code spans both rows, the hint and the URLs stack beside it. Narrow: the hint
    // beside the code, the URLs under both.
    GridLayout {
        id: details

        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: root.spacing

        Rectangle {
            objectName: "qrBox"
            Layout.preferredWidth: root.qrSize
            Layout.preferredHeight: root.qrSize
            Layout.rowSpan: root.wide ? 2 : 1
            Layout.alignment: Qt.AlignLeft | Qt.AlignTop
            visible: addresses.mainUrl.length > 0
            color: Theme.qrBackground
            radius: Theme.radius / 2

            Image {
                objectName: "qrCode"
                anchors.fill: parent
                anchors.margins: Theme.thinBorder
                fillMode: Image.PreserveAspectFit
                smooth: false // crisp modules scan best
                sourceSize.width: width
                sourceSize.height: height
                source: addresses.mainUrl.length > 0
                        ? "image://qrcode/" + encodeURIComponent(addresses.mainUrl) : ""
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: root.wide ? Qt.AlignTop : Qt.AlignVCenter
            visible: addresses.mainUrl.length > 0
            spacing: Theme.spacing / 2

            Label {
                Layout.fillWidth: true
                text: qsTr("Scan with a phone to open")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                wrapMode: Text.WordWrap
            }
            Label {
                Layout.fillWidth: true
                visible: Kiosk.settings.password.length > 0
                text: qsTr("User \"%1\", password required").arg(Kiosk.settings.user)
                color: Theme.warning
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
        }
        ColumnLayout {
            id: urls

            objectName: "urls"
            Layout.fillWidth: true
            Layout.columnSpan: root.wide ? 1 : 2
            Layout.alignment: Qt.AlignTop
            spacing: root.spacing

            Label {
                objectName: "mainUrl"
                Layout.fillWidth: true
                text: addresses.mainUrl
                color: Theme.accent
                font.pixelSize: Theme.fontNormal
                font.bold: true
                wrapMode: Text.WrapAnywhere
            }
            Label {
                visible: addresses.count > 0
                text: qsTr("Stream (ffplay, VLC, OpenCV):")
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
            }
            Repeater {
                objectName: "urlRepeater"
                model: addresses

                Label {
                    required property string url

                    Layout.fillWidth: true
                    text: url
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    wrapMode: Text.WrapAnywhere
                }
            }
        }
    }
}
