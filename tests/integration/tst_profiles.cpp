// Sizes and qualities per viewer (issue 18): the real app on the fake V4L2 camera (YUYV and
// MJPEG, 1280x720), real sockets, each profile's JPEGs measured by ffprobe. A profile is encoded
// only while someone watches it; requests are rounded to the allowed widths, never above the
// source, and never to more live profiles than --max-profiles; bad values get a 400 while
// everyone else is served; an MJPEG camera's full-size viewers stay pass-through.

#include "appprocess.h"
#include "fakecamtest.h"
#include "testclient.h"

#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace TestSupport;

namespace {
// The size ffprobe reads from a JPEG, "WxH"; empty when it cannot.
QByteArray probedSize(const QByteArray &jpeg)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("frame.jpg"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(jpeg) != jpeg.size())
        return {};
    file.close();
    QProcess ffprobe;
    ffprobe.start(QStringLiteral("ffprobe"),
                  {"-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                   "-of", "csv=p=0:s=x", path});
    if (!ffprobe.waitForFinished(kWaitMs) || ffprobe.exitCode() != 0)
        return {};
    return ffprobe.readAllStandardOutput().trimmed();
}

// How far apart two pictures of the same scene are: the mean difference per channel (0–255)
// after scaling `full` down to `small`'s size. The fake camera's colour bars dominate both, so a
// profile whose colours or geometry went wrong (chroma planes mixed up, rows skewed) is far off.
double meanDifference(const QImage &full, const QImage &small)
{
    const QImage a = full.scaled(small.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                         .convertToFormat(QImage::Format_RGB32);
    const QImage b = small.convertToFormat(QImage::Format_RGB32);
    qint64 sum = 0;
    for (int y = 0; y < b.height(); ++y) {
        const auto *pa = reinterpret_cast<const QRgb *>(a.constScanLine(y));
        const auto *pb = reinterpret_cast<const QRgb *>(b.constScanLine(y));
        for (int x = 0; x < b.width(); ++x)
            sum += qAbs(qRed(pa[x]) - qRed(pb[x])) + qAbs(qGreen(pa[x]) - qGreen(pb[x]))
                + qAbs(qBlue(pa[x]) - qBlue(pb[x]));
    }
    return double(sum) / (3.0 * b.width() * b.height());
}

// The first part a viewer of `target` gets, after its response head.
struct Viewed
{
    ResponseHead head;
    QByteArray jpeg;
};
Viewed firstPart(quint16 port, const QByteArray &target)
{
    StreamClient viewer;
    viewer.open(port, target);
    Viewed viewed;
    if (!waitUntil([&] { return viewer.frames() >= 1 || !viewer.error().isEmpty(); }))
        return viewed;
    viewed.head = viewer.head();
    const QList<Part> parts = viewer.parts();
    if (!parts.isEmpty())
        viewed.jpeg = parts.first().jpeg;
    return viewed;
}

// The live profile of this size in /status (an empty object when it is not live).
QJsonObject liveProfile(quint16 port, int width)
{
    const QJsonArray live = status(port)["profiles"].toObject()["live"].toArray();
    for (const QJsonValue &value : live) {
        if (value.toObject()["width"].toInt() == width)
            return value.toObject();
    }
    return {};
}

int liveCount(quint16 port)
{
    return int(status(port)["profiles"].toObject()["live"].toArray().size());
}

// profile_encodes_total for `size` ("640x360") from /metrics; -1 when not there.
double metricEncodes(quint16 port, const QByteArray &size)
{
    const QByteArray text = get(port, "/metrics").body;
    const QRegularExpression line(
        QStringLiteral("^mjpeg_kiosk_profile_encodes_total\\{camera=\"main\",profile=\"%1\""
                       "[^}]*\\} (\\d+)$")
            .arg(QString::fromLatin1(size)),
        QRegularExpression::MultilineOption);
    const auto match = line.match(QString::fromUtf8(text));
    return match.hasMatch() ? match.captured(1).toDouble() : -1;
}
} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void sizesPerProfile_data();
    void sizesPerProfile();
    void encodedOnlyWhileWatched();
    void rounding_data();
    void rounding();
    void maxProfiles();
    void badValues();
    void snapshotsAndActionUrls();
    void mjpegFullSizeStaysPassThrough();

private:
    // The app on the fake camera in `format` at 1280x720, 30 fps, plus `extra`.
    quint16 start(const QString &format, const QStringList &extra = {});

    std::unique_ptr<AppProcess> m_app;
};

void TestProfiles::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
        QSKIP("ffprobe is not installed (deploy/install-deps.sh installs ffmpeg)");
}

