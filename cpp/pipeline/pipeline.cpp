#include "pipeline.h"

#include <QFile>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcPipeline)

Pipeline::Pipeline(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<PoolStats>();
    QFile page(QStringLiteral(":/assets/index.html"));
    if (page.open(QIODevice::ReadOnly))
        m_server.setIndexHtml(page.readAll());
}

Pipeline::~Pipeline()
{
    stop();
}

bool Pipeline::start(const PipelineConfig &config)
{
    stop();
    m_config = config;
    m_errorString.clear();
    const QList<CameraConfig> cameras = config.cameraList();
    if (const QString why = CameraConfig::checkCameraList(cameras); !why.isEmpty()) {
        m_errorString = why;
        return false;
    }
    // The cameras first: the server's first answers (/status, /metrics) already have them all.
    for (const CameraConfig &camera : cameras) {
        if (!startCamera(camera, &m_errorString)) {
            stop();
            return false;
        }
    }
    if (!m_server.listen(config.server)) {
        m_errorString = m_server.errorString();
        stop();
        return false;
    }
    refreshCameras(); // their first frames may have come before the network threads
    emit camerasChanged();
    return true;
}

void Pipeline::stop()
{
    // The server stops first: no viewer waits on a camera going away.
    m_server.close();
    for (Camera *camera : std::as_const(m_cameras)) {
        CameraChannel *channel = camera->channel();
        delete camera; // stops its threads, which publish through its channel
        m_server.removeCamera(channel);
    }
    const bool had = !m_cameras.isEmpty();
    m_cameras.clear();
    if (had)
        emit camerasChanged();
}

Camera *Pipeline::startCamera(const CameraConfig &config, QString *error)
{
    CameraChannel *channel = m_server.addCamera(config.name);
    auto *camera = new Camera(channel, this);
    if (!camera->start(config, m_config.server.maxProfiles, error)) {
        delete camera;
        m_server.removeCamera(channel);
        return nullptr;
    }
    m_cameras.append(camera);
    return camera;
}

Camera *Pipeline::camera(const QString &name) const
{
    for (Camera *camera : m_cameras) {
        if (camera->name() == name)
            return camera;
    }
    return nullptr;
}

namespace {
QList<CameraConfig> configsOf(const QList<Camera *> &cameras)
{
    QList<CameraConfig> configs;
    for (const Camera *camera : cameras)
        configs << camera->config();
    return configs;
}
} // namespace

Camera *Pipeline::addCamera(const CameraConfig &config, QString *error)
{
    if (const QString why = CameraConfig::checkCameraList(configsOf(m_cameras) << config);
        !why.isEmpty()) {
        *error = why;
        return nullptr;
    }
    Camera *camera = startCamera(config, error);
    if (camera) {
        qCInfo(lcPipeline).noquote() << "camera" << config.name << "added:" << config.source;
        emit camerasChanged();
    }
    return camera;
}

bool Pipeline::removeCamera(const QString &name, QString *error)
{
    Camera *camera = this->camera(name);
    if (!camera) {
        *error = QStringLiteral("there is no camera '%1'").arg(name);
        return false;
    }
    if (m_cameras.size() == 1) {
        *error
            = QStringLiteral("'%1' is the only camera; add another before removing it").arg(name);
        return false;
    }
    m_cameras.removeOne(camera);
    CameraChannel *channel = camera->channel();
    delete camera;
    m_server.removeCamera(channel);
    qCInfo(lcPipeline).noquote() << "camera" << name << "removed";
    emit camerasChanged();
    return true;
}

bool Pipeline::renameCamera(const QString &from, const QString &to, QString *error)
{
    Camera *camera = this->camera(from);
    if (!camera) {
        *error = QStringLiteral("there is no camera '%1'").arg(from);
        return false;
    }
    QList<CameraConfig> configs = configsOf(m_cameras);
    configs[m_cameras.indexOf(camera)].name = to;
    if (const QString why = CameraConfig::checkCameraList(configs); !why.isEmpty()) {
        *error = why;
        return false;
    }
    camera->setName(to);
    m_server.renameCamera(camera->channel(), to);
    qCInfo(lcPipeline).noquote() << "camera" << from << "renamed to" << to;
    emit camerasChanged();
    return true;
}

PipelineConfig Pipeline::config() const
{
    PipelineConfig config = m_config;
    config.cameras = configsOf(m_cameras);
    if (!config.cameras.isEmpty())
        static_cast<CameraConfig &>(config) = config.cameras.first();
    if (config.cameras.size() == 1 && config.name == QLatin1String("main"))
        config.cameras.clear(); // the --source form
    return config;
}

void Pipeline::setProfileWidths(const QList<int> &widths)
{
    m_config.server.profileWidths = widths;
    for (Camera *camera : std::as_const(m_cameras))
        camera->channel()->profiles().setSettings({widths, m_config.server.maxProfiles});
}

bool Pipeline::setPort(quint16 port)
{
    if (port == m_config.server.port && m_server.isListening())
        return true;
    // From the server's live settings, not m_config.server: credentials set on the server at
    // run time must survive the move, and "where it was" is the port it really had (not 0).
    ServerConfig previous = m_config.server;
    if (m_server.isListening()) {
        previous = m_server.config();
        previous.port = quint16(m_server.port());
    }
    ServerConfig config = previous;
    config.port = port;
    const bool moved = m_server.listen(config);
    if (!moved) {
        m_errorString = m_server.errorString();
        m_server.listen(previous);
    }
    refreshCameras();
    if (moved)
        m_config.server = config;
    return moved;
}

void Pipeline::refreshCameras()
{
    // Listening anew, the server has no frame yet (/stream answers 503 until it has one), and an
    // idle encoder would not send one by itself.
    for (Camera *camera : std::as_const(m_cameras))
        camera->refreshLatest();
}

void Pipeline::setPassword(const QByteArray &password)
{
    m_config.server.password = password;
    m_server.setCredentials(m_config.server.user, password);
}
