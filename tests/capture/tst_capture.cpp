#include "capture/sourcefactory.h"
#include "capture/sourceplugin.h"
#include "core/plugins.h"
#include "encode/jpegencoder.h"
#include "encode/overlay.h"
#include "pipeline/pipeline.h"
#include "testclient.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>

namespace {
QByteArray jpegOf(const QColor &color, QSize size = QSize(160, 120))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 90);
    return bytes;
}

bool looksLive(const QByteArray &jpeg)
{
    // Live frames of the scripted source are green; placeholders are dark grey.
    const QImage image = QImage::fromData(jpeg, "JPEG");
    if (image.isNull())
        return false;
    const QColor c = image.pixelColor(4, 4);
    return c.green() > 150 && c.red() < 80;
}

bool looksPlaceholder(const QByteArray &jpeg)
{
    const QImage image = QImage::fromData(jpeg, "JPEG");
    if (image.isNull())
        return false;
    const QColor c = image.pixelColor(4, 4);
    return c.red() < 60 && c.green() < 60 && c.blue() < 60;
}

// A source driven by the test: live (green frames at 20 Hz), stalled (silent but still
// "online"), wedged (its thread blocked, like OpenCV's read() on a hung device), or gone
// (unplugged: offline, every reopen fails).
enum class Mode { Live, Stall, Wedged, Gone };
std::atomic<Mode> g_mode{Mode::Live};

class ScriptedSource : public FrameSource
{
public:
    explicit ScriptedSource(QSize size)
        : m_size(size)
        , m_timer(this)
    {
        connect(&m_timer, &QTimer::timeout, this, &ScriptedSource::tick);
        m_image = QImage(size, QImage::Format_RGB32);
        m_image.fill(QColor(0, 200, 0));
    }
    void start() override { open(); }
    void stop() override { m_timer.stop(); }

protected:
    bool open() override
    {
        if (g_mode == Mode::Gone) {
            lost(QStringLiteral("scripted: gone"));
            return false;
        }
        opened({QStringLiteral("scripted"), true, m_size, 20});
        m_timer.start(50);
        return true;
    }

private:
    void tick()
    {
        if (g_mode == Mode::Gone) {
            m_timer.stop();
            lost(QStringLiteral("scripted: unplugged"));
            return;
        }
        if (g_mode == Mode::Stall)
            return;
        while (g_mode == Mode::Wedged)
            QThread::msleep(20);
        RawFrame frame;
        frame.image = m_image;
        frame.width = m_size.width();
        frame.height = m_size.height();
        emitFrame(frame);
    }
    QSize m_size;
    QTimer m_timer;
    QImage m_image;
};

// An MJPEG "camera" that sends the test's JPEG bytes in turn, good ones and broken ones.
QList<QByteArray> g_jpegs;

class JpegSource : public FrameSource
{
public:
    JpegSource()
        : m_timer(this)
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            RawFrame frame;
            frame.kind = RawFrame::Kind::Jpeg;
            frame.jpeg = g_jpegs.at(m_next++ % g_jpegs.size());
            frame.width = 160;
            frame.height = 120;
            emitFrame(frame);
        });
    }
    void start() override
    {
        opened({QStringLiteral("jpeg double"), true, QSize(160, 120), 20, QStringLiteral("MJPEG")});
        m_timer.start(50);
    }
    void stop() override { m_timer.stop(); }

private:
    QTimer m_timer;
    int m_next = 0;
};

// A camera whose device node is a file of the test's: open() succeeds while the file exists
// (unless told to fail), and unplug() reports the device lost, as a read failing with ENODEV.
class NodeSource : public FrameSource
{
public:
    NodeSource(const QString &node, FrameSource::Watchdog watchdog)
        : FrameSource(SourceOptions{node, QSize(160, 120), 20, true, 500}, watchdog)
    {
        setDeviceNode(node);
    }
    void unplug() { lost(QStringLiteral("%1: unplugged").arg(options().spec)); }