void TestProfiles::cleanup()
{
    if (m_app)
        QVERIFY(m_app->terminate() >= 0);
    m_app.reset();
}

quint16 TestProfiles::start(const QString &format, const QStringList &extra)
{
    m_app = std::make_unique<AppProcess>();
    m_app->setEnvironment(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
    m_app->setEnvironment(QStringLiteral("FAKECAM_FORMATS"), format);
    const quint16 port = m_app->startListening(
        QStringList{"--headless", "--source", "/dev/video0", "--port", "0", "--host", "127.0.0.1",
                    "--resolution", "1280x720", "--fps", "30"}
        + extra);
    if (port && !waitUntil([&] { return get(port, "/snapshot").head.status == 200; }))
        return 0;
    return port;
}

void TestProfiles::sizesPerProfile_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("size");
    QTest::addColumn<QByteArray>("quality");
    QTest::newRow("yuyv full") << "YUYV" << QByteArray() << QByteArray("1280x720")
                               << QByteArray("80");
    QTest::newRow("yuyv 640") << "YUYV" << QByteArray("?width=640") << QByteArray("640x360")
                              << QByteArray("80");
    QTest::newRow("yuyv 320 q50") << "YUYV" << QByteArray("?width=320&quality=50")
                                  << QByteArray("320x180") << QByteArray("50");
    // The camera's own JPEGs: no quality to tell.
    QTest::newRow("mjpeg full") << "MJPEG" << QByteArray() << QByteArray("1280x720")
                                << QByteArray();
    QTest::newRow("mjpeg 640") << "MJPEG" << QByteArray("?width=640") << QByteArray("640x360")
                               << QByteArray("80");
    QTest::newRow("mjpeg 320") << "MJPEG" << QByteArray("?width=320") << QByteArray("320x180")
                               << QByteArray("80");
}

void TestProfiles::sizesPerProfile()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, size);
    QFETCH(QByteArray, quality);
    const quint16 port = start(format);
    QVERIFY2(port, qPrintable(m_app->output()));
    const Viewed viewed = firstPart(port, "/stream" + query);
    QCOMPARE(viewed.head.status, 200);
    QCOMPARE(viewed.head.header("X-Frame-Size"), size);
    QCOMPARE(viewed.head.header("X-Quality"), quality);
    QCOMPARE(probedSize(viewed.jpeg), size);
    // The same picture as the full size, only smaller.
    const HttpResult full = get(port, "/snapshot");
    const double difference = meanDifference(QImage::fromData(full.body, "JPEG"),
                                             QImage::fromData(viewed.jpeg, "JPEG"));
    QVERIFY2(difference < 15, qPrintable(QString::number(difference)));
}

void TestProfiles::encodedOnlyWhileWatched()
{
    const quint16 port = start(QStringLiteral("YUYV"));
    QVERIFY2(port, qPrintable(m_app->output()));
    QCOMPARE(liveCount(port), 1); // the full size only
    {
        StreamClient small;
        small.open(port, "/stream?width=640");
        QTRY_VERIFY_WITH_TIMEOUT(liveProfile(port, 640)["encodes"].toDouble() >= 10, kWaitMs);
        QCOMPARE(liveProfile(port, 640)["viewers"].toInt(), 1);
        QCOMPARE(liveProfile(port, 640)["height"].toInt(), 360);
        QCOMPARE(liveProfile(port, 640)["quality"].toInt(), 80);
        // The viewer list says what each viewer gets.
        const QJsonArray clients = status(port)["clients"].toArray();
        QCOMPARE(clients.size(), 1);
        QCOMPARE(clients[0].toObject()["profile"].toString(), QStringLiteral("640x360"));
    }
    // Gone: not live any more, its count stands still while another profile is watched.
    QTRY_COMPARE_WITH_TIMEOUT(liveCount(port), 1, kWaitMs);
    StreamClient thumb;
    thumb.open(port, "/stream?width=320");
    QTRY_VERIFY_WITH_TIMEOUT(metricEncodes(port, "320x180") >= 5, kWaitMs);
    const double before640 = metricEncodes(port, "640x360");
    const double before320 = metricEncodes(port, "320x180");
    QVERIFY(before640 >= 10);
    QTRY_VERIFY_WITH_TIMEOUT(metricEncodes(port, "320x180") >= before320 + 30, kWaitMs);
    QCOMPARE(metricEncodes(port, "640x360"), before640);
    QVERIFY(liveProfile(port, 640).isEmpty());
    QCOMPARE(liveProfile(port, 320)["viewers"].toInt(), 1);
}

