import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// The kiosk's buttons: streaming on/off (the biggest), snapshot, privacy, the info panel and
// the settings; request("cameraStream") switches the current camera alone (CameraSwitcher). A snapshot is confirmed on screen for a few seconds. With an operator PIN the
// protected ones ask Kiosk.lock first (the keypad is Main's) and act once it is given; Lock
// closes them again.
Rectangle {
    id: root

    property bool infoShown: true

    signal infoToggled()
    signal settingsRequested()

    // Does `action` now if the lock allows it; otherwise after the PIN (granted()).
    function request(action) {
        if (Kiosk.lock.allows(action))
            perform(action)
    }
    function perform(action) {
        if (action === "stream")
            Kiosk.server.running = !Kiosk.server.running
        else if (action === "cameraStream")
            Kiosk.cameraStreaming = !Kiosk.cameraStreaming
        else if (action === "snapshot")
            Kiosk.saveSnapshot()
        else if (action === "privacy")
            Kiosk.privacy = !Kiosk.privacy
        else if (action === "settings")
            root.settingsRequested()
    }

    implicitHeight: buttons.implicitHeight + 2 * Theme.spacing
    color: Theme.panel

    // One row when there is room; on a narrow (portrait) screen the streaming button gets a
    // row of its own above the others.
    GridLayout {
        id: buttons

        readonly property bool narrow: root.width < Theme.controlBarOneRow

        anchors.fill: parent
        anchors.margins: Theme.spacing
        columns: (narrow ? 4 : 5) + (lockButton.visible ? 1 : 0)
        rowSpacing: Theme.spacing
        columnSpacing: Theme.spacing

        TouchButton {
            id: streamToggle

            objectName: "streamToggle"
            Layout.columnSpan: buttons.narrow ? buttons.columns : 1
            Layout.fillWidth: true
            Layout.minimumWidth: implicitWidth
            Layout.preferredHeight: Math.round(Theme.touch * 1.2)
            fontSize: Theme.fontLarge
            text: Kiosk.server.running ? qsTr("■  Stop streaming") : qsTr("▶  Start streaming")
            color: Kiosk.server.running ? Theme.off : Theme.live
            onClicked: root.request("stream")
        }
        TouchButton {
            objectName: "snapshotButton"
            Layout.fillWidth: buttons.narrow
            Layout.preferredHeight: streamToggle.Layout.preferredHeight
            text: qsTr("Snapshot")
            onClicked: root.request("snapshot")
        }
        TouchButton {
            objectName: "privacyButton"
            Layout.fillWidth: buttons.narrow
            Layout.preferredHeight: streamToggle.Layout.preferredHeight
            text: Kiosk.privacy ? qsTr("Privacy ON") : qsTr("Privacy")
            highlighted: Kiosk.privacy
            color: Kiosk.privacy ? Theme.warning : Theme.raised
            textColor: Kiosk.privacy ? Theme.textOnLight : Theme.text
            onClicked: root.request("privacy")
        }
        TouchButton {
            objectName: "infoButton"
            Layout.fillWidth: buttons.narrow
            Layout.preferredHeight: streamToggle.Layout.preferredHeight
            text: qsTr("Info")
            highlighted: root.infoShown
            onClicked: root.infoToggled()
        }
        TouchButton {
            objectName: "settingsButton"
            Layout.fillWidth: buttons.narrow
            Layout.preferredHeight: streamToggle.Layout.preferredHeight
            text: qsTr("Settings")
            onClicked: root.request("settings")
        }
        TouchButton {
            id: lockButton

            objectName: "lockButton"
            visible: Kiosk.lock.pinSet && !Kiosk.lock.locked
            Layout.fillWidth: buttons.narrow
            Layout.preferredHeight: streamToggle.Layout.preferredHeight
            text: qsTr("Lock")
            onClicked: Kiosk.lock.lock()
        }
    }

    Rectangle {
        id: toast

        objectName: "snapshotToast"
        property string message
        property bool failed: false

        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.top
        anchors.bottomMargin: Theme.spacing
        width: Math.min(root.width - 2 * Theme.spacing, toastText.implicitWidth + 3 * Theme.spacing)
        height: toastText.implicitHeight + 2 * Theme.spacing
        radius: Theme.radius
        color: failed ? Theme.off : Theme.live
        visible: opacity > 0
        opacity: toastTimer.running ? 1 : 0

        Behavior on opacity {
            NumberAnimation {
                duration: Theme.fadeDuration
            }
        }

        Label {
            id: toastText

            anchors.centerIn: parent
            width: Math.min(implicitWidth, root.width - 5 * Theme.spacing)
            text: toast.message
            color: Theme.textOnColour
            font.pixelSize: Theme.fontNormal
            font.bold: true
            elide: Text.ElideMiddle
        }

        Timer {
            id: toastTimer

            interval: Theme.toastDuration
        }
    }

    Connections {
        target: Kiosk.lock

        function onGranted(action) {
            root.perform(action)
        }
    }

    Connections {
        target: Kiosk

        function onSnapshotSaved(path) {
            toast.failed = false
            toast.message = qsTr("Snapshot saved: %1").arg(path)
            toastTimer.restart()
        }
        function onSnapshotFailed(reason) {
            toast.failed = true
            toast.message = qsTr("Snapshot failed: %1").arg(reason)
            toastTimer.restart()
        }
    }
}
