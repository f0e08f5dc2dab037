#include "appprocess.h"
#include "fakecamtest.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace TestSupport;

namespace {
// What a viewer got: the fake camera's picture (light grey bars at the top left) or the
// pipeline's "no signal" placeholder (dark).
enum class Picture { Camera, NoSignal, Other };

Picture pictureOf(const QByteArray &jpeg)
{
    const QImage image = QImage::fromData(jpeg, "JPEG");
    if (image.isNull())
        return Picture::Other;
    const int grey = qGray(image.pixel(4, 4));
    return grey > 120 ? Picture::Camera : grey < 60 ? Picture::NoSignal : Picture::Other;
}

// A viewer's parts, each decoded once as it is taken, and when the test saw it.
class ViewerLog
{
public:
    explicit ViewerLog(StreamClient *viewer)
        : m_viewer(viewer)
    {
        m_clock.start();
    }
    // Classifies what arrived since the last call; returns the number of parts so far.
    qsizetype update()
    {
        for (const Part &part : m_viewer->takeParts()) {
            pictures.append(pictureOf(part.jpeg));
            arrivedMs.append(m_clock.elapsed());
        }
        return pictures.size();
    }
    // Index of the first part at or after `from` showing `kind`, or -1.
    qsizetype find(Picture kind, qsizetype from)
    {
        update();
        for (qsizetype i = from; i < pictures.size(); ++i) {
            if (pictures[i] == kind)
                return i;
        }
        return -1;
    }
    qsizetype count(Picture kind, qsizetype from, qsizetype to) const
    {
        return std::count(pictures.begin() + from, pictures.begin() + to, kind);
    }
    qint64 nowMs() const { return m_clock.elapsed(); }

    QList<Picture> pictures;
    QList<qint64> arrivedMs;

private:
    StreamClient *m_viewer;
    QElapsedTimer m_clock;
};

// The fake camera is unplugged (or stalled) while such a file exists (FAKECAM_UNPLUG_FILE,
// FAKECAM_STALL_FILE); empty: every emulated device.
void touch(const QString &path)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
}

