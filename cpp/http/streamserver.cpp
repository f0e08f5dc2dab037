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
    m_status = m_aggregator.build(m_running, 0);
    connect(&m_statusTimer, &QTimer::timeout, this, &StreamServer::refreshStatus);
    m_network.setDemand(&m_demand);
    m_network.setProfiles(&m_profiles);
    // Called on a network thread: the request crosses to this object's thread.
    m_network.setControlSink([this](quint64 id, const ControlValues &values, const QString &who) {
        QMetaObject::invokeMethod(
            this, [this, id, values, who] { onControlsRequested(id, values, who); },
            Qt::QueuedConnection);
    });
    connect(&m_network, &NetworkThreads::poolStats, this,
            [this](const PoolStats &stats) { m_aggregator.setPoolStats(stats); });
}

StreamServer::~StreamServer()
{
    close();
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
    m_profiles.setSettings({config.profileWidths, config.maxProfiles});
    m_errorString.clear();
    if (!m_network.start(config, m_indexHtml, m_running, credentials())) {
        m_errorString = m_network.errorString();
        emit listeningChanged();
        return false;
    }
    m_aggregator.resetPools(m_network.threadCount());
    m_listening = true;
    m_statusTimer.start(kStatusIntervalMs);
    if (m_controls)
        setControls(*m_controls); // to the new pools
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

void StreamServer::publishFrame(const Frame &frame)
{
    if (frame.profile() == 0) {
        ++m_framesPublished;
        // The size viewers get at full size (after rotation and crop): what profiles scale.
        if (frame.size() != m_fullSize) {
            m_fullSize = frame.size();
            m_profiles.setFullSize(frame.size());
        }
    }
    m_profiles.countEncode(frame.profile());
    m_network.offer(StreamFrame::from(frame, m_zeroCopy.load()));
}

void StreamServer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    qCInfo(lcHttp) << "streaming switched" << (running ? "on" : "off");
    m_network.forEachPool([running](ClientPool *pool) { pool->setStreaming(running); });
    m_status.streaming = running;
    emit runningChanged();
}

void StreamServer::setCredentials(const QByteArray &user, const QByteArray &password)
{
    m_config.user = user;
    m_config.password = password;
    m_network.forEachPool(
        [credentials = credentials()](ClientPool *pool) { pool->setCredentials(credentials); });
}

void StreamServer::setSourceInfo(const FrameSource::Info &info)
{
    // /status says "online" with the first frame after an outage, not up to a refresh later.
    const bool onlineChanged = m_aggregator.setSourceInfo(info);
    // Until the first frame says what viewers get, profiles are sized from what was asked for.
    if (m_profiles.fullSize().size.isEmpty() && !info.size.isEmpty())
        m_profiles.setFullSize(info.size);
    if (onlineChanged && m_statusTimer.isActive())
        refreshStatus();
}

int StreamServer::clientCount() const
{
    return int(m_status.clients.size());
}

QVariantList StreamServer::clients() const
{
    QVariantList list;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const ClientStats &c : m_status.clients) {
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
    m_aggregator.setProfiles(m_profiles.allowedSizes(), m_profiles.settings().maxLive,
                             m_profiles.all());
    m_status = m_aggregator.build(m_running, m_framesPublished.load());
    auto shared = std::make_shared<const ServerStatus>(m_status);
    m_network.forEachPool([shared](ClientPool *pool) { pool->setStatus(shared); });
    emit statsChanged();
}

namespace {
constexpr int kControlsTimeoutMs = 5000;

QString describe(const ControlValues &values)
{
    QStringList parts;
    for (const auto &[name, value] : values)
        parts << QStringLiteral("%1=%2").arg(name).arg(value);
    return parts.join(QLatin1Char(' '));
}
} // namespace

void StreamServer::setControls(const CameraControls &controls)
{
    auto shared = std::make_shared<const CameraControls>(controls);
    m_controls = shared;
    m_network.forEachPool([shared](ClientPool *pool) { pool->setControls(shared); });
}

void StreamServer::onControlsRequested(quint64 requestId, const ControlValues &values,
                                       const QString &who)
{
    m_pendingControls.insert(requestId, who + QLatin1String(" set ") + describe(values));
    QTimer::singleShot(kControlsTimeoutMs, this, [this, requestId] {
        if (!m_pendingControls.contains(requestId))
            return;
        qCWarning(lcHttp).noquote()
            << "controls:" << m_pendingControls.take(requestId) << "- the source did not answer";
        m_network.answerControls(requestId, m_controls ? *m_controls : CameraControls(),
                                 QStringLiteral("the source did not answer within 5 s"));
    });
    emit controlsRequested(requestId, values, who);
}

void StreamServer::answerControls(quint64 requestId, const CameraControls &controls,
                                  const QString &error)
{
    if (!m_pendingControls.contains(requestId))
        return;
    const QString what = m_pendingControls.take(requestId);
    if (error.isEmpty())
        qCInfo(lcHttp).noquote() << "controls:" << what;
    else
        qCWarning(lcHttp).noquote() << "controls:" << what << "-" << error;
    m_network.answerControls(requestId, controls, error);
}
