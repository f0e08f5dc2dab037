#include "netprobe.h"
#include "pipeline/pipeline.h"
#include "ui/kioskbackend.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// One real pipeline for every QML test file: the test pattern, small and slow enough to be
// light, its server on a free port of 127.0.0.1.
class Setup : public QObject
{
    Q_OBJECT
public:
    Setup()
    {
        // The settings panel saves with QSettings: keep that away from the user's settings.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

public slots:
    void applicationAvailable()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("mjpeg-kiosk-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_kiosk_qml"));
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        if (!m_pipeline) {
            m_pipeline = std::make_unique<Pipeline>();
            PipelineConfig config;
            config.source = QStringLiteral("test");
            config.resolution = QSize(320, 240);
            config.fps = 15;
            config.quality = 70;
            config.server.host = QHostAddress::LocalHost;
            config.server.port = 0;
            config.server.networkThreads = 2;
            // A size smaller than the 320x240 source, for the viewer list's profiles.
            config.server.profileWidths = {0, 160};
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

QUICK_TEST_MAIN_WITH_SETUP(kiosk_qml, Setup)

#include "tst_kiosk_qml.moc"
