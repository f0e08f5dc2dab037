import QtQuick

// The whole kiosk screen turned for a display mounted in portrait or upside down
// (--screen-rotation). The turn is done here because eglfs turns no Qt Quick content
// (QT_QPA_EGLFS_ROTATION is for widgets). At 90 and 270 this item is as wide as the window is
// tall, so what it holds lays itself out for a portrait screen; touches and clicks reach every
// handler inside through the same turn, so none of them needs to know about it.
// It takes in every other item its parent (the window's content item) holds, overlays too, once
// they are all made, in their order, which is the order they are stacked in. A Qt Quick
// Controls Popup would stay unturned, as it lives in the window's own overlay: the kiosk uses
// none.
Item {
    id: root

    // Degrees clockwise: 0, 90, 180 or 270.
    property int angle: 0
    readonly property bool sideways: angle === 90 || angle === 270

    // Turned about its centre, which stays the window's.
    anchors.centerIn: parent
    width: sideways ? parent.height : parent.width
    height: sideways ? parent.width : parent.height
    rotation: angle

    Component.onCompleted: {
        // Not `parent: ui` on each item: bindings are applied in no set order, and the stacking
        // (settings over the bar, the status over the picture) follows the order of reparenting.
        for (const item of Array.from(parent.children)) {
            if (item !== root)
                item.parent = root
        }
    }
}
