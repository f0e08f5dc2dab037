import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// How to watch from elsewhere: a QR code of the viewer page for phones, and the stream URL of
// each of this machine's addresses.
ColumnLayout {
    id: root

    property alias addresses: addresses
    property real qrSize: Math.round(150 * Theme.dp)

    spacing: Theme.spacing / 2

    NetworkAddresses {
        id: addresses

        port: Kiosk.server.port
    }

    Label {
        Layout.fillWidth: true
        text: addresses.count > 0 ? qsTr("Watch on another device") : qsTr("No network connection")
        color: addresses.count > 0 ? Theme.muted : Theme.warning
        font.pixelSize: Theme.fontNormal
    }

    RowLayout {
        Layout.fillWidth: true
        visible: addresses.mainUrl.length > 0
        spacing: Theme.spacing

        Rectangle {
            Layout.preferredWidth: root.qrSize
            Layout.preferredHeight: root.qrSize
            color: "white"
            radius: Theme.radius / 2

            Image {
                objectName: "qrCode"
                anchors.fill: parent
                anchors.margins: Math.round(2 * Theme.dp)
                fillMode: Image.PreserveAspectFit
                smooth: false // crisp modules scan best
                sourceSize: Qt.size(width, height)
                source: addresses.mainUrl.length > 0
                        ? "image://qrcode/" + encodeURIComponent(addresses.mainUrl) : ""
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
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
                text: qsTr("User \"viewer\", password required")
                color: Theme.warning
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
        }
    }

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
