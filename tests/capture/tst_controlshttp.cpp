// Camera controls over HTTP, end to end: the real app on the fake camera (libfakecam.so
// preloaded), GET and POST /controls on real sockets, who may change them, bad input, and a
// brightness change seen in the decoded snapshot.

#include "appprocess.h"
#include "controlsclient.h"
#include "testclient.h"

#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace TestSupport;

namespace {
HttpResult post(quint16 port, const QByteArray &target, const QByteArray &body,
                const QByteArray &contentType = "application/json",
                const QByteArray &extraHeaders = {})
{
    return exchange(port,
                    "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: " + contentType + "\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body);
}
} // namespace

class TestControlsHttp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void refusedWithoutCredentialsOrNetwork();
    void setsFromAnAllowedNetwork();
    void badInputAppliesNothing();
    void crossSiteFormIsRefused();
    void credentialsGuardControls();
    void controlOptionAppliesAtStart();
    void brightnessChangesTheSnapshot();

    void valuesSurviveARestart();

private:
    quint16 startApp(AppProcess &app, const QStringList &extra);
    std::unique_ptr<QTemporaryDir> m_config;
};

void TestControlsHttp::init()
{
    m_config = std::make_unique<QTemporaryDir>(); // every test starts with nothing saved
}

void TestControlsHttp::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY)))
        QSKIP("libfakecam.so is not built (../shared/tools/fakecam absent): no controls test");
}

