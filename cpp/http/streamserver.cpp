#include "streamserver.h"

#include "clientpool.h"
#include "connectiongate.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHttp, "kiosk.http")

namespace {
constexpr int kStatusIntervalMs = 250;
// How long close() lets viewers receive the end of their stream before the threads stop.
constexpr int kShutdownGraceMs = 500;

} // namespace

int ServerConfig::effectiveNetworkThreads() const
{
    if (networkThreads > 0)
        return networkThreads;
    return qBound(1, QThread::idealThreadCount(), 4);
}

// Accepts on the first network thread and hands each socket to a pool, round robin. Admission
// (client limit, allow-list, per-address cap) is decided here, before any byte is read.
class Listener : public QTcpServer
{
public:
    Listener(int maxClients, std::atomic<int> &openConnections, ConnectionGate &gate,
             std::shared_ptr<const QSslConfiguration> tls)
        : m_maxClients(maxClients)
        , m_openConnections(openConnections)
        , m_gate(gate)
        , m_tls(std::move(tls))
    {
        m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    ~Listener() override
    {
        if (m_reserveFd >= 0)
            ::close(m_reserveFd);
    }

    // Binds and listens; accepting is ours, not QTcpServer's: on EMFILE Qt 6.4 retries accept()
    // at once, forever (a busy loop), where we pause and tell the waiting clients.
    bool start(const QHostAddress &host, quint16 port)
    {
        if (!listen(host, port))
            return false;
        pauseAccepting();
        m_notifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &Listener::acceptAll);
        return true;
    }
    // On the listener's thread.
    void stop()
    {
        delete m_notifier;
        m_notifier = nullptr;
        close();
    }
    // Before the listener moves to its thread and accepts anything.
    void setPools(QList<ClientPool *> pools) { m_pools = std::move(pools); }

private:
    void acceptAll()
    {
        for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
            const int fd = ::accept4(int(socketDescriptor()), nullptr, nullptr,
                                     SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd >= 0) {
                admit(fd);
                continue;
            }
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                outOfResources(errno);
            return;
        }
    }

    void admit(int fd)
    {
        if (m_outOfDescriptors) {
            if (std::exchange(m_episodeLogged, false))
                qCInfo(lcHttp) << "accepting connections again";
            m_outOfDescriptors = false;
        }
        if (m_openConnections.load() >= m_maxClients) {
            if (!std::exchange(m_warnedLimit, true))
                qCWarning(lcHttp) << "client limit reached:" << m_maxClients
                                  << "connections; refusing more (--max-clients)";
            refuse(fd, 503, "too many clients");
            return;
        }
        const QString address = ConnectionGate::peerAddress(fd);
        switch (m_gate.admit(address)) {
        case ConnectionGate::Verdict::Forbidden:
            qCDebug(lcHttp).noquote() << "refused" << address << "(not in --allow)";
            refuse(fd, 403, "your address is not allowed");
            return;
        case ConnectionGate::Verdict::TooManyFromAddress:
            if (!std::exchange(m_warnedPerAddress, true))
                qCWarning(lcHttp).noquote() << "too many connections from" << address
                                            << "- refusing more (--max-clients-per-address)";
            refuse(fd, 503, "too many connections from your address");
            return;
        case ConnectionGate::Verdict::Admit:
            break;
        }
        ++m_openConnections;
        ClientPool *pool = m_pools[m_next];
        m_next = (m_next + 1) % m_pools.size();
        if (m_tls) {
            QMetaObject::invokeMethod(
                pool, [pool, fd, tls = m_tls] { pool->adoptTls(fd, tls); }, Qt::QueuedConnection);
        } else {
            QMetaObject::invokeMethod(
                pool, [pool, fd] { pool->adopt(fd); }, Qt::QueuedConnection);
        }
    }

    static void refuse(int fd, int status, const QByteArray &reason)
    {
        HttpHeaders headers;
        if (status == 503)
            headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("10")));
        const HttpResponse response = RequestHandler::error(status, reason, headers);
        const QByteArray bytes = response.head + response.body;
        // Fits in any fresh socket buffer, so it never blocks; if it does not go, too bad.
        // (Over TLS the client sees a failed handshake instead of this text.)
        [[maybe_unused]] const ssize_t n
            = ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
    }

    void outOfResources(int error)
    {
        // Near the limit, descriptors come and go (per-frame part files, viewers leaving), so
        // episodes can follow each other quickly: say it once a minute at most.
        if (!m_outOfDescriptors
            && (!m_lastDescriptorWarning.isValid() || m_lastDescriptorWarning.elapsed() > 60000)) {
            m_lastDescriptorWarning.start();
            m_episodeLogged = true;
            qCWarning(lcHttp).noquote()
                << "cannot accept connections:" << strerror(error)
                << "- refusing new ones until descriptors are free (raise the open files limit, "
                   "ulimit -n, or lower --max-clients)";
        }
        m_outOfDescriptors = true;
        // With one descriptor set free, the waiting clients get an answer and a close rather
        // than hanging in the backlog; a few per round, the rest at the next round.
        if (m_reserveFd >= 0) {
            ::close(m_reserveFd);
            m_reserveFd = -1;
        }
        for (int i = 0; i < kRefusedPerRound; ++i) {
            const int fd = ::accept4(int(socketDescriptor()), nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                break;
            refuse(fd, 503, "server out of resources");
        }
        m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        // A pause, not a spin: accept() would fail at once again while nothing has closed.
        m_notifier->setEnabled(false);
        QTimer::singleShot(kResumeAfterErrorMs, this, [this] {
            if (m_notifier)
                m_notifier->setEnabled(true);
        });
    }

    static constexpr int kMaxAcceptsPerWake = 256;
    static constexpr int kRefusedPerRound = 64;
    static constexpr int kResumeAfterErrorMs = 200;
    QList<ClientPool *> m_pools;
    int m_maxClients;
    std::atomic<int> &m_openConnections;
    ConnectionGate &m_gate;
    std::shared_ptr<const QSslConfiguration> m_tls;
    QSocketNotifier *m_notifier = nullptr;
    int m_next = 0;
    int m_reserveFd = -1;
    bool m_warnedLimit = false;
    bool m_warnedPerAddress = false;
    bool m_outOfDescriptors = false;
    bool m_episodeLogged = false;
    QElapsedTimer m_lastDescriptorWarning;
};

