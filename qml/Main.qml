import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Window
import QtQuick.VirtualKeyboard
import MjpegKiosk

// The kiosk screen. Landscape: the picture with the info panel at its right and the control bar
// under it; both slide away when nobody touches the screen for a while, and the picture grows
// to fill the screen; a tap brings them back. Portrait: the picture on top, the info below it,
// the controls at the bottom. With --screen-rotation everything is turned: ScreenRotation takes
// in every item below, so they take their sizes from `ui`, not from the window.
ApplicationWindow {
    id: window

    readonly property bool portrait: ui.height > ui.width
    property bool panelsShown: true
    property bool settingsOpen: false
    // Several cameras: every one in a grid, or the current one alone (as one camera is always).
    property bool cameraOpen: false
    readonly property bool gridShown: Kiosk.cameras.count > 1 && !cameraOpen
    // Switched off (backlight at 0 or a black cover): nothing on it needs to be drawn.
    readonly property bool screenOff: Kiosk.screen.state === ScreenPower.Off
    // Landscape overlays hide after this long without a touch.
    property int idleMs: Theme.idleTimeout

    function poke() {
        panelsShown = true
        idleTimer.restart()
    }

    // Camera `index` of Kiosk.cameras alone (a tile's tap; KIOSK_GRAB_CAMERA for screenshots).
    function showCamera(index) {
        Kiosk.currentCamera = index
        cameraOpen = true
        poke()
    }

    // The next (+1) or previous (-1) camera, shown alone; round from the last to the first.
    function stepCamera(step) {
        const n = Kiosk.cameras.count
        Kiosk.currentCamera = (Kiosk.currentCamera + step + n) % n
    }

    // Full screen by size too: without a window manager (kiosk X sessions, xvfb) nobody else
    // would make the window cover the screen.
    width: Kiosk.kioskMode ? Screen.width : 1280
    height: Kiosk.kioskMode ? Screen.height : 800
    visible: true
    visibility: Kiosk.kioskMode ? Window.FullScreen : Window.AutomaticVisibility
    color: Theme.background
    title: qsTr("MJPEG Kiosk")
    font.pixelSize: Theme.fontNormal

    palette.window: Theme.panelSolid
    palette.windowText: Theme.text
    palette.base: Theme.background
    palette.text: Theme.text
    palette.button: Theme.raised
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.textOnLight

    ScreenRotation {
        id: ui

        objectName: "screenRotation"
        angle: Kiosk.screenRotation
    }

    Timer {
        id: idleTimer

        interval: window.idleMs
        running: window.panelsShown && !window.settingsOpen && !window.portrait
        onTriggered: window.panelsShown = false
    }

    // The picture takes whatever the panels leave, following them as they slide, so they
    // never cover it.
    Preview {
        id: preview

        objectName: "preview"
        visible: !window.gridShown
        active: !window.screenOff
        overlaysShown: window.portrait || window.panelsShown
        swipeEnabled: Kiosk.cameras.count > 1
        onSwiped: step => window.stepCamera(step)
        // Portrait has height to spare: the status gets a strip of its own above the picture.
        x: 0
        y: window.portrait ? banner.height : 0
        width: window.portrait ? ui.width : info.x
        height: window.portrait ? Math.round(Math.min(ui.width * 9 / 16, ui.height * 0.4))
                                : controls.y

        TapHandler {
            onTapped: window.panelsShown ? (window.panelsShown = false) : window.poke()
        }
    }

    // Several cameras: the grid in the picture's place; a tile's camera then alone, with a way
    // back and to its neighbours.
    CameraGrid {
        objectName: "cameraGrid"
        x: preview.x
        y: preview.y
        width: preview.width
        height: preview.height
        visible: window.gridShown
        onCameraChosen: index => window.showCamera(index)
    }

    CameraSwitcher {
        objectName: "cameraSwitcher"
        x: preview.x
        y: preview.y
        width: preview.width
        height: preview.height
        visible: Kiosk.cameras.count > 1 && !window.gridShown && preview.overlaysShown
        onBackRequested: window.cameraOpen = false
        onStepRequested: step => window.stepCamera(step)
        onStreamingToggled: controls.request("cameraStream")
    }

    StatusBanner {
        id: banner

        width: preview.width
    }

    InfoPanel {
        id: info

        objectName: "infoPanel"
        readonly property bool shown: (window.portrait || window.panelsShown) && !window.screenOff

        width: window.portrait ? ui.width : Math.min(Theme.infoPanelWidth, ui.width * 0.4)
        y: window.portrait ? preview.y + preview.height : 0
        height: controls.y - y
        x: shown ? ui.width - width : ui.width
        visible: x < ui.width

        Behavior on x {
            Slide {}
        }
    }

    ControlBar {
        id: controls

        objectName: "controlBar"
        readonly property bool shown: (window.portrait || window.panelsShown) && !window.screenOff

        width: ui.width
        y: shown ? ui.height - height : ui.height
        infoShown: info.shown
        onInfoToggled: window.panelsShown ? (window.panelsShown = false) : window.poke()
        onSettingsRequested: {
            settings.load()
            window.settingsOpen = true
        }

        Behavior on y {
            Slide {}
        }
    }

    // Slides in from the right over everything; closing it brings the overlays back.
    SettingsPanel {
        id: settings

        objectName: "settingsPanel"
        width: window.portrait ? ui.width : Math.min(Theme.settingsPanelWidth, ui.width)
        height: ui.height - (keyboard.active ? keyboard.height : 0)
        x: window.settingsOpen ? ui.width - width : ui.width
        visible: x < ui.width
        onCloseRequested: {
            // Take the focus out of the text field, so the on-screen keyboard leaves too.
            window.contentItem.forceActiveFocus()
            Kiosk.hideKeyboard()
            window.settingsOpen = false
            window.poke()
        }

        Behavior on x {
            Slide {}
        }
    }

    // Each change of the camera's controls, by whom, for a few seconds: under the status, over
    // the picture, beside the settings panel when it leaves room (portrait: at the bottom).
    ControlNotice {
        readonly property real room: settings.visible ? settings.x : ui.width

        objectName: "controlNotice"
        maximumWidth: (room > 0 ? room : ui.width) - 2 * Theme.spacing
        x: Math.max(Theme.spacing, (room - width) / 2)
        y: room > 0 ? banner.y + banner.height : ui.height - height - Theme.spacing
        z: 80
    }

    // The operator PIN, when a protected control asks for it (Kiosk.lock.pending).
    PinPad {
        id: pinPad

        objectName: "pinPad"
        anchors.fill: parent
        z: 90
        visible: Kiosk.lock.pending.length > 0
        title: qsTr("Operator PIN")
        busy: Kiosk.lock.checking
        blocked: Kiosk.lock.lockoutSeconds > 0
        message: blocked ? qsTr("Too many wrong PINs: try again in %n s", "", Kiosk.lock.lockoutSeconds)
                         : refusal
        onEntered: pin => Kiosk.lock.enter(pin)
        onCanceled: Kiosk.lock.cancel()
        onVisibleChanged: {
            pin = ""
            refusal = ""
        }

        property string refusal

        Connections {
            target: Kiosk.lock

            function onRefused(reason) {
                pinPad.pin = ""
                pinPad.refusal = reason
            }
        }
    }

    Connections {
        target: Kiosk.lock

        // Locked again (idle, Lock) while the settings are open: they close.
        function onLockedChanged() {
            if (Kiosk.lock.locked && window.settingsOpen)
                settings.closeRequested()
        }
    }

    Connections {
        target: Kiosk.screen

        function onStateChanged() {
            if (Kiosk.screen.state === ScreenPower.On)
                window.poke()
        }
    }

    // Dimmed or off: darkens what the backlight does not, and the touch that wakes the screen
    // presses nothing.
    SleepCover {
        objectName: "sleepCover"
        anchors.fill: parent
        z: 200
    }

    // Text entry without a hardware keyboard (QT_IM_MODULE=qtvirtualkeyboard, set by main.cpp).
    InputPanel {
        id: keyboard

        z: 100
        width: ui.width
        y: active ? ui.height - height : ui.height
    }
}
