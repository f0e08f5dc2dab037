// Several cameras in one process (issue 19): the real pipeline with named cameras (test patterns
// with labels, a video file, and two fake V4L2 cameras at once, one YUYV and one MJPEG), real
// sockets, every camera's URLs read by ffmpeg. Each camera is at /camera/NAME/, the plain routes
// are the first camera's; unknown names get a 404 naming the cameras; a camera switched off,
// unplugged, removed or renamed leaves the others streaming.

#include "fakecamtest.h"
#include "pipeline/pipeline.h"
#include "testclient.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace TestSupport;

namespace {
CameraConfig cameraConfig(const QString &name, const QString &source)
{
    CameraConfig camera;
    camera.name = name;
    camera.source = source;
    camera.resolution = QSize(320, 240);
    camera.fps = 15;
    return camera;
}

// A JPEG as a 16x12 thumbnail: the test patterns' bars are turned by their label, so two
// cameras' pictures are far apart and one camera's pictures (moving block and clock aside) close.
QImage thumbnail(const QByteArray &jpeg)
{
    return QImage::fromData(jpeg, "JPEG")
        .scaled(16, 12, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
        .convertToFormat(QImage::Format_RGB32);
}

// Mean difference per channel (0-255) of two thumbnails.
int distance(const QImage &a, const QImage &b)
{
    qint64 sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y);
            const QRgb q = b.pixel(x, y);
            sum += qAbs(qRed(p) - qRed(q)) + qAbs(qGreen(p) - qGreen(q))
                + qAbs(qBlue(p) - qBlue(q));
        }
    }
    return int(sum / (3 * a.width() * a.height()));
}

// ffmpeg reads `frames` frames of `url` (multipart, its mpjpeg demuxer) and decodes them; the
// exit code, or -1 when it did not finish (its output in *log).
int ffmpegDecodes(const QString &url, int frames, QString *log)
{
    QProcess ffmpeg;
    ffmpeg.setProcessChannelMode(QProcess::MergedChannels);
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 {"-hide_banner", "-loglevel", "error", "-f", "mpjpeg", "-i", url, "-frames:v",
                  QString::number(frames), "-f", "null", "-"});
    const bool finished
        = QTest::qWaitFor([&] { return ffmpeg.state() == QProcess::NotRunning; }, kWaitMs);
    if (!finished) {
        ffmpeg.kill();
        ffmpeg.waitForFinished(kWaitMs);
    }
    *log = QString::fromUtf8(ffmpeg.readAll());
    return finished && ffmpeg.exitStatus() == QProcess::NormalExit ? ffmpeg.exitCode() : -1;
}

QStringList cameraNames(const QJsonObject &status)
{
    QStringList names;
    for (const QJsonValue &camera : status["cameras"].toArray())
        names << camera.toObject()["name"].toString();
    return names;
}

QJsonObject cameraSummary(const QJsonObject &status, const QString &name)
{
    for (const QJsonValue &camera : status["cameras"].toArray()) {
        if (camera.toObject()["name"].toString() == name)
            return camera.toObject();
    }
    return {};
}
} // namespace

class TestCameras : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void everyCameraAtItsUrls();
    void badCameraUrls();
    void credentialsBeforeNamesAndProfiles();
    void statusAndMetricsPerCamera();
    void streamingPerCamera();
    void addRenameRemoveLive();
    void refusedChanges();
    void fakeCamerasYuyvAndMjpeg();
    void fileCameraBesideTheOthers();
    void unpluggedCameraLeavesOthersStreaming();

private:
    // The pipeline with `cameras`, listening on a free port of 127.0.0.1; 0 on failure.
    quint16 start(const QList<CameraConfig> &cameras);

    std::unique_ptr<Pipeline> m_pipeline;
};

void TestCameras::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
        QSKIP("ffmpeg is not installed (deploy/install-deps.sh installs it)");
}

void TestCameras::cleanup()
{
    m_pipeline.reset();
}

