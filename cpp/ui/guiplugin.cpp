#include "kioskbackend.h"
#include "kioskgui.h"
#include "kiosksettings.h"
#include "windowprobe.h"

#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickWindow>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

class KioskGuiPlugin
    : public QObject
    , public KioskGui
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KioskGui_iid)
    Q_INTERFACES(KioskGui)
public:
    void restoreSettings(PipelineConfig *config, const QStringList &given) override
    {
        KioskSettings::restore(config, given);
    }

    std::unique_ptr<QObject> show(Pipeline *pipeline, bool kioskMode) override
    {
        auto engine = std::make_unique<QQmlApplicationEngine>();
        KioskBackend::install(engine.get(), pipeline, kioskMode);
        engine->load(QUrl(QStringLiteral("qrc:/qt/qml/MjpegKiosk/Main.qml")));
        if (engine->rootObjects().isEmpty())
            return nullptr;
        if (auto *window = qobject_cast<QQuickWindow *>(engine->rootObjects().first()))
            WindowProbe::installFromEnvironment(window);
        return engine;
    }
};

#include "guiplugin.moc"
