// Encoding only for someone (issue 13 item 2): the real Pipeline (test pattern → TurboJPEG →
// StreamServer) with real sockets. With nobody watching the encoder idles while capture goes on;
// a viewer (plain or TLS) or a /snapshot wakes it; /snapshot answers with a frame captured after
// the request (its X-Timestamp is the capture time), /snapshot?cached=1 with the newest one.

#include "pipeline/pipeline.h"
#include "testcertificate.h"
#include "testclient.h"

#include <QImage>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace TestSupport;

namespace {
double output(const QJsonObject &status, const char *name)
{
    return status.value("output").toObject().value(QLatin1String(name)).toDouble(-1);
}

bool encoderIdle(quint16 port)
{
    return status(port).value("output").toObject().value("encoder_idle").toBool(false);
}

// X-Timestamp ("seconds.micro") in µs since the epoch; 0 when absent.
qint64 captureTimeUs(const HttpResult &r)
{
    const QList<QByteArray> parts = r.head.header("X-Timestamp").split('.');
    if (parts.size() != 2 || parts[1].size() != 6)
        return 0;
    return parts[0].toLongLong() * 1000000 + parts[1].toLongLong();
}
} // namespace

class TestEncodeDemand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void idleWithoutViewer();
    void snapshotIsCapturedAfterTheRequest();
    void cachedSnapshotIsTheNewestFrame();
    void viewerWakesTheEncoder();
    void pipelinedRequestsAfterAWaitingSnapshot();
    void privacyRenewsTheNewestFrame();
    void tlsViewerWakesTheEncoder();

private:
    bool start(const std::function<void(PipelineConfig &)> &adjust = {});
    // Waits until the encoder idles and has finished what it was doing; returns frames_encoded.
    double settledIdle();

    std::unique_ptr<Pipeline> m_pipeline;
    quint16 m_port = 0;
};

bool TestEncodeDemand::start(const std::function<void(PipelineConfig &)> &adjust)
{
    m_pipeline.reset();
    PipelineConfig config;
    config.source = QStringLiteral("test");
    config.resolution = QSize(320, 240);
    config.fps = 30;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    if (adjust)
        adjust(config);
    m_pipeline = std::make_unique<Pipeline>();
    if (!m_pipeline->start(config))
        return false;
    m_port = quint16(m_pipeline->server()->port());
    // The first frame is made for nobody in particular: /stream needs one to start.
    return waitUntil([this] { return output(status(m_port), "frames_published") >= 1; });
}

void TestEncodeDemand::init()
{
    QVERIFY(start());
}

void TestEncodeDemand::cleanup()
{
    m_pipeline.reset();
}

double TestEncodeDemand::settledIdle()
{
    if (!waitUntil([this] { return encoderIdle(m_port); }))
        return -1;
    // An encode started just before can still be counted: a few captured frames later it is.
    const double captured = output(status(m_port), "frames_captured");
    if (!waitUntil([&] { return output(status(m_port), "frames_captured") >= captured + 5; }))
        return -1;
    return output(status(m_port), "frames_encoded");
}

void TestEncodeDemand::idleWithoutViewer()
{
    const double encoded = settledIdle();
    QVERIFY(encoded >= 1);
    const QJsonObject before = status(m_port);
    const double captured = output(before, "frames_captured");
    QVERIFY(waitUntil([&] { return output(status(m_port), "frames_captured") >= captured + 30; }));
    const QJsonObject after = status(m_port);
    QCOMPARE(output(after, "frames_encoded"), encoded);
    QCOMPARE(output(after, "frames_published"), output(before, "frames_published"));
    QVERIFY(output(after, "frames_idle") >= output(before, "frames_idle") + 30);
    // Every captured frame is still accounted for: encoded, or replaced in the mailbox.
    QVERIFY(output(after, "frames_encoded") + output(after, "frames_replaced")
            <= output(after, "frames_captured"));
    QTRY_VERIFY_WITH_TIMEOUT(
        get(m_port, "/metrics").body.contains("\nmjpeg_kiosk_encoder_idle{camera=\"main\"} 1\n"),
        kWaitMs);
    QVERIFY(
        get(m_port, "/metrics").body.contains("\nmjpeg_kiosk_frames_idle_total{camera=\"main\"} "));
}

void TestEncodeDemand::snapshotIsCapturedAfterTheRequest()
{
    const double encoded = settledIdle();
    QVERIFY(encoded >= 1);
    for (int i = 0; i < 3; ++i) {
        const qint64 requestedUs = wallClockUs();
        const HttpResult r = get(m_port, "/snapshot");
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.head.status, 200);
        QVERIFY2(captureTimeUs(r) > requestedUs,
                 qPrintable(QStringLiteral("captured %1 µs before the request")
                                .arg(requestedUs - captureTimeUs(r))));
        QImage image;
        QVERIFY(image.loadFromData(r.body, "JPEG"));
        QCOMPARE(image.size(), QSize(320, 240));
    }
    // Woken for the snapshots only: idle again afterwards, a handful of encodes later.
    const double after = settledIdle();
    QVERIFY(after >= encoded + 3);
    QVERIFY(after < encoded + 30);
}