void TestProfiles::rounding_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("size");
    QTest::addColumn<QByteArray>("quality");
    QTest::newRow("above the source")
        << QByteArray("width=5000") << QByteArray("1280x720") << QByteArray("80");
    QTest::newRow("500 → 640") << QByteArray("width=500") << QByteArray("640x360")
                               << QByteArray("80");
    QTest::newRow("height 200 → 320")
        << QByteArray("height=200") << QByteArray("320x180") << QByteArray("80");
    QTest::newRow("quality 55 → 60")
        << QByteArray("width=320&quality=55") << QByteArray("320x180") << QByteArray("60");
}

void TestProfiles::rounding()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, size);
    QFETCH(QByteArray, quality);
    const quint16 port = start(QStringLiteral("YUYV"));
    QVERIFY2(port, qPrintable(m_app->output()));
    const Viewed viewed = firstPart(port, "/stream?" + query);
    QCOMPARE(viewed.head.header("X-Frame-Size"), size);
    QCOMPARE(viewed.head.header("X-Quality"), quality);
    QCOMPARE(probedSize(viewed.jpeg), size);
}

void TestProfiles::maxProfiles()
{
    // The full size and one more: a second size asked for gets the live one nearest to it.
    const quint16 port = start(QStringLiteral("YUYV"), {"--max-profiles", "2"});
    QVERIFY2(port, qPrintable(m_app->output()));
    QCOMPARE(status(port)["profiles"].toObject()["max_live"].toInt(), 2);
    {
        StreamClient small;
        small.open(port, "/stream?width=640");
        QTRY_VERIFY_WITH_TIMEOUT(small.frames() >= 1, kWaitMs);
        const Viewed thumb = firstPart(port, "/stream?width=320");
        QCOMPARE(thumb.head.header("X-Frame-Size"), QByteArray("640x360"));
        QCOMPARE(probedSize(thumb.jpeg), QByteArray("640x360"));
        // /status is gathered from the network threads a moment later: wait for the 640.
        QTRY_COMPARE_WITH_TIMEOUT(liveCount(port), 2, kWaitMs);
        QVERIFY(liveProfile(port, 320).isEmpty());
    }
    QTRY_COMPARE_WITH_TIMEOUT(liveCount(port), 1, kWaitMs);
    // The 640 gone, 320 may be made.
    const Viewed thumb = firstPart(port, "/stream?width=320");
    QCOMPARE(thumb.head.header("X-Frame-Size"), QByteArray("320x180"));
    QCOMPARE(probedSize(thumb.jpeg), QByteArray("320x180"));
}

