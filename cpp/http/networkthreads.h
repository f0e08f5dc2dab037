#pragma once

#include "clientpool.h"
#include "multipart.h"
#include "requesthandler.h"
#include "serverconfig.h"
#include "serverstatus.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class ClientPool;
class ConnectionGate;
class Listener;
class QThread;

// The network side of one listen(): a ClientPool on each network thread, the listeners (plain,
// and HTTPS when configured) accepting on the first of them, and what they share (the request
// handler, the admission gate, the count of open connections). Lives on the StreamServer's
// thread; offer() may be called from any.
class NetworkThreads : public QObject
{
    Q_OBJECT
public:
    explicit NetworkThreads(QObject *parent = nullptr);
    // The cameras as of now, to every pool now and from the next start().
    void setRoutes(std::shared_ptr<const CameraRoutes> routes);
    // Before start(): where the pools send admitted POST /controls requests.
    void setControlSink(ClientPool::ControlSink sink) { m_controlSink = std::move(sink); }
    // Any thread: the answer to the connection `id` (on its pool's thread).
    void answerControls(quint64 id, const CameraControls &controls, const QString &error);
    ~NetworkThreads() override;

    // Binds (so a busy port is reported here, synchronously) and starts the threads. False,
    // with errorString(), when it cannot listen.
    bool start(const ServerConfig &config, const QByteArray &indexHtml, bool streaming,
               std::shared_ptr<const Credentials> credentials);
    // Stops accepting, lets every connection finish cleanly for a short while (streams get
    // their closing delimiter), then stops the threads.
    void stop();
    QString errorString() const { return m_errorString; }
    int port() const { return m_port; }
    int tlsPort() const { return m_tlsPort; }
    int threadCount() const { return int(m_threads.size()); }

    // Any thread: the frame to every pool (each keeps only the newest one waiting).
    void offer(const StreamFrame &frame);
    // Runs f(pool) on each pool's thread.
    template<typename F> void forEachPool(F &&f);

signals:
    // A pool's figures, a few times a second (on this object's thread).
    void poolStats(const PoolStats &stats);

private:
    bool bindListeners(const ServerConfig &config);
    void startThreads(const ServerConfig &config, bool streaming,
                      const std::shared_ptr<const Credentials> &credentials);
    void waitForConnectionsToClose();

    QString m_errorString;
    int m_port = 0;
    int m_tlsPort = 0;
    std::unique_ptr<RequestHandler> m_handler;
    std::unique_ptr<ConnectionGate> m_gate;
    std::shared_ptr<const CameraRoutes> m_routes;
    ClientPool::ControlSink m_controlSink;
    std::atomic<int> m_openConnections{0};
    // Deleted on their threads when those finish.
    Listener *m_listener = nullptr;
    Listener *m_tlsListener = nullptr;
    QList<QThread *> m_threads;
    QMutex m_poolsMutex; // offer() runs on the encoder's thread
    QList<ClientPool *> m_pools;
};

template<typename F> void NetworkThreads::forEachPool(F &&f)
{
    QMutexLocker lock(&m_poolsMutex);
    for (ClientPool *pool : std::as_const(m_pools))
        QMetaObject::invokeMethod(
            pool, [pool, f] { f(pool); }, Qt::QueuedConnection);
}
