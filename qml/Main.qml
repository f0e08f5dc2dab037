import QtQuick
import QtQuick.Controls
import MjpegKiosk

ApplicationWindow {
    id: window

    width: 1280
    height: 800
    visible: true
    visibility: Kiosk.kioskMode ? Window.FullScreen : Window.AutomaticVisibility
    color: "black"
    title: qsTr("MJPEG Kiosk")

    Image {
        id: preview

        anchors.fill: parent
        fillMode: Image.PreserveAspectFit
        cache: false
        source: "image://camera/" + Kiosk.frameSequence
    }

    Label {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 16
        color: "white"
        font.pixelSize: 24
        text: (Kiosk.server.running ? qsTr("Streaming") : qsTr("Not streaming"))
              + " · " + qsTr("%n viewer(s)", "", Kiosk.server.clientCount)
    }
}
