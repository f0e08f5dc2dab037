#pragma once

#include "pipeline/pipeline.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

class NetProbe;
class QQmlEngine;

// The setup object of a Qt Quick Test executable (quick_test_main_with_setup): one real pipeline
// started with `config` for every QML test file it runs, the backend installed as `Kiosk`, and
// a NetProbe (`import KioskTest`, `Net`) to reach its server. Settings (QSettings) go to a
// temporary XDG_CONFIG_HOME, away from the user's.
class PipelineQuickSetup : public QObject
{
    Q_OBJECT
public:
    PipelineQuickSetup(const QString &applicationName, const PipelineConfig &config);
    ~PipelineQuickSetup() override;

    Pipeline *pipeline() const { return m_pipeline.get(); }

public slots:
    void applicationAvailable();
    void qmlEngineAvailable(QQmlEngine *engine);
    void cleanupTestCase();

private:
    QString m_applicationName;
    PipelineConfig m_pipelineConfig;
    QTemporaryDir m_config;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<NetProbe> m_probe;
};
