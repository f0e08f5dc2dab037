pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// The settings panel's Cameras page (issue 19): every camera with its source, renamed or removed
// there, and a new one added with a name and a source. Each change takes effect at once and is
// kept for the next start; a refusal (a bad or taken name, a source another camera uses, too
// many cameras, the last one) shows its reason and changes nothing. It sits inside the settings
// panel, so the operator PIN that opened the panel covers it.
Rectangle {
    id: root

    signal closeRequested()

    // What the last change said, and whether it was a refusal.
    property string message
    property bool failed: false

    // Shows what `error` says, or `done` when it is empty; true when it is.
    function report(error, done) {
        failed = error.length > 0
        message = failed ? error : done
        return !failed
    }

    function add() {
        if (report(Kiosk.settings.addCamera(newName.text, newSource.text),
                   qsTr("Camera '%1' added").arg(newName.text))) {
            newName.text = ""
            newSource.text = ""
        }
    }

    color: Theme.panelSolid
    onVisibleChanged: message = ""

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            TouchButton {
                objectName: "camerasBack"
                text: qsTr("‹ Settings")
                onClicked: root.closeRequested()
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Cameras")
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
        }

        Flickable {
            id: flick

            objectName: "camerasFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: form.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: form

                width: flick.width
                spacing: Theme.spacing

                Repeater {
                    model: Kiosk.settings.cameras

                    CameraEntry {
                        id: entry

                        required property var modelData

                        Layout.fillWidth: true
                        name: entry.modelData.name
                        source: entry.modelData.source
                        removable: Kiosk.settings.cameras.length > 1
                        onRenameRequested: to => root.report(Kiosk.settings.renameCamera(entry.name, to),
                                                             qsTr("Camera '%1' is now '%2'").arg(entry.name).arg(to))
                        onRemoveRequested: root.report(Kiosk.settings.removeCamera(entry.name),
                                                       qsTr("Camera '%1' removed").arg(entry.name))
                    }
                }

                Label {
                    text: qsTr("Add a camera")
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                    font.bold: true
                }
                SettingsField {
                    id: newName

                    Layout.fillWidth: true
                    field: "camera-name"
                    key: "newCameraName"
                    label: qsTr("Name (a-z, 0-9, -; in its URL: /camera/NAME/stream)")
                    accepted: ""
                    input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2

                    Repeater {
                        model: Kiosk.settings.sources

                        TouchButton {
                            id: sourceButton

                            required property var modelData

                            text: sourceButton.modelData.name
                            highlighted: newSource.text === sourceButton.modelData.spec
                            color: highlighted ? Theme.accent : Theme.raised
                            textColor: highlighted ? Theme.textOnLight : Theme.text
                            onClicked: newSource.text = sourceButton.modelData.spec
                        }
                    }
                }
                SettingsField {
                    id: newSource

                    Layout.fillWidth: true
                    field: "source"
                    key: "newCameraSource"
                    label: qsTr("…or a device, video file or URL")
                    accepted: ""
                    input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                }
                TouchButton {
                    objectName: "addCamera"
                    enabled: newName.text.length > 0 && newSource.text.length > 0
                             && newName.error.length === 0 && newSource.error.length === 0
                    text: qsTr("Add")
                    color: Theme.live
                    onClicked: root.add()
                }
            }
        }

        Label {
            objectName: "camerasStatus"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.message
            color: root.failed ? Theme.error : Theme.live
            font.pixelSize: Theme.fontNormal
            wrapMode: Text.WordWrap
        }
    }
}
