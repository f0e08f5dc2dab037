#include "clientpool.h"

#include "connectiongate.h"
#include "mjpegclient.h"
#include "tlsclient.h"

#include "core/clock.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {
constexpr int kMaxEventsPerWait = 256;
constexpr int kStatsIntervalMs = 250;
constexpr int kSweepIntervalMs = 500;
// The least a /snapshot waits for a fresh frame before it is answered 503.
constexpr qint64 kMinFrameWaitMs = 2000;

} // namespace

ClientPool::ClientPool(int index, const ServerConfig &config, const RequestHandler &handler,
                       std::atomic<int> &openConnections, ConnectionGate &gate, QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_config(config)
    , m_handler(handler)
    , m_openConnections(openConnections)
    , m_gate(gate)
    , m_waitTimer(this)
    , m_sweepTimer(this)
    , m_statsTimer(this)
{
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] { answerWaiters(); });
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0)
        qFatal("epoll_create1 failed: %s", strerror(errno));
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ClientPool::onEvents);
    connect(&m_sweepTimer, &QTimer::timeout, this, &ClientPool::sweep);
    connect(&m_statsTimer, &QTimer::timeout, this, &ClientPool::publishStats);
    m_sweepTimer.start(kSweepIntervalMs);
    m_statsTimer.start(kStatsIntervalMs);
    m_sinceStats.start();
}

ClientPool::~ClientPool()
{
    closeAll();
    ::close(m_epoll);
}

qint64 ClientPool::nowMs() const
{
    return monotonicUs() / 1000;
}

HttpResponse ClientPool::handle(HttpRequest *request, ProfileSet::Ticket *ticket,
                                std::shared_ptr<CameraFeed> *feed) const
{
    // Error answers close the connection, so a request arriving during shutdown is the last.
    if (m_shuttingDown)
        return RequestHandler::error(503, "the server is shutting down");
    ticket->reset();
    feed->reset();
    const CameraRoute *camera = nullptr;
    const auto match = m_routes ? m_routes->resolve(request, &camera) : CameraRoutes::Match::Plain;
    // Asked here as well as by the handler: the cameras' names are for those who may watch
    // them, and a refused request must not claim a profile (make it live).
    const auto refused = RequestHandler::unauthorized(*request, m_credentials.get());
    if (refused
        && (match == CameraRoutes::Match::Unknown || match == CameraRoutes::Match::NeedsSlash))
        return *refused;
    switch (match) {
    case CameraRoutes::Match::Unknown:
        return RequestHandler::error(404,
                                     "no camera '"
                                         + request->path.mid(8).split('/').first().left(100)
                                         + "' (cameras: " + m_routes->names() + ')');
    case CameraRoutes::Match::NeedsSlash:
        // The page's relative URLs ("stream", "status") resolve below the camera's folder.
        return RequestHandler::redirect(camera->name + '/');
    case CameraRoutes::Match::Plain:
    case CameraRoutes::Match::Camera:
        break;
    }
    ProfileSet::Choice profile;
    QByteArray allowed;
    if (camera) {
        *feed = camera->feed;
        const auto wanted = refused ? std::nullopt : RequestHandler::profileWanted(*request);
        if (wanted) {
            *ticket = camera->feed->profiles.acquire(*wanted);
            allowed = camera->feed->profiles.describeAllowed();
        }
        profile = ticket->choice();
    }
    RequestHandler::State state = handlerState(camera, profile);
    state.profilesAllowed = allowed;
    // Snapshots are fresh only where an encoder can be woken for them.
    if (camera && camera->feed->demand.hasListener())
        state.freshAfterUs = wallClockUs();
    return m_handler.handle(*request, state);
}

StreamFrame ClientPool::latest(int camera, int profile) const
{
    const auto it = m_latest.find(streamKey(camera, profile));
    if (it == m_latest.end())
        return StreamFrame();
    // A profile nobody watched for a while keeps its last frame, which may show what viewers
    // must no longer see (the camera before privacy was switched on). The full size's newest is
    // renewed whenever that matters (Camera::refreshLatest()): a profile's older than it is
    // not shown; its viewers wait for a fresh one instead.
    if (profile != 0) {
        const auto full = m_latest.find(streamKey(camera, 0));
        if (full != m_latest.end() && it->second.frame.sequence() < full->second.frame.sequence())
            return StreamFrame();
    }
    return it->second;
}

