pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MjpegKiosk

// One figure over the last minute: its name and current value, the curve, and axes in human
// units. The curve steps left when a sample arrives and rests in between (no animation), so a
// graph costs the window a frame per sample at most, and none while it is flat or hidden.
ColumnLayout {
    id: root

    required property BandwidthHistory history
    property string title
    // Bytes per second ("kB/s", "MB/s") or a plain rate ("fps").
    property bool bytes: true
    property color color: Theme.graphBytes

    readonly property real windowSeconds: history.capacity * history.intervalMs / 1000
    // The figures the labels show, held while the graph is hidden (panel slid away): a hidden
    // text that changes still costs the window a frame.
    property real shownLatest
    property real shownMaximum

    Binding on shownLatest {
        when: root.visible
        value: root.history.latest
        restoreMode: Binding.RestoreNone
    }
    Binding on shownMaximum {
        when: root.visible
        value: root.history.scaleMaximum
        restoreMode: Binding.RestoreNone
    }

    function format(value) {
        if (bytes)
            return Kiosk.formatRate(value)
        return qsTr("%1 fps").arg(value < 10 ? value.toFixed(1) : Math.round(value))
    }

    spacing: Theme.spacing / 2

    RowLayout {
        Layout.fillWidth: true

        Label {
            Layout.fillWidth: true
            text: root.title
            color: Theme.muted
            font.pixelSize: Theme.fontNormal
            elide: Text.ElideRight
        }
        Label {
            objectName: "currentValue"
            text: root.format(root.shownLatest)
            color: root.color
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
    }

    Item {
        id: plot

        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.minimumHeight: Theme.graphMinimumHeight
        Layout.preferredHeight: Theme.graphHeight

        readonly property real axisWidth: Math.max(topLabel.implicitWidth, midLabel.implicitWidth) + Theme.spacing / 2
        readonly property real axisHeight: timeLabels.implicitHeight

        Label {
            id: topLabel

            objectName: "axisMaximum"
            anchors.right: area.left
            anchors.rightMargin: Theme.spacing / 2
            y: area.y - height / 2
            text: root.format(root.shownMaximum)
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
        }
        Label {
            id: midLabel

            anchors.right: area.left
            anchors.rightMargin: Theme.spacing / 2
            y: area.y + area.height / 2 - height / 2
            text: root.format(root.shownMaximum / 2)
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
        }
        Label {
            anchors.right: area.left
            anchors.rightMargin: Theme.spacing / 2
            y: area.y + area.height - height / 2
            text: "0"
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
        }

        Rectangle {
            id: area

            x: plot.axisWidth + Theme.spacing / 2
            y: topLabel.implicitHeight / 2
            width: plot.width - x
            height: plot.height - y - plot.axisHeight
            color: Theme.graphBackground
            clip: true

            Repeater {
                model: 3
                Rectangle {
                    id: gridLine

                    required property int index

                    width: area.width
                    height: 1
                    y: Math.round(gridLine.index * (area.height - 1) / 2)
                    color: Theme.gridLine
                }
            }

            RateCurve {
                id: curve

                objectName: "curve"
                width: area.width
                height: area.height
                history: root.history
                maximum: root.shownMaximum
                color: root.color
                lineWidth: Theme.graphLine
            }
        }

        RowLayout {
            id: timeLabels

            anchors.left: area.left
            anchors.right: area.right
            anchors.top: area.bottom

            Label {
                text: qsTr("−%1 s").arg(root.windowSeconds)
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("−%1 s").arg(root.windowSeconds / 2)
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("now")
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