namespace {
// The TLS configuration for --tls-cert/--tls-key; an error text when they cannot be used.
QString loadTls(const ServerConfig &config, std::shared_ptr<const QSslConfiguration> *out)
{
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("TLS is not available (no TLS backend for Qt Network)");
    QFile certFile(config.tlsCertificateFile);
    if (!certFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read TLS certificate %1: %2")
            .arg(config.tlsCertificateFile, certFile.errorString());
    const QList<QSslCertificate> chain = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
    if (chain.isEmpty())
        return QStringLiteral("no PEM certificate in %1").arg(config.tlsCertificateFile);
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read TLS key %1: %2")
            .arg(config.tlsKeyFile, keyFile.errorString());
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return QStringLiteral("no usable PEM private key (RSA or EC, unencrypted) in %1")
            .arg(config.tlsKeyFile);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // viewers have no client certificates
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    *out = std::make_shared<const QSslConfiguration>(tls);
    return {};
}
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
    m_errorString.clear();
    m_handler = std::make_unique<RequestHandler>(m_indexHtml, config.allowOrigin);
    m_gate = std::make_unique<ConnectionGate>(config);

    // Bound here, so a busy port is reported synchronously; accepted on the first network thread.
    m_listener = new Listener(config.maxClients, m_openConnections, *m_gate, nullptr);
    Listener *tlsListener = nullptr;
    const bool tls = !config.tlsCertificateFile.isEmpty() || !config.tlsKeyFile.isEmpty();
    std::shared_ptr<const QSslConfiguration> tlsConfig;
    if (!m_listener->start(config.host, config.port)) {
        m_errorString = QStringLiteral("cannot listen on %1 port %2: %3")
                            .arg(config.host.toString())
                            .arg(config.port)
                            .arg(m_listener->errorString());
    } else if (tls && (m_errorString = loadTls(config, &tlsConfig)).isEmpty()) {
        tlsListener = new Listener(config.maxClients, m_openConnections, *m_gate, tlsConfig);
        if (!tlsListener->start(config.host, config.tlsPort))
            m_errorString = QStringLiteral("cannot listen for TLS on %1 port %2: %3")
                                .arg(config.host.toString())
                                .arg(config.tlsPort)
                                .arg(tlsListener->errorString());
    }
    if (!m_errorString.isEmpty()) {
        delete tlsListener;
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
        auto *pool = new ClientPool(i, config, *m_handler, m_openConnections, *m_gate);
        pool->setStreaming(m_running);
        pool->setDemand(&m_demand);
        pool->setCredentials(std::make_shared<const Credentials>(
            Credentials{config.user, config.password, config.token}));
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
    m_tlsPort = 0;
    if (tlsListener) {
        tlsListener->setPools(pools);
        m_tlsPort = tlsListener->serverPort();
        tlsListener->moveToThread(m_threads.first());
        connect(m_threads.first(), &QThread::finished, tlsListener, &QObject::deleteLater);
        m_tlsListener = tlsListener;
    }
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
    if (tlsListener)
        qCInfo(lcHttp).noquote() << "listening for HTTPS on" << config.host.toString() << "port"
                                 << m_tlsPort;
    emit listeningChanged();
    return true;
}

void StreamServer::close()
{
    if (!m_listening)
        return;
    // Stop accepting, then let every connection finish cleanly (streams get their closing
    // delimiter) for a short while before the threads go.
    for (Listener *listener : {m_listener, m_tlsListener.data()}) {
        if (listener)
            QMetaObject::invokeMethod(
                listener, [listener] { listener->stop(); }, Qt::BlockingQueuedConnection);
    }
    forEachPool([](ClientPool *pool) { pool->beginShutdown(); });
    QElapsedTimer grace;
    grace.start();
    while (m_openConnections.load() > 0 && grace.elapsed() < kShutdownGraceMs)
        QThread::msleep(10);
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
    m_tlsListener = nullptr;
    m_tlsPort = 0;
    m_gate.reset();
    m_listening = false;
    m_openConnections = 0;
    emit listeningChanged();
}

template<typename F> void StreamServer::forEachPool(F &&f)
{
    QMutexLocker lock(&m_poolsMutex);
    for (ClientPool *pool : std::as_const(m_pools))
        QMetaObject::invokeMethod(
            pool, [pool, f] { f(pool); }, Qt::QueuedConnection);
}

void StreamServer::publishFrame(const Frame &frame)
{
    ++m_framesPublished;
    const StreamFrame streamFrame = StreamFrame::from(frame, m_zeroCopy.load());
    QMutexLocker lock(&m_poolsMutex);
    for (ClientPool *pool : std::as_const(m_pools))
        pool->offer(streamFrame);
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
    auto credentials
        = std::make_shared<const Credentials>(Credentials{user, password, m_config.token});
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
    status.source = {m_sourceInfo.description,
                     m_sourceInfo.online,
                     m_sourceInfo.size.width(),
                     m_sourceInfo.size.height(),
                     m_sourceInfo.fps,
                     m_sourceInfo.format,
                     m_sourceInfo.error,
                     m_sourceInfo.requestedSize.width(),
                     m_sourceInfo.requestedSize.height(),
                     m_sourceInfo.requestedFps};
    status.privacy = m_privacy;
    for (const PoolStats &pool : std::as_const(m_poolStats)) {
        status.bytesTotal += pool.bytesSentTotal;
        status.connectionsTotal += pool.connectionsTotal;
        status.framesSent += pool.framesSentTotal;
        status.framesDropped += pool.framesDroppedTotal;
        status.framesSkipped += pool.framesSkippedTotal;
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
        status.framesIdle = counters.idle;
        status.encoderIdle = counters.idleNow;
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