bool sourceOnline(quint16 port)
{
    return status(port)["source"].toObject()["online"].toBool();
}
} // namespace

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

    // The camera goes away (unplugged, or stalled: present but silent) for `seconds` while a
    // viewer watches: "no signal" frames and /status offline meanwhile, then camera frames and
    // /status online again, on the same connection.
    static void outage(ViewerLog &log, quint16 port, const QString &file, int seconds)
    {
        const QDeadlineTimer over(seconds * 1000);
        const qsizetype gone = log.update();
        touch(file);
        QTRY_VERIFY_WITH_TIMEOUT(log.find(Picture::NoSignal, gone) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!sourceOnline(port), 10000);
        const qsizetype firstNoSignal = log.find(Picture::NoSignal, gone);
        QTest::qWait(int(over.remainingTime()));
        // Placeholders kept coming while it was away, and nothing else.
        QTRY_VERIFY_WITH_TIMEOUT(log.update() - firstNoSignal >= 2, 20000);
        const qsizetype back = log.update();
        QCOMPARE(log.count(Picture::NoSignal, firstNoSignal, back), back - firstNoSignal);

        QVERIFY(QFile::remove(file));
        QTRY_VERIFY_WITH_TIMEOUT(log.find(Picture::Camera, back) >= 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(sourceOnline(port), 10000);
    }

    // One outage of `seconds` ("unplugged" or "stalled") measured: from the camera's return to
    // its first frame at a viewer and to /status online.
    static void measureRecovery(const QString &program, const QString &formats, const QString &how,
                                int seconds)
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("away"));
        AppProcess app;
        app.process().setProgram(program);
        app.setEnvironment(how == QLatin1String("stalled") ? QStringLiteral("FAKECAM_STALL_FILE")
                                                           : QStringLiteral("FAKECAM_UNPLUG_FILE"),
                           file);
        const quint16 port = startApp(app, formats, {});
        QVERIFY2(port, qPrintable(app.output()));
        QTRY_VERIFY_WITH_TIMEOUT(
            status(port)["output"].toObject()["frames_published"].toDouble() > 0, 20000);
        StreamClient viewer;
        viewer.open(port);
        ViewerLog log(&viewer);
        QTRY_VERIFY_WITH_TIMEOUT(log.find(Picture::Camera, 0) >= 0, 20000);
        touch(file);
        QTest::qWait(seconds * 1000);
        const qsizetype back = log.update();
        QVERIFY(QFile::remove(file));
        const qint64 returnMs = log.nowMs();
        qint64 onlineMs = -1;
        qsizetype first = -1;
        const QDeadlineTimer deadline(60000);
        while ((first < 0 || onlineMs < 0) && !deadline.hasExpired()) {
            QTest::qWait(2);
            if (first < 0)
                first = log.find(Picture::Camera, back);
            if (onlineMs < 0 && sourceOnline(port))
                onlineMs = log.nowMs();
        }
        QVERIFY(first >= 0 && onlineMs >= 0);
        std::printf("%s, %s %d s: first camera frame at the viewer %.2f s after its return, "
                    "/status online %.2f s after it\n",
                    qPrintable(formats), qPrintable(how), seconds,
                    (log.arrivedMs[first] - returnMs) / 1000.0, (onlineMs - returnMs) / 1000.0);
        std::fflush(stdout);
        QCOMPARE(viewer.disconnects(), 0);
        stopApp(app);
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

    // --rotate 90 on a 1280x720 camera: every viewer gets 720x1280 frames, camera JPEGs still
    // passed through (turned losslessly); YUYV turned on the planes before the encode.
    void rotated_data()
    {
        QTest::addColumn<QString>("formats");
        QTest::addColumn<QString>("encoder");
        QTest::newRow("yuyv") << "YUYV"
                              << "cpu";
        QTest::newRow("mjpeg") << "MJPEG"
                               << "passthrough";
    }

    void rotated()
    {
        QFETCH(QString, formats);
        QFETCH(QString, encoder);
        AppProcess app;
        const quint16 port = startApp(
            app, formats, {"--resolution", "1280x720", "--rotate", "90", "--flip", "vertical"});
        QVERIFY2(port, qPrintable(app.output()));
        QTRY_VERIFY_WITH_TIMEOUT(
            status(port)["output"].toObject()["frames_published"].toDouble() > 0, 20000);
        StreamClient viewers[3];
        for (StreamClient &viewer : viewers)
            viewer.open(port);
        for (StreamClient &viewer : viewers) {
            QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 3 || !viewer.error().isEmpty(), 30000);
            QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
            for (const Part &part : viewer.parts()) {
                const QImage image = QImage::fromData(part.jpeg, "JPEG");
                QCOMPARE(image.size(), QSize(720, 1280));
                // Flipped upside down, then turned clockwise: a transpose, which keeps the
                // camera's light bars at the top left.
                QCOMPARE(pictureOf(part.jpeg), Picture::Camera);
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(status(port)["source"].toObject()["width"].toInt() == 720, 10000);
        const QJsonObject s = status(port);
        const QJsonObject source = s["source"].toObject();
        QCOMPARE(source["height"].toInt(), 1280);
        QCOMPARE(source["captured"].toObject()["width"].toInt(), 1280);
        QCOMPARE(source["captured"].toObject()["height"].toInt(), 720);
        QCOMPARE(source["transform"].toObject()["rotate"].toInt(), 90);
        QCOMPARE(source["transform"].toObject()["flip"].toString(), QStringLiteral("vertical"));
        QCOMPARE(s["output"].toObject()["encoder"].toString(), encoder);
        QCOMPARE(s["output"].toObject()["frames_passed_through"].toDouble() > 0,
                 encoder == QLatin1String("passthrough"));
        stopApp(app);
    }

    // A crop that does not fit, an angle or a flip that does not exist: exit 2 naming it.
    void badTransform_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("says");
        QTest::newRow("rotate") << QStringList{"--rotate", "45"}
                                << "rotate must be 0, 90, 180 or 270";
        QTest::newRow("flip") << QStringList{"--flip", "sideways"}
                              << "flip must be none, horizontal or vertical";
        QTest::newRow("crop-zero")
            << QStringList{"--crop", "0x0+0+0"} << "crop 0x0+0+0 is too small";
        QTest::newRow("crop-outside") << QStringList{"--crop", "640x480+700+0"}
                                      << "crop 640x480+700+0 is outside the 1280x720 picture";
    }

    void badTransform()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, says);
        AppProcess app;
        app.start(QStringList{"--headless", "--config", "", "--port", "0"} + arguments);
        QVERIFY(app.waitForExit());
        QCOMPARE(app.process().exitCode(), 2);
        QVERIFY2(app.output().contains(says), qPrintable(app.output()));
    }

    // Unplugged for a moment and for long, then stalled, with one viewer throughout.
    void recovery_data()
    {
        QTest::addColumn<QString>("formats");
        QTest::addColumn<QList<int>>("unplugSeconds");
        QTest::newRow("yuyv") << "YUYV" << QList<int>{3, 12};
        QTest::newRow("mjpeg") << "MJPEG" << QList<int>{3};
    }

    void recovery()
    {
        QFETCH(QString, formats);
        QFETCH(QList<int>, unplugSeconds);
        QTemporaryDir dir;
        const QString unplug = dir.filePath(QStringLiteral("unplug"));
        const QString stall = dir.filePath(QStringLiteral("stall"));
        AppProcess app;
        app.setEnvironment(QStringLiteral("FAKECAM_UNPLUG_FILE"), unplug);
        app.setEnvironment(QStringLiteral("FAKECAM_STALL_FILE"), stall);
        const quint16 port = startApp(app, formats, {});
        QVERIFY2(port, qPrintable(app.output()));
        QTRY_VERIFY_WITH_TIMEOUT(
            status(port)["output"].toObject()["frames_published"].toDouble() > 0, 20000);
        StreamClient viewer;
        viewer.open(port);
        ViewerLog log(&viewer);
        QTRY_VERIFY_WITH_TIMEOUT(log.find(Picture::Camera, 0) >= 0, 20000);
        QVERIFY(sourceOnline(port));

        for (int seconds : std::as_const(unplugSeconds)) {
            outage(log, port, unplug, seconds);
            if (QTest::currentTestFailed())
                return;
        }
        // Stalled past the source timeout (2 s): reopened meanwhile, and back when it sends.
        outage(log, port, stall, 4);
        if (QTest::currentTestFailed())
            return;

        QCOMPARE(viewer.disconnects(), 0);
        QVERIFY(viewer.isConnected());
        QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
        stopApp(app);
    }

    // Not a test: the time from the camera's return to its first frame at a viewer and to
    // /status online, for docs/benchmarks.md. FAKECAM_RECOVERY_OUTAGES=5,10,20 (seconds) runs
    // it; FAKECAM_RECOVERY_STALL=1 stalls the camera instead of unplugging it;
    // KIOSK_RECOVERY_APP measures another build of the app.
    void recoveryTimes()
    {
        const QString outages = qEnvironmentVariable("FAKECAM_RECOVERY_OUTAGES");
        if (outages.isEmpty())
            QSKIP("a measurement: run with FAKECAM_RECOVERY_OUTAGES=5,10,20 (seconds)");
        const QString program = qEnvironmentVariable("KIOSK_RECOVERY_APP", KIOSK_APP);
        const QString how = qEnvironmentVariableIsSet("FAKECAM_RECOVERY_STALL")
            ? QStringLiteral("stalled")
            : QStringLiteral("unplugged");
        for (const char *formats : {"YUYV", "MJPEG"}) {
            for (const QString &seconds : outages.split(QLatin1Char(','))) {
                measureRecovery(program, QLatin1String(formats), how, seconds.toInt());
                if (QTest::currentTestFailed())
                    return;
            }
        }
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

KIOSK_FAKECAM_TEST_MAIN(TestFakecam)

#include "tst_fakecam.moc"
