import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// Who is watching: the count, then one row per viewer with its address, the size it gets (its
// output profile), its frame rate, bytes received and how long it has been connected. The
// figures refresh a few times a second.
ColumnLayout {
    id: root

    spacing: Theme.spacing / 2

    Label {
        objectName: "viewerCount"
        text: qsTr("%n viewer(s)", "", Kiosk.viewerCount)
        color: Theme.text
        font.pixelSize: Theme.fontLarge
        font.bold: true
    }

    Label {
        visible: list.count === 0
        text: Kiosk.server.running ? qsTr("Nobody is watching") : qsTr("Streaming is off")
        color: Theme.muted
        font.pixelSize: Theme.fontNormal
    }

    ListView {
        id: list

        objectName: "viewerListView"
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredHeight: Math.min(contentHeight, 3 * Math.round(Theme.touch * 0.8))
        Layout.minimumHeight: count > 0 ? Theme.touch : 0
        clip: true
        // Hidden (panel slid away), the list lets go of the rows: their figures change a few
        // times a second, and a hidden text that changes still costs the window a frame.
        model: root.visible ? Kiosk.viewers : null
        boundsBehavior: Flickable.StopAtBounds

        delegate: Item {
            id: row

            required property string address
            required property double fps
            required property string profile
            required property double bytesSent
            required property double connectedSeconds

            width: ListView.view.width
            height: Math.round(Theme.touch * 0.8)

            Rectangle {
                anchors.fill: parent
                anchors.bottomMargin: 1
                color: Theme.raised
                radius: Theme.radius / 2
            }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: Theme.spacing
                spacing: Theme.spacing

                Label {
                    Layout.fillWidth: true
                    text: row.address
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideMiddle
                }
                Label {
                    objectName: "viewerProfile"
                    text: row.profile
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                }
                Label {
                    text: qsTr("%1 fps").arg(row.fps.toFixed(1))
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                }
                Label {
                    text: Kiosk.formatBytes(row.bytesSent)
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                }
                Label {
                    text: Kiosk.formatDuration(row.connectedSeconds)
                    color: Theme.muted
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
