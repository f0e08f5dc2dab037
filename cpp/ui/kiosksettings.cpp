#include "kiosksettings.h"

#include "pipeline/optiontable.h"
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
const QString kProfiles = QStringLiteral("profiles");
const QString kPort = QStringLiteral("port");
const QString kPassword = QStringLiteral("password");
const QString kRotate = QStringLiteral("rotate");
const QString kFlip = QStringLiteral("flip");
const QString kCrop = QStringLiteral("crop");
const QString kAdminPin = QStringLiteral("admin-pin");
const QString kLockAfter = QStringLiteral("lock-after");
const QString kDimAfter = QStringLiteral("screen-dim-after");
const QString kOffAfter = QStringLiteral("screen-off-after");
const QString kSchedule = QStringLiteral("screen-schedule");
const QString kScreenRotation = QStringLiteral("screen-rotation");
// The saved cameras: an array of groups holding "name" and the perCamera rows by name.
const QString kCameras = QStringLiteral("cameras");
const QString kCameraName = QStringLiteral("camera-name"); // a new name on the Cameras page
const QString kName = QStringLiteral("name");
// The live state of a camera (the Privacy button), not a setting: not saved with it.
const QString kPrivacy = QStringLiteral("privacy");
// The screen's own fields, handed on together (kioskChanged).
const QStringList kKioskFields{
    kAdminPin, kLockAfter, kDimAfter, kOffAfter, kSchedule, kScreenRotation,
};

// The panel's fields are the option table's rows marked for it, so the panel checks a value
// exactly as the command line and the config file do.
const OptionSpec *panelRow(const QString &field)
{
    const OptionSpec *row = OptionTable::find(field);
    return row && row->inSettingsPanel ? row : nullptr;
}

QString parseField(const QString &field, const QString &text, PipelineConfig *config)
{
    if (const OptionSpec *row = panelRow(field))
        return row->apply(text, config);
    return QStringLiteral("unknown setting '%1'").arg(field);
}

// `field` of `config` as the panel shows it and as it is saved.
QString textOf(const PipelineConfig &config, const QString &field)
{
    return panelRow(field)->read(config);
}

// Whether the command line (or config file) set `field`, itself or through an option that
// stands for it (--password-file for password, --admin-pin-file for admin-pin).
bool givenAs(const QString &field, const QStringList &given)
{
    if (given.contains(field))
        return true;
    for (const OptionSpec &row : OptionTable::rows()) {
        if (row.excludes == field && given.contains(row.name))
            return true;
    }
    return false;
}

// Numbers (rows with a range) are saved as numbers, as the panel always has.
void save(QSettings &settings, const PipelineConfig &config, const QString &field)
{
    const QString text = textOf(config, field);
    bool whole = false;
    const int number = text.toInt(&whole);
    if (!panelRow(field)->minimum)
        settings.setValue(field, text);
    else
        settings.setValue(field, whole ? QVariant(number) : QVariant(text.toDouble()));
}
} // namespace

KioskSettings::KioskSettings(Pipeline *pipeline, QObject *parent)
    : QObject(parent)
    , m_pipeline(pipeline)
{
    connect(pipeline, &Pipeline::camerasChanged, this, &KioskSettings::camerasChanged);
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
    return textOf(config(), kSource);
}
QString KioskSettings::resolution() const
{
    return textOf(config(), kResolution);
}
QString KioskSettings::fps() const
{
    return textOf(config(), kFps);
}
QString KioskSettings::quality() const
{
    return textOf(config(), kQuality);
}

QString KioskSettings::profiles() const
{
    return textOf(config(), kProfiles);
}
QString KioskSettings::rotate() const
{
    return textOf(config(), kRotate);
}
QString KioskSettings::flip() const
{
    return textOf(config(), kFlip);
}
QString KioskSettings::crop() const
{
    return textOf(config(), kCrop);
}
QString KioskSettings::port() const
{
    return QString::number(m_pipeline->server()->port());
}
QString KioskSettings::password() const
{
    return textOf(config(), kPassword);
}
QString KioskSettings::user() const
{
    return QString::fromUtf8(m_pipeline->config().server.user);
}

