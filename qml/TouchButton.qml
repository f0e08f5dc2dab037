import QtQuick
import QtQuick.Controls.Basic

// A large, plain button for fingers: the whole rectangle reacts, it shows being pressed (no
// hover-only cues), and `highlighted` makes it stand out in `color`.
Button {
    id: control

    property color color: Theme.raised
    property color textColor: Theme.text
    property real fontSize: Theme.fontNormal

    implicitHeight: Theme.touch
    implicitWidth: Math.max(Theme.touch, implicitContentWidth + leftPadding + rightPadding)
    padding: Theme.spacing
    horizontalPadding: Theme.spacing
    focusPolicy: Qt.NoFocus

    contentItem: Text {
        text: control.text
        font.pixelSize: control.fontSize
        font.bold: true
        color: control.enabled ? control.textColor : Theme.muted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }

    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Qt.lighter(control.color, 1.4) : control.color
        opacity: control.enabled ? 1 : 0.5
        border.width: control.highlighted ? Theme.border : 0
        border.color: Theme.text
    }
}
