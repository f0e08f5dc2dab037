#include "quicksetup.h"

#include <QHostAddress>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// The kiosk screen with several cameras (tests/qml/cameragrid.qml): KIOSK_TEST_CAMERAS test
// patterns (2, 4 or 9: ctest runs each) in one real pipeline, the grid, a camera alone, going
// from one to the next and back.

// Lets the QML test change a camera's source as the settings would (QML singleton "Cameras" in
// KioskTest): a camera that goes offline while the others stream.
class CameraProbe : public QObject
{
    Q_OBJECT
public:
    explicit CameraProbe(Pipeline *pipeline)
        : m_pipeline(pipeline)
    { }

    // An empty `spec`: the camera's own test pattern again (labelled with its name).
    Q_INVOKABLE bool setSource(int index, const QString &spec)
    {
        Camera *camera = m_pipeline->camera(index);
        if (!camera)
            return false;
        camera->setSource(spec.isEmpty() ? QStringLiteral("test:") + camera->name() : spec,
                          QSize(320, 240), 15);
        return true;
    }

    // Live changes as the settings panel makes them; each answers the refusal, or "".
    Q_INVOKABLE QString addCamera(const QString &name, const QString &spec)
    {
        CameraConfig config;
        config.name = name;
        config.source = spec.isEmpty() ? QStringLiteral("test:") + name : spec;
        config.resolution = QSize(320, 240);
        config.fps = 15;
        QString error;
        return m_pipeline->addCamera(config, &error) ? QString() : error;
    }
    Q_INVOKABLE QString removeCamera(const QString &name)
    {
        QString error;
        return m_pipeline->removeCamera(name, &error) ? QString() : error;
    }
    Q_INVOKABLE QString renameCamera(const QString &from, const QString &to)
    {
        QString error;
        return m_pipeline->renameCamera(from, to, &error) ? QString() : error;
    }

private:
    Pipeline *m_pipeline;
};

namespace {
int cameraCount()
{
    const int n = qEnvironmentVariableIntValue("KIOSK_TEST_CAMERAS");
    return n > 0 ? n : 4;
}

PipelineConfig gridConfig()
{
    PipelineConfig config;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 1;
    for (int i = 1; i <= cameraCount(); ++i) {
        CameraConfig camera;
        camera.name = QStringLiteral("cam%1").arg(i);
        camera.source = QStringLiteral("test:") + camera.name; // each picture its own
        camera.resolution = QSize(320, 240);
        camera.fps = 15;
        config.cameras.append(camera);
    }
    return config;
}
} // namespace

class Setup : public PipelineQuickSetup
{
    Q_OBJECT
public:
    Setup()
        : PipelineQuickSetup(QStringLiteral("tst_cameragrid"), gridConfig())
    { }

public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        PipelineQuickSetup::qmlEngineAvailable(engine);
        if (!m_probe) {
            m_probe = std::make_unique<CameraProbe>(pipeline());
            qmlRegisterSingletonInstance("KioskTest", 1, 0, "Cameras", m_probe.get());
        }
    }
    void cleanupTestCase()
    {
        m_probe.reset();
        PipelineQuickSetup::cleanupTestCase();
    }

private:
    std::unique_ptr<CameraProbe> m_probe;
};

int main(int argc, char **argv)
{
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "cameragrid", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_cameragrid.moc"
