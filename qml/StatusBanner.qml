import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// Whether the kiosk is streaming, readable across a room: a small green "LIVE" badge with the
// viewer count while it is, a full-width red banner while it is not.
Item {
    id: root

    readonly property bool streaming: Kiosk.server.running

    implicitHeight: streaming ? badge.height + 2 * Theme.spacing : banner.implicitHeight

    Rectangle {
        id: badge

        objectName: "liveBadge"
        visible: root.streaming
        x: Theme.spacing
        y: Theme.spacing
        height: Theme.touch
        width: badgeRow.implicitWidth + 2 * Theme.spacing
        radius: height / 2
        color: Theme.overlay

        RowLayout {
            id: badgeRow

            anchors.centerIn: parent
            spacing: Theme.spacing

            Rectangle {
                width: Theme.dot
                height: width
                radius: width / 2
                color: Theme.live
            }
            Label {
                text: qsTr("LIVE")
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            Label {
                text: qsTr("%n viewer(s)", "", Kiosk.totalViewerCount)
                color: Theme.text
                font.pixelSize: Theme.fontNormal
            }
            Label {
                visible: Kiosk.privacy
                text: qsTr("· PRIVACY")
                color: Theme.warning
                font.pixelSize: Theme.fontNormal
                font.bold: true
            }
        }
    }

    Rectangle {
        id: banner

        objectName: "notStreamingBanner"
        visible: !root.streaming
        width: parent.width
        implicitHeight: bannerText.implicitHeight + 2 * Theme.spacing
        height: implicitHeight
        color: Theme.off

        Label {
            id: bannerText

            anchors.centerIn: parent
            width: parent.width - 2 * Theme.spacing
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("NOT STREAMING — viewers see nothing")
            color: Theme.textOnColour
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
    }
}
