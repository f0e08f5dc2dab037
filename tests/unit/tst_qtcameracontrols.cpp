// Qt Multimedia cameras' controls: what QCamera says a device supports, mapped to the same
// CameraControls as V4L2's (names, types, groups, ranges, menus, defaults), and checked by the
// same rules. There is no camera here: the features are given as QtCameraFeatures, which is
// what QtCameraSource reads from its QCamera; a QCamera without a device gives none.

#include "capture/qtcameracontrols.h"

#include <QCameraDevice>
#include <QTest>

class TestQtCameraControls : public QObject
{
    Q_OBJECT

private slots:
    void nothingSupportedSaysSo();
    void everyFeatureBecomesAControl();
    void onlySupportedModesAreOffered();
    void aSingleModeIsNoChoice();
    void valuesAreCheckedLikeV4l2s();
    void aCameraWithoutDeviceOffersNothing();
};

namespace {
QtCameraFeatures everything()
{
    QtCameraFeatures f;
    f.exposureCompensation = true;
    f.exposureCompensationEv = -0.5f;
    f.whiteBalanceModes
        = {QCamera::WhiteBalanceAuto, QCamera::WhiteBalanceSunlight, QCamera::WhiteBalanceTungsten};
    f.whiteBalanceMode = QCamera::WhiteBalanceTungsten;
    f.focusModes = {QCamera::FocusModeAuto, QCamera::FocusModeInfinity};
    f.focusMode = QCamera::FocusModeAuto;
    f.minimumZoom = 1;
    f.maximumZoom = 4;
    f.zoom = 2.5f;
    f.torch = true;
    f.torchOn = true;
    return f;
}
} // namespace

void TestQtCameraControls::nothingSupportedSaysSo()
{
    const CameraControls c = QtCameraControls::from(QtCameraFeatures(), QStringLiteral("Cam"));
    QVERIFY(!c.available);
    QVERIFY(c.controls.isEmpty());
    QVERIFY(c.reason.contains(QLatin1String("nothing")));
    QCOMPARE(Controls::refusal(c, {{QStringLiteral("zoom"), 100}}), c.reason);
}

void TestQtCameraControls::everyFeatureBecomesAControl()
{
    const CameraControls c = QtCameraControls::from(everything(), QStringLiteral("Cam"));
    QVERIFY(c.available);
    QCOMPARE(c.camera, QStringLiteral("Cam"));
    QStringList names;
    for (const CameraControl &control : c.controls)
        names << control.name;
    QCOMPARE(names,
             (QStringList{"exposure_compensation", "white_balance_mode", "focus_mode", "zoom",
                          "torch"}));

    const CameraControl *ev = c.find(QStringLiteral("exposure_compensation"));
    QCOMPARE(ev->type, CameraControl::Type::Integer);
    QCOMPARE(ev->group(), QStringLiteral("exposure"));
    QCOMPARE(ev->minimum, -20);
    QCOMPARE(ev->maximum, 20);
    QCOMPARE(ev->value, -5); // tenths of an EV
    QCOMPARE(ev->defaultValue, 0);

    const CameraControl *zoom = c.find(QStringLiteral("zoom"));
    QCOMPARE(zoom->group(), QStringLiteral("focus"));
    QCOMPARE(zoom->minimum, 100);
    QCOMPARE(zoom->maximum, 400);
    QCOMPARE(zoom->value, 250);
    QCOMPARE(zoom->defaultValue, 100);

    const CameraControl *torch = c.find(QStringLiteral("torch"));
    QCOMPARE(torch->type, CameraControl::Type::Boolean);
    QCOMPARE(torch->value, 1);
    QCOMPARE(torch->defaultValue, 0);
    QCOMPARE(torch->maximum, 1);

    const CameraControl *focus = c.find(QStringLiteral("focus_mode"));
    QCOMPARE(focus->type, CameraControl::Type::Menu);
    QCOMPARE(focus->group(), QStringLiteral("focus"));
    QCOMPARE(focus->defaultValue, qint64(QCamera::FocusModeAuto));
    QCOMPARE(c.find(QStringLiteral("white_balance_mode"))->group(),
             QStringLiteral("white balance"));
}

void TestQtCameraControls::onlySupportedModesAreOffered()
{
    const CameraControls c = QtCameraControls::from(everything(), QStringLiteral("Cam"));
    const CameraControl *wb = c.find(QStringLiteral("white_balance_mode"));
    QCOMPARE(wb->menu.size(), 3);
    QCOMPARE(wb->menu.at(0), qMakePair(qint64(QCamera::WhiteBalanceAuto), QStringLiteral("Auto")));
    QCOMPARE(wb->menu.at(1).second, QStringLiteral("Sunlight"));
    QCOMPARE(wb->menu.at(2).second, QStringLiteral("Tungsten"));
    QCOMPARE(wb->value, qint64(QCamera::WhiteBalanceTungsten));
    QCOMPARE(wb->valueText(wb->value), QStringLiteral("Tungsten"));
    QCOMPARE(wb->defaultValue, qint64(QCamera::WhiteBalanceAuto));
}

void TestQtCameraControls::aSingleModeIsNoChoice()
{
    QtCameraFeatures f;
    f.focusModes = {QCamera::FocusModeAuto};
    f.whiteBalanceModes = {QCamera::WhiteBalanceAuto};
    f.maximumZoom = f.minimumZoom; // no zoom either
    QVERIFY(!QtCameraControls::from(f, QStringLiteral("Cam")).available);
}

void TestQtCameraControls::valuesAreCheckedLikeV4l2s()
{
    const CameraControls c = QtCameraControls::from(everything(), QStringLiteral("Cam"));
    QVERIFY(Controls::refusal(c, {{QStringLiteral("zoom"), 300}}).isEmpty());
    QCOMPARE(Controls::refusal(c, {{QStringLiteral("zoom"), 50}}),
             QStringLiteral("zoom must be from 100 to 400"));
    // Cloudy is a mode QCamera knows, but this camera does not offer it.
    const QString cloudy = Controls::refusal(
        c, {{QStringLiteral("white_balance_mode"), qint64(QCamera::WhiteBalanceCloudy)}});
    QVERIFY2(cloudy.contains(QLatin1String("must be one of 0 (Auto), 2 (Sunlight), 5 (Tungsten)")),
             qPrintable(cloudy));
    qint64 value = 0;
    QString error;
    QVERIFY(Controls::parseValue(*c.find(QStringLiteral("focus_mode")), QStringLiteral("infinity"),
                                 &value, &error));
    QCOMPARE(value, qint64(QCamera::FocusModeInfinity));
}

void TestQtCameraControls::aCameraWithoutDeviceOffersNothing()
{
    // What QtCameraSource reads from a QCamera that has no device (none on a test machine).
    QCamera camera{QCameraDevice()};
    const QtCameraFeatures f = QtCameraFeatures::of(camera);
    QVERIFY(!f.torch);
    QVERIFY(!f.exposureCompensation);
    QVERIFY(!QtCameraControls::from(f, QString()).available);
}

QTEST_MAIN(TestQtCameraControls)

#include "tst_qtcameracontrols.moc"