void TestEncodeDemand::cachedSnapshotIsTheNewestFrame()
{
    QVERIFY(settledIdle() >= 1);
    const HttpResult fresh = get(m_port, "/snapshot");
    QCOMPARE(fresh.head.status, 200);
    const double encoded = settledIdle(); // newer frames captured meanwhile, none encoded
    const qint64 requestedUs = wallClockUs();
    const HttpResult cached = get(m_port, "/snapshot?cached=1");
    QCOMPARE(cached.head.status, 200);
    // The newest frame made (for the snapshot, or just after it), from before this request:
    // no waiting for a new one, and no encode.
    QVERIFY(captureTimeUs(cached) >= captureTimeUs(fresh));
    QVERIFY(captureTimeUs(cached) < requestedUs);
    QImage image;
    QVERIFY(image.loadFromData(cached.body, "JPEG"));
    QCOMPARE(get(m_port, "/snapshot?cached=1").body, cached.body);
    QCOMPARE(settledIdle(), encoded);
    const HttpResult bad = get(m_port, "/snapshot?cached=please");
    QCOMPARE(bad.head.status, 400);
    QVERIFY(bad.body.contains("cached"));
}

void TestEncodeDemand::viewerWakesTheEncoder()
{
    const double encoded = settledIdle();
    QVERIFY(encoded >= 1);
    StreamClient viewer;
    viewer.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 10 || !viewer.error().isEmpty(), kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
    QTRY_VERIFY_WITH_TIMEOUT(!encoderIdle(m_port), kWaitMs);
    // The figures are refreshed a few times a second.
    QTRY_VERIFY_WITH_TIMEOUT(output(status(m_port), "frames_encoded") >= encoded + 9, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        get(m_port, "/metrics").body.contains("\nmjpeg_kiosk_encoder_idle{camera=\"main\"} 0\n"),
        kWaitMs);

    // The viewer leaves: idle again, and it stays so.
    viewer.abort();
    const double afterViewer = settledIdle();
    QVERIFY(afterViewer >= encoded + 10);
    const double captured = output(status(m_port), "frames_captured");
    QVERIFY(waitUntil([&] { return output(status(m_port), "frames_captured") >= captured + 15; }));
    QCOMPARE(output(status(m_port), "frames_encoded"), afterViewer);
}

void TestEncodeDemand::pipelinedRequestsAfterAWaitingSnapshot()
{
    QVERIFY(settledIdle() >= 1);
    // The snapshot waits for a frame; the request behind it on the same connection is answered
    // after it, in order.
    const HttpResult r = exchange(m_port,
                                  "GET /snapshot HTTP/1.1\r\nHost: t\r\n\r\n"
                                  "GET /status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    // (r.error complains that the body is longer than the first Content-Length: it holds the
    // second response.)
    QCOMPARE(r.head.status, 200);
    QCOMPARE(r.head.header("Content-Type"), QByteArray("image/jpeg"));
    QByteArray rest = r.body.mid(r.head.contentLength());
    ResponseHead second;
    QString error;
    QVERIFY2(takeResponseHead(rest, &second, &error), qPrintable(error));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.header("Content-Type"), QByteArray("application/json"));
}

void TestEncodeDemand::privacyRenewsTheNewestFrame()
{
    QVERIFY(settledIdle() >= 1);
    const HttpResult live = get(m_port, "/snapshot");
    QCOMPARE(live.head.status, 200);
    const double encoded = settledIdle();
    // Nobody watches, yet the newest frame must not stay a camera picture behind privacy.
    const qint64 switchedUs = wallClockUs();
    m_pipeline->camera()->setPrivacy(true);
    QTRY_VERIFY_WITH_TIMEOUT(captureTimeUs(get(m_port, "/snapshot?cached=1")) > switchedUs,
                             kWaitMs);
    QVERIFY(get(m_port, "/snapshot?cached=1").body != live.body);
    const double after = settledIdle();
    QVERIFY(after > encoded);
    QVERIFY(after < encoded + 30);
}

void TestEncodeDemand::tlsViewerWakesTheEncoder()
{
    if (const QString why = TestSupport::httpsUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QString cert, key;
    QVERIFY(TestSupport::makeCertificate(dir, &cert, &key));
    QVERIFY(start([&](PipelineConfig &c) {
        c.server.tlsCertificateFile = cert;
        c.server.tlsKeyFile = key;
        c.server.tlsPort = 0;
    }));
    const double encoded = settledIdle();
    QVERIFY(encoded >= 1);

    QSslSocket viewer;
    viewer.setPeerVerifyMode(QSslSocket::VerifyNone);
    QByteArray received;
    connect(&viewer, &QSslSocket::readyRead, this, [&] { received += viewer.readAll(); });
    viewer.connectToHostEncrypted(QStringLiteral("127.0.0.1"),
                                  quint16(m_pipeline->server()->tlsPort()));
    viewer.write("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.count("--mjpegkiosk") >= 10, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!encoderIdle(m_port), kWaitMs);
    // The figures are refreshed a few times a second.
    QTRY_VERIFY_WITH_TIMEOUT(output(status(m_port), "frames_encoded") >= encoded + 9, kWaitMs);
    viewer.abort();
    QVERIFY(settledIdle() >= encoded + 10);
}

QTEST_MAIN(TestEncodeDemand)
#include "tst_encodedemand.moc"
