#include "appprocess.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <QTest>

#include <cstdio>

using namespace TestSupport;

// The real app reading the fake V4L2 camera (shared/tools/fakecam, LD_PRELOAD).
class TestFakecam : public QObject
{
    Q_OBJECT
private:
    // The app under the fake camera that offers `formats` (FAKECAM_FORMATS).
    static void preloadFakecam(AppProcess &app, const QString &formats = {})
    {
        app.setEnvironment(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
        if (!formats.isEmpty())
            app.setEnvironment(QStringLiteral("FAKECAM_FORMATS"), formats);
    }

    // Starts the app on the fake camera at 640x480, 15 fps, plus `extra`; its port, 0 when it
    // does not come up.
    static quint16 startApp(AppProcess &app, const QString &formats, const QStringList &extra)
    {
        preloadFakecam(app, formats);
        return app.startListening(QStringList{"--headless", "--source", "/dev/video0", "--port",
                                              "0", "--host", "127.0.0.1", "--resolution", "640x480",
                                              "--fps", "15"}
                                  + extra);
    }

    // SIGTERM: the app must exit cleanly.
    static void stopApp(AppProcess &app)
    {
        QVERIFY(app.terminate() >= 0);
        QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.process().exitCode(), 0);
    }

private slots:
    void stream_data()
    {
        QTest::addColumn<QString>("formats");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("encoder");
        QTest::newRow("yuyv") << "YUYV" << QStringList() << "YUYV"
                              << "cpu";
        QTest::newRow("mjpeg-passthrough") << "MJPEG" << QStringList() << "MJPEG"
                                           << "passthrough";
        QTest::newRow("mjpeg-reencode") << "MJPEG" << QStringList{"--quality", "50"} << "MJPEG"
                                        << "cpu";
        QTest::newRow("both-cpu") << "YUYV,MJPEG" << QStringList{"--encoder", "cpu"} << "YUYV"
                                  << "cpu";
        QTest::newRow("both-auto") << "YUYV,MJPEG" << QStringList() << "MJPEG"
                                   << "passthrough";
    }

    void stream()
    {
        QFETCH(QString, formats);
        QFETCH(QStringList, extra);
        QFETCH(QString, format);
        QFETCH(QString, encoder);
        AppProcess app;
        const quint16 port = startApp(app, formats, extra);
        QVERIFY2(port, qPrintable(app.output()));
        // The server answers 503 to viewers until there is a first frame.
        QTRY_VERIFY_WITH_TIMEOUT(
            status(port)["output"].toObject()["frames_published"].toDouble() > 0, 20000);
        StreamClient viewer;
        viewer.open(port);
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 5 || !viewer.error().isEmpty(), 30000);
        QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
        for (const Part &part : viewer.parts()) {
            const QImage image = QImage::fromData(part.jpeg, "JPEG");
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), QSize(640, 480));
        }
        const QJsonObject s = status(port);
        const QJsonObject source = s["source"].toObject();
        QCOMPARE(source["online"].toBool(), true);
        QCOMPARE(source["format"].toString(), format);
        QCOMPARE(source["width"].toInt(), 640);
        QCOMPARE(source["height"].toInt(), 480);
        QCOMPARE(source["fps"].toDouble(), 15.0);
        QCOMPARE(s["output"].toObject()["encoder"].toString(), encoder);
        QCOMPARE(s["output"].toObject()["frames_passed_through"].toDouble() > 0,
                 encoder == QLatin1String("passthrough"));
        stopApp(app);
    }

    // Headless on a YUYV camera with nobody watching: capture goes on, no JPEG is made; a
    // /snapshot wakes the encoder for a frame captured after the request, then it idles again.
    void idleWithoutViewer()
    {
        AppProcess app;
        const quint16 port = startApp(app, QStringLiteral("YUYV"), {});
        QVERIFY2(port, qPrintable(app.output()));
        const auto output = [port](const char *name) {
            return status(port)["output"].toObject()[QLatin1String(name)].toDouble(-1);
        };
        const auto idle
            = [port] { return status(port)["output"].toObject()["encoder_idle"].toBool(); };
        QTRY_VERIFY_WITH_TIMEOUT(idle(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(output("frames_captured") >= 5, 20000);
        // An encode started before the idle moment is counted a few frames later at most.
        double captured = output("frames_captured");
        QTRY_VERIFY_WITH_TIMEOUT(output("frames_captured") >= captured + 5, 20000);
        const double encoded = output("frames_encoded");
        captured = output("frames_captured");
        QTRY_VERIFY_WITH_TIMEOUT(output("frames_captured") >= captured + 30, 30000);
        QCOMPARE(output("frames_encoded"), encoded);

        const qint64 requestedUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        const HttpResult snapshot = get(port, "/snapshot");
        QCOMPARE(snapshot.head.status, 200);
        // X-Timestamp: when the frame was captured, "seconds.micro".
        const QList<QByteArray> stamp = snapshot.head.header("X-Timestamp").split('.');
        QCOMPARE(stamp.size(), 2);
        QVERIFY(stamp[0].toLongLong() * 1000000 + stamp[1].toLongLong() > requestedUs);
        QCOMPARE(QImage::fromData(snapshot.body, "JPEG").size(), QSize(640, 480));
        QTRY_VERIFY_WITH_TIMEOUT(idle(), 20000);
        stopApp(app);
    }

    void listSources()
    {
        AppProcess app;
        preloadFakecam(app);
        app.setSeparateChannels();
        app.start({"--list-sources"});
        QVERIFY(app.waitForExit());
        QCOMPARE(app.process().exitCode(), 0);
        const QString out = app.output(); // stdout only
        QVERIFY2(out.contains(QLatin1String("/dev/video0")), qPrintable(out));
        const QRegularExpression mjpeg(QStringLiteral("MJPEG .*1280x720@30"));
        const QRegularExpression yuyv(QStringLiteral("YUYV .*640x480@30"));
        QVERIFY2(out.contains(mjpeg), qPrintable(out));
        QVERIFY2(out.contains(yuyv), qPrintable(out));
    }
};

int main(int argc, char **argv)
{
    if (!QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY))) {
        std::printf("SKIP: %s not built (needs ../shared/tools/fakecam and the bench/ 'fakecam' "
                    "target, or copy it there from 'make -C ../shared/tools/fakecam')\n",
                    FAKECAM_LIBRARY);
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestFakecam test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_fakecam.moc"
