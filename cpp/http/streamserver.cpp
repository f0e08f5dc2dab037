#include "streamserver.h"

#include "clientpool.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QThread>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHttp, "kiosk.http")

namespace {
constexpr int kStatusIntervalMs = 250;

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}
} // namespace

int ServerConfig::effectiveNetworkThreads() const
{
    if (networkThreads > 0)
        return networkThreads;
    return qBound(1, QThread::idealThreadCount(), 4);
}

// Accepts on the first network thread and hands each socket to a pool, round robin.
class Listener : public QTcpServer
{
public:
    Listener(int maxClients, std::atomic<int> &openConnections)
        : m_maxClients(maxClients)
        , m_openConnections(openConnections)
    {
    }
    // Before the listener moves to its thread and accepts anything.
    void setPools(QList<ClientPool *> pools) { m_pools = std::move(pools); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        const int fd = int(descriptor);
        setNonBlocking(fd);
        if (m_openConnections.load() >= m_maxClients) {
            refuse(fd);
            return;
        }
        ++m_openConnections;
        ClientPool *pool = m_pools[m_next];
        m_next = (m_next + 1) % m_pools.size();
        QMetaObject::invokeMethod(pool, [pool, fd] { pool->adopt(fd); }, Qt::QueuedConnection);
    }

private:
    void refuse(int fd)
    {
        if (!m_warned) {
            qCWarning(lcHttp) << "client limit reached:" << m_maxClients
                              << "connections; refusing more (--max-clients)";
            m_warned = true;
        }
        const HttpResponse response = RequestHandler::error(503, "too many clients",
                                                            {{"Retry-After", "10"}});
        const QByteArray bytes = response.head + response.body;
        // Fits in any fresh socket buffer, so it never blocks; if it does not go, too bad.
        [[maybe_unused]] const ssize_t n = ::send(fd, bytes.constData(), size_t(bytes.size()),
                                                  MSG_NOSIGNAL | MSG_DONTWAIT);
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
    }

    QList<ClientPool *> m_pools;
    int m_maxClients;
    std::atomic<int> &m_openConnections;
    int m_next = 0;
    bool m_warned = false;
};

StreamServer::StreamServer(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_status.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    connect(&m_statusTimer, &QTimer::timeout, this, &StreamServer::refreshStatus);
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
    m_handler = std::make_unique<RequestHandler>(m_indexHtml);

    // Bound here, so a busy port is reported synchronously; accepted on the first network thread.
    m_listener = new Listener(config.maxClients, m_openConnections);
    if (!m_listener->listen(config.host, config.port)) {
        m_errorString = QStringLiteral("cannot listen on %1 port %2: %3")
                            .arg(config.host.toString())
                            .arg(config.port)
                            .arg(m_listener->errorString());
        delete m_listener;
        m_listener = nullptr;
        emit listeningChanged();
        return false;
    }

    const int threads = config.effectiveNetworkThreads();
    QList<ClientPool *> pools;
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("net%1").arg(i));
        auto *pool = new ClientPool(i, config, *m_handler, m_openConnections);
        pool->setStreaming(m_running);
        pool->setCredentials(std::make_shared<const Credentials>(Credentials{config.user, config.password}));
        pool->moveToThread(thread);
        connect(thread, &QThread::finished, pool, &QObject::deleteLater);
        connect(pool, &ClientPool::statsReady, this, &StreamServer::onPoolStats);
        m_threads.append(thread);
        pools.append(pool);
    }
    m_listener->setPools(pools);
    m_port = m_listener->serverPort();
    m_listener->moveToThread(m_threads.first());
    connect(m_threads.first(), &QThread::finished, m_listener, &QObject::deleteLater);
    for (QThread *thread : std::as_const(m_threads))
        thread->start();
    {
        QMutexLocker lock(&m_poolsMutex);
        m_pools = pools;
    }
    m_poolStats = QList<PoolStats>(threads);
    m_listening = true;
    m_errorString.clear();
    m_statusTimer.start(kStatusIntervalMs);
    qCInfo(lcHttp).noquote() << "listening on" << config.host.toString() << "port" << m_port
                             << "with" << threads << "network thread(s)";
    emit listeningChanged();
    return true;
}

void StreamServer::close()
{
    if (!m_listening)
        return;
    {
        QMutexLocker lock(&m_poolsMutex);
        m_pools.clear();
    }
    m_statusTimer.stop();
    // Ask each pool, on its own thread, to close its connections; then stop the threads (the
    // pools and the listener are deleted there, on thread exit).
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
    }
    qDeleteAll(m_threads);
    m_threads.clear();
    m_listener = nullptr;
    m_listening = false;
    m_openConnections = 0;
    emit listeningChanged();
}

