// A real foreign client: ffmpeg's mpjpeg demuxer reads /stream from the app, and the
// mjpg-streamer URLs (/?action=stream, /?action=snapshot) that other tools are configured with.

#include "appprocess.h"
#include "testclient.h"

#include <QDateTime>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace TestSupport;

namespace {
// Runs ffmpeg; returns its exit code, or -1 (with the output in *log) when it did not finish.
int runFfmpeg(const QString &ffmpeg, const QStringList &arguments, QString *log)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(ffmpeg, arguments);
    const bool finished
        = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 2 * kWaitMs);
    if (!finished) {
        process.kill();
        process.waitForFinished(kWaitMs);
    }
    *log = QString::fromUtf8(process.readAll());
    return finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}
} // namespace

class TestFfmpegClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsThirtyFrames();
    void decodesOneFrame();
    void readsActionStream();
    void decodesActionSnapshot();
    void actionStreamIsStrictMultipart();

private:
    QString m_ffmpeg;
    AppProcess m_app;
    QString m_url;
    quint16 m_port = 0;
};

void TestFfmpegClient::initTestCase()
{
    m_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (m_ffmpeg.isEmpty())
        QSKIP(
            "ffmpeg is not installed (deploy/install-deps.sh installs it): no foreign-client test");
    const quint16 port = m_app.startListening();
    QVERIFY2(port != 0, qPrintable(m_app.output()));
    m_port = port;
    m_url = QStringLiteral("http://127.0.0.1:%1/stream").arg(port);
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/snapshot").head.status, 200, kWaitMs);
}

void TestFfmpegClient::readsThirtyFrames()
{
    QString log;
    const int code
        = runFfmpeg(m_ffmpeg,
                    {"-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "30000000",
                     "-f", "mpjpeg", "-i", m_url, "-frames:v", "30", "-f", "null", "-"},
                    &log);
    QVERIFY2(code == 0, qPrintable(log));
    QVERIFY2(log.trimmed().isEmpty(), qPrintable(log)); // not even a warning at -loglevel error
}

void TestFfmpegClient::decodesOneFrame()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("frame.png"));
    QString log;
    const int code
        = runFfmpeg(m_ffmpeg,
                    {"-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "30000000",
                     "-f", "mpjpeg", "-i", m_url, "-frames:v", "1", "-y", png},
                    &log);
    QVERIFY2(code == 0, qPrintable(log));
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(320, 240));
}

// What OctoPrint, Mainsail and crowsnest presets ask for, with an fps option as ustreamer takes.
void TestFfmpegClient::readsActionStream()
{
    const QString url = QStringLiteral("http://127.0.0.1:%1/?action=stream&fps=10").arg(m_port);
    QString log;
    const int code
        = runFfmpeg(m_ffmpeg,
                    {"-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "30000000",
                     "-f", "mpjpeg", "-i", url, "-frames:v", "10", "-f", "null", "-"},
                    &log);
    QVERIFY2(code == 0, qPrintable(log));
    QVERIFY2(log.trimmed().isEmpty(), qPrintable(log));
}

// Home Assistant's still_image_url: ffmpeg decodes the JPEG that /?action=snapshot answers.
void TestFfmpegClient::decodesActionSnapshot()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("still.png"));
    const QString url = QStringLiteral("http://127.0.0.1:%1/?action=snapshot").arg(m_port);
    QString log;
    const int code = runFfmpeg(
        m_ffmpeg,
        {"-hide_banner", "-nostdin", "-loglevel", "error", "-i", url, "-frames:v", "1", "-y", png},
        &log);
    QVERIFY2(code == 0, qPrintable(log));
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(320, 240));
    // Fresh like /snapshot: captured after the request.
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const HttpResult r = get(m_port, "/?action=snapshot");
    QCOMPARE(r.head.status, 200);
    QCOMPARE(r.head.header("Content-Type"), QByteArray("image/jpeg"));
    QVERIFY(r.head.header("X-Timestamp").toDouble() * 1000 >= double(before) - 1);
    QVERIFY(QImage::fromData(r.body, "JPEG").size() == QSize(320, 240));
}

// The strict reader: every byte of the multipart framing in place.
void TestFfmpegClient::actionStreamIsStrictMultipart()
{
    StreamClient viewer;
    viewer.open(m_port, "/?action=stream&fps=5");
    QVERIFY(waitUntil([&] { return viewer.frames() >= 6 || !viewer.error().isEmpty(); }));
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
    QCOMPARE(viewer.head().status, 200);
    QCOMPARE(viewer.head().header("Content-Type"),
             QByteArray("multipart/x-mixed-replace;boundary=mjpegkiosk"));
    const QList<Part> parts = viewer.parts();
    for (const Part &part : parts)
        QCOMPARE(QImage::fromData(part.jpeg, "JPEG").size(), QSize(320, 240));
}

QTEST_GUILESS_MAIN(TestFfmpegClient)
#include "tst_ffmpegclient.moc"
