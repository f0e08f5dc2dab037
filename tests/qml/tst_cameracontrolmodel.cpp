// The Camera page's model fed by a real pipeline on the fake V4L2 camera (libfakecam.so
// preloaded), YUYV and MJPEG: a change made through the model reaches the camera (GET /controls
// says so, and a decoded /snapshot is brighter), and every change, from the model, a viewer's
// POST /controls or --control at start, comes out as a notice saying who made it.

#include "controlsclient.h"
#include "pipeline/pipeline.h"
#include "ui/cameracontrolmodel.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace TestSupport;

class TestCameraControlModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void aChangeReachesTheCamera_data();
    void aChangeReachesTheCamera();
    void aNoticeSaysWhoChangedWhat();
    void savedValuesAreAnnounced();

private:
    // A pipeline on /dev/video0 (--control `controls`) with a model on it, whose notices go
    // into m_notices from the start; m_format: the camera's format as it opened. Saved values
    // start from nothing unless `keepSaved`.
    bool start(bool mjpeg, const QStringList &controls = {}, bool keepSaved = false);

    QTemporaryDir m_config;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<CameraControlModel> m_model;
    QString m_format;
    QStringList m_notices;
};

void TestCameraControlModel::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY)))
        QSKIP("libfakecam.so is not built (../shared/tools/fakecam absent): no camera here");
    // Saved control values go here, not to the user's settings (QSettings reads the variable
    // once, so one folder for the whole run).
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
}

bool TestCameraControlModel::start(bool mjpeg, const QStringList &controls, bool keepSaved)
{
    m_model.reset();
    m_pipeline.reset();
    if (!keepSaved)
        QSettings().remove(QStringLiteral("controls"));
    m_pipeline = std::make_unique<Pipeline>();
    m_model = std::make_unique<CameraControlModel>(m_pipeline.get(), nullptr);
    m_notices.clear();
    connect(m_model.get(), &CameraControlModel::noticed, this,
            [this](const QString &text) { m_notices << text; });
    PipelineConfig config;
    config.source = QStringLiteral("/dev/video0");
    config.resolution = QSize(640, 480);
    config.fps = 15;
    config.encoder = mjpeg ? PipelineConfig::Encoder::Passthrough : PipelineConfig::Encoder::Cpu;
    config.controls = controls;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 1;
    config.server.controlNetworks = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8"))};
    if (!m_pipeline->start(config)) {
        qWarning() << m_pipeline->errorString();
        return false;
    }
    // The camera exists from start() on; its source reports itself later, on its thread.
    m_format = m_pipeline->camera()->sourceInfo().format;
    connect(m_pipeline->camera(), &Camera::sourceInfoChanged, this,
            [this](const FrameSource::Info &info) { m_format = info.format; });
    return waitUntil([this] { return m_model->available(); });
}

void TestCameraControlModel::aChangeReachesTheCamera_data()
{
    QTest::addColumn<bool>("mjpeg");
    QTest::newRow("YUYV") << false;
    QTest::newRow("MJPEG") << true;
}

void TestCameraControlModel::aChangeReachesTheCamera()
{
    QFETCH(bool, mjpeg);
    QVERIFY(start(mjpeg));
    QTRY_COMPARE_WITH_TIMEOUT(m_format, mjpeg ? QStringLiteral("MJPEG") : QStringLiteral("YUYV"),
                              kWaitMs);
    const quint16 port = m_pipeline->server()->port();
    QCOMPARE(m_model->get(QStringLiteral("brightness"), QStringLiteral("value")).toInt(), 0);
    double before = -1;
    QVERIFY(waitUntil([&] { return (before = meanLuma(port)) >= 0; }));

    QVERIFY(m_model->set(QStringLiteral("brightness"), 60));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_model->get(QStringLiteral("brightness"), QStringLiteral("value")).toInt(), 60, kWaitMs);
    QVERIFY(m_model->error().isEmpty());
    QCOMPARE(controlNamed(getControls(port), "brightness").value("value").toInt(), 60);
    // The camera's own picture (the fake camera adds a luma level per step), through the
    // encoder (YUYV) or passed through as the camera made it (MJPEG).
    QVERIFY2(waitUntil([&] { return meanLuma(port) > before + 25; }),
             qPrintable(QString::number(before)));
    QVERIFY(m_model->set(QStringLiteral("brightness"), 0));
    QVERIFY(waitUntil([&] { return meanLuma(port) < before + 10; }));
    QCOMPARE(controlNamed(getControls(port), "brightness").value("value").toInt(), 0);
}

void TestCameraControlModel::aNoticeSaysWhoChangedWhat()
{
    // --control's notice comes as the camera opens.
    QVERIFY(start(false, {QStringLiteral("contrast=40")}));
    const QStringList &notices = m_notices;
    QTRY_COMPARE_WITH_TIMEOUT(notices.value(0), QStringLiteral("Contrast → 40 (by --control)"),
                              kWaitMs);

    QVERIFY(m_model->set(QStringLiteral("brightness"), 14));
    QTRY_COMPARE_WITH_TIMEOUT(notices.value(1), QStringLiteral("Brightness → 14 (by this screen)"),
                              kWaitMs);
    QVERIFY(m_model->set(QStringLiteral("auto_exposure"), 1));
    QTRY_COMPARE_WITH_TIMEOUT(
        notices.value(2), QStringLiteral("Auto Exposure → Manual Mode (by this screen)"), kWaitMs);

    // A viewer's POST /controls: the request crosses this (the server's) thread, so it is sent
    // without blocking it.
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/controls").arg(m_pipeline->server()->port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(network.post(request, R"({"brightness": -30})"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(notices.value(3), QStringLiteral("Brightness → -30 (by 127.0.0.1)"),
                              kWaitMs);
    // The page follows a change made elsewhere.
    QTRY_COMPARE(m_model->get(QStringLiteral("brightness"), QStringLiteral("value")).toInt(), -30);

    // Refused before it reaches the camera: said too, with the value in force.
    QVERIFY(m_model->set(QStringLiteral("white_balance_temperature"), 5000));
    QTRY_VERIFY_WITH_TIMEOUT(notices.size() == 5, kWaitMs);
    QVERIFY2(notices.at(4).startsWith(QLatin1String("Not applied (by this screen): "
                                                    "white_balance_temperature is inactive")),
             qPrintable(notices.at(4)));
    QVERIFY2(notices.at(4).endsWith(QStringLiteral("in force: White Balance Temperature → 4600")),
             qPrintable(notices.at(4)));
}

void TestCameraControlModel::savedValuesAreAnnounced()
{
    QVERIFY(start(false));
    // The fake camera keeps its values while this process runs: from its defaults.
    QVERIFY(m_model->resetToDefaults());
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->busy(), kWaitMs);
    QSettings().remove(QStringLiteral("controls"));
    m_notices.clear();
    QVERIFY(m_model->set(QStringLiteral("saturation"), 90));
    QTRY_COMPARE_WITH_TIMEOUT(m_notices.value(0),
                              QStringLiteral("Saturation → 90 (by this screen)"), kWaitMs);
    // The next start puts the saved value back, and says so.
    QVERIFY(start(false, {}, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_notices.value(0),
                              QStringLiteral("Saturation → 90 (by saved values)"), kWaitMs);
    QCOMPARE(m_model->get(QStringLiteral("saturation"), QStringLiteral("value")).toInt(), 90);
}

QTEST_MAIN(TestCameraControlModel)

#include "tst_cameracontrolmodel.moc"