QString KioskSettings::lockAfter() const
{
    return textOf(config(), kLockAfter);
}
QString KioskSettings::screenDimAfter() const
{
    return textOf(config(), kDimAfter);
}
QString KioskSettings::screenOffAfter() const
{
    return textOf(config(), kOffAfter);
}
QString KioskSettings::screenSchedule() const
{
    return textOf(config(), kSchedule);
}
QString KioskSettings::screenRotation() const
{
    return textOf(config(), kScreenRotation);
}

QString KioskSettings::check(const QString &field, const QString &text) const
{
    if (field == kCameraName)
        return checkCameraName(text);
    PipelineConfig scratch;
    return parseField(field, text, &scratch);
}

QString KioskSettings::range(const QString &field) const
{
    const OptionSpec *row = panelRow(field);
    if (!row || !row->minimum || !row->maximum)
        return {};
    return QStringLiteral("%1\u2013%2").arg(*row->minimum).arg(*row->maximum);
}

Camera *KioskSettings::camera() const
{
    return m_camera ? m_camera.data() : m_pipeline->camera();
}

void KioskSettings::setCamera(Camera *camera)
{
    if (m_camera == camera)
        return;
    m_camera = camera;
    emit changed(); // the camera's own fields show its values
}

PipelineConfig KioskSettings::config() const
{
    PipelineConfig config = m_pipeline->config();
    if (const Camera *shown = camera())
        static_cast<CameraConfig &>(config) = shown->config();
    return config;
}

QVariantMap KioskSettings::apply(const QVariantMap &values)
{
    const PipelineConfig current = config();
    Camera *target = camera();
    // The first camera's fields are saved as the top level's (the --source form); another
    // camera's go with the saved camera list (saveCameras()).
    const bool first = target == m_pipeline->camera();
    PipelineConfig wanted = current;
    QVariantMap errors;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const QString error = parseField(it.key(), it.value().toString(), &wanted);
        if (!error.isEmpty())
            errors.insert(it.key(), error);
    }
    // A crop must fit the (rotated) resolution, as on the command line.
    if (const QString error = OptionTable::checkTogether(wanted);
        errors.isEmpty() && !error.isEmpty())
        errors.insert(kCrop, error);
    if (!errors.isEmpty())
        return errors;

    QSettings settings;
    bool cameraChanged = false;
    if (wanted.source != current.source || wanted.resolution != current.resolution
        || wanted.fps != current.fps) {
        target->setSource(wanted.source, wanted.resolution, wanted.fps);
        for (const QString &field : {kSource, kResolution, kFps}) {
            if (first)
                save(settings, wanted, field);
        }
        cameraChanged = true;
    }
    if (wanted.quality != current.quality) {
        target->setQuality(wanted.quality);
        if (first)
            save(settings, wanted, kQuality);
        cameraChanged = true;
    }
    if (wanted.server.profileWidths != current.server.profileWidths) {
        m_pipeline->setProfileWidths(wanted.server.profileWidths);
        save(settings, wanted, kProfiles);
    }
    if (wanted.transform != current.transform) {
        target->setTransform(wanted.transform);
        for (const QString &field : {kRotate, kFlip, kCrop}) {
            if (first)
                save(settings, wanted, field);
        }
        cameraChanged = true;
    }
    if (wanted.server.password != current.server.password) {
        m_pipeline->setPassword(wanted.server.password);
        save(settings, wanted, kPassword);
    }
    if (applyKiosk(current, wanted, settings))
        emit kioskChanged(wanted.kiosk);
    // The saved cameras' settings are the first camera's unless their own: kept in step.
    if (settings.contains(kCameras + QStringLiteral("/size")) || (cameraChanged && !first))
        saveCameras();
    if (values.contains(kPort) && wanted.server.port != m_pipeline->server()->port()) {
        if (m_pipeline->setPort(wanted.server.port))
            save(settings, wanted, kPort);
        else
            errors.insert(kPort, m_pipeline->errorString());
    }
    emit changed();
    return errors;
}