void TestProfiles::badValues()
{
    const quint16 port = start(QStringLiteral("YUYV"));
    QVERIFY2(port, qPrintable(m_app->output()));
    StreamClient other; // served all along
    other.open(port, "/stream?width=320");
    QTRY_VERIFY_WITH_TIMEOUT(other.frames() >= 1, kWaitMs);
    const QList<QPair<QByteArray, QByteArray>> bad{
        {"/stream?width=abc", "width must be a whole number of pixels from 1 to 16384"},
        {"/stream?width=0", "width must be"},
        {"/stream?width=-5", "width must be"},
        {"/stream?width=99999", "width must be"},
        {"/snapshot?height=1e3", "height must be"},
        {"/?action=stream&width=640px", "width must be"},
        {"/?action=snapshot&width=", "width must be"},
        {"/stream?quality=0", "quality must be a whole number from 1 to 100"},
        {"/stream?quality=101", "quality must be"},
        {"/snapshot?quality=5.5", "quality must be"},
    };
    for (const auto &[target, why] : bad) {
        const HttpResult r = get(port, target);
        QVERIFY2(r.head.status == 400, target.constData());
        QVERIFY2(r.body.contains(why), r.body.constData());
        // What is allowed: this stream's sizes.
        QVERIFY2(r.body.contains("1280x720, 640x360, 320x180"), r.body.constData());
    }
    const qsizetype seen = other.frames();
    QTRY_VERIFY_WITH_TIMEOUT(other.frames() >= seen + 5, kWaitMs);
    QVERIFY(other.error().isEmpty());
    QCOMPARE(get(port, "/snapshot?width=640").head.status, 200);
}

void TestProfiles::snapshotsAndActionUrls()
{
    const quint16 port = start(QStringLiteral("YUYV"));
    QVERIFY2(port, qPrintable(m_app->output()));
    const HttpResult snapshot = get(port, "/snapshot?width=320");
    QCOMPARE(snapshot.head.status, 200);
    QCOMPARE(snapshot.head.header("X-Frame-Size"), QByteArray("320x180"));
    QCOMPARE(snapshot.head.header("X-Quality"), QByteArray("80"));
    QCOMPARE(probedSize(snapshot.body), QByteArray("320x180"));
    const HttpResult action = get(port, "/?action=snapshot&width=640&quality=30");
    QCOMPARE(action.head.status, 200);
    QCOMPARE(action.head.header("X-Frame-Size"), QByteArray("640x360"));
    QCOMPARE(action.head.header("X-Quality"), QByteArray("30"));
    QCOMPARE(probedSize(action.body), QByteArray("640x360"));
    const HttpResult full = get(port, "/snapshot");
    QCOMPARE(full.head.header("X-Frame-Size"), QByteArray("1280x720"));
    QCOMPARE(probedSize(full.body), QByteArray("1280x720"));
    const Viewed stream = firstPart(port, "/?action=stream&width=320&fps=5");
    QCOMPARE(stream.head.status, 200);
    QCOMPARE(stream.head.header("X-Frame-Size"), QByteArray("320x180"));
    QCOMPARE(probedSize(stream.jpeg), QByteArray("320x180"));
}

void TestProfiles::mjpegFullSizeStaysPassThrough()
{
    const quint16 port = start(QStringLiteral("MJPEG"));
    QVERIFY2(port, qPrintable(m_app->output()));
    StreamClient full;
    full.open(port, "/stream");
    StreamClient small;
    small.open(port, "/stream?width=640");
    QTRY_VERIFY_WITH_TIMEOUT(full.frames() >= 5 && small.frames() >= 5, kWaitMs);
    const QJsonObject output = status(port)["output"].toObject();
    QCOMPARE(output["encoder"].toString(), QStringLiteral("passthrough"));
    const double passed = output["frames_passed_through"].toDouble();
    QTRY_VERIFY_WITH_TIMEOUT(full.frames() >= 40 && small.frames() >= 40, kWaitMs);
    const QJsonObject later = status(port)["output"].toObject();
    // Every full-size frame is still the camera's JPEG, with the 640 group encoded beside it.
    QVERIFY(later["frames_passed_through"].toDouble() >= passed + 20);
    QCOMPARE(later["frames_passed_through"].toDouble(), later["frames_encoded"].toDouble());
    QVERIFY(full.head().header("X-Quality").isEmpty());
    QCOMPARE(small.head().header("X-Quality"), QByteArray("80"));
    const QJsonObject fullProfile = liveProfile(port, 1280);
    QVERIFY(fullProfile["passthrough"].toBool());
    QVERIFY(fullProfile["quality"].isNull());
    QVERIFY(liveProfile(port, 640)["encodes"].toDouble() >= 20);
    for (const Part &part : small.parts())
        QCOMPARE(probedSize(part.jpeg), QByteArray("640x360"));
}

KIOSK_FAKECAM_TEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
