import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// Every change of the camera's controls, for a few seconds at the top of the screen: what was
// set and by whom ("Brightness → 140 (by 192.168.1.5)"), from this screen, a viewer's POST
// /controls, --control or the saved values; a refused one says why.
Rectangle {
    id: root

    property string message
    readonly property bool failed: message.startsWith("Not applied")
    // Where it is placed decides how wide it may grow.
    property real maximumWidth: (parent ? parent.width : 0) - 2 * Theme.spacing

    width: Math.min(maximumWidth, noticeText.implicitWidth + 3 * Theme.spacing)
    height: noticeText.height + 2 * Theme.spacing
    radius: Theme.radius
    color: failed ? Theme.off : Theme.overlayStrong
    border.width: Theme.thinBorder
    border.color: failed ? Theme.off : Theme.accent
    visible: opacity > 0
    opacity: timer.running ? 1 : 0

    Behavior on opacity {
        NumberAnimation {
            duration: Theme.fadeDuration
        }
    }

    Label {
        id: noticeText

        objectName: "controlNoticeText"
        anchors.centerIn: parent
        width: Math.min(implicitWidth, root.width - 2 * Theme.spacing)
        text: root.message
        color: Theme.textOnColour
        font.pixelSize: Theme.fontNormal
        font.bold: true
        wrapMode: Text.WordWrap
        maximumLineCount: 3
        elide: Text.ElideRight
    }

    Timer {
        id: timer

        interval: Theme.toastDuration
    }

    Connections {
        target: Kiosk.cameraControls

        function onNoticed(text) {
            root.message = text
            timer.restart()
        }
    }
}