qint64 ClientPool::frameWaitMs() const
{
    // The next frame normally comes within a frame interval plus an encode; a busy machine or a
    // slow source gets some slack before the request is given up.
    // The slowest camera's rate: a waiter may be for any.
    double fps = 0;
    if (m_routes) {
        for (const CameraRoute &route : m_routes->cameras) {
            const double cameraFps = route.status ? route.status->source.fps : 0;
            fps = fps == 0 ? cameraFps : qMin(fps, cameraFps > 0 ? cameraFps : fps);
        }
    }
    const qint64 intervalMs = fps > 0 ? qint64(1000 / fps) : 1000;
    return qMax<qint64>(kMinFrameWaitMs, 3 * intervalMs);
}

void ClientPool::awaitFrame(quint64 id, const HttpRequest &request, qint64 afterUs,
                            ProfileSet::Ticket ticket, std::shared_ptr<CameraFeed> feed)
{
    FrameWaiter waiter;
    waiter.id = id;
    waiter.request = request;
    waiter.afterUs = afterUs;
    waiter.feed = std::move(feed);
    waiter.ticket = std::move(ticket);
    addWaiter(std::move(waiter));
}

void ClientPool::addWaiter(FrameWaiter waiter)
{
    waiter.deadlineMs = nowMs() + frameWaitMs();
    if (waiter.feed)
        waiter.demand = waiter.feed->demand.hold(waiter.ticket.id());
    m_waiters.push_back(std::move(waiter));
    armWaitTimer();
}

void ClientPool::armWaitTimer()
{
    if (m_waiters.empty()) {
        m_waitTimer.stop();
        return;
    }
    qint64 earliest = m_waiters.front().deadlineMs;
    for (const FrameWaiter &w : m_waiters)
        earliest = qMin(earliest, w.deadlineMs);
    m_waitTimer.start(int(qBound(qint64(0), earliest - nowMs(), qint64(60000))));
}

void ClientPool::answerWaiters(bool expireAll)
{
    if (m_waiters.empty())
        return;
    const qint64 now = nowMs();
    std::vector<std::pair<FrameWaiter, HttpResponse>> ready;
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        const CameraRoute *camera = it->feed && m_routes ? m_routes->byId(it->feed->id) : nullptr;
        RequestHandler::State state = handlerState(camera, it->ticket.choice());
        state.freshAfterUs = it->afterUs;
        state.freshWaitExpired = expireAll || now >= it->deadlineMs;
        HttpResponse response = m_shuttingDown
            ? RequestHandler::error(503, "the server is shutting down")
            : !camera ? RequestHandler::error(404, "the camera was removed")
                      : m_handler.handle(it->request, state);
        if (response.waitsForFrame()) {
            ++it;
            continue;
        }
        ready.emplace_back(std::move(*it), std::move(response));
        it = m_waiters.erase(it);
    }
    // Answered once the list is settled: an answer may close its client, or go on with the
    // client's next (pipelined) request, which may wait in turn.
    for (auto &[waiter, response] : ready) {
        // The connection takes the ticket (and, streaming, a hold of its own) before the
        // waiter's hold goes: a profile's encoder does not idle in between.
        const auto it = m_connections.find(waiter.id);
        if (it != m_connections.end()
            && !it->second->answer(response, nowMs(), std::move(waiter.ticket), waiter.feed))
            close(waiter.id);
    }
    armWaitTimer();
}

void ClientPool::forgetWaiter(quint64 id)
{
    const auto gone = [id](const FrameWaiter &w) { return w.id == id; };
    m_waiters.erase(std::remove_if(m_waiters.begin(), m_waiters.end(), gone), m_waiters.end());
}

quint64 ClientPool::nextId()
{
    // Unique across the whole server, not only this thread: the pool's index in the top bits.
    return (quint64(m_index) << 48) | m_nextId++;
}

void ClientPool::adopt(int fd)
{
    const int one = 1;
    // Small parts (headers, the trailing CRLF) must not wait for the peer's delayed ACK.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_config.clientBufferBytes > 0) {
        // Caps what the kernel holds for a slow viewer (it doubles the value for bookkeeping).
        const int bytes = m_config.clientBufferBytes;
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    }
    quint16 port = 0;
    const QString address = ConnectionGate::peerAddress(fd, &port);
    auto client = std::make_unique<MjpegClient>(*this, fd, nextId(), address, port, nowMs());
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = client->id();
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        qCWarning(lcHttp) << "epoll_ctl failed:" << strerror(errno);
        m_gate.release(address);
        --m_openConnections;
        return; // the client's destructor closes the socket
    }
    add(std::move(client));
}

void ClientPool::adoptTls(int fd, std::shared_ptr<const QSslConfiguration> tls)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    quint16 port = 0;
    const QString address = ConnectionGate::peerAddress(fd, &port);
    add(std::make_unique<TlsClient>(*this, fd, nextId(), address, port, *tls, nowMs()));
}

