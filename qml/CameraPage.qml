pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// The settings panel's Camera page: the source's own controls (Kiosk.cameraControls), grouped
// (image, exposure, focus, white balance, other), each applied to the camera as it is changed,
// and a reset to the camera's defaults. A source without controls says so. It sits inside the
// settings panel, so the operator PIN that opened the panel covers it (and the model refuses
// changes while the controls are locked).
Rectangle {
    id: root

    signal closeRequested()

    readonly property CameraControlModel controls: Kiosk.cameraControls

    // Brings the control named `name` into sight (tests, screenshots).
    function show(name) {
        const row = rows.itemAt(root.controls.indexOf(name))
        if (!row)
            return
        const y = form.mapFromItem(row, 0, 0).y
        flick.contentY = Math.max(0, Math.min(y, flick.contentHeight - flick.height))
    }

    color: Theme.panelSolid

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            TouchButton {
                objectName: "cameraBack"
                text: qsTr("‹ Settings")
                onClicked: root.closeRequested()
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0

                Label {
                    text: qsTr("Camera")
                    color: Theme.text
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                }
                Label {
                    objectName: "cameraName"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: root.controls.camera
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideMiddle
                }
            }
            TouchButton {
                objectName: "resetControls"
                visible: root.controls.available
                enabled: !root.controls.busy
                text: qsTr("Reset to defaults")
                onClicked: root.controls.resetToDefaults()
            }
        }

        Label {
            objectName: "noControls"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !root.controls.available
            text: qsTr("This source has no camera controls (%1).").arg(root.controls.reason)
            color: Theme.muted
            font.pixelSize: Theme.fontNormal
            wrapMode: Text.WordWrap
            verticalAlignment: Text.AlignTop
        }

        Flickable {
            id: flick

            objectName: "cameraFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.controls.available
            contentHeight: form.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: form

                width: flick.width
                spacing: Theme.spacing

                Repeater {
                    id: rows

                    model: root.controls

                    ControlRow {
                        Layout.fillWidth: true
                    }
                }
            }
        }

        Label {
            objectName: "controlsError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.controls.error
            color: Theme.error
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
        }
    }
}
