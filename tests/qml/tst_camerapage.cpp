#include "fakecamtest.h"
#include "netprobe.h"
#include "pipeline/pipeline.h"
#include "ui/kioskbackend.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// The Camera page (tests/qml/camerapage.qml) against a real pipeline on the fake V4L2 camera
// (libfakecam.so preloaded by ctest): its controls, their inactive flags and events, what the
// page sets reaching the camera and /controls.
class Setup : public QObject
{
    Q_OBJECT
public:
    Setup()
    {
        // The pipeline saves control values with QSettings: keep them away from the user's.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

public slots:
    void applicationAvailable()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("mjpeg-kiosk-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_camerapage"));
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        if (!m_pipeline) {
            m_pipeline = std::make_unique<Pipeline>();
            PipelineConfig config;
            config.source = QStringLiteral("/dev/video0");
            config.resolution = QSize(640, 480);
            config.fps = 15;
            config.server.host = QHostAddress::LocalHost;
            config.server.port = 0;
            config.server.networkThreads = 1;
            if (!m_pipeline->start(config))
                qFatal("pipeline: %s", qPrintable(m_pipeline->errorString()));
            m_probe = std::make_unique<NetProbe>();
            qmlRegisterSingletonInstance("KioskTest", 1, 0, "Net", m_probe.get());
        }
        engine->addImportPath(QStringLiteral(":/qt/qml"));
        KioskBackend::install(engine, m_pipeline.get(), false);
    }

    void cleanupTestCase()
    {
        m_probe.reset();
        m_pipeline.reset();
    }

private:
    QTemporaryDir m_config;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<NetProbe> m_probe;
};

int main(int argc, char **argv)
{
    if (fakecamMissing())
        return kFakecamSkipped;
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "camerapage", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_camerapage.moc"
