#include "qtcameracontrols.h"

namespace {
// Exposure compensation: QCamera names no range; ±2 EV is what phone and webcam backends offer.
constexpr qint64 kEvTenthsRange = 20;

const QList<QPair<QCamera::WhiteBalanceMode, QString>> &whiteBalanceNames()
{
    static const QList<QPair<QCamera::WhiteBalanceMode, QString>> names{
        {QCamera::WhiteBalanceAuto, QStringLiteral("Auto")},
        {QCamera::WhiteBalanceManual, QStringLiteral("Manual")},
        {QCamera::WhiteBalanceSunlight, QStringLiteral("Sunlight")},
        {QCamera::WhiteBalanceCloudy, QStringLiteral("Cloudy")},
        {QCamera::WhiteBalanceShade, QStringLiteral("Shade")},
        {QCamera::WhiteBalanceTungsten, QStringLiteral("Tungsten")},
        {QCamera::WhiteBalanceFluorescent, QStringLiteral("Fluorescent")},
        {QCamera::WhiteBalanceFlash, QStringLiteral("Flash")},
        {QCamera::WhiteBalanceSunset, QStringLiteral("Sunset")}};
    return names;
}

const QList<QPair<QCamera::FocusMode, QString>> &focusNames()
{
    static const QList<QPair<QCamera::FocusMode, QString>> names{
        {QCamera::FocusModeAuto, QStringLiteral("Auto")},
        {QCamera::FocusModeAutoNear, QStringLiteral("Auto (near)")},
        {QCamera::FocusModeAutoFar, QStringLiteral("Auto (far)")},
        {QCamera::FocusModeHyperfocal, QStringLiteral("Hyperfocal")},
        {QCamera::FocusModeInfinity, QStringLiteral("Infinity")},
        {QCamera::FocusModeManual, QStringLiteral("Manual")}};
    return names;
}

// name: the stable key (GET/POST /controls, saved values); label: what the page shows.
CameraControl control(const QString &name, const QString &label, CameraControl::Type type,
                      qint64 value)
{
    CameraControl c;
    c.label = label;
    c.name = name;
    c.type = type;
    c.value = value;
    if (type == CameraControl::Type::Boolean)
        c.maximum = 1;
    return c;
}

// A menu of the modes the camera supports; none when it has fewer than two to choose from.
template<typename Mode>
bool addMenu(QList<CameraControl> *list, const QString &name, const QString &label,
             const QList<QPair<Mode, QString>> &names, const QList<Mode> &supported, Mode current,
             Mode preferredDefault)
{
    if (supported.size() < 2)
        return false;
    CameraControl c = control(name, label, CameraControl::Type::Menu, current);
    for (const auto &[mode, name] : names) {
        if (supported.contains(mode))
            c.menu.append({qint64(mode), name});
    }
    c.minimum = c.menu.first().first;
    c.maximum = c.menu.last().first;
    c.defaultValue = supported.contains(preferredDefault) ? preferredDefault : supported.first();
    list->append(c);
    return true;
}
} // namespace

QtCameraFeatures QtCameraFeatures::of(const QCamera &camera)
{
    QtCameraFeatures f;
    f.exposureCompensation
        = camera.supportedFeatures().testFlag(QCamera::Feature::ExposureCompensation);
    f.exposureCompensationEv = camera.exposureCompensation();
    for (const auto &item : whiteBalanceNames()) {
        if (camera.isWhiteBalanceModeSupported(item.first))
            f.whiteBalanceModes.append(item.first);
    }
    f.whiteBalanceMode = camera.whiteBalanceMode();
    for (const auto &item : focusNames()) {
        if (camera.isFocusModeSupported(item.first))
            f.focusModes.append(item.first);
    }
    f.focusMode = camera.focusMode();
    f.minimumZoom = camera.minimumZoomFactor();
    f.maximumZoom = camera.maximumZoomFactor();
    f.zoom = camera.zoomFactor();
    f.torch = camera.isTorchModeSupported(QCamera::TorchOn);
    f.torchOn = camera.torchMode() == QCamera::TorchOn;
    return f;
}

namespace QtCameraControls {

CameraControls from(const QtCameraFeatures &f, const QString &camera)
{
    CameraControls controls;
    controls.camera = camera;
    QList<CameraControl> &list = controls.controls;
    if (f.exposureCompensation) {
        CameraControl c
            = control(QStringLiteral("exposure_compensation"),
                      QStringLiteral("Exposure Compensation (0.1 EV)"),
                      CameraControl::Type::Integer, qRound64(f.exposureCompensationEv * 10));
        c.minimum = -kEvTenthsRange;
        c.maximum = kEvTenthsRange;
        list.append(c);
    }
    addMenu(&list, QStringLiteral("white_balance_mode"), QStringLiteral("White Balance Mode"),
            whiteBalanceNames(), f.whiteBalanceModes, f.whiteBalanceMode,
            QCamera::WhiteBalanceAuto);
    addMenu(&list, QStringLiteral("focus_mode"), QStringLiteral("Focus Mode"), focusNames(),
            f.focusModes, f.focusMode, QCamera::FocusModeAuto);
    if (f.maximumZoom > f.minimumZoom) {
        CameraControl c = control(QStringLiteral("zoom"), QStringLiteral("Zoom (%)"),
                                  CameraControl::Type::Integer, qRound64(f.zoom * 100));
        c.minimum = qRound64(f.minimumZoom * 100);
        c.maximum = qRound64(f.maximumZoom * 100);
        c.defaultValue = c.minimum;
        list.append(c);
    }
    if (f.torch)
        list.append(control(QStringLiteral("torch"), QStringLiteral("Torch"),
                            CameraControl::Type::Boolean, f.torchOn));
    controls.available = !list.isEmpty();
    if (!controls.available)
        controls.reason = QStringLiteral("the camera offers nothing Qt Multimedia can set");
    return controls;
}

void apply(QCamera *camera, const ControlValues &values)
{
    for (const auto &[name, value] : values) {
        if (name == QLatin1String("exposure_compensation"))
            camera->setExposureCompensation(float(value) / 10);
        else if (name == QLatin1String("white_balance_mode"))
            camera->setWhiteBalanceMode(QCamera::WhiteBalanceMode(value));
        else if (name == QLatin1String("focus_mode"))
            camera->setFocusMode(QCamera::FocusMode(value));
        else if (name == QLatin1String("zoom"))
            camera->setZoomFactor(float(value) / 100);
        else if (name == QLatin1String("torch"))
            camera->setTorchMode(value ? QCamera::TorchOn : QCamera::TorchOff);
    }
}

} // namespace QtCameraControls
