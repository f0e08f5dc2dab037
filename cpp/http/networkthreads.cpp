#include "networkthreads.h"

#include "clientpool.h"
#include "connectiongate.h"
#include "listener.h"
#include "tlsconfiguration.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSslConfiguration>
#include <QThread>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {
// How long stop() lets viewers receive the end of their stream before the threads stop.
constexpr int kShutdownGraceMs = 500;
} // namespace

NetworkThreads::NetworkThreads(QObject *parent)
    : QObject(parent)
{ }

NetworkThreads::~NetworkThreads()
{
    stop();
}

bool NetworkThreads::start(const ServerConfig &config, const QByteArray &indexHtml, bool streaming,
                           std::shared_ptr<const Credentials> credentials)
{
    stop();
    m_errorString.clear();
    m_handler = std::make_unique<RequestHandler>(indexHtml, config.allowOrigin);
    m_gate = std::make_unique<ConnectionGate>(config);
    if (!bindListeners(config))
        return false;
    startThreads(config, streaming, credentials);
    qCInfo(lcHttp).noquote() << "listening on" << config.host.toString() << "port" << m_port
                             << "with" << m_threads.size() << "network thread(s)";
    if (m_tlsListener)
        qCInfo(lcHttp).noquote() << "listening for HTTPS on" << config.host.toString() << "port"
                                 << m_tlsPort;
    return true;
}

bool NetworkThreads::bindListeners(const ServerConfig &config)
{
    auto listener
        = std::make_unique<Listener>(config.maxClients, m_openConnections, *m_gate, nullptr);
    if (!listener->start(config.host, config.port)) {
        m_errorString = QStringLiteral("cannot listen on %1 port %2: %3")
                            .arg(config.host.toString())
                            .arg(config.port)
                            .arg(listener->errorString());
        return false;
    }
    std::unique_ptr<Listener> tlsListener;
    if (!config.tlsCertificateFile.isEmpty() || !config.tlsKeyFile.isEmpty()) {
        const auto tls = loadTlsConfiguration(config, &m_errorString);
        if (!tls)
            return false;
        tlsListener
            = std::make_unique<Listener>(config.maxClients, m_openConnections, *m_gate, tls);
        if (!tlsListener->start(config.host, config.tlsPort)) {
            m_errorString = QStringLiteral("cannot listen for TLS on %1 port %2: %3")
                                .arg(config.host.toString())
                                .arg(config.tlsPort)
                                .arg(tlsListener->errorString());
            return false;
        }
    }
    m_port = listener->serverPort();
    m_tlsPort = tlsListener ? tlsListener->serverPort() : 0;
    m_listener = listener.release();
    m_tlsListener = tlsListener.release();
    return true;
}

void NetworkThreads::startThreads(const ServerConfig &config, bool streaming,
                                  const std::shared_ptr<const Credentials> &credentials)
{
    QList<ClientPool *> pools;
    for (int i = 0; i < config.effectiveNetworkThreads(); ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("net%1").arg(i));
        auto *pool = new ClientPool(i, config, *m_handler, m_openConnections, *m_gate);
        pool->setStreaming(streaming);
        if (m_routes)
            pool->setRoutes(m_routes);
        pool->setControlSink(m_controlSink);
        pool->setCredentials(credentials);
        pool->moveToThread(thread);
        connect(thread, &QThread::finished, pool, &QObject::deleteLater);
        connect(pool, &ClientPool::statsReady, this, &NetworkThreads::poolStats);
        m_threads.append(thread);
        pools.append(pool);
    }
    for (Listener *listener : {m_listener, m_tlsListener}) {
        if (!listener)
            continue;
        listener->setPools(pools);
        listener->moveToThread(m_threads.first());
        connect(m_threads.first(), &QThread::finished, listener, &QObject::deleteLater);
    }
    for (QThread *thread : std::as_const(m_threads))
        thread->start();
    QMutexLocker lock(&m_poolsMutex);
    m_pools = pools;
}

void NetworkThreads::stop()
{
    if (m_threads.isEmpty())
        return;
    for (Listener *listener : {m_listener, m_tlsListener}) {
        if (listener)
            QMetaObject::invokeMethod(
                listener, [listener] { listener->stop(); }, Qt::BlockingQueuedConnection);
    }
    forEachPool([](ClientPool *pool) { pool->beginShutdown(); });
    waitForConnectionsToClose();
    {
        QMutexLocker lock(&m_poolsMutex);
        m_pools.clear();
    }
    // The pools (which close what is left) and the listeners are deleted on their threads,
    // when those finish.
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
    m_handler.reset();
    m_openConnections = 0;
}

void NetworkThreads::waitForConnectionsToClose()
{
    QElapsedTimer grace;
    grace.start();
    while (m_openConnections.load() > 0 && grace.elapsed() < kShutdownGraceMs)
        QThread::msleep(10);
}

void NetworkThreads::offer(const StreamFrame &frame)
{
    QMutexLocker lock(&m_poolsMutex);
    for (ClientPool *pool : std::as_const(m_pools))
        pool->offer(frame);
}

void NetworkThreads::answerControls(quint64 id, const CameraControls &controls,
                                    const QString &error)
{
    // A connection's id carries its pool's index in the top bits (ClientPool::nextId()).
    const qsizetype index = qsizetype(id >> 48);
    QMutexLocker lock(&m_poolsMutex);
    if (index >= m_pools.size())
        return;
    ClientPool *pool = m_pools.at(index);
    QMetaObject::invokeMethod(
        pool, [pool, id, controls, error] { pool->answerControls(id, controls, error); },
        Qt::QueuedConnection);
}

void NetworkThreads::setRoutes(std::shared_ptr<const CameraRoutes> routes)
{
    m_routes = routes;
    forEachPool([routes](ClientPool *pool) { pool->setRoutes(routes); });
}
