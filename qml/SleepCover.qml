import QtQuick
import MjpegKiosk

// Over everything while the screen is dimmed or off. It darkens the screen where no backlight
// does it, and it takes the touch that wakes the screen: pressed and released here, that touch
// never reaches the button under the finger.
MouseArea {
    id: root

    readonly property int screenState: Kiosk.screen.state

    visible: screenState !== ScreenPower.On
    onReleased: Kiosk.screen.wake()
    onCanceled: Kiosk.screen.wake()

    Rectangle {
        anchors.fill: parent
        color: root.screenState === ScreenPower.Off ? Theme.darkCover
             : Kiosk.screen.backlight ? "transparent" : Theme.dimmedCover
    }
}