void ClientPool::add(std::unique_ptr<Connection> connection)
{
    ++m_connectionsTotal;
    const quint64 id = connection->id();
    m_connections.emplace(id, std::move(connection));
}

void ClientPool::closeLater(quint64 id)
{
    QMetaObject::invokeMethod(
        this, [this, id] { close(id); }, Qt::QueuedConnection);
}

void ClientPool::close(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return; // closed already
    const Connection &connection = *it->second;
    const ClientStats s = connection.stats();
    if (s.streaming)
        qCInfo(lcHttp).noquote() << QLatin1String(connection.kind())
                + QLatin1String("viewer disconnected:")
                                 << s.address << s.port << "after" << s.framesSent << "frames,"
                                 << s.framesDropped << "dropped";
    m_sentByClosed[s.camera].add(s);
    // The address it was admitted with: a proxy's, whoever it forwarded for.
    m_gate.release(connection.peerAddress());
    forgetWaiter(id);
    m_connections.erase(it); // closes the socket
    --m_openConnections;
}

template<typename F> void ClientPool::closeUnless(F &&keep)
{
    // Collected first: closing while iterating would invalidate the iteration.
    QVarLengthArray<quint64, 64> done;
    for (auto &[id, connection] : m_connections) {
        if (!keep(*connection))
            done.append(id);
    }
    for (quint64 id : done)
        close(id);
}

void ClientPool::onEvents()
{
    epoll_event events[kMaxEventsPerWait];
    for (;;) {
        const int n = ::epoll_wait(m_epoll, events, kMaxEventsPerWait, 0);
        if (n <= 0)
            return;
        const qint64 now = nowMs();
        for (int i = 0; i < n; ++i) {
            const auto it = m_connections.find(events[i].data.u64);
            if (it == m_connections.end())
                continue; // closed while handling an earlier event of this batch
            if (!it->second->onEpollEvents(events[i].events, now))
                close(it->first);
        }
        if (n < kMaxEventsPerWait)
            return;
    }
}

void ClientPool::offer(const StreamFrame &frame)
{
    QMutexLocker lock(&m_offeredMutex);
    StreamFrame &slot = m_offered[streamKey(frame.camera, frame.frame.profile())];
    if (!slot.isNull())
        ++m_framesSkipped;
    slot = frame;
    if (m_offeredWaiting)
        return;
    m_offeredWaiting = true;
    lock.unlock();
    QMetaObject::invokeMethod(this, &ClientPool::takeOffered, Qt::QueuedConnection);
}

void ClientPool::takeOffered()
{
    // One slot per camera and profile: a slow profile's frame never waits behind the full
    // size's, nor one camera's behind another's.
    QVarLengthArray<StreamFrame, 8> frames;
    {
        QMutexLocker lock(&m_offeredMutex);
        for (auto &[profile, frame] : m_offered) {
            if (!frame.isNull())
                frames.append(std::exchange(frame, StreamFrame()));
        }
        m_offeredWaiting = false;
    }
    for (const StreamFrame &frame : frames)
        publish(frame);
}

void ClientPool::publish(const StreamFrame &frame)
{
    const int camera = frame.camera;
    const int profile = frame.frame.profile();
    m_latest[streamKey(camera, profile)] = frame;
    answerWaiters();
    const CameraRoute *route = m_routes ? m_routes->byId(camera) : nullptr;
    if (!m_streaming || !route || !route->running)
        return;
    const qint64 nowUs = monotonicUs();
    const qint64 now = nowUs / 1000;
    m_publishOrder.clear();
    for (auto &[id, connection] : m_connections) {
        if (connection->isStreaming() && connection->profile() == profile
            && connection->camera() == camera)
            m_publishOrder.push_back(connection.get());
    }
    const size_t count = m_publishOrder.size();
    // Each frame starts about 0.618 of the way round from the last start (the golden ratio
    // spreads the starts evenly), so every viewer is early as often as late.
    m_publishStart = count ? (m_publishStart + count * 618 / 1000 + 1) % count : 0;
    // Collect first: closing a connection while iterating would invalidate the list.
    QVarLengthArray<quint64, 64> dead;
    for (size_t i = 0; i < count; ++i) {
        Connection *connection = m_publishOrder[(m_publishStart + i) % count];
        if (!connection->offerFrame(frame, nowUs, now))
            dead.append(connection->id());
    }
    for (quint64 id : dead)
        close(id);
}

