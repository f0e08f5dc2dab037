import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// One setting: its name, a text field, and why the value is refused (checked as it is typed,
// by the same code as the command line).
ColumnLayout {
    id: root

    required property string field
    // What the objectNames of its parts start with: the field, unless two panels hold one.
    property string key: field
    // A text shown as it is, unchecked: a camera's own name in its rename field, "" on a form
    // not filled in yet. Null: every text is checked.
    property var accepted: null
    property string label
    property alias text: input.text
    property alias input: input
    // Set by the panel when applying failed for a reason only applying can find (port in use).
    property string applyError
    readonly property string error: applyError.length > 0 ? applyError
                                    : input.text === accepted ? ""
                                    : Kiosk.settings.check(field, input.text)

    spacing: Theme.smallGap

    Label {
        // Filling and wrapping: at its full width a long name would widen the field and push
        // the panel's two- and three-column rows past its right edge.
        Layout.fillWidth: true
        text: root.label
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
    TextField {
        id: input

        objectName: root.key + "Input"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.touch
        font.pixelSize: Theme.fontNormal
        color: Theme.text
        placeholderTextColor: Theme.muted
        inputMethodHints: Qt.ImhNoPredictiveText
        onTextEdited: root.applyError = ""
        background: Rectangle {
            radius: Theme.radius / 2
            color: Theme.background
            border.width: Theme.thinBorder
            border.color: root.error.length > 0 ? Theme.off : input.activeFocus ? Theme.accent : Theme.raised
        }
    }
    Label {
        objectName: root.key + "Error"
        Layout.fillWidth: true
        visible: root.error.length > 0
        text: root.error
        color: Theme.error
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
}
