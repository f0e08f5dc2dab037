pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// A large touch keypad for the operator PIN: digits only (never the text keyboard), the entry
// shown as dots, a message line (wrong PIN, the lock-out's countdown). It covers what it is put
// over and takes every touch that misses its keys, so nothing under it is pressed.
Rectangle {
    id: root

    property string title
    property string message
    property bool messageIsError: true
    // Checking a PIN, or locked out after too many wrong ones: the keys do nothing.
    property bool busy: false
    property bool blocked: false
    property string pin: ""
    readonly property int maxDigits: 12

    signal entered(string pin)
    signal canceled()

    function press(key) {
        if (busy || blocked)
            return
        if (key === "clear")
            pin = pin.slice(0, -1)
        else if (key === "ok")
            root.entered(pin)
        else if (pin.length < maxDigits)
            pin += key
    }

    color: Theme.scrim

    MouseArea {
        anchors.fill: parent
    }

    Rectangle {
        anchors.centerIn: parent
        width: column.implicitWidth + 4 * Theme.spacing
        height: column.implicitHeight + 4 * Theme.spacing
        radius: Theme.radius
        color: Theme.panelSolid

        ColumnLayout {
            id: column

            anchors.centerIn: parent
            spacing: Theme.spacing

            Label {
                Layout.alignment: Qt.AlignHCenter
                text: root.title
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            Row {
                objectName: "pinDots"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: Theme.pinDot
                spacing: Theme.spacing

                Repeater {
                    model: Math.max(4, root.pin.length)

                    Rectangle {
                        required property int index

                        width: Theme.pinDot
                        height: Theme.pinDot
                        radius: Theme.pinDot / 2
                        color: index < root.pin.length ? Theme.accent : "transparent"
                        border.width: Theme.thinBorder
                        border.color: Theme.muted
                    }
                }
            }
            Label {
                objectName: "pinMessage"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: keys.implicitWidth
                horizontalAlignment: Text.AlignHCenter
                text: root.busy ? qsTr("Checking…") : root.message
                color: root.messageIsError && !root.busy ? Theme.error : Theme.muted
                font.pixelSize: Theme.fontNormal
                wrapMode: Text.WordWrap
            }
            GridLayout {
                id: keys

                Layout.alignment: Qt.AlignHCenter
                columns: 3
                rowSpacing: Theme.spacing
                columnSpacing: Theme.spacing

                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]

                    TouchButton {
                        id: key

                        required property string modelData

                        objectName: "pinKey" + modelData
                        Layout.preferredWidth: Theme.pinKey
                        Layout.preferredHeight: Theme.pinKey
                        enabled: !root.busy && !root.blocked
                                 && (modelData !== "ok" || root.pin.length >= 4)
                        text: modelData === "clear" ? "⌫" : modelData === "ok" ? qsTr("OK") : modelData
                        fontSize: Theme.fontHuge
                        color: modelData === "ok" ? Theme.live : Theme.raised
                        onClicked: root.press(key.modelData)
                    }
                }
            }
            TouchButton {
                objectName: "pinCancel"
                Layout.fillWidth: true
                text: qsTr("Cancel")
                onClicked: {
                    root.pin = ""
                    root.canceled()
                }
            }
        }
    }
}
