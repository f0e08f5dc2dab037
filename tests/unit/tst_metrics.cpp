// Metrics: GET /metrics in the Prometheus text format 0.0.4. The text is parsed as a scraper
// would (strictly: HELP and TYPE before each family's samples, valid names, one value per
// series) and must carry exactly the figures it was given.
#include "http/metrics.h"

#include <QHash>
#include <QRegularExpression>
#include <QTest>

namespace {
struct Exposition
{
    QHash<QByteArray, QByteArray> types; // family -> counter/gauge
    QHash<QByteArray, QByteArray> samples; // series (name{labels}) -> value as written
    QString error;
};

// The text exposition format's rules that a scraper enforces, and the ones this server keeps
// on purpose (counters end in _total, every family documented).
Exposition parse(const QByteArray &text)
{
    Exposition e;
    static const QRegularExpression help(
        QStringLiteral("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*$"));
    static const QRegularExpression type(
        QStringLiteral("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$"));
    static const QRegularExpression sample(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\\\n]*\""
                       "(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\\\n]*\")*\\})? (\\S+)$"));
    if (!text.endsWith('\n')) {
        e.error = QStringLiteral("no line feed at the end");
        return e;
    }
    QByteArray helped;
    QByteArray family;
    for (const QByteArray &raw : text.chopped(1).split('\n')) {
        const QString line = QString::fromUtf8(raw);
        auto fail = [&](const char *why) {
            e.error = QStringLiteral("%1: '%2'").arg(QLatin1String(why), line);
            return e;
        };
        if (const auto m = help.match(line); m.hasMatch()) {
            helped = m.captured(1).toLatin1();
            continue;
        }
        if (const auto m = type.match(line); m.hasMatch()) {
            family = m.captured(1).toLatin1();
            if (family != helped)
                return fail("TYPE without its HELP just before");
            if (e.types.contains(family))
                return fail("family declared twice");
            if ((m.captured(2) == QLatin1String("counter")) != family.endsWith("_total"))
                return fail("counters, and only they, end in _total");
            e.types.insert(family, m.captured(2).toLatin1());
            continue;
        }
        const auto m = sample.match(line);
        if (!m.hasMatch())
            return fail("not a HELP, TYPE or sample line");
        if (m.captured(1).toLatin1() != family)
            return fail("sample outside its family");
        bool ok = false;
        m.captured(4).toDouble(&ok);
        if (!ok)
            return fail("value is not a number");
        const QByteArray series = (m.captured(1) + m.captured(2)).toLatin1();
        if (e.samples.contains(series))
            return fail("series given twice");
        e.samples.insert(series, m.captured(4).toLatin1());
    }
    return e;
}

ServerStatus sampleStatus()
{
    ServerStatus s;
    s.camera = QStringLiteral("main");
    s.streaming = true;
    s.source.online = true;
    s.source.fps = 29.97;
    s.clients = {ClientStats(), ClientStats(), ClientStats()};
    s.connections = 5;
    s.connectionsTotal = 1234;
    s.bytesTotal = 9007199254740993ull; // 2^53 + 1: a double would round it
    s.bytesPerSecond = 2500000.5;
    s.outputFps = 30;
    s.framesCaptured = 100001;
    s.framesEncoded = 100000;
    s.framesSent = 300000;
    s.framesReplaced = 11;
    s.framesSkipped = 22;
    s.framesDropped = 33;
    s.encodeMs = 4.25;
    s.quality = 80;
    s.startedAtMs = 1700000000000;
    return s;
}
QByteArray text(const ServerStatus &status, qint64 nowMs)
{
    return Metrics::prometheusText({std::make_shared<const ServerStatus>(status)}, nowMs);
}
} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void contentType();
    void parsesAndCarriesTheFigures();
    void offlineAndNotStarted();
    void idleEncoder();
    void camerasLabelled();
};

