#include "pipeline/pipeline.h"
#include "ui/kioskbackend.h"

#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// The whole kiosk window (Main.qml on a real pipeline) renders only what changes: on a screen
// where nothing moves it shows at most about two frames a second, and with a live camera and
// the info panel's graphs on screen the graphs' samples ride on the camera's frames instead of
// adding frames of their own. The count is of frames the window really swapped
// (QQuickWindow::frameSwapped), as KIOSK_FRAME_STATS counts them.
class TestStillScreen : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sourceOffline();
    void streamingOffAndSourceOffline();
    void privacyOn();
    void privacyOnPanelsShown();
    void liveCameraPanelsShown();

private:
    // Brings the panels back for good (no idle timeout) and waits until they are at rest.
    void showPanels();
    // The number of samples the bandwidth graph holds.
    int graphSamples() const;
    // Waits for the panels to slide away (landscape, nobody touching), counts the frames
    // swapped over a few seconds and checks there are few enough.
    // `knownFailure`: why it cannot pass yet (an expected failure, reported as XPASS once it does).
    void verifyStill(const char *what, const char *knownFailure = nullptr);
    QObject *child(const char *name) const;

    QTemporaryDir m_config;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    std::atomic<int> m_frames{0};
    int m_serverSamples = 0; // the server's figures (four a second), counted as they come
};

namespace {
// Two a second at most, plus two for a period that starts or ends in the middle of one.
constexpr int kStillFramesPerSecond = 2;
constexpr int kSeconds = 3;
constexpr int kMaxStillFrames = kStillFramesPerSecond * kSeconds + 2;
// A V4L2 node no machine has: the source stays offline and keeps retrying.
const QString kAbsentCamera = QStringLiteral("/dev/video63");
} // namespace

void TestStillScreen::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8()); // the settings panel saves
    m_pipeline = std::make_unique<Pipeline>();
    PipelineConfig config;
    config.source = kAbsentCamera;
    config.resolution = QSize(320, 240);
    config.fps = 15;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 1;
    QVERIFY2(m_pipeline->start(config), qPrintable(m_pipeline->errorString()));

    m_engine = std::make_unique<QQmlApplicationEngine>();
    KioskBackend::install(m_engine.get(), m_pipeline.get(), false);
    m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/MjpegKiosk/Main.qml")));
    QVERIFY(!m_engine->rootObjects().isEmpty());
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    QVERIFY(m_window);
    // Direct: with a threaded render loop the signal comes from the render thread.
    connect(
        m_window, &QQuickWindow::frameSwapped, this, [this] { ++m_frames; }, Qt::DirectConnection);
    m_window->resize(1280, 800);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    // The count is not vacuous: this window does swap frames.
    QTRY_VERIFY(m_frames > 0);
    connect(m_pipeline->server(), &StreamServer::statsChanged, this, [this] { ++m_serverSamples; });
    // Landscape panels leave after this long without a touch.
    m_window->setProperty("idleMs", 500);
}

void TestStillScreen::cleanupTestCase()
{
    m_engine.reset();
    m_pipeline.reset();
}

QObject *TestStillScreen::child(const char *name) const
{
    return m_window->findChild<QObject *>(QLatin1String(name));
}

