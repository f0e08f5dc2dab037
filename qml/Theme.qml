pragma Singleton
import QtQuick

// Sizes and colours shared by every screen: dark, high contrast, readable from a step away,
// touch targets of at least 48 px scaled for the screen's density.
QtObject {
    // 1 on an ordinary (~96-160 dpi) screen, more on dense ones without a device pixel ratio.
    readonly property real dp: {
        const screens = Qt.application.screens
        const density = screens.length > 0 ? screens[0].pixelDensity : 3.78 // dots per mm
        return Math.max(1, density * 25.4 / 160)
    }
    readonly property real touch: Math.round(56 * dp)     // a comfortable target, never below 48
    readonly property real spacing: Math.round(12 * dp)
    readonly property real radius: Math.round(10 * dp)
    readonly property real border: Math.round(3 * dp)       // highlighted button, warning box
    readonly property real thinBorder: Math.round(2 * dp)   // text fields, the QR code's margin
    readonly property real smallGap: Math.round(4 * dp)     // a label and its field
    readonly property real dot: Math.round(18 * dp)         // the "LIVE" light
    readonly property real graphLine: Math.max(2, 2 * dp)
    readonly property real graphMinimumHeight: Math.round(60 * dp)
    readonly property real graphHeight: Math.round(80 * dp)
    readonly property real qrMaximum: Math.round(150 * dp)
    readonly property real qrMinimum: Math.round(96 * dp)

    // Panel widths in landscape, and the widths at which a layout gains columns.
    readonly property real infoPanelWidth: Math.round(440 * dp)
    readonly property real settingsPanelWidth: Math.round(720 * dp)
    readonly property real controlBarOneRow: Math.round(1000 * dp)
    readonly property real infoTwoColumns: Math.round(700 * dp)
    readonly property real settingsThreeColumns: Math.round(520 * dp)
    readonly property real watchInfoWide: Math.round(600 * dp)
    // The PIN keypad: keys a thumb hits without looking twice.
    readonly property real pinKey: Math.round(96 * dp)
    readonly property real pinDot: Math.round(22 * dp)
    // The zoomed picture's inset: the longest side of its thumbnail.
    readonly property real zoomInset: Math.round(200 * dp)
    // Several cameras: the gap between the grid's tiles, the frame around the current one,
    // the picture shape the grid is laid out for (most cameras), and how far a finger goes
    // sideways for the next camera.
    readonly property real tileGap: Math.round(6 * dp)
    readonly property real tileFrame: Math.round(3 * dp)
    readonly property real tileAspect: 16 / 9
    readonly property real swipeDistance: Math.round(80 * dp)

    // Motion: panels slide, the snapshot note fades; every animation ends (the window then
    // renders nothing until something changes).
    readonly property int slideDuration: 250
    readonly property int fadeDuration: 200
    readonly property int toastDuration: 3000   // how long the snapshot note stays
    readonly property int idleTimeout: 15000    // landscape panels hide after this without a touch

    readonly property real fontSmall: Math.round(17 * dp)
    readonly property real fontNormal: Math.round(21 * dp)
    readonly property real fontLarge: Math.round(28 * dp)
    readonly property real fontHuge: Math.round(40 * dp)

    readonly property color background: "#0d1114"
    readonly property color panel: "#e6192026"       // over the preview: slightly translucent
    readonly property color panelSolid: "#192026"
    readonly property color raised: "#26313a"
    readonly property color text: "#f1f4f6"
    readonly property color muted: "#9fb0bd"
    readonly property color accent: "#4fc3f7"
    readonly property color live: "#27ae60"
    readonly property color off: "#d63a2f"
    readonly property color warning: "#f5a623"
    readonly property color graphBytes: "#4fc3f7"
    readonly property color graphFrames: "#b39ddb"
    readonly property color graphBackground: "#0a0f12"
    readonly property color gridLine: "#33ffffff"
    readonly property color error: "#ff8a80"         // a reason in words, readable on panels
    readonly property color textOnColour: "white"    // on the red banner, the green/red note
    readonly property color textOnLight: "black"     // on accent/warning-coloured buttons
    readonly property color letterbox: "black"       // around the picture
    readonly property color tileCurrent: "#4fc3f7"   // the frame of the current camera's tile
    readonly property color overlay: "#b3000000"     // badges over the picture
    readonly property color overlayStrong: "#cc000000"
    readonly property color qrBackground: "white"    // scanners want dark modules on light
    readonly property color scrim: "#d9000000"       // behind the PIN keypad
    // A dimmed screen without a backlight to turn down; a dark one is plain black.
    readonly property color dimmedCover: "#b3000000"
    readonly property color darkCover: "black"
    // The zoom inset: its frame, and the part of the picture the screen shows (a light line
    // inside a dark one).
    readonly property color zoomInsetFrame: "#f1f4f6"
    readonly property color zoomViewed: "white"
    readonly property color zoomViewedOutline: "black"
}