quint16 TestControlsHttp::startApp(AppProcess &app, const QStringList &extra)
{
    app.setEnvironment(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
    app.setEnvironment(QStringLiteral("FAKECAM_FORMATS"), QStringLiteral("YUYV"));
    // Saved control values go here, not to the user's own settings.
    app.setEnvironment(QStringLiteral("XDG_CONFIG_HOME"), m_config->path());
    const quint16 port = app.startListening(QStringList{"--headless", "--source", "/dev/video0",
                                                        "--port", "0", "--host", "127.0.0.1",
                                                        "--resolution", "640x480", "--fps", "15"}
                                            + extra);
    if (port == 0)
        return 0;
    // The camera is open once its controls are listed.
    const bool up = waitUntil([&] {
        return getControls(port, extra.contains("--token") ? "?token=0123456789" : "")
            .value(QStringLiteral("available"))
            .toBool();
    });
    return up ? port : 0;
}

void TestControlsHttp::refusedWithoutCredentialsOrNetwork()
{
    AppProcess app;
    const quint16 port = startApp(app, {});
    QVERIFY2(port, qPrintable(app.output()));
    const QJsonObject list = getControls(port);
    QCOMPARE(list.value("controls_allowed").toBool(), false);
    const QJsonObject brightness = controlNamed(list, QStringLiteral("brightness"));
    QCOMPARE(brightness.value("min").toInt(), -64);
    QCOMPARE(brightness.value("max").toInt(), 64);
    QCOMPARE(brightness.value("type").toString(), QStringLiteral("integer"));
    const QJsonObject exposure = controlNamed(list, QStringLiteral("auto_exposure"));
    QVERIFY(!exposure.value("menu").toArray().isEmpty());
    QVERIFY(controlNamed(list, QStringLiteral("exposure_time_absolute"))
                .value("flags")
                .toArray()
                .contains(QStringLiteral("inactive")));
    const HttpResult r = post(port, "/controls", R"({"brightness": 10})");
    QCOMPARE(r.head.status, 403);
    QVERIFY(r.body.contains("--allow-control"));
    QCOMPARE(controlNamed(getControls(port), "brightness").value("value").toInt(), 0);
}

void TestControlsHttp::setsFromAnAllowedNetwork()
{
    AppProcess app;
    const quint16 port = startApp(app, {"--allow-control", "127.0.0.0/8"});
    QVERIFY2(port, qPrintable(app.output()));
    QCOMPARE(getControls(port).value("controls_allowed").toBool(), true);
    HttpResult r = post(port, "/controls", R"({"brightness": 12, "contrast": 40})");
    QCOMPARE(r.head.status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(controlNamed(answer, "brightness").value("value").toInt(), 12);
    QCOMPARE(controlNamed(answer, "contrast").value("value").toInt(), 40);
    // The master and what it governs in one request; a menu value by its name.
    r = post(port, "/controls",
             R"({"auto_exposure": "Manual Mode", "exposure_time_absolute": 250})");
    QCOMPARE(r.head.status, 200);
    const QJsonObject now = getControls(port);
    QCOMPARE(controlNamed(now, "exposure_time_absolute").value("value").toInt(), 250);
    QVERIFY(controlNamed(now, "exposure_time_absolute").value("flags").toArray().isEmpty());
    // A form body with the custom header.
    r = post(port, "/controls", "saturation=80", "application/x-www-form-urlencoded",
             "X-Requested-With: test\r\n");
    QCOMPARE(r.head.status, 200);
    QCOMPARE(controlNamed(getControls(port), "saturation").value("value").toInt(), 80);
    // Logged: who and what.
    QTRY_VERIFY_WITH_TIMEOUT(app.output().contains("controls: 127.0.0.1 set brightness=12"),
                             kWaitMs);
}

void TestControlsHttp::badInputAppliesNothing()
{
    AppProcess app;
    const quint16 port = startApp(app, {"--allow-control", "127.0.0.1"});
    QVERIFY2(port, qPrintable(app.output()));
    const struct
    {
        QByteArray body;
        int status;
        QByteArray says;
    } cases[] = {
        {R"({"contrast": 40, "brightness": 100})", 400, "brightness must be from -64 to 64"},
        {R"({"contrast": 40, "nosuch": 1})", 400, "unknown control nosuch"},
        {R"({"exposure_time_absolute": 300})", 409, "exposure_time_absolute is inactive"},
        {R"({"auto_exposure": 7})", 400, "auto_exposure must be one of"},
        {R"({"contrast": "loud"})", 400, "contrast"},
        {R"({"contrast": 40)", 400, "JSON object"},
        {"[1,2]", 400, "JSON object"},
        {"{}", 400, "no control given"},
        {"{\"contrast\": 40, \"x\": \"" + QByteArray(5000, 'a') + "\"}", 413, "4096 bytes"},
    };
    for (const auto &c : cases) {
        const HttpResult r = post(port, "/controls", c.body);
        QVERIFY2(r.head.status == c.status && r.body.contains(c.says),
                 qPrintable(QString::number(r.head.status) + ' ' + QString::fromUtf8(r.body)));
    }
    QCOMPARE(controlNamed(getControls(port), "contrast").value("value").toInt(), 32);
    const HttpResult put = exchange(port, "PUT /controls HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(put.head.status, 405);
    QCOMPARE(put.head.header("Allow"), QByteArray("GET, HEAD, POST"));
    QCOMPARE(
        exchange(port, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").head.status,
        405);
}

void TestControlsHttp::crossSiteFormIsRefused()
{
    AppProcess app;
    const quint16 port = startApp(app, {"--allow-control", "127.0.0.1"});
    QVERIFY2(port, qPrintable(app.output()));
    // What a page elsewhere can post without a preflight: refused, nothing applied.
    for (const QByteArray type :
         {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"}) {
        const HttpResult r = post(port, "/controls", "brightness=30", type);
        QCOMPARE(r.head.status, 415);
        QVERIFY(r.body.contains("application/json"));
    }
    QCOMPARE(controlNamed(getControls(port), "brightness").value("value").toInt(), 0);
}

void TestControlsHttp::credentialsGuardControls()
{
    {
        AppProcess app;
        const quint16 port = startApp(app, {"--token", "0123456789"});
        QVERIFY2(port, qPrintable(app.output()));
        QCOMPARE(post(port, "/controls", R"({"brightness": 5})").head.status, 403);
        QCOMPARE(getControls(port, "?token=0123456789").value("controls_allowed").toBool(), true);
        const HttpResult r = post(port, "/controls?token=0123456789", R"({"brightness": 5})");
        QCOMPARE(r.head.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(app.output().contains("127.0.0.1 (token) set brightness=5"),
                                 kWaitMs);
    }
    {
        AppProcess app;
        app.setEnvironment(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
        app.setEnvironment(QStringLiteral("XDG_CONFIG_HOME"), m_config->path());
        const quint16 port = app.startListening(
            {"--headless", "--source", "/dev/video0", "--port", "0", "--host", "127.0.0.1",
             "--resolution", "640x480", "--password", "secret123", "--allow-control", "127.0.0.1"});
        QVERIFY2(port, qPrintable(app.output()));
        // A password set: the network alone is not enough.
        QCOMPARE(post(port, "/controls", R"({"brightness": 5})").head.status, 401);
        const QByteArray auth
            = "Authorization: Basic " + QByteArray("viewer:secret123").toBase64() + "\r\n";
        QVERIFY(waitUntil([&] {
            const HttpResult r
                = post(port, "/controls", R"({"brightness": 6})", "application/json", auth);
            return r.head.status == 200;
        }));
    }
}

void TestControlsHttp::controlOptionAppliesAtStart()
{
    AppProcess app;
    const quint16 port = startApp(
        app, {"--control", "brightness=-20", "--control", "white_balance_automatic=false"});
    QVERIFY2(port, qPrintable(app.output()));
    QTRY_COMPARE_WITH_TIMEOUT(controlNamed(getControls(port), "brightness").value("value").toInt(),
                              -20, kWaitMs);
    const QJsonObject wb = controlNamed(getControls(port), "white_balance_temperature");
    QVERIFY(wb.value("flags").toArray().isEmpty()); // no longer inactive
}

void TestControlsHttp::brightnessChangesTheSnapshot()
{
    AppProcess app;
    const quint16 port = startApp(app, {"--allow-control", "127.0.0.1"});
    QVERIFY2(port, qPrintable(app.output()));
    const double before = meanLuma(port);
    QVERIFY(before > 0);
    QCOMPARE(post(port, "/controls", R"({"brightness": 50})").head.status, 200);
    // +50 luma levels at the camera: the picture the viewers decode is brighter (by less where
    // it clips at white).
    QVERIFY(waitUntil([&] { return meanLuma(port) > before + 25; }));
    QCOMPARE(post(port, "/controls", R"({"brightness": -50})").head.status, 200);
    QVERIFY(waitUntil([&] { return meanLuma(port) < before - 25; }));
}

// Saved per camera, applied again at the next start (the master before what it governs).
void TestControlsHttp::valuesSurviveARestart()
{
    {
        AppProcess app;
        const quint16 port = startApp(app, {"--allow-control", "127.0.0.1"});
        QVERIFY2(port, qPrintable(app.output()));
        QCOMPARE(post(port, "/controls", R"({"brightness": 33})").head.status, 200);
        QCOMPARE(post(port, "/controls",
                      R"({"auto_exposure": "Manual Mode", "exposure_time_absolute": 400})")
                     .head.status,
                 200);
        QVERIFY(app.terminate() >= 0);
    }
    AppProcess app;
    const quint16 port = startApp(app, {});
    QVERIFY2(port, qPrintable(app.output()));
    QTRY_COMPARE_WITH_TIMEOUT(controlNamed(getControls(port), "brightness").value("value").toInt(),
                              33, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(
        controlNamed(getControls(port), "exposure_time_absolute").value("value").toInt(), 400,
        kWaitMs);
    QCOMPARE(controlNamed(getControls(port), "auto_exposure").value("value").toInt(), 1);
    QVERIFY(QFileInfo(m_config->filePath("mjpeg-kiosk/mjpeg-kiosk.conf")).exists());
}

QTEST_GUILESS_MAIN(TestControlsHttp)
#include "tst_controlshttp.moc"