bool KioskSettings::applyKiosk(const PipelineConfig &current, const PipelineConfig &wanted,
                               QSettings &settings)
{
    bool any = false;
    for (const QString &field : kKioskFields) {
        if (textOf(wanted, field) == textOf(current, field))
            continue;
        save(settings, wanted, field);
        any = true;
    }
    if (any)
        m_pipeline->setKiosk(wanted.kiosk);
    return any;
}

QVariantList KioskSettings::cameras() const
{
    QVariantList list;
    for (const Camera *camera : m_pipeline->cameras())
        list.append(QVariantMap{{kName, camera->name()}, {kSource, camera->config().source}});
    return list;
}

QString KioskSettings::checkCameraName(const QString &name) const
{
    if (const QString error = CameraConfig::checkCameraName(name); !error.isEmpty())
        return error;
    if (m_pipeline->camera(name))
        return tr("a camera is named '%1' already").arg(name);
    return {};
}

QString KioskSettings::addCamera(const QString &name, const QString &source)
{
    CameraConfig camera = m_pipeline->config(); // the first camera's settings
    camera.name = name.trimmed();
    camera.privacy = false;
    if (const QString error = OptionTable::applyToCamera(*panelRow(kSource), source, &camera);
        !error.isEmpty())
        return error;
    QString error;
    if (!m_pipeline->addCamera(camera, &error))
        return error;
    saveCameras();
    return {};
}

QString KioskSettings::renameCamera(const QString &from, const QString &to)
{
    QString error;
    if (!m_pipeline->renameCamera(from, to.trimmed(), &error))
        return error;
    saveCameras();
    return {};
}

QString KioskSettings::removeCamera(const QString &name)
{
    QString error;
    if (!m_pipeline->removeCamera(name, &error))
        return error;
    saveCameras();
    return {};
}

void KioskSettings::saveCameras()
{
    const PipelineConfig first = m_pipeline->config();
    QSettings settings;
    settings.remove(kCameras);
    settings.beginWriteArray(kCameras, m_pipeline->cameraCount());
    for (int i = 0; i < m_pipeline->cameraCount(); ++i) {
        settings.setArrayIndex(i);
        const CameraConfig &camera = m_pipeline->camera(i)->config();
        settings.setValue(kName, camera.name);
        for (const OptionSpec &row : OptionTable::rows()) {
            if (!row.perCamera || row.name == kPrivacy)
                continue;
            const QString value = OptionTable::readCamera(row, camera);
            if (row.name == kSource || value != OptionTable::readCamera(row, first))
                settings.setValue(row.name, value);
        }
    }
    settings.endArray();
}

void KioskSettings::restoreCameras(PipelineConfig *config, const QStringList &given)
{
    if (!config->cameras.isEmpty() || givenAs(kSource, given))
        return; // the command line's or the file's cameras (--camera stands for --source)
    QSettings settings;
    QList<CameraConfig> cameras;
    QString error;
    const int count = settings.beginReadArray(kCameras);
    for (int i = 0; i < count && error.isEmpty(); ++i) {
        settings.setArrayIndex(i);
        CameraConfig base = *config;
        base.name = settings.value(kName).toString();
        OptionTable::CameraValues own;
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.perCamera && settings.contains(row.name))
                own.insert(row.name, {settings.value(row.name).toString()});
        }
        CameraConfig camera;
        error = OptionTable::cameraWith(base, own, &camera);
        cameras.append(camera);
    }
    settings.endArray();
    if (error.isEmpty())
        error = CameraConfig::checkCameraList(cameras);
    if (!error.isEmpty())
        qCWarning(lcSettings).noquote() << "ignoring the saved cameras -" << error;
    else if (!cameras.isEmpty())
        config->cameras = cameras;
}

void KioskSettings::restore(PipelineConfig *config, const QStringList &given)
{
    QSettings settings;
    for (const OptionSpec &row : OptionTable::rows()) {
        const QString &field = row.name;
        if (!row.inSettingsPanel || !settings.contains(field) || givenAs(field, given))
            continue;
        PipelineConfig candidate = *config;
        const QString error = parseField(field, settings.value(field).toString(), &candidate);
        if (error.isEmpty())
            *config = candidate;
        else
            qCWarning(lcSettings).noquote() << "ignoring saved" << field << "-" << error;
    }
    restoreCameras(config, given);
}
