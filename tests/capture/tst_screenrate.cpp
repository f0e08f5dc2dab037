#include "appprocess.h"
#include "fakecamtest.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtDebug>

#include <cstdio>

// The kiosk's screen keeps up with a 30 fps camera: the real app with its window (offscreen,
// software renderer) on the fake V4L2 camera, in YUYV and in MJPEG, counting the distinct
// camera frames its live picture draws (LivePicture::updatePaintNode, reported by the window
// probe, KIOSK_FRAME_STATS).
class TestScreenRate : public QObject
{
    Q_OBJECT
private slots:
    void everyFrameReachesTheScreen_data()
    {
        QTest::addColumn<QString>("formats");
        QTest::newRow("yuyv") << "YUYV";
        QTest::newRow("mjpeg") << "MJPEG";
    }

    void everyFrameReachesTheScreen()
    {
        QFETCH(QString, formats);
        QTemporaryDir config; // no settings saved by an earlier run
        TestSupport::AppProcess app;
        app.setEnvironment(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
        app.setEnvironment(QStringLiteral("FAKECAM_FORMATS"), formats);
        app.setEnvironment(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        app.setEnvironment(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
        app.setEnvironment(QStringLiteral("QT_IM_MODULE"), QString());
        app.setEnvironment(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        // Five seconds recorded after three to settle; the app quits when done.
        app.setEnvironment(QStringLiteral("KIOSK_FRAME_STATS"), QStringLiteral("5"));
        app.setEnvironment(QStringLiteral("KIOSK_FRAME_STATS_AFTER"), QStringLiteral("3"));
        app.start({"--source", "/dev/video0", "--resolution", "640x480", "--fps", "30", "--port",
                   "0", "--host", "127.0.0.1"});
        QVERIFY(app.waitForExit(120000));
        const QString log = app.output();
        QCOMPARE(app.process().exitCode(), 0);
        const QRegularExpression drew(QStringLiteral(
            "picture livePicture drew (\\d+) distinct frames in [\\d.]+ s, [\\d.]+ per second; in "
            "whole seconds: fewest (\\d+) most (\\d+)"));
        const QRegularExpressionMatch m = drew.match(log);
        QVERIFY2(m.hasMatch(), qPrintable(log));
        qInfo().noquote() << formats << m.captured(0);
        // At least 25 of the camera's 30 frames in one second (the preview used to show 10).
        QVERIFY2(m.captured(3).toInt() >= 25, qPrintable(log));
        QVERIFY2(m.captured(1).toInt() > 0, qPrintable(log));
    }
};

KIOSK_FAKECAM_TEST_MAIN(TestScreenRate)

#include "tst_screenrate.moc"
