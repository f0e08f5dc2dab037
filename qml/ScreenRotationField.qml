pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import MjpegKiosk

// --screen-rotation in the settings panel: the field (checked as typed, like the others) and a
// button for each quarter turn. Applied, the whole screen turns at once, this panel with it.
SettingsField {
    id: root

    field: "screen-rotation"
    label: qsTr("Turn the screen for its mounting (degrees clockwise, touch included)")
    input.inputMethodHints: Qt.ImhDigitsOnly

    Flow {
        Layout.fillWidth: true
        spacing: Theme.spacing / 2

        Repeater {
            model: ["0", "90", "180", "270"]

            TouchButton {
                id: angleButton

                required property string modelData

                objectName: "screenRotation" + angleButton.modelData
                text: qsTr("%1°").arg(angleButton.modelData)
                highlighted: root.text === angleButton.modelData
                fontSize: Theme.fontSmall
                onClicked: {
                    root.text = angleButton.modelData
                    root.applyError = "" // a new value: what Apply said of the old one is past
                }
            }
        }
    }
}
