#pragma once

#include "framedemand.h"
#include "multipart.h"
#include "profileset.h"
#include "requesthandler.h"
#include "serverconfig.h"
#include "serverstatus.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

class Connection;
class ConnectionGate;
class QSocketNotifier;
class QSslConfiguration;

// The connections of one network thread, plain and TLS alike (Connection). Plain sockets are
// watched with one epoll set (edge triggered) whose descriptor sits in the thread's Qt event
// loop: waking costs O(ready sockets), not O(connections) as one QSocketNotifier per socket
// would with poll(). All methods run on the pool's thread; other threads reach it through
// queued invocations.
class ClientPool : public QObject
{
    Q_OBJECT
public:
    ClientPool(int index, const ServerConfig &config, const RequestHandler &handler,
               std::atomic<int> &openConnections, ConnectionGate &gate, QObject *parent = nullptr);
    ~ClientPool() override;

    void adopt(int fd);
    // An HTTPS connection: served through a QSslSocket on this thread (see TlsClient).
    void adoptTls(int fd, std::shared_ptr<const QSslConfiguration> tls);
    // Any thread: hands the pool a new frame. One slot, latest wins: a pool that is behind
    // (a saturated machine) sends the newest frame next and skips the ones in between, instead
    // of working through a queue of stale frames.
    void offer(const StreamFrame &frame);
    void setStreaming(bool on);
    void setStatus(std::shared_ptr<const ServerStatus> status);
    void setCredentials(std::shared_ptr<const Credentials> credentials);
    // Before the pool moves to its thread. Viewers hold it while they stream, /snapshot
    // requests while they wait for a fresh frame; with none (or no listener on it) /snapshot
    // answers with the newest frame at once.
    void setDemand(FrameDemand *demand) { m_demand = demand; }
    // The source's output profiles, before the pool moves to its thread; none: everyone gets
    // the full size.
    void setProfiles(ProfileSet *profiles) { m_profiles = profiles; }
    // Where admitted POST /controls requests go (any thread may be called; it must not block):
    // the connection's id, the values, who asked. Set before the pool moves to its thread.
    using ControlSink = std::function<void(quint64, const ControlValues &, const QString &)>;
    void setControlSink(ControlSink sink) { m_controlSink = std::move(sink); }
    void setControls(std::shared_ptr<const CameraControls> controls);
    // The source applied what the connection `id` asked for: its answer goes out.
    void answerControls(quint64 id, const CameraControls &controls, const QString &error);
    // Closes every connection (streams end with their closing delimiter where possible).
    void closeAll();
    // The server stops: streams end with their closing delimiter, idle connections close, a
    // response in flight is finished; the connections then close themselves.
    void beginShutdown();

    // For the connections. A /stream or /snapshot request gets its profile in *ticket, which
    // the connection keeps while it streams or waits.
    HttpResponse handle(const HttpRequest &request, ProfileSet::Ticket *ticket) const;
    // A viewer's hold on the demand for JPEGs of its profile, for as long as it streams.
    FrameDemand::Hold holdDemand(int profile = FrameDemand::kFullSize);
    // `response` said waitsForFrame(): the connection sends nothing until the pool hands it the
    // answer (Connection::answer()) when a fresh frame of its profile comes or the wait is over.
    void awaitFrame(quint64 id, const HttpRequest &request, qint64 afterUs,
                    ProfileSet::Ticket ticket);
    // `admitted` said setsControls: the connection sends nothing until answerControls().
    void requestControls(quint64 id, const HttpRequest &request, const HttpResponse &admitted);
    const ServerConfig &config() const { return m_config; }
    // The newest frame of a profile (null: none yet).
    StreamFrame latest(int profile = 0) const;
    qint64 nowMs() const;
    // Closes the connection once control is back in the event loop (a connection that finds
    // itself finished may be inside one of its socket's signals).
    void closeLater(quint64 id);

signals:
    void statsReady(const PoolStats &stats);

private:
    void takeOffered();
    // What the request handler needs to know, as of now, for a request getting `profile`.
    RequestHandler::State handlerState(const ProfileSet::Choice &profile = {}) const;
    void publish(const StreamFrame &frame);
    void onEvents();
    void sweep();
    void publishStats();
    void add(std::unique_ptr<Connection> connection);
    void close(quint64 id);
    // Closes the connections for which `keep` returns false.
    template<typename F> void closeUnless(F &&keep);
    // A /snapshot request waiting for a frame captured after it came.
    struct FrameWaiter
    {
        quint64 id = 0; // the connection's
        HttpRequest request;
        qint64 afterUs = 0;
        qint64 deadlineMs = 0;
        ProfileSet::Ticket ticket; // the profile it gets, kept live while it waits
        FrameDemand::Hold demand; // wakes the profile's encoder while it waits
    };
    void addWaiter(FrameWaiter waiter);
    // Answers the waiting /snapshot requests that can be answered now (all: `expireAll`).
    void answerWaiters(bool expireAll = false);
    void forgetWaiter(quint64 id);
    void armWaitTimer();
    qint64 frameWaitMs() const;

    int m_index;
    ServerConfig m_config;
    const RequestHandler &m_handler;
    std::atomic<int> &m_openConnections;
    ConnectionGate &m_gate;
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    // By id, which is never reused (a descriptor is, as soon as it is closed).
    std::unordered_map<quint64, std::unique_ptr<Connection>> m_connections;
    bool m_shuttingDown = false;
    std::unordered_map<int, StreamFrame> m_latest; // by profile
    // Who gets a new frame first changes from frame to frame: on a busy machine the last
    // sockets of a fixed order would always be the ones still busy when the next frame comes.
    std::vector<Connection *> m_publishOrder;
    QMutex m_offeredMutex;
    std::unordered_map<int, StreamFrame> m_offered; // by profile; guarded by m_offeredMutex
    bool m_offeredWaiting = false; // likewise; a takeOffered() is queued
    quint64 m_framesSkipped = 0; // offered frames replaced before this thread took them
    size_t m_publishStart = 0;
    bool m_streaming = true;
    std::shared_ptr<const ServerStatus> m_status;
    std::shared_ptr<const Credentials> m_credentials;
    FrameDemand *m_demand = nullptr;
    ProfileSet *m_profiles = nullptr;
    ControlSink m_controlSink;
    std::shared_ptr<const CameraControls> m_controls;
    std::unordered_map<quint64, HttpRequest> m_controlRequests; // by connection id
    std::vector<FrameWaiter> m_waiters;
    QTimer m_waitTimer; // the earliest waiter's deadline
    QTimer m_sweepTimer;
    QTimer m_statsTimer;
    QElapsedTimer m_sinceStats;
    quint64 nextId();
    quint64 m_nextId = 1;
    quint64 m_bytesOfClosed = 0;
    quint64 m_framesOfClosed = 0;
    quint64 m_droppedOfClosed = 0;
    quint64 m_connectionsTotal = 0;
};