quint16 TestCameras::start(const QList<CameraConfig> &cameras)
{
    PipelineConfig config;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.cameras = cameras;
    m_pipeline = std::make_unique<Pipeline>();
    if (!m_pipeline->start(config)) {
        qWarning() << m_pipeline->errorString();
        return 0;
    }
    const quint16 port = quint16(m_pipeline->server()->port());
    for (const CameraConfig &camera : cameras) {
        const QByteArray snapshot = "/camera/" + camera.name.toUtf8() + "/snapshot";
        if (!waitUntil([&] { return get(port, snapshot).head.status == 200; }))
            return 0;
    }
    return port;
}

void TestCameras::everyCameraAtItsUrls()
{
    const quint16 port
        = start({cameraConfig("main", "test:main"), cameraConfig("door", "test:door"),
                 cameraConfig("yard-2", "test:yard")});
    QVERIFY(port);
    QMap<QString, QImage> pictures;
    for (const QString name : {"main", "door", "yard-2"}) {
        const QByteArray base = "/camera/" + name.toUtf8();
        const HttpResult snapshot = get(port, base + "/snapshot");
        QCOMPARE(snapshot.head.status, 200);
        pictures.insert(name, thumbnail(snapshot.body));
        QVERIFY2(!pictures.value(name).isNull(), qPrintable(name));
        QString log;
        QVERIFY2(ffmpegDecodes(QStringLiteral("http://127.0.0.1:%1%2/stream")
                                   .arg(port)
                                   .arg(QString::fromUtf8(base)),
                               10, &log)
                     == 0,
                 qPrintable(log));
        // The mjpg-streamer URLs under the camera's folder too.
        QCOMPARE(get(port, base + "/?action=snapshot").head.status, 200);
    }
    // Three different pictures (the labels turn the bars).
    QVERIFY(distance(pictures["main"], pictures["door"]) > 20);
    QVERIFY(distance(pictures["door"], pictures["yard-2"]) > 20);
    // The plain routes are the first camera's.
    const QImage plain = thumbnail(get(port, "/snapshot").body);
    QVERIFY2(distance(plain, pictures["main"]) < 10 && distance(plain, pictures["door"]) > 20,
             "/snapshot is not the first camera's");
    QString log;
    QVERIFY2(ffmpegDecodes(QStringLiteral("http://127.0.0.1:%1/?action=stream").arg(port), 5, &log)
                 == 0,
             qPrintable(log));
    // The viewer page under a camera's folder, whose relative URLs then stay in it.
    const HttpResult page = get(port, "/camera/door/");
    QCOMPARE(page.head.status, 200);
    QVERIFY(page.head.header("Content-Type").startsWith("text/html"));
}

void TestCameras::badCameraUrls()
{
    const quint16 port
        = start({cameraConfig("main", "test:main"), cameraConfig("door", "test:door")});
    QVERIFY(port);
    StreamClient viewer;
    viewer.open(port, "/camera/door/stream");
    QVERIFY(waitUntil([&] { return viewer.frames() >= 2; }));
    for (const QByteArray target : {"/camera/garage/stream", "/camera/garage/snapshot",
                                    "/camera/Door/stream", "/camera/", "/camera//stream"}) {
        const HttpResult r = get(port, target);
        QCOMPARE(r.head.status, 404);
        QVERIFY2(r.body.contains("cameras: main, door"), r.body.constData());
    }
    // A route unknown below a known camera: the usual 404.
    QCOMPARE(get(port, "/camera/door/nothing").head.status, 404);
    // The folder without its slash: redirected, so that the page's relative URLs stay in it.
    const HttpResult redirect = get(port, "/camera/door");
    QCOMPARE(redirect.head.status, 301);
    QCOMPARE(redirect.head.header("Location"), QByteArray("door/"));
    // The viewer of the other camera never noticed.
    const qsizetype seen = viewer.frames();
    QVERIFY(waitUntil([&] { return viewer.frames() >= seen + 3; }));
    QCOMPARE(viewer.disconnects(), 0);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
}

