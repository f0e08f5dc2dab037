import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// Over one camera shown alone (of several): back to the grid and the camera's name and place at
// the top right (the status badge has the top left), the previous and next camera at the
// picture's sides. A swipe on the picture does the same as the
// arrows (Preview.qml).
Item {
    id: root

    signal backRequested()
    signal stepRequested(int step) // +1 the next camera, -1 the previous one
    signal streamingToggled() // this camera's own streaming switch (under the operator lock)

    TouchButton {
        id: back

        objectName: "cameraBack"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.spacing
        text: qsTr("▦  All cameras")
        onClicked: root.backRequested()
    }

    TouchButton {
        id: cameraStream

        objectName: "cameraStreamToggle"
        // Under "All cameras": the title keeps its room beside the status banner.
        anchors.top: back.bottom
        anchors.right: parent.right
        anchors.margins: Theme.spacing
        text: Kiosk.cameraStreaming ? qsTr("■  Stop this camera") : qsTr("▶  Start this camera")
        color: Kiosk.cameraStreaming ? Theme.off : Theme.live
        onClicked: root.streamingToggled()
    }

    Rectangle {
        objectName: "cameraTitle"

        anchors.top: parent.top
        anchors.right: back.left
        anchors.margins: Theme.spacing
        width: Math.min(title.implicitWidth + 2 * Theme.spacing, parent.width / 3)
        height: Theme.touch
        radius: height / 2
        color: Theme.overlay

        Label {
            id: title

            anchors.centerIn: parent
            width: Math.min(implicitWidth, parent.width - 2 * Theme.spacing)
            elide: Text.ElideRight
            text: qsTr("%1  (%2 of %3)").arg(Kiosk.cameraName).arg(Kiosk.currentCamera + 1)
                                         .arg(Kiosk.cameras.count)
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.bold: true
        }
    }

    TouchButton {
        objectName: "cameraPrevious"
        anchors.left: parent.left
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.spacing
        color: Theme.overlay
        fontSize: Theme.fontHuge
        text: "‹"
        onClicked: root.stepRequested(-1)
    }

    TouchButton {
        objectName: "cameraNext"
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.rightMargin: Theme.spacing
        color: Theme.overlay
        fontSize: Theme.fontHuge
        text: "›"
        onClicked: root.stepRequested(1)
    }
}
