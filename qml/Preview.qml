import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// The live picture, fitted with its aspect ratio, and an unmistakable "no signal" state.
Item {
    id: root

    // The rectangle the picture actually covers, for overlays that belong on it.
    readonly property rect pictureRect: Qt.rect(image.x + (image.width - image.paintedWidth) / 2,
                                                image.y + (image.height - image.paintedHeight) / 2,
                                                image.paintedWidth, image.paintedHeight)
    readonly property bool noSignal: !Kiosk.sourceOnline

    Rectangle {
        anchors.fill: parent
        color: Theme.letterbox
    }

    Image {
        id: image
        objectName: "previewImage"

        anchors.fill: parent
        fillMode: Image.PreserveAspectFit
        // The provider hands over the raw picture the encoder already has, so loading it in
        // place is cheap: the old picture stays until the new one replaces it in the same frame
        // (no flicker), and there is never more than one request outstanding. frameSequence is
        // coalesced in C++, so a busy screen skips frames instead of queueing them.
        asynchronous: false
        cache: false
        smooth: true
        source: "image://camera/" + Kiosk.frameSequence
    }

    Rectangle {
        objectName: "noSignal"

        visible: root.noSignal
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.spacing, noSignalColumn.implicitWidth + 4 * Theme.spacing)
        height: noSignalColumn.implicitHeight + 3 * Theme.spacing
        radius: Theme.radius
        color: Theme.overlayStrong
        border.color: Theme.warning
        border.width: Theme.border

        Column {
            id: noSignalColumn

            anchors.centerIn: parent
            spacing: Theme.spacing / 2

            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("NO SIGNAL")
                color: Theme.warning
                font.pixelSize: Theme.fontHuge
                font.bold: true
            }
            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                width: Math.min(implicitWidth, root.width - 6 * Theme.spacing)
                text: Kiosk.sourceDescription.length > 0
                      ? qsTr("%1 is offline; retrying").arg(Kiosk.sourceDescription)
                      : qsTr("Waiting for the camera")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                elide: Text.ElideMiddle
            }
        }
    }
}
