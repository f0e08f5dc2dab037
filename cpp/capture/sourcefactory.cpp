#include "sourcefactory.h"

#include "opencvsource.h"
#include "qtcamerasource.h"
#include "testpatternsource.h"
#include "v4l2source.h"

#include <QHash>
#include <QMutex>

namespace {
struct Schemes
{
    QMutex mutex;
    QHash<QString, SourceFactory> factories;
};

Schemes &schemes()
{
    static Schemes s;
    return s;
}
} // namespace

void registerSourceScheme(const QString &scheme, SourceFactory factory)
{
    QMutexLocker lock(&schemes().mutex);
    schemes().factories.insert(scheme, std::move(factory));
}

FrameSource *createFrameSource(const SourceOptions &o)
{
    const QString &spec = o.spec;
    if (spec.isEmpty() || spec == QLatin1String("test"))
        return new TestPatternSource(o.size, o.fps);
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon > 0 && !spec.mid(colon).startsWith(QLatin1String("://"))) {
        const QString scheme = spec.left(colon);
        if (scheme == QLatin1String("qt"))
            return new QtCameraSource(spec, o.size, o.fps, o.preferJpeg, o.timeoutMs);
        if (scheme == QLatin1String("opencv"))
            return new OpenCvSource(spec.mid(colon + 1), o.size, o.fps, o.timeoutMs);
        QMutexLocker lock(&schemes().mutex);
        const auto it = schemes().factories.constFind(scheme);
        if (it != schemes().factories.constEnd())
            return (*it)(o);
    }
    if (!V4l2Source::devicePath(spec).isEmpty())
        return new V4l2Source(spec, o.size, o.fps, o.preferJpeg, o.timeoutMs);
    return new OpenCvSource(spec, o.size, o.fps, o.timeoutMs);
}

QString describeSources()
{
    return QStringLiteral("V4L2 cameras (--source /dev/videoN or N):\n")
        + V4l2Source::describeDevices()
        + QStringLiteral("Qt Multimedia cameras (--source qt:<id>):\n")
        + QtCameraSource::describeDevices();
}
