import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Window
import QtQuick.VirtualKeyboard
import MjpegKiosk

// The kiosk screen. Landscape: the picture with the info panel at its right and the control bar
// under it; both slide away when nobody touches the screen for a while, and the picture grows
// to fill the screen; a tap brings them back. Portrait: the picture on top, the info below it,
// the controls at the bottom.
ApplicationWindow {
    id: window

    readonly property bool portrait: height > width
    property bool panelsShown: true
    property bool settingsOpen: false
    // Landscape overlays hide after this long without a touch.
    property int idleMs: Theme.idleTimeout

    function poke() {
        panelsShown = true
        idleTimer.restart()
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
        // Portrait has height to spare: the status gets a strip of its own above the picture.
        x: 0
        y: window.portrait ? banner.height : 0
        width: window.portrait ? window.width : info.x
        height: window.portrait ? Math.round(Math.min(window.width * 9 / 16, window.height * 0.4))
                                : controls.y

        TapHandler {
            onTapped: window.panelsShown ? (window.panelsShown = false) : window.poke()
        }
    }

    StatusBanner {
        id: banner

        width: preview.width
    }

    InfoPanel {
        id: info

        objectName: "infoPanel"
        readonly property bool shown: window.portrait || window.panelsShown

        width: window.portrait ? window.width : Math.min(Theme.infoPanelWidth, window.width * 0.4)
        y: window.portrait ? preview.y + preview.height : 0
        height: controls.y - y
        x: shown ? window.width - width : window.width
        visible: x < window.width

        Behavior on x {
            Slide {}
        }
    }

    ControlBar {
        id: controls

        objectName: "controlBar"
        readonly property bool shown: window.portrait || window.panelsShown

        width: window.width
        y: shown ? window.height - height : window.height
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
        width: window.portrait ? window.width : Math.min(Theme.settingsPanelWidth, window.width)
        height: window.height - (keyboard.active ? keyboard.height : 0)
        x: window.settingsOpen ? window.width - width : window.width
        visible: x < window.width
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

    // Text entry without a hardware keyboard (QT_IM_MODULE=qtvirtualkeyboard, set by main.cpp).
    InputPanel {
        id: keyboard

        z: 100
        width: window.width
        y: active ? window.height - height : window.height
    }
}
