import QtQuick
import QtQuick.Layouts
import MjpegKiosk

// One camera on the Cameras page: its name (edited in place to rename it), its source, and
// buttons to rename and remove it. The page does the changes and says how they went.
ColumnLayout {
    id: root

    required property string name
    required property string source
    property bool removable: true

    signal renameRequested(string to)
    signal removeRequested()

    spacing: Theme.smallGap

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing

        SettingsField {
            id: newName

            Layout.fillWidth: true
            field: "camera-name"
            key: "cameraName_" + root.name
            label: qsTr("Source: %1").arg(root.source)
            text: root.name
            accepted: root.name
            input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        }
        TouchButton {
            objectName: "renameCamera_" + root.name
            Layout.alignment: Qt.AlignBottom
            enabled: newName.text !== root.name && newName.error.length === 0
            text: qsTr("Rename")
            onClicked: root.renameRequested(newName.text)
        }
        TouchButton {
            objectName: "removeCamera_" + root.name
            Layout.alignment: Qt.AlignBottom
            enabled: root.removable
            text: qsTr("Remove")
            color: Theme.off
            textColor: Theme.textOnColour
            onClicked: root.removeRequested()
        }
    }
}