void TestCameras::credentialsBeforeNamesAndProfiles()
{
    CameraConfig door = cameraConfig("door", "test:door");
    door.resolution = QSize(1280, 720); // room for the 320 profile
    const quint16 port = start({cameraConfig("main", "test:main"), door});
    QVERIFY(port);
    m_pipeline->setPassword("s3cret");
    // Without credentials: neither the cameras' names nor a profile of their own.
    const HttpResult unknown = get(port, "/camera/garage/stream");
    QCOMPARE(unknown.head.status, 401);
    QVERIFY(!unknown.body.contains("door"));
    QCOMPARE(get(port, "/camera/door").head.status, 401);
    QCOMPARE(get(port, "/camera/door/stream?width=320").head.status, 401);
    QCOMPARE(get(port, "/camera/door/snapshot?width=640").head.status, 401);
    for (const Camera *camera : m_pipeline->cameras()) {
        for (const ProfileSet::Live &live : camera->channel()->profiles().all())
            QVERIFY2(live.choice.isFullSize(), "a refused request claimed a profile");
    }
    // With them: the same requests are served.
    const QByteArray auth
        = "Authorization: Basic " + QByteArray("viewer:s3cret").toBase64() + "\r\n";
    QVERIFY(get(port, "/camera/garage/stream", auth).body.contains("cameras: main, door"));
    const HttpResult small = get(port, "/camera/door/snapshot?width=320", auth);
    QCOMPARE(small.head.status, 200);
    QCOMPARE(small.head.header("X-Frame-Size"), QByteArray("320x180"));
}

void TestCameras::statusAndMetricsPerCamera()
{
    const quint16 port
        = start({cameraConfig("main", "test:main"), cameraConfig("door", "test:door")});
    QVERIFY(port);
    StreamClient viewer;
    viewer.open(port, "/camera/door/stream");
    QVERIFY(waitUntil([&] { return viewer.frames() >= 2; }));
    // Each camera's /status: its own source and viewers, every camera listed in order.
    QVERIFY(waitUntil([&] {
        return status(port)["camera"] == QStringLiteral("main")
            && cameraSummary(status(port), "door")["viewers"].toInt() == 1;
    }));
    const QJsonObject main = status(port);
    QCOMPARE(cameraNames(main), QStringList({"main", "door"}));
    QCOMPARE(main["client_count"].toInt(), 0);
    QCOMPARE(main["source"].toObject()["description"].toString(),
             QStringLiteral("Test pattern main"));
    const QJsonObject door
        = QJsonDocument::fromJson(get(port, "/camera/door/status").body).object();
    QCOMPARE(door["camera"].toString(), QStringLiteral("door"));
    QCOMPARE(door["client_count"].toInt(), 1);
    QCOMPARE(door["source"].toObject()["description"].toString(),
             QStringLiteral("Test pattern door"));
    QCOMPARE(cameraSummary(door, "door")["stream"].toString(),
             QStringLiteral("/camera/door/stream"));
    QVERIFY(cameraSummary(door, "door")["online"].toBool());
    // /metrics: one family, a series per camera.
    const QByteArray metrics = get(port, "/metrics").body;
    QVERIFY2(metrics.contains("mjpeg_kiosk_viewers{camera=\"main\"} 0"), metrics.constData());
    QVERIFY2(metrics.contains("mjpeg_kiosk_viewers{camera=\"door\"} 1"), metrics.constData());
    QCOMPARE(metrics.count("# TYPE mjpeg_kiosk_viewers "), 1);
}

