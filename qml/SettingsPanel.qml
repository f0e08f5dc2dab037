pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Window
import MjpegKiosk

// The settings: source, resolution, frame rate, JPEG quality, rotation, flip, crop, port and
// viewer password. Values
// are checked as they are typed; Apply makes them take effect at once and keeps them for the
// next start; a refused value stays on screen with its reason.
Rectangle {
    id: root

    signal closeRequested()

    // What Apply last said: empty, or a summary of what went wrong; `applied` says which.
    property string status
    property bool applied: false

    // Fills the fields with what is in effect now (when the panel opens).
    function load() {
        sourceField.text = Kiosk.settings.source
        resolutionField.text = Kiosk.settings.resolution
        fpsField.text = Kiosk.settings.fps
        qualityField.text = Kiosk.settings.quality
        rotateField.text = Kiosk.settings.rotate
        flipField.text = Kiosk.settings.flip
        cropField.text = Kiosk.settings.crop
        portField.text = Kiosk.settings.port
        passwordField.text = Kiosk.settings.password
        for (let i = 0; i < fields.length; ++i)
            fields[i].applyError = ""
        status = ""
        applied = false
    }

    function apply() {
        const values = {}
        for (let i = 0; i < fields.length; ++i)
            values[fields[i].field] = fields[i].text
        const errors = Kiosk.settings.apply(values)
        let refused = 0
        for (let i = 0; i < fields.length; ++i) {
            const f = fields[i]
            f.applyError = errors[f.field] || ""
            if (f.applyError.length > 0)
                ++refused
        }
        applied = refused === 0
        status = applied ? qsTr("Applied and saved") : qsTr("Not applied: %n value(s) refused", "", refused)
        return refused === 0
    }

    readonly property list<SettingsField> fields: [sourceField, resolutionField, fpsField, qualityField,
                                                   rotateField, flipField, cropField, portField,
                                                   passwordField]
    readonly property bool valid: {
        for (let i = 0; i < fields.length; ++i) {
            if (fields[i].error.length > 0)
                return false
        }
        return true
    }

    // Keeps the field being typed into in sight above the on-screen keyboard, which shrinks the
    // panel when it opens.
    function ensureFocusVisible() {
        const item = Window.activeFocusItem
        if (!item || !form.contains(form.mapFromItem(item, 0, 0)))
            return
        const top = form.mapFromItem(item, 0, 0).y - Theme.spacing
        const bottom = top + item.height + 3 * Theme.spacing // room for its error line
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(bottom - flick.height, Math.max(0, flick.contentHeight - flick.height))
    }

    color: Theme.panelSolid
    Component.onCompleted: load()
    Window.onActiveFocusItemChanged: ensureFocusVisible()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true

            Label {
                Layout.fillWidth: true
                text: qsTr("Settings")
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            TouchButton {
                objectName: "closeSettings"
                text: qsTr("Close")
                onClicked: root.closeRequested()
            }
        }

        Flickable {
            id: flick

            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: form.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            onHeightChanged: root.ensureFocusVisible()

            ColumnLayout {
                id: form

                width: flick.width
                spacing: Theme.spacing

                Label {
                    text: qsTr("Source")
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
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
                            highlighted: sourceField.text === sourceButton.modelData.spec
                            color: highlighted ? Theme.accent : Theme.raised
                            textColor: highlighted ? Theme.textOnLight : Theme.text
                            onClicked: sourceField.text = sourceButton.modelData.spec
                        }
                    }
                }
                SettingsField {
                    id: sourceField

                    Layout.fillWidth: true
                    field: "source"
                    label: qsTr("…or a device, video file or URL")
                    input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                }

                SettingsField {
                    id: resolutionField

                    Layout.fillWidth: true
                    field: "resolution"
                    label: qsTr("Resolution (width x height)")
                    input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2

                    Repeater {
                        model: ["640x480", "1280x720", "1920x1080"]

                        TouchButton {
                            id: resolutionButton

                            required property string modelData

                            text: resolutionButton.modelData
                            highlighted: resolutionField.text === resolutionButton.modelData
                            fontSize: Theme.fontSmall
                            onClicked: resolutionField.text = resolutionButton.modelData
                        }
                    }
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: root.width > Theme.settingsThreeColumns ? 3 : 1
                    columnSpacing: Theme.spacing
                    rowSpacing: Theme.spacing

                    SettingsField {
                        id: fpsField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "fps"
                        label: qsTr("Frame rate (%1)").arg(Kiosk.settings.range("fps"))
                        input.inputMethodHints: Qt.ImhFormattedNumbersOnly
                    }
                    SettingsField {
                        id: qualityField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "quality"
                        label: qsTr("JPEG quality (%1)").arg(Kiosk.settings.range("quality"))
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                    SettingsField {
                        id: portField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "port"
                        label: qsTr("Port")
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                }

                // The way the camera is mounted: for the screen and every viewer alike.
                GridLayout {
                    Layout.fillWidth: true
                    columns: root.width > Theme.settingsThreeColumns ? 3 : 1
                    columnSpacing: Theme.spacing
                    rowSpacing: Theme.spacing

                    SettingsField {
                        id: rotateField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "rotate"
                        label: qsTr("Rotate (0, 90, 180, 270)")
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                    SettingsField {
                        id: flipField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "flip"
                        label: qsTr("Flip (none, horizontal, vertical)")
                        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    }
                    SettingsField {
                        id: cropField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "crop"
                        label: qsTr("Crop (WxH+X+Y; empty: none)")
                        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    }
                }

                SettingsField {
                    id: passwordField

                    Layout.fillWidth: true
                    field: "password"
                    label: qsTr("Viewer password (user \"%1\"; empty: no password)").arg(Kiosk.settings.user)
                    input.echoMode: showPassword.checked ? TextInput.Normal : TextInput.Password
                    input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                }
                TouchButton {
                    id: showPassword

                    checkable: true
                    highlighted: checked
                    fontSize: Theme.fontSmall
                    text: checked ? qsTr("Hide password") : qsTr("Show password")
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            Label {
                objectName: "applyStatus"
                Layout.fillWidth: true
                text: root.status.length > 0 ? root.status
                      : root.valid ? "" : qsTr("Fix the values marked in red")
                color: root.applied ? Theme.live : Theme.error
                font.pixelSize: Theme.fontNormal
                wrapMode: Text.WordWrap
            }
            TouchButton {
                objectName: "applySettings"
                text: qsTr("Apply")
                color: Theme.live
                onClicked: root.apply()
            }
        }
    }
}
