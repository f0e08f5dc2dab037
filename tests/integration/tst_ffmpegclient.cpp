// A real foreign client: ffmpeg's mpjpeg demuxer reads /stream from the app.

#include "appprocess.h"

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

private:
    QString m_ffmpeg;
    AppProcess m_app;
    QString m_url;
};

void TestFfmpegClient::initTestCase()
{
    m_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (m_ffmpeg.isEmpty())
        QSKIP(
            "ffmpeg is not installed (deploy/install-deps.sh installs it): no foreign-client test");
    const quint16 port = m_app.startListening();
    QVERIFY2(port != 0, qPrintable(m_app.output()));
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

QTEST_GUILESS_MAIN(TestFfmpegClient)
#include "tst_ffmpegclient.moc"
