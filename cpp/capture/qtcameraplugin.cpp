#include "qtcamerasource.h"
#include "sourceplugin.h"

class QtCameraSourcePlugin
    : public QObject
    , public SourcePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KioskSourcePlugin_iid)
    Q_INTERFACES(SourcePlugin)
public:
    FrameSource *create(const SourceOptions &o) override { return new QtCameraSource(o); }
    QString describeDevices() const override { return QtCameraSource::describeDevices(); }
};

#include "qtcameraplugin.moc"
