#include "opencvsource.h"
#include "sourceplugin.h"

class OpenCvSourcePlugin
    : public QObject
    , public SourcePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KioskSourcePlugin_iid)
    Q_INTERFACES(SourcePlugin)
public:
    FrameSource *create(const SourceOptions &o) override
    {
        QString spec = o.spec;
        if (spec.startsWith(QLatin1String("opencv:")))
            spec.remove(0, int(qstrlen("opencv:")));
        return new OpenCvSource(spec, o.size, o.fps, o.timeoutMs);
    }
};

#include "opencvplugin.moc"
