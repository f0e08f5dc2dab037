import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// One camera in the grid: its live picture made at the tile's size on the camera's preview
// thread (a small tile costs what it shows), its name and viewers, and whatever keeps it from
// being live (no signal, privacy, streaming off) in words. The current camera's tile is framed.
Rectangle {
    id: root

    // The camera's row in Kiosk.cameras (a Repeater's delegate).
    required property int index
    required property string name
    required property int viewers
    required property PreviewStage preview
    // The row itself, for its `state` role (an Item's own `state` has that name).
    required property var model
    readonly property string cameraState: model.state
    readonly property bool current: index === Kiosk.currentCamera

    signal tapped(int index)

    color: Theme.letterbox
    border.width: current ? Theme.tileFrame : 0
    border.color: Theme.tileCurrent

    LivePicture {
        id: livePicture

        objectName: "tilePicture-" + root.name // named in KIOSK_FRAME_STATS's log
        anchors.fill: parent
        anchors.margins: Theme.tileFrame
        stage: root.preview
        // A screen switched off needs no pictures (the grid hidden needs none either: the
        // item is then invisible).
        active: Kiosk.screen.state !== ScreenPower.Off
    }

    // What is wrong, at the top right (the middle is the placeholder's own words, and the
    // status badge may cover the top left of the first tile).
    Rectangle {
        objectName: "tileState"

        visible: root.cameraState.length > 0
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.tileFrame + Theme.smallGap
        width: Math.min(parent.width - 2 * Theme.spacing, stateText.implicitWidth + 2 * Theme.spacing)
        height: stateText.implicitHeight + Theme.spacing
        radius: Theme.radius
        color: Theme.overlayStrong
        border.color: root.cameraState === "off" ? Theme.off : Theme.warning
        border.width: Theme.border

        Label {
            id: stateText

            objectName: "tileStateText"
            anchors.centerIn: parent
            width: Math.min(implicitWidth, root.width - 4 * Theme.spacing)
            elide: Text.ElideRight
            text: root.cameraState === "no signal" ? qsTr("NO SIGNAL")
                : root.cameraState === "privacy" ? qsTr("PRIVACY")
                : root.cameraState === "off" ? qsTr("STREAMING OFF") : ""
            color: root.cameraState === "off" ? Theme.error : Theme.warning
            font.pixelSize: Theme.fontNormal
            font.bold: true
        }
    }

    // The name and viewers, at the bottom left of the tile.
    Rectangle {
        objectName: "tileLabel"

        x: Theme.tileFrame + Theme.smallGap
        y: parent.height - height - Theme.tileFrame - Theme.smallGap
        width: Math.min(parent.width - 2 * x, label.implicitWidth + Theme.spacing)
        height: label.implicitHeight + Theme.smallGap
        radius: Theme.radius / 2
        color: Theme.overlay

        RowLayout {
            id: label

            anchors.centerIn: parent
            width: Math.min(implicitWidth, parent.width - Theme.spacing)
            spacing: Theme.smallGap

            Label {
                objectName: "tileName"
                Layout.fillWidth: true
                text: root.name
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                font.bold: true
                elide: Text.ElideRight
            }
            Label {
                objectName: "tileViewers"
                text: qsTr("%n viewer(s)", "", root.viewers)
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
            }
        }
    }

    TapHandler {
        onTapped: root.tapped(root.index)
    }
}
