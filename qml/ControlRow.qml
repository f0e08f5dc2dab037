pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// One camera control on the Camera page, a row of Kiosk.cameraControls: its name and the value
// in force, and what sets it by its type (integer: a slider with a step either side; boolean: a
// switch; menu: a button per item; button: a button). Changes go to the camera as they are
// made. Inactive (its automatic mode is on) or read-only: shown, but disabled; a value the
// camera did not take: the value in force stays, with the reason under it. The first row of a
// group carries the group's title.
ColumnLayout {
    id: root

    required property string name
    required property string label
    required property string type
    required property string group
    required property bool groupStart
    required property real minimum
    required property real maximum
    required property real step
    required property real value
    required property string valueText
    required property var menu
    required property bool inactive
    required property bool readOnly
    required property string refusal

    readonly property bool editable: !inactive && !readOnly
    readonly property var groupTitles: ({
        "image": qsTr("Image"),
        "exposure": qsTr("Exposure"),
        "focus": qsTr("Focus"),
        "white balance": qsTr("White balance"),
        "other": qsTr("Other")
    })

    function change(v) {
        Kiosk.cameraControls.set(root.name, v)
    }

    objectName: name + "Row"
    spacing: Theme.smallGap

    Label {
        objectName: root.name + "Group"
        visible: root.groupStart
        Layout.topMargin: Theme.spacing
        text: root.groupTitles[root.group] || root.group
        color: Theme.accent
        font.pixelSize: Theme.fontLarge
        font.bold: true
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            text: root.label
            color: root.editable ? Theme.text : Theme.muted
            font.pixelSize: Theme.fontNormal
            elide: Text.ElideRight
        }
        Label {
            objectName: root.name + "Value"
            visible: root.type !== "button"
            text: root.inactive ? qsTr("%1 (automatic)").arg(root.valueText) : root.valueText
            color: root.editable ? Theme.text : Theme.muted
            font.pixelSize: Theme.fontNormal
            font.bold: true
        }
    }

    // Integer: a slider for the range, a step down and up for the exact value.
    RowLayout {
        Layout.fillWidth: true
        visible: root.type === "integer"
        spacing: Theme.spacing / 2

        TouchButton {
            objectName: root.name + "Down"
            text: "−"
            enabled: root.editable && root.value > root.minimum
            onClicked: root.change(Math.max(root.minimum, root.value - root.step))
        }
        Slider {
            id: slider

            objectName: root.name + "Slider"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            enabled: root.editable
            from: root.minimum
            to: root.maximum
            stepSize: root.step
            snapMode: Slider.SnapAlways
            focusPolicy: Qt.NoFocus
            onMoved: root.change(value)

            // The value in force, except under the finger (the camera's echo must not pull the
            // handle back while it is dragged).
            Binding on value {
                when: !slider.pressed
                value: root.value
                restoreMode: Binding.RestoreNone // a press leaves the handle where it is
            }

            background: Rectangle {
                x: slider.leftPadding
                y: slider.topPadding + slider.availableHeight / 2 - height / 2
                width: slider.availableWidth
                height: Theme.smallGap * 2
                radius: height / 2
                color: Theme.background
                opacity: slider.enabled ? 1 : 0.5

                Rectangle {
                    width: slider.visualPosition * parent.width
                    height: parent.height
                    radius: parent.radius
                    color: Theme.accent
                }
            }
            handle: Rectangle {
                x: slider.leftPadding + slider.visualPosition * (slider.availableWidth - width)
                y: slider.topPadding + slider.availableHeight / 2 - height / 2
                implicitWidth: Math.round(Theme.touch * 0.7)
                implicitHeight: implicitWidth
                radius: width / 2
                color: slider.pressed ? Qt.lighter(Theme.text, 1.2) : Theme.text
                opacity: slider.enabled ? 1 : 0.4
            }
        }
        TouchButton {
            objectName: root.name + "Up"
            text: "+"
            enabled: root.editable && root.value < root.maximum
            onClicked: root.change(Math.min(root.maximum, root.value + root.step))
        }
    }

    Switch {
        id: toggle

        objectName: root.name + "Switch"
        visible: root.type === "boolean"
        enabled: root.editable
        checked: root.value !== 0
        focusPolicy: Qt.NoFocus
        implicitHeight: Theme.touch
        onToggled: root.change(checked ? 1 : 0)

        indicator: Rectangle {
            implicitWidth: Theme.touch * 1.6
            implicitHeight: Math.round(Theme.touch * 0.7)
            x: toggle.leftPadding
            y: toggle.height / 2 - height / 2
            radius: height / 2
            color: toggle.checked ? Theme.live : Theme.background
            border.width: Theme.thinBorder
            border.color: Theme.raised
            opacity: toggle.enabled ? 1 : 0.5

            Rectangle {
                x: toggle.checked ? parent.width - width - Theme.smallGap : Theme.smallGap
                anchors.verticalCenter: parent.verticalCenter
                width: parent.height - 2 * Theme.smallGap
                height: width
                radius: width / 2
                color: Theme.text
            }
        }
    }

    Flow {
        Layout.fillWidth: true
        visible: root.type === "menu"
        spacing: Theme.spacing / 2

        Repeater {
            model: root.type === "menu" ? root.menu : []

            TouchButton {
                id: item

                required property var modelData

                objectName: root.name + "Item" + modelData.value
                text: modelData.name
                fontSize: Theme.fontSmall
                enabled: root.editable
                highlighted: modelData.value === root.value
                color: highlighted ? Theme.accent : Theme.raised
                textColor: highlighted ? Theme.textOnLight : Theme.text
                onClicked: root.change(item.modelData.value)
            }
        }
    }

    TouchButton {
        objectName: root.name + "Button"
        visible: root.type === "button"
        enabled: root.editable
        text: qsTr("Press")
        onClicked: root.change(0)
    }

    Label {
        objectName: root.name + "Refusal"
        Layout.fillWidth: true
        visible: root.refusal.length > 0
        text: root.refusal
        color: Theme.error
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
}
