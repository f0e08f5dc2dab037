import QtQuick
import QtQuick.Controls.Basic
import MjpegKiosk

// Where a zoomed picture is: the whole picture small with the part on screen framed, and the
// zoom factor; "Share this view" makes that part the stream's crop for every viewer, and while
// a shared crop is in force Reset puts back the one before. Both change what every viewer gets,
// so with an operator PIN they ask for it, as Settings does. The thumbnail itself is drawn by
// the LivePicture from its own texture (thumbnailRect): this only frames it.
Item {
    id: root

    property LivePicture picture
    // Reset is offered with the other overlays (it stays in force when they hide).
    property bool resetShown: true
    readonly property bool zoomed: picture !== null && picture.zoom > 1
    // Where the LivePicture draws the thumbnail, in its (and this item's parent's) coordinates.
    readonly property rect thumbnailRect: zoomed
        ? Qt.rect(x + frame.x + Theme.thinBorder, y + frame.y + Theme.thinBorder,
                  thumbnailSize.width, thumbnailSize.height)
        : Qt.rect(0, 0, 0, 0)
    // The picture's aspect ratio, its longest side Theme.zoomInset.
    readonly property size thumbnailSize: {
        const source = picture ? picture.sourceSize : Qt.size(0, 0)
        if (source.width <= 0 || source.height <= 0)
            return Qt.size(0, 0)
        const scale = Theme.zoomInset / Math.max(source.width, source.height)
        return Qt.size(Math.round(source.width * scale), Math.round(source.height * scale))
    }
    // Why the last share or reset did not happen ("" when it did).
    property string message
    // The action asked here that waits for the PIN, and the part of the picture it shares.
    property string pending
    property rect pendingView

    // Does `action` now if the lock allows it; otherwise after the PIN (granted()).
    function request(action) {
        if (action === "shareView")
            pendingView = picture.viewedRect
        pending = ""
        if (Kiosk.lock.allows(action))
            perform(action)
        else
            pending = action
    }
    function perform(action) {
        if (action === "shareView") {
            message = Kiosk.sharing.share(pendingView)
            // The picture now is the crop: the whole of it is what was zoomed into.
            if (message.length === 0)
                picture.resetZoom()
        } else if (action === "resetView") {
            message = Kiosk.sharing.reset()
        }
    }

    implicitWidth: column.implicitWidth
    implicitHeight: column.implicitHeight
    visible: zoomed || (Kiosk.sharing.shared && resetShown) || message.length > 0

    Column {
        id: column

        spacing: Theme.spacing / 2

        Rectangle {
            id: frame

            objectName: "zoomThumbnail"
            visible: root.zoomed
            width: root.thumbnailSize.width + 2 * Theme.thinBorder
            height: root.thumbnailSize.height + 2 * Theme.thinBorder
            color: "transparent"
            border.color: Theme.zoomInsetFrame
            border.width: Theme.thinBorder

            // A light line inside a dark one: seen on any picture.
            Rectangle {
                objectName: "zoomViewed"
                readonly property rect viewed: root.picture ? root.picture.viewedRect : Qt.rect(0, 0, 1, 1)

                x: Theme.thinBorder + viewed.x * root.thumbnailSize.width
                y: Theme.thinBorder + viewed.y * root.thumbnailSize.height
                width: Math.max(Theme.thinBorder * 4, viewed.width * root.thumbnailSize.width)
                height: Math.max(Theme.thinBorder * 4, viewed.height * root.thumbnailSize.height)
                color: "transparent"
                border.color: Theme.zoomViewedOutline
                border.width: Theme.thinBorder

                Rectangle {
                    anchors.fill: parent
                    anchors.margins: Theme.thinBorder / 2
                    color: "transparent"
                    border.color: Theme.zoomViewed
                    border.width: Theme.thinBorder
                }
            }

            Label {
                objectName: "zoomFactor"
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: Theme.thinBorder
                padding: Theme.smallGap
                text: qsTr("%1×").arg(root.picture ? root.picture.zoom.toFixed(1) : "1.0")
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                font.bold: true
                background: Rectangle {
                    color: Theme.overlay
                }
            }
        }

        Row {
            spacing: Theme.spacing / 2

            TouchButton {
                objectName: "shareViewButton"
                visible: root.zoomed
                text: qsTr("Share this view")
                color: Theme.accent
                textColor: Theme.textOnLight
                onClicked: root.request("shareView")
            }
            TouchButton {
                objectName: "resetViewButton"
                visible: Kiosk.sharing.shared && root.resetShown
                text: qsTr("Reset shared view")
                onClicked: root.request("resetView")
            }
        }

        Label {
            objectName: "zoomMessage"
            visible: root.message.length > 0
            width: Math.min(implicitWidth, Theme.zoomInset * 2)
            padding: Theme.smallGap
            text: root.message
            color: Theme.error
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            background: Rectangle {
                color: Theme.overlayStrong
            }
        }
    }

    Connections {
        target: Kiosk.lock

        function onGranted(action) {
            if (action === root.pending)
                root.perform(action)
            root.pending = ""
        }
    }

    // A message is about the last try: a new zoom makes it old.
    Connections {
        target: root.picture

        function onZoomChanged() {
            root.message = ""
        }
    }
}
