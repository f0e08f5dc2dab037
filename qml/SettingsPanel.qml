pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Window
import MjpegKiosk

// The settings: source, resolution, frame rate, JPEG quality, viewer widths, rotation, flip,
// crop, port and viewer password, the operator PIN and when the controls lock, when the screen
// dims and goes off, how the screen is turned; the cameras on a page of their own
// (CamerasPage.qml). Values are checked as they are typed; Apply makes them take effect at once
// and keeps them for the next start; a refused value stays on screen with its reason. The PIN is
// set on its own keypad (twice) and saved at once, as its hash.
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
        profilesField.text = Kiosk.settings.profiles
        rotateField.text = Kiosk.settings.rotate
        flipField.text = Kiosk.settings.flip
        cropField.text = Kiosk.settings.crop
        portField.text = Kiosk.settings.port
        passwordField.text = Kiosk.settings.password
        lockAfterField.text = Kiosk.settings.lockAfter
        dimField.text = Kiosk.settings.screenDimAfter
        offField.text = Kiosk.settings.screenOffAfter
        scheduleField.text = Kiosk.settings.screenSchedule
        screenRotationField.text = Kiosk.settings.screenRotation
        pinStatus = ""
        for (let i = 0; i < fields.length; ++i)
            fields[i].applyError = ""
        status = ""
        applied = false
        cameraPage.visible = false
        camerasPage.visible = false
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
                                                   profilesField, rotateField, flipField, cropField,
                                                   portField, passwordField, lockAfterField, dimField,
                                                   offField, scheduleField, screenRotationField]
    // What setting the PIN last said.
    property string pinStatus
    property bool pinFailed: false
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
                objectName: "openCameras"
                text: qsTr("Cameras")
                onClicked: camerasPage.visible = true
            }
            TouchButton {
                objectName: "openCamera"
                text: qsTr("Camera")
                onClicked: cameraPage.visible = true
            }
            TouchButton {
                objectName: "closeSettings"
                text: qsTr("Close")
                onClicked: root.closeRequested()
            }
        }

        Flickable {
            id: flick

            objectName: "settingsFlick"
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
                        id: profilesField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "profiles"
                        label: qsTr("Viewer widths (full,640,320)")
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

                Label {
                    text: Kiosk.lock.pinSet ? qsTr("Operator PIN: set (Stop streaming, Privacy and Settings ask for it)")
                                            : qsTr("Operator PIN: none (anyone may use the controls)")
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2

                    TouchButton {
                        objectName: "setPin"
                        text: Kiosk.lock.pinSet ? qsTr("Change PIN") : qsTr("Set PIN")
                        onClicked: newPin.start()
                    }
                    TouchButton {
                        objectName: "removePin"
                        visible: Kiosk.lock.pinSet
                        text: qsTr("Remove PIN")
                        onClicked: Kiosk.lock.setPin("")
                    }
                }
                Label {
                    objectName: "pinStatus"
                    visible: root.pinStatus.length > 0
                    text: root.pinStatus
                    color: root.pinFailed ? Theme.error : Theme.live
                    font.pixelSize: Theme.fontSmall
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: root.width > Theme.settingsThreeColumns ? 2 : 1
                    columnSpacing: Theme.spacing
                    rowSpacing: Theme.spacing

                    SettingsField {
                        id: lockAfterField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "lock-after"
                        label: qsTr("Lock the controls after (minutes, %1)").arg(Kiosk.settings.range("lock-after"))
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                    SettingsField {
                        id: scheduleField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "screen-schedule"
                        label: qsTr("Screen off from–to (22:00-07:00; empty: never)")
                        input.inputMethodHints: Qt.ImhPreferNumbers | Qt.ImhNoPredictiveText
                    }
                    SettingsField {
                        id: dimField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "screen-dim-after"
                        label: qsTr("Dim the screen after (minutes; 0: never)")
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                    SettingsField {
                        id: offField

                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        field: "screen-off-after"
                        label: qsTr("Screen off after (minutes; 0: never)")
                        input.inputMethodHints: Qt.ImhDigitsOnly
                    }
                }
                ScreenRotationField {
                    id: screenRotationField

                    Layout.fillWidth: true
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

    // The camera's own controls, over the settings (CameraPage.qml).
    CameraPage {
        id: cameraPage

        objectName: "cameraPage"
        anchors.fill: parent
        visible: false
        onCloseRequested: visible = false
    }

    // Adding, renaming and removing cameras, over the settings (CamerasPage.qml).
    CamerasPage {
        id: camerasPage

        objectName: "camerasPage"
        anchors.fill: parent
        visible: false
        onCloseRequested: visible = false
    }

    // A new operator PIN, typed twice.
    PinPad {
        id: newPin

        objectName: "newPinPad"
        property string first

        function start() {
            first = ""
            pin = ""
            message = ""
            visible = true
        }

        anchors.fill: parent
        visible: false
        title: first.length > 0 ? qsTr("The new PIN again") : qsTr("New operator PIN")
        busy: Kiosk.lock.checking
        onEntered: entry => {
            pin = ""
            const error = Kiosk.lock.checkNewPin(entry)
            if (error.length > 0) {
                message = error
            } else if (first.length === 0) {
                first = entry
                message = ""
            } else if (entry !== first) {
                first = ""
                message = qsTr("The two PINs differ: start again")
            } else {
                Kiosk.lock.setPin(entry)
            }
        }
        onCanceled: visible = false
    }

    Connections {
        target: Kiosk.lock

        function onPinSaved(error) {
            newPin.visible = false
            root.pinFailed = error.length > 0
            root.pinStatus = error.length > 0 ? qsTr("PIN not saved: %1").arg(error)
                                              : Kiosk.lock.pinSet ? qsTr("PIN saved") : qsTr("PIN removed")
        }
    }
}
