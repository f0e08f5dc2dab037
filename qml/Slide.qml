import QtQuick

// How panels move in and out: quickly, slowing down as they arrive, and then they rest.
// Use as `Behavior on x { Slide {} }`.
NumberAnimation {
    duration: Theme.slideDuration
    easing.type: Easing.OutCubic
}
