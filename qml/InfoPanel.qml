import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// Everything about the stream next to (or under) the picture: viewers, the two graphs and how
// to watch. The QR code shrinks to keep the URLs on screen; what still does not fit scrolls,
// with a scroll bar that shows there is more.
Rectangle {
    id: root

    color: Theme.panel

    Flickable {
        id: flickable

        objectName: "infoFlickable"
        anchors.fill: parent
        anchors.margins: Theme.spacing
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        // In the margin rather than over the figures at the right edge, and there for as long
        // as there is more to see: a touch screen has no hover to reveal it.
        ScrollBar.vertical: ScrollBar {
            objectName: "infoScrollBar"
            parent: root
            anchors.top: flickable.top
            anchors.bottom: flickable.bottom
            anchors.left: flickable.right
            anchors.leftMargin: Math.round((Theme.spacing - width) / 2)
            policy: flickable.contentHeight > flickable.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
        }

        // Two columns when wide enough (portrait), the graphs side by side.
        GridLayout {
            id: column

            width: parent.width
            columns: width > Theme.infoTwoColumns ? 2 : 1
            columnSpacing: 2 * Theme.spacing
            rowSpacing: Theme.spacing

            ViewerList {
                Layout.fillWidth: true
                Layout.columnSpan: column.columns
            }
            RateGraph {
                Layout.fillWidth: true
                title: qsTr("Outgoing bandwidth")
                history: Kiosk.bandwidthHistory
                color: Theme.graphBytes
            }
            RateGraph {
                Layout.fillWidth: true
                title: qsTr("Output frame rate")
                history: Kiosk.frameRateHistory
                bytes: false
                color: Theme.graphFrames
            }
            WatchInfo {
                Layout.fillWidth: true
                Layout.columnSpan: column.columns
                availableHeight: flickable.height - y
            }
        }
    }
}
