#include "kiosksettings.h"

#include "pipeline/pipeline.h"

#include <QCameraDevice>
#include <QLoggingCategory>
#include <QMediaDevices>
#include <QSettings>

Q_LOGGING_CATEGORY(lcSettings, "kiosk.settings")

namespace {
const QString kSource = QStringLiteral("source");
const QString kResolution = QStringLiteral("resolution");
const QString kFps = QStringLiteral("fps");
const QString kQuality = QStringLiteral("quality");
const QString kPort = QStringLiteral("port");
const QString kPassword = QStringLiteral("password");

QString resolutionText(QSize size)
{
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

// One check per field, each PipelineConfig's; `config` gets the value when it is good.
QString parseField(const QString &field, const QString &text, PipelineConfig *config)
{
    if (field == kSource) {
        if (text.trimmed().isEmpty())
            return QStringLiteral("source must not be empty");
        config->source = text.trimmed();
        return {};
    }
    if (field == kResolution)
        return PipelineConfig::parseResolution(text, &config->resolution);
    if (field == kFps)
        return PipelineConfig::parseFps(text, &config->fps);
    if (field == kQuality)
        return PipelineConfig::parseQuality(text, &config->quality);
    if (field == kPort)
        return PipelineConfig::parsePort(text, &config->server.port);
    if (field == kPassword) {
        // Sent by browsers in a Basic auth header: keep it to printable ASCII.
        for (const QChar c : text) {
            if (c.unicode() < 0x20 || c.unicode() > 0x7e)
                return QStringLiteral("password may only hold printable ASCII characters");
        }
        config->server.password = text.toLatin1();
        return {};
    }
    return QStringLiteral("unknown setting '%1'").arg(field);
}
} // namespace

KioskSettings::KioskSettings(Pipeline *pipeline, QObject *parent)
    : QObject(parent)
    , m_pipeline(pipeline)
{
    auto *devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::videoInputsChanged, this, &KioskSettings::refreshSources);
    refreshSources();
}

void KioskSettings::refreshSources()
{
    QVariantList sources{QVariantMap{{QStringLiteral("spec"), QStringLiteral("test")},
                                     {QStringLiteral("name"), tr("Test pattern")}}};
    const QList<QCameraDevice> cameras = QMediaDevices::videoInputs();
    for (int i = 0; i < cameras.size(); ++i) {
        // V4L2 cameras are known by their device node, which V4l2Source opens directly.
        const QString id = QString::fromUtf8(cameras[i].id());
        const QString spec = id.startsWith(QLatin1String("/dev/")) ? id : QString::number(i);
        sources.append(QVariantMap{{QStringLiteral("spec"), spec},
                                   {QStringLiteral("name"), cameras[i].description()}});
    }
    m_sources = sources;
    emit sourcesChanged();
}

QString KioskSettings::source() const
{
    return m_pipeline->config().source;
}
QString KioskSettings::resolution() const
{
    return resolutionText(m_pipeline->config().resolution);
}
QString KioskSettings::fps() const
{
    return QString::number(m_pipeline->config().fps);
}
QString KioskSettings::quality() const
{
    return QString::number(m_pipeline->config().quality);
}
QString KioskSettings::port() const
{
    return QString::number(m_pipeline->server()->port());
}
QString KioskSettings::password() const
{
    return QString::fromLatin1(m_pipeline->config().server.password);
}
QString KioskSettings::user() const
{
    return QString::fromUtf8(m_pipeline->config().server.user);
}

QString KioskSettings::check(const QString &field, const QString &text) const
{
    PipelineConfig scratch;
    return parseField(field, text, &scratch);
}

QVariantMap KioskSettings::apply(const QVariantMap &values)
{
    const PipelineConfig current = m_pipeline->config();
    PipelineConfig wanted = current;
    QVariantMap errors;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const QString error = parseField(it.key(), it.value().toString(), &wanted);
        if (!error.isEmpty())
            errors.insert(it.key(), error);
    }
    if (!errors.isEmpty())
        return errors;

    QSettings settings;
    if (wanted.source != current.source || wanted.resolution != current.resolution
        || wanted.fps != current.fps) {
        m_pipeline->setSource(wanted.source, wanted.resolution, wanted.fps);
        settings.setValue(kSource, wanted.source);
        settings.setValue(kResolution, resolutionText(wanted.resolution));
        settings.setValue(kFps, wanted.fps);
    }
    if (wanted.quality != current.quality) {
        m_pipeline->setQuality(wanted.quality);
        settings.setValue(kQuality, wanted.quality);
    }
    if (wanted.server.password != current.server.password) {
        m_pipeline->setPassword(wanted.server.password);
        settings.setValue(kPassword, QString::fromLatin1(wanted.server.password));
    }
    if (values.contains(kPort) && wanted.server.port != m_pipeline->server()->port()) {
        if (m_pipeline->setPort(wanted.server.port))
            settings.setValue(kPort, wanted.server.port);
        else
            errors.insert(kPort, m_pipeline->errorString());
    }
    emit changed();
    return errors;
}

void KioskSettings::restore(PipelineConfig *config, const QStringList &given)
{
    QSettings settings;
    for (const QString &field : {kSource, kResolution, kFps, kQuality, kPort, kPassword}) {
        if (!settings.contains(field) || given.contains(field))
            continue;
        PipelineConfig candidate = *config;
        const QString error = parseField(field, settings.value(field).toString(), &candidate);
        if (error.isEmpty())
            *config = candidate;
        else
            qCWarning(lcSettings).noquote() << "ignoring saved" << field << "-" << error;
    }
}
