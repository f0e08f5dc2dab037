import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// The live picture, fitted with its aspect ratio, and an unmistakable "no signal" state.
Item {
    id: root

    // The rectangle the picture actually covers, for overlays that belong on it.
    readonly property rect pictureRect: Qt.rect(picture.x + picture.paintedRect.x,
                                                picture.y + picture.paintedRect.y,
                                                picture.paintedRect.width, picture.paintedRect.height)
    readonly property bool noSignal: !Kiosk.sourceOnline
    // False stops the picture's work while the item stays (a screen switched off).
    property alias active: picture.active

    Rectangle {
        anchors.fill: parent
        color: Theme.letterbox
    }

    // Every camera frame, made for this size on the preview thread (cpp/ui/livepicture.h).
    LivePicture {
        id: picture
        objectName: "livePicture"

        anchors.fill: parent
        stage: Kiosk.preview
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
