import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// Everything about the stream next to (or under) the picture: viewers, the two graphs and how
// to watch. Scrolls when the screen is short.
Rectangle {
    id: root

    color: Theme.panel

    Flickable {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        // Two columns when wide enough (portrait), the graphs side by side.
        GridLayout {
            id: column

            width: parent.width
            columns: width > Math.round(700 * Theme.dp) ? 2 : 1
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
            }
        }
    }
}