    int opens = 0;
    bool failOpen = false;

protected:
    bool open() override
    {
        ++opens;
        if (failOpen || !QFile::exists(options().spec)) {
            lost(QStringLiteral("%1: cannot open").arg(options().spec));
            return false;
        }
        opened({options().spec, true, options().size, options().fps});
        return true;
    }
};

PipelineConfig testConfig(const QString &source)
{
    PipelineConfig config;
    config.source = source;
    config.resolution = QSize(160, 120);
    config.fps = 20;
    config.server.port = 0;
    config.server.host = QHostAddress::LocalHost;
    config.sourceTimeoutMs = 500;
    return config;
}
} // namespace

class TestCapture : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        registerSourceScheme(QStringLiteral("scripted"),
                             [](const SourceOptions &o) { return new ScriptedSource(o.size); });
        registerSourceScheme(QStringLiteral("jpegdouble"),
                             [](const SourceOptions &) { return new JpegSource; });
    }

    void checkJpeg()
    {
        const QByteArray good = jpegOf(Qt::red);
        QByteArray copy = good;
        QVERIFY(JpegEncoder::checkJpeg(&copy));
        QCOMPARE(copy, good);
        QByteArray padded = good + QByteArray(300, '\0');
        QVERIFY(JpegEncoder::checkJpeg(&padded));
        QCOMPARE(padded, good); // padding trimmed
        QByteArray truncated = good.left(good.size() / 2);
        QVERIFY(!JpegEncoder::checkJpeg(&truncated));
        QByteArray noSoi = good.mid(2);
        QVERIFY(!JpegEncoder::checkJpeg(&noSoi));
        QByteArray tiny("\xff\xd8\xff\xd9", 4);
        QVERIFY(!JpegEncoder::checkJpeg(&tiny));
    }

    void missingHuffmanTablesAreAdded()
    {
        const QByteArray full = jpegOf(Qt::red);
        // Strip every DHT segment, as many UVC cameras do.
        QByteArray stripped = full.left(2);
        qsizetype pos = 2;
        while (uchar(full[pos + 1]) != 0xda) {
            const int length = (uchar(full[pos + 2]) << 8) | uchar(full[pos + 3]);
            if (uchar(full[pos + 1]) != 0xc4)
                stripped += full.mid(pos, 2 + length);
            pos += 2 + length;
        }
        stripped += full.mid(pos);
        QVERIFY(stripped.size() < full.size());
        QVERIFY(!stripped.contains("\xff\xc4"));

        QByteArray fixed = stripped;
        QVERIFY(JpegEncoder::addMissingHuffmanTables(&fixed));
        QVERIFY(fixed.contains("\xff\xc4"));
        const QImage image = QImage::fromData(fixed, "JPEG");
        QCOMPARE(image.size(), QSize(160, 120));
        QVERIFY(image.pixelColor(80, 60).red() > 200);
        // Already complete: untouched.
        QByteArray again = fixed;
        QVERIFY(!JpegEncoder::addMissingHuffmanTables(&again));
        QCOMPARE(again, fixed);
    }

    void fileLoops()
    {
        const QString ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        if (ffmpeg.isEmpty())
            QSKIP("ffmpeg not installed: cannot make the test video");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("clip.avi"));
        QProcess make;
        make.start(ffmpeg,
                   {"-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=20", "-t", "1",
                    "-c:v", "mjpeg", path});
        QVERIFY(make.waitForFinished(60000));
        QCOMPARE(make.exitCode(), 0);

        // 20 frames in the file; 50 can only come from looping.
        // Through the factory, so from the OpenCV plugin as the app gets it.
        QString error;
        std::unique_ptr<FrameSource> source(
            createFrameSource({path, QSize(160, 120), 20, true, 2000}, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSignalSpy frames(source.get(), &FrameSource::frameCaptured);
        source->start();
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 50, 30000);
        QVERIFY(source->info().online);
        QCOMPARE(source->info().size, QSize(160, 120));
        const RawFrame last = frames.last().first().value<RawFrame>();
        QVERIFY(last.live);
        QCOMPARE(last.image.size(), QSize(160, 120));
        source->stop();
    }

    void missingFileIsOfflineAndRetried()
    {
        std::unique_ptr<FrameSource> source(createFrameSource(
            {QStringLiteral("/nonexistent/clip.avi"), QSize(160, 120), 20, true, 2000}));
        source->start();
        QVERIFY(!source->info().online);
        QVERIFY2(source->info().error.contains(QLatin1String("no such file")),
                 qPrintable(source->info().error));
        source->stop();
    }

    void pluginLoading()
    {
        // Built with the tests, next to the core library: found from its location.
        QString error;
        QVERIFY2(loadKioskPlugin<SourcePlugin>(QStringLiteral("opencv"), &error),
                 qPrintable(error));
        // A missing plugin, and one that is not a source, say so instead of crashing.
        QVERIFY(!loadKioskPlugin<SourcePlugin>(QStringLiteral("no-such-plugin"), &error));
        QVERIFY2(error.contains(QLatin1String("is not installed"))
                     && error.contains(QLatin1String("libmjpeg-kiosk-no-such-plugin.so")),
                 qPrintable(error));
        error.clear();
        QVERIFY(!loadKioskPlugin<SourcePlugin>(QStringLiteral("gui"), &error));
        QVERIFY2(error.contains(QLatin1String(KioskSourcePlugin_iid)), qPrintable(error));
    }

    void missingQtCameraIsOffline()
    {
        std::unique_ptr<FrameSource> source(createFrameSource(
            {QStringLiteral("qt:no-such-camera"), QSize(160, 120), 20, true, 500}));
        source->start();
        QVERIFY(!source->info().online);
        QVERIFY2(source->info().error.contains(QLatin1String("no Qt Multimedia camera")),
                 qPrintable(source->info().error));
        source->stop();
    }

    void absentNodeIsWatchedNotRetried()
    {
        QTemporaryDir dir;
        const QString node = dir.filePath(QStringLiteral("video0"));
        QVERIFY(QFile(node).open(QIODevice::WriteOnly));
        NodeSource source(node, FrameSource::Watchdog::Off);
        source.start();
        QVERIFY(source.info().online);
        QCOMPARE(source.opens, 1);

        // Unplugged: offline, and no open() at all while the node is absent...
        QVERIFY(QFile::remove(node));
        source.unplug();
        QVERIFY(!source.info().online);
        QVERIFY(source.info().error.contains(QLatin1String("unplugged")));
        QTest::qWait(1600); // a back-off from 0.5 s would have tried twice by now
        QCOMPARE(source.opens, 1);
        // ...but opened again once it is back.
        QVERIFY(QFile(node).open(QIODevice::WriteOnly));
        QTRY_VERIFY_WITH_TIMEOUT(source.info().online, 10000);
        QCOMPARE(source.opens, 2);

        // There but failing: retried (with back-off) until it opens.
        source.failOpen = true;
        source.unplug();
        QTRY_VERIFY_WITH_TIMEOUT(source.opens >= 4, 20000);
        QVERIFY(!source.info().online);
        source.failOpen = false;
        QTRY_VERIFY_WITH_TIMEOUT(source.info().online, 20000);
        source.stop();
        QVERIFY(!source.info().online);
    }

    void watchdogReopensASilentSource()
    {
        QTemporaryDir dir;
        const QString node = dir.filePath(QStringLiteral("video0"));
        QVERIFY(QFile(node).open(QIODevice::WriteOnly));
        // Opens fine and never sends a frame: the watchdog closes it after the timeout (0.5 s)
        // and it is opened again.
        NodeSource source(node, FrameSource::Watchdog::On);
        QSignalSpy infos(&source, &FrameSource::infoChanged);
        source.start();
        QVERIFY(source.info().online);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(infos.cbegin(), infos.cend(),
                        [](const QList<QVariant> &args) {
                            return args.first().value<FrameSource::Info>().error.contains(
                                QLatin1String("no frame for 0.5 s"));
                        }),
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(source.opens >= 2, 10000);
        source.stop();
    }

    void faultsKeepTheViewerStreaming()
    {
        g_mode = Mode::Live;
        Pipeline pipeline;
        QVERIFY2(pipeline.start(testConfig(QStringLiteral("scripted:"))),
                 qPrintable(pipeline.errorString()));
        QSignalSpy infos(pipeline.camera(), &Camera::sourceInfoChanged);
        // The server answers 503 to viewers until there is a first frame.
        QTRY_VERIFY_WITH_TIMEOUT(!pipeline.camera()->latestFrame().isNull(), 20000);
        TestSupport::StreamClient viewer;
        viewer.open(quint16(pipeline.server()->port()));
        auto liveAfter = [&viewer](qsizetype from) {
            for (qsizetype i = from; i < viewer.frames(); ++i)
                if (looksLive(viewer.parts().at(i).jpeg))
                    return i;
            return qsizetype(-1);
        };
        auto placeholderAfter = [&viewer](qsizetype from) {
            for (qsizetype i = from; i < viewer.frames(); ++i)
                if (looksPlaceholder(viewer.parts().at(i).jpeg))
                    return i;
            return qsizetype(-1);
        };
        auto lastInfoOnline
            = [&infos] { return infos.last().first().value<FrameSource::Info>().online; };

        QTRY_VERIFY_WITH_TIMEOUT(liveAfter(0) >= 0, 20000);

        // Stall: the source says nothing, the pipeline's watchdog notices.
        g_mode = Mode::Stall;
        qsizetype mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(placeholderAfter(mark) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!infos.isEmpty() && !lastInfoOnline(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!pipeline.server()->status().source.online, 5000);
        // Placeholders keep coming while it is away.
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= mark + 2, 20000);

        g_mode = Mode::Live;
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(liveAfter(mark) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(lastInfoOnline(), 5000);

        // Wedged: the source's thread blocks; the pipeline replaces the source on a new thread.
        g_mode = Mode::Wedged;
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(placeholderAfter(mark) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!lastInfoOnline(), 5000);
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= mark + 4, 20000);
        g_mode = Mode::Live;
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(liveAfter(mark) >= 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(lastInfoOnline(), 5000);

        // Unplugged: offline at once, reopened with backoff until it is back.
        g_mode = Mode::Gone;
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(placeholderAfter(mark) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!lastInfoOnline(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!pipeline.server()->status().source.online, 5000);
        QVERIFY(pipeline.server()->status().source.error.contains(QLatin1String("scripted")));
        QTest::qWait(1500);
        g_mode = Mode::Live;
        mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(liveAfter(mark) >= 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(lastInfoOnline(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(pipeline.server()->status().source.online, 5000);

        // One connection throughout.
        QCOMPARE(viewer.disconnects(), 0);
        QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
        QVERIFY(viewer.isConnected());
        pipeline.stop();
    }

    void networkSourceDropsAndComesBack()
    {
        // Upstream: a kiosk serving its test pattern; downstream reads it as a URL.
        Pipeline upstream;
        PipelineConfig up = testConfig(QStringLiteral("test"));
        QVERIFY(upstream.start(up));
        const quint16 port = quint16(upstream.server()->port());
        QTRY_VERIFY_WITH_TIMEOUT(!upstream.camera()->latestFrame().isNull(), 20000);

        Pipeline downstream;
        PipelineConfig down = testConfig(QStringLiteral("http://127.0.0.1:%1/stream").arg(port));
        down.sourceTimeoutMs = 1000;
        QVERIFY(downstream.start(down));
        QTRY_VERIFY_WITH_TIMEOUT(!downstream.camera()->latestFrame().isNull(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(downstream.camera()->latestFrame().isLive(), 30000);
        TestSupport::StreamClient viewer;
        viewer.open(quint16(downstream.server()->port()));

        // The upstream goes away: placeholders, offline.
        upstream.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!downstream.camera()->latestFrame().isLive(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!downstream.server()->status().source.online, 10000);
        const qsizetype mark = viewer.frames();
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= mark + 2, 20000);

        // Back on the same port: live again, same viewer connection.
        up.server.port = port;
        QVERIFY(upstream.start(up));
        QTRY_VERIFY_WITH_TIMEOUT(downstream.camera()->latestFrame().isLive(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(downstream.server()->status().source.online, 10000);
        QCOMPARE(viewer.disconnects(), 0);
        QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
        downstream.stop();
        upstream.stop();
    }

    void mjpegPassThroughAndCorruptFrames()
    {
        const QByteArray a = jpegOf(Qt::red);
        const QByteArray b = jpegOf(Qt::blue);
        const QByteArray corrupt = a.left(a.size() / 2);
        const QByteArray padded = b + QByteArray(64, '\0');
        g_jpegs = {a, corrupt, b, padded, QByteArray("\xff\xd8\xff", 3)};

        Pipeline pipeline;
        QVERIFY(pipeline.start(testConfig(QStringLiteral("jpegdouble:"))));
        // The server answers 503 to viewers until there is a first frame.
        QTRY_VERIFY_WITH_TIMEOUT(!pipeline.camera()->latestFrame().isNull(), 20000);
        TestSupport::StreamClient viewer;
        viewer.open(quint16(pipeline.server()->port()));
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 12, 20000);
        bool sawA = false, sawB = false;
        for (const TestSupport::Part &received : viewer.parts()) {
            const QByteArray &part = received.jpeg;
            QVERIFY2(part == a || part == b, "a part is not one of the camera's own JPEGs");
            sawA = sawA || part == a;
            sawB = sawB || part == b;
        }
        QVERIFY(sawA && sawB);
        QTRY_VERIFY_WITH_TIMEOUT(pipeline.camera()->encoder()->counters().corrupt >= 2, 10000);
        QVERIFY(pipeline.camera()->encoder()->counters().passedThrough >= 12);
        // Passed through, yet the screen still gets a picture (decoded by the preview stage for
        // as long as a view shows it).
        const int view = pipeline.camera()->preview()->addView();
        pipeline.camera()->preview()->setView(view, QSize(1280, 800), true);
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.camera()->preview()->picture().image.size(), QSize(160, 120),
                                  10000);
        pipeline.camera()->preview()->removeView(view);

        // /status says so.
        QTRY_VERIFY_WITH_TIMEOUT(pipeline.server()->status().framesCorrupt >= 2, 5000);
        const QJsonObject status
            = QJsonDocument::fromJson(pipeline.server()->status().toJson()).object();
        QCOMPARE(status["output"].toObject()["encoder"].toString(), QStringLiteral("passthrough"));
        QVERIFY(status["output"].toObject()["frames_corrupt"].toDouble() >= 2);
        QCOMPARE(status["source"].toObject()["format"].toString(), QStringLiteral("MJPEG"));
        QCOMPARE(status["privacy"].toBool(), false);
        pipeline.camera()->setPrivacy(true);
        QTRY_VERIFY_WITH_TIMEOUT(QJsonDocument::fromJson(pipeline.server()->status().toJson())
                                     .object()["privacy"]
                                     .toBool(),
                                 5000);
        pipeline.stop();
    }

    void forcedQualityReencodes()
    {
        const QByteArray a = jpegOf(Qt::red);
        g_jpegs = {a};
        PipelineConfig config = testConfig(QStringLiteral("jpegdouble:"));
        config.quality = 30;
        config.qualityForced = true;
        Pipeline pipeline;
        QVERIFY(pipeline.start(config));
        // The server answers 503 to viewers until there is a first frame.
        QTRY_VERIFY_WITH_TIMEOUT(!pipeline.camera()->latestFrame().isNull(), 20000);
        TestSupport::StreamClient viewer;
        viewer.open(quint16(pipeline.server()->port()));
        QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 3, 20000);
        for (const TestSupport::Part &received : viewer.parts()) {
            const QByteArray &part = received.jpeg;
            QVERIFY(part != a);
            const QImage image = QImage::fromData(part, "JPEG");
            QCOMPARE(image.size(), QSize(160, 120));
            QVERIFY(image.pixelColor(80, 60).red() > 200);
        }
        QCOMPARE(pipeline.camera()->encoder()->counters().passedThrough, 0u);
        pipeline.stop();
    }

    void dropSameFrames()
    {
        JpegEncoder encoder(80);
        encoder.setDropSameFrames(3);
        QSignalSpy encoded(&encoder, &JpegEncoder::frameEncoded);
        QImage image(64, 48, QImage::Format_RGB32);
        image.fill(Qt::yellow);
        RawFrame frame;
        frame.image = image;
        frame.width = 64;
        frame.height = 48;
        // Submitted one at a time (latest wins would merge them otherwise).
        for (int i = 0; i < 9; ++i) {
            encoder.submit(frame);
            QTRY_COMPARE(encoder.counters().encoded, quint64(i + 1));
        }
        // Sent: 1st, 5th, 9th; the three after each are identical and dropped.
        QCOMPARE(encoded.size(), 3);
        QCOMPARE(encoder.counters().sameDropped, 6u);
        image.fill(Qt::cyan);
        frame.image = image;
        encoder.submit(frame);
        QTRY_COMPARE(encoded.size(), 4);
    }

    void yuyvToI420MatchesReference()
    {
        // 100 wide: vector steps and a scalar tail; 7 high: a last row without a partner.
        const int w = 100, h = 7, stride = 2 * w + 8;
        QByteArray yuyv(stride * h, Qt::Uninitialized);
        for (qsizetype i = 0; i < yuyv.size(); ++i)
            yuyv[i] = char((i * 7919 + (i >> 3) * 31) & 0xff);
        QImage planes(i420ImageSize(w, h), QImage::Format_Grayscale8);
        const I420Planes p = i420Planes(planes, w, h);
        const auto *src = reinterpret_cast<const uchar *>(yuyv.constData());
        yuyvToI420(src, stride, w, h, p);
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x)
                QCOMPARE(p.plane[0][y * p.stride[0] + x], src[y * stride + 2 * x]);
        }
        for (int y = 0; y < (h + 1) / 2; ++y) {
            const uchar *r0 = src + 2 * y * stride;
            const uchar *r1 = 2 * y + 1 < h ? r0 + stride : r0;
            for (int x = 0; x < w / 2; ++x) {
                QCOMPARE(int(p.plane[1][y * p.stride[1] + x]),
                         (r0[4 * x + 1] + r1[4 * x + 1] + 1) / 2);
                QCOMPARE(int(p.plane[2][y * p.stride[2] + x]),
                         (r0[4 * x + 3] + r1[4 * x + 3] + 1) / 2);
            }
        }
    }

    void i420EncodeAndOverlay()
    {
        // Mid-grey I420 planes; the overlay's label must darken the corner (black box) and
        // leave the rest alone.
        const int w = 320, h = 240;
        QImage planes(i420ImageSize(w, h), QImage::Format_Grayscale8);
        planes.fill(128);
        FrameOverlay overlay;
        overlay.setFormat(QStringLiteral("T %Y"));
        QVERIFY(overlay.textAt(0).startsWith(QLatin1String("T 19"))); // 1970 (or 1969 west of UTC)
        overlay.drawOnI420(planes, w, h, wallClockUs());
        JpegEncoder encoder;
        const QByteArray jpeg = encoder.encodeI420(planes, w, h, 90);
        const QImage decoded = QImage::fromData(jpeg, "JPEG");
        QCOMPARE(decoded.size(), QSize(w, h));
        QVERIFY(qGray(decoded.pixel(w / 2, h / 2)) > 100);
        QVERIFY(qGray(decoded.pixel(w / 2, h / 2)) < 160);
        QVERIFY(qGray(decoded.pixel(5, 5)) < 40);
    }
};

QTEST_MAIN(TestCapture)
#include "tst_capture.moc"
