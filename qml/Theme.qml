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
}
