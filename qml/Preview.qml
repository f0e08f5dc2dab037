import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// The live picture, fitted with its aspect ratio, and an unmistakable "no signal" state.
// Pinch zooms it (1x to 8x), a drag pans the zoomed picture, a double tap (or a double click)
// goes back to the whole of it, the mouse wheel zooms too; only the picture inside its own
// rectangle changes (cpp/ui/livepicture.h), with an inset showing where it is (ZoomInset.qml).
Item {
    id: root

    // The rectangle the picture actually covers, for overlays that belong on it.
    readonly property rect pictureRect: Qt.rect(livePicture.x + livePicture.paintedRect.x,
                                                livePicture.y + livePicture.paintedRect.y,
                                                livePicture.paintedRect.width, livePicture.paintedRect.height)
    readonly property bool noSignal: !Kiosk.sourceOnline
    // False stops the picture's work while the item stays (a screen switched off).
    property alias active: livePicture.active
    // The other overlays (the panels) are shown: so is the Reset of a shared view.
    property bool overlaysShown: true
    // Several cameras: a swipe sideways on the whole picture asks for the next or previous one
    // (zoomed, a drag pans instead).
    property bool swipeEnabled: false

    signal swiped(int step) // +1: the next camera (the finger went left), -1: the previous

    Rectangle {
        anchors.fill: parent
        color: Theme.letterbox
    }

    // Every camera frame, made for this size on the preview thread (cpp/ui/livepicture.h).
    LivePicture {
        id: livePicture
        objectName: "livePicture"

        anchors.fill: parent
        stage: Kiosk.preview
        thumbnailRect: inset.thumbnailRect
    }

    // The gestures only say how far and where; LivePicture keeps the zoom inside the picture.
    PinchHandler {
        id: pinch

        property real lastScale: 1
        property point lastCentroid

        target: null
        onActiveChanged: {
            pinch.lastScale = 1
            pinch.lastCentroid = pinch.centroid.position
        }
        onUpdated: {
            if (!pinch.active)
                return
            const at = pinch.centroid.position
            livePicture.panBy(Qt.point(at.x - pinch.lastCentroid.x, at.y - pinch.lastCentroid.y))
            livePicture.zoomAt(pinch.activeScale / pinch.lastScale, at)
            pinch.lastScale = pinch.activeScale
            pinch.lastCentroid = at
        }
    }

    // Item coordinates (centroid.position), not the handler's translation, which counts in the
    // scene's: on a turned screen (--screen-rotation) the picture must follow the finger.
    DragHandler {
        id: drag

        property point last

        target: null
        enabled: livePicture.zoom > 1
        // From where the finger went down: the way to the drag threshold counts too.
        onActiveChanged: drag.last = drag.centroid.pressPosition
        onCentroidChanged: {
            if (!drag.active)
                return
            const at = drag.centroid.position
            livePicture.panBy(Qt.point(at.x - drag.last.x, at.y - drag.last.y))
            drag.last = at
        }
    }

    // Item coordinates for the same reason as the pan's. Decided when the finger leaves: far
    // enough sideways, and more sideways than up or down.
    DragHandler {
        id: swipe

        property point from
        property point to

        objectName: "swipe"
        target: null
        enabled: root.swipeEnabled && livePicture.zoom <= 1
        onActiveChanged: {
            if (swipe.active) {
                swipe.from = swipe.centroid.pressPosition
                swipe.to = swipe.from
                return
            }
            const dx = swipe.to.x - swipe.from.x
            if (Math.abs(dx) >= Theme.swipeDistance && Math.abs(dx) > Math.abs(swipe.to.y - swipe.from.y))
                root.swiped(dx < 0 ? 1 : -1)
        }
        onCentroidChanged: {
            if (swipe.active)
                swipe.to = swipe.centroid.position
        }
    }

    TapHandler {
        onDoubleTapped: livePicture.resetZoom()
    }

    // A notch (120) zooms by 2^(1/4): four notches double it.
    WheelHandler {
        target: null
        onWheel: event => livePicture.zoomAt(Math.pow(2, event.angleDelta.y / 480),
                                             Qt.point(event.x, event.y))
    }

    Rectangle {
        objectName: "noSignal"

        visible: root.noSignal
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.spacing, noSignalColumn.implicitWidth + 4 * Theme.spacing)
        height: noSignalColumn.implicitHeight + 3 * Theme.spacing
        radius: Theme.radius
        color: Theme.overlayStrong
        border.color: Theme.warning
        border.width: Theme.border

        Column {
            id: noSignalColumn

            anchors.centerIn: parent
            spacing: Theme.spacing / 2

            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("NO SIGNAL")
                color: Theme.warning
                font.pixelSize: Theme.fontHuge
                font.bold: true
            }
            Label {
                anchors.horizontalCenter: parent.horizontalCenter
                width: Math.min(implicitWidth, root.width - 6 * Theme.spacing)
                text: Kiosk.sourceDescription.length > 0
                      ? qsTr("%1 is offline; retrying").arg(Kiosk.sourceDescription)
                      : qsTr("Waiting for the camera")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                elide: Text.ElideMiddle
            }
        }
    }

    ZoomInset {
        id: inset

        objectName: "zoomInset"
        picture: livePicture
        resetShown: root.overlaysShown
        x: root.pictureRect.x + Theme.spacing
        y: root.pictureRect.y + root.pictureRect.height - height - Theme.spacing
    }
}