void TestCameras::streamingPerCamera()
{
    const quint16 port
        = start({cameraConfig("main", "test:main"), cameraConfig("door", "test:door")});
    QVERIFY(port);
    StreamClient mainViewer;
    mainViewer.open(port, "/camera/main/stream");
    StreamClient doorViewer;
    doorViewer.open(port, "/camera/door/stream");
    QVERIFY(waitUntil([&] { return mainViewer.frames() >= 2 && doorViewer.frames() >= 2; }));

    CameraChannel *door = m_pipeline->camera("door")->channel();
    door->setRunning(false);
    // The door's stream ends cleanly; its URL says why; the main camera's goes on.
    QVERIFY(waitUntil([&] { return doorViewer.isClosedCleanly() && doorViewer.isUnconnected(); }));
    const HttpResult refused = get(port, "/camera/door/stream");
    QCOMPARE(refused.head.status, 503);
    QVERIFY2(refused.body.contains("'door'"), refused.body.constData());
    QCOMPARE(get(port, "/camera/door/snapshot").head.status, 503);
    QVERIFY(waitUntil([&] { return !cameraSummary(status(port), "door")["streaming"].toBool(); }));
    QVERIFY(cameraSummary(status(port), "main")["streaming"].toBool());
    const qsizetype seen = mainViewer.frames();
    QVERIFY(waitUntil([&] { return mainViewer.frames() >= seen + 5; }));
    QCOMPARE(mainViewer.disconnects(), 0);

    door->setRunning(true);
    QCOMPARE(get(port, "/camera/door/snapshot").head.status, 200);
    // The global switch stops every camera.
    m_pipeline->server()->setRunning(false);
    QVERIFY(waitUntil([&] { return mainViewer.isUnconnected(); }));
    QCOMPARE(get(port, "/camera/door/stream").head.status, 503);
    m_pipeline->server()->setRunning(true);
    QCOMPARE(get(port, "/camera/door/snapshot").head.status, 200);
}

void TestCameras::addRenameRemoveLive()
{
    const quint16 port = start({cameraConfig("main", "test:main")});
    QVERIFY(port);
    QString error;
    QVERIFY2(m_pipeline->addCamera(cameraConfig("gate", "test:gate"), &error), qPrintable(error));
    QVERIFY(waitUntil([&] { return get(port, "/camera/gate/snapshot").head.status == 200; }));
    QCOMPARE(m_pipeline->cameraCount(), 2);
    StreamClient gateViewer;
    gateViewer.open(port, "/camera/gate/stream");
    QVERIFY(waitUntil([&] { return gateViewer.frames() >= 2; }));

    // Renamed: the old URL is gone, the new one works, the viewer already watching goes on.
    QVERIFY2(m_pipeline->renameCamera("gate", "garden", &error), qPrintable(error));
    QCOMPARE(get(port, "/camera/gate/snapshot").head.status, 404);
    QCOMPARE(get(port, "/camera/garden/snapshot").head.status, 200);
    QVERIFY(waitUntil([&] { return cameraNames(status(port)).contains("garden"); }));
    const qsizetype seen = gateViewer.frames();
    QVERIFY(waitUntil([&] { return gateViewer.frames() >= seen + 3; }));
    QCOMPARE(gateViewer.disconnects(), 0);

    // Removed: its viewer's stream ends, its URLs are unknown, the first camera goes on.
    StreamClient mainViewer;
    mainViewer.open(port, "/stream");
    QVERIFY(waitUntil([&] { return mainViewer.frames() >= 2; }));
    QVERIFY2(m_pipeline->removeCamera("garden", &error), qPrintable(error));
    QVERIFY(waitUntil([&] { return gateViewer.isUnconnected(); }));
    QCOMPARE(get(port, "/camera/garden/snapshot").head.status, 404);
    QCOMPARE(cameraNames(status(port)), QStringList({"main"}));
    const qsizetype mainSeen = mainViewer.frames();
    QVERIFY(waitUntil([&] { return mainViewer.frames() >= mainSeen + 3; }));
    QCOMPARE(mainViewer.disconnects(), 0);
}

