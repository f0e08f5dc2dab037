#include "streamserver.h"

#include "clientpool.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <csignal>

Q_LOGGING_CATEGORY(lcHttp, "kiosk.http")

namespace {
constexpr int kStatusIntervalMs = 250;

} // namespace

StreamServer::StreamServer(QObject *parent)
    : QObject(parent)
{
    // sendfile() has no MSG_NOSIGNAL: a viewer that resets its connection mid-part would kill
    // the process with SIGPIPE. Every write here checks its result (EPIPE) instead.
    static const bool sigpipeIgnored = [] {
        ::signal(SIGPIPE, SIG_IGN);
        return true;
    }();
    Q_UNUSED(sigpipeIgnored);
    connect(&m_statusTimer, &QTimer::timeout, this, &StreamServer::refreshStatus);
    // Called on a network thread: the request crosses to this object's thread, to its camera.
    m_network.setControlSink(
        [this](int camera, quint64 id, const ControlValues &values, const QString &who) {
            QMetaObject::invokeMethod(
                this,
                [this, camera, id, values, who] {
                    for (CameraChannel *channel : std::as_const(m_cameras)) {
                        if (channel->id() == camera)
                            return channel->onControlsRequested(id, values, who);
                    }
                    m_network.answerControls(id, {}, QStringLiteral("the camera was removed"));
                },
                Qt::QueuedConnection);
        });
    connect(&m_network, &NetworkThreads::poolStats, this, [this](const PoolStats &stats) {
        for (CameraChannel *channel : std::as_const(m_cameras))
            channel->m_aggregator.setPoolStats(stats);
    });
}

StreamServer::~StreamServer()
{
    close();
    qDeleteAll(m_cameras);
}

void StreamServer::setIndexHtml(const QByteArray &html)
{
    m_indexHtml = html;
}

bool StreamServer::listen(const ServerConfig &config)
{
    close();
    m_config = config;
    m_zeroCopy = config.zeroCopy;
    for (CameraChannel *channel : std::as_const(m_cameras))
        channel->profiles().setSettings({config.profileWidths, config.maxProfiles});
    m_errorString.clear();
    if (!m_network.start(config, m_indexHtml, m_running, credentials())) {
        m_errorString = m_network.errorString();
        emit listeningChanged();
        return false;
    }
    for (CameraChannel *channel : std::as_const(m_cameras))
        channel->m_aggregator.resetPools(m_network.threadCount());
    m_listening = true;
    m_statusTimer.start(kStatusIntervalMs);
    emit listeningChanged();
    return true;
}

void StreamServer::close()
{
    if (!m_listening)
        return;
    m_network.stop();
    m_statusTimer.stop();
    m_listening = false;
    emit listeningChanged();
}

std::shared_ptr<const Credentials> StreamServer::credentials() const
{
    return std::make_shared<const Credentials>(
        Credentials{m_config.user, m_config.password, m_config.token});
}

CameraChannel *StreamServer::addCamera(const QString &name)
{
    auto *channel = new CameraChannel(this, m_nextCameraId++, name);
    channel->profiles().setSettings({m_config.profileWidths, m_config.maxProfiles});
    channel->m_aggregator.resetPools(m_listening ? m_network.threadCount() : 0);
    channel->m_aggregator.setKioskState(m_screen, m_controlsLocked);
    channel->m_status = channel->buildStatus(m_running);
    m_cameras.append(channel);
    refreshStatus(); // every camera's /status lists it
    emit camerasChanged();
    return channel;
}

void StreamServer::removeCamera(CameraChannel *camera)
{
    if (!m_cameras.removeOne(camera))
        return;
    refreshStatus(); // its viewers' streams end on their threads; they hold its feed till then
    delete camera;
    emit camerasChanged();
}

void StreamServer::renameCamera(CameraChannel *camera, const QString &name)
{
    if (!m_cameras.contains(camera) || camera->m_name == name)
        return;
    camera->m_name = name;
    emit camera->nameChanged();
    refreshStatus(); // the names in every camera's /status
    emit camerasChanged();
}

CameraChannel *StreamServer::camera(const QString &name) const
{
    for (CameraChannel *channel : m_cameras) {
        if (channel->name() == name)
            return channel;
    }
    return nullptr;
}

void StreamServer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    qCInfo(lcHttp) << "streaming switched" << (running ? "on" : "off");
    m_network.forEachPool([running](ClientPool *pool) { pool->setStreaming(running); });
    refreshStatus();
    emit runningChanged();
}

void StreamServer::setCredentials(const QByteArray &user, const QByteArray &password)
{
    m_config.user = user;
    m_config.password = password;
    m_network.forEachPool(
        [credentials = credentials()](ClientPool *pool) { pool->setCredentials(credentials); });
}

void StreamServer::setKioskState(const QString &screen, bool controlsLocked)
{
    m_screen = screen;
    m_controlsLocked = controlsLocked;
    for (CameraChannel *channel : std::as_const(m_cameras))
        channel->m_aggregator.setKioskState(screen, controlsLocked);
}

const ServerStatus &StreamServer::status() const
{
    static const ServerStatus none;
    return m_cameras.isEmpty() ? none : m_cameras.first()->status();
}

int StreamServer::clientCount() const
{
    return int(status().clients.size());
}

QVariantList StreamServer::clients() const
{
    QVariantList list;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const ClientStats &c : status().clients) {
        list.append(QVariantMap{
            {QStringLiteral("address"), c.address},
            {QStringLiteral("port"), c.port},
            {QStringLiteral("fps"), c.fps},
            {QStringLiteral("maxFps"), c.maxFps},
            {QStringLiteral("profile"), c.profile},
            {QStringLiteral("bytesSent"), double(c.bytesSent)},
            {QStringLiteral("framesSent"), double(c.framesSent)},
            {QStringLiteral("framesDropped"), double(c.framesDropped)},
            {QStringLiteral("connectedSeconds"), (now - c.connectedSinceMs) / 1000.0},
        });
    }
    return list;
}

void StreamServer::refreshStatus()
{
    QList<ServerStatus> built;
    QList<ServerStatus::CameraSummary> summaries;
    for (CameraChannel *channel : std::as_const(m_cameras)) {
        const ServerStatus &s = built.emplaceBack(channel->buildStatus(m_running));
        summaries.append({s.camera, s.source.online, s.privacy, s.streaming && s.cameraStreaming,
                          int(s.clients.size()), s.outputFps, s.source.width, s.source.height,
                          s.source.error});
    }
    for (qsizetype i = 0; i < m_cameras.size(); ++i) {
        built[i].cameras = summaries;
        m_cameras[i]->m_status = built[i];
    }
    publishRoutes();
    emit statsChanged();
}

void StreamServer::publishRoutes()
{
    auto routes = std::make_shared<CameraRoutes>();
    for (CameraChannel *channel : std::as_const(m_cameras)) {
        routes->cameras.append({channel->feed(), channel->name().toUtf8(), channel->isRunning(),
                                channel->controls(),
                                std::make_shared<const ServerStatus>(channel->status())});
    }
    routes->finish();
    m_network.setRoutes(std::move(routes));
}