template<typename F>
void StreamServer::forEachPool(F &&f)
{
    QMutexLocker lock(&m_poolsMutex);
    for (ClientPool *pool : std::as_const(m_pools))
        QMetaObject::invokeMethod(pool, [pool, f] { f(pool); }, Qt::QueuedConnection);
}

void StreamServer::publishFrame(const Frame &frame)
{
    ++m_framesPublished;
    const StreamFrame streamFrame = StreamFrame::from(frame, m_zeroCopy.load());
    forEachPool([streamFrame](ClientPool *pool) { pool->publish(streamFrame); });
}

void StreamServer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    qCInfo(lcHttp) << "streaming switched" << (running ? "on" : "off");
    forEachPool([running](ClientPool *pool) { pool->setStreaming(running); });
    m_status.streaming = running;
    emit runningChanged();
}

void StreamServer::setCredentials(const QByteArray &user, const QByteArray &password)
{
    m_config.user = user;
    m_config.password = password;
    auto credentials = std::make_shared<const Credentials>(Credentials{user, password});
    forEachPool([credentials](ClientPool *pool) { pool->setCredentials(credentials); });
}

void StreamServer::setSourceInfo(const FrameSource::Info &info)
{
    m_sourceInfo = info;
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
            {QStringLiteral("bytesSent"), double(c.bytesSent)},
            {QStringLiteral("framesSent"), double(c.framesSent)},
            {QStringLiteral("framesDropped"), double(c.framesDropped)},
            {QStringLiteral("connectedSeconds"), (now - c.connectedSinceMs) / 1000.0},
        });
    }
    return list;
}

void StreamServer::onPoolStats(const PoolStats &stats)
{
    if (stats.pool >= 0 && stats.pool < m_poolStats.size())
        m_poolStats[stats.pool] = stats;
}

void StreamServer::refreshStatus()
{
    ServerStatus status;
    status.streaming = m_running;
    status.startedAtMs = m_status.startedAtMs;
    status.source = {m_sourceInfo.description, m_sourceInfo.online, m_sourceInfo.size.width(),
                     m_sourceInfo.size.height(), m_sourceInfo.fps, m_sourceInfo.format,
                     m_sourceInfo.error, m_sourceInfo.requestedSize.width(),
                     m_sourceInfo.requestedSize.height(), m_sourceInfo.requestedFps};
    status.privacy = m_privacy;
    for (const PoolStats &pool : std::as_const(m_poolStats)) {
        status.bytesTotal += pool.bytesSentTotal;
        status.connectionsTotal += pool.connectionsTotal;
        status.framesSent += pool.framesSentTotal;
        status.framesDropped += pool.framesDroppedTotal;
        status.connections += int(pool.clients.size());
        for (const ClientStats &client : pool.clients) {
            if (client.streaming)
                status.clients.append(client);
        }
    }
    status.framesPublished = m_framesPublished.load();
    if (m_encoder) {
        const JpegEncoder::Counters counters = m_encoder->counters();
        status.framesCaptured = counters.submitted;
        status.framesEncoded = counters.encoded;
        status.framesReplaced = counters.replaced;
        status.encodeMs = counters.lastEncodeUs / 1000.0;
        status.quality = m_encoder->quality();
        status.framesPassedThrough = counters.passedThrough;
        status.framesCorrupt = counters.corrupt;
        status.framesSameDropped = counters.sameDropped;
        const bool jpegSource = m_sourceInfo.format == QLatin1String("MJPEG");
        status.encoder = jpegSource && !m_encoder->reencodeJpeg() ? QStringLiteral("passthrough")
                                                                   : QStringLiteral("cpu");
    }

    // Rates over the last second.
    const qint64 now = m_clock.elapsed();
    m_samples.append({now, status.bytesTotal, status.framesPublished});
    while (m_samples.size() > 2 && now - m_samples[1].ms >= 1000)
        m_samples.removeFirst();
    const Sample &oldest = m_samples.first();
    if (now > oldest.ms) {
        const double seconds = (now - oldest.ms) / 1000.0;
        status.bytesPerSecond = (status.bytesTotal - oldest.bytes) / seconds;
        status.outputFps = (status.framesPublished - oldest.frames) / seconds;
    }

    m_status = status;
    auto shared = std::make_shared<const ServerStatus>(status);
    forEachPool([shared](ClientPool *pool) { pool->setStatus(shared); });
    emit statsChanged();
}