void TestCameras::refusedChanges()
{
    const quint16 port
        = start({cameraConfig("main", "test:main"), cameraConfig("door", "/dev/video7")});
    QVERIFY(port);
    QString error;
    QVERIFY(!m_pipeline->addCamera(cameraConfig("door", "test:other"), &error));
    QVERIFY2(error.contains("'door'") && error.contains("twice"), qPrintable(error));
    QVERIFY(!m_pipeline->addCamera(cameraConfig("Door!", "test:other"), &error));
    QVERIFY2(error.contains("Door!") && error.contains("a-z"), qPrintable(error));
    QVERIFY(!m_pipeline->addCamera(cameraConfig("back", "/dev/video7"), &error));
    QVERIFY2(error.contains("'door'") && error.contains("'back'"), qPrintable(error));
    QVERIFY(!m_pipeline->renameCamera("door", "main", &error));
    QVERIFY2(error.contains("twice"), qPrintable(error));
    QVERIFY(!m_pipeline->renameCamera("nobody", "x", &error));
    QVERIFY(!m_pipeline->removeCamera("nobody", &error));
    QVERIFY2(error.contains("nobody"), qPrintable(error));
    QVERIFY2(m_pipeline->removeCamera("door", &error), qPrintable(error));
    QVERIFY(!m_pipeline->removeCamera("main", &error));
    QVERIFY2(error.contains("only camera"), qPrintable(error));
    // Nothing refused changed anything.
    QCOMPARE(cameraNames(status(port)), QStringList({"main"}));
    QCOMPARE(get(port, "/snapshot").head.status, 200);
    // A start with a bad list is refused with the reason, before anything listens.
    Pipeline other;
    PipelineConfig config;
    config.server.port = 0;
    config.cameras = {cameraConfig("a", "test"), cameraConfig("a", "test")};
    QVERIFY(!other.start(config));
    QVERIFY2(other.errorString().contains("'a'"), qPrintable(other.errorString()));
    QVERIFY(!other.server()->isListening());
}

void TestCameras::fakeCamerasYuyvAndMjpeg()
{
    if (fakecamMissing())
        QSKIP("the fake V4L2 camera is not built");
    CameraConfig yuyv = cameraConfig("yuyv", "/dev/video0");
    yuyv.resolution = QSize(1280, 720);
    yuyv.fps = 30;
    yuyv.encoder = CameraConfig::Encoder::Cpu; // YUYV preferred, encoded here
    CameraConfig mjpeg = cameraConfig("mjpeg", "/dev/video2");
    mjpeg.resolution = QSize(640, 480);
    mjpeg.fps = 30; // pass-through: the camera's own JPEGs
    const quint16 port = start({yuyv, mjpeg, cameraConfig("pattern", "test:pattern")});
    QVERIFY(port);
    QVERIFY(waitUntil([&] {
        const QJsonObject s = status(port);
        return cameraSummary(s, "yuyv")["online"].toBool()
            && cameraSummary(s, "mjpeg")["online"].toBool();
    }));
    const auto cameraStatus = [port](const QByteArray &name) {
        return QJsonDocument::fromJson(get(port, "/camera/" + name + "/status").body).object();
    };
    QCOMPARE(cameraStatus("yuyv")["source"].toObject()["format"].toString(),
             QStringLiteral("YUYV"));
    QCOMPARE(cameraStatus("mjpeg")["source"].toObject()["format"].toString(),
             QStringLiteral("MJPEG"));
    const QMap<QByteArray, QSize> sizes{
        {"yuyv", {1280, 720}}, {"mjpeg", {640, 480}}, {"pattern", {320, 240}}};
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it) {
        const QImage picture
            = QImage::fromData(get(port, "/camera/" + it.key() + "/snapshot").body, "JPEG");
        QCOMPARE(picture.size(), it.value());
        QString log;
        QVERIFY2(ffmpegDecodes(QStringLiteral("http://127.0.0.1:%1/camera/%2/stream")
                                   .arg(port)
                                   .arg(QString::fromLatin1(it.key())),
                               15, &log)
                     == 0,
                 qPrintable(log));
    }
    QTRY_COMPARE_WITH_TIMEOUT(cameraStatus("mjpeg")["output"].toObject()["encoder"].toString(),
                              QStringLiteral("passthrough"), kWaitMs);
    // One device serves one camera.
    QString error;
    QVERIFY(!m_pipeline->addCamera(cameraConfig("again", "/dev/video0"), &error));
    QVERIFY2(error.contains("'yuyv'") && error.contains("'again'"), qPrintable(error));
}