void TestStillScreen::verifyStill(const char *what, const char *knownFailure)
{
    QObject *info = child("infoPanel");
    QObject *bar = child("controlBar");
    // Hidden and at rest: the slide has ended.
    QTRY_VERIFY_WITH_TIMEOUT(!info->property("visible").toBool(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(bar->property("y").toDouble(), double(m_window->height()), 10000);
    m_frames = 0;
    QTest::qWait(kSeconds * 1000);
    const int frames = m_frames;
    qInfo("%s: %d frames in %d s", what, frames, kSeconds);
    if (knownFailure)
        QEXPECT_FAIL("", knownFailure, Continue);
    QVERIFY2(frames <= kMaxStillFrames,
             qPrintable(QStringLiteral("%1: %2 frames in %3 s, at most %4 expected")
                            .arg(QLatin1String(what))
                            .arg(frames)
                            .arg(kSeconds)
                            .arg(kMaxStillFrames)));
}

void TestStillScreen::sourceOffline()
{
    QTRY_VERIFY_WITH_TIMEOUT(child("noSignal")->property("visible").toBool(), 10000);
    verifyStill("source offline, streaming");
}

void TestStillScreen::streamingOffAndSourceOffline()
{
    m_pipeline->server()->setRunning(false);
    QTRY_VERIFY(child("notStreamingBanner")->property("visible").toBool());
    verifyStill("source offline, streaming off");
    m_pipeline->server()->setRunning(true);
}

void TestStillScreen::privacyOn()
{
    // A live source behind the privacy placeholder, which changes once a second.
    m_pipeline->camera()->setSource(QStringLiteral("test"), QSize(320, 240), 15);
    QTRY_VERIFY_WITH_TIMEOUT(child("noSignal")->property("visible").toBool() == false, 10000);
    m_pipeline->camera()->setPrivacy(true);
    QTRY_VERIFY(m_pipeline->camera()->privacy());
    // The preview stage makes the placeholder into a picture once, not once per frame.
    verifyStill("privacy on");
    m_pipeline->camera()->setPrivacy(false);
}

void TestStillScreen::showPanels()
{
    m_window->setProperty("idleMs", 3600 * 1000);
    QMetaObject::invokeMethod(m_window, "poke");
    QObject *info = child("infoPanel");
    QObject *bar = child("controlBar");
    const auto atRest = [&] {
        return info->property("x").toDouble()
            == m_window->width() - info->property("width").toDouble()
            && bar->property("y").toDouble()
            == m_window->height() - bar->property("height").toDouble();
    };
    QTRY_VERIFY_WITH_TIMEOUT(atRest(), 10000);
}

int TestStillScreen::graphSamples() const
{
    // The first graph's curve (InfoPanel: outgoing bandwidth).
    QObject *curve = child("curve");
    auto *history = curve ? curve->property("history").value<QObject *>() : nullptr;
    return history ? history->property("count").toInt() : -1;
}

void TestStillScreen::privacyOnPanelsShown()
{
    m_pipeline->camera()->setSource(QStringLiteral("test"), QSize(320, 240), 15);
    QTRY_VERIFY_WITH_TIMEOUT(child("noSignal")->property("visible").toBool() == false, 10000);
    m_pipeline->camera()->setPrivacy(true);
    QTRY_VERIFY(m_pipeline->camera()->privacy());
    showPanels();
    // The graphs are on screen and go on taking samples (their figures are held for a picture
    // that never comes, then drawn together), yet the screen stays still.
    const int samplesBefore = graphSamples();
    m_frames = 0;
    QTest::qWait(kSeconds * 1000);
    const int frames = m_frames;
    qInfo("privacy on, panels shown: %d frames in %d s", frames, kSeconds);
    QVERIFY2(frames <= kMaxStillFrames,
             qPrintable(QStringLiteral("%1 frames in %2 s, at most %3 expected")
                            .arg(frames)
                            .arg(kSeconds)
                            .arg(kMaxStillFrames)));
    QTRY_VERIFY(graphSamples() > samplesBefore);
    m_pipeline->camera()->setPrivacy(false);
    m_window->setProperty("idleMs", 500);
}

void TestStillScreen::liveCameraPanelsShown()
{
    // A live source on screen with the info panel: one frame per picture drawn; the graphs'
    // samples (four a second) wait for the next picture. Allowed on top: a quarter of the
    // samples in frames of their own (a picture superseded before the GUI thread took it, a
    // stall longer than the gate's delay on a loaded machine) and two for the period's ends.
    // Drawn in frames of their own, the samples add nearly one frame each (49-56 frames for 40
    // pictures and 16 samples, against 40-41 held for the pictures). 10 fps rather than 30:
    // a software-rendered 1280x800 window on a loaded test machine can take a frame's time to
    // render, and a renderer that never rests merges everything whether held or not.
    m_pipeline->camera()->setPrivacy(false); // whatever the test before left
    QTRY_VERIFY(!m_pipeline->camera()->privacy());
    m_pipeline->camera()->setSource(QStringLiteral("test"), QSize(320, 240), 10);
    QTRY_VERIFY_WITH_TIMEOUT(child("noSignal")->property("visible").toBool() == false, 10000);
    showPanels();
    auto *picture = child("livePicture");
    QVERIFY(picture);
    const auto drawn = [picture] {
        double n = 0;
        QMetaObject::invokeMethod(picture, "framesDrawn", Q_RETURN_ARG(double, n));
        return int(n);
    };
    constexpr int kLiveSeconds = 4;
    const int graphBefore = graphSamples();
    const int picturesBefore = drawn();
    m_serverSamples = 0;
    m_frames = 0;
    QTest::qWait(kLiveSeconds * 1000);
    const int frames = m_frames;
    const int pictures = drawn() - picturesBefore;
    const int samples = m_serverSamples;
    qInfo("10 fps source, panels shown: %d frames, %d pictures, %d samples in %d s", frames,
          pictures, samples, kLiveSeconds);
    // Not vacuous: pictures came, samples came and the graph took them.
    QVERIFY(pictures > 0);
    QVERIFY(samples > 0);
    QTRY_VERIFY(graphSamples() > graphBefore);
    const int allowed = pictures + samples / 4 + 2;
    QVERIFY2(frames <= allowed,
             qPrintable(QStringLiteral("%1 frames for %2 pictures and %3 samples, at most %4 "
                                       "expected")
                            .arg(frames)
                            .arg(pictures)
                            .arg(samples)
                            .arg(allowed)));
    m_window->setProperty("idleMs", 500);
}

QTEST_MAIN(TestStillScreen)

#include "tst_stillscreen.moc"