void TestMetrics::contentType()
{
    QCOMPARE(Metrics::contentType(), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
}

void TestMetrics::parsesAndCarriesTheFigures()
{
    const QByteArray exposition = text(sampleStatus(), 1700000090500);
    const Exposition e = parse(exposition);
    QVERIFY2(e.error.isEmpty(),
             qPrintable(e.error + QLatin1Char('\n') + QString::fromUtf8(exposition)));
    const QList<QPair<QByteArray, QByteArray>> expected = {
        {"mjpeg_kiosk_up", "1"},
        {"mjpeg_kiosk_streaming", "1"},
        {"mjpeg_kiosk_source_online{camera=\"main\"}", "1"},
        {"mjpeg_kiosk_source_fps{camera=\"main\"}", "29.97"},
        {"mjpeg_kiosk_viewers{camera=\"main\"}", "3"},
        {"mjpeg_kiosk_connections", "5"},
        {"mjpeg_kiosk_connections_total", "1234"},
        {"mjpeg_kiosk_sent_bytes_total{camera=\"main\"}", "9007199254740993"},
        {"mjpeg_kiosk_sent_bytes_per_second{camera=\"main\"}", "2500000.5"},
        {"mjpeg_kiosk_output_fps{camera=\"main\"}", "30"},
        {"mjpeg_kiosk_frames_captured_total{camera=\"main\"}", "100001"},
        {"mjpeg_kiosk_frames_encoded_total{camera=\"main\"}", "100000"},
        {"mjpeg_kiosk_frames_sent_total{camera=\"main\"}", "300000"},
        {"mjpeg_kiosk_frames_dropped_total{camera=\"main\",stage=\"encoder\"}", "11"},
        {"mjpeg_kiosk_frames_dropped_total{stage=\"network\"}", "22"},
        {"mjpeg_kiosk_frames_dropped_total{camera=\"main\",stage=\"viewer\"}", "33"},
        {"mjpeg_kiosk_encode_seconds{camera=\"main\"}", "0.00425"},
        {"mjpeg_kiosk_jpeg_quality{camera=\"main\"}", "80"},
        {"mjpeg_kiosk_uptime_seconds", "90.5"},
    };
    for (const auto &[series, value] : expected) {
        QVERIFY2(e.samples.contains(series), series.constData());
        QCOMPARE(e.samples.value(series), value);
    }
    QCOMPARE(e.types.value("mjpeg_kiosk_frames_dropped_total"), QByteArray("counter"));
    QCOMPARE(e.types.value("mjpeg_kiosk_viewers"), QByteArray("gauge"));
    QCOMPARE(e.types.value("mjpeg_kiosk_uptime_seconds"), QByteArray("gauge"));
}

void TestMetrics::offlineAndNotStarted()
{
    ServerStatus s; // nothing yet: streaming on by default, no source, never started
    s.camera = QStringLiteral("main");
    s.source.online = false;
    s.streaming = false;
    const Exposition e = parse(text(s, 1700000000000));
    QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
    QCOMPARE(e.samples.value("mjpeg_kiosk_up"), QByteArray("1"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_streaming"), QByteArray("0"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_source_online{camera=\"main\"}"), QByteArray("0"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_viewers{camera=\"main\"}"), QByteArray("0"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_sent_bytes_total{camera=\"main\"}"), QByteArray("0"));
    // Not started: no uptime measured from the epoch.
    QCOMPARE(e.samples.value("mjpeg_kiosk_uptime_seconds"), QByteArray("0"));
}

void TestMetrics::idleEncoder()
{
    ServerStatus s = sampleStatus();
    QCOMPARE(
        parse(text(s, 1700000090500)).samples.value("mjpeg_kiosk_encoder_idle{camera=\"main\"}"),
        QByteArray("0"));
    // Nobody watching: frames replaced in the encoder's mailbox while it idled are not drops.
    s.encoderIdle = true;
    s.framesReplaced = 500;
    s.framesIdle = 489;
    const Exposition e = parse(text(s, 1700000090500));
    QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
    QCOMPARE(e.samples.value("mjpeg_kiosk_encoder_idle{camera=\"main\"}"), QByteArray("1"));
    QCOMPARE(e.types.value("mjpeg_kiosk_encoder_idle"), QByteArray("gauge"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_frames_idle_total{camera=\"main\"}"), QByteArray("489"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_frames_dropped_total{camera=\"main\",stage=\"encoder\"}"),
             QByteArray("11"));
}

void TestMetrics::camerasLabelled()
{
    // Two cameras: each family once, a series per camera with its name; the server's own
    // figures once, unlabelled.
    ServerStatus door = sampleStatus();
    door.camera = QStringLiteral("door");
    door.source.online = false;
    door.clients = {ClientStats()};
    door.cameraStreaming = false;
    ServerStatus main = sampleStatus();
    ServerStatus::Profile small;
    small.id = 1;
    small.width = 640;
    small.height = 360;
    small.quality = 80;
    small.encodes = 77;
    small.viewers = 2;
    door.profiles = {small};
    const QByteArray exposition = Metrics::prometheusText(
        {std::make_shared<const ServerStatus>(main), std::make_shared<const ServerStatus>(door)},
        1700000090500);
    const Exposition e = parse(exposition);
    QVERIFY2(e.error.isEmpty(),
             qPrintable(e.error + QLatin1Char('\n') + QString::fromUtf8(exposition)));
    QCOMPARE(e.samples.value("mjpeg_kiosk_viewers{camera=\"main\"}"), QByteArray("3"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_viewers{camera=\"door\"}"), QByteArray("1"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_source_online{camera=\"door\"}"), QByteArray("0"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_camera_streaming{camera=\"main\"}"), QByteArray("1"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_camera_streaming{camera=\"door\"}"), QByteArray("0"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_profile_encodes_total{camera=\"door\",profile="
                             "\"640x360\",quality=\"80\"}"),
             QByteArray("77"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_connections"), QByteArray("5"));
    QCOMPARE(e.samples.value("mjpeg_kiosk_frames_dropped_total{stage=\"network\"}"),
             QByteArray("22"));
    QVERIFY(!e.samples.contains("mjpeg_kiosk_connections{camera=\"door\"}"));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
