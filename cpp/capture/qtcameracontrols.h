#pragma once

#include "cameracontrols.h"

#include <QCamera>
#include <QList>

// What a QCamera lets a program set, as read from it (only what its isXxxSupported() and
// supportedFeatures() say the device supports), apart from the QCamera itself so that the
// mapping to CameraControls can be checked without a camera.
struct QtCameraFeatures
{
    bool exposureCompensation = false;
    float exposureCompensationEv = 0;
    QList<QCamera::WhiteBalanceMode> whiteBalanceModes;
    QCamera::WhiteBalanceMode whiteBalanceMode = QCamera::WhiteBalanceAuto;
    QList<QCamera::FocusMode> focusModes;
    QCamera::FocusMode focusMode = QCamera::FocusModeAuto;
    float minimumZoom = 1;
    float maximumZoom = 1;
    float zoom = 1;
    bool torch = false;
    bool torchOn = false;

    static QtCameraFeatures of(const QCamera &camera);
};

// Qt Multimedia cameras' controls in the same structure as V4L2's, so GET/POST /controls and the
// Camera page treat them alike. QCamera's values are floats and enums; the controls are
// integers: exposure compensation in tenths of an EV (−2 … +2 EV), zoom in percent of the
// unzoomed picture, white balance and focus modes as menus (the enums' values), the torch a
// switch.
namespace QtCameraControls {
// The controls `features` describe, for the camera named `camera`.
CameraControls from(const QtCameraFeatures &features, const QString &camera);
// Sets `values` (checked with Controls::refusal()) on `camera`.
void apply(QCamera *camera, const ControlValues &values);
} // namespace QtCameraControls
