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
        SourceOptions options = o;
        if (options.spec.startsWith(QLatin1String("opencv:")))
            options.spec.remove(0, int(qstrlen("opencv:")));
        return new OpenCvSource(options);
    }
};

#include "opencvplugin.moc"
