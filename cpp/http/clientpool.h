#pragma once

#include "cameraroutes.h"
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
    // The server's global switch: off ends every stream (each camera has its own in the routes).
    void setStreaming(bool on);
    void setCredentials(std::shared_ptr<const Credentials> credentials);
    // The cameras as of now (their feeds, switches, controls and figures). Streams of a camera
    // gone or switched off end.
    void setRoutes(std::shared_ptr<const CameraRoutes> routes);
    // Where admitted POST /controls requests go (any thread may be called; it must not block):
    // the camera's id, the connection's id, the values, who asked. Set before the pool moves to
    // its thread.
    using ControlSink
        = std::function<void(int camera, quint64 id, const ControlValues &, const QString &)>;
    void setControlSink(ControlSink sink) { m_controlSink = std::move(sink); }
    // The source applied what the connection `id` asked for: its answer goes out.
    void answerControls(quint64 id, const CameraControls &controls, const QString &error);
    // Closes every connection (streams end with their closing delimiter where possible).
    void closeAll();
    // The server stops: streams end with their closing delimiter, idle connections close, a
    // response in flight is finished; the connections then close themselves.
    void beginShutdown();

    // For the connections. `request` is rewritten to the path below /camera/NAME/ when it names
    // a camera; the camera it is for goes to *feed (kept by a connection while it streams or
    // waits, null for no camera) and a /stream or /snapshot request's profile to *ticket.
    HttpResponse handle(HttpRequest *request, ProfileSet::Ticket *ticket,
                        std::shared_ptr<CameraFeed> *feed) const;
    // `response` said waitsForFrame(): the connection sends nothing until the pool hands it the
    // answer (Connection::answer()) when a fresh frame of its profile comes or the wait is over.
    // `request` as handle() left it.
    void awaitFrame(quint64 id, const HttpRequest &request, qint64 afterUs,
                    ProfileSet::Ticket ticket, std::shared_ptr<CameraFeed> feed);
    // `admitted` said setsControls: the connection sends nothing until answerControls().
    void requestControls(quint64 id, int camera, const HttpRequest &request,
                         const HttpResponse &admitted);
    const ServerConfig &config() const { return m_config; }
    // The newest frame of a camera's profile (null: none yet).
    StreamFrame latest(int camera, int profile = 0) const;
    qint64 nowMs() const;
    // Closes the connection once control is back in the event loop (a connection that finds
    // itself finished may be inside one of its socket's signals).
    void closeLater(quint64 id);

signals:
    void statsReady(const PoolStats &stats);

private:
    void takeOffered();
    // What the request handler needs to know, as of now, for a request to `camera` (null: no
    // camera) getting `profile`.
    RequestHandler::State handlerState(const CameraRoute *camera,
                                       const ProfileSet::Choice &profile = {}) const;
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
        std::shared_ptr<CameraFeed> feed; // the camera it waits for (before what it holds)
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
    // By camera and profile (streamKey()).
    static quint64 streamKey(int camera, int profile)
    {
        return (quint64(quint32(camera)) << 32) | quint32(profile);
    }
    std::unordered_map<quint64, StreamFrame> m_latest;
    // Who gets a new frame first changes from frame to frame: on a busy machine the last
    // sockets of a fixed order would always be the ones still busy when the next frame comes.
    std::vector<Connection *> m_publishOrder;
    QMutex m_offeredMutex;
    std::unordered_map<quint64, StreamFrame> m_offered; // by streamKey(); guarded as above
    bool m_offeredWaiting = false; // likewise; a takeOffered() is queued
    quint64 m_framesSkipped = 0; // offered frames replaced before this thread took them
    size_t m_publishStart = 0;
    bool m_streaming = true;
    std::shared_ptr<const Credentials> m_credentials;
    std::shared_ptr<const CameraRoutes> m_routes;
    ControlSink m_controlSink;
    std::unordered_map<quint64, HttpRequest> m_controlRequests; // by connection id
    std::vector<FrameWaiter> m_waiters;
    QTimer m_waitTimer; // the earliest waiter's deadline
    QTimer m_sweepTimer;
    QTimer m_statsTimer;
    QElapsedTimer m_sinceStats;
    quint64 nextId();
    quint64 m_nextId = 1;
    QHash<int, CameraTotals> m_sentByClosed; // by camera id
    quint64 m_connectionsTotal = 0;
};