void ClientPool::setStreaming(bool on)
{
    if (m_streaming == on)
        return;
    m_streaming = on;
    if (on)
        return;
    answerWaiters(true); // 503: streaming is off
    const qint64 now = nowMs();
    closeUnless([now](Connection &connection) { return connection.endStream(now); });
}

void ClientPool::setRoutes(std::shared_ptr<const CameraRoutes> routes)
{
    std::shared_ptr<const CameraRoutes> before = std::exchange(m_routes, std::move(routes));
    const auto streams = [this](int camera) {
        const CameraRoute *route = m_routes->byId(camera);
        return route && route->running;
    };
    bool ended = false;
    if (before) {
        for (const CameraRoute &camera : before->cameras)
            ended = ended || (camera.running && !streams(camera.id()));
    }
    if (!ended)
        return;
    // A camera switched off or removed: its viewers' streams end cleanly, its snapshots get
    // their 503 or 404, its frames go.
    answerWaiters();
    for (auto it = m_latest.begin(); it != m_latest.end();)
        it = m_routes->byId(int(it->first >> 32)) ? std::next(it) : m_latest.erase(it);
    const qint64 now = nowMs();
    closeUnless([&](Connection &connection) {
        return !connection.isStreaming() || streams(connection.camera())
            || connection.endStream(now);
    });
}

void ClientPool::setCredentials(std::shared_ptr<const Credentials> credentials)
{
    m_credentials = std::move(credentials);
}

void ClientPool::closeAll()
{
    m_waiters.clear();
    const qint64 now = nowMs();
    for (auto &[id, connection] : m_connections)
        connection->endStream(now); // best effort: a clean end for whoever can take it right now
    while (!m_connections.empty())
        close(m_connections.begin()->first);
}

void ClientPool::beginShutdown()
{
    m_shuttingDown = true;
    answerWaiters(true);
    const qint64 now = nowMs();
    closeUnless([now](Connection &connection) { return connection.beginShutdown(now); });
}

void ClientPool::sweep()
{
    const qint64 now = nowMs();
    closeUnless([now](Connection &connection) {
        if (!connection.isUnresponsive(now))
            return true;
        qCInfo(lcHttp).noquote() << QLatin1String("closing unresponsive ")
                + QLatin1String(connection.kind()) + QLatin1String("connection from")
                                 << connection.stats().address;
        return false;
    });
}

void ClientPool::publishStats()
{
    const double seconds = m_sinceStats.restart() / 1000.0;
    PoolStats stats;
    stats.pool = m_index;
    stats.clients.reserve(qsizetype(m_connections.size()));
    stats.byCamera = m_sentByClosed;
    for (auto &[id, connection] : m_connections) {
        connection->sampleRate(seconds);
        const ClientStats &client = stats.clients.emplaceBack(connection->stats());
        stats.byCamera[client.camera].add(client);
    }
    {
        QMutexLocker lock(&m_offeredMutex);
        stats.framesSkippedTotal = m_framesSkipped;
    }
    stats.connectionsTotal = m_connectionsTotal;
    emit statsReady(stats);
}

void ClientPool::requestControls(quint64 id, int camera, const HttpRequest &request,
                                 const HttpResponse &admitted)
{
    if (!m_controlSink) {
        const auto it = m_connections.find(id);
        if (it != m_connections.end()
            && !it->second->answer(RequestHandler::error(503, "no source takes controls"), nowMs()))
            closeLater(id);
        return;
    }
    m_controlRequests[id] = request;
    m_controlSink(camera, id, admitted.controlValues, admitted.controlsBy);
}

void ClientPool::answerControls(quint64 id, const CameraControls &controls, const QString &error)
{
    const auto pending = m_controlRequests.find(id);
    if (pending == m_controlRequests.end())
        return; // not ours, or already answered (a late answer after the timeout)
    const HttpRequest request = std::move(pending->second);
    m_controlRequests.erase(pending);
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return; // the viewer left meanwhile
    if (!it->second->answer(RequestHandler::controlsAnswer(request, controls, error), nowMs()))
        close(id);
}

RequestHandler::State ClientPool::handlerState(const CameraRoute *camera,
                                               const ProfileSet::Choice &profile) const
{
    RequestHandler::State state;
    state.streaming = m_streaming && camera && camera->running;
    state.credentials = m_credentials;
    state.profile = profile;
    state.controlNetworks = m_config.controlNetworks;
    if (camera) {
        state.latest = latest(camera->id(), profile.id);
        state.status = camera->status;
        state.controls = camera->controls;
        state.camera = camera->name;
    }
    if (m_routes)
        state.allStatus = m_routes->statuses; // shared, not copied
    return state;
}
