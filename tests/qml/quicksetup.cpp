#include "quicksetup.h"

#include "netprobe.h"
#include "ui/kioskbackend.h"

#include <QCoreApplication>
#include <QQmlEngine>

PipelineQuickSetup::PipelineQuickSetup(const QString &applicationName, const PipelineConfig &config)
    : m_applicationName(applicationName)
    , m_pipelineConfig(config)
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
}

PipelineQuickSetup::~PipelineQuickSetup() = default;

void PipelineQuickSetup::applicationAvailable()
{
    QCoreApplication::setOrganizationName(QStringLiteral("mjpeg-kiosk-test"));
    QCoreApplication::setApplicationName(m_applicationName);
}

void PipelineQuickSetup::qmlEngineAvailable(QQmlEngine *engine)
{
    // Called once per QML test file: the pipeline and the probe are made for the first.
    if (!m_pipeline) {
        m_pipeline = std::make_unique<Pipeline>();
        if (!m_pipeline->start(m_pipelineConfig))
            qFatal("pipeline: %s", qPrintable(m_pipeline->errorString()));
        m_probe = std::make_unique<NetProbe>();
        qmlRegisterSingletonInstance("KioskTest", 1, 0, "Net", m_probe.get());
    }
    engine->addImportPath(QStringLiteral(":/qt/qml"));
    KioskBackend::install(engine, m_pipeline.get(), false);
}

void PipelineQuickSetup::cleanupTestCase()
{
    m_probe.reset();
    m_pipeline.reset();
}
