#include "sourcefactory.h"

#include "core/plugins.h"
#include "sourceplugin.h"
#include "testpatternsource.h"
#include "v4l2source.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutex>

Q_DECLARE_LOGGING_CATEGORY(lcSource)

namespace {
// Stands in for a source whose plugin is missing: offline, saying why, so that the kiosk
// still shows (and viewers still get) a "no signal" frame with the reason.
class UnavailableSource : public FrameSource
{
public:
    UnavailableSource(const QString &spec, const QString &why)
        : m_spec(spec)
        , m_why(why)
    { }

    void start() override
    {
        qCWarning(lcSource).noquote() << m_why;
        FrameSource::Info info(m_spec, false, {}, 0);
        info.error = m_why;
        setInfo(info);
    }
    void stop() override { }

private:
    QString m_spec;
    QString m_why;
};

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

FrameSource *createFrameSource(const SourceOptions &o, QString *error)
{
    const auto fromPlugin = [&o, error](const QString &name) -> FrameSource * {
        QString why;
        if (auto *plugin = loadKioskPlugin<SourcePlugin>(name, &why))
            return plugin->create(o);
        why = QStringLiteral("%1 needs the %2 plugin: %3").arg(o.spec, name, why);
        if (error)
            *error = why;
        return new UnavailableSource(o.spec, why);
    };
    const QString &spec = o.spec;
    if (spec.isEmpty() || spec == QLatin1String("test"))
        return new TestPatternSource(o.size, o.fps);
    if (spec.startsWith(QLatin1String("test:")))
        return new TestPatternSource(o.size, o.fps, spec.mid(5));
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon > 0 && !spec.mid(colon).startsWith(QLatin1String("://"))) {
        const QString scheme = spec.left(colon);
        if (scheme == QLatin1String("qt"))
            return fromPlugin(QStringLiteral("qtcamera"));
        if (scheme == QLatin1String("opencv"))
            return fromPlugin(QStringLiteral("opencv"));
        QMutexLocker lock(&schemes().mutex);
        const auto it = schemes().factories.constFind(scheme);
        if (it != schemes().factories.constEnd())
            return (*it)(o);
    }
    if (!V4l2Source::devicePath(spec).isEmpty())
        return new V4l2Source(o);
    return fromPlugin(QStringLiteral("opencv"));
}

QString describeSources()
{
    QString why;
    auto *qtCamera = loadKioskPlugin<SourcePlugin>(QStringLiteral("qtcamera"), &why);
    const QString qtCameraDevices
        = qtCamera ? qtCamera->describeDevices() : QStringLiteral("  (%1)\n").arg(why);
    return QStringLiteral("V4L2 cameras (--source /dev/videoN or N):\n")
        + V4l2Source::describeDevices()
        + QStringLiteral("Qt Multimedia cameras (--source qt:<id>):\n") + qtCameraDevices;
}