void TestCameras::fileCameraBesideTheOthers()
{
    // A video file (looped, through the OpenCV plugin) as one camera among test patterns.
    QTemporaryDir dir;
    const QString clip = dir.filePath(QStringLiteral("clip.avi"));
    QProcess make;
    make.start(QStringLiteral("ffmpeg"),
               {"-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=15", "-t", "2",
                "-c:v", "mjpeg", clip});
    QVERIFY(make.waitForFinished(60000));
    QCOMPARE(make.exitCode(), 0);
    CameraConfig file = cameraConfig("clip", clip);
    file.resolution = QSize(160, 120);
    const quint16 port = start({cameraConfig("main", "test:main"), file});
    QVERIFY2(port, "the file camera did not start");
    QVERIFY(waitUntil([&] { return cameraSummary(status(port), "clip")["online"].toBool(); }));
    const QImage picture = QImage::fromData(get(port, "/camera/clip/snapshot").body, "JPEG");
    QCOMPARE(picture.size(), QSize(160, 120));
    QString log;
    QVERIFY2(
        ffmpegDecodes(QStringLiteral("http://127.0.0.1:%1/camera/clip/stream").arg(port), 20, &log)
            == 0,
        qPrintable(log));
    // One file serves one camera.
    QString error;
    QVERIFY(!m_pipeline->addCamera(cameraConfig("again", clip), &error));
    QVERIFY2(error.contains("'clip'") && error.contains("'again'"), qPrintable(error));
}

void TestCameras::unpluggedCameraLeavesOthersStreaming()
{
    if (fakecamMissing())
        QSKIP("the fake V4L2 camera is not built");
    const QString unplugFile = qEnvironmentVariable("FAKECAM_UNPLUG_FILE");
    QVERIFY2(!unplugFile.isEmpty(), "ctest sets FAKECAM_UNPLUG_FILE for this test");
    QFile::remove(unplugFile);
    CameraConfig front = cameraConfig("front", "/dev/video0");
    front.sourceTimeoutMs = 1000;
    CameraConfig back = cameraConfig("back", "/dev/video2");
    back.sourceTimeoutMs = 1000;
    const quint16 port = start({front, back});
    QVERIFY(port);
    StreamClient frontViewer;
    frontViewer.open(port, "/camera/front/stream");
    StreamClient backViewer;
    backViewer.open(port, "/camera/back/stream");
    QVERIFY(waitUntil([&] { return frontViewer.frames() >= 2 && backViewer.frames() >= 2; }));

    // The back camera unplugged: "no signal" on its stream and in /status; the front one is
    // untouched.
    {
        QFile file(unplugFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("video2\n");
    }
    QVERIFY(waitUntil([&] { return !cameraSummary(status(port), "back")["online"].toBool(); }));
    QVERIFY(cameraSummary(status(port), "front")["online"].toBool());
    QVERIFY(!cameraSummary(status(port), "back")["error"].toString().isEmpty());
    QVERIFY(waitUntil([&] { return !m_pipeline->camera("back")->latestFrame().isLive(); }));
    const qsizetype frontSeen = frontViewer.frames();
    const qsizetype backSeen = backViewer.frames();
    QVERIFY(waitUntil([&] {
        return frontViewer.frames() >= frontSeen + 30 && backViewer.frames() >= backSeen + 2;
    }));
    QVERIFY(m_pipeline->camera("front")->latestFrame().isLive());

    // Back: live again on the same connection.
    QFile::remove(unplugFile);
    QVERIFY(waitUntil([&] { return cameraSummary(status(port), "back")["online"].toBool(); }));
    QVERIFY(waitUntil([&] { return m_pipeline->camera("back")->latestFrame().isLive(); }));
    QCOMPARE(frontViewer.disconnects(), 0);
    QCOMPARE(backViewer.disconnects(), 0);
    QVERIFY2(backViewer.error().isEmpty(), qPrintable(backViewer.error()));
}

QTEST_MAIN(TestCameras)
#include "tst_cameras.moc"
